// The test server's injected faults, authentication and edge cases, read off the wire with a
// bare HTTPS client so that no client library retries or rewords them.

import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { valueAt } from '../src/core/json-value.js';
import { makeCA, issueCertificate } from './server/certs.js';
import { startTestServer, type TestServer } from './server/index.js';
import { rawGet } from './server/raw-client.js';
import { requiredList, requiredObject, requiredString } from './support/required-fields.js';
import { endpoints, node, pod, service, slice } from './support/objects.js';

const objects = [
  { kind: 'List', apiVersion: 'v1', items: [service('web'), pod('web-1'), pod('web-2'), pod('web-3')] },
  { kind: 'PodList', apiVersion: 'v1', items: [(({ kind: _k, ...rest }) => rest)(pod('api-1', { ns: 'other' }))] },
  slice('web'),
  endpoints('web'),
  node('node-a'),
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web', namespace: 'shop' } },
];

/** The names of a list's items, in the order the server sent them. */
function itemNames(list: unknown): unknown[] {
  return requiredList(list, 'items').map((item) => valueAt(item, 'metadata', 'name'));
}

describe('test server faults and protocol details', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects, user: 'system:serviceaccount:shop:doctor' });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.faults.clear();
    server.setRules(undefined);
    server.requests.length = 0;
  });

  it('loads Lists and typed lists, and counts kinds it does not serve', async () => {
    const res = await rawGet(server, '/api/v1/namespaces/other/pods/api-1');
    expect(res.json()).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'api-1', namespace: 'other' },
    });
    expect([...server.skippedKinds]).toEqual([['Job', 1]]);
  });

  it('answers lists like the real server: typed kind, resourceVersion, items without kind', async () => {
    const list: unknown = (await rawGet(server, '/api/v1/namespaces/shop/pods')).json();
    expect(list).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(server.store.resourceVersion) },
    });
    expect(itemNames(list)).toEqual(['web-1', 'web-2', 'web-3']);
    const firstPod = requiredObject(list, 'items', 0);
    expect(firstPod.kind).toBeUndefined();
    expect(valueAt(firstPod, 'metadata', 'resourceVersion')).toMatch(/^\d+$/);
  });

  it('requires authentication: 401 Status without a token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const res = await rawGet(server, '/api/v1/pods', { token });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('accepts a client certificate signed by its CA, and only that', async () => {
    const ok = await rawGet(server, '/api/v1/nodes', { token: null, cert: server.clientCert });
    expect(ok.status).toBe(200);
    expect(server.requests.at(-1)?.user).toBe('test-admin');

    const stranger = issueCertificate(makeCA(), { commonName: 'mallory' }, 'client');
    expect((await rawGet(server, '/api/v1/nodes', { token: null, cert: stranger })).status).toBe(401);
  });

  it('serves discovery for the core group and discovery.k8s.io', async () => {
    const core: unknown = (await rawGet(server, '/api/v1')).json();
    expect(valueAt(core, 'kind')).toBe('APIResourceList');
    const byName = new Map(requiredList(core, 'resources').map((r) => [valueAt(r, 'name'), r] as const));
    expect(byName.get('services')).toMatchObject({
      kind: 'Service',
      namespaced: true,
      shortNames: ['svc'],
      verbs: ['get', 'list', 'watch'],
    });
    expect(byName.get('nodes')).toMatchObject({ kind: 'Node', namespaced: false, shortNames: ['no'] });
    expect(byName.get('pods/exec')).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    const groups: unknown = (await rawGet(server, '/apis')).json();
    expect(requiredList(groups, 'groups').map((g) => valueAt(g, 'name'))).toEqual([
      'discovery.k8s.io',
      'apps',
      'networking.k8s.io',
      'admissionregistration.k8s.io',
      'apiregistration.k8s.io',
      'gateway.networking.k8s.io',
    ]);
    // A group of several versions lists them GA first, the preferred one.
    expect(valueAt((await rawGet(server, '/apis/gateway.networking.k8s.io')).json(), 'versions')).toEqual([
      { groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' },
      { groupVersion: 'gateway.networking.k8s.io/v1beta1', version: 'v1beta1' },
      { groupVersion: 'gateway.networking.k8s.io/v1alpha2', version: 'v1alpha2' },
    ]);
    const disc: unknown = (await rawGet(server, '/apis/discovery.k8s.io/v1')).json();
    expect(requiredList(disc, 'resources').map((r) => valueAt(r, 'name'))).toEqual(['endpointslices']);
    expect(valueAt((await rawGet(server, '/version')).json(), 'gitVersion')).toMatch(/^v1\.32\./);
    expect((await rawGet(server, '/openapi/v2')).status).toBe(404);
  });

  it('forbids with the RBAC message shape, per namespace or cluster-wide', async () => {
    server.faults.forbid({ resource: 'pods', verb: 'list', namespace: 'shop' });
    server.faults.forbid({ resource: 'endpointslices', verb: 'list' });
    const res = await rawGet(server, '/api/v1/namespaces/shop/pods');
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "system:serviceaccount:shop:doctor" cannot list resource "pods" in API group "" in the namespace "shop"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    expect((await rawGet(server, '/api/v1/namespaces/other/pods')).status).toBe(200);
    expect((await rawGet(server, '/api/v1/namespaces/shop/pods/web-1')).status).toBe(200);
    const slices: unknown = (await rawGet(server, '/apis/discovery.k8s.io/v1/endpointslices')).json();
    expect(valueAt(slices, 'message')).toBe(
      'endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:shop:doctor" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope',
    );
    expect(valueAt(slices, 'details')).toEqual({ group: 'discovery.k8s.io', kind: 'endpointslices' });
  });

  it('throttles with 429 and Retry-After, then answers', async () => {
    server.faults.throttle({ resource: 'services', retryAfterSeconds: 2, times: 1 });
    const res = await rawGet(server, '/api/v1/services');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 2 },
    });
    expect((await rawGet(server, '/api/v1/services')).status).toBe(200);
  });

  it('fails with 500 N times, then answers normally', async () => {
    server.faults.fail({ resource: 'nodes', times: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await rawGet(server, '/api/v1/nodes')).status);
    expect(codes).toEqual([500, 500, 200]);
    server.faults.fail({ resource: 'nodes', status: 503, times: 1 });
    expect((await rawGet(server, '/api/v1/nodes')).json()).toMatchObject({ reason: 'ServiceUnavailable', code: 503 });
  });

  it('pages with limit/continue and answers 410 Expired for an expired token, 400 for garbage', async () => {
    const first: unknown = (await rawGet(server, '/api/v1/pods?limit=2')).json();
    expect(itemNames(first)).toEqual(['api-1', 'web-1']);
    const firstMeta = requiredObject(first, 'metadata');
    expect(firstMeta.remainingItemCount).toBe(2);
    const firstContinue = requiredString(firstMeta, 'continue');
    // The rest of the list is the snapshot the first page took, whatever changed since.
    server.store.create(pod('web-0'));
    const second: unknown = (await rawGet(server, `/api/v1/pods?limit=2&continue=${firstContinue}`)).json();
    expect(itemNames(second)).toEqual(['web-2', 'web-3']);
    const secondMeta = requiredObject(second, 'metadata');
    expect(secondMeta.continue).toBeUndefined();
    expect(secondMeta.resourceVersion).toBe(firstMeta.resourceVersion);
    server.store.delete(pod('web-0'));

    const again: unknown = (await rawGet(server, '/api/v1/pods?limit=1')).json();
    server.faults.expireContinueTokens();
    const againContinue = requiredString(again, 'metadata', 'continue');
    const expired = await rawGet(server, `/api/v1/pods?limit=1&continue=${againContinue}`);
    expect(expired.status).toBe(410);
    expect(expired.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect((await rawGet(server, '/api/v1/pods?limit=1&continue=%%garbage')).status).toBe(400);
  });

  it('rejects bad selectors with 400 like the real server', async () => {
    const bad = await rawGet(server, `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.foo=x')}`);
    expect(bad.status).toBe(400);
    expect(valueAt(bad.json(), 'message')).toBe('field label not supported: spec.foo');
    expect((await rawGet(server, `/api/v1/pods?labelSelector=${encodeURIComponent('app in web')}`)).status).toBe(400);
  });

  it('a resource not served is 404 and missing from discovery', async () => {
    server.faults.unserve('endpoints').unserve('endpointslices').unserve('ingresses').unserve('networkpolicies');
    for (const referrers of ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'apiservices'])
      server.faults.unserve(referrers);
    for (const gateway of [
      'httproutes',
      'grpcroutes',
      'tcproutes',
      'tlsroutes',
      'udproutes',
      'referencegrants',
      'gateways',
    ])
      server.faults.unserve(gateway);
    for (const workloads of ['deployments', 'replicasets', 'statefulsets', 'daemonsets'])
      server.faults.unserve(workloads);
    const res = await rawGet(server, '/api/v1/namespaces/shop/endpoints');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    const core: unknown = (await rawGet(server, '/api/v1')).json();
    expect(requiredList(core, 'resources').map((r) => valueAt(r, 'name'))).not.toContain('endpoints');
    expect(valueAt((await rawGet(server, '/apis')).json(), 'groups')).toEqual([]);
    expect((await rawGet(server, '/apis/discovery.k8s.io/v1')).status).toBe(404);
    expect((await rawGet(server, '/apis/discovery.k8s.io/v1/endpointslices')).status).toBe(404);
  });

  it('drops the connection part-way through a list', async () => {
    server.faults.dropConnection({ resource: 'pods', verb: 'list', times: 1 });
    await expect(rawGet(server, '/api/v1/pods')).rejects.toThrow();
    expect((await rawGet(server, '/api/v1/pods')).status).toBe(200);
  });

  it('delays, then answers normally', async () => {
    server.faults.delay({ resource: 'services', ms: 50, times: 1 });
    const web = await rawGet(server, '/api/v1/namespaces/shop/services/web');
    expect(valueAt(web.json(), 'metadata', 'name')).toBe('web');
  });

  it('hangs without answering until the client gives up', async () => {
    server.faults.hang({ resource: 'nodes' });
    await expect(rawGet(server, '/api/v1/nodes', { timeoutMs: 200 })).rejects.toThrow('timed out');
    expect(server.requests.at(-1)?.resource).toBe('nodes');
    expect(server.requests.at(-1)?.status).toBeUndefined();
  });

  it('an allow list refuses what its rules do not grant', async () => {
    server.setRules([
      {
        apiGroups: ['', 'discovery.k8s.io'],
        resources: ['services', 'endpointslices', 'endpoints', 'pods', 'nodes'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect((await rawGet(server, '/api/v1/pods')).status).toBe(200);
    const cm = await rawGet(server, '/api/v1/namespaces/shop/configmaps');
    expect(cm.status).toBe(403);
    expect(valueAt(cm.json(), 'message')).toContain(
      'cannot list resource "configmaps" in API group "" in the namespace "shop"',
    );
    expect(server.requests.map((r) => `${r.verb} ${r.resource} ${r.status}`)).toEqual([
      'list pods 200',
      'list configmaps 403',
    ]);
  });

  it('exec speaks v4.channel.k8s.io to a client that offers only it', async () => {
    server.setExecHandler(({ stdout, protocol }) => {
      stdout.write(protocol);
      return 7;
    });
    const url = `${server.url.replace('https', 'wss')}/api/v1/namespaces/shop/pods/web-1/exec?command=x&stdout=true`;
    const ws = new WebSocket(url, ['v4.channel.k8s.io'], {
      ca: server.caPem,
      headers: { Authorization: `Bearer ${server.token}` },
    });
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    const closeCode = await new Promise<number>((resolve, reject) => {
      ws.on('close', resolve);
      ws.on('error', reject);
    });
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    expect(closeCode).toBe(1000);
    expect(frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
      [1, 'v4.channel.k8s.io'],
      [3, expect.stringContaining('"reason":"NonZeroExitCode"')],
    ]);
    expect(valueAt(JSON.parse(frames[1].subarray(1).toString()) as unknown, 'details')).toEqual({
      causes: [{ reason: 'ExitCode', message: '7' }],
    });
  });

  it('exec refuses before upgrading: forbidden, unknown pod, unknown container', async () => {
    const attempt = (path: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('https', 'wss')}${path}`, ['v5.channel.k8s.io'], {
          ca: server.caPem,
          headers: { Authorization: `Bearer ${server.token}` },
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
    expect(await attempt('/api/v1/namespaces/shop/pods/nope/exec?command=x')).toBe(404);
    expect(await attempt('/api/v1/namespaces/shop/pods/web-1/exec?command=x&container=nope')).toBe(400);
    server.faults.forbid({ resource: 'pods/exec' });
    expect(await attempt('/api/v1/namespaces/shop/pods/web-1/exec?command=x')).toBe(403);
  });
});
