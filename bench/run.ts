// npm run bench [-- --services 5000 --pods 50000 --namespaces 200 --nodes 500 --runs 3 ...]
//
// Generates a synthetic cluster (bench/generate.ts) at several sizes, serves it from the test
// API server in a separate process (bench/server.ts), and measures, alternating the commands:
//   (a) kubectl endpoints-doctor -A -o json            the built CLI, stdout to /dev/null
//   (b) kubectl get services,endpointslices,pods,nodes -A -o json > /dev/null
//   (c) the floor: download and JSON.parse the same lists, nothing else (bench/floor.ts)
//   (d) the analysis alone: runChecks + buildReport on the in-memory model (bench/analysis.ts,
//       a process of its own so that its first run is as cold as the CLI's), then the report
//       rendered as -o json, -o text and -o tree
//   (e) at the largest size: `snapshot -A` as JSON and YAML, and each read back with --snapshot
// Wall time, peak RSS (GNU time's %M) and the server's CPU per command; medians, ratios, growth
// with size; then docs/benchmarks.md is rewritten with the figures and the machine.

import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import type { Report } from '../src/report/report.js';
import {
  findingsByCheck,
  RENDERED_OUTPUTS,
  type AnalysisReady,
  type AnalysisResult,
  type RenderedOutput,
} from './analysis.js';
import { formatProfile, summarizeProfile, type ProfileSummary } from './cpuprofile.js';
import type { ClusterSize } from './generate.js';
import type { ServerReady, ServerStats } from './server.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/kubectl-endpoints_doctor');
const TIME = '/usr/bin/time';
const LISTS = ['/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices', '/api/v1/pods', '/api/v1/nodes'];

// Targets from the issue; "default size" is 5,000 Services and 50,000 Pods.
const DEFAULT_SIZE = { services: 5000, pods: 50000, namespaces: 200, nodes: 500 };
const TARGET = {
  aOverB: 0.5,
  aOverC: 1.25,
  analysisMs: 1000,
  rssMB: 500,
  growthExponent: 1.15,
  textOverJson: 1.2,
  /** Reading a snapshot back, against (a) on the same cluster: time and peak RSS. */
  snapshotReadOverA: 2,
};
const SNAPSHOT_FORMATS = ['json', 'yaml'] as const;

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `usage: npm run bench -- [options]
  --services N      Services at full size (default ${DEFAULT_SIZE.services})
  --pods N          Pods at full size (default ${DEFAULT_SIZE.pods})
  --namespaces N    namespaces at full size (default ${DEFAULT_SIZE.namespaces})
  --nodes N         Nodes at full size (default ${DEFAULT_SIZE.nodes})
  --scales LIST     fractions of the full size to measure (default 0.25,0.5,1)
  --runs N          timed runs of (a), (c) and (d) per size (default 3), after one warm-up run
  --kubectl-runs N  timed runs of (b) per size (default 1: kubectl takes minutes at full size)
  --analysis-scale X  also time the analysis alone at X times the full size (default 2: the
                    10,000 Services / 100,000 Pods target); 0 skips it
  --seed N          generator seed (default 1)
  --profile         profile one run of (a) at the largest size (node --cpu-prof) and report it
  --out FILE        where to write the report (default docs/benchmarks.md); --no-write skips it`;

const { values: flags } = parseArgs({
  options: {
    services: { type: 'string' },
    pods: { type: 'string' },
    namespaces: { type: 'string' },
    nodes: { type: 'string' },
    scales: { type: 'string' },
    runs: { type: 'string' },
    'kubectl-runs': { type: 'string' },
    'analysis-scale': { type: 'string' },
    seed: { type: 'string' },
    profile: { type: 'boolean' },
    out: { type: 'string' },
    'no-write': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

function num(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} ${text}: not a number >= ${min}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const full = {
  services: num('services', flags.services, DEFAULT_SIZE.services, 1),
  pods: num('pods', flags.pods, DEFAULT_SIZE.pods, 1),
  namespaces: num('namespaces', flags.namespaces, DEFAULT_SIZE.namespaces, 1),
  nodes: num('nodes', flags.nodes, DEFAULT_SIZE.nodes, 1),
};
const scales = (flags.scales ?? '0.25,0.5,1')
  .split(',')
  .map((s) => num('scales', s, 1, 0.001))
  .sort((a, b) => a - b);
const runs = Math.round(num('runs', flags.runs, 3, 1));
const kubectlRuns = Math.min(runs, Math.round(num('kubectl-runs', flags['kubectl-runs'], 1, 1)));
const analysisScale = num('analysis-scale', flags['analysis-scale'], 2);
const seed = Math.round(num('seed', flags.seed, 1));
const outFile = resolve(ROOT, flags.out ?? 'docs/benchmarks.md');
const isDefaultSize = Object.entries(DEFAULT_SIZE).every(([k, v]) => full[k as keyof typeof full] === v);

function sizeAt(scale: number): ClusterSize {
  const at = (n: number) => Math.max(1, Math.round(n * scale));
  return {
    services: at(full.services),
    pods: at(full.pods),
    namespaces: at(full.namespaces),
    nodes: at(full.nodes),
    seed,
  };
}

// ---------------------------------------------------------------------------------------------
// Prerequisites and the machine

if (!existsSync(TIME)) {
  console.error(`${TIME} is missing: the bench reads peak RSS from GNU time. Install it: apt-get install time`);
  process.exit(2);
}
const kubectlVersion = (() => {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error('kubectl is not on PATH: (b) runs the real kubectl. On Debian: apt-get install kubernetes-client');
    process.exit(2);
  }
  return (JSON.parse(r.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
})();
if (!existsSync(join(ROOT, 'dist/cli.js'))) {
  console.error('dist/ is missing: npm run bench builds it first (npm run build)');
  process.exit(2);
}

const machine = {
  cpu: /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
  cores: availableParallelism(),
  memoryGiB: totalmem() / 2 ** 30,
  kernel: release(),
  node: process.version,
  kubectl: kubectlVersion,
  loadBefore: loadavg(),
  /** What was measured: the commit, and the uncommitted changes to src/ (read-only git commands). */
  source: (() => {
    const git = (...args: string[]) =>
      spawnSync('git', ['--no-optional-locks', '-C', ROOT, ...args], { encoding: 'utf8' }).stdout ?? '';
    const head = git('rev-parse', '--short', 'HEAD').trim();
    const dirty = git('status', '--porcelain', '--', 'src')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return head
      ? `commit ${head}${dirty.length ? ` with uncommitted changes to ${dirty.join(', ')}` : ''}`
      : 'unknown (not a git checkout)';
  })(),
};

const work = mkdtempSync(join(tmpdir(), 'endpoints-doctor-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The floor runs as plain JavaScript, so it pays no TypeScript loader start-up.
const FLOOR = join(work, 'floor.mjs');
writeFileSync(
  FLOOR,
  ts.transpileModule(readFileSync(join(import.meta.dirname, 'floor.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText,
);

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmtS = (ms: number) => (ms / 1000).toFixed(2);
const fmtMB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const fmtInt = (n: number) => n.toLocaleString('en-US');
const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Child processes: the API server and the analysis

/** A forked TypeScript module speaking the request/answer protocol of bench/server.ts and bench/analysis.ts. */
class Child<Ready, Answer> {
  private waiting: ((m: Answer) => void)[] = [];
  readonly ready: Promise<Ready>;
  private readonly exited: Promise<unknown>;

  constructor(
    private readonly child: ChildProcess,
    what: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    this.ready = new Promise<Ready>((resolve, reject) => {
      child.once('message', (m: Ready) => {
        child.on('message', (a: Answer) => this.waiting.shift()?.(a));
        resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    });
  }

  static fork<R, A>(module: string, size: ClusterSize): Child<R, A> {
    const child = fork(join(import.meta.dirname, module), [JSON.stringify(size)], {
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=16384'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child<R, A>(child, module);
  }

  ask(message: object): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(message);
    });
  }

  async stop(message?: object): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (message && this.child.connected) this.child.send(message);
      else this.child.kill();
    }
    await this.exited;
  }
}

type Server = Child<ServerReady, ServerStats> & { info: ServerReady; caFile: string };

async function startServer(size: ClusterSize): Promise<Server> {
  const child = Child.fork<ServerReady, ServerStats>('server.ts', size);
  const info = await child.ready;
  const caFile = join(work, `ca-${Date.now()}.pem`);
  writeFileSync(caFile, info.caPem);
  return Object.assign(child, { info, caFile });
}

// ---------------------------------------------------------------------------------------------
// Commands

type CommandId = 'a' | 'b' | 'c';

interface Sample {
  wallMs: number;
  /** GNU time: maximum resident set size of the command. */
  maxRssBytes: number;
  userS: number;
  sysS: number;
  /** CPU the server process used while the command ran. */
  serverCpuMs: number;
  /** Of which in ObjectStore.list/listShared (the snapshot each list's first page takes). */
  serverListMs: number;
  requests: number;
  /** 1-minute load average when the command started: other work on the machine shows here. */
  load: number;
}

interface Invocation {
  command: string;
  args: string[];
  /** Exit codes that mean success: the doctor exits 1 when it finds errors. */
  ok: number[];
}

function invocation(id: CommandId, server: Server, nodeArgs: string[] = []): Invocation {
  const { kubeconfigPath, kubectlArgs, url, token } = server.info;
  switch (id) {
    case 'a':
      return {
        command: process.execPath,
        args: [...nodeArgs, BIN, '--kubeconfig', kubeconfigPath, '-A', '-o', 'json'],
        ok: [0, 1],
      };
    case 'b':
      return {
        command: 'kubectl',
        args: [...kubectlArgs, 'get', 'services,endpointslices,pods,nodes', '-A', '-o', 'json'],
        ok: [0],
      };
    case 'c':
      return { command: process.execPath, args: [FLOOR, url, token, server.caFile, ...LISTS], ok: [0] };
  }
}

/** Runs one command under GNU time, stdout to `stdoutFile` (/dev/null by default). */
async function measure(server: Server, inv: Invocation, stdoutFile = '/dev/null'): Promise<Sample> {
  const timeFile = join(work, 'time.txt');
  // No command pays for the previous one's list snapshots or garbage in the server.
  const before = await server.ask({ cmd: 'reset' });
  const load = loadavg()[0]!;
  const out = openSync(stdoutFile, 'w');
  const started = performance.now();
  const child = spawn(TIME, ['-f', '%e %M %U %S', '-o', timeFile, inv.command, ...inv.args], {
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const wallMs = performance.now() - started;
  closeSync(out);
  const after = await server.ask({ cmd: 'stats' });
  if (!inv.ok.includes(code))
    throw new Error(`${inv.command} ${inv.args.join(' ')} exited ${code}:\n${stderr.slice(0, 2000)}`);
  // GNU time writes "Command exited with non-zero status N" first when it did.
  const [, maxKB, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return {
    wallMs,
    maxRssBytes: maxKB! * 1024,
    userS: user!,
    sysS: sys!,
    serverCpuMs: (after.cpuUser + after.cpuSystem - before.cpuUser - before.cpuSystem) / 1000,
    serverListMs: after.listMs - before.listMs,
    requests: after.requests,
    load,
  };
}

function describe(id: string, s: Sample): string {
  return (
    `(${id}) ${fmtS(s.wallMs)} s, peak RSS ${fmtMB(s.maxRssBytes)} MB, user ${s.userS.toFixed(2)} s sys ${s.sysS.toFixed(2)} s, ` +
    `server CPU ${fmtS(s.serverCpuMs)} s (snapshots ${fmtS(s.serverListMs)} s), load ${s.load.toFixed(1)}`
  );
}

// ---------------------------------------------------------------------------------------------
// One size

interface Analysis {
  ready: AnalysisReady;
  result: AnalysisResult;
}

interface SizeResult {
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

interface SnapshotResult {
  format: (typeof SNAPSHOT_FORMATS)[number];
  bytes: number;
  write: Sample;
  read: Sample[];
  /** The report read back agrees with (a)'s: summary and findings per check. */
  sameAsLive: boolean;
}

async function runAnalysis(child: Child<AnalysisReady, AnalysisResult>): Promise<Analysis> {
  const ready = await child.ready;
  // One cold run, like the CLI's, then `runs` warm ones.
  const result = await child.ask({ cmd: 'run', runs: runs + 1 });
  await child.stop();
  const { checksMs, reportMs } = result;
  log(
    `   (d) cold ${(checksMs[0]! + reportMs[0]!).toFixed(0)} ms (CPU ${result.cpuMs[0]!.toFixed(0)} ms), warm ${checksMs
      .slice(1)
      .map((c, i) => (c + reportMs[i + 1]!).toFixed(0))
      .join(', ')} ms (slim ${fmtS(ready.slimMs)} s, model ${fmtS(ready.modelMs)} s)`,
  );
  return { ready, result };
}

/** (e): `snapshot -A` in each format, then `--snapshot FILE -A -o json` on it, `runs` times. */
async function measureSnapshots(server: Server, live: Report): Promise<SnapshotResult[]> {
  const out: SnapshotResult[] = [];
  for (const format of SNAPSHOT_FORMATS) {
    const file = join(work, `snapshot.${format}`);
    const write = await measure(
      server,
      {
        command: process.execPath,
        args: [BIN, 'snapshot', '--kubeconfig', server.info.kubeconfigPath, '-A', '-o', format],
        ok: [0],
      },
      file,
    );
    const bytes = statSync(file).size;
    log(`   (e) snapshot -o ${format}: ${fmtMB(bytes)} MB, ${describe('e', write)}`);
    const read: Sample[] = [];
    const reportFile = join(work, 'snapshot-report.json');
    for (let round = 0; round < runs; round++) {
      const readBack = { command: process.execPath, args: [BIN, '--snapshot', file, '-A', '-o', 'json'], ok: [0, 1] };
      read.push(await measure(server, readBack, round === 0 ? reportFile : '/dev/null'));
      log(`   (e) --snapshot ${format} round ${round + 1} ${describe('e', read[round]!)}`);
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

async function measureSize(scale: number, profile: boolean, snapshots: boolean): Promise<SizeResult> {
  const size = sizeAt(scale);
  log(
    `\n== ${scale}x: ${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods, ${size.namespaces} namespaces, ${size.nodes} Nodes`,
  );
  // The server and the analysis generate their copies of the cluster side by side; then the
  // analysis runs alone (the server idle), then the commands.
  const analysisChild = Child.fork<AnalysisReady, AnalysisResult>('analysis.ts', size);
  const server = await startServer(size);
  try {
    log(
      `   server: ${fmtInt(server.info.objects)} objects generated and stored in ${fmtS(server.info.generateMs)} s, RSS ${fmtMB(server.info.rss)} MB`,
    );
    const analysis = await runAnalysis(analysisChild);

    // Warm-up: the server's JIT (a list and its pages), kubectl's discovery cache. (a)'s first
    // report goes to a file, to compare with (d)'s; (c) prints what it read (a few hundred bytes).
    const reportFile = join(work, 'report.json');
    const floorFile = join(work, 'floor.json');
    await measure(server, {
      ...invocation('c', server),
      args: [FLOOR, server.info.url, server.info.token, server.caFile, LISTS[0]!, LISTS[3]!],
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
      const dir = join(work, 'profile');
      const s = await measure(server, invocation('a', server, ['--cpu-prof', '--cpu-prof-dir', dir]));
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
      profiled = { summary: summarizeProfile(join(dir, file), 25), wallMs: s.wallMs };
      log(`   profiled (a): ${fmtS(s.wallMs)} s\n${formatProfile(profiled.summary)}`);
    }

    const snapshotResults = snapshots ? await measureSnapshots(server, cliReport) : undefined;

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

interface AnalysisOnly {
  scale: number;
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
const ANALYSIS_PROCESSES = 3;

async function measureAnalysisOnly(scale: number): Promise<AnalysisOnly> {
  const size = sizeAt(scale);
  log(
    `\n== ${scale}x, the analysis alone: ${fmtInt(size.services)} Services, ${fmtInt(size.pods)} Pods, ${size.namespaces} namespaces, ${size.nodes} Nodes`,
  );
  const analyses: Analysis[] = [];
  for (let i = 0; i < ANALYSIS_PROCESSES; i++)
    analyses.push(await runAnalysis(Child.fork<AnalysisReady, AnalysisResult>('analysis.ts', size)));
  analyses.sort((a, b) => coldMs(a) - coldMs(b));
  return {
    scale,
    size,
    analysis: analyses[Math.floor(analyses.length / 2)]!,
    coldRunsMs: analyses.map(coldMs),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const wall = (r: SizeResult, id: CommandId) => median(r.samples[id].map((s) => s.wallMs));
const cpu = (r: SizeResult, id: CommandId) => median(r.samples[id].map((s) => (s.userS + s.sysS) * 1000));
const coldMs = (a: Analysis) => a.result.checksMs[0]! + a.result.reportMs[0]!;
const warmMs = (a: Analysis) => median(a.result.checksMs.slice(1).map((c, i) => c + a.result.reportMs[i + 1]!));
const coldCpuMs = (a: Analysis) => a.result.cpuMs[0]!;
const warmCpuMs = (a: Analysis) => median(a.result.cpuMs.slice(1));
const peakRss = (r: SizeResult, id: CommandId = 'a') => Math.max(...r.samples[id].map((s) => s.maxRssBytes));
const renderCold = (a: Analysis, output: RenderedOutput) => a.result.render[output].ms[0]!;
/** A format's cold render over -o json's. */
const renderRatio = (a: Analysis, output: RenderedOutput) => renderCold(a, output) / renderCold(a, 'json');
/** The same with the cold analysis added to both: what one CLI run does in process after reading its input. */
const withAnalysisRatio = (a: Analysis, output: RenderedOutput) =>
  (coldMs(a) + renderCold(a, output)) / (coldMs(a) + renderCold(a, 'json'));

/** Slope of log(cost) over log(size) between two sizes: 1 is linear. */
function slope(
  from: { pods: number; ms: number } | undefined,
  to: { pods: number; ms: number } | undefined,
): number | undefined {
  if (!from || !to || from.pods === to.pods) return undefined;
  return Math.log(to.ms / from.ms) / Math.log(to.pods / from.pods);
}

/** Least-squares slope of log(cost) over log(size) across every size: one noisy size moves it less than a two-point slope. */
function fitted(points: { pods: number; ms: number }[]): number | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => Math.log(p.pods));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? undefined : xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / sxx;
}

/** The slope fitted over every size, and the one between the two largest (where fixed costs weigh least, noise most). */
function exponents(points: { pods: number; ms: number }[]): { overall?: number; top?: number } {
  return { overall: fitted(points), top: slope(points[points.length - 2], points[points.length - 1]) };
}

function render(results: SizeResult[], extra: AnalysisOnly | undefined, started: Date, elapsedMs: number): string {
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);
  const met = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');
  const atFull = results.find((r) => r.scale === 1);
  const analyses = [
    ...results.map((r) => ({ scale: r.scale, size: r.size, analysis: r.analysis })),
    ...(extra ? [extra] : []),
  ];

  p('# Benchmarks');
  p();
  p('This file is written by `npm run bench` (bench/run.ts), which overwrites it; rerun it rather than edit it:');
  p();
  p('```sh');
  p(
    'npm run bench                       # 5,000 Services, 50,000 Pods, 200 namespaces, 500 Nodes at 0.25x, 0.5x and 1x',
  );
  p('npm run bench -- --scales 0.1 --analysis-scale 0 --no-write   # a quick look');
  p('npm run bench -- --profile          # also profiles one run of (a) at the largest size (node --cpu-prof)');
  p('npm run bench -- --help             # sizes, runs, seed, output file');
  p('```');
  p();
  p(
    'It needs GNU time (`apt-get install time`) for peak RSS and the real kubectl on PATH; it is not part of `npm test`.',
  );
  p(
    'At the default size it takes 12 to 13 minutes on the 2-core machine, over the 10 aimed at: kubectl is the long pole',
  );
  p(
    '(over 3 minutes and 10 GB at 1x, about 5.5 minutes over the three sizes), so (b) is timed once per size, (a) and (c)',
  );
  p('three times. `--scales 1` or `--kubectl-runs` trade coverage for time.');
  p();
  p('The cluster is synthetic and seeded (bench/generate.ts): Deployment, StatefulSet and Job pods with managedFields');
  p(
    '(kube-controller-manager, kubelet), ownerReferences, annotations, env, resources, probes, volumes and a full status;',
  );
  p(
    'EndpointSlices and Endpoints cut as the controllers cut them (test/support/controller.ts); a healthy majority and a',
  );
  p('realistic fraction of broken Services (selector typos, crash-looping and not-ready pods, named-port mismatches,');
  p(
    'pending load balancers, Nodes not ready). The test API server (test/server) serves it, with list pagination, from a',
  );
  p('process of its own (bench/server.ts). Measured per size:');
  p();
  p(
    '- **(a)** `kubectl endpoints-doctor -A -o json`: the built CLI, `node bin/kubectl-endpoints_doctor --kubeconfig K -A -o json > /dev/null` (exit code 1, findings, is expected). It also lists Endpoints, which (b) and (c) do not.',
  );
  p(
    '- **(b)** `kubectl get services,endpointslices,pods,nodes -A -o json > /dev/null`: what a user would otherwise run.',
  );
  p(
    '- **(c)** the floor (bench/floor.ts, run as plain JavaScript): GET the same four lists with the same pagination (limit=500) and concurrency as the doctor and `JSON.parse` each page, nothing else.',
  );
  p(
    `- **(d)** the analysis alone: \`runChecks\` (every check, every Service) + \`buildReport\` on the in-memory ClusterModel, in a process of its own (bench/analysis.ts), then the report rendered as \`-o json\`, \`-o text\` and \`-o tree\`. *Cold* is its first run, as in the CLI, which analyses once; *warm* the median of the runs after it. A cold run varies by about a quarter from process to process here, so the size measured by (d) alone runs in ${ANALYSIS_PROCESSES} processes and reports the median one.`,
  );
  p(
    "- **(e)** at the largest size, snapshots: `kubectl endpoints-doctor snapshot -A -o json` and `-o yaml` into a file, then `kubectl endpoints-doctor --snapshot FILE -A -o json > /dev/null` on each, as many times as (a); the report read back is compared with (a)'s.",
  );
  p();
  p(
    `Each size: a warm-up (the floor over the Services and Nodes lists, for the server's JIT; \`kubectl api-resources\`, for its ` +
      `discovery cache), then ${runs} timed rounds of (a) and (c) and ${kubectlRuns} of (b) (kubectl takes minutes at full size; ` +
      '`--kubectl-runs` times it more), the order rotating each round; the first (a) writes its report to a file instead of /dev/null, ' +
      "to compare it with (d)'s. Before each command the server drops its list " +
      "snapshots and collects garbage. Times are wall-clock medians, CPU is user+sys of the command, peak RSS is GNU time's maximum " +
      'resident set size (the largest of the runs). The server shares the 2 cores with the command, the same for (a), (b) and (c).',
  );
  p();
  p('## Machine');
  p();
  p(`- Date: ${started.toISOString().replace(/\.\d+Z$/, 'Z')}; the bench took ${(elapsedMs / 60000).toFixed(1)} min`);
  p(`- CPU: ${machine.cpu}, ${machine.cores} cores`);
  p(`- Memory: ${machine.memoryGiB.toFixed(1)} GiB`);
  p(`- Kernel: Linux ${machine.kernel}`);
  p(`- Node.js: ${machine.node}`);
  p(`- kubectl: ${machine.kubectl}`);
  p(`- Source measured: ${machine.source}`);
  p(
    `- Load average (1, 5, 15 min) when the bench started: ${machine.loadBefore.map((l) => l.toFixed(2)).join(', ')}; per command in the log and the tables below`,
  );
  p(`- Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``);
  p();
  p('## Sizes');
  p();
  p(
    '| scale | Services | Pods | namespaces | Nodes | EndpointSlices | Endpoints | JSON of the four lists | bytes per Pod |',
  );
  p('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const objects = r.analysis.ready.generated.objects;
    const bytes = Object.values(r.floor.bytes).reduce((a, b) => a + b, 0);
    const podBytes = r.floor.bytes['/api/v1/pods']! / Math.max(1, r.floor.items['/api/v1/pods']!);
    p(
      `| ${r.scale}x | ${fmtInt(objects.Service ?? 0)} | ${fmtInt(objects.Pod ?? 0)} | ${r.size.namespaces} | ${fmtInt(objects.Node ?? 0)} | ` +
        `${fmtInt(objects.EndpointSlice ?? 0)} | ${fmtInt(objects.Endpoints ?? 0)} | ${fmtMB(bytes)} MB | ${fmtInt(Math.round(podBytes))} |`,
    );
  }
  if (extra) {
    const o = extra.analysis.ready.generated.objects;
    p(
      `| ${extra.scale}x, (d) only | ${fmtInt(o.Service ?? 0)} | ${fmtInt(o.Pod ?? 0)} | ${extra.size.namespaces} | ${fmtInt(o.Node ?? 0)} | ${fmtInt(o.EndpointSlice ?? 0)} | ${fmtInt(o.Endpoints ?? 0)} | | |`,
    );
  }
  p();
  p('Service counts include default/kubernetes.');
  p();
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
      `| ${scale}x | ${a.ready.slimMs.toFixed(0)} ms | ${a.ready.modelMs.toFixed(0)} ms | ${checksMs[0]!.toFixed(0)} / ${median(checksMs.slice(1)).toFixed(0)} ms | ` +
        `${reportMs[0]!.toFixed(0)} / ${median(reportMs.slice(1)).toFixed(0)} ms | ${coldCpuMs(a).toFixed(0)} / ${warmCpuMs(a).toFixed(0)} ms |`,
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
        `| ${scale}x | ${output} | ${ms[0]!.toFixed(0)} ms | ${median(ms.slice(1)).toFixed(0)} ms | ${(bytes / 2 ** 20).toFixed(1)} MB | ` +
          `${(ms[0]! / (size.pods / 1000)).toFixed(2)} ms | ${renderRatio(a, output).toFixed(2)} | ${withAnalysisRatio(a, output).toFixed(2)} |`,
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
  const points = (f: (a: Analysis) => number) => analyses.map((x) => ({ pods: x.size.pods, ms: f(x.analysis) }));
  const of = (id: CommandId, f: typeof wall) => exponents(results.map((r) => ({ pods: r.size.pods, ms: f(r, id) })));
  const growth = {
    a: of('a', wall),
    aCpu: of('a', cpu),
    b: of('b', wall),
    c: of('c', wall),
    cCpu: of('c', cpu),
    dCold: exponents(points(coldMs)),
    dWarm: exponents(points(warmMs)),
  };
  const g = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
  const gg = (e: { overall?: number; top?: number }) => `${g(e.overall)} / ${g(e.top)}`;
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
        `(${fmtS(a)} s, peak RSS ${fmtMB(rssA)} MB). Read times are medians of ${runs} runs, peak RSS the largest.`,
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
  p();
  p('## Targets');
  p();
  if (!isDefaultSize) p(`This run's full size is not the default the targets name; they are judged at its 1x size.\n`);
  p('| target | measured | |');
  p('|---|---|---|');
  const aOverB = atFull && wall(atFull, 'a') / wall(atFull, 'b');
  const aOverC = atFull && wall(atFull, 'a') / wall(atFull, 'c');
  p(
    `| a/b ≤ ${TARGET.aOverB} at the default size | ${aOverB?.toFixed(2) ?? '–'} | ${met(aOverB === undefined ? undefined : aOverB <= TARGET.aOverB)} |`,
  );
  p(
    `| a/c ≤ ${TARGET.aOverC} at the default size | ${aOverC?.toFixed(2) ?? '–'} (by CPU: ${atFull ? (cpu(atFull, 'a') / cpu(atFull, 'c')).toFixed(2) : '–'}) | ` +
      `${met(aOverC === undefined ? undefined : aOverC <= TARGET.aOverC)} |`,
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
  const linear = slopes.every((x) => x !== undefined) ? slopes.every((x) => x! <= TARGET.growthExponent) : undefined;
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
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

const started = new Date();
const t0 = performance.now();
log(
  `bench: ${machine.cpu} x${machine.cores}, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, kubectl ${machine.kubectl}, load ${machine.loadBefore[0]!.toFixed(2)}; ` +
    `full size ${fmtInt(full.services)} Services / ${fmtInt(full.pods)} Pods / ${full.namespaces} namespaces / ${full.nodes} Nodes; scales ${scales.join(', ')}; ${runs} run(s), kubectl ${kubectlRuns}`,
);
const results: SizeResult[] = [];
for (const scale of scales) {
  const largest = scale === scales[scales.length - 1];
  results.push(await measureSize(scale, flags.profile === true && largest, largest));
}
const extra =
  analysisScale > 0 && !scales.includes(analysisScale) ? await measureAnalysisOnly(analysisScale) : undefined;
const markdown = render(results, extra, started, performance.now() - t0);
process.stdout.write(`\n${markdown}\n`);
if (!flags['no-write']) {
  // The "## Start-up" section belongs to bench/startup.ts: kept as it is.
  const startup = existsSync(outFile)
    ? /^## Start-up\n[\s\S]*?(?=^## |(?![\s\S]))/m.exec(readFileSync(outFile, 'utf8'))?.[0]
    : undefined;
  writeFileSync(outFile, `${markdown}\n${startup ? `\n${startup.trimEnd()}\n` : ''}`);
  log(`\nwrote ${outFile}`);
}
