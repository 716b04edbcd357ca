// --watch and --interactive as processes against the test API server: where stdout is not a
// terminal, --watch prints every Service once and then one line per change, as pods change
// while it watches; the flags refuse what they cannot do with exit 2.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CLIENT_REREAD_MS, type ServiceChangeEvent } from '../src/commands/live-views.js';
import type { Report } from '../src/report/report.js';
import { startTestServer, type TestServer } from './server/index.js';
import { BIN, runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { endpointOf, networkPolicy, node, pod, service, slice, workload } from './support/objects.js';
import { applyWithControllers, eventually } from './support/watching.js';

const TIMEOUT = 120_000;
const TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';

/** The CLI as a running process, its output collected as it comes. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), NO_COLOR: '1' },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT);
  void exited.then(() => clearTimeout(killer));
  return { child, out, exited };
}

/** web's one pod is not ready yet; api is fine. */
const webDown = () =>
  withControllers([
    node('node-a'),
    service('web'),
    pod('web-1', { ready: false }),
    service('api', { selector: { app: 'api' } }),
    pod('api-1', { labels: { app: 'api' } }),
    pod('api-2', { labels: { app: 'api' } }),
  ]);

describe('--watch without a terminal', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: webDown() });
  });
  afterAll(() => server?.close());

  it('prints each Service once, then a line when a pod becomes ready, and exits 0 on Ctrl-C', async () => {
    const cli = startCli(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--watch']);
    await eventually('the initial lines', () => cli.out.stdout.split('\n').length > 2);
    expect(cli.out.stdout).toMatch(new RegExp(`^${TIME} shop/api added status=ok endpoints=2/2$`, 'm'));
    expect(cli.out.stdout).toMatch(
      new RegExp(`^${TIME} shop/web added status=error endpoints=0/1 findings=\\+no-ready-endpoints`, 'm'),
    );

    applyWithControllers(server, [pod('web-1', { ready: true })]);
    await eventually('the change line', () => /shop\/web changed/.test(cli.out.stdout));
    expect(cli.out.stdout).toMatch(
      new RegExp(
        `^${TIME} shop/web changed status=error->info endpoints=0/1->1/1 findings=\\+single-ready-endpoint,-no-ready-endpoints$`,
        'm',
      ),
    );
    // api did not change: still only its first line.
    expect(cli.out.stdout.match(/shop\/api/g)).toHaveLength(1);

    server.store.delete({ kind: 'Service', metadata: { namespace: 'shop', name: 'api' } });
    await eventually('the removal line', () => /shop\/api removed/.test(cli.out.stdout));
    expect(cli.out.stdout).toMatch(new RegExp(`^${TIME} shop/api removed status=ok endpoints=2/2$`, 'm'));

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stderr).toBe('');
  });

  it('the tree subcommand watches the same way', async () => {
    const cli = startCli(['tree', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-w', 'web']);
    await eventually('the initial line', () => cli.out.stdout.includes('\n'));
    expect(cli.out.stdout).toMatch(new RegExp(`^${TIME} shop/web added status=`, 'm'));
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('exits 3 when the cluster cannot be reached at the start', async () => {
    const gone = await startTestServer({ objects: [] });
    const kubeconfig = writeTemp('kubeconfig', gone.kubeconfig);
    await gone.close();
    const run = await runCliAsync(['--kubeconfig', kubeconfig, '-w'], { timeoutMs: TIMEOUT });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: cannot reach the Kubernetes API at .*connection refused/);
  });
});

describe('--watch -o json: Services that objects name but that do not exist', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  const headless = service('db-hl', { selector: { app: 'db' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } });
  beforeAll(async () => {
    server = await startTestServer({
      objects: [
        ...webDown(),
        workload('StatefulSet', 'db', { labels: { app: 'db' }, replicas: 0, spec: { serviceName: 'db-hl' } }),
      ],
    });
  });
  afterAll(() => server?.close());

  it('the report holds their findings as the one-shot report does, and each change of them is an event', async () => {
    const oneShot = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json'], {
      timeoutMs: TIMEOUT,
    });
    const expected = (JSON.parse(oneShot.stdout) as Report).findings.filter((f) => f.service === 'db-hl');
    expect(expected.map((f) => f.check)).toEqual(['statefulset-service-missing']);

    const cli = startCli(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--watch', '-o', 'json']);
    const documents = () =>
      cli.out.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
    await eventually('the report', () => documents().length >= 1);
    const [report] = documents() as [Report];
    expect(report.findings.filter((f) => f.service === 'db-hl')).toEqual(expected);
    expect(report.services.map((s) => s.name)).not.toContain('db-hl');

    // The Service is created (headless): it now exists, and the StatefulSet's finding is gone.
    applyWithControllers(server, [headless]);
    await eventually('the change of db-hl', () => documents().length >= 2);
    // Another StatefulSet names a Service that does not exist: it appears.
    applyWithControllers(server, [
      workload('StatefulSet', 'cache', { labels: { app: 'cache' }, replicas: 0, spec: { serviceName: 'cache-hl' } }),
    ]);
    await eventually('cache-hl named', () => documents().length >= 3);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);

    const [, created, named] = documents() as [Report, ServiceChangeEvent, ServiceChangeEvent];
    expect(created).toMatchObject({
      kind: 'ServiceChange',
      change: 'changed',
      namespace: 'shop',
      name: 'db-hl',
      after: { name: 'db-hl', type: 'ClusterIP (headless)' },
      checksRemoved: ['statefulset-service-missing'],
    });
    expect(created).not.toHaveProperty('before');
    expect(named).toMatchObject({
      kind: 'ServiceChange',
      change: 'added',
      namespace: 'shop',
      name: 'cache-hl',
      checksAdded: ['statefulset-service-missing'],
      findings: [{ check: 'statefulset-service-missing', subject: { kind: 'StatefulSet', name: 'cache' } }],
    });
    expect(named).not.toHaveProperty('before');
    expect(named).not.toHaveProperty('after');
  });
});

describe('--watch -o json and -o yaml: a stream of documents', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeEach(async () => {
    await server?.close();
    server = await startTestServer({ objects: webDown() });
  });
  afterAll(() => server?.close());

  /** Changes web's one pod to ready, then deletes api, waiting for each to be printed. */
  async function changeAndWait(printed: () => number) {
    await eventually('the report', () => printed() >= 1);
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    await eventually('the change of web', () => printed() >= 2);
    server.store.delete({ kind: 'Service', metadata: { namespace: 'shop', name: 'api' } });
    await eventually('the removal of api', () => printed() >= 3);
  }

  it('-o json prints one JSON document per line (NDJSON): the report, then a ServiceChange per change', async () => {
    const cli = startCli(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--watch', '-o', 'json']);
    const lines = () => cli.out.stdout.split('\n').filter(Boolean);
    await changeAndWait(() => lines().length);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stderr).toBe('');
    expect(cli.out.stdout.endsWith('\n')).toBe(true);

    // A report, then one ServiceChange event a line (docs/report.md).
    const [report, changed, removed, ...more] = lines().map((line) => JSON.parse(line) as unknown) as [
      Report,
      ServiceChangeEvent,
      ServiceChangeEvent,
      ...unknown[],
    ];
    expect(more).toEqual([]);
    expect(report).toMatchObject({ apiVersion: 'endpoints-doctor/v1', kind: 'Report', summary: { services: 2 } });
    expect(report.findings.map((f) => f.check)).toContain('no-ready-endpoints');

    expect(changed).toMatchObject({
      apiVersion: 'endpoints-doctor/v1',
      kind: 'ServiceChange',
      change: 'changed',
      namespace: 'shop',
      name: 'web',
      before: { name: 'web', status: 'error', endpoints: { ready: 0, total: 1 } },
      after: { name: 'web', status: 'info', endpoints: { ready: 1, total: 1 } },
      checksAdded: ['single-ready-endpoint'],
      checksRemoved: ['no-ready-endpoints'],
    });
    expect(changed.time).toMatch(new RegExp(`^${TIME}$`));
    expect(changed.findings.map((f) => [f.check, f.service])).toEqual([['single-ready-endpoint', 'web']]);

    expect(removed).toMatchObject({ kind: 'ServiceChange', change: 'removed', namespace: 'shop', name: 'api' });
    expect(removed.before).toMatchObject({ name: 'api', status: 'ok', endpoints: { ready: 2, total: 2 } });
    expect(removed.checksRemoved).toEqual([]);
    expect(removed).not.toHaveProperty('after');
    expect(removed.findings).toEqual([]);
  });

  it('-o yaml prints a YAML stream, each document opened by ---', async () => {
    const cli = startCli(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-w', '-o', 'yaml']);
    const documents = () => parseAllDocuments(cli.out.stdout).filter((d) => d.contents !== null);
    await changeAndWait(() => documents().length);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout.startsWith('---\n')).toBe(true);
    const [report, changed, removed] = documents().map((d) => d.toJS() as unknown);
    expect(report).toMatchObject({ kind: 'Report', summary: { services: 2 } });
    expect(changed).toMatchObject({ kind: 'ServiceChange', change: 'changed', name: 'web' });
    expect(removed).toMatchObject({ kind: 'ServiceChange', change: 'removed', name: 'api' });
  });
});

describe('--watch --from: the client found again at each change', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  afterAll(() => server?.close());

  /** `-n shop --watch -o json --from FROM` on the server, once its report is out; changeOf: a Service's first change. */
  const watchFrom = async (from: string) => {
    const cli = startCli([
      '--kubeconfig',
      server.kubeconfigPath,
      '-n',
      'shop',
      '--watch',
      '-o',
      'json',
      '--from',
      from,
    ]);
    const lines = () => cli.out.stdout.split('\n').filter(Boolean);
    await eventually('the report', () => lines().length >= 1);
    const changeOf = (name: string) =>
      lines()
        .slice(1)
        .map((l) => JSON.parse(l) as ServiceChangeEvent)
        .find((e) => e.name === name)!;
    return { cli, lines, report: JSON.parse(lines()[0]) as Report, changeOf };
  };

  it('each Service as the client sees it; a client that goes away is said, and the watch goes on', async () => {
    // frontend may send nothing but to web on 8080: not even DNS (networkpolicy-blocks-dns).
    server = await startTestServer({
      objects: [
        ...withControllers([node('node-a'), service('web'), pod('web-1')]),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        pod('frontend', { labels: { app: 'frontend' } }),
        networkPolicy('frontend', {
          podSelector: { matchLabels: { app: 'frontend' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
        }),
      ],
    });
    const { cli, lines, report, changeOf } = await watchFrom('pod/frontend');
    const web = report.services.find((s) => s.name === 'web')!;
    expect(web.reachability!.ports[0].backends.map((b) => [b.pod, b.verdict])).toEqual([['web-1', 'allowed']]);
    expect(report.findings.map((f) => [f.check, f.service])).toContainEqual(['networkpolicy-blocks-dns', 'web']);

    server.store.delete({ kind: 'Pod', metadata: { namespace: 'shop', name: 'frontend' } });
    await eventually('the change of web', () =>
      lines().some((l) => l.includes('"name":"web"') && l.includes('ServiceChange')),
    );
    const changed = changeOf('web');
    expect(changed.checksRemoved).toEqual(['networkpolicy-blocks-dns']);
    expect(changed.after!.reachability).toMatchObject({
      from: 'pod/frontend',
      unknown: 'pod "frontend" not found in namespace "shop"',
      ports: [],
    });

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stderr).toBe('');
  });

  it('a client in another namespace, which the watch does not see, is read again: a change there shows', async () => {
    // -n shop watches shop; the client and its egress policy (which lets out no DNS) are in clients.
    server = await startTestServer({
      objects: [
        ...withControllers([node('node-a'), service('web'), pod('web-1')]),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        pod('frontend', { ns: 'clients', labels: { app: 'frontend' } }),
        networkPolicy(
          'frontend',
          {
            podSelector: { matchLabels: { app: 'frontend' } },
            policyTypes: ['Egress'],
            egress: [
              {
                to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }],
                ports: [{ port: 8080 }],
              },
            ],
          },
          { ns: 'clients' },
        ),
      ],
    });
    const { cli, lines, report, changeOf } = await watchFrom('clients/pod/frontend');
    expect(report.findings.map((f) => [f.check, f.service])).toContainEqual(['networkpolicy-blocks-dns', 'web']);

    server.store.delete({ kind: 'NetworkPolicy', metadata: { namespace: 'clients', name: 'frontend' } });
    await eventually(
      'the change of web, at the next read of the client',
      () => lines().some((l) => l.includes('"name":"web"') && l.includes('ServiceChange')),
      CLIENT_REREAD_MS * 3,
    );
    const changed = changeOf('web');
    expect(changed.checksRemoved).toEqual(['networkpolicy-blocks-dns']);

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stderr).toBe('');
  });

  it('a client the cluster does not have when the watch starts: exit 2, as a run without --watch', async () => {
    const run = await runCliAsync(
      ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--watch', '--from', 'pod/nope'],
      { timeoutMs: TIMEOUT },
    );
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: --from: pod "nope" not found in namespace "shop"\n' });
  });
});

describe('flags that refuse', { timeout: TIMEOUT }, () => {
  const snapshot = writeTemp('shop.yaml', '');

  it('--watch with --snapshot is a usage error', async () => {
    const run = await runCliAsync(['--snapshot', snapshot, '--watch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: --watch needs a live cluster: a --snapshot never changes (use -i to browse a snapshot)\n',
    );
  });

  it('--interactive where stdout is not a terminal refuses in one line', async () => {
    const run = await runCliAsync(['--snapshot', snapshot, '-i']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --interactive needs a terminal .*\n$/);
  });

  it.each([
    [
      ['-w', '-o', 'junit'],
      'error: --watch prints text, wide, tree, json, yaml: -o junit is the report of one run (drop --watch)\n',
    ],
    [
      ['--watch', '-o=markdown'],
      'error: --watch prints text, wide, tree, json, yaml: -o markdown is the report of one run (drop --watch)\n',
    ],
    [['-i', '-o', 'json'], 'error: --interactive draws its own view: -o json is for a run without -i\n'],
    [
      ['tree', '-o', 'json'],
      'error: the tree subcommand draws trees: for -o json, run kubectl endpoints-doctor without "tree"\n',
    ],
    [
      ['-o', 'yaml', 'tree', '-w'],
      'error: the tree subcommand draws trees: for -o yaml, run kubectl endpoints-doctor without "tree"\n',
    ],
  ])('%j is a usage error rather than some other output', async (args, message) => {
    const run = await runCliAsync(['--snapshot', snapshot, ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(message);
  });

  it.each([
    [['-w'], '--watch'],
    [['-i'], '--interactive on a live cluster'],
  ])('--for with %j on a live cluster is a usage error, not a watch of the whole namespace', async (flags, what) => {
    const run = await runCliAsync(['--kubeconfig', writeTemp('config', ''), '--for', 'ingress/shop', ...flags]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --for follows one object's Services in one run: ${what} does not take it yet (name the Services instead: svc/NAME...)\n`,
    });
  });

  it('--watch and --interactive together is a usage error', async () => {
    const run = await runCliAsync(['--snapshot', snapshot, '-w', '-i']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: use --watch or --interactive, not both\n');
  });
});
