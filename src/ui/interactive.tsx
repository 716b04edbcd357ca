// --interactive: the Services as a list to move through (arrows or j/k), each expandable into
// its tree (enter), searched (/) or filtered (&) by name or to the failing ones (f), with a
// details pane that shows the selected Service's findings, why they matter and how to fix them
// (from the check modules), and with --from the Service as that client sees it (each ready
// backend's verdict and why); y copies a fix command, r reads the input again. A Service that
// objects name but that does not exist has a row too, its findings and the objects naming it in
// its details. The data comes in as props: static for a snapshot, re-rendered when a watch sees a
// change or r reads it again. Only layout lives here; rows and trees come from the report and the
// renderers.

import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useRef, useState } from 'react';
import { palette } from '../render/colour.js';
import { terminalText as t } from '../core/terminal-text.js';
import { evidenceLine, NO_RECENT_EVENTS } from '../render/evidence.js';
import { matrixRows, reachabilityFooter, reachabilityHead, ROWS_SHOWN } from '../render/reachability.js';
import { renderTree } from '../render/tree.js';
import { endpointAnswers, lookupText } from '../render/connectivity.js';
import { parseSortBy } from '../render/sort-by.js';
import { fitLines, maxOffset } from './fit-lines.js';
import { fixCommands } from './fix-commands.js';
import { eachKey } from './each-key.js';
import type { Diagnosis } from '../report/diagnosis.js';
import { describeSkippedChecks, failingServices, type ServiceSummary } from '../report/report.js';
import { usersOf } from '../report/run-checks.js';
import type { ClusterModel } from '../model/cluster.js';
import { pushTo } from '../core/multimap.js';
import {
  describeServiceUser,
  SEVERITIES,
  type CheckDescriptions,
  type Finding,
  type ServiceStatus,
  type Severity,
} from '../core/findings.js';

export interface InteractiveProps {
  diagnosis: Diagnosis;
  /** Where the data comes from and how fresh it is, e.g. "snapshot shop.yaml" or "live, updated 10:42:07". */
  source: string;
  /** Services ("namespace/name") that changed in the latest live update: marked with *. */
  changed?: ReadonlySet<string>;
  trouble?: string;
  rows: number;
  columns: number;
  /** Colours by status (NO_COLOR and --no-color turn them off). */
  colour: boolean;
  /** What failing means, in the header and for f: at or above --fail-on, as for the exit code. */
  failOn: Severity | 'never';
  /** The moment tree ages are measured from. */
  now: Date;
  /** r: reads the snapshot or the cluster again; the new diagnosis comes in as props before it resolves. */
  onRefresh?: () => Promise<void>;
  /** y: puts a fix command on the clipboard, or undefined when the terminal did not say it can. */
  copy?: (command: string) => void;
}

/** The keys, one per line, each under 80 columns. */
export const HELP_LINES = [
  'up/down or k/j  move',
  'PgUp/PgDn       move a page; Home/End or g/G: the first or last Service',
  'K/J             scroll the details pane (Ctrl-U/Ctrl-D: half a pane)',
  'enter or t      expand or collapse the Service (its tree)',
  'e               show or hide why each finding matters',
  's               sort by name, status (worst first), ready endpoints',
  '/               search names: jumps to a match (n/N: next, previous match)',
  '&               filter by name (enter keeps it, esc clears it)',
  'f               only failing Services, at or above --fail-on (again: all)',
  'y               copy a fix command of the Service (again: the next one)',
  'r               read the snapshot or the cluster again',
  '?               this help (any key closes it)',
  'q or Ctrl-C     quit',
];

/** What r says until the input has been read again. */
const READING = 'reading again…';

/** What s cycles through: the report's namespace/name order, then these. */
const SORTS = [
  { label: 'name', order: undefined },
  { label: 'status', order: parseSortBy('.status') },
  { label: 'ready endpoints', order: parseSortBy('.endpoints.ready') },
] as const;

const STATUS_COLOURS: Record<ServiceStatus, string> = {
  ok: 'green',
  error: 'red',
  warning: 'yellow',
  info: 'cyan',
  unknown: 'magenta',
};

const keyOf = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/** What a Service's row says in place of its type when the input does not hold it. */
const NO_SUCH_SERVICE = 'no such Service';

/**
 * Rows for the Services that findings name but the input does not hold (an Ingress backend, a
 * StatefulSet's serviceName naming one that does not exist), after the others as the text output
 * lists them: its status is its worst finding's, its users are the objects that name it.
 */
function missingServices(
  report: { services: readonly ServiceSummary[] },
  findingsOf: ReadonlyMap<string, Finding[]>,
  model: ClusterModel,
): ServiceSummary[] {
  const listed = new Set(report.services.map(keyOf));
  const rows: ServiceSummary[] = [];
  for (const [key, findings] of findingsOf) {
    if (listed.has(key)) continue;
    const { namespace, service: name } = findings[0];
    const usedBy = usersOf(model, namespace, name);
    rows.push({
      namespace,
      name,
      type: NO_SUCH_SERVICE,
      ports: [],
      endpoints: null,
      status: SEVERITIES.find((severity) => findings.some((f) => f.severity === severity))!,
      findings: findings.length,
      suppressed: 0,
      ...(usedBy.length > 0 ? { usedBy } : {}),
    });
  }
  return rows;
}

/** Word-wraps prose to the pane's width into `lines`, every line after the first under `indent`, each after `margin`. */
function wrap(lines: string[], text: string, width: number, indent = '', margin = ''): void {
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(margin + line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(margin + line);
}

/**
 * --from in the details pane: the matrix of the Service's ready backends, each row's verdict on
 * one line and why wrapped under it (the pane is too narrow for the text report's table).
 */
function reachabilityDetail(lines: string[], summary: ServiceSummary, width: number): void {
  const r = summary.reachability;
  if (!r) return;
  wrap(lines, t(reachabilityHead(r)), width, '  ');
  if (r.unknown) return wrap(lines, t(`no verdict: ${r.unknown}`), width, '    ', '  ');
  const rows = matrixRows(r);
  if (rows.length === 0) lines.push('  no ready backend to judge');
  for (const [port, backend, verdict, why] of rows.slice(0, ROWS_SHOWN)) {
    lines.push(t(`  ${verdict.toUpperCase()} ${port} ${backend}`));
    wrap(lines, t(why), width, '', '    ');
  }
  if (rows.length > ROWS_SHOWN) lines.push(`  … and ${rows.length - ROWS_SHOWN} more (-o json lists them all)`);
  for (const line of reachabilityFooter(r)) wrap(lines, t(line), width, '    ', '  ');
}

/**
 * --connect in the details pane: each endpoint's answers as its tree line shows them, then the
 * lookup of the Service's name, then the run's --connect notes (what could not be judged).
 */
function connectivityDetail(lines: string[], summary: ServiceSummary, width: number, notes: string[]): void {
  const vantage = summary.connectivity?.[0]?.vantage ?? summary.dns?.vantage;
  if (vantage === undefined) return;
  lines.push(t(`connections from ${vantage}:`));
  for (const [address, answers] of endpointAnswers(summary))
    wrap(lines, t(`${address} ${answers}`), width, '  ', '    ');
  if (summary.dns) wrap(lines, t(`DNS ${lookupText(summary.dns)}`), width, '  ', '    ');
  for (const note of notes.filter((n) => n.startsWith('--connect')))
    wrap(lines, t(`note: ${note}`), width, '  ', '    ');
}

/** The details pane: each finding of the Service with its pods, why it matters and the fix; then --connect's answers and --from's view. */
function detailLines(
  summary: ServiceSummary | undefined,
  findings: Finding[],
  checks: CheckDescriptions,
  width: number,
  explain: boolean,
  now: Date,
  notes: string[],
): string[] {
  if (!summary) return ['No Service matches.'];
  const head = t(`${keyOf(summary)} (${summary.type}${summary.clusterIP ? ` ${summary.clusterIP}` : ''})`);
  const lines = [head];
  if (summary.skippedChecks)
    wrap(
      lines,
      `${summary.status === 'unknown' ? 'UNKNOWN: ' : ''}${describeSkippedChecks(summary.skippedChecks)}`,
      width,
      '  ',
    );
  // The objects that refer to the Service: an Ingress path fails when the Service does.
  for (const u of summary.usedBy ?? []) wrap(lines, t(`used by ${describeServiceUser(u)}`), width, '  ');
  if (findings.length === 0) lines.push('No findings.');
  for (const f of findings) {
    const check = checks.get(f.check);
    lines.push(`${f.severity.toUpperCase()} ${f.check}${f.port ? `  ${t(f.port)}` : ''}`);
    wrap(lines, t(f.message), width, '  ', '  ');
    if (f.subject)
      wrap(
        lines,
        t(`about ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`),
        width,
        '  ',
      );
    for (const pod of (f.pods ?? []).slice(0, 5)) {
      wrap(lines, t(`- ${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}: ${pod.cause}`), width, '    ');
      // Its newest Warning event, or that Events were read and it has none.
      if (pod.evidence?.[0]) wrap(lines, t(evidenceLine(pod.evidence[0], now)), width, '    ', '    ');
      else if (pod.evidence) lines.push(`    ${NO_RECENT_EVENTS}`);
    }
    if ((f.pods ?? []).length > 5) lines.push(`  … and ${f.pods!.length - 5} more pods`);
    for (const e of f.evidence ?? []) wrap(lines, t(evidenceLine(e, now)), width, '    ', '  ');
    if (check && explain) wrap(lines, `why: ${check.explanation}`, width, '     ', '  ');
    wrap(lines, t(`fix: ${f.fix ?? check?.fix ?? ''}`), width, '     ', '  ');
  }
  connectivityDetail(lines, summary, width, notes);
  reachabilityDetail(lines, summary, width);
  return lines;
}

export function Interactive({
  diagnosis,
  source,
  changed,
  trouble,
  rows,
  columns,
  colour,
  failOn,
  now,
  onRefresh,
  copy,
}: InteractiveProps) {
  const { exit } = useApp();
  const { report, run, model } = diagnosis;
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [editingFilter, setEditingFilter] = useState(false);
  const [failingOnly, setFailingOnly] = useState(false);
  const [help, setHelp] = useState(false);
  const [explain, setExplain] = useState(false);
  const [sort, setSort] = useState(0);
  const [detailOffset, setDetailOffset] = useState(0);
  const [search, setSearch] = useState('');
  const [editingSearch, setEditingSearch] = useState(false);
  // One line that answers the last key (what y copied, that r is reading); the next key clears it.
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const copied = useRef(0);

  const failingKeys = failingServices(report, failOn);
  const findingsOf = new Map<string, Finding[]>();
  for (const f of report.findings) pushTo(findingsOf, `${f.namespace}/${f.service}`, f);
  const missing = missingServices(report, findingsOf, model);
  const listed = missing.length > 0 ? [...report.services, ...missing] : report.services;
  const filtered = listed.filter(
    (s) => (!failingOnly || failingKeys.has(keyOf(s))) && (filter === '' || keyOf(s).includes(filter)),
  );
  const order = SORTS[sort].order;
  const visible = order ? [...filtered].sort(order) : filtered;
  // The selection follows the Service, not the row, as the list changes under it.
  const found = visible.findIndex((s) => keyOf(s) === selectedKey);
  const index = found >= 0 ? found : 0;
  const selected = visible[index];

  // Keys can arrive before the handler of the latest render is bound: it reads this render's list.
  // The list's page, as the last render laid it out (PgUp/PgDn move by it).
  const page = useRef(10);
  // How far the details pane can scroll, as the last render laid it out.
  const detailMax = useRef(0);
  const latest = useRef({ visible, selected, help, editingFilter, editingSearch, search });
  latest.current = { visible, selected, help, editingFilter, editingSearch, search };
  const matches = (s: ServiceSummary, text: string) => text !== '' && t(keyOf(s)).includes(text);

  // What decides how the next key reads is set here at once as well as in the state: the keys of
  // one read are handled before the next render.
  const typing = {
    search: (on: boolean, text: string) => {
      Object.assign(latest.current, { editingSearch: on, search: text });
      setEditingSearch(on);
      setSearch(text);
    },
    filter: (on: boolean) => {
      latest.current.editingFilter = on;
      setEditingFilter(on);
    },
  };

  const onKey = (input: string, key: Key) => {
    const { visible, selected, help, editingFilter, editingSearch, search } = latest.current;
    if (help) {
      latest.current.help = false;
      return setHelp(false);
    }
    setNotice(undefined);
    // The next Service whose name holds `text`, after the selection (`step` 1) or before it (-1), around the end.
    const jump = (text: string, step: 1 | -1, fromSelected = true) => {
      const at = Math.max(
        0,
        visible.findIndex((s) => s === selected),
      );
      for (let i = fromSelected ? 0 : 1; i <= visible.length; i++) {
        const s = visible[(((at + step * i) % visible.length) + visible.length) % visible.length];
        if (s && matches(s, text)) {
          setDetailOffset(0);
          copied.current = 0;
          return setSelectedKey(keyOf(s));
        }
      }
      if (text) setNotice(`no Service name holds "${t(text)}"`);
    };
    if (editingSearch) {
      if (key.return) typing.search(false, search);
      else if (key.escape) typing.search(false, '');
      else if (key.backspace || key.delete) typing.search(true, search.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) {
        typing.search(true, search + input);
        jump(search + input, 1);
      }
      return;
    }
    if (editingFilter) {
      if (key.return) typing.filter(false);
      else if (key.escape) {
        setFilter('');
        typing.filter(false);
      } else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setFilter((f) => f + input);
      return;
    }
    const move = (by: number) => {
      setDetailOffset(0);
      copied.current = 0;
      setSelectedKey((current) => {
        const at = visible.findIndex((s) => keyOf(s) === current);
        const next = visible[Math.min(visible.length - 1, Math.max(0, (at >= 0 ? at : 0) + by))];
        return next ? keyOf(next) : current;
      });
    };
    const scrollDetails = (by: number) => setDetailOffset((at) => Math.max(0, Math.min(detailMax.current, at + by)));
    if (input === 'q') exit();
    else if (key.downArrow || input === 'j') move(1);
    else if (key.upArrow || input === 'k') move(-1);
    else if (key.pageDown) move(page.current);
    else if (key.pageUp) move(-page.current);
    else if (key.home || input === 'g') move(-visible.length);
    else if (key.end || input === 'G') move(visible.length);
    else if (input === 'J') scrollDetails(1);
    else if (input === 'K') scrollDetails(-1);
    else if (key.ctrl && input === 'd') scrollDetails(Math.max(1, Math.floor(page.current / 2)));
    else if (key.ctrl && input === 'u') scrollDetails(-Math.max(1, Math.floor(page.current / 2)));
    else if (input === 'e') setExplain((on) => !on);
    else if (input === 's') setSort((at) => (at + 1) % SORTS.length);
    else if ((key.return || input === 't') && selected) {
      const k = keyOf(selected);
      setSelectedKey(k);
      setExpanded((open) => {
        const next = new Set(open);
        if (!next.delete(k)) next.add(k);
        return next;
      });
    } else if (input === '/') typing.search(true, '');
    else if (input === 'n' && search) jump(search, 1, false);
    else if (input === 'N' && search) jump(search, -1, false);
    else if (input === '&') typing.filter(true);
    else if (input === 'f') setFailingOnly((on) => !on);
    else if (input === 'y' && selected) setNotice(copyFix(selected));
    else if (input === 'r' && onRefresh) {
      setNotice(READING);
      void onRefresh().then(() => setNotice((notice) => (notice === READING ? undefined : notice)));
    } else if (input === '?') {
      latest.current.help = true;
      setHelp(true);
    } else if (key.escape) {
      setFilter('');
      typing.search(false, '');
    }
  };

  useInput(eachKey(onKey));

  /** y: the selected Service's fix commands in turn; says what was copied, or why nothing was. */
  function copyFix(service: ServiceSummary): string {
    const commands = (findingsOf.get(keyOf(service)) ?? []).flatMap((f) =>
      fixCommands(f.fix ?? diagnosis.checks.get(f.check)?.fix ?? ''),
    );
    if (commands.length === 0) return 'no fix of this Service is a command to copy';
    const at = copied.current++ % commands.length;
    const which = commands.length > 1 ? ` (${at + 1} of ${commands.length})` : '';
    if (!copy)
      return `the terminal did not say it takes clipboard writes (OSC 52); the command${which}: ${commands[at]}`;
    copy(commands[at]);
    return `copied${which}: ${commands[at]}`;
  }

  // Services that do not exist have rows (after the others) but are no Services: the title counts those that fail apart.
  const failing = report.services.filter((s) => failingKeys.has(keyOf(s))).length;
  const notFound = failingKeys.size - failing;
  const notFoundText = notFound > 0 ? `, ${notFound} not found` : '';
  const sorted = sort > 0 ? ` · by ${SORTS[sort].label}` : '';
  // The keys before the source, which can be a long path: a narrow terminal cuts the end.
  const title = `endpoints-doctor · ${report.services.length} Services, ${failing} failing${notFoundText}${sorted} · ? help · q quit · ${t(source)}`;
  const matching = search ? visible.filter((s) => matches(s, search)).length : 0;
  const filterLine =
    [
      editingSearch || search ? `search: /${t(search)}${editingSearch ? '_' : ''} (${matching} found)` : '',
      editingFilter || filter ? `filter: &${t(filter)}${editingFilter ? '_' : ''}` : '',
      failingOnly ? '[failing only]' : '',
    ]
      .filter(Boolean)
      .join('  ') || undefined;

  if (help) {
    return (
      <Box flexDirection="column">
        <Text bold>{title}</Text>
        <Text> </Text>
        {HELP_LINES.map((line) => (
          <Text key={line}>{line}</Text>
        ))}
      </Box>
    );
  }

  // The list: one row per Service, its tree under it when expanded, scrolled to keep the selection in view.
  const viewIndex = new Map(report.services.map((s, i) => [keyOf(s), i]));
  // A loop, not Math.max(...visible): a large cluster has more Services than a call takes arguments.
  let nameWidth = 7;
  for (const s of visible) nameWidth = Math.max(nameWidth, t(keyOf(s)).length);
  /** `mark`: where the search text is in `text`, [start, end). */
  type Row = { text: string; status?: ServiceStatus; selected: boolean; mark?: [number, number] };
  const listRows: Row[] = [];
  let selectedRow = 0;
  visible.forEach((s, i) => {
    const k = keyOf(s);
    if (i === index) selectedRow = listRows.length;
    const checks = [...new Set((findingsOf.get(k) ?? []).map((f) => f.check))].join(', ') || '-';
    const endpoints = s.endpoints
      ? `${s.endpoints.ready}/${s.endpoints.total}`
      : s.type === NO_SUCH_SERVICE
        ? 'not found'
        : '-';
    const opened = expanded.has(k) ? '▾' : '▸';
    const head = `${i === index ? '›' : ' '}${opened}${changed?.has(k) ? '*' : ' '}${s.status.toUpperCase().padEnd(7)} `;
    const name = t(k);
    const found = search ? name.indexOf(search) : -1;
    // A match is underlined; without colour (which drops underlines too) it is bracketed.
    const bracketed = !colour && search !== '';
    const nameCell =
      found >= 0 && bracketed ? `${name.slice(0, found)}[${search}]${name.slice(found + search.length)}` : name;
    listRows.push({
      // The selected row is also shown in reverse video, which NO_COLOR and dumb terminals drop: › marks it too.
      text: `${head}${nameCell.padEnd(nameWidth + (bracketed ? 2 : 0))}  ${endpoints.padEnd(9)} ${checks}`,
      status: s.status,
      selected: i === index,
      mark: found >= 0 && !bracketed ? [head.length + found, head.length + found + search.length] : undefined,
    });
    // A Service the input does not hold has no tree: its details pane says what names it.
    const v = viewIndex.get(k);
    if (expanded.has(k) && v !== undefined) {
      const subReport = { ...report, services: [s], findings: findingsOf.get(k) ?? [] };
      const tree = renderTree([run.services[v].service], model, subReport, palette(colour), {
        ascii: false,
        showEndpoints: false,
        now,
      });
      for (const line of tree.replace(/\n$/, '').split('\n').slice(1))
        listRows.push({ text: `    ${line}`, selected: false });
    }
  });
  const fixed = 5 + (filterLine ? 1 : 0) + (trouble ? 1 : 0) + (notice ? 1 : 0);
  const listRoom = Math.max(3, Math.floor((rows - fixed) / 2));
  const start = Math.max(0, Math.min(selectedRow - Math.floor(listRoom / 2), listRows.length - listRoom));
  const shownRows = listRows.slice(start, start + listRoom);
  page.current = Math.max(1, listRoom - 1);
  const allDetails = detailLines(
    selected,
    selected ? (findingsOf.get(keyOf(selected)) ?? []) : [],
    diagnosis.checks,
    Math.max(20, columns - 4),
    explain,
    now,
    report.notes,
  );
  const detailRoom = Math.max(3, rows - fixed - listRoom);
  detailMax.current = maxOffset(allDetails.length, detailRoom);
  const details = fitLines(allDetails, detailRoom, detailOffset, { up: 'K', down: 'J' });

  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {trouble ? (
        <Text color={colour ? 'yellow' : undefined} wrap="truncate-end">
          {t(trouble)}
        </Text>
      ) : null}
      {filterLine ? (
        <Text color={colour ? 'cyan' : undefined} wrap="truncate-end">
          {filterLine}
        </Text>
      ) : null}
      {notice ? <Text wrap="truncate-end">{notice}</Text> : null}
      <Text dimColor wrap="truncate-end">
        {`   ${'STATUS'.padEnd(7)} ${'SERVICE'.padEnd(nameWidth)}  ENDPOINTS FINDINGS`}
      </Text>
      {visible.length === 0 ? <Text dimColor>No Service matches.</Text> : null}
      {shownRows.map((row, i) => (
        <Text
          key={`r${start + i}`}
          wrap="truncate-end"
          inverse={row.selected}
          color={colour && row.status && row.status !== 'ok' ? STATUS_COLOURS[row.status] : undefined}
        >
          {row.mark ? (
            <>
              {row.text.slice(0, row.mark[0])}
              <Text underline bold>
                {row.text.slice(row.mark[0], row.mark[1])}
              </Text>
              {row.text.slice(row.mark[1])}
            </>
          ) : (
            row.text
          )}
        </Text>
      ))}
      <Text dimColor>{'─'.repeat(Math.max(10, Math.min(columns, 100)))}</Text>
      {details.map((line, i) => (
        <Text key={`d${i}`} wrap="truncate-end" bold={i === 0}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
