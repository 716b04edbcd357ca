import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../src/errors.js';
import { decodeDocuments, readSnapshot } from '../../src/sources/snapshot.js';
import { pod, service, slice } from '../support/objects.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-snap-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const objects = [service('web'), pod('web-1'), slice('web')];

describe('snapshot reading: every accepted form', () => {
  it('a kubectl List as JSON', async () => {
    const c = await readSnapshot(
      tempFile('s.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })),
    );
    expect(c.objects.map((o) => `${o.kind}/${o.meta.name}`)).toEqual([
      'Service/web',
      'Pod/web-1',
      'EndpointSlice/web-abcde',
    ]);
  });

  it('a List as YAML', async () => {
    const c = await readSnapshot(tempFile('s.yaml', stringify({ apiVersion: 'v1', kind: 'List', items: objects })));
    expect(c.objects).toHaveLength(3);
  });

  it('multi-document YAML of single objects, with empty documents', async () => {
    const text = objects.map((o) => stringify(o)).join('---\n') + '---\n';
    const c = await readSnapshot(tempFile('s.yaml', text));
    expect(c.objects).toHaveLength(3);
  });

  it('a typed list from the API (items without kind)', async () => {
    const items = [pod('a'), pod('b')].map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
    const c = await readSnapshot(tempFile('p.json', JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items })));
    expect(c.objects.map((o) => o.kind)).toEqual(['Pod', 'Pod']);
  });

  it('a folder of files, read in name order, ignoring other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-dir-'));
    writeFileSync(join(dir, 'b-pods.yaml'), stringify(pod('web-1')));
    writeFileSync(join(dir, 'a-svc.json'), JSON.stringify(service('web')));
    writeFileSync(join(dir, 'notes.txt'), 'not a snapshot');
    mkdirSync(join(dir, 'sub'));
    const c = await readSnapshot(dir);
    expect(c.objects.map((o) => o.kind)).toEqual(['Service', 'Pod']);
  });

  it('unknown kinds are skipped and counted, not fatal', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
    const c = await readSnapshot(
      tempFile('s.json', JSON.stringify({ kind: 'List', items: [deployment, service('web')] })),
    );
    expect(c.objects).toHaveLength(1);
    expect(c.skippedKinds.get('Deployment')).toBe(1);
  });

  it('records which kinds the input holds (coverage)', async () => {
    const c = await readSnapshot(
      tempFile('s.json', JSON.stringify({ kind: 'List', items: [service('web'), pod('p')] })),
    );
    expect(c.coverage()).toEqual({ endpoints: false, endpointSlices: false, nodes: false, pods: true });
  });
});

describe('snapshot reading: bad input gives one clear error', () => {
  const cases: [string, string, string, RegExp][] = [
    ['empty file', 'e.yaml', '  \n', /e\.yaml: the file is empty/],
    [
      'malformed JSON, with line and column',
      'm.json',
      '{\n  "kind": "List",\n  "items": [,]\n}',
      /m\.json: malformed JSON at line 3 column \d+/,
    ],
    [
      'malformed YAML, with line and column',
      'm.yaml',
      'kind: List\nitems:\n  - a: [1, 2\n',
      /m\.yaml: malformed YAML at line \d+ column \d+/,
    ],
    ['a scalar document', 's.yaml', 'just text', /expected a Kubernetes object or List, found string/],
    ['an object without kind', 'k.yaml', 'metadata:\n  name: x\n', /object has no "kind"/],
    ['a List without items', 'l.yaml', 'kind: List\n', /List has no "items" array/],
    [
      'a Service without a name, pointing at its item',
      'n.yaml',
      'kind: List\nitems:\n- kind: Service\n  metadata: {}\n',
      /item 1: Service without metadata.name/,
    ],
    [
      'only unknown kinds',
      'u.yaml',
      'kind: ConfigMap\nmetadata: {name: c}\n',
      /no Service, Pod, EndpointSlice, Endpoints or Node in it \(found only ConfigMap\)/,
    ],
  ];
  for (const [name, file, text, pattern] of cases) {
    it(name, async () => {
      const error = await readSnapshot(tempFile(file, text)).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(pattern);
      expect(error.message).not.toContain('\n');
    });
  }

  it('a missing file', async () => {
    await expect(readSnapshot('/nonexistent/snap.yaml')).rejects.toThrow(/no such file or folder/);
  });

  it('a folder without snapshot files', async () => {
    await expect(readSnapshot(mkdtempSync(join(tmpdir(), 'epd-empty-')))).rejects.toThrow(
      /holds no .json, .yaml or .yml file/,
    );
  });

  it('multi-document errors name the document', async () => {
    const path = tempFile('x.yaml', 'kind: Service\nmetadata: {name: a}\n---\n- 1\n');
    await expect(readSnapshot(path)).rejects.toThrow(
      /x\.yaml, document 2: expected a Kubernetes object or List, found an array/,
    );
  });

  it('YAML flow syntax that starts like JSON is still read', () => {
    expect(decodeDocuments('{kind: Service, metadata: {name: a}}', 'f.yaml')[0]!.value).toEqual({
      kind: 'Service',
      metadata: { name: 'a' },
    });
  });
});
