// The kinds table (src/core/kinds.ts) is the one place a kind is declared: its entries are
// consistent, the README's RBAC lines and the test API server follow it, and a kind added to
// it is read by the live fetch and the watch, written by the snapshot writer and read back by
// the snapshot reader, with nothing else to change. (deploy.test.ts holds the ClusterRole to it.)

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { KINDS, type KindSpec } from '../src/core/kinds.js';
import type { ClusterObject } from '../src/core/objects.js';
import { connect, fetchLive, liveCoverage, type Connection } from '../src/sources/live.js';
import { ObjectCollector } from '../src/sources/objects.js';
import { SOURCE_KINDS, type SourceKind } from '../src/sources/slim.js';
import { rawMeta, slimMeta } from '../src/sources/slim/fields.js';
import { snapshotList } from '../src/sources/snapshot-list.js';
import { ClusterWatch } from '../src/sources/watch.js';
import { RESOURCES } from './server/store.js';
import { startTestServer, type TestServer } from './server/index.js';
import { eventually } from './support/watching.js';
import { withControllers } from './support/controller.js';
import { node, pod, service, type Raw } from './support/objects.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** "a, b and c", as the README writes lists. */
function inWords(items: readonly string[], and = 'and'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

describe('the kinds table', () => {
  it('names each kind, resource and coverage flag once', () => {
    for (const field of ['kind', 'resource', 'label'] as const) {
      expect(new Set(KINDS.map((k) => k[field])).size, field).toBe(KINDS.length);
    }
    const flags = KINDS.flatMap((k) => (k.coverage ? [k.coverage] : []));
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('an optional kind says what a run does without it, and has a coverage flag for the checks to skip on', () => {
    for (const kind of KINDS) {
      expect(kind.whenMissing !== undefined, kind.kind).toBe(kind.optional);
      if (kind.optional) expect(kind.coverage, kind.kind).toBeDefined();
    }
  });

  it('every coverage flag is one some check needs, and every flag a check needs is in the table', () => {
    // Without a kind of referrers there are no references to judge, and nothing to skip: the
    // live run's note says it could not be read.
    // (StatefulSets are both: the workload checks need their flag.) A kind needed only by other
    // objects (neededBy: Namespaces, for policies' namespaceSelectors) is judged where they are
    // evaluated, which says when it is unknown, rather than skipping a check.
    const referrers = new Set(CHECKS.flatMap((c) => c.references?.kinds ?? []));
    const needed = new Set(CHECKS.flatMap((c) => [...(c.requires ?? []), ...(c.clearsOnlyWith ?? [])]));
    const flags = new Set(
      KINDS.flatMap((k) =>
        k.coverage && !('neededBy' in k) && (!referrers.has(k.kind as never) || needed.has(k.coverage))
          ? [k.coverage]
          : [],
      ),
    );
    expect(needed).toEqual(flags);
  });

  it('a run naming Services picks pods by selector, and reads Services by name', () => {
    expect(KINDS.filter((k) => k.whenServicesNamed === 'selected').map((k) => k.kind)).toEqual(['Pod']);
    expect(KINDS.find((k) => k.kind === 'Service')?.whenServicesNamed).toBe('named');
  });

  it('the test API server serves every kind as the table declares it', () => {
    for (const kind of KINDS) {
      const served = RESOURCES.find((r) => r.kind === kind.kind);
      expect(served, kind.kind).toMatchObject({
        group: kind.group,
        version: kind.version,
        plural: kind.resource,
        namespaced: kind.namespaced,
      });
    }
  });
});

describe("the README's RBAC lines follow the table", () => {
  const resources = KINDS.map((k) => k.resource);
  // Kinds never read by name (Events) are only listed, and watched.
  const gotten = KINDS.filter((k) => k.verbs.includes('get')).map((k) => k.resource);
  const listedOnly = KINDS.filter((k) => !k.verbs.includes('get')).map((k) => k.resource);
  const andListed = (verbs: string) => (listedOnly.length > 0 ? `, and ${verbs} ${inWords(listedOnly)}` : '');

  it('what the diagnosis reads, and that it watches them too', () => {
    for (const kind of KINDS) {
      expect(kind.verbs, kind.kind).toEqual(
        listedOnly.includes(kind.resource) ? ['list', 'watch'] : ['get', 'list', 'watch'],
      );
    }
    expect(readme).toContain(`It only ever reads (get and list on ${inWords(gotten)}${andListed('list on')};`);
  });

  it('what the in-cluster ClusterRole grants, and which kinds are required', () => {
    expect(readme).toContain(`can only read (get, list and watch) ${inWords(gotten)}${andListed('list and watch')}:`);
    const required = KINDS.filter((k) => !k.optional).map((k) => k.resource);
    expect(readme).toContain(`${inWords(required).replace(/^./, (c) => c.toUpperCase())} are required.`);
    const optional = KINDS.filter((k) => k.optional).map((k) => k.label);
    expect(readme).toContain(`${inWords(optional)} are optional:`);
  });

  it('the kubectl get command a snapshot is made with', () => {
    expect(readme).toContain(`\`kubectl get ${resources.join(',')} -A -o yaml\``);
  });
});

// ---------------------------------------------------------------------------------------------
// A kind added to the table: ConfigMaps (which the test server serves, and the doctor does not read).

interface ConfigMapObject {
  kind: 'ConfigMap';
  meta: ClusterObject['meta'];
  keys: string[];
}

const CONFIG_MAP_SPEC: KindSpec = {
  kind: 'ConfigMap',
  group: '',
  version: 'v1',
  resource: 'configmaps',
  namespaced: true,
  optional: true,
  whenMissing: 'checks that need them were skipped',
  coverage: 'configMaps',
  notedWhenAbsent: true,
  label: 'ConfigMaps',
  whenServicesNamed: 'all',
  verbs: ['get', 'list', 'watch'],
};

/** The entry and its slimming function: all that adding a kind takes in sources/. */
const CONFIG_MAP: SourceKind = {
  ...CONFIG_MAP_SPEC,
  slim: (raw) => {
    const object: ConfigMapObject = {
      kind: 'ConfigMap',
      meta: slimMeta(raw, true),
      keys: Object.keys((raw.data as Raw | undefined) ?? {}).sort(),
    };
    return object as unknown as ClusterObject;
  },
  unslim: (object) => ({
    data: Object.fromEntries((object as unknown as ConfigMapObject).keys.map((key) => [key, ''])),
  }),
};
const WITH_CONFIG_MAPS = [...SOURCE_KINDS, CONFIG_MAP];

function configMap(name: string, namespace = 'shop'): Raw {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'app.conf': 'x' } };
}

const configMapsOf = (objects: ClusterObject[]) =>
  objects.filter((o) => (o.kind as string) === 'ConfigMap').map((o) => `${o.meta.namespace}/${o.meta.name}`);

describe('a kind added to the table', { timeout: 60_000 }, () => {
  let server: TestServer;
  let conn: Connection;
  beforeAll(async () => {
    server = await startTestServer({
      objects: [
        ...withControllers([node('node-a'), service('web'), pod('web-1')]),
        configMap('web-config'),
        configMap('other', 'elsewhere'),
      ],
    });
    conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
  });
  afterAll(() => server?.close());

  it('is read live, in the namespace, whether Services are named or not', async () => {
    for (const serviceNames of [[], ['web']]) {
      server.requests.length = 0;
      const read = await fetchLive(conn, { namespace: 'shop', serviceNames }, { kinds: WITH_CONFIG_MAPS });
      expect(configMapsOf(read.objects), serviceNames.join()).toEqual(['shop/web-config']);
      expect(read.objects.filter((o) => o.kind === 'Pod')).toHaveLength(1);
      expect(liveCoverage(read.missing, WITH_CONFIG_MAPS)).toMatchObject({ configMaps: true, nodes: true });
      expect(server.requests.filter((r) => r.resource === 'configmaps').map((r) => r.path)).toEqual([
        '/api/v1/namespaces/shop/configmaps',
      ]);
    }
    // The table's own kinds read no ConfigMap.
    expect(configMapsOf((await fetchLive(conn, { namespace: 'shop', serviceNames: [] })).objects)).toEqual([]);
  });

  it('an optional one the server forbids leaves its note and clears its coverage flag', async () => {
    server.faults.forbid({ resource: 'configmaps' });
    try {
      const read = await fetchLive(conn, { namespace: 'shop', serviceNames: [] }, { kinds: WITH_CONFIG_MAPS });
      expect(read.missing).toEqual({
        configMaps: 'ConfigMaps could not be read (forbidden): checks that need them were skipped',
      });
      expect(liveCoverage(read.missing, WITH_CONFIG_MAPS)).toMatchObject({ configMaps: false, endpoints: true });
    } finally {
      server.faults.clear();
    }
  });

  it('is followed by the watch', async () => {
    const watch = new ClusterWatch(
      conn,
      { namespace: 'shop' },
      { onChange: () => {}, debounceMs: 10, debug: () => {}, kinds: WITH_CONFIG_MAPS },
    );
    try {
      await watch.start();
      expect(configMapsOf(watch.objects())).toEqual(['shop/web-config']);
      server.store.apply(configMap('new-config'));
      await eventually('the new ConfigMap seen', () => configMapsOf(watch.objects()).length === 2);
      expect(watch.coverage()).toMatchObject({ configMaps: true });
    } finally {
      await watch.stop();
      server.store.delete(configMap('new-config'));
    }
  });

  it('is written by the snapshot writer, after the table kinds, and read back by the snapshot reader', async () => {
    const read = await fetchLive(conn, { namespace: 'shop', serviceNames: [] }, { kinds: WITH_CONFIG_MAPS });
    const { header, items } = snapshotList(read, WITH_CONFIG_MAPS);
    const written = [...items];
    expect((header.metadata as Raw).annotations).toEqual({
      'endpoints-doctor/read-kinds':
        'Service,Endpoints,EndpointSlice,Pod,Node,Event,Deployment,ReplicaSet,StatefulSet,DaemonSet,Ingress,ValidatingWebhookConfiguration,MutatingWebhookConfiguration,APIService,HTTPRoute,GRPCRoute,TCPRoute,TLSRoute,UDPRoute,ReferenceGrant,Gateway,NetworkPolicy,Namespace,ConfigMap',
    });
    expect(written.at(-1)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: rawMeta(read.objects.find((o) => (o.kind as string) === 'ConfigMap')!.meta),
      data: { 'app.conf': '' },
    });

    const reader = new ObjectCollector({ checkNames: true, kinds: WITH_CONFIG_MAPS });
    reader.add({ ...header, items: written }, 'snapshot');
    expect(reader.objects).toEqual(expect.arrayContaining(read.objects));
    expect(reader.objects).toHaveLength(read.objects.length);
    expect(reader.skippedKinds.size).toBe(0);
    expect(reader.coverage()).toMatchObject({ configMaps: true });

    // Declared read but with none in scope: covered all the same. The table alone skips it.
    const empty = new ObjectCollector({ kinds: WITH_CONFIG_MAPS });
    empty.add({ ...header, items: [] }, 'snapshot');
    expect(empty.coverage()).toMatchObject({ configMaps: true, pods: true });
    const tableOnly = new ObjectCollector();
    tableOnly.add({ ...header, items: written }, 'snapshot');
    expect(tableOnly.skippedKinds).toEqual(new Map([['ConfigMap', 1]]));
    expect(tableOnly.coverage()).not.toHaveProperty('configMaps');
  });
});
