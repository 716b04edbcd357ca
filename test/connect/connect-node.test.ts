// --connect --connect-from node/NAME: the whole path end to end. The built CLI reads the Node,
// creates the debug pod on it through the test API server, waits for the status the test sets to
// Running, execs the connect program in it, and deletes it; the test's exec handler runs that
// program with busybox's sh and nc inside a network namespace the test created, standing for the
// node: the node's InternalIP, listeners for some endpoints, cluster IPs and one NodePort, nothing
// on others. What must hold on every path: the pod is deleted (success, a failing exec, a refused
// exec, a container that does not start, a signal), and only the Service's own addresses are
// tried, the NodePorts at the node's InternalIP alone. Every wait is on a condition, bounded by
// the test's timeout. The error paths need no namespace.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringAt } from '../../src/core/json-value.js';
import type { Report } from '../../src/report/report.js';
import { CONNECT_IMAGE, CONTAINER_LIFETIME_SECONDS, NO_PRIVILEGES } from '../../src/sources/connect/container.js';
import { NODE_POD_NAMESPACE } from '../../src/sources/connect/node.js';
import { startTestServer, type ExecHandler, type TestServer } from '../server/index.js';
import { resourceNamed } from '../server/store.js';
import { BIN, runCliAsync } from '../support/cli.js';
import { canUseNetns, createNetns, deleteNetns, execInNetns, mustRunInNetns, startInNetns } from '../support/netns.js';
import { node, pod, service, slice, type Raw } from '../support/objects.js';

const BUSYBOX = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
const skipReason = canUseNetns(['ip']) ?? (BUSYBOX ? undefined : 'busybox is not installed (apt-get install busybox)');
if (skipReason) console.warn(`--connect-from node end-to-end tests in a network namespace skipped: ${skipReason}`);

const NODE_IP = '192.168.0.10'; // node-a's InternalIP: web's NodePort answers there, api's refuses
const WEB_1 = '10.244.1.5'; // listens on 8080
const WEB_2 = '10.244.1.6'; // nothing on 8080: refused
const API_1 = '10.244.1.7'; // listens on 8080
const WEB_IP = '10.96.0.10'; // web's cluster IP answers on 80
const API_IP = '10.96.0.12'; // api's cluster IP answers on 80

const nodeA: Raw = {
  ...node('node-a'),
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    // Only the InternalIP of the Services' family is a target: not the IPv6 one, the external
    // address or the host name.
    addresses: [
      { type: 'InternalIP', address: NODE_IP },
      { type: 'InternalIP', address: 'fd00:1::10' },
      { type: 'ExternalIP', address: '203.0.113.10' },
      { type: 'Hostname', address: 'node-a' },
    ],
  },
};
const endpoint = (name: string, ip: string) => ({ ip, pod: name, node: 'node-a', ready: true });
const objects: Raw[] = [
  nodeA,
  service('web', {
    type: 'NodePort',
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
  }),
  service('api', {
    type: 'NodePort',
    selector: { app: 'api' },
    ports: [{ name: 'api', port: 80, targetPort: 8080, nodePort: 30081, protocol: 'TCP' }],
    spec: { clusterIP: API_IP, clusterIPs: [API_IP], ipFamilies: ['IPv4'] },
  }),
  pod('web-1', { ip: WEB_1 }),
  pod('web-2', { ip: WEB_2 }),
  pod('api-1', { ip: API_1, labels: { app: 'api' } }),
  slice('web', {
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [endpoint('web-1', WEB_1), endpoint('web-2', WEB_2)],
  }),
  slice('api', { ports: [{ name: 'api', port: 8080, protocol: 'TCP' }], endpoints: [endpoint('api-1', API_1)] }),
];

/** What these tests read of the debug pod the CLI created. */
interface DebugPod {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    nodeName: string;
    hostNetwork: boolean;
    automountServiceAccountToken: boolean;
    activeDeadlineSeconds: number;
    containers: Raw[];
  };
}

const NOTE =
  /^note: creating the pod kube-system\/(endpoints-doctor-connect-node-a-[0-9a-f]{5}) on node node-a \(image (\S+), host network, no privileges\) to connect from; it is deleted when the run ends\n/;

/** A test API server whose pods named endpoints-doctor-connect-* run as soon as they are created, unless told otherwise. */
function withDebugPods(): {
  start: () => Promise<TestServer>;
  created: DebugPod[];
  podStatus: { value: Raw };
} {
  const created: DebugPod[] = [];
  const podStatus = { value: { phase: 'Running' } as Raw };
  const start = async () => {
    created.length = 0;
    podStatus.value = { phase: 'Running' };
    const server = await startTestServer({ objects });
    // No kubelet: the test moves the pod's status along.
    server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || e.resource.plural !== 'pods') return;
      if (!stringAt(e.object, 'metadata', 'name')?.startsWith('endpoints-doctor-connect-')) return;
      created.push(e.object as unknown as DebugPod);
      const status = podStatus.value;
      setImmediate(() => server.store.update({ ...e.object, status }));
    });
    return server;
  };
  return { start, created, podStatus };
}

const podGone = (server: TestServer, name: string) =>
  server.store.get(resourceNamed('pods')!, NODE_POD_NAMESPACE, name) === undefined;
/** The debug pod's create and delete requests, in order. */
const podWrites = (server: TestServer) =>
  server.requests
    .filter((r) => r.resource === 'pods' && (r.method === 'POST' || r.method === 'DELETE'))
    .map((r) => `${r.method} ${r.namespace ?? ''}/${r.name ?? ''}`);
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error'));

/** A folder standing for the busybox image's PATH: the applets the connect program uses. */
function busyboxImage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-image-'));
  for (const tool of ['sh', 'nc', 'timeout', 'true']) symlinkSync(BUSYBOX, join(dir, tool));
  return dir;
}

/** Listens on each host:port, then prints "ready"; holds connections open without a word. */
const LISTENER = `
const { createServer } = require('node:net');
const specs = JSON.parse(process.argv[1]);
let pending = specs.length;
for (const [host, port] of specs) createServer(() => {}).listen(port, host, () => { if (--pending === 0) console.log('ready'); });
`;

describe.skipIf(!!skipReason)('--connect-from node/node-a end to end, the node a network namespace', () => {
  let netns = '';
  let listener: ChildProcess | undefined;
  let image = '';
  const pods = withDebugPods();
  let server: TestServer;
  /** The ADDRESS:PORT pairs each exec of the program was given. */
  const tried: string[][] = [];

  beforeAll(async () => {
    netns = createNetns();
    for (const ip of [NODE_IP, WEB_1, WEB_2, API_1, WEB_IP, API_IP])
      mustRunInNetns(netns, ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    image = busyboxImage();
    listener = await startInNetns(netns, [
      process.execPath,
      '-e',
      LISTENER,
      JSON.stringify([
        [WEB_1, 8080],
        [API_1, 8080],
        [WEB_IP, 80],
        [API_IP, 80],
        [NODE_IP, 30080],
      ]),
    ]);
  });
  afterAll(() => {
    listener?.kill();
    if (netns) deleteNetns(netns);
  });

  beforeEach(async () => {
    tried.length = 0;
    server = await pods.start();
    const run: ExecHandler = async ({ command, stdout, stderr }) => {
      // sh -c PROGRAM NAME SECONDS HTTP-PATH LISTEN, then ADDRESS PORT HOST SNI per target.
      const fields = command.slice(7);
      tried.push(fields.flatMap((_, i) => (i % 4 === 0 ? [`${fields[i]}:${fields[i + 1]}`] : [])));
      return execInNetns(netns, BUSYBOX, image, command, { stdout, stderr });
    };
    server.setExecHandler(run);
  });
  afterEach(async () => server.close());

  it('creates one unprivileged host-network pod on the node, says so first, reports what the node reaches, deletes the pod', async () => {
    const result = await runCliAsync(
      [
        '-n',
        'shop',
        '--kubeconfig',
        server.kubeconfigPath,
        '--connect',
        '--connect-from',
        'node/node-a',
        '--connect-timeout',
        '1s',
        '-o',
        'json',
      ],
      { timeoutMs: 60_000 },
    );
    const note = NOTE.exec(result.stderr);
    expect(note, result.stderr).not.toBeNull();
    expect(note?.[2]).toBe(CONNECT_IMAGE);
    expect(result.stderr.slice(note![0].length)).toBe('');
    // api's NodePort refuses while its endpoint answers: an error finding.
    expect(result.code).toBe(1);

    const report = JSON.parse(result.stdout) as Required<Report>;
    const answers = Object.fromEntries(
      report.services.map((s) => [
        s.name,
        (s.connectivity ?? []).flatMap((p) => p.targets.map((t) => `${t.kind} ${t.address}:${t.port} ${t.result}`)),
      ]),
    );
    expect(answers).toEqual({
      api: [`endpoint ${API_1}:8080 open`, `cluster-ip ${API_IP}:80 open`, `node-port ${NODE_IP}:30081 refused`],
      web: [
        `endpoint ${WEB_1}:8080 open`,
        `endpoint ${WEB_2}:8080 refused`,
        `cluster-ip ${WEB_IP}:80 open`,
        `node-port ${NODE_IP}:30080 open`,
      ],
    });
    expect(report.services.every((s) => s.connectivity?.every((p) => p.vantage === 'node/node-a'))).toBe(true);
    // A host-network pod asks the node's resolver, not the cluster DNS: no lookup, and the report says so.
    expect(report.services.map((s) => s.dns && { result: s.dns.result, server: s.dns.server })).toEqual([
      { result: 'skipped', server: 'none' },
      { result: 'skipped', server: 'none' },
    ]);
    expect(report.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/2 Service names were not looked up \(not asked from a node/)]),
    );
    // The program was given exactly these targets, each once: nothing else, never a range.
    expect(tried.flat().sort()).toEqual(
      [
        `${WEB_1}:8080`,
        `${WEB_2}:8080`,
        `${API_1}:8080`,
        `${WEB_IP}:80`,
        `${API_IP}:80`,
        `${NODE_IP}:30080`,
        `${NODE_IP}:30081`,
      ].sort(),
    );
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.check)).toEqual([
      'service-address-fails',
    ]);
    expect(report.findings.filter((f) => f.check === 'service-address-fails')).toEqual([
      expect.objectContaining({
        service: 'api',
        reason: 'nodePortFails',
        severity: 'error',
        fix: 'kubectl endpoints-doctor probe -n shop api --node node-a',
      }),
    ]);

    expect(pods.created).toHaveLength(1);
    const [created] = pods.created;
    expect(created.metadata.name).toBe(note?.[1]);
    expect(created.metadata.namespace).toBe('kube-system');
    expect(created.metadata.labels).toEqual({ 'app.kubernetes.io/created-by': 'endpoints-doctor-connect' });
    expect(created.spec).toMatchObject({
      nodeName: 'node-a',
      hostNetwork: true,
      automountServiceAccountToken: false,
      activeDeadlineSeconds: CONTAINER_LIFETIME_SECONDS,
    });
    expect(created.spec.containers).toEqual([
      {
        name: 'connect',
        image: CONNECT_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['sleep', String(CONTAINER_LIFETIME_SECONDS)],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '500m', memory: '64Mi' } },
        securityContext: NO_PRIVILEGES,
      },
    ]);
    const name = created.metadata.name;
    expect(podWrites(server)).toEqual(['POST kube-system/', `DELETE kube-system/${name}`]);
    expect(podGone(server, name)).toBe(true);
    const execs = server.requests.filter((r) => r.resource === 'pods/exec');
    expect(execs.map((r) => `${r.name} ${r.query.get('container')} ${r.status}`)).toEqual([`${name} connect 101`]);
  });

  it('text output: the NodePort on its row of the table, and the finding', async () => {
    const result = await runCliAsync(
      ['svc/api', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--connect', '--connect-from', 'node/node-a'],
      { timeoutMs: 60_000 },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('shop/api: connections from node/node-a');
    expect(result.stdout).toMatch(/192\.168\.0\.10:30081 +node port +refused/);
    expect(result.stdout).toMatch(
      /^ {2}ERROR +service-address-fails +api 80\/TCP: endpoints accept connections from node\/node-a/m,
    );
    expect(pods.created.map((p) => podGone(server, p.metadata.name))).toEqual([true]);
  });
});

describe('--connect-from node/NAME: what stops it, one line and an exit code each, and the pod deleted', () => {
  const pods = withDebugPods();
  let server: TestServer;
  beforeEach(async () => {
    server = await pods.start();
  });
  afterEach(async () => server.close());

  const connectFrom = (from: string, ...more: string[]) =>
    runCliAsync(
      ['svc/web', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--connect', '--connect-from', from, ...more],
      { timeoutMs: 60_000 },
    );

  it('no such node: a usage error (exit 2), nothing created', async () => {
    const result = await connectFrom('node/node-z');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --connect-from node/node-z: there is no node node-z\n');
    expect(podWrites(server)).toEqual([]);
  });

  it('without get on nodes: forbidden, the RBAC named, exit 3, nothing created', async () => {
    server.faults.forbid({ resource: 'nodes', verb: 'get' });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(
        /^error: forbidden: cannot read node node-a \(.*\); --connect-from node needs get on nodes, and create, get and delete on pods and create on pods\/exec in namespace kube-system$/,
      ),
    ]);
    expect(podWrites(server)).toEqual([]);
  });

  it('without create on pods: forbidden, the RBAC named, exit 3, nothing left', async () => {
    server.faults.forbid({ resource: 'pods', verb: 'create', namespace: 'kube-system' });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    expect(errorLines(result.stderr)).toEqual([
      expect.stringMatching(
        /^error: forbidden: cannot create the debug pod in namespace kube-system \(.*\); --connect-from node needs get on nodes, /,
      ),
    ]);
    expect(pods.created).toHaveLength(0);
  });

  it('without create on pods/exec: forbidden, the RBAC named, exit 3, the pod deleted', async () => {
    server.faults.forbid({ resource: 'pods/exec', verb: 'create' });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    const name = pods.created[0]?.metadata.name;
    expect(errorLines(result.stderr)).toEqual([
      `error: forbidden: cannot exec in the debug pod kube-system/${name} on node node-a; --connect-from node needs get on nodes, and create, get and delete on pods and create on pods/exec in namespace kube-system`,
    ]);
    expect(podWrites(server)).toEqual(['POST kube-system/', `DELETE kube-system/${name}`]);
    expect(podGone(server, name)).toBe(true);
  });

  /** A pod an earlier run left in kube-system, `ageSeconds` old; named apart from the run's own (withDebugPods). */
  const leftover = (name: string, ageSeconds: number, creator: string, deadlineSeconds: number): Raw => {
    const p = pod(name, {
      ns: NODE_POD_NAMESPACE,
      labels: { 'app.kubernetes.io/created-by': creator },
      phase: 'Failed',
    });
    const created = new Date(Date.now() - ageSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      ...p,
      metadata: { ...(p.metadata as Raw), creationTimestamp: created },
      spec: { ...(p.spec as Raw), activeDeadlineSeconds: deadlineSeconds },
    };
  };

  it("deletes first the pods earlier runs left past their deadline (a SIGKILL), and says so; not a young one, nor the probe's", async () => {
    server.store.apply(leftover('killed-connect', 3600, 'endpoints-doctor-connect', CONTAINER_LIFETIME_SECONDS));
    server.store.apply(leftover('running-connect', 60, 'endpoints-doctor-connect', CONTAINER_LIFETIME_SECONDS));
    server.store.apply(leftover('killed-probe', 3600, 'endpoints-doctor-probe', 600));
    server.faults.forbid({ resource: 'pods/exec', verb: 'create' });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(
        `^note: deleted the debug pod kube-system/killed-connect an earlier --connect-from node run left behind \\(created \\S+, past its ${CONTAINER_LIFETIME_SECONDS}s deadline\\)\n`,
      ),
    );
    const name = pods.created[0]?.metadata.name;
    expect(podWrites(server)).toEqual([
      'DELETE kube-system/killed-connect',
      'POST kube-system/',
      `DELETE kube-system/${name}`,
    ]);
    expect(['killed-connect', 'running-connect', 'killed-probe'].map((n) => podGone(server, n))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('without list on pods in kube-system: the tidying is skipped with a warning, the run goes on', async () => {
    server.faults.forbid({ resource: 'pods', verb: 'list', namespace: NODE_POD_NAMESPACE });
    server.faults.forbid({ resource: 'pods/exec', verb: 'create' });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')[0]).toBe(
      'warning: cannot look for debug pods earlier --connect-from node runs left in namespace kube-system: forbidden to list pods there',
    );
    expect(podWrites(server)).toEqual(['POST kube-system/', `DELETE kube-system/${pods.created[0]?.metadata.name}`]);
  });

  it('the program failing in the pod: said, exit 3, the pod deleted', async () => {
    server.setExecHandler(() => {
      throw new Error('container runtime exploded');
    });
    const result = await connectFrom('node/node-a');
    expect(result.code).toBe(3);
    const name = pods.created[0]?.metadata.name;
    expect(errorLines(result.stderr)).toEqual([
      `error: the connect program did not run in the debug pod kube-system/${name} on node node-a (exit 127): container runtime exploded`,
    ]);
    expect(podWrites(server)).toEqual(['POST kube-system/', `DELETE kube-system/${name}`]);
    expect(podGone(server, name)).toBe(true);
  });

  it('an image that cannot be pulled: the reason, exit 3, no exec, the pod deleted', async () => {
    pods.podStatus.value = {
      phase: 'Pending',
      containerStatuses: [{ name: 'connect', state: { waiting: { reason: 'ImagePullBackOff' } } }],
    };
    const result = await connectFrom('node/node-a', '--image', 'nowhere/busybox');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('did not start: its container is waiting: ImagePullBackOff');
    expect(pods.created[0]?.spec.containers[0].image).toBe('nowhere/busybox');
    expect(server.requests.some((r) => r.resource === 'pods/exec')).toBe(false);
    expect(podGone(server, pods.created[0].metadata.name)).toBe(true);
  });

  /** The CLI as a process of its own, to send signals to. */
  function spawnConnect() {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'svc/web',
        '-n',
        'shop',
        '--kubeconfig',
        server.kubeconfigPath,
        '--connect',
        '--connect-from',
        'node/node-a',
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' } },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, exited, stdout: () => stdout };
  }
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((r) => setTimeout(r, 20));
  };

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while the program runs in the pod: the pod is deleted, exit %i, no report', async (signal, code) => {
    let execStarted = false;
    server.setExecHandler(({ signal: gone }) => {
      execStarted = true;
      return new Promise<number>((resolve) => gone.addEventListener('abort', () => resolve(0)));
    });
    const run = spawnConnect();
    await until(() => execStarted);
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    const name = pods.created[0].metadata.name;
    expect(podWrites(server)).toEqual(['POST kube-system/', `DELETE kube-system/${name}`]);
    expect(podGone(server, name)).toBe(true);
    expect(run.stdout()).toBe('');
  });

  it('SIGINT while the pod starts: the pod is deleted, exit 130', async () => {
    pods.podStatus.value = { phase: 'Pending' };
    const run = spawnConnect();
    await until(() => pods.created.length > 0);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(podGone(server, pods.created[0].metadata.name)).toBe(true);
  });
});
