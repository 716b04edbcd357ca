// What a build records about the source it was made from, read from git once at build time
// (never at the plugin's start): the commit that `--version` names, and the time that every
// file of a release archive carries, so that one commit gives the same archives on any machine.
//
// Both ignore krew-manifest.yaml: it holds the sha256 of the archives, which hold the commit, so a
// commit that adds the manifest must not change them. The commit named is the last one that
// changed anything else, so the manifest committed after it describes the archives built at HEAD.

/** Every path but the committed krew manifest (a git pathspec). */
const SOURCES = ['--', '.', ':(exclude)krew-manifest.yaml'];

import { execFileSync } from 'node:child_process';

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // no git, or not a checkout (an unpacked source archive)
  }
}

/**
 * The last commit that changed a source (anything but krew-manifest.yaml), abbreviated to 12 hex
 * digits, with `-dirty` when tracked files differ from HEAD (as `git describe --dirty` says): what
 * `--version` prints. Undefined outside a git checkout.
 */
export function sourceCommit(root: string): string | undefined {
  const commit = git(root, ['log', '-1', '--format=%H', 'HEAD', ...SOURCES]);
  if (!commit) return undefined;
  const changes = git(root, ['status', '--porcelain', '--untracked-files=no', ...SOURCES]);
  return commit.slice(0, 12) + (changes ? '-dirty' : '');
}

/**
 * Seconds since the epoch for the files of a release archive: SOURCE_DATE_EPOCH when set (the
 * reproducible-builds.org convention), else the commit time of the last commit that changed a
 * source (sourceCommit's). Never the clock.
 */
export function sourceDateEpoch(root: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not ${fromEnv}`);
    return Number(fromEnv);
  }
  const committed = git(root, ['log', '-1', '--format=%ct', 'HEAD', ...SOURCES]);
  if (!committed) {
    throw new Error('no commit time to give the archived files (not a git checkout): set SOURCE_DATE_EPOCH');
  }
  return Number(committed);
}
