// The human report: a kubectl-style summary table, then each Service's findings with the
// pods involved, why it matters (once per check) and how to fix it.

import { describeSkippedChecks, type Report } from '../report/report.js';
import type { Palette } from './colour.js';
import { plainTable } from './table.js';
import { terminalText as t } from '../core/terminal-text.js';
import type { CheckDescriptions, Finding } from '../core/findings.js';

const MAX_PODS_SHOWN = 10;
const INDENT = '          ';
const WIDTH = 100;
/** The indent of a wrapped line's continuation, per length of its first line's prefix ('- ', 'why: '). */
const HANGING = Array.from({ length: 8 }, (_, n) => INDENT + ' '.repeat(n));

/**
 * Word-wraps prose under the finding's indent into `lines`, each line styled (fix lines are not
 * wrapped: they hold commands to copy). Cuts at the last space that fits, a slice per line rather
 * than a string per word; a word longer than the line stays whole.
 */
function wrap(lines: string[], text: string, firstPrefix: string, style?: (line: string) => string): void {
  let prefix = INDENT + firstPrefix;
  const room = WIDTH - prefix.length;
  let rest = text.trim();
  while (rest.length > room) {
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = rest.indexOf(' ', room);
    if (cut < 0) break;
    const line = prefix + rest.slice(0, cut).trimEnd();
    lines.push(style ? style(line) : line);
    rest = rest.slice(cut + 1).trimStart();
    prefix = HANGING[firstPrefix.length]!;
  }
  const line = (prefix + rest).trimEnd();
  lines.push(style ? style(line) : line);
}

export function renderText(report: Report, checks: CheckDescriptions, p: Palette): string {
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
      t(s.namespace),
      t(s.name),
      t(s.type),
      s.endpoints ? `${s.endpoints.ready}/${s.endpoints.total}` : '-',
      p.status(s.status, s.status.toUpperCase()),
      (checksByService.get(`${s.namespace}/${s.name}`) ?? []).join(', ') || '-',
    ]);
    out.push(plainTable(['NAMESPACE', 'NAME', 'TYPE', 'ENDPOINTS', 'STATUS', 'FINDINGS'], rows));
  }

  const explained = new Set<string>();
  const services = new Map(report.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  let current = '';
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    if (key !== current) {
      current = key;
      const s = services.get(key);
      out.push('', p.bold(t(key)) + (s ? p.dim(t(` (${s.type}${s.clusterIP ? ` ${s.clusterIP}` : ''})`)) : ''));
      if (s?.skippedChecks) wrap(out, describeSkippedChecks(s.skippedChecks), '', p.dim);
    }
    renderFinding(out, f, checks, p, !explained.has(f.check));
    explained.add(f.check);
  }

  const { summary } = report;
  out.push(
    '',
    `${summary.services} Service${summary.services === 1 ? '' : 's'}: ${summary.ok} ok, ${summary.error} error, ` +
      `${summary.warning} warning, ${summary.info} info${summary.unknown ? `, ${summary.unknown} unknown` : ''}` +
      (summary.suppressed
        ? `; ${summary.suppressed} finding${summary.suppressed === 1 ? '' : 's'} suppressed by annotation`
        : ''),
  );
  if (summary.unknown) out.push(p.status('unknown', unknownLine(summary.unknown)));
  for (const note of report.notes) out.push(p.dim(`note: ${t(note)}`));
  return out.join('\n') + '\n';
}

/** What unknown means, said once under the counts. */
function unknownLine(count: number): string {
  const [services, its, them] =
    count === 1 ? ['this Service', 'its', 'it'] : [`these ${count} Services`, 'their', 'them'];
  return (
    `unknown: a check that applies to ${services} could not run (the notes below say why), so ${its} status ` +
    `would be a guess; every --fail-on the checks left out could have reached fails on ${them} (--disable the check to ` +
    'accept that)'
  );
}

/** Appends the finding's lines to `lines`. */
function renderFinding(
  lines: string[],
  f: Finding,
  checks: CheckDescriptions,
  p: Palette,
  withExplanation: boolean,
): void {
  const check = checks.get(f.check);
  lines.push(
    `  ${p.status(f.severity, f.severity.toUpperCase().padEnd(7))} ${p.bold(f.check)}${f.port ? `  ${t(f.port)}` : ''}`,
  );
  wrap(lines, t(f.message), '');
  const pods = f.pods ?? [];
  for (const pod of pods.slice(0, MAX_PODS_SHOWN)) {
    wrap(lines, t(`${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}: ${pod.cause}`), '- ');
  }
  if (pods.length > MAX_PODS_SHOWN)
    lines.push(`${INDENT}… and ${pods.length - MAX_PODS_SHOWN} more (-o json lists them all)`);
  if (withExplanation && check) wrap(lines, check.explanation, 'why: ', p.dim);
  lines.push(`${INDENT}fix: ${t(f.fix ?? check?.fix ?? '')}`);
}
