// --from's view as the reports show it: per Service a small matrix (each ready backend of each
// port, its verdict, and why: which side blocks and which policies), then the client's DNS. The
// text report, -o markdown, -o junit, the tree and -i all draw it from these pieces. Names and
// reasons hold cluster text (pod and policy names): the callers pass them through their own
// escaping (terminalText, mdText, xmlText).

import type { ServiceReachability } from '../model/reachability.js';
import type { ServiceSummary } from '../report/report.js';
import { plainTable } from './table.js';

/** Rows of a Service's matrix shown; -o json lists every backend. */
export const ROWS_SHOWN = 20;

/** The matrix's columns. */
const MATRIX_HEAD = ['PORT', 'BACKEND', 'VERDICT', 'WHY'];

/** "from pod shop/frontend (if your network plugin enforces NetworkPolicy)": who, and what the verdicts assume. */
export function reachabilityHead(r: ServiceReachability): string {
  return `from ${r.client} (${r.enforcement})`;
}

/** One row per ready backend of each port: port, backend pod and targetPort, verdict, why. */
export function matrixRows(r: ServiceReachability): string[][] {
  return r.ports.flatMap((p) => p.backends.map((b) => [p.port, `${b.pod}:${b.targetPort}`, b.verdict, b.reason]));
}

/** What follows the matrix: backends without a verdict, the client's DNS, the evaluation's notes. */
export function reachabilityFooter(r: ServiceReachability): string[] {
  const lines: string[] = [];
  if (r.unknownBackends) {
    lines.push(`${r.unknownBackends} ready endpoints whose pod is not in the input: no verdict for them`);
  }
  if (r.dns) lines.push(`DNS: ${r.dns.verdict} (UDP 53 ${r.dns.udp}, TCP 53 ${r.dns.tcp}): ${r.dns.reason}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines;
}

/** The lines of a Service's reachability matrix, indented under its name; none without --from. */
export function reachabilityLines(
  s: Pick<ServiceSummary, 'namespace' | 'name' | 'reachability'>,
  text: (value: string) => string,
): string[] {
  const r = s.reachability;
  if (!r) return [];
  const lines = [text(`${s.namespace}/${s.name}: ${reachabilityHead(r)}`)];
  if (r.unknown) return [...lines, text(`  no verdict: ${r.unknown}`)];
  const rows = matrixRows(r).map((row) => row.map(text));
  if (rows.length > 0) {
    const table = plainTable(MATRIX_HEAD, rows.slice(0, ROWS_SHOWN));
    lines.push(...table.split('\n').map((line) => `  ${line}`));
    if (rows.length > ROWS_SHOWN) lines.push(`  … and ${rows.length - ROWS_SHOWN} more (-o json lists them all)`);
  } else lines.push('  no ready backend to judge');
  for (const line of reachabilityFooter(r)) lines.push(text(`  ${line}`));
  return lines;
}
