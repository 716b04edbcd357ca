// The default command: `kubectl endpoints-doctor [SERVICE...]` diagnoses Services and exits
// 0, or 1 when a finding is at or above --fail-on or a Service's status is unknown. `tree` is
// the same command drawing trees.

import { EXIT, UsageError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';
import { palette } from '../render/colour.js';
import { renderOutput } from '../render/output.js';
import { diagnoseServices } from '../report/diagnosis.js';
import { failsAt } from '../report/report.js';
import { closestMatch, editDistance } from '../model/similar.js';
import { SUBCOMMANDS, type CommandSteps } from './command.js';
import { completeDiagnose, validateDiagnose, type DiagnoseFlags, type DiagnoseOptions } from './diagnose-options.js';
import { runLiveView } from './live-views.js';
import { loadInput } from './scope.js';
import { connectServices } from './connect.js';
import { findClient, fromReads } from './from.js';
import { namespaceExists } from '../sources/live.js';
import type { IOStreams } from './streams.js';

async function runDiagnose(options: DiagnoseOptions, streams: IOStreams): Promise<number> {
  if (options.watch || options.interactive) return runLiveView(options, streams);

  // A named Service that is missing does not hide the others (as with kubectl get a b c).
  const { from } = options;
  const input = await loadInput(options.scope, undefined, 'report', from && fromReads(from));
  const connected = options.connect
    ? await connectServices(input.model, input.services, options.connect, streams, {
        connection: input.connection,
        namespace: input.namespace ?? input.connection?.defaultNamespace,
        debug: options.scope.debug,
      })
    : undefined;
  const client =
    options.from &&
    findClient(
      input.model,
      options.from,
      input.namespace ?? input.connection?.defaultNamespace,
      input.services.map((s) => s.meta.namespace),
    );
  const diagnosis = diagnoseServices(
    input.model,
    input.services,
    options.checks,
    [...input.notes, ...(connected?.notes ?? [])],
    input.dangling,
    connected?.input,
    client && { client, checks: options.from!.checks },
  );
  let { searched } = input;
  // As kubectl says it: an empty namespace and one that does not exist are different answers.
  if (input.services.length === 0 && input.connection && input.namespace !== undefined) {
    if ((await namespaceExists(input.connection, input.namespace)) === false)
      searched += ' (the namespace does not exist)';
  }
  streams.out.write(renderOutput(diagnosis, { ...options.output, searched }, palette(options.colour)));
  // The tree has no place for notes; the other formats carry them.
  const notFound = new Set(input.notFound);
  if (options.output.output === 'tree') {
    for (const note of diagnosis.report.notes)
      if (!notFound.has(note)) streams.errOut.write(`note: ${terminalText(note)}\n`);
  }
  for (const line of input.notFound) streams.errOut.write(`error: ${terminalText(line)}\n`);
  // `kubectl endpoints-doctor prbe`: a subcommand mistyped reads as a Service name; when no such
  // Service exists and a subcommand is one edit away, say so as kubectl does.
  const found = new Set(input.services.map((s) => s.meta.name));
  for (const name of new Set(options.scope.serviceNames)) {
    const meant = found.has(name) ? undefined : closestMatch(name, SUBCOMMANDS);
    if (meant && editDistance(name, meant) <= 1) {
      streams.errOut.write(`error: unknown command "${name}" for "kubectl endpoints-doctor": did you mean ${meant}?\n`);
    }
  }
  // Asked about a Service that is not there, a run never passes, whatever --fail-on says.
  if (input.notFound.length > 0) return EXIT.usage;
  return failsAt(diagnosis.report, options.output.failOn) ? EXIT.findings : EXIT.ok;
}

export const diagnoseCommand: CommandSteps<DiagnoseFlags, DiagnoseOptions> = {
  complete: completeDiagnose,
  validate: validateDiagnose,
  run: runDiagnose,
};

export interface TreeFlags extends DiagnoseFlags {
  /** -o was typed (commander's value source "cli"), not left at its default. */
  outputGiven: boolean;
}

/** The tree subcommand: `-o tree` by another name, so -o can say nothing else. */
function completeTree(args: string[], flags: TreeFlags, streams: IOStreams): DiagnoseOptions {
  if (flags.outputGiven && flags.output !== 'tree') {
    throw new UsageError(
      `the tree subcommand draws trees: for -o ${flags.output}, run kubectl endpoints-doctor without "tree"`,
    );
  }
  return completeDiagnose(args, { ...flags, output: 'tree' }, streams);
}

export const treeCommand: CommandSteps<TreeFlags, DiagnoseOptions> = {
  complete: completeTree,
  validate: validateDiagnose,
  run: runDiagnose,
};
