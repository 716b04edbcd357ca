// `checks` lists every check; `explain CHECK` prints one check's page.

import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS, describeCheck } from '../checks/index.js';
import type { Check, ConnectCheck, DataplaneCheck, FromCheck } from '../checks/types.js';
import { EXIT, UsageError } from '../core/errors.js';
import { checkDoc, checkDocText } from '../report/check-docs.js';
import { CHECK_EXAMPLES } from '../report/check-examples.js';
import { plainTable } from '../render/table.js';
import { renderJson, renderYaml } from '../render/structured.js';
import { REPORT_API_VERSION } from '../report/report.js';
import { parseOutput, unknownCheck } from './diagnose-options.js';
import type { CommandSteps } from './command.js';
import type { IOStreams } from './streams.js';

/** `explain` takes no flags (commander refuses any). */
type NoFlags = Record<string, never>;

export const CHECKS_OUTPUTS = ['text', 'json', 'yaml'] as const;

export interface ChecksFlags {
  output: string;
}

interface ChecksOptions {
  output: (typeof CHECKS_OUTPUTS)[number];
}

/**
 * `checks -o json|yaml`: every check as data, for tools that read reports (a finding's `check` and
 * `reason` are among these ids and reasons); `command` says which command runs it.
 */
function checkList() {
  const item = (
    c: Check | DataplaneCheck | ConnectCheck | FromCheck,
    command: 'diagnose' | 'probe' | 'diagnose --connect' | 'diagnose --from',
  ) => ({
    id: c.id,
    severity: c.severity,
    title: c.title,
    explanation: c.explanation,
    fix: c.fix,
    command,
    reasons: Object.keys(c.messages),
  });
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'CheckList',
    items: [
      ...CHECKS.map((c) => item(c, 'diagnose')),
      ...DATAPLANE_CHECKS.map((c) => item(c, 'probe')),
      ...CONNECT_CHECKS.map((c) => item(c, 'diagnose --connect')),
      ...FROM_CHECKS.map((c) => item(c, 'diagnose --from')),
    ],
  };
}

function runChecksList({ output }: ChecksOptions, streams: IOStreams): Promise<number> {
  if (output === 'json') streams.out.write(renderJson(checkList()));
  else if (output === 'yaml') streams.out.write(renderYaml(checkList()));
  else {
    const rows = [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS].map((c) => [
      c.id,
      c.severity,
      c.title,
    ]);
    streams.out.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  }
  return Promise.resolve(EXIT.ok);
}

export const checksCommand: CommandSteps<ChecksFlags, ChecksOptions> = {
  complete: (_args, flags) => ({ output: parseOutput(flags.output, CHECKS_OUTPUTS) }),
  validate: () => {
    // parseOutput refused any other -o.
  },
  run: runChecksList,
};

interface ExplainOptions {
  check: Check | DataplaneCheck | ConnectCheck | FromCheck;
}

function completeExplain([id]: string[]): ExplainOptions {
  const check = describeCheck(id);
  if (!check) throw new UsageError(unknownCheck(id));
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
