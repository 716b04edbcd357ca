import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import { decodeDocuments } from '../../src/sources/decode.js';
import { MAX_SNAPSHOT_BYTES, readSnapshot } from '../../src/sources/snapshot.js';
import { BIN, runCli } from '../support/cli.js';
import { endpointOf, endpoints, namespace, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';
import type { Report } from '../../src/report/report.js';

const NO_WORKLOADS = { deployments: false, replicaSets: false, statefulSets: false, daemonSets: false };
const NO_GATEWAY_API = {
  httpRoutes: false,
  grpcRoutes: false,
  tcpRoutes: false,
  tlsRoutes: false,
  udpRoutes: false,
  referenceGrants: false,
};

/** The error a promise rejects with; the test fails if it resolves or rejects with something else. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const reason = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (reason instanceof Error) return reason;
  throw new Error(`expected a rejection with an Error, got ${String(reason)}`);
}

function tempFile(name: string, text: string | Buffer): string {
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
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web' } };
    const c = await readSnapshot(tempFile('s.json', JSON.stringify({ kind: 'List', items: [job, service('web')] })));
    expect(c.objects).toHaveLength(1);
    expect(c.skippedKinds.get('Job')).toBe(1);
  });

  it('records which kinds the input holds (coverage)', async () => {
    const c = await readSnapshot(
      tempFile('s.json', JSON.stringify({ kind: 'List', items: [service('web'), pod('p')] })),
    );
    expect(c.coverage()).toEqual({
      ...NO_WORKLOADS,
      endpoints: false,
      endpointSlices: false,
      nodes: false,
      pods: true,
      events: false,
      ingresses: false,
      validatingWebhooks: false,
      mutatingWebhooks: false,
      apiServices: false,
      ...NO_GATEWAY_API,
      // No route reads them.
      gateways: true,
      networkPolicies: false,
      // No policy selects namespaces: their labels are not needed.
      namespaces: true,
    });
  });

  it('any workload kind counts for all four: kubectl writes nothing of a kind the namespace has none of', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
    const c = await readSnapshot(
      tempFile('s.json', JSON.stringify({ kind: 'List', items: [deployment, service('web')] })),
    );
    expect(c.objects.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(c.coverage()).toMatchObject({ deployments: true, replicaSets: true, statefulSets: true, daemonSets: true });
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
      /m\.yaml, item 1: malformed YAML at line \d+ column \d+/,
    ],
    ['a scalar document', 's.yaml', 'just text', /expected a Kubernetes object or List, found string/],
    ['an object without kind', 'k.yaml', 'metadata:\n  name: x\n', /object has no "kind"/],
    ['a List without items', 'l.yaml', 'kind: List\n', /List has no "items" array/],
    [
      'a Service without a name, pointing at its item',
      'n.yaml',
      'kind: List\nitems:\n- kind: Service\n  metadata: {}\n',
      /n\.yaml, item 1 \(Service\): metadata\.name is missing/,
    ],
    [
      'only unknown kinds',
      'u.yaml',
      'kind: ConfigMap\nmetadata: {name: c}\n',
      /no Service, Endpoints, EndpointSlice, Pod, Node, Event, Deployment, ReplicaSet, StatefulSet, DaemonSet, Ingress, ValidatingWebhookConfiguration, MutatingWebhookConfiguration, APIService, HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute, ReferenceGrant, Gateway, NetworkPolicy or Namespace in it \(found only ConfigMap\); create one with: kubectl get services,endpoints,endpointslices,pods,nodes,events,deployments,replicasets,statefulsets,daemonsets,ingresses,validatingwebhookconfigurations,mutatingwebhookconfigurations,apiservices,httproutes,grpcroutes,tcproutes,tlsroutes,udproutes,referencegrants,gateways,networkpolicies,namespaces -A -o yaml$/,
    ],
  ];
  for (const [name, file, text, pattern] of cases) {
    it(name, async () => {
      const error = await rejection(readSnapshot(tempFile(file, text)));
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
    expect([...decodeDocuments('{kind: Service, metadata: {name: a}}', 'f.yaml')][0].value).toEqual({
      kind: 'Service',
      metadata: { name: 'a' },
    });
  });
});

describe('a List read item by item', () => {
  const items = [service('web'), pod('web-1'), slice('web'), pod('web-2')];

  it('kubectl -o yaml layout (items at the key) and the yaml library layout (items indented)', async () => {
    const kubectl = [
      'apiVersion: v1',
      'items:',
      ...items.flatMap((o) =>
        stringify(o)
          .trimEnd()
          .split('\n')
          .map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)),
      ),
      'kind: List',
      'metadata:',
      '  resourceVersion: ""',
      '',
    ].join('\n');
    for (const text of [kubectl, stringify({ apiVersion: 'v1', kind: 'List', items })]) {
      const c = await readSnapshot(tempFile('l.yaml', text));
      expect(c.objects.map((o) => `${o.kind}/${o.meta.name}`)).toEqual([
        'Service/web',
        'Pod/web-1',
        'EndpointSlice/web-abcde',
        'Pod/web-2',
      ]);
    }
  });

  it('errors in an item name the item and the line of the file', async () => {
    // A key less indented than its siblings: the yaml library points at its line.
    const text = stringify({ apiVersion: 'v1', kind: 'List', items }).replace(
      'name: web-2\n',
      'name: web-2\n     bad: 1\n',
    );
    const line = text.split('\n').findIndex((l) => l === '     bad: 1') + 1;
    await expect(readSnapshot(tempFile('l.yaml', text))).rejects.toThrow(
      new RegExp(`l\\.yaml, item 4: malformed YAML at line ${line} column \\d+`),
    );
  });

  it('a typed list (PodList) in YAML: its items get their kind', async () => {
    const bare = [pod('a'), pod('b')].map(({ kind: _k, ...rest }) => rest);
    const c = await readSnapshot(tempFile('p.yaml', stringify({ apiVersion: 'v1', kind: 'PodList', items: bare })));
    expect(c.objects.map((o) => o.kind)).toEqual(['Pod', 'Pod']);
  });

  it('the snapshot command layout: a List of no items naming the kinds read, then one document per object', async () => {
    const header = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { annotations: { 'endpoints-doctor/read-kinds': 'Service,Pod,Node' } },
      items: [],
    };
    const text = [header, service('web'), pod('web-1')].map((o) => stringify(o)).join('---\n');
    const c = await readSnapshot(tempFile('s.yaml', text));
    expect(c.objects).toHaveLength(2);
    expect(c.coverage()).toEqual({
      ...NO_WORKLOADS,
      endpoints: false,
      endpointSlices: false,
      nodes: true,
      pods: true,
      events: false,
      ingresses: false,
      validatingWebhooks: false,
      mutatingWebhooks: false,
      apiServices: false,
      ...NO_GATEWAY_API,
      // No route reads them.
      gateways: true,
      networkPolicies: false,
      // No policy selects namespaces: their labels are not needed.
      namespaces: true,
    });
  });
});

describe('wrong types and names Kubernetes would refuse: exit-2 input errors naming file, item and object', () => {
  const list = (item: Raw) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [service('ok'), item] });
  const cases: [string, Raw, string][] = [
    [
      'a selector written as a string',
      { ...service('web'), spec: { ...(service('web').spec as Raw), selector: 'app=web' } },
      'item 2 (Service shop/web): spec.selector must be a map of strings, got string',
    ],
    [
      'a slice condition ready: "false"',
      { ...slice('web'), endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'false' } }] },
      'item 2 (EndpointSlice shop/web-abcde): endpoints[0].conditions.ready must be true or false, got string',
    ],
    // ValidateServiceName (NameIsDNSLabel since KEP-5311; DNS-1035 before): no capitals, no "_".
    [
      'a Service name that is not a DNS label',
      service('Web_1'),
      'item 2 (Service shop/Web_1): metadata.name "Web_1" must be lowercase letters, digits and -',
    ],
    // ValidatePodName: a DNS subdomain, dots allowed, 253 characters at most.
    ['a Pod name over 253 characters', pod('a'.repeat(254)), 'metadata.name "aaaa'],
    // ValidateNamespaceName: a DNS label.
    ['a namespace with a dot', pod('web-1', { ns: 'shop.eu' }), 'metadata.namespace "shop.eu" must be'],
    // ValidateLabels → IsQualifiedName: alphanumeric at both ends of the name part.
    ['a label key with a space', pod('web-1', { labels: { 'my app': 'web' } }), 'metadata.labels key "my app"'],
    ['a label key with an empty prefix', pod('web-1', { labels: { '/app': 'web' } }), 'has an empty prefix'],
    // IsValidLabelValue: 63 characters at most, no "$(" or spaces.
    [
      'a label value with shell syntax',
      pod('web-1', { labels: { app: '$(reboot)' } }),
      'metadata.labels.app value "$(reboot)"',
    ],
    ['a label value over 63 characters', pod('web-1', { labels: { app: 'a'.repeat(64) } }), 'must be at most 63'],
    [
      'a selector value a label cannot have',
      service('web', { selector: { app: 'we b' } }),
      'spec.selector.app value "we b"',
    ],
    [
      'a Node name with capitals',
      { ...service('ok'), kind: 'Node', metadata: { name: 'Node-A' } },
      'metadata.name "Node-A"',
    ],
  ];
  for (const [name, item, message] of cases) {
    it(name, async () => {
      const error = await rejection(readSnapshot(tempFile('s.json', list(item))));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(`s.json, item 2 (`);
      expect(error.message).toContain(message);
      expect(error.message).not.toContain('\n');
    });
  }

  it('the label key "__proto__" is read as a key (and refused as one), not as the prototype', async () => {
    const text = list(pod('web-1')).replace('"labels":{"app":"web"}', '"labels":{"__proto__":"x"}');
    await expect(readSnapshot(tempFile('s.json', text))).rejects.toThrow('metadata.labels key "__proto__" must be');
  });

  it('valid names pass: prefixed keys, empty values, dotted Pod names, digits first', async () => {
    const c = await readSnapshot(
      tempFile(
        's.json',
        list(pod('web-1.shop', { labels: { 'app.kubernetes.io/name': 'web', empty: '', '9lives': 'A_b.c-9' } })),
      ),
    );
    expect(c.objects).toHaveLength(2);
    const c2 = await readSnapshot(tempFile('s.json', list(service('1st'))));
    expect(c2.objects.map((o) => o.meta.name)).toEqual(['ok', '1st']);
  });
});

describe('truncated and malformed JSON is reported as JSON, at once', () => {
  const text = JSON.stringify(
    { apiVersion: 'v1', kind: 'List', items: [service('web'), pod('web-1'), slice('web')] },
    null,
    2,
  );

  it('every truncation: unexpected end of input, at the end of the file', async () => {
    for (let cut = 1; cut < text.length - 1; cut += 7) {
      const truncated = text.slice(0, cut);
      const lines = truncated.split('\n');
      const error = await rejection(readSnapshot(tempFile('t.json', truncated)));
      expect(error.message).toBe(
        `${error.message.split(':')[0]}: malformed JSON at line ${lines.length} column ${lines.at(-1)!.length + 1}: unexpected end of input`,
      );
    }
  });

  it('a large truncated file, without the YAML parser', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => pod(`web-${i}`));
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    const error = await rejection(readSnapshot(tempFile('big.json', big.slice(0, big.length / 2))));
    expect(error.message).toMatch(/big\.json: malformed JSON at line 1 column \d+: unexpected end of input$/);
  });

  it('a value that is not JSON, with its position', async () => {
    await expect(readSnapshot(tempFile('k.json', '{\n  "kind": Service\n}'))).rejects.toThrow(
      /k\.json: malformed JSON at line 2 column 11: expected a value, found "S"/,
    );
  });
});

describe('files that are not files', () => {
  it('a FIFO is refused at once, not waited on', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-fifo-'));
    const fifo = join(dir, 'snap.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) ctx.skip('mkfifo is not available');
    await expect(readSnapshot(fifo)).rejects.toThrow(
      /snap\.yaml: a FIFO, not a regular file; save the output to a file first, or pipe it to --snapshot -/,
    );
    // In a folder too.
    writeFileSync(join(dir, 'a.yaml'), stringify(service('web')));
    await expect(readSnapshot(dir)).rejects.toThrow(/snap\.yaml: a FIFO, not a regular file/);
  });

  it('a device is refused, not read forever', async () => {
    await expect(readSnapshot('/dev/zero')).rejects.toThrow(/\/dev\/zero: a character device, not a regular file/);
  });

  it('a file over the size cap is refused with its size, before reading it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'epd-big-')), 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, MAX_SNAPSHOT_BYTES + 1e6); // sparse: no disk used
    await expect(readSnapshot(path)).rejects.toThrow(
      /huge\.json: 513 MB, over the 512 MB one snapshot file may hold; split it/,
    );
  });

  it('UTF-16 with a byte-order mark (LE and BE) is decoded; UTF-8 loses its byte-order mark', async () => {
    const text = JSON.stringify({ kind: 'List', items: [service('web')] });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const bytes of [le, be, utf8]) {
      const c = await readSnapshot(tempFile('s.json', bytes));
      expect(c.objects.map((o) => o.meta.name)).toEqual(['web']);
    }
  });

  it('UTF-16 without a byte-order mark: save it as UTF-8', async () => {
    await expect(
      readSnapshot(tempFile('s.json', Buffer.from('{"kind":"List","items":[]}', 'utf16le'))),
    ).rejects.toThrow(/s\.json: holds NUL bytes \(UTF-16 without a byte-order mark, or not text\); save it as UTF-8/);
  });

  it('the same object twice in a folder: read once, and said once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-dup-'));
    writeFileSync(join(dir, 'a.yaml'), [service('web'), service('api')].map((o) => stringify(o)).join('---\n'));
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ kind: 'List', items: [service('web'), service('api'), pod('web-1')] }),
    );
    const c = await readSnapshot(dir);
    expect(c.objects.map((o) => `${o.kind}/${o.meta.name}`)).toEqual(['Service/web', 'Service/api', 'Pod/web-1']);
    expect(c.duplicatesNote()).toMatch(
      /^2 objects appear more than once in the snapshot \(the first: Service shop\/web, again at .*b\.json, item 1\)/,
    );
    // The same name in another namespace or of another kind is another object.
    const other = await readSnapshot(
      tempFile(
        's.json',
        JSON.stringify({ kind: 'List', items: [service('web'), service('web', { ns: 'other' }), endpoints('web')] }),
      ),
    );
    expect(other.objects).toHaveLength(3);
    expect(other.duplicatesNote()).toBeUndefined();
  });

  it('a YAML alias bomb names the file and document', async () => {
    let bomb = 'kind: Service\nmetadata: {name: a}\na: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let prev = 'a';
    for (const k of 'bcdefghi') {
      bomb += `${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = k;
    }
    await expect(readSnapshot(tempFile('bomb.yaml', bomb))).rejects.toThrow(
      /bomb\.yaml: YAML aliases that expand to more than 1000 nodes \(kubectl writes none\); refused/,
    );
  });

  it('deep nesting names the file, in YAML (flow and block) and in JSON Lists', async () => {
    const flow = `kind: Service\nmetadata: {name: a}\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    await expect(readSnapshot(tempFile('flow.yaml', flow))).rejects.toThrow(
      /flow\.yaml: nested more than 200 levels deep at line 1 column 1; refused/,
    );
    let block = 'kind: Service\nmetadata: {name: a}\nspec:\n';
    for (let i = 1; i < 1500; i++) block += `${' '.repeat(i)}k:\n`;
    await expect(readSnapshot(tempFile('block.yaml', block))).rejects.toThrow(
      /block\.yaml: nested more than 200 levels deep/,
    );
    const lists = '{"kind":"List","items":['.repeat(10_000) + ']}'.repeat(10_000);
    await expect(readSnapshot(tempFile('lists.json', lists))).rejects.toThrow(
      /lists\.json, item 1, item 1, item 1, item 1: Lists nested more than 4 deep/,
    );
  });
});

describe('through the CLI: exit 2 and one line on stderr, or a note', () => {
  it('a wrong type: the file, the item, the object and the field', () => {
    const bad = { ...service('web'), spec: { ...(service('web').spec as Raw), selector: 'app=web' } };
    const file = tempFile('s.json', JSON.stringify({ kind: 'List', items: [service('ok'), bad] }));
    const r = runCli(['--snapshot', file, '-A']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${file}, item 2 (Service shop/web): spec.selector must be a map of strings, got string\n`,
    );
  });

  it('stdin over the size cap: refused with the cap, no crash', () => {
    const r = spawnSync(
      'sh',
      ['-c', `head -c ${MAX_SNAPSHOT_BYTES + 1_000_000} /dev/zero | "${process.execPath}" "${BIN}" --snapshot - -A`],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: stdin: more than 512 MB, over the 512 MB one snapshot file may hold; split it [^\n]*\n$/,
    );
  }, 60_000);

  it('the same Services in two files of a folder: each reported once, and a note says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-dup-'));
    const objects = [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
    writeFileSync(join(dir, 'a.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    writeFileSync(join(dir, 'b.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    const r = runCli(['--snapshot', dir, '-A', '-o', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary.services).toBe(1);
    expect(report.notes.filter((n) => n.includes('more than once'))).toEqual([
      `3 objects appear more than once in the snapshot (the first: Service shop/web, again at ${join(dir, 'b.yaml')}, document 1); each was read once, as first met`,
    ]);
  });

  it('Namespaces absent: a note only when a policy selects namespaces by a label other than the name, which their labels decide', async () => {
    const NOTE =
      'the snapshot holds no Namespaces: NetworkPolicy peers that select namespaces by label were not evaluated';
    const allowFrom = (peer: Raw) => networkPolicy('web', { podSelector: {}, ingress: [{ from: [peer] }] });
    const base = [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
    const notesOf = (objects: Raw[]) => {
      const r = runCli([
        '--snapshot',
        tempFile('s.json', JSON.stringify({ kind: 'List', items: objects })),
        '-A',
        '-o',
        'json',
      ]);
      return (JSON.parse(r.stdout) as Report).notes;
    };
    const byLabel = { namespaceSelector: { matchLabels: { team: 'front' } } };
    expect(notesOf([...base, allowFrom({ podSelector: {} })])).not.toContain(NOTE);
    // Every namespace, or namespaces by the name label the API server sets: no labels needed.
    expect(notesOf([...base, allowFrom({ namespaceSelector: {} })])).not.toContain(NOTE);
    const byName = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
    expect(notesOf([...base, allowFrom(byName)])).not.toContain(NOTE);
    expect(notesOf([...base, allowFrom(byLabel)])).toContain(NOTE);
    expect(notesOf([...base, allowFrom(byLabel), namespace('shop')])).not.toContain(NOTE);
    // Needed or not is what coverage says: read whenever no policy needs them.
    const coverage = async (objects: Raw[]) =>
      (await readSnapshot(tempFile('s.json', JSON.stringify({ kind: 'List', items: objects })))).coverage();
    expect((await coverage([...base, allowFrom({ namespaceSelector: {} })])).namespaces).toBe(true);
    expect((await coverage([...base, allowFrom(byLabel)])).namespaces).toBe(false);
  });
});
