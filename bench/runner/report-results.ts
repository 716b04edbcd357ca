// The results part of docs/benchmarks.md: times and memory per size and command, the analysis's
// stages, rendering, growth with size, and the snapshots.

import { RENDERED_OUTPUTS } from '../analysis.js';
import type { Line, ReportInput } from './report.js';
import {
  coldCpuMs,
  coldMs,
  cpu,
  growthExponents,
  peakRss,
  renderRatio,
  wall,
  warmCpuMs,
  warmMs,
  withAnalysisRatio,
} from './results.js';
import { fmtExponents, fmtInt, fmtMB, fmtS, median } from './stats.js';

export function resultsSections(p: Line, { options, results, extra, analyses }: ReportInput): void {
  p('## Results');
  p();
  p(
    '| scale | (a) doctor | (b) kubectl get | (c) floor | (d) analysis cold / warm | a/b | a/c | a/c by CPU | peak RSS (a) | peak RSS (b) | peak RSS (c) |',
  );
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const a = wall(r, 'a');
    p(
      `| ${r.scale}x | ${fmtS(a)} s | ${fmtS(wall(r, 'b'))} s | ${fmtS(wall(r, 'c'))} s | ${coldMs(r.analysis).toFixed(0)} / ${warmMs(r.analysis).toFixed(0)} ms | ` +
        `${(a / wall(r, 'b')).toFixed(2)} | ${(a / wall(r, 'c')).toFixed(2)} | ${(cpu(r, 'a') / cpu(r, 'c')).toFixed(2)} | ${fmtMB(peakRss(r))} MB | ` +
        `${fmtMB(peakRss(r, 'b'))} MB | ${fmtMB(peakRss(r, 'c'))} MB |`,
    );
  }
  if (extra)
    p(
      `| ${extra.scale}x | | | | ${coldMs(extra.analysis).toFixed(0)} / ${warmMs(extra.analysis).toFixed(0)} ms | | | | | | |`,
    );
  p();
  p("Per command (medians): the command's own CPU, and the server's, a separate process on the same cores.");
  p();
  p('| scale | command | wall | CPU (user+sys) | server CPU | of which list snapshots | requests | load average |');
  p('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const id of ['a', 'b', 'c'] as const) {
      const s = r.samples[id];
      p(
        `| ${r.scale}x | (${id}) | ${fmtS(wall(r, id))} s | ${fmtS(cpu(r, id))} s | ${fmtS(median(s.map((x) => x.serverCpuMs)))} s | ` +
          `${fmtS(median(s.map((x) => x.serverListMs)))} s | ${median(s.map((x) => x.requests))} | ${median(s.map((x) => x.load)).toFixed(1)} |`,
      );
    }
  }
  p();
  p("The doctor's in-process stages, measured in the analysis process:");
  p();
  p(
    '| scale | slim every object | build the model | runChecks cold / warm | buildReport cold / warm | analysis CPU cold / warm |',
  );
  p('|---|---|---|---|---|---|');
  for (const { scale, analysis: a } of analyses) {
    const { checksMs, reportMs } = a.result;
    p(
      `| ${scale}x | ${a.ready.slimMs.toFixed(0)} ms | ${a.ready.modelMs.toFixed(0)} ms | ${checksMs[0].toFixed(0)} / ${median(checksMs.slice(1)).toFixed(0)} ms | ` +
        `${reportMs[0].toFixed(0)} / ${median(reportMs.slice(1)).toFixed(0)} ms | ${coldCpuMs(a).toFixed(0)} / ${warmCpuMs(a).toFixed(0)} ms |`,
    );
  }
  p();
  p(
    'Rendering the report, in the same process after the analysis: each format three times, taking turns; *cold* is the ' +
      'first (the CLI renders once), *warm* the median of the other two. The ratio is to `-o json` cold; *with the ' +
      'analysis* adds the cold runChecks and buildReport to both, the in-process work of one CLI run after its input is read.',
  );
  p();
  p('| scale | output | cold | warm | size | per 1,000 Pods (cold) | ratio to json | with the analysis |');
  p('|---|---|---|---|---|---|---|---|');
  for (const { scale, size, analysis: a } of analyses) {
    for (const output of RENDERED_OUTPUTS) {
      const { ms, bytes } = a.result.render[output];
      p(
        `| ${scale}x | ${output} | ${ms[0].toFixed(0)} ms | ${median(ms.slice(1)).toFixed(0)} ms | ${(bytes / 2 ** 20).toFixed(1)} MB | ` +
          `${(ms[0] / (size.pods / 1000)).toFixed(2)} ms | ${renderRatio(a, output).toFixed(2)} | ${withAnalysisRatio(a, output).toFixed(2)} |`,
      );
    }
  }
  p();
  p(
    'Slimming and model times are measured while the server process generates its own copy of the cluster, so they share the CPU.',
  );
  const deepest = analyses[analyses.length - 1];
  if (deepest) {
    const r = deepest.analysis.result;
    const total = r.viewsMs + Object.values(r.perCheckMs).reduce((a, b) => a + b, 0);
    p();
    p(
      `Where (d)'s time goes at ${deepest.scale}x (${fmtInt(deepest.size.services)} Services, ${fmtInt(deepest.size.pods)} Pods), warm, after the timed runs: ` +
        `each Service's view (model/service-view.ts: matching pods, their endpoint state, merged slices) built once, then each check over every view:`,
    );
    p();
    p('| step | time | share |');
    p('|---|---|---|');
    p(
      `| viewService × ${fmtInt(deepest.size.services)} | ${r.viewsMs.toFixed(0)} ms | ${((100 * r.viewsMs) / total).toFixed(0)}% |`,
    );
    for (const [id, ms] of Object.entries(r.perCheckMs))
      p(`| ${id} | ${ms.toFixed(0)} ms | ${((100 * ms) / total).toFixed(0)}% |`);
  }
  p();
  p('## Growth');
  p();
  p(
    'Time per 1,000 Pods at each size, and the growth exponent: the slope of log(time) over log(size). 1 is linear; below 1,',
  );
  p(
    'fixed start-up costs still weigh. CPU time (user+sys) is the steadier measure when other work shares the machine and the',
  );
  p('load differs between sizes (see the load average column above).');
  p();
  p('| scale | (a) wall | (a) CPU | (b) wall | (c) wall | (c) CPU | (d) cold | (d) warm |');
  p('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const k = r.size.pods / 1000;
    p(
      `| ${r.scale}x | ${(wall(r, 'a') / k).toFixed(0)} ms | ${(cpu(r, 'a') / k).toFixed(0)} ms | ${(wall(r, 'b') / k).toFixed(0)} ms | ` +
        `${(wall(r, 'c') / k).toFixed(0)} ms | ${(cpu(r, 'c') / k).toFixed(0)} ms | ${(coldMs(r.analysis) / k).toFixed(1)} ms | ${(warmMs(r.analysis) / k).toFixed(1)} ms |`,
    );
  }
  if (extra) {
    const k = extra.size.pods / 1000;
    p(
      `| ${extra.scale}x | | | | | | ${(coldMs(extra.analysis) / k).toFixed(1)} ms | ${(warmMs(extra.analysis) / k).toFixed(1)} ms |`,
    );
  }
  const growth = growthExponents(results, analyses);
  const gg = fmtExponents;
  p();
  p('Growth exponents, fitted over every size (least squares on log-log) / between the two largest sizes:');
  p();
  p(
    `(a) wall ${gg(growth.a)}, CPU ${gg(growth.aCpu)}; (b) wall ${gg(growth.b)}; (c) wall ${gg(growth.c)}, CPU ${gg(growth.cCpu)}; ` +
      `(d) cold ${gg(growth.dCold)}, warm ${gg(growth.dWarm)}.`,
  );
  const withSnapshots = results.find((r) => r.snapshots);
  if (withSnapshots) {
    const a = wall(withSnapshots, 'a');
    const rssA = peakRss(withSnapshots);
    p();
    p(`## Snapshots`);
    p();
    p(
      `At ${withSnapshots.scale}x: \`snapshot -A\` written, then read back with \`--snapshot FILE -A -o json\`, against (a) on the same cluster ` +
        `(${fmtS(a)} s, peak RSS ${fmtMB(rssA)} MB). Read times are medians of ${options.runs} runs, peak RSS the largest.`,
    );
    p();
    p(
      '| format | file | write | write peak RSS | read back | read / (a) | read peak RSS | RSS / (a) | same report as (a) |',
    );
    p('|---|---|---|---|---|---|---|---|---|');
    for (const sn of withSnapshots.snapshots!) {
      const read = median(sn.read.map((x) => x.wallMs));
      const rss = Math.max(...sn.read.map((x) => x.maxRssBytes));
      p(
        `| ${sn.format.toUpperCase()} | ${fmtMB(sn.bytes)} MB | ${fmtS(sn.write.wallMs)} s | ${fmtMB(sn.write.maxRssBytes)} MB | ${fmtS(read)} s | ` +
          `${(read / a).toFixed(2)} | ${fmtMB(rss)} MB | ${(rss / rssA).toFixed(2)} | ${sn.sameAsLive ? 'yes' : '**no**'} |`,
      );
    }
  }
}
