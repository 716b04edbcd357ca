// What the bench needs on the machine (GNU time, kubectl, a build), and what it says of the
// machine in the report.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

/** GNU time: the bench reads each command's peak RSS from it. */
export const TIME = '/usr/bin/time';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  kubectl: string;
  /** Load averages (1, 5, 15 min) when the bench started. */
  loadBefore: number[];
  /** What was measured: the commit, and the uncommitted changes to src/. */
  source: string;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Exits with a hint when a prerequisite is missing; otherwise describes the machine. */
export function benchMachine(root: string): Machine {
  if (!existsSync(TIME))
    fail(`${TIME} is missing: the bench reads peak RSS from GNU time. Install it: apt-get install time`);
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (version.status !== 0)
    fail('kubectl is not on PATH: (b) runs the real kubectl. On Debian: apt-get install kubernetes-client');
  const kubectl = (JSON.parse(version.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
  if (!existsSync(join(root, 'dist/cli.js'))) fail('dist/ is missing: npm run bench builds it first (npm run build)');

  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    kubectl,
    loadBefore: loadavg(),
    source: measuredSource(root),
  };
}

/** The commit, and the uncommitted changes to src/ (read-only git commands). */
function measuredSource(root: string): string {
  const git = (...args: string[]) =>
    spawnSync('git', ['--no-optional-locks', '-C', root, ...args], { encoding: 'utf8' }).stdout ?? '';
  const head = git('rev-parse', '--short', 'HEAD').trim();
  const dirty = git('status', '--porcelain', '--', 'src')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return head
    ? `commit ${head}${dirty.length ? ` with uncommitted changes to ${dirty.join(', ')}` : ''}`
    : 'unknown (not a git checkout)';
}
