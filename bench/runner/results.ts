// What the bench measured, per size, and the figures the report derives from it.

import type { Report } from '../../src/report/report.js';
import type { AnalysisReady, AnalysisResult, RenderedOutput } from '../analysis.js';
import type { ProfileSummary } from '../cpuprofile.js';
import type { ClusterSize } from '../generate.js';
import type { CommandId, Sample } from './commands.js';
import { exponents, median } from './stats.js';

export const SNAPSHOT_FORMATS = ['json', 'yaml'] as const;

export interface Analysis {
  ready: AnalysisReady;
  result: AnalysisResult;
}

export interface SizeResult {
  scale: number;
  size: ClusterSize;
  served: { objects: number; generateMs: number; rss: number };
  floor: { items: Record<string, number>; bytes: Record<string, number>; pages: number };
  samples: Record<CommandId, Sample[]>;
  analysis: Analysis;
  /** (a)'s report: the summary and the findings per check. */
  summary: Report['summary'];
  findingsByCheck: Record<string, number>;
  sameAsAnalysis: boolean;
  profile?: { summary: ProfileSummary; wallMs: number };
  /** (e), at the largest size only. */
  snapshots?: SnapshotResult[];
}

export interface SnapshotResult {
  format: (typeof SNAPSHOT_FORMATS)[number];
  bytes: number;
  write: Sample;
  read: Sample[];
  /** The report read back agrees with (a)'s: summary and findings per check. */
  sameAsLive: boolean;
}

export interface AnalysisOnly extends MedianAnalysis {
  scale: number;
}

/** A size measured by the analysis alone, in ANALYSIS_PROCESSES processes. */
export interface MedianAnalysis {
  size: ClusterSize;
  /** The process whose cold run is the median. */
  analysis: Analysis;
  /** Every process's cold run, in ms, sorted. */
  coldRunsMs: number[];
}

/**
 * A cold run varies by a quarter from one process to the next on this machine (JIT and GC timing),
 * so the size judged against the target is measured in this many processes, and the median kept.
 */
export const ANALYSIS_PROCESSES = 3;

export const wall = (r: SizeResult, id: CommandId) => median(r.samples[id].map((s) => s.wallMs));
export const cpu = (r: SizeResult, id: CommandId) => median(r.samples[id].map((s) => (s.userS + s.sysS) * 1000));
export const coldMs = (a: Analysis) => a.result.checksMs[0] + a.result.reportMs[0];
export const warmMs = (a: Analysis) => median(a.result.checksMs.slice(1).map((c, i) => c + a.result.reportMs[i + 1]));
export const coldCpuMs = (a: Analysis) => a.result.cpuMs[0];
export const warmCpuMs = (a: Analysis) => median(a.result.cpuMs.slice(1));
export const peakRss = (r: SizeResult, id: CommandId = 'a') => Math.max(...r.samples[id].map((s) => s.maxRssBytes));
export const renderCold = (a: Analysis, output: RenderedOutput) => a.result.render[output].ms[0];
/** A format's cold render over -o json's. */
export const renderRatio = (a: Analysis, output: RenderedOutput) => renderCold(a, output) / renderCold(a, 'json');
/** The same with the cold analysis added to both: what one CLI run does in process after reading its input. */
export const withAnalysisRatio = (a: Analysis, output: RenderedOutput) =>
  (coldMs(a) + renderCold(a, output)) / (coldMs(a) + renderCold(a, 'json'));

/** Every analysis measured, by size: one per size of the commands, and the size measured by the analysis alone. */
export interface ScaledAnalysis {
  scale: number;
  size: ClusterSize;
  analysis: Analysis;
}

export function everyAnalysis(results: SizeResult[], extra: AnalysisOnly | undefined): ScaledAnalysis[] {
  return [...results.map((r) => ({ scale: r.scale, size: r.size, analysis: r.analysis })), ...(extra ? [extra] : [])];
}

/** Growth exponents of each measure over the sizes (see exponents). */
export function growthExponents(results: SizeResult[], analyses: ScaledAnalysis[]) {
  const points = (f: (a: Analysis) => number) => analyses.map((x) => ({ pods: x.size.pods, ms: f(x.analysis) }));
  const of = (id: CommandId, f: typeof wall) => exponents(results.map((r) => ({ pods: r.size.pods, ms: f(r, id) })));
  return {
    a: of('a', wall),
    aCpu: of('a', cpu),
    b: of('b', wall),
    c: of('c', wall),
    cCpu: of('c', cpu),
    dCold: exponents(points(coldMs)),
    dWarm: exponents(points(warmMs)),
  };
}
