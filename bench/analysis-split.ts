// Where the analysis's time goes between the checks a commit had and those added since: the
// analysis (d) of bench/analysis.ts run with every check of the model (CHECKS), with only those
// whose modules src/checks/ held at that commit, and with only the rest, on the same generated cluster.
//   npx tsx bench/analysis-split.ts --since COMMIT [--scale 2] [--processes 3] [--runs 3]
// Needs the git history back to COMMIT, and dist/ built (npm run build). Prints a Markdown table:
// cold (the first run in a process, as the CLI's only one) and warm (the median of the later runs),
// each the median over the processes, which take turns so that no set always runs after another.

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnalysisReady, AnalysisResult } from './analysis.js';
import { Child } from './runner/child.js';
import { DEFAULT_SIZE, sizeAt } from './runner/options.js';
import { fmtInt, log, median } from './runner/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
/** Modules of src/checks/ that are not checks. */
const NOT_CHECKS = new Set(['helpers', 'index', 'types']);

const { values } = parseArgs({
  options: {
    since: { type: 'string' },
    scale: { type: 'string', default: '2' },
    processes: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
  },
});
const count = (name: string, text: string, min: number): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`bench/analysis-split.ts: --${name} ${text}: not a number >= ${min}`);
    process.exit(2);
  }
  return n;
};
if (!values.since) {
  console.error('bench/analysis-split.ts: --since COMMIT is required (the commit whose checks form the first set)');
  process.exit(2);
}
const scale = count('scale', values.scale, 0.001);
const processes = Math.round(count('processes', values.processes, 1));
const runs = Math.round(count('runs', values.runs, 1));

/** The check ids (a check's module is named by its id) under src/checks/ at the commit. */
function checksAt(commit: string): string[] {
  const files = execFileSync('git', ['ls-tree', '--name-only', `${commit}:src/checks/`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return files
    .split('\n')
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((id) => !NOT_CHECKS.has(id));
}

const { CHECKS } = (await import(
  new URL('../dist/checks/index.js', import.meta.url).href
)) as typeof import('../src/checks/index.js');
const every = CHECKS.map((check) => check.id);
const then = new Set(checksAt(values.since));
const sets = [
  { name: 'every check', ids: every },
  { name: `the checks of ${values.since}`, ids: every.filter((id) => then.has(id)) },
  { name: 'the checks added since', ids: every.filter((id) => !then.has(id)) },
];
// The rest judge a node's rules (probe) or connections (--connect), never the analysis's model.
const elsewhere = [...then].filter((id) => !every.includes(id));
if (elsewhere.length > 0) log(`checks of ${values.since} that the analysis does not run: ${elsewhere.join(', ')}`);

const size = sizeAt({ full: DEFAULT_SIZE, seed: 1 }, scale);
log(
  `${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods; ${processes} process(es) per set, ${runs} warm run(s) each`,
);
const measured = sets.map(() => ({ cold: [] as number[], warm: [] as number[] }));
for (let p = 0; p < processes; p++) {
  for (let i = 0; i < sets.length; i++) {
    const k = (i + p) % sets.length;
    const child = Child.fork<AnalysisReady, AnalysisResult>('analysis.ts', size, [JSON.stringify(sets[k].ids)]);
    await child.ready;
    const { checksMs, reportMs } = await child.ask({ cmd: 'run', runs: runs + 1 });
    await child.stop();
    const times = checksMs.map((ms, j) => ms + reportMs[j]);
    measured[k].cold.push(times[0]);
    measured[k].warm.push(median(times.slice(1)));
    log(`${sets[k].name}: cold ${times[0].toFixed(0)} ms, warm ${median(times.slice(1)).toFixed(0)} ms`);
  }
}
const lines = [
  `| checks | how many | cold | warm |`,
  `|---|---|---|---|`,
  ...sets.map(
    (set, k) =>
      `| ${set.name} | ${set.ids.length} | ${median(measured[k].cold).toFixed(0)} ms (${measured[k].cold.map((ms) => ms.toFixed(0)).join(', ')}) | ${median(measured[k].warm).toFixed(0)} ms |`,
  ),
];
process.stdout.write(`${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods:\n\n${lines.join('\n')}\n`);
