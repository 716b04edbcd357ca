// One page of a List as the API server writes it, converted item by item. JSON.parse of a whole
// 500-item page builds tens of megabytes of objects that all stay alive until the last item is
// converted, so the garbage collector copies them between generations; parsing each item on its
// own lets each die young, right after it is slimmed. The split is cut with plain string search
// and proven by the parses themselves, so it never changes what the page says: see parseListPage.

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
 * The page's items, each converted as soon as it is parsed. Throws SyntaxError when the text is
 * not JSON; errors of `convert` pass through.
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
  for (;;) {
    const cut = text.indexOf(separator, start);
    const last = cut < 0 || cut >= end;
    let item: unknown;
    try {
      item = JSON.parse(text.slice(start, last ? end : cut + 1));
    } catch {
      return undefined;
    }
    if (!isJsonObject(item)) return undefined;
    items.push(convert(item));
    if (last) return pageOf(head.list, items);
    start = cut + 2;
  }
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
