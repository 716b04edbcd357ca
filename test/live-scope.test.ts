// What the live path asks the API server for: named Services read only what they need,
// -l filters on the server, the context's namespace is the default, -A lists cluster-wide,
// and long lists are paged.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type RequestRecord, type TestServer } from './server/index.js';
import type { Report } from '../src/report/report.js';
import { KINDS } from '../src/core/kinds.js';
import { parseReport, parseSnapshot, runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import {
  addressOf,
  apiService,
  endpoints,
  httpRoute,
  ingress,
  node,
  pod,
  READ_EVENTS_WORKLOADS_AND_POLICIES,
  service,
  webhookConfiguration,
  type Raw,
} from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;

/** One request as "verb resource ns/name ?labelSelector", for exact comparisons. */
function describeRequest(r: RequestRecord): string {
  const where = r.namespace ? `${r.namespace}/` : '*/';
  const selector = r.query.get('labelSelector') ?? r.query.get('fieldSelector');
  return `${r.verb} ${r.resource} ${where}${r.name ?? ''}${selector ? ` ?${selector}` : ''}`.trimEnd();
}

function resourceRequests(server: TestServer): string[] {
  return server.requests
    .filter((r) => r.resource !== undefined)
    .map(describeRequest)
    .sort();
}

async function doctor(server: TestServer, args: string[]) {
  const run = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-o', 'json', ...args]);
  expect(run.stderr).not.toMatch(NO_STACK);
  expect([0, 1], `exit ${run.code}: ${run.stderr}`).toContain(run.code);
  return parseReport(run.stdout);
}

// The workload lists every run makes, in `where` ("shop/", or "*/" with -A): optional, read whole.
const workloadLists = (where: string) =>
  ['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((r) => `list ${r} ${where}`);

// The webhook configurations and APIServices every run lists: cluster-scoped, read whole.
const CLUSTER_REFERRER_LISTS = [
  'list validatingwebhookconfigurations */',
  'list mutatingwebhookconfigurations */',
  'list apiservices */',
];
// The Gateway API lists every run makes, in `where`: optional, read whole.
const gatewayLists = (where: string) =>
  ['httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes', 'udproutes', 'referencegrants', 'gateways'].map(
    (r) => `list ${r} ${where}`,
  );

// The NetworkPolicy lists every run makes: the policies in `where`, the Namespaces cluster-wide (cluster-scoped).
const policyLists = (where: string) => [`list networkpolicies ${where}`, 'list namespaces */'];

const serviceNames = (report: Report) => report.services.map((s) => `${s.namespace}/${s.name}`);

const objects: Raw[] = withControllers([
  node('node-a'),
  service('web', { labels: { team: 'x' } }),
  service('web-canary'), // the same selector as web
  pod('web-1'),
  pod('web-2'),
  service('api', { selector: { app: 'api' }, labels: { team: 'y' } }),
  pod('api-1', { labels: { app: 'api' } }),
  service('ghost', { selector: { app: 'ghost' }, labels: { team: 'x' } }),
  pod('ghost-1', { ns: 'haunted', labels: { app: 'ghost' } }),
  service('db', { selector: null }),
  // Hand-made Endpoints that name a pod of web's.
  service('legacy', { selector: null }),
  endpoints('legacy', {
    subsets: [{ addresses: [addressOf('web-1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  }),
  service('web', { ns: 'other', labels: { team: 'x' } }),
  pod('web-1', { ns: 'other' }),
  service('home', { ns: 'default', selector: { app: 'home' } }),
  pod('home-1', { ns: 'default', labels: { app: 'home' } }),
  ingress('front', {
    paths: [
      { path: '/', service: 'web', port: 'http' },
      { path: '/api', service: 'api', port: 'http' },
      { path: '/old', service: 'gone', port: 80 },
    ],
  }),
  ingress('other', { paths: [{ service: 'db', port: 80 }] }),
  // Cluster-scoped referrers whose Services are in several namespaces, one of them missing.
  webhookConfiguration('policy', [
    { name: 'pods.policy.example.com', service: { ns: 'shop', name: 'api', port: 80 } },
    { name: 'scan.policy.example.com', service: { ns: 'other', name: 'web', port: 80 }, failurePolicy: 'Ignore' },
    { name: 'audit.policy.example.com', service: { ns: 'security', name: 'auditor' } },
  ]),
  webhookConfiguration('unrelated', [{ name: 'x.example.com', service: { ns: 'shop', name: 'web', port: 80 } }]),
  apiService('v1beta1.metrics.k8s.io', {
    service: { ns: 'kube-system', name: 'metrics-server' },
    available: { status: 'False', reason: 'ServiceNotFound', message: 'service/metrics-server is not present' },
  }),
]);

describe('live reads, scoped', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  it('--for ingress/front: the Ingress by name, then the Services it names as named Services are read, and no other Ingress', async () => {
    const report = await doctor(server, ['-n', 'shop', '--for', 'ingress/front']);
    expect(serviceNames(report)).toEqual(['shop/api', 'shop/web']);
    expect(report.findings.filter((f) => f.subject).map((f) => [f.check, f.service])).toEqual([
      ['ingress-backend-missing', 'gone'],
    ]);
    // Every object that uses it, of the kinds read: the Ingress, and a webhook whose findings --for leaves out.
    expect(report.services.find((s) => s.name === 'web')?.usedBy).toEqual([
      { kind: 'Ingress', namespace: 'shop', name: 'front', detail: 'rule path /', port: 'http' },
      {
        kind: 'ValidatingWebhookConfiguration',
        name: 'unrelated',
        detail: 'webhook x.example.com (failurePolicy Fail)',
        port: '80',
      },
    ]);
    const requests = resourceRequests(server);
    expect(requests).toContain('list ingresses shop/ ?metadata.name=front');
    expect(requests.filter((r) => r.includes('ingresses'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('get services')).sort()).toEqual([
      'get services shop/api',
      'get services shop/gone',
      'get services shop/web',
    ]);
    expect(requests.filter((r) => r.startsWith('list services'))).toEqual([]);
  });

  it('--for validatingwebhookconfiguration/policy: cluster-scoped, no -n; its Services read by name in each of their namespaces, cluster-wide kinds once', async () => {
    const report = await doctor(server, ['--for', 'validatingwebhookconfiguration/policy']);
    expect(serviceNames(report)).toEqual(['other/web', 'shop/api']);
    expect(report.findings.filter((f) => f.subject).map((f) => [f.check, f.reason, f.namespace, f.service])).toEqual([
      ['webhook-service-unavailable', 'serviceMissing', 'security', 'auditor'],
    ]);
    expect(report.services.find((s) => s.namespace === 'shop')?.usedBy).toContainEqual({
      kind: 'ValidatingWebhookConfiguration',
      name: 'policy',
      detail: 'webhook pods.policy.example.com (failurePolicy Fail)',
      port: '80',
    });
    const requests = resourceRequests(server);
    expect(requests.filter((r) => r.includes('validatingwebhookconfigurations'))).toEqual([
      'list validatingwebhookconfigurations */ ?metadata.name=policy',
    ]);
    expect(requests.filter((r) => r.startsWith('get services'))).toEqual([
      'get services other/web',
      'get services security/auditor',
      'get services shop/api',
    ]);
    // One read per namespace for what lives there; the cluster-scoped kinds once.
    expect(requests.filter((r) => r.startsWith('list events'))).toEqual([
      'list events other/ ?type=Warning',
      'list events security/ ?type=Warning',
      'list events shop/ ?type=Warning',
    ]);
    for (const list of ['list nodes */', 'list mutatingwebhookconfigurations */', 'list apiservices */']) {
      expect(requests.filter((r) => r === list)).toEqual([list]);
    }
    expect(requests.filter((r) => r.startsWith('list services'))).toEqual([]);
  });

  it('--for apiservice/NAME: the APIService by name; the Service it names does not exist, its Available condition quoted', async () => {
    const report = await doctor(server, ['--for', 'apiservice/v1beta1.metrics.k8s.io']);
    expect(report.services).toEqual([]);
    expect(report.findings.map((f) => [f.check, f.reason, f.subject])).toEqual([
      ['apiservice-unavailable', 'serviceMissing', { kind: 'APIService', name: 'v1beta1.metrics.k8s.io' }],
    ]);
    expect(report.findings[0].message).toContain('(ServiceNotFound): "service/metrics-server is not present"');
    expect(resourceRequests(server).filter((r) => r.includes('apiservices'))).toEqual([
      'list apiservices */ ?metadata.name=v1beta1.metrics.k8s.io',
    ]);
  });

  it('--for a webhook configuration that does not exist: a usage error without a namespace', async () => {
    const run = await runCliAsync([
      '--kubeconfig',
      server.kubeconfigPath,
      '--for',
      'mutatingwebhookconfiguration/nope',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'mutatingwebhookconfiguration "nope" not found (kubectl get mutatingwebhookconfigurations lists them)',
    );
  });

  it('--for an Ingress that does not exist, or a TYPE that is none: a usage error', async () => {
    const missing = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--for', 'ing/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ingress "nope" not found in namespace "shop"');
    const mistyped = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '--for', 'ingres/front']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain('did you mean ingress?');
  });

  it('-n shop web: the Service, its slices by label, its Endpoints by name, its pods by selector, the nodes', async () => {
    const report = await doctor(server, ['-n', 'shop', 'web']);
    expect(serviceNames(report)).toEqual(['shop/web']);
    expect(report.summary.ok).toBe(1);
    expect(resourceRequests(server)).toEqual(
      [
        'get services shop/web',
        'list endpointslices shop/ ?kubernetes.io/service-name in (web)',
        'get endpoints shop/web',
        'list pods shop/ ?app=web',
        'list events shop/ ?type=Warning',
        'list nodes */',
        ...workloadLists('shop/'),
        'list ingresses shop/',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('shop/'),
        ...policyLists('shop/'),
      ].sort(),
    );
  });

  it('two named Services share one slice list', async () => {
    const report = await doctor(server, ['-n', 'shop', 'web', 'svc/api']);
    expect(serviceNames(report)).toEqual(['shop/api', 'shop/web']);
    expect(resourceRequests(server)).toEqual(
      [
        'get services shop/web',
        'get services shop/api',
        'list endpointslices shop/ ?kubernetes.io/service-name in (web,api)',
        'get endpoints shop/web',
        'get endpoints shop/api',
        'list pods shop/ ?app=web',
        'list pods shop/ ?app=api',
        'list events shop/ ?type=Warning',
        'list nodes */',
        ...workloadLists('shop/'),
        'list ingresses shop/',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('shop/'),
        ...policyLists('shop/'),
      ].sort(),
    );
  });

  it('a selector matching nothing: the namespace pods and the cluster-wide matches too, for the hint', async () => {
    const report = await doctor(server, ['-n', 'shop', 'ghost']);
    expect(resourceRequests(server)).toEqual(
      [
        'get services shop/ghost',
        'list endpointslices shop/ ?kubernetes.io/service-name in (ghost)',
        'get endpoints shop/ghost',
        'list pods shop/ ?app=ghost',
        'list pods shop/',
        'list pods */ ?app=ghost',
        'list events shop/ ?type=Warning',
        'list nodes */',
        ...workloadLists('shop/'),
        'list ingresses shop/',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('shop/'),
        ...policyLists('shop/'),
      ].sort(),
    );
    const finding = report.findings.find((f) => f.check === 'selector-no-match');
    expect(finding?.message).toContain('haunted');
    expect(finding?.pods).toContainEqual(expect.objectContaining({ name: 'ghost-1', namespace: 'haunted' }));
  });

  it('a Service named twice is read and reported once', async () => {
    const report = await doctor(server, ['-n', 'shop', 'web', 'svc/web']);
    expect(serviceNames(report)).toEqual(['shop/web']);
    expect(resourceRequests(server)).toEqual(
      [
        'get services shop/web',
        'list endpointslices shop/ ?kubernetes.io/service-name in (web)',
        'get endpoints shop/web',
        'list pods shop/ ?app=web',
        'list events shop/ ?type=Warning',
        'list nodes */',
        ...workloadLists('shop/'),
        'list ingresses shop/',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('shop/'),
        ...policyLists('shop/'),
      ].sort(),
    );
  });

  it('Services whose pods overlap, one matching nothing: the report the snapshot gives', async () => {
    const args = ['-n', 'shop', 'web', 'web-canary', 'ghost', 'api'];
    const live = await doctor(server, args);
    // A List that says it read Events and the workload kinds (none in scope), as the live run did.
    const file = writeTemp('objects.json', JSON.stringify({ ...READ_EVENTS_WORKLOADS_AND_POLICIES, items: objects }));
    const fromFile = await runCliAsync(['--snapshot', file, '-o', 'json', ...args]);
    expect(live).toEqual(parseReport(fromFile.stdout));
    // ghost's app=ghost is nothing like the app=web and app=api of the namespace's pods (no near
    // miss); its one match is in another namespace, listed once.
    const finding = live.findings.find((f) => f.check === 'selector-no-match');
    expect(finding?.message).toContain('1 matching pod is in namespace haunted');
    expect(finding?.pods?.map((p) => p.name)).toEqual(['ghost-1']);
  });

  it('a selectorless Service: no pod is read', async () => {
    await doctor(server, ['-n', 'shop', 'db']);
    expect(resourceRequests(server).filter((r) => r.includes(' pods '))).toEqual([]);
  });

  it("a Service whose endpoints name pods its selector does not return: the namespace's pods too", async () => {
    await doctor(server, ['-n', 'shop', 'legacy']);
    expect(resourceRequests(server)).toEqual(
      [
        'get services shop/legacy',
        'list endpointslices shop/ ?kubernetes.io/service-name in (legacy)',
        'get endpoints shop/legacy',
        'list pods shop/',
        'list events shop/ ?type=Warning',
        'list nodes */',
        ...workloadLists('shop/'),
        'list ingresses shop/',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('shop/'),
        ...policyLists('shop/'),
      ].sort(),
    );
  });

  it('a Service that does not exist: exit 2 naming it and the namespace', async () => {
    const run = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: service "nope" not found in namespace "shop" (kubectl get services -n shop lists them)\n',
    );
  });

  it('one missing Service among several: the others are reported, the missing one named, exit 2 whatever --fail-on', async () => {
    const run = await runCliAsync([
      '--kubeconfig',
      server.kubeconfigPath,
      '-n',
      'shop',
      'web',
      'nope',
      'svc/api',
      '-o',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(run.code).toBe(2);
    const report = parseReport(run.stdout);
    expect(serviceNames(report)).toEqual(['shop/api', 'shop/web']);
    expect(report.notes).toContain(
      'service "nope" not found in namespace "shop" (kubectl get services -n shop lists them)',
    );
    expect(run.stderr).toBe(
      'error: service "nope" not found in namespace "shop" (kubectl get services -n shop lists them)\n',
    );
    // Only what the named Services need was read; the missing one's get was the only other request.
    expect(resourceRequests(server).filter((r) => r.startsWith('get services'))).toEqual([
      'get services shop/api',
      'get services shop/nope',
      'get services shop/web',
    ]);
  });

  it('the text report and the tree show the found Services too', async () => {
    for (const output of ['text', 'tree']) {
      const run = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'nope', 'web', '-o', output]);
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/^shop\s+(Service\/)?web\s/m);
      expect(run.stderr).toBe(
        'error: service "nope" not found in namespace "shop" (kubectl get services -n shop lists them)\n',
      );
    }
  });

  it('-l team=x filters Services on the server, in the namespace', async () => {
    const report = await doctor(server, ['-n', 'shop', '-l', 'team=x']);
    expect(serviceNames(report)).toEqual(['shop/ghost', 'shop/web']);
    const services = server.requests.filter((r) => r.resource === 'services');
    expect(services.map(describeRequest)).toEqual(['list services shop/ ?team=x']);
  });

  it('-l with -A filters Services in every namespace', async () => {
    const report = await doctor(server, ['-A', '-l', 'team in (x)']);
    expect(serviceNames(report)).toEqual(['other/web', 'shop/ghost', 'shop/web']);
  });

  it('no -n: the namespace of the context, else default', async () => {
    const report = await doctor(server, []);
    expect(serviceNames(report)).toEqual(['default/home']);
    const clusterScoped = KINDS.filter((k) => !k.namespaced).map((k) => k.resource);
    // Resource reads only: discovery (/apis) belongs to no namespace.
    const namespaced = server.requests.filter((r) => r.resource !== undefined && !clusterScoped.includes(r.resource));
    expect(new Set(namespaced.map((r) => r.namespace))).toEqual(new Set(['default']));

    const inShop = await startTestServer({ objects, namespace: 'shop' });
    try {
      const shopReport = await doctor(inShop, []);
      expect(serviceNames(shopReport)).toEqual([
        'shop/api',
        'shop/db',
        'shop/ghost',
        'shop/legacy',
        'shop/web',
        'shop/web-canary',
      ]);
      expect(resourceRequests(inShop)).toEqual(
        [
          'list services shop/',
          'list endpointslices shop/',
          'list pods shop/',
          'list endpoints shop/',
          'list events shop/ ?type=Warning',
          'list nodes */',
          ...workloadLists('shop/'),
          'list ingresses shop/',
          ...CLUSTER_REFERRER_LISTS,
          ...gatewayLists('shop/'),
          ...policyLists('shop/'),
        ].sort(),
      );
      // -n still wins over the context's namespace.
      expect(serviceNames(await doctor(inShop, ['-n', 'other']))).toEqual(['other/web']);
    } finally {
      await inShop.close();
    }
  });

  it('-A lists every kind cluster-wide, once each', async () => {
    const report = await doctor(server, ['-A']);
    expect(serviceNames(report)).toEqual([
      'default/home',
      'other/web',
      'shop/api',
      'shop/db',
      'shop/ghost',
      'shop/legacy',
      'shop/web',
      'shop/web-canary',
    ]);
    expect(resourceRequests(server)).toEqual(
      [
        'list services */',
        'list endpointslices */',
        'list pods */',
        'list endpoints */',
        'list nodes */',
        'list events */ ?type=Warning',
        ...workloadLists('*/'),
        'list ingresses */',
        ...CLUSTER_REFERRER_LISTS,
        ...gatewayLists('*/'),
        ...policyLists('*/'),
      ].sort(),
    );
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('live reads, paged', { timeout: TIMEOUT }, () => {
  const PODS = 1200; // more than two pages of 500
  let server: TestServer;
  beforeAll(async () => {
    const pods = Array.from({ length: PODS }, (_, i) => pod(`web-${String(i).padStart(4, '0')}`));
    server = await startTestServer({ objects: withControllers([node('node-a'), service('web'), ...pods]) });
  });
  afterAll(() => server?.close());

  it('lists with limit and continue until the list ends, and sees every pod', async () => {
    const report = await doctor(server, ['-n', 'shop']);
    expect(report.services).toEqual([
      expect.objectContaining({ name: 'web', endpoints: { ready: PODS, total: PODS } }),
    ]);
    const podLists = server.requests.filter((r) => r.resource === 'pods');
    expect(podLists.map((r) => r.query.get('limit'))).toEqual(['500', '500', '500']);
    expect(podLists.map((r) => r.query.has('continue'))).toEqual([false, true, true]);
    expect(podLists.every((r) => r.status === 200)).toBe(true);

    // The snapshot of the same scope holds each pod exactly once.
    const run = await runCliAsync(['snapshot', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json']);
    expect(run.code).toBe(0);
    const names = parseSnapshot(run.stdout)
      .items.filter((o) => o.kind === 'Pod')
      .map((o) => o.metadata.name);
    expect(names).toHaveLength(PODS);
    expect(new Set(names).size).toBe(PODS);
  });
});

describe('live reads of a Gateway API route, --for', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      objects: [
        ...withControllers([node('node-a'), service('web'), pod('web-1'), service('api', { ns: 'backend' })]),
        httpRoute('front', {
          rules: [
            { path: '/', backendRefs: [{ name: 'web', port: 80 }] },
            { path: '/old', backendRefs: [{ name: 'gone', port: 80 }] },
            { path: '/api', backendRefs: [{ name: 'api', ns: 'backend', port: 80 }] },
          ],
        }),
        httpRoute('other', { rules: [{ backendRefs: [{ name: 'db', port: 80 }] }] }),
      ],
    });
  });
  afterAll(() => server?.close());

  it("--for httproute/front: the route by name, then the Services it names in each of their namespaces, with those namespaces' ReferenceGrants", async () => {
    const report = await doctor(server, ['-n', 'shop', '--for', 'httproute/front']);
    expect(serviceNames(report)).toEqual(['backend/api', 'shop/web']);
    expect(
      report.findings
        .filter((f) => f.subject)
        .map((f) => [f.check, `${f.namespace}/${f.service}`])
        .sort(),
    ).toEqual([
      ['route-backend-missing', 'shop/gone'],
      // backend holds no ReferenceGrant that lets shop's HTTPRoutes name its Services.
      ['route-backend-not-permitted', 'backend/api'],
    ]);
    expect(report.services.find((s) => s.namespace === 'shop')?.usedBy).toEqual([
      { kind: 'HTTPRoute', namespace: 'shop', name: 'front', detail: 'rule 1 path /', port: '80' },
    ]);
    const requests = resourceRequests(server);
    expect(requests).toContain('list httproutes shop/ ?metadata.name=front');
    expect(requests.filter((r) => r.includes('httproutes'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('list referencegrants')).sort()).toEqual([
      'list referencegrants backend/',
      'list referencegrants shop/',
    ]);
    expect(requests.filter((r) => / services /.test(r)).sort()).toEqual([
      'get services backend/api',
      'get services shop/gone',
      'get services shop/web',
    ]);
  });

  it('--for httproutes/ (plural) names the same route; one that does not exist is a usage error', async () => {
    const report = await doctor(server, ['-n', 'shop', '--for', 'httproutes/front']);
    expect(serviceNames(report)).toEqual(['backend/api', 'shop/web']);
    const missing = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--for', 'httproute/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('httproute "nope" not found in namespace "shop"');
  });
});
