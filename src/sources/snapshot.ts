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
  const trimmed = text.trim();
  if (trimmed === '')
    throw new InputError(`${name}: the file is empty; expected kubectl get -o json or -o yaml output`);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [{ where: name, value: JSON.parse(trimmed) }];
    } catch (e) {
      // Not JSON after all: YAML flow syntax also starts with { or [. Report JSON's position if YAML fails too.
      const yamlDocs = tryYaml(text, name);
      if (yamlDocs) return yamlDocs;
      throw new InputError(`${name}: malformed JSON: ${jsonPosition(e as Error, trimmed)}`);
    }
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, i) => {
    const where = list.length > 1 ? `${name}, document ${i + 1}` : name;
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      throw new InputError(
        `${name}${pos ? `:${pos.line}:${pos.col}` : ''}: malformed YAML: ${error.message.split('\n')[0]}`,
      );
    }
    return { where, value: doc.toJS({ maxAliasCount: 1000 }) };
  });
}

function tryYaml(text: string, name: string): SourceDocument[] | undefined {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return undefined;
  return list.map((d, i) => ({ where: list.length > 1 ? `${name}, document ${i + 1}` : name, value: d.toJS() }));
}

/** "line L column C: message" from V8's JSON.parse error ("... at position N ..."). */
function jsonPosition(error: Error, text: string): string {
  const match = /position (\d+)/.exec(error.message);
  const reason = error.message
    .replace(/^JSON\.parse: /, '')
    .split(' in JSON')[0]!
    .replace(/ at position \d+.*$/, '');
  if (!match) return reason;
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line} column ${col}: ${reason}`;
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
    docs.push(...decodeDocuments(text, file));
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
