// The human report: a kubectl-style summary table, then a block per Service that fails --fail-on,
// the most severe first: each finding at or above it with its message's first clause (two lines
// at most), the pods involved grouped by cause, and the fix. With --explain (-v), every finding
// whole, why each check matters (once per check), and more of the pods.

import {
  describeSkippedChecks,
  failingServices,
  severityRank,
  type Report,
  type ServiceSummary,
} from '../report/report.js';
import type { Palette } from './colour.js';
import { plainTable } from './table.js';
import { displayWidth, terminalText as t } from '../core/terminal-text.js';
import {
  describeServiceUser,
  type CheckDescriptions,
  type Finding,
  type FindingPod,
  type ServiceUser,
  type Severity,
} from '../core/findings.js';
import { BY_STATUS, type ServiceOrder } from './sort-by.js';
import type { ServicePort } from '../core/objects.js';
import { formatLabels } from '../core/selectors.js';
import { evidenceLine, newestEvidence, NO_RECENT_EVENTS } from './evidence.js';
import { connectivityLines } from './connectivity.js';
import { reachabilityLines } from './reachability.js';

/** Pods listed under a finding with --explain, and causes (with up to as many pods each) by default; -o json lists them all. */
const PODS_SHOWN = { concise: 3, explained: 10 };
const INDENT = '          ';
/** A finding's message and an event under it take at most this many lines by default; -v shows them whole. */
const CONCISE_LINES = 2;
const WIDTH = 100;
/** The indent of a wrapped line's continuation, per length of its first line's prefix ('- ', 'why: '). */
const HANGING = Array.from({ length: 8 }, (_, n) => INDENT + ' '.repeat(n));

/**
 * Word-wraps prose under the finding's indent into `lines`, each line styled (fix lines are not
 * wrapped: they hold commands to copy). Cuts at the last space that fits, a slice per line rather
 * than a string per word; a word longer than the line stays whole. `head`: the first line starts
 * with it instead of the indent and `firstPrefix` (already styled, `head.width` columns wide).
 */
function wrap(
  lines: string[],
  text: string,
  firstPrefix: string,
  style?: (line: string) => string,
  head?: { text: string; width: number },
): void {
  let prefix = head ? head.text : INDENT + firstPrefix;
  let room = WIDTH - (head ? head.width : prefix.length);
  let rest = text.trim();
  while (rest.length > room) {
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = rest.indexOf(' ', room);
    if (cut < 0) break;
    const line = prefix + rest.slice(0, cut).trimEnd();
    lines.push(style ? style(line) : line);
    rest = rest.slice(cut + 1).trimStart();
    prefix = HANGING[firstPrefix.length]!;
    room = WIDTH - prefix.length;
  }
  const line = (prefix + rest).trimEnd();
  lines.push(style ? style(line) : line);
}

/** wrap, keeping `max` lines at most: the last one kept then ends with " …" (within the width). */
function wrapAtMost(
  lines: string[],
  max: number,
  text: string,
  firstPrefix: string,
  style?: (line: string) => string,
  head?: { text: string; width: number },
): void {
  const wrapped: string[] = [];
  wrap(wrapped, text, firstPrefix, undefined, head);
  if (wrapped.length > max) {
    wrapped.length = max;
    let last = wrapped[max - 1];
    if (displayWidth(last) + 2 > WIDTH) last = last.slice(0, last.lastIndexOf(' ', WIDTH - 2));
    wrapped[max - 1] = `${last} …`;
  }
  lines.push(...(style ? wrapped.map(style) : wrapped));
}

export interface TextOptions {
  /** Why each check matters, once per check, and more pods per finding (--explain, -v). */
  explain?: boolean;
  /** The table without its head row (--no-headers). */
  noHeaders?: boolean;
  /** -o wide: the table adds each Service's cluster IP, ports and selector, as kubectl get -o wide does. */
  wide?: boolean;
  /** The table without the Services whose status is ok (--show-ok=false). */
  hideOk?: boolean;
  /** What was searched, for the line that says nothing was found: "in namespace shop". */
  searched?: string;
  /** The table's order (--sort-by); the report's (namespace/name) without. */
  sortBy?: ServiceOrder;
  /** Without --explain, only the findings at or above it are shown under the table. */
  failOn?: Severity | 'never';
  /** The moment event ages are measured from (fixed in tests); now by default. */
  now?: Date;
}

export function renderText(report: Report, checks: CheckDescriptions, p: Palette, options: TextOptions = {}): string {
  const explain = options.explain === true;
  const now = options.now ?? new Date();
  const out: string[] = [];
  if (report.services.length === 0) {
    out.push(`No Services found${options.searched ? ` ${t(options.searched)}` : ''}.`);
  } else {
    const checksByService = new Map<string, string[]>();
    for (const f of report.findings) {
      const key = `${f.namespace}/${f.service}`;
      const ids = checksByService.get(key) ?? [];
      if (!ids.includes(f.check)) ids.push(f.check);
      checksByService.set(key, ids);
    }
    const shown = options.hideOk ? report.services.filter((s) => s.status !== 'ok') : report.services;
    // A stable sort: equal keys keep the report's namespace/name order.
    const listed = options.sortBy ? [...shown].sort(options.sortBy) : shown;
    const wide = options.wide === true;
    // USED BY: how many objects of the input (Ingress paths...) name the Service. Always in -o
    // wide; in the default table only when something names one, so that a namespace without
    // Ingresses keeps its narrower table.
    const usedBy = wide || report.services.some((s) => s.usedBy);
    const rows = listed.map((s) => [
      t(s.namespace),
      t(s.name),
      t(s.type),
      ...(wide
        ? [t(clusterIPCell(s)), t(kubectlPorts(s.ports)), t(s.selector ? formatLabels(s.selector) : '<none>')]
        : []),
      s.endpoints ? `${s.endpoints.ready}/${s.endpoints.total}` : '-',
      ...(usedBy ? [String(s.usedBy?.length ?? 0)] : []),
      p.status(s.status, s.status.toUpperCase()),
      (checksByService.get(`${s.namespace}/${s.name}`) ?? []).join(', ') || '-',
    ]);
    if (rows.length > 0) {
      const head = ['NAMESPACE', 'NAME', 'TYPE', ...(wide ? ['CLUSTER-IP', 'PORT(S)', 'SELECTOR'] : [])];
      out.push(
        plainTable(
          [...head, 'ENDPOINTS', ...(usedBy ? ['USED BY'] : []), 'STATUS', 'FINDINGS'],
          rows,
          !options.noHeaders,
        ),
      );
    }
  }

  // Concise: the findings at or above --fail-on (all of them with --fail-on never), on the Services
  // they make fail; the rest are named in the table. --explain: every finding, as in full.
  const threshold = explain || options.failOn === undefined || options.failOn === 'never' ? 'info' : options.failOn;
  const shownFindings = report.findings.filter((f) => severityRank(f.severity) >= severityRank(threshold));
  const explained = new Set<string>();
  const findingsByService = new Map<string, Finding[]>();
  for (const f of shownFindings) {
    const key = `${f.namespace}/${f.service}`;
    const list = findingsByService.get(key);
    if (list) list.push(f);
    else findingsByService.set(key, [f]);
  }
  // A block per Service that fails at the threshold, as the exit code counts them: a finding at or
  // above it, or an unknown status it fails on (the block then says what was missing). The worst
  // first; a stable sort keeps namespace/name order within a status.
  const failing = failingServices(report, threshold);
  const blocks = report.services.filter((s) => failing.has(`${s.namespace}/${s.name}`)).sort(BY_STATUS);
  // Findings about objects that name a Service the input does not hold (ingress-backend-missing)
  // have no Service entry: a block each, after the Services', headed by the Service they name.
  const listedKeys = new Set(report.services.map((s) => `${s.namespace}/${s.name}`));
  const missingKeys = [...findingsByService.keys()].filter((key) => !listedKeys.has(key) && failing.has(key));
  // Concise blocks follow each other without blank lines (the flush-left Service line parts them),
  // so that a namespace's failures fit a screen; --explain's longer blocks keep them.
  const renderFindings = (key: string) => {
    for (const f of findingsByService.get(key) ?? []) {
      renderFinding(out, f, checks, p, explain && !explained.has(f.check), explain, now);
      explained.add(f.check);
    }
  };
  blocks.forEach((s, i) => {
    const key = `${s.namespace}/${s.name}`;
    if (explain || i === 0) out.push('');
    out.push(p.bold(t(key)) + p.dim(t(` (${s.type}${s.clusterIP ? ` ${s.clusterIP}` : ''})`)));
    if (s.skippedChecks) wrap(out, describeSkippedChecks(s.skippedChecks), '', p.dim);
    if (s.usedBy && explain) wrap(out, t(`used by ${describeUsers(s.usedBy)}`), '', p.dim);
    renderFindings(key);
  });
  missingKeys.forEach((key, i) => {
    if (explain || (i === 0 && blocks.length === 0)) out.push('');
    out.push(p.bold(t(key)) + p.dim(' (no such Service)'));
    renderFindings(key);
  });
  // --connect: what each Service's targets answered, a short table each, after the findings.
  const connected = report.services.filter((s) => s.connectivity ?? s.dns);
  connected.forEach((s, i) => {
    if (explain || i === 0) out.push('');
    out.push(...connectivityLines(s, t));
  });
  // --from: each Service as the client sees it, a small matrix each, after the findings.
  const reached = report.services.filter((s) => s.reachability);
  reached.forEach((s, i) => {
    if (explain || i === 0) out.push('');
    out.push(...reachabilityLines(s, t));
  });
  const below = report.findings.length - shownFindings.length;
  if (below > 0) {
    const where = new Set(report.findings.map((f) => `${f.namespace}/${f.service}`).filter((key) => !failing.has(key)))
      .size;
    out.push(
      '',
      p.dim(
        `${below} finding${below === 1 ? '' : 's'} below --fail-on ${threshold}${where > 0 ? ` (${where} more Service${where === 1 ? '' : 's'})` : ''} ` +
          `${below === 1 ? 'is' : 'are'} named in the table; -v shows every finding, with why it matters`,
      ),
    );
  }

  const { summary } = report;
  if (below === 0) out.push('');
  out.push(
    `${summary.services} Service${summary.services === 1 ? '' : 's'}: ${summary.ok} ok, ${summary.error} error, ` +
      `${summary.warning} warning, ${summary.info} info${summary.unknown ? `, ${summary.unknown} unknown` : ''}` +
      (summary.suppressed
        ? `; ${summary.suppressed} finding${summary.suppressed === 1 ? '' : 's'} suppressed by annotation`
        : '') +
      (missingKeys.length > 0
        ? `; ${missingKeys.length} Service${missingKeys.length === 1 ? '' : 's'} named but not found`
        : ''),
  );
  if (summary.unknown) out.push(p.status('unknown', unknownLine(summary.unknown)));
  for (const note of report.notes) out.push(p.dim(`note: ${t(note)}`));
  return out.join('\n') + '\n';
}

/** "Ingress shop/web rule path /api (port http), Ingress shop/admin default backend (port 80)". */
function describeUsers(users: readonly ServiceUser[]): string {
  return users.map(describeServiceUser).join(', ');
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

/** The cluster IP as kubectl prints it: None for a headless Service, <none> for an ExternalName one. */
function clusterIPCell(s: ServiceSummary): string {
  return s.clusterIP ?? (s.type.endsWith('(headless)') ? 'None' : '<none>');
}

/** Ports as kubectl get services prints them: 80/TCP, 80:30080/TCP for a node port, comma-separated. */
function kubectlPorts(ports: readonly ServicePort[]): string {
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

/**
 * A message's first clause: up to its first "; " outside parentheses. Messages say what is wrong
 * first, then the evidence; the evidence is in the pods' lines, and whole with --explain.
 */
function firstClause(message: string): string {
  let depth = 0;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0 && message[i + 1] === ' ') return message.slice(0, i);
  }
  return message;
}

/** The text without a parenthesis that closes it ("not ready (3× CrashLoopBackOff)" → "not ready"). */
function withoutTrailingParenthesis(text: string): string {
  if (!text.endsWith(')')) return text;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i > 0 ? text.slice(0, i).trimEnd() : text;
  }
  return text;
}

/** Appends the finding's lines to `lines`. */
function renderFinding(
  lines: string[],
  f: Finding,
  checks: CheckDescriptions,
  p: Palette,
  withExplanation: boolean,
  explain: boolean,
  now: Date,
): void {
  const check = checks.get(f.check);
  const severity = f.severity.toUpperCase().padEnd(7);
  const port = f.port ? `  ${t(f.port)}` : '';
  if (explain) {
    lines.push(`  ${p.status(f.severity, severity)} ${p.bold(f.check)}${port}`);
    wrap(lines, t(f.message), '');
  } else {
    // Concise: the message's first clause after the check, in two lines at most, without the
    // evidence in parentheses that the pods' lines below repeat; -v shows the message whole.
    const clause = firstClause(f.message);
    const message = t(f.pods?.length ? withoutTrailingParenthesis(clause) : clause);
    // The port once: most messages name it themselves.
    const shownPort = port && !message.includes(t(f.port!)) ? port : '';
    const head = `  ${severity} ${f.check}${shownPort}: `;
    const styled = `  ${p.status(f.severity, severity)} ${p.bold(f.check)}${shownPort}: `;
    wrapAtMost(lines, CONCISE_LINES, message, '', undefined, { text: styled, width: displayWidth(head) });
  }
  // The chain from the object that uses the Service down to the port the finding is about.
  if (f.usedBy) wrap(lines, t(`used by ${describeUsers(f.usedBy)}${f.port ? ` → Service port ${f.port}` : ''}`), '- ');
  const pods = f.pods ?? [];
  const podName = (pod: FindingPod) => `${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}`;
  let listed = 0;
  if (explain) {
    for (const pod of pods.slice(0, PODS_SHOWN.explained)) {
      wrap(lines, t(`${podName(pod)}: ${pod.cause}`), '- ');
      // Its newest Warning event, or that Events were read and it has none.
      if (pod.evidence?.[0]) wrap(lines, t(evidenceLine(pod.evidence[0], now)), '  ', p.dim);
      else if (pod.evidence) wrap(lines, NO_RECENT_EVENTS, '  ', p.dim);
    }
    listed = Math.min(pods.length, PODS_SHOWN.explained);
  } else {
    // Concise: pods with the same cause share a line (three crash-looping replicas are one line),
    // under it the newest Warning event of any of them that says more than the cause.
    const byCause = new Map<string, FindingPod[]>();
    for (const pod of pods) {
      const group = byCause.get(pod.cause);
      if (group) group.push(pod);
      else if (byCause.size < PODS_SHOWN.concise) byCause.set(pod.cause, [pod]);
    }
    for (const [cause, group] of byCause) {
      const names = group.map(podName);
      const more = names.length > PODS_SHOWN.concise ? ` (+${names.length - PODS_SHOWN.concise})` : '';
      wrap(lines, t(`${names.slice(0, PODS_SHOWN.concise).join(', ')}${more}: ${cause}`), '- ');
      // BackOff restates the waiting reason the cause gives (CrashLoopBackOff, ImagePullBackOff).
      const newest = newestEvidence(group, (e) => e.reason !== 'BackOff');
      if (newest) {
        // Two lines at most: -v shows it whole.
        const whose = group.length > 1 ? `${podName(newest.pod)}: ` : '';
        wrapAtMost(lines, CONCISE_LINES, t(`${whose}${evidenceLine(newest.evidence, now)}`), '  ', p.dim);
      }
      listed += names.length;
    }
  }
  if (pods.length > listed) lines.push(`${INDENT}… and ${pods.length - listed} more (-o json lists them all)`);
  // The Service's events the finding explains: the newest on one line, or (--explain) all it carries, whole.
  const events = f.evidence ?? [];
  if (explain) for (const e of events) wrap(lines, t(evidenceLine(e, now)), '', p.dim);
  else if (events[0]) wrapAtMost(lines, CONCISE_LINES, t(evidenceLine(events[0], now)), '', p.dim);
  if (withExplanation && check) wrap(lines, check.explanation, 'why: ', p.dim);
  lines.push(`${INDENT}fix: ${t(f.fix ?? check?.fix ?? '')}`);
}
