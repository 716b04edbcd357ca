// What makes a release archive the same bytes wherever it is built (scripts/tar.ts,
// scripts/source-info.ts). Two whole builds compared: test/package.test.ts.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceDateEpoch } from '../scripts/source-info.js';
import { readTarGz, tarGz, type TarEntry } from '../scripts/tar.js';

const ROOT = resolve(import.meta.dirname, '..');
const inCheckout = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).status === 0;

const files: TarEntry[] = [
  { name: 'kubectl-endpoints_doctor', data: Buffer.from('#!/bin/sh\necho plugin\n'), mode: 0o755 },
  { name: 'README.md', data: Buffer.from('# read me\n'), mode: 0o644 },
  { name: 'LICENSE', data: Buffer.alloc(3000, 'license text '), mode: 0o644 },
];

describe('tarGz', () => {
  it('sorts the entries by name: the order given changes nothing', () => {
    const archive = tarGz(files, 1_700_000_000);
    expect(tarGz([...files].reverse(), 1_700_000_000)).toEqual(archive);
    // Byte order (uppercase before lowercase), not the locale's.
    expect(readTarGz(archive).map((e) => e.name)).toEqual(['LICENSE', 'README.md', 'kubectl-endpoints_doctor']);
  });

  it('gives every entry the mtime given, owner root (0:0) and its own mode', () => {
    const entries = readTarGz(tarGz(files, 1_700_000_000));
    for (const entry of entries) {
      expect(entry).toMatchObject({ mtime: 1_700_000_000, uid: 0, gid: 0, user: 'root', group: 'root' });
    }
    expect(entries.map((e) => [e.name, e.mode])).toEqual([
      ['LICENSE', 0o644],
      ['README.md', 0o644],
      ['kubectl-endpoints_doctor', 0o755],
    ]);
    expect(readTarGz(tarGz(files, 1_800_000_000))[0].mtime).toBe(1_800_000_000);
  });

  it('writes a gzip header without a timestamp, name or comment, saying Unix', () => {
    const header = tarGz(files, 1_700_000_000).subarray(0, 10);
    expect(header.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8])); // gzip, deflate
    expect(header[3]).toBe(0); // flags: no name, comment, extra field or header CRC
    expect(header.readUInt32LE(4)).toBe(0); // MTIME: none
    expect(header[9]).toBe(3); // OS: Unix, wherever it is built
  });

  it('compresses the same way on every machine (pinned: a change of pako shows here)', () => {
    // The bytes of this small archive as pako 3 writes them; node:zlib may differ between builds.
    const archive = tarGz(files, 1_700_000_000);
    expect(createHash('sha256').update(archive).digest('hex')).toMatchInlineSnapshot(
      `"49f8e2f9947d83f64d98d8541076baa04ffdc43d42114e990588c52dbcafa4d1"`,
    );
  });
});

describe('sourceDateEpoch (the mtime of the archived files)', () => {
  it('is SOURCE_DATE_EPOCH when set', () => {
    expect(sourceDateEpoch(ROOT, { SOURCE_DATE_EPOCH: '1700000000' })).toBe(1_700_000_000);
    expect(() => sourceDateEpoch(ROOT, { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH must be/);
  });

  it.skipIf(!inCheckout)('is otherwise the time of the last commit that changed a source, not the clock', () => {
    const committed = spawnSync(
      'git',
      ['log', '-1', '--format=%ct', 'HEAD', '--', '.', ':(exclude)krew-manifest.yaml'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(sourceDateEpoch(ROOT, {})).toBe(Number(committed.stdout.trim()));
  });

  it('outside a git checkout, without SOURCE_DATE_EPOCH, is an error that says to set it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-nogit-'));
    expect(() => sourceDateEpoch(dir, {})).toThrow(/set SOURCE_DATE_EPOCH/);
  });
});
