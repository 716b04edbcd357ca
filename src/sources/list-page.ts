// One page of a List as the API server writes it, converted item by item. JSON.parse of a whole
// 500-item page builds tens of megabytes of objects that all stay alive until the last item is
// converted, so the garbage collector copies them between generations; parsing each item on its
// own lets each die young, right after it is slimmed. The split is cut with plain string search
// and proven by the parses themselves, so it never changes what the page says: see parseListPage.
// An item's metadata.managedFields, about half of a Pod's bytes and two thirds of its parse, is
// skipped unparsed: nothing reads it (see MANAGED_FIELDS).

import { isJsonArray, isJsonObject, stringAt, type JsonObject } from '../core/json-value.js';

export interface ListPage<T> {
  items: T[];
  /** metadata.continue; empty on the last page. */
  continueToken: string;
  resourceVersion: string;
}

const ITEMS_KEY = '"items":[';

/** What comes before a page's items: where the next page starts, and where the items are. */
export interface ListHead {
  /** metadata.continue; empty on the last page. */
  continueToken: string;
  resourceVersion: string;
  /** The list object as it reads without its items. */
  list: JsonObject;
  /** Just after the items' `[`. */
  itemsAt: number;
}

/**
 * The list's metadata, read before its items, so that the next page can be asked for while this
 * one is parsed; undefined when the page is not laid out as the API server lays out a list
 * (compact JSON with `"items":[` after the list's metadata). The head, everything before the
 * items' `[`, must parse as an object once `]}` closes it: so the `"items":[` found is the root
 * object's key, not text inside a string or a nested object.
 */
export function readListHead(text: string): ListHead | undefined {
  const key = text.indexOf(ITEMS_KEY);
  if (key < 0) return undefined;
  const itemsAt = key + ITEMS_KEY.length;
  let list: unknown;
  try {
    list = JSON.parse(`${text.slice(0, itemsAt)}]}`);
  } catch {
    return undefined;
  }
  if (!isJsonObject(list) || !isJsonArray(list.items) || list.items.length !== 0) return undefined;
  return { ...pageOf(list, []), list, itemsAt };
}

/**
 * The page's items, each converted as soon as it is parsed, without managedFields when read item
 * by item. Throws SyntaxError when the text is not JSON; errors of `convert` pass through.
 */
export function parseListPage<T>(
  text: string,
  convert: (item: JsonObject) => T,
  head = readListHead(text),
): ListPage<T> {
  return (head && parseByItem(text, head, convert)) ?? parseWhole(text, convert);
}

/** The plain way: the page as one tree of objects. */
function parseWhole<T>(text: string, convert: (item: JsonObject) => T): ListPage<T> {
  const list: unknown = JSON.parse(text);
  const items = isJsonObject(list) && isJsonArray(list.items) ? list.items : [];
  // A list's items are objects; convert reads each field by field (slimming checks every type).
  return pageOf(list, (items as JsonObject[]).map(convert));
}

function pageOf<T>(list: unknown, items: T[]): ListPage<T> {
  return {
    items,
    continueToken: stringAt(list, 'metadata', 'continue') ?? '',
    resourceVersion: stringAt(list, 'metadata', 'resourceVersion') ?? '',
  };
}

/**
 * The page item by item after its head (readListHead), or undefined when the items are not laid
 * out as the API server lays them out (items that are objects, and last in the list): then
 * parseWhole reads it. Why the result is the whole parse's:
 * - the head parses on its own (readListHead);
 * - an item is cut at the next `},{"K":` (K the first item's first key) and must parse alone; a
 *   cut inside an item would leave its brackets unbalanced, and JSON.parse would refuse it;
 * - items are joined by exactly one comma, and after the last one only `]}` and whitespace remain.
 * So the text is exactly head, items and tail, each valid JSON. Anything else gives up, at the cost
 * of parsing the page twice (a cut inside an item, which a Pod's JSON does not produce).
 * Each item's first `,"managedFields":[` is skipped to its closing bracket before the parse
 * (MANAGED_FIELDS); an item that does not then parse gives up too.
 */
function parseByItem<T>(text: string, head: ListHead, convert: (item: JsonObject) => T): ListPage<T> | undefined {
  let start = head.itemsAt;
  let end = text.length;
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  if (!text.startsWith(']}', end - 2)) return undefined;
  end -= 2;
  const items: T[] = [];
  if (start === end) return pageOf(head.list, items);
  // The first item's first key, as it opens every item: `{"metadata":`.
  const keyEnd = text.indexOf('":', start + 2);
  if (text[start] !== '{' || text[start + 1] !== '"' || keyEnd < 0 || text.slice(start + 2, keyEnd).includes('\\')) {
    return undefined;
  }
  const separator = `},${text.slice(start, keyEnd + 2)}`;
  let managedAt = text.indexOf(MANAGED_FIELDS, start);
  for (;;) {
    const cut = text.indexOf(separator, start);
    const last = cut < 0 || cut >= end;
    const itemEnd = last ? end : cut + 1;
    let itemText = text.slice(start, itemEnd);
    if (managedAt >= 0 && managedAt < itemEnd) {
      const after = arrayEnd(text, managedAt + MANAGED_FIELDS.length, itemEnd);
      if (after > 0) itemText = text.slice(start, managedAt) + text.slice(after, itemEnd);
      managedAt = text.indexOf(MANAGED_FIELDS, itemEnd);
    }
    let item: unknown;
    try {
      item = JSON.parse(itemText);
    } catch {
      return undefined;
    }
    if (!isJsonObject(item)) return undefined;
    items.push(convert(item));
    if (last) return pageOf(head.list, items);
    start = cut + 2;
  }
}

/**
 * The key the API server writes last in an object's metadata: an array of field sets per manager,
 * which no check reads. Found after a comma, its quote is a string's opening one (a quote inside
 * a string is escaped, and a closing quote cannot be followed by a name), so it is a key and the
 * `[` its value's; arrayEnd finds the matching `]`, so the item parses as it would without
 * that key.
 */
const MANAGED_FIELDS = ',"managedFields":[';

/**
 * Just after the `]` that closes the array whose content starts at `from`, reading strings (and
 * their escapes) as strings; -1 when `limit` comes first. Only brackets and quotes are looked at:
 * what is skipped is never parsed, so text that is not JSON there would go unnoticed (the API
 * server, which writes it with encoding/json, writes none).
 */
function arrayEnd(text: string, from: number, limit: number): number {
  let depth = 1;
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i, limit);
      if (i < 0) return -1;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
    } else if ((c === 0x5d || c === 0x7d) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The index of the quote that closes the string opened at `open`; -1 when `limit` comes first.
 * Not json-text.ts's stringEnd, which checks every escape: on Pod pages that made the skip slower
 * than parsing (36 against 23 ms a 500-Pod page, measured side by side).
 */
function stringEnd(text: string, open: number, limit: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote >= 0 && quote < limit) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
