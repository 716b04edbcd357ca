// Reads what `kubectl get ... -o json|yaml` writes: a List, single objects, multi-document
// YAML, from a file, stdin ("-") or every .json/.yaml/.yml file of a folder.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../errors.js';
import { ObjectCollector } from './objects.js';

export interface SourceDocument {
  /** "file.yaml" or "file.yaml, document 2": where errors point. */
  where: string;
  value: unknown;
}

const SNAPSHOT_EXTENSIONS = /\.(json|ya?ml)$/i;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The files a snapshot argument names: the file itself, or a folder's snapshot files sorted by name. */
async function snapshotFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `snapshot ${path}: no such file or folder`
        : `snapshot ${path}: cannot read it (${code ?? String(e)})`,
    );
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => SNAPSHOT_EXTENSIONS.test(n)).sort();
  if (names.length === 0) throw new InputError(`snapshot folder ${path} holds no .json, .yaml or .yml file`);
  return names.map((n) => join(path, n));
}

/** Decodes one file's text: JSON when it parses as JSON, else (multi-document) YAML. */
export function decodeDocuments(text: string, name: string): SourceDocument[] {
  if (text.trim() === '')
    throw new InputError(`${name}: the file is empty; expected kubectl get -o json or -o yaml output`);
  const looksLikeJson = /^\s*[{[]/.test(text);
  if (looksLikeJson) {
    try {
      return [{ where: name, value: JSON.parse(text) }];
    } catch {
      // YAML flow syntax also starts with { or [: fall through and let YAML decide.
    }
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      const at = pos ? `line ${pos.line} column ${pos.col}` : `document ${i + 1}`;
      throw new InputError(
        `${name}: malformed ${looksLikeJson ? 'JSON' : 'YAML'} at ${at}: ${error.message.split('\n')[0]}`,
      );
    }
    return { where: list.length > 1 ? `${name}, document ${i + 1}` : name, value: doc.toJS({ maxAliasCount: 1000 }) };
  });
}

export async function readSnapshotDocuments(path: string): Promise<SourceDocument[]> {
  if (path === '-') return decodeDocuments(await readStdin(), 'stdin');
  const docs: SourceDocument[] = [];
  for (const file of await snapshotFiles(path)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new InputError(`snapshot ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    for (const doc of decodeDocuments(text, file)) docs.push(doc);
  }
  return docs;
}

export async function readSnapshot(path: string): Promise<ObjectCollector> {
  const collector = new ObjectCollector();
  for (const doc of await readSnapshotDocuments(path)) collector.add(doc.value, doc.where);
  if (collector.objects.length === 0) {
    const other = [...collector.skippedKinds.keys()];
    throw new InputError(
      `snapshot ${path === '-' ? 'stdin' : path}: no Service, Pod, EndpointSlice, Endpoints or Node in it` +
        (other.length ? ` (found only ${other.join(', ')})` : '') +
        '; create one with: kubectl get services,endpoints,endpointslices,pods,nodes -A -o yaml',
    );
  }
  return collector;
}
