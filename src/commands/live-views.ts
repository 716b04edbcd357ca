// --watch and --interactive: the same diagnosis as the one-shot command, kept up to date by a
// watch of the cluster. On a terminal an ink view redraws it; --watch on a pipe or file prints
// one line per change instead, and --interactive refuses (there is nothing to navigate).
// --watch -o json|yaml prints a stream of documents wherever it goes: the report, then one
// ServiceChange event per change (docs/report.md).

import type { Instance } from 'ink';
import { stringify } from 'yaml';
import type { Check } from '../checks/types.js';
import { EXIT, UsageError } from '../core/errors.js';
import { ClusterModel } from '../model/cluster.js';
import { pushTo } from '../core/multimap.js';
import { colourWanted, palette } from '../render/colour.js';
import { renderOutput, type Output, type OutputOptions } from '../render/output.js';
import { compareReports, describeChange, formatChange, formatTime, type ServiceChange } from '../report/changes.js';
import { terminalText } from '../core/terminal-text.js';
import { diagnose, type Diagnosis } from '../report/diagnosis.js';
import { REPORT_API_VERSION, type Report, type ServiceSummary } from '../report/report.js';
import { connect } from '../sources/live.js';
import { ClusterWatch } from '../sources/watch.js';
import { loadScreens } from '../ui/load-screens.js';
import { effectiveNamespace, loadInput, selectServices, type Scope } from './scope.js';
import type { Finding } from '../core/findings.js';

export interface LiveViewFlags {
  watch?: boolean;
  interactive?: boolean;
  color: boolean;
}

/** The -o formats --watch keeps up to date; junit and markdown are reports of one run. */
const WATCH_OUTPUTS: readonly Output[] = ['text', 'tree', 'json', 'yaml'];
/** -i draws its own list and trees. */
const INTERACTIVE_OUTPUTS: readonly Output[] = ['text', 'tree'];

/** What --watch and --interactive cannot do, refused before anything is read. */
export function refuseLiveView(flags: LiveViewFlags, output: Output, scope: Scope): void {
  if (flags.watch && flags.interactive) throw new UsageError('use --watch or --interactive, not both');
  if (flags.watch && !WATCH_OUTPUTS.includes(output)) {
    throw new UsageError(
      `--watch prints ${WATCH_OUTPUTS.join(', ')}: -o ${output} is the report of one run (drop --watch)`,
    );
  }
  if (flags.interactive && !INTERACTIVE_OUTPUTS.includes(output)) {
    throw new UsageError(`--interactive draws its own view: -o ${output} is for a run without -i`);
  }
  if (flags.watch && scope.snapshot) {
    throw new UsageError('--watch needs a live cluster: a --snapshot never changes (use -i to browse a snapshot)');
  }
  if (flags.interactive && !(process.stdout.isTTY && process.stdin.isTTY)) {
    throw new UsageError(
      '--interactive needs a terminal (stdin and stdout are not both a TTY); use --watch for one line per change, or neither flag',
    );
  }
}

interface Live {
  watch: ClusterWatch;
  contextName: string;
  current(): Diagnosis;
}

async function startWatch(
  scope: Scope,
  checks: Check[],
  onChange: () => void,
  onTrouble: (problem: string | undefined) => void,
): Promise<Live> {
  const conn = await connect(scope);
  const namespace = effectiveNamespace(scope, conn);
  const watch = new ClusterWatch(
    conn,
    { namespace, labelSelector: scope.labelSelector },
    { onChange, onTrouble, debug: scope.debug },
  );
  await watch.start();
  return {
    watch,
    contextName: conn.contextName,
    current: () => {
      const model = new ClusterModel(watch.objects(), watch.coverage());
      return diagnose(model, selectServices(model, scope, namespace), checks, Object.values(watch.missing));
    },
  };
}

/** Resolves on Ctrl-C or SIGTERM (or when stdout goes away), for the modes that draw nothing. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    process.stdout.on('error', done); // EPIPE: the reader left
  });
}

/** What --watch prints for an update: `before` is undefined for the first one. */
type PrintUpdate = (before: Report | undefined, after: Report, at: Date) => string;

/** -o text and tree where stdout is not a terminal: every Service once, then one line per change. */
const changeLines: PrintUpdate = (before, after, at) =>
  compareReports(before, after)
    .map((c) => formatChange(c, at) + '\n')
    .join('');

/** A ServiceChange event of `--watch -o json|yaml` (docs/report.md). */
interface ServiceChangeEvent {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'ServiceChange';
  /** When the change was seen, RFC 3339 UTC. */
  time: string;
  change: ServiceChange['kind'];
  namespace: string;
  name: string;
  /** The Service's services[] entry before the change (absent when added) and after it (absent when removed). */
  before?: ServiceSummary;
  after?: ServiceSummary;
  /** Check ids that found something after the change but not before, and the reverse. */
  checksAdded: string[];
  checksRemoved: string[];
  /** The Service's findings after the change, as in findings[] (none when removed). */
  findings: Finding[];
}

const serviceKey = (namespace: string, name: string) => `${namespace}/${name}`;

function changeEvents(before: Report, after: Report, at: Date): ServiceChangeEvent[] {
  const changes = compareReports(before, after);
  if (changes.length === 0) return [];
  const summaries = (report: Report) => new Map(report.services.map((s) => [serviceKey(s.namespace, s.name), s]));
  const was = summaries(before);
  const now = summaries(after);
  const findings = new Map<string, Finding[]>();
  for (const f of after.findings) pushTo(findings, serviceKey(f.namespace, f.service), f);
  return changes.map((c) => {
    const summary = (now.get(c.service) ?? was.get(c.service))!;
    return {
      apiVersion: REPORT_API_VERSION,
      kind: 'ServiceChange',
      time: formatTime(at),
      change: c.kind,
      namespace: summary.namespace,
      name: summary.name,
      ...(was.has(c.service) ? { before: was.get(c.service) } : {}),
      ...(now.has(c.service) ? { after: now.get(c.service) } : {}),
      checksAdded: c.findingsAdded,
      checksRemoved: c.findingsRemoved,
      findings: findings.get(c.service) ?? [],
    };
  });
}

/** -o json: one document per line (NDJSON), the report first. */
const jsonStream: PrintUpdate = (before, after, at) =>
  (before ? changeEvents(before, after, at) : [after]).map((doc) => JSON.stringify(doc) + '\n').join('');

/** -o yaml: a YAML stream, each document opened by "---", the report first. */
const yamlStream: PrintUpdate = (before, after, at) =>
  (before ? changeEvents(before, after, at) : [after])
    .map((doc) => `---\n${stringify(doc, { lineWidth: 0 })}`)
    .join('');

/** --watch that prints rather than draws: the first report, then what each update changed. */
async function watchPrinting(scope: Scope, checks: Check[], printUpdate: PrintUpdate): Promise<number> {
  let last: Diagnosis | undefined;
  const print = (next: Diagnosis) => {
    const text = printUpdate(last?.report, next.report, new Date());
    last = next;
    if (text) process.stdout.write(text);
  };
  let trouble: string | undefined;
  const live: Live = await startWatch(
    scope,
    checks,
    () => print(live.current()),
    (problem) => {
      if (problem) process.stderr.write(`warning: ${terminalText(problem)}\n`);
      else if (trouble) process.stderr.write('note: watching again\n');
      trouble = problem;
    },
  );
  print(live.current());
  await untilInterrupted();
  await live.watch.stop();
  return EXIT.ok;
}

/**
 * Keeps the drawn app until the user quits, redrawn when the terminal is resized. SIGINT and
 * SIGTERM from outside unmount it too (in raw mode Ctrl-C arrives as a key, which ink handles).
 */
async function untilQuit(app: Instance, redraw: () => void, stop: () => Promise<void>): Promise<number> {
  const unmount = () => app.unmount();
  process.on('SIGINT', unmount);
  process.on('SIGTERM', unmount);
  process.stdout.on('resize', redraw);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGINT', unmount);
    process.off('SIGTERM', unmount);
    process.stdout.off('resize', redraw);
    await stop();
  }
  return EXIT.ok;
}

async function watchScreen(
  flags: LiveViewFlags,
  output: OutputOptions,
  scope: Scope,
  checks: Check[],
): Promise<number> {
  const { render, createElement, WatchView } = await loadScreens();
  const colour = colourWanted(process.stdout, !flags.color);
  const p = palette(colour);
  let diagnosis: Diagnosis;
  let updatedAt = new Date();
  let changes = { at: updatedAt, lines: [] as string[] };
  let trouble: string | undefined;
  let app: ReturnType<typeof render> | undefined;
  const element = () =>
    createElement(WatchView, {
      body: renderOutput(diagnosis, output, p),
      updatedAt,
      changes,
      trouble,
      rows: process.stdout.rows || 24,
      colour,
    });
  const live: Live = await startWatch(
    scope,
    checks,
    () => {
      const next = live.current();
      updatedAt = new Date();
      const lines = compareReports(diagnosis.report, next.report).map(describeChange);
      if (lines.length) changes = { at: updatedAt, lines };
      diagnosis = next;
      app?.rerender(element());
    },
    (problem) => {
      trouble = problem;
      app?.rerender(element());
    },
  );
  diagnosis = live.current();
  app = render(element(), { exitOnCtrlC: true, patchConsole: false });
  return untilQuit(
    app,
    () => app?.rerender(element()),
    () => live.watch.stop(),
  );
}

async function interactiveScreen(flags: LiveViewFlags, scope: Scope, checks: Check[]): Promise<number> {
  const { render, createElement, Interactive } = await loadScreens();
  const colour = colourWanted(process.stdout, !flags.color);
  let diagnosis: Diagnosis;
  let source: string;
  let changed: ReadonlySet<string> = new Set();
  let trouble: string | undefined;
  let live: Live | undefined;
  let app: ReturnType<typeof render> | undefined;
  const element = () =>
    createElement(Interactive, {
      diagnosis,
      source,
      changed,
      trouble,
      rows: process.stdout.rows || 24,
      columns: process.stdout.columns || 80,
      colour,
      now: new Date(),
    });
  const clock = () => new Date().toTimeString().slice(0, 8);
  if (scope.snapshot) {
    const input = await loadInput(scope);
    diagnosis = diagnose(input.model, input.services, checks, input.notes);
    source = `snapshot ${scope.snapshot}`;
  } else {
    live = await startWatch(
      scope,
      checks,
      () => {
        const next = live!.current();
        // An update that changes no Service keeps the marks of the last one that did.
        const services = compareReports(diagnosis.report, next.report).map((c) => c.service);
        if (services.length > 0) changed = new Set(services);
        diagnosis = next;
        source = `live ${live!.contextName}, updated ${clock()}`;
        app?.rerender(element());
      },
      (problem) => {
        trouble = problem;
        app?.rerender(element());
      },
    );
    diagnosis = live.current();
    source = `live ${live.contextName}, updated ${clock()}`;
  }
  app = render(element(), { exitOnCtrlC: true, patchConsole: false });
  return untilQuit(
    app,
    () => app?.rerender(element()),
    async () => live?.watch.stop(),
  );
}

/** Runs --watch or --interactive (refuseLiveView has passed); exits 0 when the user quits. */
export function runLiveView(
  flags: LiveViewFlags,
  output: OutputOptions,
  scope: Scope,
  checks: Check[],
): Promise<number> {
  if (flags.interactive) return interactiveScreen(flags, scope, checks);
  // Documents are for programs: streamed on a terminal too, as kubectl get -w -o json does.
  if (output.output === 'json') return watchPrinting(scope, checks, jsonStream);
  if (output.output === 'yaml') return watchPrinting(scope, checks, yamlStream);
  return process.stdout.isTTY ? watchScreen(flags, output, scope, checks) : watchPrinting(scope, checks, changeLines);
}
