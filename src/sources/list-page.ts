// One page of a List as the API server writes it, converted item by item. JSON.parse of a whole
// 500-item page builds tens of megabytes of objects that all stay alive until the last item is
// converted, so the garbage collector copies them between generations; parsing each item on its
// own lets each die young, right after it is slimmed. The split is cut with plain string search
// and proven by the parses themselves, so it never changes what the page says: see parseListPage.
// An item's metadata.managedFields, about half of a Pod's bytes and two thirds of its parse, is
// skipped unparsed: nothing reads it (see MANAGED_FIELDS). The live source reads each page while
// it arrives (PageReader); parseListPage reads a page that has all arrived, and those PageReader
// could not read.

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
export function parseListPage<T>(text: string, convert: (item: JsonObject) => T): ListPage<T> {
  const head = readListHead(text);
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
  const end = itemsEnd(text);
  if (end < start) return undefined;
  const items: T[] = [];
  if (start === end) return pageOf(head.list, items);
  const separator = itemSeparator(text.slice(start, start + MAX_KEY));
  if (!separator) return undefined;
  for (;;) {
    const cut = text.indexOf(separator, start);
    const last = cut < 0 || cut >= end;
    const item = parseItem(text.slice(start, last ? end : cut + 1), convert);
    if (item === UNREADABLE) return undefined;
    items.push(item);
    if (last) return pageOf(head.list, items);
    start = cut + 2;
  }
}

/**
 * A page read while it arrives, as parseByItem reads it whole (the same cuts, proven the same
 * way): each item is parsed and converted as soon as the text after it shows where it ends. So
 * neither the page's text nor its items' objects outlive a few pieces: a page as one string of
 * megabytes goes straight to the old generation, which only a full collection frees. The head
 * is handed to onHead as soon as it has arrived (the next page can be asked for then).
 * end() is undefined when the page is not laid out as the API server lays it out, or one of its
 * items does not parse alone: the caller reads the page whole instead (parseListPage).
 */
export class PageReader<T> {
  private readonly items: T[] = [];
  /** What has arrived and was not read yet: the head until it is read, then the items not yet cut. */
  private rest = '';
  /** Where in `rest` the next search (for the items' key, then the separator) starts: the text before it was searched. */
  private searchFrom = 0;
  private head: ListHead | undefined;
  private separator: string | undefined;
  private failed = false;

  constructor(
    private readonly convert: (item: JsonObject) => T,
    private readonly onHead: (head: ListHead) => void = () => {},
  ) {}

  /** The next piece of the page's text; errors of `convert` pass through. */
  push(piece: string): void {
    if (this.failed) return;
    this.rest += piece;
    if (!this.head) {
      const itemsKey = this.rest.indexOf(ITEMS_KEY, this.searchFrom);
      if (itemsKey < 0 || itemsKey > MAX_HEAD) {
        if (this.rest.length > MAX_HEAD) return this.fail();
        this.searchFrom = Math.max(0, this.rest.length - ITEMS_KEY.length + 1);
        return;
      }
      this.head = readListHead(this.rest);
      if (!this.head) return this.fail();
      this.rest = this.rest.slice(this.head.itemsAt);
      this.searchFrom = 0;
      this.onHead(this.head);
    }
    this.readItems();
  }

  /** The page, once all of it has arrived; undefined: read it whole. */
  end(): ListPage<T> | undefined {
    if (this.failed || !this.head) return undefined;
    const end = itemsEnd(this.rest);
    if (end < 0) return undefined;
    if (end > 0) {
      // The last item, or the only one (no separator was needed to find its end).
      const item = parseItem(this.rest.slice(0, end), this.convert);
      if (item === UNREADABLE) return undefined;
      this.items.push(item);
    }
    return pageOf(this.head.list, this.items);
  }

  private readItems(): void {
    this.separator ??= itemSeparator(this.rest);
    if (!this.separator) {
      // Not yet known (the first key has not all arrived), or not the API server's layout.
      if (this.rest.length >= MAX_KEY) this.fail();
      return;
    }
    for (;;) {
      const cut = this.rest.indexOf(this.separator, this.searchFrom);
      if (cut < 0) {
        // A separator may straddle this piece and the next.
        this.searchFrom = Math.max(0, this.rest.length - this.separator.length + 1);
        return;
      }
      const item = parseItem(this.rest.slice(0, cut + 1), this.convert);
      if (item === UNREADABLE) return this.fail();
      this.items.push(item);
      this.rest = this.rest.slice(cut + 2);
      this.searchFrom = 0;
    }
  }

  private fail(): void {
    this.failed = true;
    this.rest = '';
  }
}

/** How far into a page its items start at the latest: a List's metadata is short, and a page laid out otherwise is read whole. */
const MAX_HEAD = 64 * 1024;

/** Longer than any first key of an item: the separator is known within this many characters of the first item, or never. */
const MAX_KEY = 256;

/**
 * What separates two items, `},{"K":`, from the text that opens the first item (`{"K":`, K its
 * first key, as it opens every item); undefined until that key has arrived, and when the text
 * does not open so.
 */
function itemSeparator(first: string): string | undefined {
  if (first.length < 2) return undefined;
  if (first[0] !== '{' || first[1] !== '"') return undefined;
  const keyEnd = first.indexOf('":', 2);
  if (keyEnd < 0 || first.slice(2, keyEnd).includes('\\')) return undefined;
  return `},${first.slice(0, keyEnd + 2)}`;
}

/** Where the items end in text that runs from the items to the end of the list: before `]}` and whitespace; -1 without them. */
function itemsEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end >= 2 && text.startsWith(']}', end - 2) ? end - 2 : -1;
}

const UNREADABLE = Symbol('unreadable');

/**
 * One item's text parsed and converted, without its first `,"managedFields":[` and what that
 * array holds (MANAGED_FIELDS); UNREADABLE when it does not parse as an object.
 */
function parseItem<T>(text: string, convert: (item: JsonObject) => T): T | typeof UNREADABLE {
  const managedAt = text.indexOf(MANAGED_FIELDS);
  if (managedAt >= 0) {
    const after = arrayEnd(text, managedAt + MANAGED_FIELDS.length, text.length);
    if (after > 0) text = text.slice(0, managedAt) + text.slice(after);
  }
  let item: unknown;
  try {
    item = JSON.parse(text);
  } catch {
    return UNREADABLE;
  }
  return isJsonObject(item) ? convert(item) : UNREADABLE;
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
