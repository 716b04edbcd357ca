// --version: the version and the commit the build was made from, read from what the build wrote
// (dist/build-info.json), never from git at run time. The release bundle's is defined at bundle
// time: test/package.test.ts.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceCommit } from '../scripts/source-info.js';
import { runCli } from './support/cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const inCheckout = sourceCommit(ROOT) !== undefined;

/** The built CLI (bin/ and dist/) copied elsewhere, so that its build-info.json can be changed. */
function builtCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-version-'));
  for (const path of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function versionOf(dir: string): { code: number | null; stdout: string; stderr: string } {
  // No git on PATH: the commit must come from the build, not from the checkout.
  const result = spawnSync(process.execPath, [join(dir, 'bin/kubectl-endpoints_doctor'), '--version'], {
    encoding: 'utf8',
    env: { PATH: '/nonexistent' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('--version', () => {
  it.skipIf(!inCheckout)('npm run build records the commit in dist/build-info.json; --version prints it', () => {
    const { commit } = JSON.parse(readFileSync(join(ROOT, 'dist/build-info.json'), 'utf8')) as { commit?: string };
    expect(commit).toMatch(/^[0-9a-f]{12}(-dirty)?$/);
    expect(runCli(['--version'])).toEqual({ code: 0, stdout: `${version} (commit ${commit})\n`, stderr: '' });
  });

  it('reads the commit from the build, with no git to run; the version alone when the build did not know it', () => {
    const dir = builtCopy();
    writeFileSync(join(dir, 'dist/build-info.json'), JSON.stringify({ commit: '0123456789ab' }));
    expect(versionOf(dir)).toEqual({ code: 0, stdout: `${version} (commit 0123456789ab)\n`, stderr: '' });
    // Built outside a checkout: write-build-info.ts writes {}.
    writeFileSync(join(dir, 'dist/build-info.json'), '{}\n');
    expect(versionOf(dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    // Built by tsc alone.
    rmSync(join(dir, 'dist/build-info.json'));
    expect(versionOf(dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('sourceCommit (what a build records)', () => {
  it.skipIf(!inCheckout)(
    'is the last commit that changed a source (not krew-manifest.yaml), 12 digits, -dirty when a tracked source differs',
    () => {
      const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
      const sources = ['--', '.', ':(exclude)krew-manifest.yaml'];
      const last = git('log', '-1', '--format=%H', 'HEAD', ...sources);
      const dirty = git('status', '--porcelain', '--untracked-files=no', ...sources) !== '';
      expect(sourceCommit(ROOT)).toBe(last.slice(0, 12) + (dirty ? '-dirty' : ''));
    },
  );

  it('ignores a commit that changes only krew-manifest.yaml, which holds the checksums of archives naming the commit', () => {
    const repo = mkdtempSync(join(tmpdir(), 'epd-manifest-commit-'));
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    git('init', '--quiet');
    writeFileSync(join(repo, 'README.md'), 'one\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'source');
    const source = git('rev-parse', 'HEAD').stdout.trim();
    writeFileSync(join(repo, 'krew-manifest.yaml'), 'sha256: 0\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'manifest');
    expect(sourceCommit(repo)).toBe(source.slice(0, 12));
    writeFileSync(join(repo, 'krew-manifest.yaml'), 'sha256: 1\n'); // uncommitted, still not -dirty
    expect(sourceCommit(repo)).toBe(source.slice(0, 12));
    writeFileSync(join(repo, 'README.md'), 'two\n');
    expect(sourceCommit(repo)).toBe(`${source.slice(0, 12)}-dirty`);
  });

  it('is undefined outside a git checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-nogit-'));
    expect(existsSync(join(dir, '.git'))).toBe(false);
    expect(sourceCommit(dir)).toBeUndefined();
  });
});
