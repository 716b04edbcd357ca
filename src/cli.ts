// Entry point: builds the command line (kubectl plugin conventions), runs the chosen command
// on the process's streams and turns every failure into one line on stderr and a documented
// exit code. The only module that touches the process: the commands get the streams passed in.

import { Command, CommanderError, Help } from 'commander';
import { kubectlArgs } from './argv.js';
import { checksCommand, CHECKS_OUTPUTS, explainCommand, type ChecksFlags } from './commands/checks.js';
import { execute, reportFailure } from './commands/command.js';
import { diagnoseCommand, treeCommand } from './commands/diagnose.js';
import { addDiagnoseFlags, type DiagnoseFlags } from './commands/diagnose-options.js';
import { probeCommand } from './commands/probe.js';
import { addProbeFlags, PROBE_HELP, type ProbeFlags } from './commands/probe-options.js';
import { addSnapshotFlags, snapshotCommand, type SnapshotFlags } from './commands/snapshot.js';
import type { IOStreams } from './commands/streams.js';
import { addWaitFlags, waitCommand, type WaitFlags } from './commands/wait.js';
import { runCompletion } from './completion.js';
import { EXIT } from './core/errors.js';
import { delayOptimization } from './core/tiering.js';
import { versionText } from './core/version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (default: error), or a Service whose status is unknown
     (a check that applies to it could not run: the input lacks a kind it needs)
  2  usage error, input that cannot be read, or a named Service that does not exist
  3  the cluster could not be reached, or refused a required read`;

function buildProgram(streams: IOStreams, setExit: (code: number) => void): Command {
  const program = new Command('kubectl endpoints-doctor')
    .description('Explain why a Service does or does not reach its Pods.')
    .version(versionText(), '--version', 'print the version and the commit it was built from')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_CODES_HELP);

  const diagnoseDefault = addDiagnoseFlags(
    program
      .command('diagnose', { isDefault: true })
      .description('diagnose Services (the default command): kubectl endpoints-doctor [svc/]NAME... [flags]')
      .argument('[services...]', 'Services to diagnose, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags: DiagnoseFlags) =>
    setExit(await execute(diagnoseCommand, services, flags, streams)),
  );

  addDiagnoseFlags(
    program
      .command('tree')
      .description('draw each Service as a tree: Service → EndpointSlices → endpoints → Pods (same as -o tree)')
      .argument('[services...]', 'Services to draw, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags: DiagnoseFlags, command: Command) => {
    const outputGiven = command.getOptionValueSource('output') === 'cli';
    setExit(await execute(treeCommand, services, { ...flags, outputGiven }, streams));
  });

  addSnapshotFlags(
    program
      .command('snapshot')
      .description('write the objects the diagnosis reads from the cluster to stdout, for --snapshot')
      .argument('[services...]', 'Services to capture, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags: SnapshotFlags) =>
    setExit(await execute(snapshotCommand, services, flags, streams)),
  );

  addWaitFlags(
    program
      .command('wait')
      .description('wait until a Service has the wanted ready endpoints (exit 0), or time out with why not (exit 1)')
      .argument('<service>', 'the Service, as NAME or svc/NAME'),
  ).action(async (service: string, flags: WaitFlags) => setExit(await execute(waitCommand, [service], flags, streams)));

  addProbeFlags(
    program
      .command('probe')
      .description(
        "show what a node's kube-proxy rules do with each Service port, and compare them with the EndpointSlices",
      )
      .argument('[services...]', 'Services to probe, as NAME or svc/NAME (default: all in the namespace)'),
  )
    .addHelpText('after', PROBE_HELP)
    .action(async (services: string[], flags: ProbeFlags) =>
      setExit(await execute(probeCommand, services, flags, streams)),
    );

  program
    .command('checks')
    .description('list every check with its id, default severity and title')
    .option(
      '-o, --output <format>',
      `output format: ${CHECKS_OUTPUTS.join(', ')} (json and yaml add why, fix and reasons)`,
      'text',
    )
    .action(async (flags: ChecksFlags) => setExit(await execute(checksCommand, [], flags, streams)));

  program
    .command('explain')
    .description('explain one check: why it matters and how to fix it')
    .argument('<check>', 'check id, as listed by the checks command')
    .action(async (id: string) => setExit(await execute(explainCommand, [id], {}, streams)));

  showDefaultCommandInHelp(program, diagnoseDefault);
  for (const command of [program, ...program.commands]) command.exitOverride();
  return program;
}

/**
 * `kubectl endpoints-doctor` alone is the command people run, so its help is the default
 * command's (its arguments and flags), followed by the other commands.
 */
function showDefaultCommandInHelp(program: Command, defaultCommand: Command): void {
  program.usage(`[[svc/]NAME...] [flags]\n       ${program.name()} COMMAND [flags]`);
  program.configureHelp({
    visibleArguments(this: Help, command: Command) {
      return Help.prototype.visibleArguments.call(this, command === program ? defaultCommand : command);
    },
    visibleOptions(this: Help, command: Command) {
      const own = Help.prototype.visibleOptions.call(this, command);
      if (command !== program) return own;
      const inherited = Help.prototype.visibleOptions.call(this, defaultCommand).filter((o) => o.long !== '--help');
      return [...inherited, ...own];
    },
  });
}

/** The process's own streams: what the commands write to when run as kubectl runs the plugin. */
function processStreams(): IOStreams {
  return { in: process.stdin, out: process.stdout, errOut: process.stderr };
}

export async function main(argv: string[]): Promise<number> {
  delayOptimization(process.versions.v8, process.execArgv);
  const streams = processStreams();
  let exitCode: number = EXIT.ok;
  let debug = argv.includes('--debug');
  const program = buildProgram(streams, (code) => (exitCode = code));
  // A reader that goes away early (`| head`) is not a failure worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(exitCode);
  });
  // kubectl_complete-endpoints_doctor (run by kubectl for `kubectl endpoints-doctor <TAB>`)
  // passes the words here; no Service name starts with "_", so none is mistaken for this.
  if (argv[2] === '__complete') return runCompletion(program, argv.slice(3));
  try {
    const args = kubectlArgs(program, argv.slice(2));
    debug = args.includes('--debug');
    await program.parseAsync([...argv.slice(0, 2), ...args]);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version end with code 0; everything else commander reports is usage.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportFailure(e, streams, debug);
  }
}
