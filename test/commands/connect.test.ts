// --connect's flags, completed and validated before anything is read or contacted: what is a usage
// error (exit 2, one line), and what a run with --connect does with a snapshot whose targets are on
// loopback (a listener this test starts, a port nothing listens on).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseCommand } from '../../src/commands/diagnose.js';
import { parseReport, writeTemp } from '../support/cli.js';
import { service, slice } from '../support/objects.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { diagnoseFlags as flags, runDiagnose as run } from '../support/diagnose-flags.js';
import { runInProcess } from '../support/streams.js';

describe('--connect flags', () => {
  it.each([
    [{ connectFrom: 'local' }, 'error: --connect-from goes with --connect\n'],
    [{ connectTimeout: '1s', connectHttp: '/' }, 'error: --connect-timeout, --connect-http go with --connect\n'],
    [
      { connect: true, connectFrom: 'shop/pod/' },
      'error: --connect-from shop/pod/: name the pod (NAMESPACE/pod/NAME)\n',
    ],
    [
      { connect: true, connectFrom: 'pod/Client_1' },
      'error: --connect-from: "Client_1" is not a valid pod name: must be lowercase letters, digits, - and ., starting and ending with a letter or digit\n',
    ],
    [{ connect: true, connectFrom: 'node' }, 'error: --connect-from node: name the node (node/NAME)\n'],
    [
      { connect: true, connectFrom: 'shop/node/node-a' },
      'error: --connect-from shop/node/node-a: a node has no namespace (node/NAME)\n',
    ],
    [
      { connect: true, connectFrom: 'node/Node_A' },
      'error: --connect-from: "Node_A" is not a valid node name: must be lowercase letters, digits, - and ., starting and ending with a letter or digit\n',
    ],
    [{ connect: true, connectFrom: 'node/node-a', image: ' ' }, 'error: --image is empty\n'],
    [
      { connect: true, connectFrom: 'laptop' },
      'error: --connect-from "laptop" is neither local, pod/NAME (NAMESPACE/pod/NAME for another namespace) nor node/NAME\n',
    ],
    [{ connect: true, image: 'busybox' }, 'error: --image goes with --connect-from pod/NAME or node/NAME\n'],
    [{ image: 'busybox' }, 'error: --image goes with --connect\n'],
    [
      { connect: true, connectTimeout: '2' },
      'error: --connect-timeout "2" needs a unit (2s, 2ms...): e.g. 2s, 500ms\n',
    ],
    [
      { connect: true, connectTimeout: '0s' },
      'error: --connect-timeout "0s" is not a duration above 0: e.g. 2s, 500ms\n',
    ],
    [
      { connect: true, connectHttp: 'healthz' },
      'error: --connect-http "healthz" is not a path: it starts with / and holds no spaces or control characters\n',
    ],
    [
      { connect: true, connectHttp: '/a\r\nHost: evil' },
      // The line printed goes through the terminal's sanitising: the CR LF do not reach it.
      'error: --connect-http "/a Host: evil" is not a path: it starts with / and holds no spaces or control characters\n',
    ],
    [
      { only: 'endpoint-unreachable' },
      'error: --only: endpoint-unreachable judges connections: it runs only with --connect\n',
    ],
    [{ connect: true, watch: true }, 'error: --connect runs once: --watch does not take it yet\n'],
  ])('%o: a usage error before anything is read', async (given, stderr) => {
    expect(await run({ snapshot: '/nonexistent', ...given })).toEqual({ code: 2, stdout: '', stderr });
  });
});

describe('--connect on loopback', () => {
  let server: Server;
  let open = 0;
  let closed = 0;
  let snapshot = '';

  beforeAll(async () => {
    server = createServer((_q, r) => r.writeHead(200).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open = (server.address() as AddressInfo).port;
    // A port that was listening and is closed again: nothing listens there now.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    closed = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const web = service('web', {
      ports: [
        { name: 'http', port: open, targetPort: open, protocol: 'TCP' },
        { name: 'admin', port: closed, targetPort: closed, protocol: 'TCP' },
      ],
      spec: { clusterIP: '127.0.0.1', clusterIPs: ['127.0.0.1'], ipFamilies: ['IPv4'] },
    });
    const webSlice = slice('web', {
      ports: [
        { name: 'http', port: open, protocol: 'TCP' },
        { name: 'admin', port: closed, protocol: 'TCP' },
      ],
      endpoints: [{ ip: '127.0.0.1' }],
    });
    snapshot = writeTemp('loopback.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [web, webSlice] }));
  });
  afterAll(() => server?.close());

  it('the open port answers, the closed one refuses; the --only and --disable lists choose connect checks too', async () => {
    const result = await run({ snapshot, allNamespaces: true, connect: true, output: 'json', failOn: 'never' });
    expect(result.stderr).toBe('');
    const report = parseReport(result.stdout);
    const results = report.services[0].connectivity!.map((p) => [p.port, p.targets.map((t) => t.result)]);
    expect(results).toEqual([
      [`http ${open}/TCP`, ['open', 'open']],
      [`admin ${closed}/TCP`, ['refused', 'refused']],
    ]);
    expect(report.findings.filter((f) => f.check === 'endpoint-refuses-connections').map((f) => f.port)).toEqual([
      `admin ${closed}/TCP`,
    ]);
    const disabled = await run({
      snapshot,
      allNamespaces: true,
      connect: true,
      output: 'json',
      disable: 'endpoint-refuses-connections',
    });
    expect(parseReport(disabled.stdout).findings.map((f) => f.check)).not.toContain('endpoint-refuses-connections');
  });

  it.each([
    ['shop/pod/client', 'adds a container to a pod'],
    ['node/node-a', 'creates a pod on a node'],
  ])('--connect-from %s with input files: a usage error', async (from, what) => {
    const result = await run({ snapshot, allNamespaces: true, connect: true, connectFrom: from });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --connect-from ${from} ${what}: it needs a cluster, not input files\n`,
    });
  });

  it('progress on stderr only when stderr is a terminal, cleared at the end', async () => {
    const given = flags({ snapshot, allNamespaces: true, connect: true, output: 'json', failOn: 'never' });
    const onTerminal = await runInProcess(diagnoseCommand, [], given, { stderrTerminal: true });
    expect(onTerminal.stderr).toBe('\rconnecting: 1/2\rconnecting: 2/2\r\u001b[K');
    const onPipe = await runInProcess(diagnoseCommand, [], given);
    expect(onPipe.stderr).toBe('');
  });
});

describe('--connect on a live cluster', () => {
  let api: TestServer | undefined;
  afterAll(() => api?.close());

  it('the targets come from the Services and slices read from the API, as from a snapshot', async () => {
    const listener = createServer((_q, r) => r.writeHead(200).end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      api = await startTestServer({
        objects: [
          service('web', {
            ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }],
            spec: { clusterIP: '127.0.0.1', clusterIPs: ['127.0.0.1'], ipFamilies: ['IPv4'] },
          }),
          slice('web', { ports: [{ name: 'http', port, protocol: 'TCP' }], endpoints: [{ ip: '127.0.0.1' }] }),
        ],
      });
      const result = await run({ kubeconfig: api.kubeconfigPath, namespace: 'shop', connect: true, output: 'json' });
      const web = parseReport(result.stdout).services.find((s) => s.name === 'web')!;
      expect(web.connectivity!.flatMap((p) => p.targets.map((t) => `${t.kind} ${t.result}`))).toEqual([
        'endpoint open',
        'cluster-ip open',
      ]);
    } finally {
      listener.close();
    }
  });
});
