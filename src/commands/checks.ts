// `checks` lists every check; `explain CHECK` prints one check's long text.

import { CHECKS, DATAPLANE_CHECKS, describeCheck } from '../checks/index.js';
import { UsageError } from '../core/errors.js';
import { plainTable } from '../render/table.js';

export function runChecksList(): number {
  const rows = [...CHECKS, ...DATAPLANE_CHECKS].map((c) => [c.id, c.severity, c.title]);
  process.stdout.write(plainTable(['ID', 'SEVERITY', 'TITLE'], rows) + '\n');
  return 0;
}

export function runExplain(id: string): number {
  const check = describeCheck(id);
  if (!check) throw new UsageError(`unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
  const lines = [
    `${check.id} (default severity: ${check.severity})`,
    '',
    check.title,
    '',
    `Why it matters: ${check.explanation}`,
    '',
    `How to fix it: ${check.fix}`,
    '',
    'Reasons (findings[].reason), each with its severity and message:',
    ...Object.entries(check.messages).map(
      ([reason, template]) => `  ${reason} (${check.severities?.[reason] ?? check.severity}): ${template}`,
    ),
  ];
  if ('requires' in check && check.requires?.length)
    lines.push(
      '',
      `Needs in the input: ${check.requires.join(', ')} (skipped without them; a Service it applies to is then unknown).`,
    );
  if (DATAPLANE_CHECKS.some((c) => c.id === check.id))
    lines.push('', 'Run by: kubectl endpoints-doctor probe (it compares a node’s rules with the EndpointSlices).');
  lines.push('', `Silence it for one Service: kubectl annotate service NAME endpoints-doctor/ignore=${check.id}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
