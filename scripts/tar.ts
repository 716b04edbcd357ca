// Just enough of the tar format (POSIX ustar) to write the release archives and read them
// back in tests, with no dependency on the tar of the machine (GNU and BSD tar differ).
//
// The archives are reproducible: the same files give the same bytes on any machine. Entries are
// sorted by name, every header has the same owner (root, 0:0), the mode given and the mtime given
// (scripts/source-info.ts: SOURCE_DATE_EPOCH or the commit's time), and gzip is pako's, a
// JavaScript port of zlib whose output does not depend on the Node.js build or the CPU, as
// node:zlib's can (a Node.js linked to the system's zlib or zlib-ng, or a SIMD path of Chromium's
// zlib, compresses differently); its gzip header has no timestamp or name and says Unix (3) on
// every OS.

import { gunzipSync } from 'node:zlib';
import { gzip } from 'pako';

export interface TarEntry {
  name: string;
  data: Buffer;
  mode: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, mtime: number): Buffer {
  if (Buffer.byteLength(entry.name) > 100) throw new Error(`tar: name too long: ${entry.name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(entry.name, 0, 100, 'utf8');
  h.write(octal(entry.mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(entry.data.length, 12), 124, 12, 'ascii');
  h.write(octal(mtime, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum field counts as spaces while summing
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A gzip-compressed tar of regular files, sorted by name, each with this mtime (seconds). */
export function tarGz(entries: TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  // By bytes, not by locale: the same order everywhere.
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  for (const entry of sorted) {
    parts.push(header(entry, mtime), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return Buffer.from(gzip(Buffer.concat(parts)));
}

/** A regular file of an archive, with what its header says besides name and mode. */
export interface ReadTarEntry extends TarEntry {
  mtime: number;
  uid: number;
  gid: number;
  user: string;
  group: string;
}

/** The regular files of a .tar.gz, in the archive's order. */
export function readTarGz(archive: Buffer): ReadTarEntry[] {
  const tar = gunzipSync(archive);
  const entries: ReadTarEntry[] = [];
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      h
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const type = field(156, 1) || '0';
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    const number = (start: number, length: number) => parseInt(field(start, length).trim(), 8);
    if (type === '0') {
      entries.push({
        name,
        data: Buffer.from(data),
        mode: number(100, 8),
        uid: number(108, 8),
        gid: number(116, 8),
        mtime: number(136, 12),
        user: field(265, 32),
        group: field(297, 32),
      });
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
