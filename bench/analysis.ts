// (d), the analysis alone, in a process of its own so that its first run is as cold as the
// CLI's, on the built code (dist/) the CLI runs. Forked by bench/run.ts: generates the cluster
// (same seed as the server's), slims every object as the live source does (slimObject), builds
// the ClusterModel, says 'ready', and on { cmd: 'run', runs } times runChecks (every check,
// every Service) + buildReport `runs` times, then renders the report as JSON, text and tree.
// A second argument, a JSON list of check ids, runs those checks only (bench/analysis-split.ts).

import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ClusterObject } from '../src/core/objects.js';
import type { Report } from '../src/report/report.js';
import type { KnownKind } from '../src/core/kinds.js';
import { generateCluster, type ClusterSize, type GeneratedStats } from './generate.js';

// The doctor's code as the CLI runs it: dist/, compiled by tsc (npm run bench builds it first),
// not src/ through tsx, whose transform adds work to hot closures.
const dist = async <T>(path: string): Promise<T> =>
  (await import(new URL(`../dist/${path}`, import.meta.url).href)) as T;

export interface AnalysisReady {
  type: 'ready';
  generated: GeneratedStats;
  generateMs: number;
  /** Time in slimObject for every object. */
  slimMs: number;
  /** buildModel: indexes and sorting. */
  modelMs: number;
  heapUsed: number;
}

export interface AnalysisResult {
  type: 'result';
  /** One entry per run; the first is cold (fresh JIT), like the CLI's only run. */
  checksMs: number[];
  /** CPU (user+system) of each run: unlike wall time, not inflated by other work on the machine. */
  cpuMs: number[];
  reportMs: number[];
  /** Rendering the last run's report per output format: each run's time (the first is cold, as in the CLI) and the size. */
  render: Record<RenderedOutput, { ms: number[]; bytes: number }>;
  summary: Report['summary'];
  findingsByCheck: Record<string, number>;
  /** After the runs (warm): building every Service's view, then each check over all the views. */
  viewsMs: number;
  perCheckMs: Record<string, number>;
}

export const RENDERED_OUTPUTS = ['json', 'text', 'tree'] as const;
export type RenderedOutput = (typeof RENDERED_OUTPUTS)[number];
/** Renders per format, taking turns so that no format always runs after the same one. */
const RENDER_RUNS = 3;

export function findingsByCheck(report: Pick<Report, 'findings'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of report.findings) out[f.check] = (out[f.check] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

if (process.send && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // As the CLI's main() does first.
  const { delayOptimization } = await dist<typeof import('../src/core/tiering.js')>('core/tiering.js');
  delayOptimization(process.versions.v8, process.execArgv);
  const { CHECKS: EVERY_CHECK } = await dist<typeof import('../src/checks/index.js')>('checks/index.js');
  const only = process.argv[3] === undefined ? undefined : new Set(JSON.parse(process.argv[3]) as string[]);
  const unknown = [...(only ?? [])].filter((id) => !EVERY_CHECK.some((check) => check.id === id));
  if (unknown.length > 0) throw new Error(`bench/analysis.ts: no such check: ${unknown.join(', ')}`);
  const CHECKS = only ? EVERY_CHECK.filter((check) => only.has(check.id)) : EVERY_CHECK;
  const { describeChecks } = await dist<typeof import('../src/core/findings.js')>('core/findings.js');
  const { buildModel } = await dist<typeof import('../src/model/cluster.js')>('model/cluster.js');
  const { coverageFrom } = await dist<typeof import('../src/core/coverage.js')>('core/coverage.js');
  const { viewService } = await dist<typeof import('../src/model/service-view.js')>('model/service-view.js');
  const { renderOutput } = await dist<typeof import('../src/render/output.js')>('render/output.js');
  const { palette } = await dist<typeof import('../src/render/colour.js')>('render/colour.js');
  const { buildReport } = await dist<typeof import('../src/report/report.js')>('report/report.js');
  const { judgesService, runChecks } = await dist<typeof import('../src/report/run-checks.js')>('report/run-checks.js');
  const { slimObject } = await dist<typeof import('../src/sources/slim.js')>('sources/slim.js');
  const size = JSON.parse(process.argv[2] ?? '') as ClusterSize;
  const objects: ClusterObject[] = [];
  let slimMs = 0;
  const started = performance.now();
  const generated = generateCluster(size, (o) => {
    const t = performance.now();
    objects.push(slimObject(o.kind as KnownKind, o));
    slimMs += performance.now() - t;
  });
  const generateMs = performance.now() - started - slimMs;
  const t = performance.now();
  // Every input was read, as in a live run with nothing forbidden.
  const model = buildModel(
    objects,
    coverageFrom(() => true),
  );
  const modelMs = performance.now() - t;
  (globalThis as { gc?: () => void }).gc?.();
  const ready: AnalysisReady = {
    type: 'ready',
    generated,
    generateMs,
    slimMs,
    modelMs,
    heapUsed: process.memoryUsage().heapUsed,
  };
  process.send(ready);

  process.on('message', (m: { cmd: string; runs: number }) => {
    if (m.cmd !== 'run') return;
    const checksMs: number[] = [];
    const reportMs: number[] = [];
    const cpuMs: number[] = [];
    let report: Report | undefined;
    let run: ReturnType<typeof runChecks> | undefined;
    for (let i = 0; i < m.runs; i++) {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      // As the CLI's -A run: references to Services that do not exist are judged too (in any namespace).
      run = runChecks(model, model.services, CHECKS, {});
      const t1 = performance.now();
      report = buildReport(run, []);
      checksMs.push(t1 - t0);
      reportMs.push(performance.now() - t1);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
    }
    const diagnosis = { model, run: run!, report: report!, checks: describeChecks(CHECKS) };
    const render = Object.fromEntries(
      RENDERED_OUTPUTS.map((o) => [o, { ms: [] as number[], bytes: 0 }]),
    ) as AnalysisResult['render'];
    for (let i = 0; i < RENDER_RUNS; i++) {
      for (const output of [...RENDERED_OUTPUTS.slice(i), ...RENDERED_OUTPUTS.slice(0, i)]) {
        const t = performance.now();
        const text = renderOutput(
          diagnosis,
          { output, failOn: 'error', checksChosen: CHECKS.length, ascii: false, showEndpoints: false },
          palette(false),
        );
        render[output].ms.push(performance.now() - t);
        render[output].bytes = Buffer.byteLength(text);
      }
    }
    const t3 = performance.now();
    const views = model.services.map((service) => viewService(model, service));
    const viewsMs = performance.now() - t3;
    const perCheck: [string, number][] = CHECKS.map((check) => {
      const t = performance.now();
      // As the runner does: each check only on the Services of its scope.
      // (A check run after the others is timed as if they explained nothing.)
      for (const view of views)
        if (judgesService(check, view.service)) check.run?.(view, model, { explainedEvents: new Set() });
      return [check.id, performance.now() - t];
    });
    const result: AnalysisResult = {
      type: 'result',
      checksMs,
      reportMs,
      cpuMs,
      render,
      summary: report!.summary,
      findingsByCheck: findingsByCheck(report!),
      viewsMs,
      perCheckMs: Object.fromEntries(perCheck.sort((a, b) => b[1] - a[1])),
    };
    process.send!(result, () => process.exit(0));
  });
}
