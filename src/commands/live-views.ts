// --watch and --interactive: the same diagnosis as the one-shot command, kept up to date by a
// watch of the cluster. On a terminal an ink view redraws it; --watch on a pipe or file prints
// one line per change instead, and --interactive refuses (there is nothing to navigate).

import type { Instance } from 'ink';
import type { Check } from '../checks/types.js';
import { EXIT, UsageError } from '../errors.js';
import { ClusterModel } from '../model/cluster.js';
import { colourWanted, palette } from '../render/colour.js';
import { renderOutput, type OutputOptions } from '../render/output.js';
import { terminalText } from '../render/terminal-text.js';
import { compareReports, describeChange, formatChange } from '../report/changes.js';
import { diagnose, type Diagnosis } from '../report/diagnosis.js';
import { connect } from '../sources/live.js';
import { ClusterWatch } from '../sources/watch.js';
import { loadScreens } from '../ui/load-screens.js';
import { effectiveNamespace, loadInput, selectServices, type Scope } from './scope.js';

export interface LiveViewFlags {
  watch?: boolean;
  interactive?: boolean;
  color: boolean;
}

/** What --watch and --interactive cannot do, refused before anything is read. */
export function refuseLiveView(flags: LiveViewFlags, scope: Scope): void {
  if (flags.watch && flags.interactive) throw new UsageError('use --watch or --interactive, not both');
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

/** --watch where stdout is not a terminal: every Service once, then one line per change. */
async function watchLines(scope: Scope, checks: Check[]): Promise<number> {
  let last: Diagnosis | undefined;
  const print = (next: Diagnosis) => {
    const at = new Date();
    const lines = compareReports(last?.report, next.report).map((c) => formatChange(c, at));
    last = next;
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
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
  return process.stdout.isTTY ? watchScreen(flags, output, scope, checks) : watchLines(scope, checks);
}
