// The commands the bench times against the test API server, each under GNU time: (a) the doctor,
// (b) kubectl get, (c) the floor; and the scratch folder they write to.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import type { ClusterSize } from '../generate.js';
import type { ServerReady, ServerStats } from '../server.js';
import { Child } from './child.js';
import { TIME } from './machine.js';
import { collectionPath, KINDS } from '../../src/core/kinds.js';
import { fmtMB, fmtS } from './stats.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The CLI from dist/ as `npm install` runs it: profiled, since the bundle's names are minified. */
const SOURCE_BIN = join(ROOT, 'bin/kubectl-endpoints_doctor');
/** The lists the doctor reads with -A, in its order: the floor (c) reads the same. */
export const LISTS = KINDS.map(
  (kind) =>
    collectionPath(kind) +
    (kind.fieldSelector ? `?${new URLSearchParams({ fieldSelector: kind.fieldSelector }).toString()}` : ''),
);

/**
 * What (b) asks kubectl for: the same kinds but Endpoints (what a user reads today is the
 * slices) and Events (kubectl get takes one field selector for every type it lists).
 */
export const KUBECTL_GET_RESOURCES = KINDS.filter((kind) => kind.kind !== 'Endpoints' && !kind.fieldSelector)
  .map((kind) => kind.resource)
  .join(',');

/** A scratch folder, removed when the bench exits, with the floor's script in it. */
export interface Workspace {
  dir: string;
  /** bench/floor.ts as plain JavaScript, so that (c) pays no TypeScript loader start-up. */
  floorScript: string;
  /**
   * The CLI as krew installs it (scripts/package.ts's one-file bundle, run by node), timed as (a)
   * and (e): one file starts about 0.1 s of CPU sooner than dist/'s hundred-odd ES modules.
   */
  bin: string;
}

export function makeWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'endpoints-doctor-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const floorScript = join(dir, 'floor.mjs');
  writeFileSync(
    floorScript,
    ts.transpileModule(readFileSync(resolve(import.meta.dirname, '../floor.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  );
  const release = join(dir, 'release');
  execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/package.ts', '--bundle-only', '--out', release], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return { dir, floorScript, bin: join(release, 'bundle/kubectl-endpoints_doctor') };
}

export type Server = Child<ServerReady, ServerStats> & { info: ServerReady; caFile: string; work: Workspace };

export async function startServer(size: ClusterSize, work: Workspace): Promise<Server> {
  const child = Child.fork<ServerReady, ServerStats>('server.ts', size);
  const info = await child.ready;
  const caFile = join(work.dir, `ca-${Date.now()}.pem`);
  writeFileSync(caFile, info.caPem);
  return Object.assign(child, { info, caFile, work });
}

export type CommandId = 'a' | 'b' | 'c';

export interface Sample {
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

/** `profile`: (a) from dist/ under these node flags (node --cpu-prof), for readable names. */
export function invocation(id: CommandId, server: Server, profile?: string[]): Invocation {
  const { kubeconfigPath, kubectlArgs, url, token } = server.info;
  switch (id) {
    case 'a':
      return {
        command: process.execPath,
        args: [
          ...(profile ? [...profile, SOURCE_BIN] : [server.work.bin]),
          '--kubeconfig',
          kubeconfigPath,
          '-A',
          '-o',
          'json',
        ],
        ok: [0, 1],
      };
    case 'b':
      return {
        command: 'kubectl',
        args: [...kubectlArgs, 'get', KUBECTL_GET_RESOURCES, '-A', '-o', 'json'],
        ok: [0],
      };
    case 'c':
      return {
        command: process.execPath,
        args: [server.work.floorScript, url, token, server.caFile, ...LISTS],
        ok: [0],
      };
  }
}

/** Runs one command under GNU time, stdout to `stdoutFile` (/dev/null by default). */
export async function measure(server: Server, inv: Invocation, stdoutFile = '/dev/null'): Promise<Sample> {
  const timeFile = join(server.work.dir, 'time.txt');
  // No command pays for the previous one's list snapshots or garbage in the server.
  const before = await server.ask({ cmd: 'reset' });
  const load = loadavg()[0];
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
    maxRssBytes: maxKB * 1024,
    userS: user,
    sysS: sys,
    serverCpuMs: (after.cpuUser + after.cpuSystem - before.cpuUser - before.cpuSystem) / 1000,
    serverListMs: after.listMs - before.listMs,
    requests: after.requests,
    load,
  };
}

export function describe(id: string, s: Sample): string {
  return (
    `(${id}) ${fmtS(s.wallMs)} s, peak RSS ${fmtMB(s.maxRssBytes)} MB, user ${s.userS.toFixed(2)} s sys ${s.sysS.toFixed(2)} s, ` +
    `server CPU ${fmtS(s.serverCpuMs)} s (snapshots ${fmtS(s.serverListMs)} s), load ${s.load.toFixed(1)}`
  );
}
