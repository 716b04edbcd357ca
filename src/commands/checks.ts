// `checks` lists every check; `explain CHECK` prints one check's long text.

import { CHECKS, DATAPLANE_CHECKS, describeCheck } from '../checks/index.js';
import type { Check, DataplaneCheck } from '../checks/types.js';
import { EXIT, UsageError } from '../core/errors.js';
import { plainTable } from '../render/table.js';
import type { CommandSteps } from './command.js';
import type { IOStreams } from './streams.js';

/** `checks` takes no flags and no arguments (commander refuses any). */
type NoFlags = Record<string, never>;

async function runChecksList(_options: NoFlags, streams: IOStreams): Promise<number> {
  const rows = [...CHECKS, ...DATAPLANE_CHECKS].map((c) => [c.id, c.severity, c.title]);
  streams.out.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  return EXIT.ok;
}

export const checksCommand: CommandSteps<NoFlags, NoFlags> = {
  complete: () => ({}),
  validate: () => {
    // Nothing to check: there are no flags.
  },
  run: runChecksList,
};

interface ExplainOptions {
  check: Check | DataplaneCheck;
}

function completeExplain([id]: string[]): ExplainOptions {
  const check = describeCheck(id!);
  if (!check) throw new UsageError(`unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
  return { check };
}

async function runExplain({ check }: ExplainOptions, streams: IOStreams): Promise<number> {
  const lines = [
    `${check.id} (default severity: ${check.severity})`,
    '',
    check.title,
    '',
    `Why it matters: ${check.explanation}`,
    '',
    `How to fix it: ${check.fix}`,
  ];
  if ('requires' in check && check.requires?.length)
    lines.push(
      '',
      `Needs in the input: ${check.requires.join(', ')} (skipped without them; a Service it applies to is then unknown).`,
    );
  if (DATAPLANE_CHECKS.some((c) => c.id === check.id))
    lines.push('', 'Run by: kubectl endpoints-doctor probe (it compares a node’s rules with the EndpointSlices).');
  lines.push('', `Silence it for one Service: kubectl annotate service NAME endpoints-doctor/ignore=${check.id}`);
  streams.out.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

export const explainCommand: CommandSteps<NoFlags, ExplainOptions> = {
  complete: completeExplain,
  validate: () => {
    // Nothing to check: completing the id found its check.
  },
  run: runExplain,
};
