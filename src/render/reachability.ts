// --from's view as the text report shows it: per Service a small matrix (each ready backend of
// each port, its verdict, and why: which side blocks and which policies), then the client's DNS.
// Names and reasons hold cluster text (pod and policy names): the callers pass them through
// terminalText.

import type { ServiceSummary } from '../report/report.js';
import { plainTable } from './table.js';

/** Rows of a Service's matrix shown; -o json lists every backend. */
const ROWS_SHOWN = 20;

/** The lines of a Service's reachability matrix, indented under its name; none without --from. */
export function reachabilityLines(s: ServiceSummary, text: (value: string) => string): string[] {
  const r = s.reachability;
  if (!r) return [];
  const lines = [text(`${s.namespace}/${s.name}: from ${r.client} (${r.enforcement})`)];
  if (r.unknown) return [...lines, text(`  no verdict: ${r.unknown}`)];
  const rows = r.ports.flatMap((p) =>
    p.backends.map((b) => [text(p.port), text(`${b.pod}:${b.targetPort}`), b.verdict, text(b.reason)]),
  );
  if (rows.length > 0) {
    const table = plainTable(['PORT', 'BACKEND', 'VERDICT', 'WHY'], rows.slice(0, ROWS_SHOWN));
    lines.push(...table.split('\n').map((line) => `  ${line}`));
    if (rows.length > ROWS_SHOWN) lines.push(`  … and ${rows.length - ROWS_SHOWN} more (-o json lists them all)`);
  } else lines.push('  no ready backend to judge');
  if (r.unknownBackends) {
    lines.push(`  ${r.unknownBackends} ready endpoints whose pod is not in the input: no verdict for them`);
  }
  if (r.dns) {
    lines.push(text(`  DNS: ${r.dns.verdict} (UDP 53 ${r.dns.udp}, TCP 53 ${r.dns.tcp}): ${r.dns.reason}`));
  }
  for (const note of r.notes) lines.push(text(`  note: ${note}`));
  return lines;
}
