// Reads what `kubectl get ... -o json|yaml` writes: a List, single objects, multi-document
// YAML, from a file, stdin ("-") or every .json/.yaml/.yml file of a folder. Only regular files
// are read (a FIFO would block forever, /dev/zero never ends), each up to MAX_SNAPSHOT_BYTES.

import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { KINDS } from '../core/kinds.js';
import { decodeDocuments, type SourceDocument } from './decode.js';
import { ObjectCollector, withItemKind } from './objects.js';

export type { SourceDocument } from './decode.js';

/** The most one file (or stdin) may hold: about the longest string JavaScript can hold (2^29 characters). */
export const MAX_SNAPSHOT_BYTES = 512_000_000;

const SNAPSHOT_EXTENSIONS = /\.(json|ya?ml)$/i;

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / 1e6)} MB`;
}

function tooLarge(name: string, bytes: string): InputError {
  return new InputError(
    `${name}: ${bytes}, over the ${megabytes(MAX_SNAPSHOT_BYTES)} one snapshot file may hold; ` +
      'split it into several files in a folder (one per kind or namespace) and pass the folder',
  );
}

/** What "-" reads: stdin, or the stream a caller hands over instead. */
type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

async function readStdin(stdin: Stdin): Promise<Buffer> {
  if (stdin.isTTY) {
    throw new InputError('--snapshot -: stdin is a terminal; pipe a file into it (kubectl get ... -o yaml | ...)');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_SNAPSHOT_BYTES) throw tooLarge('stdin', `more than ${megabytes(MAX_SNAPSHOT_BYTES)}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function fileType(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'a special file';
}

function cannotRead(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(
    code === 'ENOENT'
      ? `snapshot ${file}: no such file or folder`
      : `snapshot ${file}: cannot read it (${code ?? String(e)})`,
  );
}

/** A regular file's bytes. Opened without blocking and checked once open, so that nothing swapped in meanwhile is read. */
async function readRegularFile(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new InputError(
        `snapshot ${file}: ${fileType(info)}, not a regular file; save the output to a file first, or pipe it to --snapshot -`,
      );
    }
    if (info.size > MAX_SNAPSHOT_BYTES) throw tooLarge(`snapshot ${file}`, megabytes(info.size));
    return await handle.readFile();
  } catch (e) {
    throw e instanceof InputError ? e : cannotRead(file, e);
  } finally {
    await handle.close();
  }
}

/** The files a snapshot argument names: the file itself, or a folder's snapshot files sorted by name. */
async function snapshotFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => SNAPSHOT_EXTENSIONS.test(n)).sort();
  if (names.length === 0) throw new InputError(`snapshot folder ${path} holds no .json, .yaml or .yml file`);
  return names.map((n) => join(path, n));
}

/** Text as UTF-8 (its byte-order mark dropped), or UTF-16 when a byte-order mark says so. */
function decodeText(bytes: Buffer, name: string): string {
  const saveAsUtf8 = 'save it as UTF-8';
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) ||
    (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
  ) {
    throw new InputError(`${name}: UTF-32 text; ${saveAsUtf8}`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const body = Buffer.from(bytes.subarray(2));
    if (body.length % 2 !== 0) throw new InputError(`${name}: UTF-16 text with an odd number of bytes; ${saveAsUtf8}`);
    if (bytes[0] === 0xfe) body.swap16();
    return body.toString('utf16le');
  }
  // JSON and YAML text never holds NUL: UTF-16 without a byte-order mark, or not text at all.
  if (bytes.includes(0))
    throw new InputError(`${name}: holds NUL bytes (UTF-16 without a byte-order mark, or not text); ${saveAsUtf8}`);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}

/** Every document of a snapshot, in order; a List's items come one by one after the List without them. */
async function* snapshotDocuments(path: string, stdin: Stdin = process.stdin): AsyncGenerator<SourceDocument> {
  if (path === '-') {
    yield* decodeDocuments(decodeText(await readStdin(stdin), 'stdin'), 'stdin');
    return;
  }
  for (const file of await snapshotFiles(path)) {
    yield* decodeDocuments(decodeText(await readRegularFile(file), file), file);
  }
}

/** Every object of a snapshot as kubectl's output nests them flattened, for the test server. */
export async function readSnapshotDocuments(path: string): Promise<SourceDocument[]> {
  const docs: SourceDocument[] = [];
  for await (const doc of snapshotDocuments(path)) {
    docs.push(doc.listKind ? { where: doc.where, value: withItemKind(doc.value, doc.listKind) } : doc);
  }
  return docs;
}

export async function readSnapshot(path: string, stdin?: Stdin): Promise<ObjectCollector> {
  const collector = new ObjectCollector({ checkNames: true });
  for await (const doc of snapshotDocuments(path, stdin)) {
    if (doc.listKind) collector.addItem(doc.value, doc.listKind, doc.where);
    else collector.add(doc.value, doc.where);
  }
  if (collector.objects.length === 0) {
    const other = [...collector.skippedKinds.keys()];
    const kinds = KINDS.map((k) => k.kind);
    throw new InputError(
      `snapshot ${path === '-' ? 'stdin' : path}: no ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)} in it` +
        (other.length ? ` (found only ${other.join(', ')})` : '') +
        `; create one with: kubectl get ${KINDS.map((k) => k.resource).join(',')} -A -o yaml`,
    );
  }
  return collector;
}
