// `kubectl endpoints-doctor snapshot` against the test server: it writes one List that
// --snapshot reads back to the report the live cluster gives, without managedFields, and with
// --redact without env or annotation values.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from './server/index.js';
import { runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service, type Raw } from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;

const managedFields = [
  {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  },
];

/** Adds managedFields and, for pods, env vars (literal and from a secret) to an object. */
function dressed(o: Raw): Raw {
  const out = structuredClone(o);
  out.metadata.managedFields = managedFields;
  if (out.kind === 'Pod') {
    out.spec.containers[0].env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'api' } } },
    ];
    out.spec.initContainers = [{ name: 'init', image: 'busybox', env: [{ name: 'INIT_TOKEN', value: 's3cr3t' }] }];
    out.metadata.annotations = { 'example.com/owner': 'alice@example.com' };
  }
  return out;
}

const objects = withControllers([
  node('node-a'),
  node('node-b', { ready: 'False' }),
  service('web', { annotations: { 'example.com/secret-note': 'do-not-share' } }),
  pod('web-1'),
  pod('web-2', { node: 'node-b' }),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
  service('ghost', { selector: { app: 'ghost' } }),
  service('web', { ns: 'other' }),
  pod('web-1', { ns: 'other' }),
  // A namespace with no Endpoints, EndpointSlices or pods at all.
  service('docs', { ns: 'bare', type: 'ExternalName', selector: null }),
]).map(dressed);

describe('snapshot against the test server', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  /** The CLI with the server's kubeconfig; a subcommand stays first, as commander wants it. */
  async function run(args: string[]) {
    const [first, ...rest] = args;
    const withKubeconfig =
      first === 'snapshot'
        ? [first, '--kubeconfig', server.kubeconfigPath, ...rest]
        : ['--kubeconfig', server.kubeconfigPath, ...args];
    const result = await runCliAsync(withKubeconfig);
    expect(result.stderr).not.toMatch(NO_STACK);
    return result;
  }

  async function snapshot(args: string[]): Promise<{ text: string; list: any }> {
    const result = await run(['snapshot', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = args.includes('json');
    return { text: result.stdout, list: json ? JSON.parse(result.stdout) : parse(result.stdout) };
  }

  /** The report of `args` live and from the snapshot `snapshotArgs` takes. */
  async function roundTrip(snapshotArgs: string[], args: string[]) {
    const { text } = await snapshot(snapshotArgs);
    const file = writeTemp(snapshotArgs.includes('json') ? 'snapshot.json' : 'snapshot.yaml', text);
    const [live, fromFile] = await Promise.all([
      run([...args, '-o', 'json']),
      runCliAsync(['--snapshot', file, ...args, '-o', 'json']),
    ]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(live.code);
    return { live: JSON.parse(live.stdout), fromFile: JSON.parse(fromFile.stdout) };
  }

  it('writes a List (YAML by default) that --snapshot reads back to the same report, -A', async () => {
    const { live, fromFile } = await roundTrip(['-A'], ['-A']);
    expect(fromFile).toEqual(live);
    expect(live.summary.services).toBe(5);
  });

  it('the same for one namespace and for named Services', async () => {
    const ns = await roundTrip(['-n', 'shop'], ['-n', 'shop']);
    expect(ns.fromFile).toEqual(ns.live);
    // The near-miss hint needs the namespace's pods: the snapshot of ghost holds them.
    const named = await roundTrip(['-n', 'shop', 'web', 'ghost', '-o', 'json'], ['-n', 'shop', 'web', 'ghost']);
    expect(named.fromFile).toEqual(named.live);
    expect(named.live.findings.some((f: any) => f.check === 'selector-no-match')).toBe(true);
  });

  it('-o json: the List as JSON, ordered by kind, every item with its kind and apiVersion', async () => {
    const { list } = await snapshot(['-A', '-o', 'json']);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: {} });
    const kinds = list.items.map((o: any) => o.kind);
    const order = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'];
    expect(kinds).toEqual([...kinds].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b)));
    expect(new Set(kinds)).toEqual(new Set(order));
    for (const item of list.items) {
      expect(item.apiVersion).toBe(item.kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'v1');
    }
    expect(list.items.filter((o: any) => o.kind === 'Pod')).toHaveLength(4);
  });

  it('drops managedFields and keeps everything else', async () => {
    const { list } = await snapshot(['-A', '-o', 'json']);
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) expect(item.metadata).not.toHaveProperty('managedFields');
    const web1 = list.items.find(
      (o: any) => o.kind === 'Pod' && o.metadata.name === 'web-1' && o.metadata.namespace === 'shop',
    );
    expect(web1.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'api' } } },
    ]);
    expect(web1.metadata.annotations).toEqual({ 'example.com/owner': 'alice@example.com' });
    expect(web1.metadata.labels).toEqual({ app: 'web' });
    expect(web1.status.podIP).toBeTruthy();
  });

  it('--redact blanks env values and annotation values, keeps names, keys and references', async () => {
    const { text, list } = await snapshot(['-A', '--redact']);
    for (const secret of ['hunter2', 's3cr3t', 'alice@example.com', 'do-not-share']) expect(text).not.toContain(secret);
    const web1 = list.items.find(
      (o: any) => o.kind === 'Pod' && o.metadata.name === 'web-1' && o.metadata.namespace === 'shop',
    );
    expect(web1.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', value: '' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'api' } } },
    ]);
    expect(web1.spec.initContainers[0].env).toEqual([{ name: 'INIT_TOKEN', value: '' }]);
    expect(web1.metadata.annotations).toEqual({ 'example.com/owner': '' });
    const web = list.items.find(
      (o: any) => o.kind === 'Service' && o.metadata.name === 'web' && o.metadata.namespace === 'shop',
    );
    expect(web.metadata.annotations).toEqual({ 'example.com/secret-note': '' });
    for (const item of list.items) expect(item.metadata).not.toHaveProperty('managedFields');

    // Redacted, it still diagnoses the same.
    const file = writeTemp('redacted.yaml', text);
    const [live, fromFile] = await Promise.all([
      run(['-A', '-o', 'json']),
      runCliAsync(['--snapshot', file, '-A', '-o', 'json']),
    ]);
    expect(JSON.parse(fromFile.stdout)).toEqual(JSON.parse(live.stdout));
  });

  it('a kind read but empty in scope reads back as empty, not as unread: same report, no note', async () => {
    const { live, fromFile } = await roundTrip(['-n', 'bare'], ['-n', 'bare']);
    expect(fromFile).toEqual(live);
    expect(live.notes).toEqual([]);
    expect(live.summary.services).toBe(1);
  });

  it('an optional kind it cannot read: a note on stderr, the List without it', async () => {
    server.faults.forbid({ resource: 'nodes' });
    try {
      const result = await run(['snapshot', '-A', '-o', 'json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('note: Nodes could not be read (forbidden): checks that need them were skipped\n');
      expect(JSON.parse(result.stdout).items.some((o: any) => o.kind === 'Node')).toBe(false);
    } finally {
      server.faults.clear();
    }
  });

  it('a required kind it cannot read: exit 3, nothing on stdout', async () => {
    server.faults.forbid({ resource: 'pods' });
    try {
      const result = await run(['snapshot', '-n', 'shop']);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: forbidden: cannot list pods in namespace "shop"[^\n]*\n$/);
    } finally {
      server.faults.clear();
    }
  });

  it('refuses --snapshot and unknown formats', async () => {
    const both = await run(['snapshot', '--snapshot', 'x.yaml']);
    expect(both.code).toBe(2);
    const format = await run(['snapshot', '-o', 'table']);
    expect(format.code).toBe(2);
    expect(server.requests).toEqual([]);
  });
});
