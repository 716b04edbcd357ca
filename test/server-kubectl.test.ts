// The real kubectl against the test server: proof that the server speaks the protocol well
// enough for an unmodified client (discovery, lists, selectors, chunking, errors, exec, debug's
// ephemeral containers).

import { spawn, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringAt, valueAt } from '../src/core/json-value.js';
import { CERT_CONTEXT, startTestServer, withEphemeralStatus, type TestServer } from './server/index.js';
import { resourceNamed } from './server/store.js';
import { gatewayApiCrds } from './server/crds.js';
import { requiredList, requiredString } from './support/required-fields.js';
import {
  apiService,
  endpointOf,
  endpoints,
  event,
  httpRoute,
  ingress,
  ipFor,
  namespace,
  networkPolicy,
  node,
  pod,
  referenceGrant,
  route,
  service,
  slice,
  webhookConfiguration,
  workload,
} from './support/objects.js';

const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
const kubectlFound = version.status === 0;
const minor = kubectlFound
  ? Number.parseInt(requiredString(JSON.parse(version.stdout) as unknown, 'clientVersion', 'minor'), 10)
  : 0;
// kubectl speaks exec over WebSocket from 1.29 (behind KUBECTL_REMOTE_COMMAND_WEBSOCKETS, set
// below) and by default from 1.30; older ones only speak SPDY, which the test server does not.
const websocketExec = minor >= 29;
if (!kubectlFound) console.warn('server-kubectl tests skipped: no kubectl on PATH');
else if (!websocketExec)
  console.warn(`kubectl exec tests skipped: kubectl 1.${minor} has no WebSocket exec (1.29+ has)`);

const objects = [
  service('web'),
  service('api', { selector: { app: 'api' } }),
  pod('web-1'),
  pod('web-2', { node: 'node-b' }),
  pod('web-3', { labels: { app: 'web', track: 'canary' } }),
  pod('api-1', { labels: { app: 'api' } }),
  pod('batch-1', { ns: 'jobs', labels: { app: 'batch' }, phase: 'Succeeded', ready: false }),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b' })] }),
  endpoints('web'),
  node('node-a'),
  node('node-b'),
  event(pod('web-2'), 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503'),
  event(pod('web-1'), 'Pulled', 'Successfully pulled image', { type: 'Normal' }),
  workload('Deployment', 'web', { replicas: 0 }),
  workload('ReplicaSet', 'web-7f9c', {
    labels: { app: 'web', 'pod-template-hash': '7f9c' },
    owner: { kind: 'Deployment', name: 'web' },
  }),
  workload('StatefulSet', 'db', { labels: { app: 'db' } }),
  workload('DaemonSet', 'agent', { ns: 'kube-system', labels: { app: 'agent' } }),
  ingress('front', {
    className: 'nginx',
    paths: [{ host: 'shop.example.com', path: '/api', service: 'api', port: 'http' }],
  }),
  webhookConfiguration('policy', [{ name: 'pods.policy.example.com', service: { ns: 'platform', name: 'policy' } }]),
  webhookConfiguration('inject', [{ name: 'sidecar.example.com' }], 'MutatingWebhookConfiguration'),
  apiService('v1beta1.metrics.k8s.io', { service: { ns: 'kube-system', name: 'metrics-server' } }),
  namespace('shop', { team: 'shop' }),
  // policyTypes and a port's protocol left for the server to fill in.
  networkPolicy('web', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }], ports: [{ port: 8080 }] }],
    egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
  }),
];

/** apiVersion, kind, namespace and name: what tells one object from another. */
function identity(o: unknown): string {
  const namespace = stringAt(o, 'metadata', 'namespace');
  const name = stringAt(o, 'metadata', 'name');
  return `${stringAt(o, 'apiVersion')} ${stringAt(o, 'kind')} ${namespace}/${name}`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kubectl without blocking the event loop: the server answers from this same process. */
function kubectl(server: TestServer, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.KUBECONFIG;
    env.KUBECTL_REMOTE_COMMAND_WEBSOCKETS = 'true';
    const child = spawn('kubectl', [...server.kubectlArgs, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

async function names(server: TestServer, args: string[]): Promise<string[]> {
  const run = await kubectl(server, [...args, '-o', 'name']);
  expect(run.stderr).toBe('');
  return run.stdout.trim().split('\n').filter(Boolean).sort();
}

describe.skipIf(!kubectlFound)('kubectl against the test server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.faults.clear();
    server.setExecHandler(undefined);
    server.setRules(undefined);
    server.requests.length = 0;
  });

  it('get services,endpointslices,pods -A -o json returns the objects the server was given', async () => {
    const run = await kubectl(server, ['get', 'services,endpointslices,pods', '-A', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as unknown;
    expect(valueAt(list, 'kind')).toBe('List');
    const items = requiredList(list, 'items');
    const listedKinds = new Set<unknown>(['Service', 'EndpointSlice', 'Pod']);
    const expected = objects.filter((o) => listedKinds.has(o.kind)).map(identity);
    expect(items.map(identity).sort()).toEqual(expected.sort());

    const byName = (kind: string, name: string) =>
      items.find((o) => valueAt(o, 'kind') === kind && valueAt(o, 'metadata', 'name') === name);
    expect(valueAt(byName('Pod', 'web-2'), 'status', 'podIP')).toBe(ipFor('web-2'));
    expect(valueAt(byName('Pod', 'web-2'), 'spec', 'nodeName')).toBe('node-b');
    expect(valueAt(byName('Service', 'api'), 'spec', 'selector')).toEqual({ app: 'api' });
    const sliceEndpoints = requiredList(byName('EndpointSlice', 'web-abcde'), 'endpoints');
    expect(sliceEndpoints.map((e) => valueAt(e, 'addresses', 0))).toEqual([ipFor('web-1'), ipFor('web-2')]);
    expect(Number(valueAt(byName('Pod', 'web-1'), 'metadata', 'resourceVersion'))).toBeGreaterThan(0);

    // kubectl found the resources through discovery, then listed each across namespaces.
    const paths = server.requests.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/api', '/apis', '/api/v1', '/apis/discovery.k8s.io/v1']));
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices', '/api/v1/pods']),
    );
  });

  it('get deployments,replicasets,statefulsets,daemonsets -A: the apps/v1 workloads, listed cluster-wide', async () => {
    const run = await kubectl(server, ['get', 'deployments,replicasets,statefulsets,daemonsets', '-A', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const items = requiredList(JSON.parse(run.stdout) as unknown, 'items');
    const workloadKinds = new Set<unknown>(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
    expect(items.map(identity).sort()).toEqual(
      objects
        .filter((o) => workloadKinds.has(o.kind))
        .map(identity)
        .sort(),
    );
    expect(
      valueAt(
        items.find((o) => valueAt(o, 'kind') === 'Deployment'),
        'spec',
        'replicas',
      ),
    ).toBe(0);
    const paths = server.requests.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(
        ['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((r) => `/apis/apps/v1/${r}`),
      ),
    );
    // kubectl's short names come from the server's discovery.
    expect(await names(server, ['get', 'deploy,rs,sts,ds', '-n', 'shop'])).toEqual([
      'deployment.apps/web',
      'replicaset.apps/web-7f9c',
      'statefulset.apps/db',
    ]);
  });

  it('lists Ingresses by their plural, singular and short names, and by name with a field selector', async () => {
    expect(await names(server, ['get', 'ingresses', '-A'])).toEqual(['ingress.networking.k8s.io/front']);
    expect(await names(server, ['get', 'ing', '-n', 'shop'])).toEqual(['ingress.networking.k8s.io/front']);
    expect(await names(server, ['get', 'ingress', '-n', 'shop', '--field-selector', 'metadata.name=front'])).toEqual([
      'ingress.networking.k8s.io/front',
    ]);
    const run = await kubectl(server, ['get', 'ingress.networking.k8s.io', 'front', '-n', 'shop', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(valueAt(JSON.parse(run.stdout), 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service')).toEqual({
      name: 'api',
      port: { name: 'http' },
    });
  });

  it('lists webhook configurations and APIServices (cluster-scoped), also by name with a field selector', async () => {
    expect(await names(server, ['get', 'validatingwebhookconfigurations'])).toEqual([
      'validatingwebhookconfiguration.admissionregistration.k8s.io/policy',
    ]);
    expect(await names(server, ['get', 'mutatingwebhookconfiguration'])).toEqual([
      'mutatingwebhookconfiguration.admissionregistration.k8s.io/inject',
    ]);
    expect(
      await names(server, ['get', 'apiservices', '--field-selector', 'metadata.name=v1beta1.metrics.k8s.io']),
    ).toEqual(['apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io']);
    const run = await kubectl(server, ['get', 'validatingwebhookconfiguration', 'policy', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(valueAt(JSON.parse(run.stdout), 'webhooks', 0, 'clientConfig', 'service')).toEqual({
      namespace: 'platform',
      name: 'policy',
    });
  });

  it('lists NetworkPolicies by their plural, singular and short names, with the defaults the API server fills in', async () => {
    expect(await names(server, ['get', 'networkpolicies', '-A'])).toEqual(['networkpolicy.networking.k8s.io/web']);
    expect(await names(server, ['get', 'netpol', '-n', 'shop'])).toEqual(['networkpolicy.networking.k8s.io/web']);
    const run = await kubectl(server, ['get', 'networkpolicy.networking.k8s.io', 'web', '-n', 'shop', '-o', 'json']);
    expect(run.stderr).toBe('');
    const spec = valueAt(JSON.parse(run.stdout), 'spec');
    // SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort (pkg/apis/networking/v1/defaults.go).
    expect(valueAt(spec, 'policyTypes')).toEqual(['Ingress', 'Egress']);
    expect(valueAt(spec, 'ingress', 0, 'ports')).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });

  it('lists Namespaces (cluster-scoped) by label, kubernetes.io/metadata.name on every one', async () => {
    expect(await names(server, ['get', 'namespaces', '-l', 'team=shop'])).toEqual(['namespace/shop']);
    // Set by the API server on every Namespace, those made on the fly included (SetDefaults_Namespace).
    expect(await names(server, ['get', 'ns', '-l', 'kubernetes.io/metadata.name=jobs'])).toEqual(['namespace/jobs']);
  });

  it('filters with label and field selectors', async () => {
    expect(await names(server, ['get', 'pods', '-n', 'shop', '-l', 'app=web'])).toEqual([
      'pod/web-1',
      'pod/web-2',
      'pod/web-3',
    ]);
    expect(await names(server, ['get', 'po', '-A', '-l', 'app in (web,api),track!=canary'])).toEqual([
      'pod/api-1',
      'pod/web-1',
      'pod/web-2',
    ]);
    expect(
      await names(server, ['get', 'pods', '-A', '-l', '!track', '--field-selector', 'spec.nodeName=node-b']),
    ).toEqual(['pod/web-2']);
    expect(await names(server, ['get', 'pods', '-A', '--field-selector', 'status.phase!=Running'])).toEqual([
      'pod/batch-1',
    ]);
    expect(server.requests.find((r) => r.resource === 'pods')?.query.get('labelSelector')).toBe('app=web');
  });

  it('lists Warning events with the type field selector, as the doctor reads them', async () => {
    const warnings = await names(server, ['get', 'events', '-A', '--field-selector', 'type=Warning']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^event\/web-2\./);
    expect(await names(server, ['get', 'ev', '-n', 'shop'])).toHaveLength(2);
    const run = await kubectl(server, [
      'get',
      'events',
      '-n',
      'shop',
      '--field-selector',
      'involvedObject.kind=Pod,involvedObject.name=web-2',
      '-o',
      'json',
    ]);
    expect(run.stderr).toBe('');
    expect(requiredList(JSON.parse(run.stdout) as unknown, 'items').map((e) => valueAt(e, 'reason'))).toEqual([
      'Unhealthy',
    ]);
  });

  it('--chunk-size=2 pages with limit and continue', async () => {
    expect(await names(server, ['get', 'pods', '-A', '--chunk-size=2'])).toHaveLength(5);
    const lists = server.requests.filter((r) => r.resource === 'pods' && r.verb === 'list');
    expect(lists.map((r) => r.query.get('limit'))).toEqual(['2', '2', '2']);
    expect(lists[0].query.has('continue')).toBe(false);
    expect(lists.slice(1).every((r) => r.query.get('continue'))).toBe(true);
  });

  it('get of a missing pod reports NotFound, after checking the namespace', async () => {
    const run = await kubectl(server, ['get', 'pod', '-n', 'shop', 'nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const missingNs = await kubectl(server, ['get', 'pod', '-n', 'nowhere', 'nope']);
    expect(missingNs.stderr).toContain('namespaces "nowhere" not found');
  });

  it.skipIf(!websocketExec)(
    'exec runs the test handler over WebSocket and returns its output and exit code',
    async () => {
      const seen: unknown[] = [];
      server.setExecHandler(({ pod, container, command, stdout, stderr, protocol }) => {
        seen.push({ pod: valueAt(pod, 'metadata', 'name'), container, command, protocol });
        stdout.write(`ran ${command.join(' ')}\n`);
        stderr.write('a warning\n');
        return 3;
      });
      const run = await kubectl(server, ['exec', '-n', 'shop', 'web-1', '--', 'sh', '-c', 'exit 3']);
      expect(seen).toEqual([
        { pod: 'web-1', container: 'app', command: ['sh', '-c', 'exit 3'], protocol: 'v5.channel.k8s.io' },
      ]);
      expect(run.stdout).toBe('ran sh -c exit 3\n');
      expect(run.stderr).toContain('a warning\n');
      expect(run.stderr).toContain('command terminated with exit code 3');
      expect(run.code).toBe(3);
      expect(server.requests.find((r) => r.resource === 'pods/exec')).toMatchObject({ verb: 'create', status: 101 });
    },
  );

  it.skipIf(!websocketExec)('exec -i passes stdin to the handler', async () => {
    server.setExecHandler(async ({ stdin, stdout }) => {
      let input = '';
      for await (const chunk of stdin) input += String(chunk);
      stdout.write(input.toUpperCase());
    });
    const run = await kubectl(
      server,
      ['exec', '-i', '-n', 'shop', 'web-1', '-c', 'app', '--', 'tr', 'a-z', 'A-Z'],
      'hello\n',
    );
    expect(run).toMatchObject({ code: 0, stdout: 'HELLO\n' });
  });

  // kubectl debug adds an ephemeral container with a strategic merge patch of the pod's
  // ephemeralcontainers subresource (kubectl's pkg/cmd/debug/debug.go, debugByEphemeralContainer);
  // the list only grows, and an existing container cannot change
  // (https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/).
  it('debug adds ephemeral containers through the ephemeralcontainers subresource, which never loses one', async () => {
    const debug = (name: string, image: string, ...more: string[]) =>
      kubectl(server, ['debug', '-n', 'shop', 'web-2', `--image=${image}`, '-c', name, ...more, '--', 'sleep', '60']);
    const first = await debug('probe-1', 'busybox:1.36', '--target=app');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Targeting container "app"');
    expect((await debug('probe-2', 'busybox:1.36')).code).toBe(0);
    expect(
      server.requests.filter((r) => r.resource === 'pods/ephemeralcontainers').map((r) => `${r.verb} ${r.status}`),
    ).toEqual(['patch 200', 'patch 200']);
    const raw = await kubectl(server, ['get', '--raw', '/api/v1/namespaces/shop/pods/web-2/ephemeralcontainers']);
    const stored = JSON.parse(raw.stdout) as unknown;
    expect(stringAt(stored, 'kind')).toBe('Pod');
    expect(valueAt(stored, 'spec', 'ephemeralContainers')).toMatchObject([
      { name: 'probe-1', image: 'busybox:1.36', command: ['sleep', '60'], targetContainerName: 'app' },
      { name: 'probe-2', image: 'busybox:1.36', command: ['sleep', '60'] },
    ]);
    // The regular containers are as they were.
    expect(valueAt(stored, 'spec', 'containers', 0, 'name')).toBe('app');

    // A PUT (the subresource's update) that drops one is refused.
    const dropped = structuredClone(stored) as { spec: { ephemeralContainers: unknown[] } };
    dropped.spec.ephemeralContainers.shift();
    const put = await kubectl(
      server,
      ['replace', '--raw', '/api/v1/namespaces/shop/pods/web-2/ephemeralcontainers', '-f', '-'],
      JSON.stringify(dropped),
    );
    expect(put.code).toBe(1);
    expect(put.stderr).toContain('existing ephemeral containers "probe-1" may not be removed');
  });

  it.skipIf(!websocketExec)('exec reaches an ephemeral container once its status says it runs', async () => {
    const debug = await kubectl(server, [
      'debug',
      '-n',
      'shop',
      'api-1',
      '--image=busybox:1.36',
      '-c',
      'dbg',
      '--',
      'sleep',
      '60',
    ]);
    expect(debug.code).toBe(0);
    server.setExecHandler(({ container, stdout }) => void stdout.write(`in ${container}\n`));
    const early = await kubectl(server, ['exec', '-n', 'shop', 'api-1', '-c', 'dbg', '--', 'true']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('container not found ("dbg")');
    const pods = server.store.list(resourceNamed('pods')!, { namespace: 'shop', name: 'api-1' });
    server.store.update(withEphemeralStatus(pods[0], 'dbg', { running: true }));
    const ran = await kubectl(server, ['exec', '-n', 'shop', 'api-1', '-c', 'dbg', '--', 'true']);
    expect(ran).toMatchObject({ code: 0, stdout: 'in dbg\n' });
    const status = await kubectl(server, [
      'get',
      'pod',
      '-n',
      'shop',
      'api-1',
      '-o',
      'jsonpath={.status.ephemeralContainerStatuses[0].state}',
    ]);
    expect(Object.keys(JSON.parse(status.stdout) as object)).toEqual(['running']);
  });

  it('debug says ephemeral containers are disabled where the subresource is not served', async () => {
    server.faults.unserve('pods/ephemeralcontainers');
    const run = await kubectl(server, ['debug', '-n', 'shop', 'web-1', '--image=busybox:1.36', '--', 'sleep', '60']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ephemeral containers are disabled for this cluster');
  });

  it('shows the Forbidden message of a refused list', async () => {
    server.faults.forbid({ resource: 'pods', verb: 'list', namespace: 'shop' });
    const run = await kubectl(server, ['get', 'pods', '-n', 'shop']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Error from server (Forbidden): pods is forbidden: User "${server.user}" cannot list resource "pods" in API group "" in the namespace "shop"`,
    );
  });

  it('authenticates with the client certificate context', async () => {
    expect(await names(server, ['--context', CERT_CONTEXT, 'get', 'nodes'])).toEqual(['node/node-a', 'node/node-b']);
    expect(server.requests.filter((r) => r.resource === 'nodes').map((r) => r.user)).toEqual(['test-admin']);
  });

  it('an allow list shows exactly what kubectl asked for', async () => {
    server.setRules([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    expect(await names(server, ['get', 'pods', '-n', 'jobs'])).toEqual(['pod/batch-1']);
    const run = await kubectl(server, ['get', 'services', '-n', 'shop']);
    expect(run.stderr).toContain('cannot list resource "services" in API group "" in the namespace "shop"');
    expect(server.requests.filter((r) => r.resource).map((r) => `${r.verb} ${r.resource} ${r.status}`)).toEqual([
      'list pods 200',
      'list services 403',
    ]);
  });
});

describe.skipIf(!kubectlFound)('kubectl against a server without v1 Endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    server.faults.unserve('endpoints');
  });
  afterAll(() => server?.close());

  it('finds no such resource type, and still lists the others', async () => {
    const run = await kubectl(server, ['get', 'endpoints', '-A']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the server doesn't have a resource type "endpoints"`);
    expect(await names(server, ['get', 'services,nodes', '-A'])).toEqual([
      'node/node-a',
      'node/node-b',
      'service/api',
      'service/web',
    ]);
  });
});

describe.skipIf(!kubectlFound)('kubectl and the Gateway API, installed or not', () => {
  const routes = [
    service('api'),
    httpRoute('front', { rules: [{ path: '/api', backendRefs: [{ name: 'api', port: 80 }] }] }),
    route('TCPRoute', 'db', { rules: [{ backendRefs: [{ name: 'db', ns: 'data', port: 5432 }] }] }),
    referenceGrant('from-shop', {
      ns: 'data',
      from: [{ kind: 'TCPRoute', namespace: 'shop' }],
      to: [{ kind: 'Service' }],
    }),
  ];

  it('without the CRDs the resource type is unknown, and objects of it were refused', async () => {
    const server = await startTestServer({ objects: routes, gatewayApi: 'none' });
    try {
      expect(server.skippedKinds).toEqual(
        new Map([
          ['HTTPRoute', 1],
          ['TCPRoute', 1],
          ['ReferenceGrant', 1],
        ]),
      );
      const run = await kubectl(server, ['get', 'httproutes', '-A']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`the server doesn't have a resource type "httproutes"`);
    } finally {
      await server.close();
    }
  });

  it('with them, kubectl lists routes and grants by plural, singular and short names, v1 and v1alpha2', async () => {
    const server = await startTestServer({ objects: [...gatewayApiCrds(true), ...routes], gatewayApi: 'none' });
    try {
      expect(server.skippedKinds.size).toBe(0);
      expect(await names(server, ['get', 'httproutes', '-A'])).toEqual(['httproute.gateway.networking.k8s.io/front']);
      expect(await names(server, ['get', 'tcproute', '-n', 'shop'])).toEqual(['tcproute.gateway.networking.k8s.io/db']);
      expect(await names(server, ['get', 'refgrant', '-n', 'data'])).toEqual([
        'referencegrant.gateway.networking.k8s.io/from-shop',
      ]);
      const run = await kubectl(server, ['get', 'httproute', 'front', '-n', 'shop', '-o', 'json']);
      expect(run.stderr).toBe('');
      expect(valueAt(JSON.parse(run.stdout), 'spec', 'rules', 0, 'backendRefs', 0)).toEqual({ name: 'api', port: 80 });
    } finally {
      await server.close();
    }
  });

  it('the standard channel alone serves HTTPRoutes, not TCPRoutes', async () => {
    const server = await startTestServer({ gatewayApi: 'standard' });
    try {
      expect(await names(server, ['get', 'httproutes', '-A'])).toEqual([]);
      const run = await kubectl(server, ['get', 'tcproutes', '-A']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`the server doesn't have a resource type "tcproutes"`);
    } finally {
      await server.close();
    }
  });
});
