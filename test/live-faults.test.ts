// The live path when the API server refuses, fails, throttles, drops, hangs or is gone:
// optional reads degrade to a note, required ones end with exit 3 and one line on stderr,
// transient failures are retried. Nothing hangs and nothing prints a stack trace.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestServer, type RequestRecord, type TestServer } from './server/index.js';
import type { Report } from '../src/report/report.js';
import { parseReport, parseSnapshot, runCliAsync, writeTemp, type CliResult } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { gateway, httpRoute, networkPolicy, node, pod, service } from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;

const objects = withControllers([
  node('node-a'),
  node('node-b', { ready: 'False' }),
  service('web'),
  pod('web-1'),
  pod('web-2', { node: 'node-b' }),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' } }),
]);

async function doctor(server: TestServer | string, args: string[]): Promise<CliResult & { report?: Report }> {
  const kubeconfig = typeof server === 'string' ? server : server.kubeconfigPath;
  const run = await runCliAsync(['--kubeconfig', kubeconfig, '-o', 'json', ...args]);
  expect(run.stderr).not.toMatch(NO_STACK);
  return { ...run, report: run.code <= 1 ? parseReport(run.stdout) : undefined };
}

/** Exit 3 with exactly one line on stderr, and nothing on stdout. */
function expectClusterError(run: CliResult): string {
  expect(run.code, run.stderr).toBe(3);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
  return run.stderr;
}

const requestsFor = (server: TestServer, resource: string) => server.requests.filter((r) => r.resource === resource);

/**
 * Calls `arm` once, when the first request matching `when` arrives and before the server
 * acts on it: the server records a request, then takes its faults, in the same tick.
 */
function onRequest(server: TestServer, when: (r: RequestRecord) => boolean, arm: () => void): void {
  const requests = server.requests;
  let armed = false;
  requests.push = (...records: RequestRecord[]) => {
    if (!armed && records.some(when)) {
      armed = true;
      arm();
    }
    return Array.prototype.push.apply(requests, records);
  };
}

describe('live reads against a faulty server', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let healthy: Report;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    // The report with nothing wrong, for comparison.
    const { report } = await doctor(server, ['-A']);
    if (!report) throw new Error('the run against the healthy server printed no report');
    healthy = report;
    server.requests.length = 0;
  }, TIMEOUT);
  afterAll(() => server?.close());
  afterEach(() => {
    server.faults.clear();
    server.setRules(undefined);
    server.requests.length = 0;
  });

  it('Endpoints forbidden: the report from EndpointSlices, and a note saying so, once', async () => {
    server.faults.forbid({ resource: 'endpoints' });
    for (const args of [['-A'], ['-n', 'shop', 'web', 'api']]) {
      const run = await doctor(server, args);
      expect([0, 1], run.stderr).toContain(run.code);
      expect(run.stderr).toBe('');
      const notes = run.report?.notes.filter((n: string) => /Endpoints.*could not be read/.test(n));
      expect(notes).toEqual(['Endpoints (v1) could not be read (forbidden): diagnosed from EndpointSlices alone']);
      expect(run.report?.services.map((s) => [s.name, s.endpoints])).toEqual(
        healthy.services.map((s) => [s.name, s.endpoints]),
      );
    }
    // The text report says it once too.
    const text = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-A']);
    expect(text.stdout.match(/Endpoints \(v1\) could not be read/g)).toHaveLength(1);
  });

  it('Endpoints not served: the same, saying so', async () => {
    server.faults.unserve('endpoints');
    for (const args of [['-A'], ['-n', 'shop', 'web']]) {
      const run = await doctor(server, args);
      expect(run.stderr).toBe('');
      expect([0, 1]).toContain(run.code);
      expect(run.report?.notes.filter((n: string) => /Endpoints.*could not be read/.test(n))).toEqual([
        'Endpoints (v1) could not be read (not served by this server): diagnosed from EndpointSlices alone',
      ]);
      const services = new Set(run.report?.services.map((s) => s.name));
      expect(run.report?.services.map((s) => [s.name, s.endpoints])).toEqual(
        healthy.services.filter((s) => services.has(s.name)).map((s) => [s.name, s.endpoints]),
      );
    }
  });

  it('Ingresses not served (or forbidden): a note, and the run goes on without references', async () => {
    for (const refuse of [
      () => server.faults.unserve('ingresses'),
      () => server.faults.forbid({ resource: 'ingresses' }),
    ]) {
      server.faults.clear();
      refuse();
      for (const args of [['-A'], ['-n', 'shop', 'web']]) {
        const run = await doctor(server, args);
        expect(run.stderr).toBe('');
        expect([0, 1]).toContain(run.code);
        expect(run.report?.notes.filter((n: string) => n.startsWith('Ingresses could not be read'))).toEqual([
          expect.stringMatching(
            /^Ingresses could not be read \((not served by this server|forbidden)\): Ingress backends were not checked$/,
          ),
        ]);
        expect(run.report?.services.every((s) => s.usedBy === undefined)).toBe(true);
      }
    }
    server.faults.clear();
  });

  it('webhook configurations or APIServices not served (or forbidden): a note each, and the run goes on without them', async () => {
    const resources = ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'apiservices'];
    for (const refuse of [
      () => resources.forEach((resource) => server.faults.unserve(resource)),
      () => resources.forEach((resource) => server.faults.forbid({ resource })),
    ]) {
      server.faults.clear();
      refuse();
      for (const args of [['-A'], ['-n', 'shop', 'web']]) {
        const run = await doctor(server, args);
        expect(run.stderr).toBe('');
        expect([0, 1]).toContain(run.code);
        expect(
          run.report?.notes.filter((n: string) => /^(\w+WebhookConfigurations|APIServices) could not/.test(n)),
        ).toEqual([
          expect.stringMatching(
            /^ValidatingWebhookConfigurations could not be read \((not served by this server|forbidden)\): the Services of their webhooks were not checked$/,
          ),
          expect.stringMatching(
            /^MutatingWebhookConfigurations could not be read \(.*\): the Services of their webhooks were not checked$/,
          ),
          expect.stringMatching(
            /^APIServices could not be read \(.*\): the Services of aggregated APIs were not checked$/,
          ),
        ]);
      }
    }
    server.faults.clear();
  });

  it('the Gateway API not installed, or only its standard channel: one short note, and the run goes on', async () => {
    const route = httpRoute('front', { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    for (const [gatewayApi, note] of [
      [
        'none',
        'HTTPRoutes, GRPCRoutes, TCPRoutes, TLSRoutes, UDPRoutes and ReferenceGrants could not be read (not served by this server): Gateway API routes were not checked',
      ],
      [
        'standard',
        'TCPRoutes, TLSRoutes and UDPRoutes could not be read (not served by this server): Gateway API routes were not checked',
      ],
    ] as const) {
      const bare = await startTestServer({ objects: [...objects, route], gatewayApi });
      try {
        for (const args of [['-A'], ['-n', 'shop', 'web']]) {
          const run = await doctor(bare, args);
          expect(run.stderr).toBe('');
          expect(run.code).toBe(0);
          expect(run.report?.notes).toEqual([note]);
        }
      } finally {
        await bare.close();
      }
    }
  });

  it('HTTPRoutes forbidden: their own note; served, a route adds its Service a user', async () => {
    const routed = await startTestServer({
      objects: [...objects, httpRoute('front', { rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] })],
    });
    try {
      const served = await doctor(routed, ['-n', 'shop', 'web']);
      expect(served.report?.services[0].usedBy).toEqual([
        { kind: 'HTTPRoute', namespace: 'shop', name: 'front', detail: 'rule 1 path /', port: '80' },
      ]);
      routed.faults.forbid({ resource: 'httproutes' });
      const run = await doctor(routed, ['-n', 'shop', 'web']);
      expect(run.report?.notes).toEqual([
        'HTTPRoutes could not be read (forbidden): Gateway API routes were not checked',
      ]);
      expect(run.report?.services[0].usedBy).toBeUndefined();
    } finally {
      await routed.close();
    }
  });

  it("Gateways: a route's Gateway pods found from its status address; forbidden, a note and the route unjudged", async () => {
    // An implementation that does not label its proxy Service (GEP-1762), kept in a namespace of
    // its own, with the Service's load-balancer IP in the Gateway's status
    // (docs/kubernetes-semantics.md#the-services-of-a-gateway).
    const proxy = { app: 'envoy' };
    const gatewayed = await startTestServer({
      objects: [
        ...withControllers([
          node('node-a'),
          service('web'),
          pod('web-1'),
          service('envoy-shop', {
            ns: 'envoy-gateway-system',
            type: 'LoadBalancer',
            selector: proxy,
            status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } },
          }),
          pod('envoy-1', { ns: 'envoy-gateway-system', labels: proxy }),
        ]),
        gateway('shop-gateway', { addresses: [{ type: 'IPAddress', value: '203.0.113.20' }] }),
        httpRoute('front', { rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] }),
        networkPolicy('deny-all', { podSelector: {} }),
      ],
    });
    const blocked = (report: Report | undefined) =>
      report?.findings
        .filter((f) => f.check === 'networkpolicy-blocks-referrer')
        .map((f) => [f.subject?.name, f.pods?.map((p) => `${p.namespace}/${p.name}`)]);
    try {
      const served = await doctor(gatewayed, ['-A']);
      expect(served.report?.notes).not.toContainEqual(expect.stringContaining('Gateways'));
      expect(blocked(served.report)).toEqual([['front', ['envoy-gateway-system/envoy-1']]]);
      gatewayed.faults.forbid({ resource: 'gateways' });
      const run = await doctor(gatewayed, ['-A']);
      expect(run.report?.notes).toContain(
        "Gateways could not be read (forbidden): routes' Gateways were known only by the labels on their Services",
      );
      expect(blocked(run.report)).toEqual([]);
    } finally {
      await gatewayed.close();
    }
  });

  it('NetworkPolicies forbidden or not served: a note, whether or not any exist, and the Service is not OK', async () => {
    for (const [refuse, why] of [
      [() => server.faults.forbid({ resource: 'networkpolicies' }), 'forbidden'],
      [() => server.faults.unserve('networkpolicies'), 'not served by this server'],
    ] as const) {
      server.faults.clear();
      refuse();
      const run = await doctor(server, ['-n', 'shop', 'web']);
      expect(run.report?.notes).toEqual([
        `NetworkPolicies could not be read (${why}): NetworkPolicies were not evaluated`,
        ...['blocks-backends', 'blocks-some-backends', 'port-mismatch', 'restricts-sources'].map(
          (id) => `check networkpolicy-${id} skipped: the input has no NetworkPolicies`,
        ),
      ]);
      // A policy not read may shut its backends: never OK on that guess.
      expect(run.report?.services[0].status).toBe('unknown');
    }
  });

  it('Namespaces forbidden: no note while no policy in scope selects namespaces by a label other than the name, one note when one does', async () => {
    // Namespace-scoped users are commonly refused the cluster-scoped Namespaces; only a
    // namespaceSelector needs their labels.
    const allowFrom = (peer: Record<string, unknown>) =>
      networkPolicy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [peer] }] });
    const policed = await startTestServer({ objects: [...objects, allowFrom({ podSelector: {} })] });
    try {
      policed.faults.forbid({ resource: 'namespaces' });
      const unneeded = await doctor(policed, ['-n', 'shop', 'web']);
      expect(unneeded.report?.notes).toEqual([]);
      // The name label is the namespace's name (the API server sets it): the pod's namespace says it.
      policed.store.apply(
        allowFrom({
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop', 'ops'] }],
          },
        }),
      );
      const byName = await doctor(policed, ['-n', 'shop', 'web']);
      expect(byName.report?.notes).toEqual([]);
      policed.store.apply(allowFrom({ namespaceSelector: { matchLabels: { team: 'front' } } }));
      const needed = await doctor(policed, ['-n', 'shop', 'web']);
      expect(needed.report?.notes).toEqual([
        'Namespaces could not be read (forbidden): NetworkPolicy peers that select namespaces by label were not evaluated',
      ]);
    } finally {
      await policed.close();
    }
  });

  it('Nodes forbidden: a note, and the checks that need Nodes skipped', async () => {
    server.faults.forbid({ resource: 'nodes' });
    const run = await doctor(server, ['-A']);
    expect(run.stderr).toBe('');
    expect(run.report?.notes).toContain('Nodes could not be read (forbidden): checks that need them were skipped');
    expect(run.report?.notes.filter((n: string) => /^Nodes could not be read/.test(n))).toHaveLength(1);
    // web-2 sits on a node that is not Ready: only the node check could say so.
    expect(healthy.findings.some((f) => f.check === 'endpoint-on-unready-node')).toBe(true);
    expect(run.report?.findings.some((f) => f.check === 'endpoint-on-unready-node')).toBe(false);
    expect(run.report?.notes.some((n: string) => n.includes('endpoint-on-unready-node'))).toBe(true);
  });

  it('pods forbidden: exit 3, one line naming the resource, the namespace and the verb', async () => {
    server.faults.forbid({ resource: 'pods', namespace: 'shop' });
    for (const args of [
      ['-n', 'shop'],
      ['-n', 'shop', 'web'],
    ]) {
      const line = expectClusterError(await doctor(server, args));
      expect(line).toMatch(/cannot list pods in namespace "shop"/);
    }
    server.faults.clear().forbid({ resource: 'pods' });
    expect(expectClusterError(await doctor(server, ['-A']))).toMatch(/cannot list pods in all namespaces/);
  });

  it('services forbidden: exit 3', async () => {
    server.faults.forbid({ resource: 'services' });
    expect(expectClusterError(await doctor(server, ['-n', 'shop']))).toMatch(
      /cannot list services in namespace "shop"/,
    );
    expect(expectClusterError(await doctor(server, ['-n', 'shop', 'web']))).toMatch(
      /cannot get services in namespace "shop"/,
    );
  });

  it('RBAC that allows only some namespaces: refused where it does not', async () => {
    server.setRules([{ resources: ['*'], verbs: ['get', 'list'], namespaces: ['shop'] }]);
    // Nodes are cluster-scoped, so a namespaced grant never covers them: a note, not a failure.
    const run = await doctor(server, ['-n', 'shop']);
    expect(run.stderr).toBe('');
    expect(run.report?.notes).toContain('Nodes could not be read (forbidden): checks that need them were skipped');
    expectClusterError(await doctor(server, ['-n', 'other']));
    expectClusterError(await doctor(server, ['-A']));
  });

  it('429 with Retry-After: waits, retries, succeeds', async () => {
    server.faults.throttle({ resource: 'pods', retryAfterSeconds: 1, times: 1 });
    const run = await doctor(server, ['-A']);
    expect(run.stderr).toBe('');
    expect(run.report).toEqual(healthy);
    expect(requestsFor(server, 'pods').map((r) => r.status)).toEqual([429, 200]);
  });

  it('500 twice, then OK: retried, succeeds', async () => {
    server.faults.fail({ resource: 'endpointslices', times: 2 });
    const run = await doctor(server, ['-A']);
    expect(run.stderr).toBe('');
    expect(run.report).toEqual(healthy);
    expect(requestsFor(server, 'endpointslices').map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('500 forever: exit 3 with the server error, after a bounded number of tries', async () => {
    server.faults.fail({ resource: 'pods' });
    const line = expectClusterError(await doctor(server, ['-A']));
    expect(line).toBe(
      'error: the API server failed to list pods in all namespaces: 500 InternalError: Internal error occurred: injected test fault\n',
    );
    expect(requestsFor(server, 'pods').length).toBeGreaterThan(1);
    expect(requestsFor(server, 'pods').length).toBeLessThanOrEqual(10);
  });

  it('a connection dropped mid-answer, once: retried, succeeds', async () => {
    server.faults.dropConnection({ resource: 'pods', verb: 'list', times: 1 });
    const run = await doctor(server, ['-A']);
    expect(run.stderr).toBe('');
    expect(run.report).toEqual(healthy);
    expect(requestsFor(server, 'pods')).toHaveLength(2);
  });

  it('a connection dropped every time: exit 3 with a clear message', async () => {
    server.faults.dropConnection({ resource: 'services' });
    const line = expectClusterError(await doctor(server, ['-A']));
    expect(line).toContain(`cannot reach the Kubernetes API at ${server.url}`);
    expect(line).toContain('services');
  });

  it('a server that never answers, with --request-timeout 2s: exit 3', async () => {
    server.faults.hang({ resource: 'services' });
    const line = expectClusterError(await doctor(server, ['-A', '--request-timeout', '2s']));
    expect(line).toContain('no answer within 2s');
    expect(line).toContain('services');
  });

  it('a rejected token: exit 3 with an authentication message that does not show the token', async () => {
    const token = 'not-the-right-token-3f9c2a';
    // The users of the kubeconfig the test server wrote (test/server/certs.ts).
    const config = parse(server.kubeconfig) as { users: { name: string; user: Record<string, unknown> }[] };
    config.users = config.users.map((u) => (u.user.token ? { ...u, user: { token } } : u));
    const kubeconfig = writeTemp('kubeconfig', stringify(config));
    const line = expectClusterError(await doctor(kubeconfig, ['-A']));
    expect(line).toMatch(/401 Unauthorized/);
    expect(line).toMatch(/credentials/);
    expect(line).not.toContain(token);
    // Not with --debug either, which prints every request and the error's detail.
    const debug = await runCliAsync(['--kubeconfig', kubeconfig, '-A', '--debug']);
    expect(debug.code).toBe(3);
    expect(debug.stderr).not.toContain(token);
    expect(debug.stderr).toContain('debug: GET ');
  });
});

describe('live reads against a server that is gone', { timeout: TIMEOUT }, () => {
  it('a closed port: exit 3, connection refused', async () => {
    const server = await startTestServer({ objects });
    const kubeconfig = writeTemp('kubeconfig', server.kubeconfig);
    await server.close();
    const line = expectClusterError(await doctor(kubeconfig, ['-A', '--request-timeout', '5s']));
    expect(line).toContain(`cannot reach the Kubernetes API at ${server.url} (connection refused)`);
  });
});

describe('live paged reads against a faulty server', { timeout: TIMEOUT }, () => {
  const PODS = 1200; // three pages of 500
  let server: TestServer;
  beforeAll(async () => {
    const pods = Array.from({ length: PODS }, (_, i) => pod(`web-${String(i).padStart(4, '0')}`));
    server = await startTestServer({ objects: withControllers([node('node-a'), service('web'), ...pods]) });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    delete (server.requests as { push?: unknown }).push;
    server.faults.clear();
    server.requests.length = 0;
  });

  const isContinuedPodList = (r: RequestRecord) => r.resource === 'pods' && r.query.has('continue');

  /** The pods a `snapshot` of the namespace holds, by name. */
  async function snapshotPods(): Promise<string[]> {
    const run = await runCliAsync(['snapshot', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json']);
    expect(run.stderr).not.toMatch(NO_STACK);
    expect(run.code, run.stderr).toBe(0);
    return parseSnapshot(run.stdout)
      .items.filter((o) => o.kind === 'Pod')
      .map((o) => o.metadata.name);
  }

  it('a connection dropped on the second page: that page is fetched again, the list is complete', async () => {
    onRequest(server, isContinuedPodList, () =>
      server.faults.dropConnection({ resource: 'pods', verb: 'list', times: 1 }),
    );
    const names = await snapshotPods();
    expect(names).toHaveLength(PODS);
    expect(new Set(names).size).toBe(PODS);
    const pods = requestsFor(server, 'pods');
    expect(pods.map((r) => r.query.has('continue'))).toEqual([false, true, true, true]);
    // The second page twice; the third may be asked for between the two, as soon as the dropped
    // answer's head named it.
    const second = pods[1].query.get('continue');
    expect(pods.filter((r) => r.query.get('continue') === second)).toHaveLength(2);
  });

  it('a continue token that expires mid-list: the list restarts, complete and without duplicates', async () => {
    onRequest(server, isContinuedPodList, () => server.faults.expireContinueTokens());
    const names = await snapshotPods();
    expect(names).toHaveLength(PODS);
    expect(new Set(names).size).toBe(PODS);
    const pods = requestsFor(server, 'pods');
    expect(pods.map((r) => r.status)).toEqual([200, 410, 200, 200, 200]);
    expect(pods.map((r) => r.query.has('continue'))).toEqual([false, true, false, true, true]);

    // The diagnosis too: every pod's endpoint counted once.
    server.requests.length = 0;
    delete (server.requests as { push?: unknown }).push;
    onRequest(server, isContinuedPodList, () => server.faults.expireContinueTokens());
    const run = await doctor(server, ['-n', 'shop']);
    expect(run.stderr).toBe('');
    expect(run.report?.services[0].endpoints).toEqual({ ready: PODS, total: PODS });
    expect(run.report?.findings.filter((f) => f.check === 'pod-missing-from-slices')).toEqual([]);
  });
});
