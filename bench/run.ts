// npm run bench [-- --services 5000 --pods 50000 --namespaces 200 --nodes 500 --runs 3 ...]
//
// Generates a synthetic cluster (bench/generate.ts) at several sizes, serves it from the test
// API server in a separate process (bench/server.ts), and measures, alternating the commands:
//   (a) kubectl endpoints-doctor -A -o json            the built CLI, stdout to /dev/null
//   (b) kubectl get services,endpointslices,pods,nodes,deployments,replicasets,statefulsets,
//       daemonsets -A -o json > /dev/null
//   (c) the floor: download and JSON.parse the same lists, nothing else (bench/floor.ts)
//   (d) the analysis alone: runChecks + buildReport on the in-memory model (bench/analysis.ts,
//       a process of its own so that its first run is as cold as the CLI's), then the report
//       rendered as -o json, -o text and -o tree
//   (e) at the largest size: `snapshot -A` as JSON and YAML, and each read back with --snapshot
//   and (d) on one policy-dense namespace: 2,000 Pods and 200 NetworkPolicies (--dense-policies)
// Wall time, peak RSS (GNU time's %M) and the server's CPU per command; medians, ratios, growth
// with size; then docs/benchmarks.md is rewritten with the figures and the machine.
// The parts are in bench/runner/: options, the machine, the child processes, the commands, the
// measurement of one size, the results and the report.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeWorkspace } from './runner/commands.js';
import { benchMachine } from './runner/machine.js';
import { measureAnalysisOnly, measureDenseNamespace, measureSize, type BenchRun } from './runner/measure.js';
import { parseBenchOptions } from './runner/options.js';
import { benchmarksMarkdown } from './runner/report.js';
import type { SizeResult } from './runner/results.js';
import { fmtInt, log } from './runner/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const options = parseBenchOptions(ROOT);
const machine = benchMachine(ROOT);
const run: BenchRun = { options, work: makeWorkspace() };
const { full, scales, runs, kubectlRuns, analysisScale, outFile } = options;

const started = new Date();
const t0 = performance.now();
log(
  `bench: ${machine.cpu} x${machine.cores}, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, kubectl ${machine.kubectl}, load ${machine.loadBefore[0].toFixed(2)}; ` +
    `full size ${fmtInt(full.services)} Services / ${fmtInt(full.pods)} Pods / ${full.namespaces} namespaces / ${full.nodes} Nodes; scales ${scales.join(', ')}; ${runs} run(s), kubectl ${kubectlRuns}`,
);
const results: SizeResult[] = [];
for (const scale of scales) {
  const largest = scale === scales[scales.length - 1];
  results.push(await measureSize(run, scale, options.profile && largest, largest));
}
const extra =
  analysisScale > 0 && !scales.includes(analysisScale) ? await measureAnalysisOnly(run, analysisScale) : undefined;
const dense = options.dense ? await measureDenseNamespace(run, options.dense) : undefined;
const markdown = benchmarksMarkdown({
  options,
  machine,
  results,
  extra,
  dense,
  started,
  elapsedMs: performance.now() - t0,
});
process.stdout.write(`\n${markdown}\n`);
if (options.write) {
  // The "## Start-up" section belongs to bench/startup.ts: kept as it is.
  const startup = existsSync(outFile)
    ? /^## Start-up\n[\s\S]*?(?=^## |(?![\s\S]))/m.exec(readFileSync(outFile, 'utf8'))?.[0]
    : undefined;
  writeFileSync(outFile, `${markdown}\n${startup ? `\n${startup.trimEnd()}\n` : ''}`);
  log(`\nwrote ${outFile}`);
}
