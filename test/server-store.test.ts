// The test server's selectors and store semantics, without HTTP.

import { describe, expect, it } from 'vitest';
import { stringAt } from '../src/core/json-value.js';
import { matchesLabels, parseLabelSelector, SelectorError } from './server/label-selector.js';
import { flattenObjects, ObjectStore, parseFieldSelector, resourceNamed } from './server/store.js';
import { pod } from './support/objects.js';

const labels = { app: 'web', tier: 'fe' };
const selects = (selector: string, l: Record<string, string> = labels) =>
  matchesLabels(parseLabelSelector(selector), l);

describe('label selectors', () => {
  it('equality: =, ==, !=', () => {
    expect(selects('app=web')).toBe(true);
    expect(selects('app==web,tier=fe')).toBe(true);
    expect(selects('app=api')).toBe(false);
    expect(selects('app!=api')).toBe(true);
    expect(selects('track!=canary')).toBe(true); // absent counts as different
  });

  it('set-based: in, notin, key, !key', () => {
    expect(selects('app in (api, web)')).toBe(true);
    expect(selects('app in (api)')).toBe(false);
    expect(selects('app notin (api),tier in (fe,be)')).toBe(true);
    expect(selects('track notin (canary)')).toBe(true);
    expect(selects('tier')).toBe(true);
    expect(selects('!tier')).toBe(false);
    expect(selects('!track')).toBe(true);
    expect(selects('')).toBe(true);
  });

  it('gt and lt compare integers; a value that is not one matches neither', () => {
    expect(selects('replicas>2', { replicas: '3' })).toBe(true);
    expect(selects('replicas<2', { replicas: '3' })).toBe(false);
    expect(selects('replicas>2', { replicas: 'three' })).toBe(false);
    expect(selects('replicas<2', {})).toBe(false);
  });

  it('reads keywords as values where a value stands, and empty values as apimachinery does', () => {
    expect(parseLabelSelector('in=notin')).toEqual([{ key: 'in', op: '=', values: ['notin'] }]);
    expect(parseLabelSelector('a in (in, notin)')).toEqual([{ key: 'a', op: 'in', values: ['in', 'notin'] }]);
    expect(parseLabelSelector('a=,b!= ')).toEqual([
      { key: 'a', op: '=', values: [''] },
      { key: 'b', op: '!=', values: [''] },
    ]);
    expect(parseLabelSelector('a in ()')[0].values).toEqual(['']);
    expect(parseLabelSelector('a in (,x,,y,)')[0].values).toEqual(['', 'x', 'y']);
    expect(parseLabelSelector(' !a , b ')).toEqual([
      { key: 'a', op: '!exists', values: [] },
      { key: 'b', op: 'exists', values: [] },
    ]);
    expect(parseLabelSelector('example.com/app==web')[0].key).toBe('example.com/app');
    expect(selects('app=', { app: '' })).toBe(true);
  });

  it('rejects what the API server would not parse', () => {
    for (const bad of [
      'app in web',
      'app=(x)',
      '=web',
      'app in (a b)',
      'x=a||y=b',
      'x==a==b',
      '!x=a',
      'x<a',
      'a b',
      'a,',
      ',a',
      'a in (x',
      'a in (x,',
      'Example.com/app=x',
      'a/b/c',
      `${'k'.repeat(64)}=x`,
      `a=${'v'.repeat(64)}`,
      'a=-x',
      'a=x y',
    ]) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
    }
    expect(() => parseLabelSelector('app in web')).toThrow("unable to parse requirement: found 'web' expected: '('");
    expect(() => parseLabelSelector('a b')).toThrow(
      "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
    );
    expect(() => parseLabelSelector('x==a==b')).toThrow("found '==', expected: ',' or 'end of string'");
    expect(() => parseLabelSelector('a,')).toThrow("found '', expected: identifier after ','");
  });
});

describe('field selectors', () => {
  const pods = resourceNamed('pods')!;
  it('knows the fields of each resource', () => {
    expect(parseFieldSelector('spec.nodeName=a,status.phase!=Running', pods)).toEqual([
      { field: 'spec.nodeName', equal: true, value: 'a' },
      { field: 'status.phase', equal: false, value: 'Running' },
    ]);
    expect(() => parseFieldSelector('spec.nodeName=a', resourceNamed('services')!)).toThrow(
      'field label not supported: spec.nodeName',
    );
  });

  it('splits and unescapes as apimachinery does: no trimming, empty terms skipped, \\ escapes', () => {
    expect(parseFieldSelector('', pods)).toEqual([]);
    expect(parseFieldSelector('spec.nodeName==a,,', pods)).toEqual([
      { field: 'spec.nodeName', equal: true, value: 'a' },
    ]);
    expect(parseFieldSelector('metadata.name=a\\,b\\=c\\\\', pods)).toEqual([
      { field: 'metadata.name', equal: true, value: 'a,b=c\\' },
    ]);
    expect(parseFieldSelector('status.phase=', pods)).toEqual([{ field: 'status.phase', equal: true, value: '' }]);
    expect(() => parseFieldSelector('spec.nodeName = a', pods)).toThrow('field label not supported: spec.nodeName ');
    expect(() => parseFieldSelector('spec.nodeName', pods)).toThrow("can't understand 'spec.nodeName'");
    expect(() => parseFieldSelector('spec.nodeName=a=b', pods)).toThrow('unescaped character in value: =');
    expect(() => parseFieldSelector('spec.nodeName=a\\b', pods)).toThrow('invalid escape sequence: \\b');
  });
});

describe('object store', () => {
  it('stamps resourceVersions, creates namespaces, and lists in key order', () => {
    const store = new ObjectStore();
    const b = store.create(pod('b'));
    const a = store.create(pod('a'));
    expect(Number(a.metadata.resourceVersion)).toBeGreaterThan(Number(b.metadata.resourceVersion));
    expect(store.list(resourceNamed('pods')!).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(store.list(resourceNamed('namespaces')!).map((n) => n.metadata.name)).toEqual(['default', 'shop']);
    expect(() => store.create(pod('a'))).toThrow('already exists');
  });

  it('keeps a bounded event history; older watches are told they are too old', () => {
    const store = new ObjectStore(2);
    store.create(pod('a'));
    const start = store.resourceVersion;
    store.update(pod('a', { ready: false }));
    expect(store.eventsAfter(start)?.map((e) => e.type)).toEqual(['MODIFIED']);
    store.delete(pod('a'));
    store.create(pod('a'));
    expect(store.eventsAfter(start)).toBeUndefined();
    expect(store.eventsAfter(store.oldestWatchableRV)?.length).toBe(2);
  });

  it('flattens Lists and typed lists, giving items of typed lists their kind', () => {
    const { kind: _k, ...bare } = pod('x');
    const flat = flattenObjects([
      { kind: 'List', items: [pod('a'), { kind: 'PodList', items: [bare] }] },
      null,
      pod('b'),
    ]);
    expect(flat.map((o) => [o.kind, stringAt(o, 'metadata', 'name')])).toEqual([
      ['Pod', 'a'],
      ['Pod', 'x'],
      ['Pod', 'b'],
    ]);
  });
});
