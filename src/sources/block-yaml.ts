// Block-style YAML written and read line by line, for snapshots: the yaml library parses about
// 2 MB a second, so a 100 MB snapshot would take the best part of a minute. writeBlockYaml writes
// kubectl's layout (maps and lists in block style, a list's dashes at its key's indentation);
// readBlockYaml reads that subset of YAML, as YAML 1.2 (core schema) reads it, in one pass without
// recursion, and declines (returns undefined) anything outside it (flow collections other than {}
// and [], block scalars, multi-line scalars, anchors, tags, comments after values, tabs...): the
// caller then hands the text to the yaml library.

import { setOwnKey } from './slim.js';

type Value = unknown;
type YamlMap = Record<string, Value>;

/** A string that every YAML reader (1.1, as kubectl's, and 1.2) reads as this string when written plain. */
const PLAIN_STRING = /^[A-Za-z][-A-Za-z0-9_./]*$/;
/** Words YAML 1.1 reads as booleans or null; YAML 1.2 reads some of them too. */
const NOT_A_STRING =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function quote(text: string): string {
  // JSON's escapes are YAML's; YAML wants DEL, C1 controls, line and paragraph separators and the BOM escaped too.
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function scalarText(value: Value): string {
  if (typeof value === 'string') return PLAIN_STRING.test(value) && !NOT_A_STRING.test(value) ? value : quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return 'null';
}

function isMap(value: Value): value is YamlMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function entries(map: YamlMap): [string, Value][] {
  return Object.entries(map).filter(([, v]) => v !== undefined);
}

/** One object (a map) as a block-style YAML document, without the "---" that separates documents. */
export function writeBlockYaml(object: YamlMap): string {
  const lines: string[] = [];
  writeMap(entries(object), '', lines);
  return lines.join('\n') + '\n';
}

function writeMap(pairs: [string, Value][], indent: string, lines: string[], firstPrefix = indent): void {
  pairs.forEach(([key, value], i) => {
    const head = `${i === 0 ? firstPrefix : indent}${scalarText(key)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${head} []`);
      else {
        lines.push(head);
        writeList(value, indent, lines);
      }
    } else if (isMap(value)) {
      const inner = entries(value);
      if (inner.length === 0) lines.push(`${head} {}`);
      else {
        lines.push(head);
        writeMap(inner, `${indent}  `, lines);
      }
    } else lines.push(`${head} ${scalarText(value)}`);
  });
}

function writeList(items: Value[], indent: string, lines: string[]): void {
  for (const item of items) {
    if (isMap(item) && entries(item).length > 0) writeMap(entries(item), `${indent}  `, lines, `${indent}- `);
    else if (isMap(item)) lines.push(`${indent}- {}`);
    // A list in a list (no Kubernetes field the snapshot writes is one) in flow style: JSON is YAML.
    else if (Array.isArray(item)) lines.push(`${indent}- ${JSON.stringify(item)}`);
    else lines.push(`${indent}- ${scalarText(item)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Deeper than any Kubernetes object: declined, for the caller's own depth check. */
const MAX_DEPTH = 64;

const PLAIN_KEY = /^[A-Za-z_][-A-Za-z0-9_./]*$/;
const CORE_NULL = /^(?:~|null|Null|NULL)$/;
const CORE_TRUE = /^(?:true|True|TRUE)$/;
const CORE_FALSE = /^(?:false|False|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCTAL = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INFINITY = /^([-+]?)\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;
/** Characters that make a plain scalar something else when they start it. */
const INDICATOR = /^(?:[[\]{}&*!|>%@`#,'"]|[-?:](?: |$))/;

const DECLINED = Symbol('declined');

/** A plain scalar as the YAML 1.2 core schema resolves it. */
function plainValue(text: string): Value {
  if (INDICATOR.test(text) || text.includes(': ') || text.includes(' #') || text.endsWith(':') || text.includes('\t')) {
    return DECLINED;
  }
  if (CORE_NULL.test(text)) return null;
  if (CORE_TRUE.test(text)) return true;
  if (CORE_FALSE.test(text)) return false;
  if (CORE_INT.test(text) || CORE_FLOAT.test(text)) return Number(text);
  if (CORE_OCTAL.test(text)) return parseInt(text.slice(2), 8);
  if (CORE_HEX.test(text)) return parseInt(text.slice(2), 16);
  const infinity = CORE_INFINITY.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (CORE_NAN.test(text)) return NaN;
  return text;
}

/** Where a quoted scalar that starts `text` ends (after its closing quote), or -1. */
function quotedEnd(text: string): number {
  const q = text[0];
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

function quotedValue(text: string): Value {
  if (text[0] === '"') {
    try {
      // JSON's double-quoted strings are YAML's, escapes included; YAML-only escapes are declined.
      return JSON.parse(text) as string;
    } catch {
      return DECLINED;
    }
  }
  return text.slice(1, -1).replaceAll("''", "'");
}

function scalarValue(text: string): Value {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text[0] === '"' || text[0] === "'") return quotedEnd(text) === text.length ? quotedValue(text) : DECLINED;
  return plainValue(text);
}

/** "key: value" or "key:" (value undefined); undefined when `text` is not a map entry; DECLINED when unsure. */
function mapEntry(text: string): { key: string; value: string | undefined } | undefined | typeof DECLINED {
  let keyEnd: number;
  let key: string;
  if (text[0] === '"' || text[0] === "'") {
    keyEnd = quotedEnd(text);
    if (keyEnd < 0) return DECLINED;
    if (text[keyEnd] !== ':') return keyEnd === text.length ? undefined : DECLINED;
    const quoted = quotedValue(text.slice(0, keyEnd));
    if (quoted === DECLINED) return DECLINED;
    key = quoted as string;
  } else {
    const colon = text.indexOf(': ');
    keyEnd = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1;
    if (keyEnd < 0) return undefined;
    key = text.slice(0, keyEnd);
    if (!PLAIN_KEY.test(key) || CORE_NULL.test(key) || CORE_TRUE.test(key) || CORE_FALSE.test(key)) return DECLINED;
  }
  const rest = text.slice(keyEnd + 1).trimStart();
  if (rest !== '' && text[keyEnd + 1] !== ' ') return DECLINED;
  return { key, value: rest === '' ? undefined : rest };
}

interface Frame {
  indent: number;
  value: YamlMap | Value[];
}

/**
 * The value of one YAML document (or of a List's item: a list at any indentation) in the block
 * subset above; null for an empty document; undefined when the text is outside the subset.
 */
export function readBlockYaml(text: string): Value {
  const stack: Frame[] = [];
  let root: Value = null;
  let pending: { map: YamlMap; key: string; indent: number } | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    const content = line.slice(indent).trimEnd();
    if (content === '' || content[0] === '#') continue;
    if (content[0] === '\t' || content === '-') return undefined;
    const isItem = content.startsWith('- ');

    if (pending) {
      // "key:" then a block one level in, or (kubectl's layout) a list at the key's own indentation.
      if (indent > pending.indent || (indent === pending.indent && isItem)) {
        const child: YamlMap | Value[] = isItem ? [] : {};
        setOwnKey(pending.map, pending.key, child);
        stack.push({ indent, value: child });
      } else setOwnKey(pending.map, pending.key, null);
      pending = undefined;
    }
    if (stack.length === 0) {
      root = isItem ? [] : {};
      stack.push({ indent, value: root as YamlMap | Value[] });
    }
    let top = stack[stack.length - 1];
    while (top.indent > indent || (top.indent === indent && Array.isArray(top.value) && !isItem)) {
      stack.pop();
      if (stack.length === 0) return undefined;
      top = stack[stack.length - 1]!;
    }
    if (top.indent !== indent || stack.length > MAX_DEPTH) return undefined;

    let entryText = content;
    let entryIndent = indent;
    if (Array.isArray(top.value)) {
      if (!isItem) return undefined;
      let at = 1;
      while (content[at] === ' ') at++;
      entryText = content.slice(at);
      entryIndent = indent + at;
    } else if (isItem) return undefined;
    const entry = mapEntry(entryText);
    if (entry === DECLINED) return undefined;
    let map: YamlMap;
    if (Array.isArray(top.value)) {
      if (entry === undefined) {
        // A list's scalar item; a list in a list ("- - x") is left to the yaml library.
        const value = entryText.startsWith('- ') ? DECLINED : scalarValue(entryText);
        if (value === DECLINED) return undefined;
        top.value.push(value);
        continue;
      }
      map = {};
      top.value.push(map);
      stack.push({ indent: entryIndent, value: map });
    } else {
      if (entry === undefined) return undefined;
      map = top.value;
    }
    if (entry.value === undefined) {
      pending = { map, key: entry.key, indent: entryIndent };
      continue;
    }
    const value = scalarValue(entry.value);
    if (value === DECLINED) return undefined;
    setOwnKey(map, entry.key, value);
  }
  if (pending) setOwnKey(pending.map, pending.key, null);
  return root;
}
