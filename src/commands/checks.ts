// `checks` lists every check; `explain CHECK` prints one check's page.

import { CHECKS, DATAPLANE_CHECKS, describeCheck } from '../checks/index.js';
import type { Check, DataplaneCheck } from '../checks/types.js';
import { EXIT, UsageError } from '../core/errors.js';
import { checkDoc, checkDocText } from '../report/check-docs.js';
import { CHECK_EXAMPLES } from '../report/check-examples.js';
import { plainTable } from '../render/table.js';
import type { CommandSteps } from './command.js';
import type { IOStreams } from './streams.js';

/** `checks` takes no flags and no arguments (commander refuses any). */
type NoFlags = Record<string, never>;

function runChecksList(_options: NoFlags, streams: IOStreams): Promise<number> {
  const rows = [...CHECKS, ...DATAPLANE_CHECKS].map((c) => [c.id, c.severity, c.title]);
  streams.out.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  return Promise.resolve(EXIT.ok);
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
  const check = describeCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
  return { check };
}

/** The check's page (docs/checks/<id>.md), as plain text. */
function runExplain({ check }: ExplainOptions, streams: IOStreams): Promise<number> {
  streams.out.write(checkDocText(checkDoc(check, CHECK_EXAMPLES[check.id])));
  return Promise.resolve(EXIT.ok);
}

export const explainCommand: CommandSteps<NoFlags, ExplainOptions> = {
  complete: completeExplain,
  validate: () => {
    // Nothing to check: completing the id found its check.
  },
  run: runExplain,
};
