// What `kubectl get -o json|yaml` wrote, read back for the server to serve: a file, or every
// .json/.yaml/.yml file of a folder, as JSON or (multi-document) YAML. The server reads these
// itself rather than with the doctor's snapshot reader, which is among the code it helps test.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const OBJECT_FILES = /\.(json|ya?ml)$/i;

async function filesOf(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => OBJECT_FILES.test(n)).sort();
  return names.map((n) => join(path, n));
}

function documentsOf(text: string, file: string): unknown[] {
  // JSON first: it is what kubectl writes for -o json, and parsing it as YAML is much slower.
  try {
    return [JSON.parse(text)];
  } catch {
    const documents = parseAllDocuments(text);
    for (const d of documents) if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return documents.map((d) => d.toJS() as unknown);
  }
}

/** The documents of the files at `path` (a file or a folder), in order; Lists stay whole. */
export async function readObjectFiles(path: string): Promise<unknown[]> {
  const documents: unknown[] = [];
  for (const file of await filesOf(path)) documents.push(...documentsOf(await readFile(file, 'utf8'), file));
  return documents;
}
