// Measuring one size: the analysis alone in a process of its own, then the commands in rotating
// rounds against the server, a profile and the snapshots when asked; or the analysis alone.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/report.js';
import { findingsByCheck, type AnalysisReady, type AnalysisResult } from '../analysis.js';
import { formatProfile, summarizeProfile } from '../cpuprofile.js';
import { Child } from './child.js';
import {
  describe,
  invocation,
  LISTS,
  measure,
  startServer,
  type CommandId,
  type Sample,
  type Server,
  type Workspace,
} from './commands.js';
import type { ClusterSize } from '../generate.js';
import { sizeAt, type BenchOptions } from './options.js';
import {
  ANALYSIS_PROCESSES,
  coldMs,
  SNAPSHOT_FORMATS,
  type Analysis,
  type AnalysisOnly,
  type MedianAnalysis,
  type SizeResult,
  type SnapshotResult,
} from './results.js';
import { fmtInt, fmtMB, fmtS, log } from './stats.js';

/** What every measurement needs: the options, and the scratch folder. */
export interface BenchRun {
  options: BenchOptions;
  work: Workspace;
}

async function runAnalysis(run: BenchRun, child: Child<AnalysisReady, AnalysisResult>): Promise<Analysis> {
  const ready = await child.ready;
  // One cold run, like the CLI's, then `runs` warm ones.
  const result = await child.ask({ cmd: 'run', runs: run.options.runs + 1 });
  await child.stop();
  const { checksMs, reportMs } = result;
  log(
    `   (d) cold ${(checksMs[0] + reportMs[0]).toFixed(0)} ms (CPU ${result.cpuMs[0].toFixed(0)} ms), warm ${checksMs
      .slice(1)
      .map((c, i) => (c + reportMs[i + 1]).toFixed(0))
      .join(', ')} ms (slim ${fmtS(ready.slimMs)} s, model ${fmtS(ready.modelMs)} s)`,
  );
  return { ready, result };
}

/** (e): `snapshot -A` in each format, then `--snapshot FILE -A -o json` on it, `runs` times. */
async function measureSnapshots(run: BenchRun, server: Server, live: Report): Promise<SnapshotResult[]> {
  const out: SnapshotResult[] = [];
  for (const format of SNAPSHOT_FORMATS) {
    const file = join(run.work.dir, `snapshot.${format}`);
    const write = await measure(
      server,
      {
        command: process.execPath,
        args: [run.work.bin, 'snapshot', '--kubeconfig', server.info.kubeconfigPath, '-A', '-o', format],
        ok: [0],
      },
      file,
    );
    const bytes = statSync(file).size;
    log(`   (e) snapshot -o ${format}: ${fmtMB(bytes)} MB, ${describe('e', write)}`);
    const read: Sample[] = [];
    const reportFile = join(run.work.dir, 'snapshot-report.json');
    for (let round = 0; round < run.options.runs; round++) {
      const readBack = {
        command: process.execPath,
        args: [run.work.bin, '--snapshot', file, '-A', '-o', 'json'],
        ok: [0, 1],
      };
      read.push(await measure(server, readBack, round === 0 ? reportFile : '/dev/null'));
      log(`   (e) --snapshot ${format} round ${round + 1} ${describe('e', read[round])}`);
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    const sameAsLive =
      JSON.stringify(report.summary) === JSON.stringify(live.summary) &&
      JSON.stringify(findingsByCheck(report)) === JSON.stringify(findingsByCheck(live));
    rmSync(file);
    rmSync(reportFile);
    out.push({ format, bytes, write, read, sameAsLive });
  }
  return out;
}

export async function measureSize(
  run: BenchRun,
  scale: number,
  profile: boolean,
  snapshots: boolean,
): Promise<SizeResult> {
  const { runs, kubectlRuns } = run.options;
  const size = sizeAt(run.options, scale);
  log(
    `\n== ${scale}x: ${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods, ${size.namespaces} namespaces, ${size.nodes} Nodes`,
  );
  // The server and the analysis generate their copies of the cluster side by side; then the
  // analysis runs alone (the server idle), then the commands.
  const analysisChild = Child.fork<AnalysisReady, AnalysisResult>('analysis.ts', size);
  const server = await startServer(size, run.work);
  try {
    log(
      `   server: ${fmtInt(server.info.objects)} objects generated and stored in ${fmtS(server.info.generateMs)} s, RSS ${fmtMB(server.info.rss)} MB`,
    );
    const analysis = await runAnalysis(run, analysisChild);

    // Warm-up: the server's JIT (a list and its pages), kubectl's discovery cache. (a)'s first
    // report goes to a file, to compare with (d)'s; (c) prints what it read (a few hundred bytes).
    const reportFile = join(run.work.dir, 'report.json');
    const floorFile = join(run.work.dir, 'floor.json');
    await measure(server, {
      ...invocation('c', server),
      args: [
        run.work.floorScript,
        server.info.url,
        server.info.token,
        server.caFile,
        ...LISTS.filter((path) => /\/(services|nodes)$/.test(path)),
      ],
    });
    spawnSync('kubectl', [...server.info.kubectlArgs, 'api-resources'], { stdio: 'ignore' });

    const samples: Record<CommandId, Sample[]> = { a: [], b: [], c: [] };
    for (let round = 0; round < runs; round++) {
      // Rotate the order each round so that no command always follows the same one.
      const order: CommandId[] = round < kubectlRuns ? ['a', 'b', 'c'] : ['a', 'c'];
      const turn = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
      for (const id of turn) {
        const stdout = id === 'c' ? floorFile : id === 'a' && round === 0 ? reportFile : '/dev/null';
        const s = await measure(server, invocation(id, server), stdout);
        samples[id].push(s);
        log(`   round ${round + 1} ${describe(id, s)}`);
      }
    }
    const cliReport = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    const floor = JSON.parse(readFileSync(floorFile, 'utf8')) as SizeResult['floor'];
    rmSync(reportFile);

    let profiled: SizeResult['profile'];
    if (profile) {
      const dir = join(run.work.dir, 'profile');
      const s = await measure(server, invocation('a', server, ['--cpu-prof', '--cpu-prof-dir', dir]));
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
      profiled = { summary: summarizeProfile(join(dir, file), 25), wallMs: s.wallMs };
      log(`   profiled (a): ${fmtS(s.wallMs)} s\n${formatProfile(profiled.summary)}`);
    }

    const snapshotResults = snapshots ? await measureSnapshots(run, server, cliReport) : undefined;

    const cliFindings = findingsByCheck(cliReport);
    return {
      scale,
      size,
      served: { objects: server.info.objects, generateMs: server.info.generateMs, rss: server.info.rss },
      floor,
      samples,
      analysis,
      summary: cliReport.summary,
      findingsByCheck: cliFindings,
      sameAsAnalysis:
        JSON.stringify(cliReport.summary) === JSON.stringify(analysis.result.summary) &&
        JSON.stringify(cliFindings) === JSON.stringify(analysis.result.findingsByCheck),
      profile: profiled,
      snapshots: snapshotResults,
    };
  } finally {
    await analysisChild.stop();
    await server.stop({ cmd: 'close' });
  }
}

export async function measureAnalysisOnly(run: BenchRun, scale: number): Promise<AnalysisOnly> {
  const size = sizeAt(run.options, scale);
  log(
    `\n== ${scale}x, the analysis alone: ${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods, ${size.namespaces} namespaces, ${size.nodes} Nodes`,
  );
  return { scale, ...(await medianAnalysis(run, size)) };
}

/** The policy-dense namespace (--dense-policies), by the analysis alone. */
export async function measureDenseNamespace(run: BenchRun, size: ClusterSize): Promise<MedianAnalysis> {
  log(
    `\n== one namespace, the analysis alone: ${fmtInt(size.pods)} Pods, ${fmtInt(size.services)} Services, ${size.policiesPerNamespace} NetworkPolicies`,
  );
  return medianAnalysis(run, size);
}

async function medianAnalysis(run: BenchRun, size: ClusterSize): Promise<MedianAnalysis> {
  const analyses: Analysis[] = [];
  for (let i = 0; i < ANALYSIS_PROCESSES; i++)
    analyses.push(await runAnalysis(run, Child.fork<AnalysisReady, AnalysisResult>('analysis.ts', size)));
  analyses.sort((a, b) => coldMs(a) - coldMs(b));
  return { size, analysis: analyses[Math.floor(analyses.length / 2)], coldRunsMs: analyses.map(coldMs) };
}
