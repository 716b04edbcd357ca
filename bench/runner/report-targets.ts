// The end of docs/benchmarks.md: each target and whether it was met, what the doctor found in the
// cluster, and the profile when one was taken.

import { formatProfile } from '../cpuprofile.js';
import type { Line, ReportInput } from './report.js';
import {
  coldCpuMs,
  coldMs,
  cpu,
  growthExponents,
  peakRss,
  renderCold,
  renderRatio,
  SNAPSHOT_FORMATS,
  wall,
  warmCpuMs,
  warmMs,
  withAnalysisRatio,
} from './results.js';
import { fmtExponent, fmtInt, fmtMB, fmtS, median } from './stats.js';

// Targets from the issue, judged at the default size (5,000 Services and 50,000 Pods) unless said.
const TARGET = {
  aOverB: 0.5,
  /** Against the floor (c), at every size, on the median of at least FLOOR_RUNS alternating runs. */
  aOverCWall: 1.05,
  aOverCCpu: 1.1,
  analysisMs: 1000,
  /** "Well under a second" for a namespace of 200 NetworkPolicies and 2,000 Pods, read as half of one. */
  denseMs: 500,
  rssMB: 500,
  growthExponent: 1.15,
  textOverJson: 1.2,
  /** Reading a snapshot back, against (a) on the same cluster: time and peak RSS. */
  snapshotReadOverA: 2,
};

const FLOOR_RUNS = 5;

const met = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');

export function targetsSections(p: Line, { options, results, extra, dense, analyses }: ReportInput): void {
  const atFull = results.find((r) => r.scale === 1);
  const growth = growthExponents(results, analyses);
  const g = fmtExponent;
  p();
  p('## Targets');
  p();
  if (!options.isDefaultSize)
    p(`This run's full size is not the default the targets name; they are judged at its 1x size.\n`);
  p('| target | measured | |');
  p('|---|---|---|');
  const aOverB = atFull && wall(atFull, 'a') / wall(atFull, 'b');
  p(
    `| a/b ≤ ${TARGET.aOverB} at the default size | ${aOverB?.toFixed(2) ?? '–'} | ${met(aOverB === undefined ? undefined : aOverB <= TARGET.aOverB)} |`,
  );
  // The floor targets hold at every size, judged on medians of enough runs to mean something.
  const floorRatios = results.map((r) => ({
    scale: r.scale,
    wall: wall(r, 'a') / wall(r, 'c'),
    cpu: cpu(r, 'a') / cpu(r, 'c'),
  }));
  const enoughRuns = options.runs >= FLOOR_RUNS;
  type FloorRatio = (typeof floorRatios)[number];
  const floorMet = (ok: (x: FloorRatio) => boolean) =>
    met(floorRatios.length === 0 || !enoughRuns ? undefined : floorRatios.every(ok));
  const perSize = (pick: (x: FloorRatio) => number) =>
    floorRatios.map((x) => `${x.scale}x ${pick(x).toFixed(2)}`).join(', ') || '–';
  const fewRuns = enoughRuns ? '' : ` (medians of ${options.runs} runs: not judged under ${FLOOR_RUNS})`;
  p(
    `| a/c ≤ ${TARGET.aOverCWall} by wall time at every size | ${perSize((x) => x.wall)}${fewRuns} | ${floorMet((x) => x.wall <= TARGET.aOverCWall)} |`,
  );
  p(
    `| a/c ≤ ${TARGET.aOverCCpu} by CPU at every size | ${perSize((x) => x.cpu)}${fewRuns} | ${floorMet((x) => x.cpu <= TARGET.aOverCCpu)} |`,
  );
  const big = analyses.find((x) => x.size.services >= 10000 && x.size.pods >= 100000);
  p(
    `| analysis (d) of 10,000 Services and 100,000 Pods < 1 s (judged cold, as the CLI runs it) | ` +
      `${big ? `cold ${coldMs(big.analysis).toFixed(0)} ms${big === extra ? ` (median of ${extra.coldRunsMs.length} processes: ${extra.coldRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms)` : ''} (CPU ${coldCpuMs(big.analysis).toFixed(0)} ms), warm ${warmMs(big.analysis).toFixed(0)} ms (CPU ${warmCpuMs(big.analysis).toFixed(0)} ms)` : '–'} | ${met(big && coldMs(big.analysis) < TARGET.analysisMs)} |`,
  );
  p(
    `| -o text within ${TARGET.textOverJson}× of -o json at 10,000 Services (analysis and rendering, cold, as one CLI run does them) | ` +
      `${big ? `${withAnalysisRatio(big.analysis, 'text').toFixed(2)} (rendering alone: text ${renderCold(big.analysis, 'text').toFixed(0)} ms, json ${renderCold(big.analysis, 'json').toFixed(0)} ms, ${renderRatio(big.analysis, 'text').toFixed(2)}×)` : '–'} | ` +
      `${met(big && withAnalysisRatio(big.analysis, 'text') <= TARGET.textOverJson)} |`,
  );
  p(
    `| -o tree renders 10,000 Services and 100,000 Pods | ` +
      `${big ? `${fmtS(renderCold(big.analysis, 'tree'))} s cold, ${(big.analysis.result.render.tree.bytes / 2 ** 20).toFixed(0)} MB` : '–'} | ${met(big ? true : undefined)} |`,
  );
  const denseObjects = dense?.analysis.ready.generated.objects;
  p(
    `| analysis (d) of one namespace of 2,000 Pods and 200 NetworkPolicies well under a second (< ${TARGET.denseMs} ms, cold) | ` +
      `${dense ? `${fmtInt(denseObjects?.Pod ?? 0)} Pods, ${fmtInt(denseObjects?.NetworkPolicy ?? 0)} NetworkPolicies, ${fmtInt((denseObjects?.Service ?? 1) - 1)} Services: cold ${coldMs(dense.analysis).toFixed(0)} ms (median of ${dense.coldRunsMs.length} processes: ${dense.coldRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms), warm ${warmMs(dense.analysis).toFixed(0)} ms` : '–'} | ` +
      `${met(dense && coldMs(dense.analysis) < TARGET.denseMs)} |`,
  );
  const rss = atFull && peakRss(atFull);
  p(
    `| peak RSS of (a) < ${TARGET.rssMB} MB at the default size | ${rss ? `${fmtMB(rss)} MB` : '–'} | ${met(rss ? rss < TARGET.rssMB * 2 ** 20 : undefined)} |`,
  );
  for (const format of SNAPSHOT_FORMATS) {
    const sn = atFull?.snapshots?.find((x) => x.format === format);
    const time = sn && median(sn.read.map((x) => x.wallMs)) / wall(atFull!, 'a');
    const memory = sn && Math.max(...sn.read.map((x) => x.maxRssBytes)) / peakRss(atFull!);
    p(
      `| a ${format.toUpperCase()} snapshot of the default size read back within ${TARGET.snapshotReadOverA}× (a)'s time and peak RSS, the same report | ` +
        `${sn ? `time ${time!.toFixed(2)}×, peak RSS ${memory!.toFixed(2)}×, ${sn.sameAsLive ? 'same report' : '**another report**'}` : '–'} | ` +
        `${met(sn && time! <= TARGET.snapshotReadOverA && memory! <= TARGET.snapshotReadOverA && sn.sameAsLive)} |`,
    );
  }
  // Judged on the slope fitted over every size, on (a)'s CPU (its wall time follows the machine's
  // load, which other work changes between sizes) and (d) warm (cold adds a JIT cost of its own).
  const slopes = [growth.aCpu.overall, growth.dWarm.overall];
  const linear = slopes.every((x) => x !== undefined) ? slopes.every((x) => x <= TARGET.growthExponent) : undefined;
  p(
    `| time linear in Pods and Services (growth exponent fitted over the sizes ≤ ${TARGET.growthExponent}: (a)'s CPU, (d) warm) | ` +
      `(a) CPU ${g(growth.aCpu.overall)} (wall ${g(growth.a.overall)}; between the two largest sizes CPU ${g(growth.aCpu.top)}), ` +
      `(d) warm ${g(growth.dWarm.overall)} (cold ${g(growth.dCold.overall)}) | ${met(linear)} |`,
  );
  p();
  const largest = results[results.length - 1];
  if (largest) {
    const sm = largest.summary;
    p('## What the doctor found');
    p();
    p(
      `At ${largest.scale}x: ${fmtInt(sm.services)} Services: ${fmtInt(sm.ok)} ok, ${fmtInt(sm.error)} with errors, ${fmtInt(sm.warning)} with warnings, ` +
        `${fmtInt(sm.info)} with notes only. (a)'s report and (d)'s ${largest.sameAsAnalysis ? 'agree' : '**differ**'} (summary, findings per check).`,
    );
    p();
    const broken = largest.analysis.ready.generated.broken;
    p(
      `Generated: ${Object.entries(broken)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )}; and, pod by pod, crash loops, failing readiness probes, image pull errors, pending and terminating pods, Nodes not ready.`,
    );
    p();
    p('| check | findings |');
    p('|---|---|');
    for (const [check, n] of Object.entries(largest.findingsByCheck)) p(`| ${check} | ${fmtInt(n)} |`);
    p();
  }
  const profiled = results.find((r) => r.profile);
  if (profiled?.profile) {
    p(`## Profile of (a) at ${profiled.scale}x`);
    p();
    p(
      `One run under \`node --cpu-prof\` (${fmtS(profiled.profile.wallMs)} s wall; profiling slows it a little), bench/cpuprofile.ts's summary:`,
    );
    p();
    p('```');
    p(formatProfile(profiled.profile.summary));
    p('```');
    p();
  }
}
