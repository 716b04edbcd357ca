// Entry point: builds the command line (kubectl plugin conventions), runs the chosen command
// and turns every failure into one line on stderr and a documented exit code.

import { Command, CommanderError, Help } from 'commander';
import { createRequire } from 'node:module';
import { kubectlArgs } from './argv.js';
import { runChecksList, runExplain } from './commands/checks.js';
import { addDiagnoseFlags, runDiagnose, runTree } from './commands/diagnose.js';
import { addProbeFlags, PROBE_HELP, runProbe } from './commands/probe.js';
import { addSnapshotFlags, runSnapshot } from './commands/snapshot.js';
import { addWaitFlags, runWait } from './commands/wait.js';
import { runCompletion } from './completion.js';
import { EXIT, isDoctorError } from './core/errors.js';
import { terminalText } from './core/terminal-text.js';

// The single-file bundle (scripts/package.ts) has no package.json beside it: esbuild defines this.
declare const ENDPOINTS_DOCTOR_VERSION: string | undefined;
const version: string =
  typeof ENDPOINTS_DOCTOR_VERSION === 'string'
    ? ENDPOINTS_DOCTOR_VERSION
    : (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const EXIT_CODES_HELP = `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (default: error), or a Service whose status is unknown
     (a check that applies to it could not run: the input lacks a kind it needs)
  2  usage error, input that cannot be read, or a named Service that does not exist
  3  the cluster could not be reached, or refused a required read`;

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('kubectl endpoints-doctor')
    .description('Explain why a Service does or does not reach its Pods.')
    .version(version, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_CODES_HELP);

  const diagnose = addDiagnoseFlags(
    program
      .command('diagnose', { isDefault: true })
      .description('diagnose Services (the default command): kubectl endpoints-doctor [svc/]NAME... [flags]')
      .argument('[services...]', 'Services to diagnose, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags) => setExit(await runDiagnose(services, flags)));

  addDiagnoseFlags(
    program
      .command('tree')
      .description('draw each Service as a tree: Service → EndpointSlices → endpoints → Pods (same as -o tree)')
      .argument('[services...]', 'Services to draw, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags, command: Command) =>
    setExit(await runTree(services, flags, command.getOptionValueSource('output') === 'cli')),
  );

  addSnapshotFlags(
    program
      .command('snapshot')
      .description('write the objects the diagnosis reads from the cluster to stdout, for --snapshot')
      .argument('[services...]', 'Services to capture, as NAME or svc/NAME (default: all in the namespace)'),
  ).action(async (services: string[], flags) => setExit(await runSnapshot(services, flags)));

  addWaitFlags(
    program
      .command('wait')
      .description('wait until a Service has the wanted ready endpoints (exit 0), or time out with why not (exit 1)')
      .argument('<service>', 'the Service, as NAME or svc/NAME'),
  ).action(async (service: string, flags) => setExit(await runWait(service, flags)));

  addProbeFlags(
    program
      .command('probe')
      .description(
        "show what a node's kube-proxy rules do with each Service port, and compare them with the EndpointSlices",
      )
      .argument('[services...]', 'Services to probe, as NAME or svc/NAME (default: all in the namespace)'),
  )
    .addHelpText('after', PROBE_HELP)
    .action(async (services: string[], flags) => setExit(await runProbe(services, flags)));

  program
    .command('checks')
    .description('list every check with its id, default severity and title')
    .action(() => setExit(runChecksList()));

  program
    .command('explain')
    .description('explain one check: why it matters and how to fix it')
    .argument('<check>', 'check id, as listed by the checks command')
    .action((id: string) => setExit(runExplain(id)));

  showDefaultCommandInHelp(program, diagnose);
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

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  let debug = argv.includes('--debug');
  const program = buildProgram((code) => (exitCode = code));
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
    if (isDoctorError(e)) {
      process.stderr.write(`error: ${terminalText(e.message)}\n`);
      if (debug && 'detail' in e && e.detail)
        process.stderr.write(`${(e.detail as Error).stack ?? String(e.detail)}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `error: unexpected failure: ${terminalText((e as Error)?.message ?? String(e))} (rerun with --debug for details)\n`,
    );
    if (debug) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return EXIT.usage;
  }
}
