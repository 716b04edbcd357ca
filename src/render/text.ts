// The human report: a kubectl-style summary table, then each Service's findings with the
// pods involved, why it matters (once per check) and how to fix it.

import { describeCheck } from '../checks/index.js';
import type { Finding } from '../checks/types.js';
import type { Report } from '../report/report.js';
import type { Palette } from './colour.js';
import { plainTable } from './table.js';

const MAX_PODS_SHOWN = 10;
const INDENT = '          ';
const WIDTH = 100;

/** Word-wraps prose under the finding's indent (fix lines are not wrapped: they hold commands to copy). */
function wrap(text: string, firstPrefix: string): string[] {
  const lines: string[] = [];
  let line = INDENT + firstPrefix;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > WIDTH && line.trim() !== firstPrefix.trim()) {
      lines.push(line.trimEnd());
      line = INDENT + ' '.repeat(firstPrefix.length);
    }
    line += (line.endsWith(' ') ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines;
}

export function renderText(report: Report, p: Palette): string {
  const out: string[] = [];
  if (report.services.length === 0) {
    out.push('No Services found in the chosen scope.');
  } else {
    const checksByService = new Map<string, string[]>();
    for (const f of report.findings) {
      const key = `${f.namespace}/${f.service}`;
      const ids = checksByService.get(key) ?? [];
      if (!ids.includes(f.check)) ids.push(f.check);
      checksByService.set(key, ids);
    }
    const rows = report.services.map((s) => [
      s.namespace,
      s.name,
      s.type,
      s.endpoints ? `${s.endpoints.ready}/${s.endpoints.total}` : '-',
      p.status(s.status, s.status.toUpperCase()),
      (checksByService.get(`${s.namespace}/${s.name}`) ?? []).join(', ') || '-',
    ]);
    out.push(plainTable(['NAMESPACE', 'NAME', 'TYPE', 'ENDPOINTS', 'STATUS', 'FINDINGS'], rows));
  }

  const explained = new Set<string>();
  let current = '';
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    if (key !== current) {
      current = key;
      const s = report.services.find((x) => x.namespace === f.namespace && x.name === f.service);
      out.push('', p.bold(`${key}`) + (s ? p.dim(` (${s.type}${s.clusterIP ? ` ${s.clusterIP}` : ''})`) : ''));
    }
    out.push(...renderFinding(f, p, !explained.has(f.check)));
    explained.add(f.check);
  }

  const { summary } = report;
  out.push(
    '',
    `${summary.services} Service${summary.services === 1 ? '' : 's'}: ${summary.ok} ok, ${summary.error} error, ` +
      `${summary.warning} warning, ${summary.info} info` +
      (summary.suppressed
        ? `; ${summary.suppressed} finding${summary.suppressed === 1 ? '' : 's'} suppressed by annotation`
        : ''),
  );
  for (const note of report.notes) out.push(p.dim(`note: ${note}`));
  return out.join('\n') + '\n';
}

function renderFinding(f: Finding, p: Palette, withExplanation: boolean): string[] {
  const check = describeCheck(f.check);
  const lines = [
    `  ${p.status(f.severity, f.severity.toUpperCase().padEnd(7))} ${p.bold(f.check)}${f.port ? `  ${f.port}` : ''}`,
    ...wrap(f.message, ''),
  ];
  const pods = f.pods ?? [];
  for (const pod of pods.slice(0, MAX_PODS_SHOWN)) {
    lines.push(...wrap(`${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}: ${pod.cause}`, '- '));
  }
  if (pods.length > MAX_PODS_SHOWN)
    lines.push(`${INDENT}… and ${pods.length - MAX_PODS_SHOWN} more (-o json lists them all)`);
  if (withExplanation && check) lines.push(...wrap(check.explanation, 'why: ').map((l) => p.dim(l)));
  lines.push(`${INDENT}fix: ${f.fix ?? check?.fix ?? ''}`);
  return lines;
}
