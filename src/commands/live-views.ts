// --watch and --interactive: the same diagnosis as the one-shot command, kept up to date by a
// watch of the cluster. On a terminal an ink view redraws it; --watch on a pipe or file prints
// one line per change instead, and --interactive refuses (there is nothing to navigate; see
// validateDiagnose). Both draw on the streams they are handed, as the one-shot command writes.
// --watch -o json|yaml prints a stream of documents wherever it goes: the report, then one
// ServiceChange event per change (docs/report.md).

import type { Instance } from 'ink';
import { stringify } from 'yaml';
import { EXIT } from '../core/errors.js';
import { buildModel } from '../model/cluster.js';
import { pushTo } from '../core/multimap.js';
import { palette } from '../render/colour.js';
import { renderOutput } from '../render/output.js';
import { compareReports, describeChange, formatChange, formatTime, type ServiceChange } from '../report/changes.js';
import { terminalText } from '../core/terminal-text.js';
import { diagnoseServices, type Diagnosis } from '../report/diagnosis.js';
import { REPORT_API_VERSION, type Report, type ServiceSummary } from '../report/report.js';
import { markStdinUnavailable } from '../sources/exec-credential.js';
import { connect, missingNotes } from '../sources/live.js';
import { ClusterWatch } from '../sources/watch.js';
import { loadScreens } from '../ui/load-screens.js';
import type { DiagnoseOptions } from './diagnose-options.js';
import { connectServices, type ConnectSource } from './connect.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Service } from '../core/objects.js';
import { Writable } from 'node:stream';
import { danglingReferences, effectiveNamespace, loadInput, notYetRead, selectServices } from './scope.js';
import { terminalStreams, type IOStreams, type OutputStream } from './streams.js';
import { askClipboardSupport, enterFullScreen, osc52 } from './terminal-modes.js';
import type { Finding } from '../core/findings.js';
import type { ClusterObject } from '../core/objects.js';
import { findClient, fromReads } from './from.js';

/** How often --watch and -i with --from read the client again when the namespace watched may not hold it. */
export const CLIENT_REREAD_MS = 10_000;

/** --connect's answers and notes, for one diagnosis. */
type Connected = Awaited<ReturnType<typeof connectServices>>;
/** Connects to these Services of the model (--connect under -i). */
type ConnectPass = (model: ClusterModel, services: Service[], source: ConnectSource) => Promise<Connected>;

interface Live {
  contextName: string;
  /** The diagnosis of what the first list read. */
  initial: Diagnosis;
  current(): Diagnosis;
  /** Ends the watch; no change is announced after it resolves. */
  stop(): Promise<void>;
}

/**
 * A watch of the cluster and the diagnosis of what it holds now. With --from, the client (and
 * the cluster DNS) are read besides, again before each change is announced, and found again in
 * each diagnosis: `clientGone` "fail" makes a client missing from the first one a usage error,
 * "say" (a later watch of the same view) gives it no verdict, which the view shows. With
 * `connectPass` (--connect under -i), the Services the first list shows are connected to once,
 * and every diagnosis of this watch judges those answers.
 */
async function startWatch(
  { scope, checks, from }: DiagnoseOptions,
  clientGone: 'fail' | 'say',
  onChange: () => void,
  onTrouble: (problem: string | undefined) => void,
  connectPass?: ConnectPass,
): Promise<Live> {
  const conn = await connect(scope);
  const namespace = effectiveNamespace(scope, conn);
  const extra = from && fromReads(from);
  const readClient = extra && (() => extra.read(conn, namespace));
  let clientObjects: ClusterObject[] = [];
  let stopped = false;
  // The watch's trouble and the client's read's, told as one, the watch's first: the watch's as
  // it reports it, the client's when it starts or ends.
  let watchTrouble: string | undefined;
  let clientTrouble: string | undefined;
  const watchTroubled = (problem: string | undefined) => {
    watchTrouble = problem;
    onTrouble(watchTrouble ?? clientTrouble);
  };
  const clientTroubled = (problem: string | undefined) => {
    if (problem === clientTrouble) return;
    clientTrouble = problem;
    if (watchTrouble === undefined) onTrouble(clientTrouble);
  };
  // Changes wait for the client's read, one after the other, so that each sees the latest; a
  // failed read keeps the objects of the last one.
  let reading = Promise.resolve();
  let clientRead = '';
  /** Whether the client's objects differ from the last read's. */
  const readClientAgain = async (read: () => Promise<ClusterObject[]>): Promise<boolean> => {
    try {
      clientObjects = await read();
      clientTroubled(undefined);
    } catch (e) {
      clientTroubled(`--from: could not read the client again: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    const text = JSON.stringify(clientObjects);
    const differs = text !== clientRead;
    clientRead = text;
    return differs;
  };
  /** announced: by the watch (redraw whatever the client's read finds); else a re-read of the client alone. */
  const changed = (announced = true) => {
    if (!readClient) return onChange();
    reading = reading.then(async () => {
      const differs = await readClientAgain(readClient);
      if (!stopped && (announced || differs)) onChange();
    });
  };
  const watch = new ClusterWatch(
    conn,
    { namespace, labelSelector: scope.labelSelector },
    { onChange: changed, onTrouble: watchTroubled, debug: scope.debug },
  );
  // Read before the watch starts: a change it announces finds the client's objects there.
  if (readClient) {
    clientObjects = await readClient();
    clientRead = JSON.stringify(clientObjects);
  }
  await watch.start();
  const read = () => {
    const watched = watch.objects();
    const objects = from ? [...watched, ...notYetRead(watched, clientObjects)] : watched;
    const model = buildModel(objects, watch.coverage(), watch.policyEnvironment);
    return { model, services: selectServices(model, scope, namespace) };
  };
  let connected: Connected | undefined;
  const diagnose = (whenGone: 'fail' | 'say') => {
    const { model, services } = read();
    const client =
      from &&
      findClient(
        model,
        from,
        namespace ?? conn.defaultNamespace,
        services.map((s) => s.meta.namespace),
        whenGone,
      );
    return diagnoseServices(
      model,
      services,
      checks,
      [...missingNotes(watch.missing), ...watch.policyEnvironment.notes, ...(connected?.notes ?? [])],
      danglingReferences(scope, namespace),
      connected?.input,
      client && { client, checks: from.checks },
    );
  };
  let initial: Diagnosis;
  try {
    if (connectPass) {
      const { model, services } = read();
      connected = await connectPass(model, services, {
        connection: conn,
        namespace: namespace ?? conn.defaultNamespace,
      });
    }
    initial = diagnose(clientGone);
  } catch (e) {
    await watch.stop();
    throw e;
  }
  // A namespaced run watches its namespace only: the client's own namespace and the cluster DNS
  // (kube-system) change unannounced, so they are read again every so often.
  const rereads =
    readClient && namespace !== undefined ? setInterval(() => changed(false), CLIENT_REREAD_MS) : undefined;
  return {
    contextName: conn.contextName,
    initial,
    current: () => diagnose('say'),
    stop: async () => {
      stopped = true;
      clearInterval(rereads);
      await watch.stop();
      await reading;
    },
  };
}

/** Resolves on Ctrl-C or SIGTERM (or when stdout goes away), for the modes that draw nothing. */
function untilInterrupted(out: OutputStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      out.off('error', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    out.on('error', done); // EPIPE: the reader left
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
export interface ServiceChangeEvent {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'ServiceChange';
  /** When the change was seen, RFC 3339 UTC. */
  time: string;
  change: ServiceChange['kind'];
  namespace: string;
  name: string;
  /**
   * The Service's services[] entry before the change (absent when added) and after it (absent
   * when removed); absent on a side where the Service does not exist and findings name it.
   */
  before?: ServiceSummary;
  after?: ServiceSummary;
  /** Check ids that found something after the change but not before, and the reverse. */
  checksAdded: string[];
  checksRemoved: string[];
  /** The Service's findings after the change, as in findings[] (none when removed); those naming a Service that does not exist too. */
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
  return changes.map((c): ServiceChangeEvent => ({
    apiVersion: REPORT_API_VERSION,
    kind: 'ServiceChange',
    time: formatTime(at),
    change: c.kind,
    namespace: c.namespace,
    name: c.name,
    ...(was.has(c.service) ? { before: was.get(c.service) } : {}),
    ...(now.has(c.service) ? { after: now.get(c.service) } : {}),
    checksAdded: c.findingsAdded,
    checksRemoved: c.findingsRemoved,
    findings: findings.get(c.service) ?? [],
  }));
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
async function watchPrinting(options: DiagnoseOptions, streams: IOStreams, printUpdate: PrintUpdate): Promise<number> {
  let last: Diagnosis | undefined;
  const print = (next: Diagnosis) => {
    const text = printUpdate(last?.report, next.report, new Date());
    last = next;
    if (text) streams.out.write(text);
  };
  let trouble: string | undefined;
  const live: Live = await startWatch(
    options,
    'fail',
    () => print(live.current()),
    (problem) => {
      if (problem) streams.errOut.write(`warning: ${terminalText(problem)}\n`);
      else if (trouble) streams.errOut.write('note: watching again\n');
      trouble = problem;
    },
  );
  // Listening before the first report goes out: a SIGTERM sent as soon as it is read must find the
  // handler (the reader may be scheduled before this process's next statement).
  const interrupted = untilInterrupted(streams.out);
  print(live.initial);
  await interrupted;
  await live.stop();
  return EXIT.ok;
}

/**
 * Keeps the drawn app until the user quits, redrawn when the terminal is resized. SIGINT and
 * SIGTERM from outside unmount it too (in raw mode Ctrl-C arrives as a key, which ink handles).
 * The terminal gets its own screen back on every way out.
 */
async function untilQuit(
  app: Instance,
  out: OutputStream,
  redraw: () => void,
  stop: () => Promise<void>,
  leaveFullScreen: () => void,
): Promise<number> {
  const unmount = () => app.unmount();
  process.on('SIGINT', unmount);
  process.on('SIGTERM', unmount);
  out.on('resize', redraw);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGINT', unmount);
    process.off('SIGTERM', unmount);
    out.off('resize', redraw);
    leaveFullScreen();
    await stop();
  }
  return EXIT.ok;
}

async function watchScreen(options: DiagnoseOptions, streams: IOStreams): Promise<number> {
  const { output, colour } = options;
  const { render, createElement, WatchView } = await loadScreens();
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
      rows: streams.out.rows || 24,
      colour,
    });
  const live: Live = await startWatch(
    options,
    'fail',
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
  diagnosis = live.initial;
  // The view reads the keys from here on: an exec plugin that runs again does not get them.
  markStdinUnavailable();
  const leaveFullScreen = enterFullScreen(streams.out);
  app = render(element(), { ...terminalStreams(streams), exitOnCtrlC: true, patchConsole: false });
  return untilQuit(
    app,
    streams.out,
    () => app?.rerender(element()),
    () => live.stop(),
    leaveFullScreen,
  );
}

async function interactiveScreen(options: DiagnoseOptions, streams: IOStreams): Promise<number> {
  const { scope, checks, colour, output, from } = options;
  const { render, createElement, Interactive } = await loadScreens();
  let diagnosis: Diagnosis;
  let source: string;
  let changed: ReadonlySet<string> = new Set();
  let trouble: string | undefined;
  let live: Live | undefined;
  let app: ReturnType<typeof render> | undefined;
  // Quitting while r's pass runs from a node ends it, its pod deleted, before the process ends;
  // nothing is drawn after the view is closed.
  const quitting = new AbortController();
  const redraw = () => {
    if (!quitting.signal.aborted) app?.rerender(element());
  };
  const clock = () => new Date().toTimeString().slice(0, 8);
  // A new diagnosis: the Services it changed are marked (an update that changes none keeps the
  // marks of the last one that did).
  const show = (next: Diagnosis, from: string) => {
    const services = compareReports(diagnosis.report, next.report).map((c) => c.service);
    if (services.length > 0) changed = new Set(services);
    diagnosis = next;
    source = from;
    redraw();
  };
  // The first read fails on a client it does not hold; a later one (r) shows that it is gone.
  let clientGone: 'fail' | 'say' = 'fail';
  // --connect: once when the view starts, saying on stderr what it does as the one-shot command
  // does, and again on r; once the view is drawn, what it would say on stderr joins the notes.
  let drawn = false;
  const connectPass: ConnectPass | undefined =
    options.connect &&
    (async (model, services, source) => {
      const said: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          said.push(
            ...String(chunk)
              .split('\n')
              .filter((line) => line.trim() !== ''),
          );
          callback();
        },
      });
      const run = await connectServices(
        model,
        services,
        options.connect!,
        drawn ? { ...streams, errOut: sink } : streams,
        { ...source, abort: quitting.signal },
      );
      return { ...run, notes: [...run.notes, ...said.map((line) => `--connect: ${line.replace(/^note: /, '')}`)] };
    });
  const readSnapshot = async (file: string) => {
    const input = await loadInput(scope, undefined, 'fail', from && fromReads(from));
    const connected = connectPass && (await connectPass(input.model, input.services, { namespace: input.namespace }));
    const client =
      from &&
      findClient(
        input.model,
        from,
        input.namespace,
        input.services.map((s) => s.meta.namespace),
        clientGone,
      );
    return {
      diagnosis: diagnoseServices(
        input.model,
        input.services,
        checks,
        [...input.notes, ...(connected?.notes ?? [])],
        input.dangling,
        connected?.input,
        client && { client, checks: from.checks },
      ),
      source: `snapshot ${file}, read ${clock()}`,
    };
  };
  const watchCluster = () =>
    startWatch(
      options,
      clientGone,
      () => live && show(live.current(), `live ${live.contextName}, updated ${clock()}`),
      (problem) => {
        trouble = problem;
        redraw();
      },
      connectPass,
    );
  // r: the snapshot read again, or the cluster listed again by a new watch that replaces the old one.
  let refreshing: Promise<void> | undefined;
  const refresh = () =>
    (refreshing ??= reread().finally(() => {
      refreshing = undefined;
    }));
  const reread = async () => {
    try {
      if (scope.snapshot) {
        const next = await readSnapshot(scope.snapshot);
        trouble = undefined;
        show(next.diagnosis, next.source);
      } else {
        const next = await watchCluster();
        const old = live;
        live = next;
        await old?.stop();
        trouble = undefined;
        show(next.initial, `live ${next.contextName}, listed ${clock()}`);
      }
    } catch (e) {
      trouble = `could not read again: ${e instanceof Error ? e.message : String(e)}`;
      redraw();
    }
  };
  const clipboard = await askClipboardSupport(streams.in, streams.out, process.env);
  const element = () =>
    createElement(Interactive, {
      diagnosis,
      source,
      changed,
      trouble,
      rows: streams.out.rows || 24,
      columns: streams.out.columns || 80,
      colour,
      failOn: output.failOn,
      now: new Date(),
      onRefresh: refresh,
      copy: clipboard ? (command: string) => streams.out.write(osc52(command)) : undefined,
    });
  if (scope.snapshot) {
    ({ diagnosis, source } = await readSnapshot(scope.snapshot));
  } else {
    live = await watchCluster();
    diagnosis = live.initial;
    source = `live ${live.contextName}, updated ${clock()}`;
  }
  clientGone = 'say';
  // The view reads the keys from here on: an exec plugin that runs again does not get them.
  markStdinUnavailable();
  const leaveFullScreen = enterFullScreen(streams.out);
  drawn = true;
  app = render(element(), { ...terminalStreams(streams), exitOnCtrlC: true, patchConsole: false });
  return untilQuit(
    app,
    streams.out,
    () => redraw(),
    async () => {
      // A pass under way deletes what it made first; the watch it may have started is then live's.
      quitting.abort(new Error('the view was closed'));
      await refreshing;
      await live?.stop();
    },
    leaveFullScreen,
  );
}

/** Runs --watch or --interactive (validated); exits 0 when the user quits. */
export function runLiveView(options: DiagnoseOptions, streams: IOStreams): Promise<number> {
  if (options.interactive) return interactiveScreen(options, streams);
  // Documents are for programs: streamed on a terminal too, as kubectl get -w -o json does.
  if (options.output.output === 'json') return watchPrinting(options, streams, jsonStream);
  if (options.output.output === 'yaml') return watchPrinting(options, streams, yamlStream);
  return options.terminal.stdout ? watchScreen(options, streams) : watchPrinting(options, streams, changeLines);
}
