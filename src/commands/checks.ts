// `checks` lists every check; `explain CHECK` prints one check's page.

import { CHECKS, DATAPLANE_CHECKS, describeCheck } from '../checks/index.js';
import { UsageError } from '../core/errors.js';
import { checkDoc, checkDocText } from '../report/check-docs.js';
import { CHECK_EXAMPLES } from '../report/check-examples.js';
import { plainTable } from '../render/table.js';

export function runChecksList(): number {
  const rows = [...CHECKS, ...DATAPLANE_CHECKS].map((c) => [c.id, c.severity, c.title]);
  process.stdout.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  return 0;
}

/** The check's page (docs/checks/<id>.md), as plain text. */
export function runExplain(id: string): number {
  const check = describeCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
  process.stdout.write(checkDocText(checkDoc(check, CHECK_EXAMPLES[check.id])));
  return 0;
}
