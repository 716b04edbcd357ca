// `checks` lists every check; `explain CHECK` prints one check's long text.

import { CHECKS, findCheck } from '../checks/index.js';
import { UsageError } from '../errors.js';
import { plainTable } from '../render/table.js';

export function runChecksList(): number {
  const rows = CHECKS.map((c) => [c.id, c.severity, c.title]);
  process.stdout.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  return 0;
}

export function runExplain(id: string): number {
  const check = findCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
  const lines = [
    `${check.id} (default severity: ${check.severity})`,
    '',
    check.title,
    '',
    `Why it matters: ${check.explanation}`,
    '',
    `How to fix it: ${check.fix}`,
  ];
  if (check.requires?.length)
    lines.push('', `Needs in the input: ${check.requires.join(', ')} (skipped without them).`);
  lines.push('', `Silence it for one Service: kubectl annotate service NAME endpoints-doctor/ignore=${check.id}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
