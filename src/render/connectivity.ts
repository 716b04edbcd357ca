// --connect's answers as the text report and the tree show them: a short table per Service (each
// target of each port, its result, latency and what else it said), and one phrase per endpoint
// for the tree's endpoint lines. Every value from the cluster or from a peer (a certificate's
// names, a status line) is cluster text: the callers pass it through terminalText.

import type { ConnectTargetReport, LookupReport, PortConnectivityReport } from '../report/connect-checks.js';
import type { ServiceSummary } from '../report/report.js';
import { plainTable } from './table.js';
import { canonicalIP } from '../core/ip.js';

/** Rows of a Service's table shown; -o json lists every target. */
const ROWS_SHOWN = 20;

/** What a target said beyond its result: the TLS handshake, the status line, the error, what its pod listens on. */
function answerDetail(target: ConnectTargetReport): string {
  const parts: string[] = [];
  if (target.result !== 'open' && target.detail) parts.push(target.detail);
  const { tls, http } = target;
  if (tls?.spoke === 'tls') {
    const names = tls.certificateNames?.length ? tls.certificateNames.join(' ') : 'no DNS name';
    parts.push(`TLS, certificate for ${names}${tls.covers?.length ? '' : ' (not the Service)'}`);
  } else if (tls?.spoke === 'plain') parts.push('no TLS');
  if (http?.statusLine !== undefined) parts.push(http.statusLine);
  else if (http?.error) parts.push(`GET: ${http.error}`);
  if (target.listening)
    parts.push(`listens on ${target.listening.length > 0 ? target.listening.join(' ') : 'no TCP port'}`);
  return parts.join('; ');
}

function targetAddress(t: ConnectTargetReport): string {
  return t.address.includes(':') ? `[${t.address}]:${t.port}` : `${t.address}:${t.port}`;
}

function targetKind(t: ConnectTargetReport): string {
  if (t.kind === 'cluster-ip') return 'cluster IP';
  if (t.kind === 'node-port') return 'node port';
  return `${t.ready ? 'ready' : 'not ready'}${t.pod ? ` ${t.pod}` : ''}`;
}

/** What the lookup of a Service's name answered: "web.shop.svc.cluster.local (asked 10.96.0.10): 10.96.0.20". */
export function lookupText(dns: LookupReport): string {
  const server = dns.server === 'system' ? "this machine's resolver" : dns.server;
  const said: Record<LookupReport['result'], string> = {
    answered: dns.addresses?.length ? dns.addresses.join(' ') : 'no address',
    nxdomain: 'NXDOMAIN',
    timeout: 'no answer',
    error: 'failed',
    skipped: 'not asked',
  };
  const detail = dns.detail && dns.result !== 'answered' ? ` (${dns.detail})` : '';
  return `${dns.name} (asked ${server}): ${said[dns.result]}${detail}`;
}

/** The lines of a Service's connectivity table and its name's lookup, indented under its name; none without --connect. */
export function connectivityLines(s: ServiceSummary, text: (value: string) => string): string[] {
  const ports: readonly PortConnectivityReport[] = s.connectivity ?? [];
  const dnsLine = s.dns ? [`  DNS ${text(lookupText(s.dns))}`] : [];
  if (ports.length === 0)
    return s.dns ? [`${text(`${s.namespace}/${s.name}`)}: lookup from ${text(s.dns.vantage)}`, ...dnsLine] : [];
  const rows = ports.flatMap((p) =>
    p.targets.map((target) => [
      text(p.port),
      text(targetAddress(target)),
      text(targetKind(target)),
      target.result,
      target.latencyMs !== undefined ? `${target.latencyMs}ms` : '-',
      text(answerDetail(target)) || '-',
    ]),
  );
  const table = plainTable(['PORT', 'TARGET', 'WHAT', 'RESULT', 'TIME', 'DETAIL'], rows.slice(0, ROWS_SHOWN));
  const lines = [
    `${text(`${s.namespace}/${s.name}`)}: connections from ${text(ports[0].vantage)}`,
    ...table.split('\n').map((line) => `  ${line}`),
  ];
  if (rows.length > ROWS_SHOWN) lines.push(`  … and ${rows.length - ROWS_SHOWN} more (-o json lists them all)`);
  return [...lines, ...dnsLine];
}

/** An endpoint address's answers on every port, for its tree line: "connect 8080 refused; 9090 open 2ms". */
export function endpointAnswers(s: ServiceSummary | undefined): Map<string, string> {
  const byAddress = new Map<string, string[]>();
  for (const p of s?.connectivity ?? []) {
    for (const target of p.targets) {
      if (target.kind !== 'endpoint') continue;
      const latency = target.latencyMs !== undefined && target.result === 'open' ? ` ${target.latencyMs}ms` : '';
      const said = answerDetail(target);
      const list = byAddress.get(target.address) ?? [];
      list.push(`${target.port} ${target.result}${latency}${said ? ` (${said})` : ''}`);
      byAddress.set(target.address, list);
    }
  }
  return new Map([...byAddress].map(([address, answers]) => [canonicalIP(address), `connect ${answers.join('; ')}`]));
}
