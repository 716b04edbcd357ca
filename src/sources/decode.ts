// A snapshot file's text as the documents it holds, one at a time: JSON (a List's items parsed
// one by one) or YAML (split at its document markers, a List's block-style items split apart,
// each read by readBlockYaml, else by the yaml library with its nesting and aliases bounded).
// Memory then follows the largest object, not the file, and no input can overflow the stack.

import { Composer, Parser, type CST, type Document } from 'yaml';
import { InputError } from '../core/errors.js';
import { readBlockYaml } from './block-yaml.js';
import { lineAndColumn, scanJson } from './json-text.js';

export interface SourceDocument {
  /** "file.yaml", "file.yaml, document 2" or "file.json, item 7": where errors point. */
  where: string;
  value: unknown;
  /** For an item taken out of a List: the List's kind (a PodList's items carry none of their own). */
  listKind?: string;
}

/** More than any Kubernetes object holds (etcd stores at most 1.5 MiB per object): the yaml library needs 70 times that in memory. */
const MAX_YAML_DOCUMENT_BYTES = 16 * 2 ** 20;
/** Nesting the yaml library may recurse into; Kubernetes objects (CRD schemas included) stay far below. */
const MAX_YAML_NESTING = 200;
/** Aliases a document may expand to: kubectl never writes any. */
const MAX_ALIAS_COUNT = 1000;

/** JSON when it starts as JSON does ("{" and a quoted key, "{}", "["); YAML's flow style starts "{kind: ...". */
const STARTS_LIKE_JSON = /^\s*(?:\{\s*(?:["}]|$)|\[)/;

export function* decodeDocuments(text: string, name: string): Generator<SourceDocument> {
  if (!/\S/.test(text))
    throw new InputError(`${name}: the file is empty; expected kubectl get -o json or -o yaml output`);
  if (STARTS_LIKE_JSON.test(text)) yield* jsonDocuments(text, name);
  else yield* yamlDocuments(text, name);
}

function isListKind(kind: unknown): kind is string {
  return typeof kind === 'string' && kind.endsWith('List');
}

function* jsonDocuments(text: string, name: string): Generator<SourceDocument> {
  const scan = scanJson(text);
  if (scan.error) {
    const { line, column } = lineAndColumn(text, scan.error.offset);
    throw new InputError(`${name}: malformed JSON at line ${line} column ${column}: ${scan.error.reason}`);
  }
  if (!scan.items) {
    yield { where: name, value: JSON.parse(text) };
    return;
  }
  const { open, close, spans } = scan.items;
  const header = JSON.parse(`${text.slice(0, open)}[]${text.slice(close)}`) as Record<string, unknown>;
  const parse = ([start, end]: [number, number]) => JSON.parse(text.slice(start, end)) as unknown;
  if (!isListKind(header.kind)) {
    yield { where: name, value: { ...header, items: spans.map(parse) } };
    return;
  }
  yield { where: name, value: header };
  for (let i = 0; i < spans.length; i++) {
    yield { where: `${name}, item ${i + 1}`, value: parse(spans[i]), listKind: header.kind };
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

/** Lines that end a document and start the next ("---", "..."), as YAML 1.2 forbids them inside any scalar. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** A marker with content after it ("--- !tag", "--- |"), or a directive ("%YAML"): the yaml library reads the whole text. */
const UNSPLITTABLE = /^(?:---[ \t]+[^ \t\r\n#]|%)/m;

interface Chunk {
  text: string;
  /** Lines before the chunk in the file, so that errors name the file's line. */
  lineOffset: number;
}

function* yamlDocuments(text: string, name: string): Generator<SourceDocument> {
  if (UNSPLITTABLE.test(text)) {
    const values = yamlLibrary(text, name, 0, true);
    for (const [i, value] of values.entries()) {
      yield { where: values.length > 1 ? `${name}, document ${i + 1}` : name, value };
    }
    return;
  }
  const chunks = documentChunks(text);
  for (const [i, chunk] of chunks.entries()) {
    yield* yamlDocument(chunk, chunks.length > 1 ? `${name}, document ${i + 1}` : name);
  }
}

/** The documents between markers that hold more than blank lines and comments. */
function documentChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let line = 0;
  const add = (end: number) => {
    const chunkText = text.slice(start, end);
    if (/^[ \t]*[^ \t\r\n#]/m.test(chunkText)) chunks.push({ text: chunkText, lineOffset: line });
    line += countLines(chunkText);
  };
  DOCUMENT_MARKER.lastIndex = 0;
  for (let m; (m = DOCUMENT_MARKER.exec(text));) {
    add(m.index);
    const lineEnd = text.indexOf('\n', m.index);
    start = lineEnd < 0 ? text.length : lineEnd + 1;
    line++;
    DOCUMENT_MARKER.lastIndex = start;
  }
  add(text.length);
  return chunks;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function* yamlDocument(chunk: Chunk, where: string): Generator<SourceDocument> {
  const list = splitBlockList(chunk);
  if (list) {
    const header = yamlChunk(list.header, where);
    if (header !== null && typeof header === 'object' && isListKind((header as Record<string, unknown>).kind)) {
      const kind = (header as Record<string, unknown>).kind as string;
      yield { where, value: header };
      let n = 0;
      for (const item of list.items) {
        n++;
        const itemWhere = `${where}, item ${n}`;
        const value = yamlChunk(item, itemWhere);
        // An item's text is a list of that one item, at its own indentation.
        if (!Array.isArray(value) || value.length !== 1) throw new InputError(`${itemWhere}: not one List item`);
        yield { where: itemWhere, value: value[0], listKind: kind };
      }
      return;
    }
  }
  yield { where, value: yamlChunk(chunk, where) };
}

/** One document or item: the fast reader, else the yaml library. */
function yamlChunk(chunk: Chunk, where: string): unknown {
  const value = readBlockYaml(chunk.text);
  return value !== undefined ? value : (yamlLibrary(chunk.text, where, chunk.lineOffset, false)[0] ?? null);
}

/**
 * A document's "items:" key at the start of a line, then a block-style list: the text without
 * the list ("items: []" instead) and each item's text. kubectl writes Lists so; one List of
 * 50,000 pods would otherwise be one document.
 */
function splitBlockList(chunk: Chunk): { header: Chunk; items: Generator<Chunk> } | undefined {
  const text = chunk.text;
  const key = /^items:[ \t]*\r?$/m.exec(text);
  if (!key) return undefined;
  const listStart = text.indexOf('\n', key.index) + 1;
  if (listStart === 0) return undefined;
  const first = /^( *)-(?:[ \r]|$)/m.exec(text.slice(listStart));
  if (!first || /\S/.test(text.slice(listStart, listStart + first.index).replace(/^[ \t]*#.*$/gm, '')))
    return undefined;
  const indent = first[1].length;
  // The list runs while lines are blank, comments, more indented, or its "- " items.
  let end = listStart + first.index;
  const itemStarts: number[] = [];
  while (end < text.length) {
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    let at = end;
    while (text.charCodeAt(at) === 32) at++;
    const c = text[at];
    if (at < lineEnd && c !== '\r' && c !== '#' && at - end <= indent) {
      const next = text[at + 1];
      if (at - end < indent || c !== '-' || !(next === ' ' || next === '\r' || at + 1 >= lineEnd)) break;
      itemStarts.push(end);
    }
    end = lineEnd + 1;
  }
  end = Math.min(end, text.length);
  const keyLine = chunk.lineOffset + countLines(text.slice(0, key.index));
  const header: Chunk = {
    // The list's lines stay as blank lines, so that lines after it keep their numbers.
    text: `${text.slice(0, key.index)}items: []\n${'\n'.repeat(countLines(text.slice(key.index, end)) - 1)}${text.slice(end)}`,
    lineOffset: chunk.lineOffset,
  };
  function* items(): Generator<Chunk> {
    let line = keyLine + countLines(text.slice(key!.index, itemStarts[0]));
    for (let i = 0; i < itemStarts.length; i++) {
      const itemText = text.slice(itemStarts[i], itemStarts[i + 1] ?? end);
      yield { text: itemText, lineOffset: line };
      line += countLines(itemText);
    }
  }
  return { header, items: items() };
}

/** The depth of a document's syntax tree, walked without recursion; stops once past `limit`. */
function nesting(token: CST.Token, limit: number): number {
  let deepest = 0;
  const todo: [CST.Token, number][] = [[token, 0]];
  while (todo.length > 0 && deepest <= limit) {
    const [t, depth] = todo.pop()!;
    deepest = Math.max(deepest, depth);
    if (t.type === 'document' && t.value) todo.push([t.value, depth]);
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      for (const item of t.items) {
        if ('key' in item && item.key) todo.push([item.key, depth + 1]);
        if (item.value) todo.push([item.value, depth + 1]);
      }
    }
  }
  return deepest;
}

/** Documents read by the yaml library: its parser builds the syntax tree without recursion, its composer recurses. */
function yamlLibrary(text: string, where: string, lineOffset: number, numbered: boolean): unknown[] {
  if (text.length > MAX_YAML_DOCUMENT_BYTES) {
    throw new InputError(
      `${where}: a YAML document of ${megabytes(text.length)} MB, over the ${megabytes(MAX_YAML_DOCUMENT_BYTES)} MB read at once; ` +
        'save it as JSON (kubectl get -o json), or as a List with its items in block style, as kubectl writes it',
    );
  }
  const at = (offset: number) => {
    const { line, column } = lineAndColumn(text, offset);
    return `line ${line + lineOffset} column ${column}`;
  };
  const values: unknown[] = [];
  const docWhere = () => (numbered ? `${where}, document ${values.length + 1}` : where);
  const toValue = (doc: Document.Parsed) => {
    const error = doc.errors[0];
    if (error) {
      throw new InputError(`${docWhere()}: malformed YAML at ${at(error.pos[0])}: ${error.message.split('\n')[0]}`);
    }
    try {
      values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      throw new InputError(
        `${docWhere()}: YAML aliases that expand to more than ${MAX_ALIAS_COUNT} nodes (kubectl writes none); refused`,
      );
    }
  };
  const composer = new Composer({ uniqueKeys: false });
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document' && nesting(token, MAX_YAML_NESTING) > MAX_YAML_NESTING) {
      throw new InputError(
        `${docWhere()}: nested more than ${MAX_YAML_NESTING} levels deep at ${at(token.offset)}; refused`,
      );
    }
    for (const doc of composer.next(token)) toValue(doc);
  }
  for (const doc of composer.end()) toValue(doc);
  return values;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);
}
