// A List page read item by item must say exactly what JSON.parse of the whole page says, whatever
// the text: the split is only a way to let each item's objects die young. These pages are laid
// out as the API server writes them (Go's encoding/json: compact, metadata before items, a
// trailing newline), and then as it does not, where the plain parse must take over.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageReader, parseListPage, readListHead, type ListHead } from '../../src/sources/list-page.js';
import type { JsonObject } from '../../src/core/json-value.js';
import { pod } from '../support/objects.js';

/** A PodList page as the API server writes it: typed items carry no kind, and a newline ends it. */
function page(items: unknown[], metadata: object = { resourceVersion: '42', continue: 'next-page' }): string {
  return `${JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata, items })}\n`;
}

const PODS = ['web-1', 'web-2', 'web-3'].map((name) => {
  const { kind: _kind, apiVersion: _apiVersion, ...item } = pod(name, { labels: { app: 'web' } });
  return item;
});

const identity = (item: JsonObject) => item;

function withoutManagedFields(item: unknown): unknown {
  const metadata = (item as { metadata?: Record<string, unknown> }).metadata;
  if (!metadata || !('managedFields' in metadata)) return item;
  const { managedFields: _managedFields, ...rest } = metadata;
  return { ...(item as object), metadata: rest };
}

/** managedFields as the API server writes them, with text that a careless skip would trip on. */
function managedFields(i: number): unknown[] {
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': {} } },
    },
    {
      manager: `kubelet ] } [ { "}]},{\\"metadata\\": ${i} \\`,
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {} } } } },
    },
  ];
}

/** What the page says, read the plain way, items without their metadata.managedFields. */
function whole(text: string) {
  const list = JSON.parse(text) as { items: unknown[]; metadata: { continue?: string; resourceVersion?: string } };
  return {
    items: list.items.map(withoutManagedFields),
    continueToken: list.metadata.continue ?? '',
    resourceVersion: list.metadata.resourceVersion ?? '',
  };
}

describe('parseListPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads a page as the API server writes it item by item: one parse for the head, one per item', () => {
    const text = page(PODS);
    const parse = vi.spyOn(JSON, 'parse');
    const read = parseListPage(text, identity);
    expect(parse).toHaveBeenCalledTimes(1 + PODS.length);
    parse.mockRestore();
    expect(read).toEqual(whole(text));
  });

  it("skips each item's managedFields unparsed, whatever their strings hold; the rest is the whole parse", () => {
    const managed = PODS.map((item, i) => {
      const metadata = item.metadata as object;
      return {
        ...item,
        metadata: {
          ...metadata,
          annotations: { note: `,"managedFields":[ ] ${i}` },
          managedFields: managedFields(i),
        },
      };
    });
    const text = page(managed);
    expect(text.match(/,"managedFields":\[/g)).toHaveLength(PODS.length);
    const parse = vi.spyOn(JSON, 'parse');
    const read = parseListPage(text, identity);
    const parsed = parse.mock.calls.map(([t]) => t);
    parse.mockRestore();
    expect(parsed).toHaveLength(1 + PODS.length);
    for (const t of parsed) expect(t).not.toContain('kubelet');
    expect(read).toEqual(whole(text));
    expect(read.items.map((item) => (item.metadata as { annotations: unknown }).annotations)).toEqual(
      PODS.map((_, i) => ({ note: `,"managedFields":[ ] ${i}` })),
    );
  });

  it('managedFields that do not close within the item: the plain parse, same result', () => {
    const broken = page([PODS[0], PODS[1]]).replace(
      '"metadata":{"name":"web-1"',
      '"metadata":{"managedFields":[1,"name":"web-1"',
    );
    expect(() => parseListPage(broken, identity)).toThrow(SyntaxError);
    const unclosed = page(PODS).replace(
      '{"metadata":{"name":"web-2"',
      '{"metadata":{"name":"web-2","managedFields":["]',
    );
    expect(() => parseListPage(unclosed, identity)).toThrow(SyntaxError);
  });

  it('converts each item as it is parsed, in order', () => {
    const seen: string[] = [];
    const read = parseListPage(page(PODS), (item) => {
      const name = (item.metadata as { name: string }).name;
      seen.push(name);
      return name;
    });
    expect(read.items).toEqual(['web-1', 'web-2', 'web-3']);
    expect(seen).toEqual(['web-1', 'web-2', 'web-3']);
  });

  it('an empty page, and the last page (no continue token)', () => {
    expect(parseListPage(page([]), identity)).toEqual({ items: [], continueToken: 'next-page', resourceVersion: '42' });
    expect(parseListPage(page(PODS, { resourceVersion: '7' }), identity)).toEqual(
      whole(page(PODS, { resourceVersion: '7' })),
    );
  });

  it('cluster text that looks like the layout, inside strings, changes nothing', () => {
    const tricky = PODS.map((item, i) => ({
      ...item,
      metadata: {
        ...(item.metadata as object),
        annotations: { note: `},{"metadata":{"name":"fake-${i}"}} "items":[ ]}` },
      },
    }));
    const text = page(tricky, { resourceVersion: '1', continue: 'a"items":[b' });
    const parse = vi.spyOn(JSON, 'parse');
    const read = parseListPage(text, identity);
    expect(parse).toHaveBeenCalledTimes(1 + tricky.length);
    parse.mockRestore();
    expect(read).toEqual(whole(text));
    expect(read.items).toHaveLength(3);
  });

  it('an item holding the separator outside strings (an array of objects keyed like items): the plain parse, same result', () => {
    const nested = [{ metadata: { name: 'a' }, spec: { list: [{ x: 1 }, { metadata: { name: 'inner' } }] } }, ...PODS];
    const text = page(nested);
    expect(text).toContain('},{"metadata":{"name":"inner"}');
    expect(parseListPage(text, identity)).toEqual(whole(text));
  });

  it('other layouts are read the plain way, with the same result', () => {
    const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '3', continue: 'c' }, items: PODS };
    const layouts = {
      'pretty-printed': JSON.stringify(list, null, 2),
      'items before metadata': JSON.stringify({ items: PODS, metadata: list.metadata }),
      '"items" nested in the metadata': JSON.stringify({ metadata: { x: { items: [1] }, continue: 'c' }, items: PODS }),
      'items that are not objects': JSON.stringify({ metadata: {}, items: [1, 2] }),
    };
    for (const [layout, text] of Object.entries(layouts)) {
      expect(parseListPage(text, identity), layout).toEqual(whole(text));
    }
  });

  it('text that is not JSON throws SyntaxError (the client retries it as a cut answer)', () => {
    const text = page(PODS);
    for (const cut of [text.slice(0, text.length - 3), text.slice(0, 200), text.replace('"web-2"', '"web-2')]) {
      expect(() => parseListPage(cut, identity)).toThrow(SyntaxError);
    }
  });

  it("convert's own errors pass through", () => {
    const boom = new Error('not a pod');
    expect(() =>
      parseListPage(page(PODS), () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});

describe('readListHead', () => {
  it('reads the continue token and resourceVersion before the items', () => {
    expect(readListHead(page(PODS))).toMatchObject({ continueToken: 'next-page', resourceVersion: '42' });
  });

  it('is undefined when the page is not laid out as the API server lays it out', () => {
    expect(readListHead(JSON.stringify({ metadata: { continue: 'x' }, items: PODS }, null, 1))).toBeUndefined();
    expect(readListHead('{"metadata":{"continue":"x"}}')).toBeUndefined();
    expect(readListHead('not json "items":[')).toBeUndefined();
  });
});

/** The page fed to a PageReader in pieces of `size` characters (the last one shorter). */
function readInPieces<T>(
  text: string,
  size: number,
  convert: (item: JsonObject) => T,
  onHead?: (head: ListHead) => void,
) {
  const reader = new PageReader(convert, onHead);
  for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
  return reader.end();
}

describe('PageReader', () => {
  const SIZES = [1, 2, 3, 7, 13, 64, 1000, Infinity];
  const managed = PODS.map((item, i) => ({
    ...item,
    metadata: {
      ...(item.metadata as object),
      annotations: { note: `},{"metadata":{"name":"fake-${i}"}} "items":[ ]} ,"managedFields":[ ]` },
      managedFields: managedFields(i),
    },
  }));
  const pages = {
    'as the API server writes it': page(PODS),
    'with managedFields and text that looks like the layout': page(managed, {
      resourceVersion: '9',
      continue: 'a"items":[b',
    }),
    'one item': page([PODS[0]]),
    empty: page([]),
    'the last page': page(PODS, { resourceVersion: '7' }),
  };

  it('reads a page in pieces of any size, cut anywhere, as the whole parse does', () => {
    for (const [name, text] of Object.entries(pages)) {
      for (const size of SIZES) {
        expect(readInPieces(text, size, identity), `${name}, pieces of ${size}`).toEqual(whole(text));
      }
    }
  });

  it('converts each item once the text after it shows where it ends, and hands the head over first', () => {
    const text = page(PODS);
    const events: string[] = [];
    const reader = new PageReader(
      (item) => events.push(`item ${(item.metadata as { name: string }).name}`),
      (head) => events.push(`head ${head.continueToken}`),
    );
    const second = text.indexOf('{"metadata":{"name":"web-2"');
    reader.push(text.slice(0, text.indexOf('"items":[')));
    expect(events).toEqual([]);
    reader.push(text.slice(text.indexOf('"items":['), second - 1));
    expect(events).toEqual(['head next-page']);
    // The separator's `},{"metadata":` has arrived: web-1 is whole.
    reader.push(text.slice(second - 1, second + 13));
    expect(events).toEqual(['head next-page', 'item web-1']);
    reader.push(text.slice(second + 13));
    expect(events).toHaveLength(3);
    expect(reader.end()?.items).toHaveLength(3);
    expect(events).toEqual(['head next-page', 'item web-1', 'item web-2', 'item web-3']);
  });

  it('is undefined for a page not laid out as the API server lays it out, or not JSON: the caller reads it whole', () => {
    const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '3', continue: 'c' }, items: PODS };
    const nested = [{ metadata: { name: 'a' }, spec: { list: [{ x: 1 }, { metadata: { name: 'inner' } }] } }, ...PODS];
    const text = page(PODS);
    const others = {
      'pretty-printed': JSON.stringify(list, null, 2),
      'items before metadata': JSON.stringify({ items: PODS, metadata: list.metadata }),
      '"items" nested in the metadata': JSON.stringify({ metadata: { x: { items: [1] }, continue: 'c' }, items: PODS }),
      'items that are not objects': JSON.stringify({ metadata: {}, items: [1, 2] }),
      'one item that is not an object': JSON.stringify({ metadata: {}, items: [1] }),
      'an item holding the separator outside strings': page(nested),
      'managedFields that do not close within the item': page(PODS).replace(
        '{"metadata":{"name":"web-2"',
        '{"metadata":{"name":"web-2","managedFields":["]',
      ),
      'cut short': text.slice(0, text.length - 3),
      'cut in its head': text.slice(0, 20),
      'an item that is not JSON': text.replace('"web-2"', '"web-2'),
      'no items this far in': `{"metadata":{"x":"${'y'.repeat(70_000)}"},"items":[]}`,
    };
    for (const [name, other] of Object.entries(others)) {
      for (const size of [1, 5, 100, Infinity]) {
        expect(readInPieces(other, size, identity), `${name}, pieces of ${size}`).toBeUndefined();
      }
    }
  });

  it("convert's own errors pass through", () => {
    const boom = new Error('not a pod');
    expect(() =>
      readInPieces(page(PODS), 50, () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
