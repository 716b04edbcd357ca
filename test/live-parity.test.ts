// The live path and the snapshot path must agree: the same objects, served by the test API
// server or written to a file, give the same report (the whole object, notes included).

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotDocuments } from '../src/sources/snapshot.js';
import { startTestServer } from './server/index.js';
import { flattenObjects, resourceOfKind } from './server/store.js';
import type { Report } from '../src/report/report.js';
import { parseReport, runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import {
  addressOf,
  endpointOf,
  endpoints,
  node,
  pod,
  READ_EVENTS_WORKLOADS_AND_POLICIES,
  service,
  slice,
  type Raw,
} from './support/objects.js';

// The live run reads Events and the workload kinds (none here): the file says it did too.
const asList = (items: unknown[]) => JSON.stringify({ ...READ_EVENTS_WORKLOADS_AND_POLICIES, items });
const NO_STACK = /\n\s+at /;

interface Run {
  code: number;
  report: Report;
}

interface Parity {
  live: Run;
  snapshot: Run;
  /** The same by name (`-n NS NAME...`), which takes the live path's scoped reads; keyed by the names. */
  named: Map<string, { live: Run; snapshot: Run }>;
}

async function doctor(args: string[]): Promise<Run> {
  const run = await runCliAsync([...args, '-o', 'json']);
  expect(run.stderr).not.toMatch(NO_STACK);
  expect(run.code === 0 || run.code === 1, `${args.join(' ')}: exit ${run.code}: ${run.stderr}`).toBe(true);
  return { code: run.code, report: parseReport(run.stdout) };
}

/** Runs `work` over `items`, a few at a time: each one is two CLI processes. */
async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, size = 3): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * The same objects diagnosed through the server and from a file: with -A, then by name:
 * `each` Service alone, or all of a namespace's `together` in one run.
 */
async function bothWays(objects: Raw[], o: { named?: 'each' | 'together'; args?: string[] } = {}): Promise<Parity> {
  const extraArgs = o.args ?? [];
  const server = await startTestServer({ objects });
  try {
    const live = ['--kubeconfig', server.kubeconfigPath, ...extraArgs];
    const snapshot = ['--snapshot', writeTemp('objects.json', asList(objects)), ...extraArgs];
    const [liveAll, snapshotAll] = await Promise.all([doctor([...live, '-A']), doctor([...snapshot, '-A'])]);
    const groups = new Map<string, { namespace: string; names: string[] }>();
    const services: { namespace: string; name: string }[] = o.named ? liveAll.report.services : [];
    for (const { namespace, name } of services) {
      const key = o.named === 'each' ? `${namespace}/${name}` : namespace;
      const group = groups.get(key) ?? { namespace, names: [] };
      group.names.push(name);
      groups.set(key, group);
    }
    const named = new Map<string, { live: Run; snapshot: Run }>();
    await inBatches([...groups.values()], async ({ namespace, names }) => {
      const [l, s] = await Promise.all([
        doctor([...live, '-n', namespace, ...names]),
        doctor([...snapshot, '-n', namespace, ...names]),
      ]);
      named.set(`${namespace}/${names.join(',')}`, { live: l, snapshot: s });
    });
    return { live: liveAll, snapshot: snapshotAll, named };
  } finally {
    await server.close();
  }
}

function expectParity({ live, snapshot, named }: Parity): void {
  expect(live.report).toEqual(snapshot.report);
  expect(live.code).toBe(snapshot.code);
  for (const [services, runs] of named) {
    expect(runs.live.report, services).toEqual(runs.snapshot.report);
    expect(runs.live.code, services).toBe(runs.snapshot.code);
  }
}

// Every scenario holds Nodes, Endpoints and slices: a snapshot without one of those kinds
// says so in a note (it cannot tell "none" from "not captured"), the live path read them.
const base = [node('node-a'), node('node-b', { zone: 'zone-b' })];

// Each test runs up to a few dozen CLI processes; on a loaded machine that takes a while.
describe('live and --snapshot give the same report', { timeout: 180_000 }, () => {
  it('a healthy Service', async () => {
    const parity = await bothWays(
      withControllers([...base, service('web'), pod('web-1'), pod('web-2', { node: 'node-b' })]),
    );
    expectParity(parity);
    expect(parity.live.report.summary).toMatchObject({ services: 1, ok: 1, error: 0 });
    expect(parity.live.code).toBe(0);
  });

  it('a selector typo', async () => {
    const parity = await bothWays(
      withControllers([
        ...base,
        service('api', { selector: { app: 'api' } }),
        pod('api-1', { labels: { app: 'api' } }),
        service('web', { selector: { app: 'wbe' } }), // the typo
        pod('web-1'),
        pod('web-2'),
        pod('web-9', { ns: 'staging', labels: { app: 'wbe' } }),
      ]),
      { named: 'each' },
    );
    expectParity(parity);
    const finding = parity.live.report.findings.find((f) => f.check === 'selector-no-match');
    expect(finding).toMatchObject({ service: 'web' });
    expect(finding?.message).toContain('app=web');
    expect(finding?.message).toContain('staging');
  });

  // The model orders objects as the server lists them, so file order must not matter.
  const outOfOrder = withControllers([
    ...base,
    service('web', { selector: { app: 'wbe' } }),
    pod('web-2'),
    pod('web-1'),
  ]);
  it('a selector typo, pods out of name order in the file: the same report', async () => {
    expectParity(await bothWays(outOfOrder));
  });

  it('a CrashLoopBackOff pod', async () => {
    const parity = await bothWays(
      withControllers([
        ...base,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        service('api', { selector: { app: 'api' } }),
        pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
      ]),
    );
    expectParity(parity);
    expect(parity.live.code).toBe(1);
    expect(JSON.stringify(parity.live.report.findings)).toContain('CrashLoopBackOff');
  });

  it('a selectorless Service with a hand-made slice, and one with nothing', async () => {
    const parity = await bothWays(
      withControllers([
        ...base,
        service('web'),
        pod('web-1'),
        service('db', { selector: null, ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }] }),
        slice('db', {
          name: 'db-manual',
          managedBy: 'staff',
          ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
          endpoints: [{ ip: '192.168.10.5' }],
        }),
        service('legacy', { selector: null }),
        endpoints('legacy', {
          subsets: [{ addresses: [{ ip: '192.168.10.6' }], ports: [{ name: 'http', port: 80 }] }],
        }),
        service('empty', { selector: null }),
      ]),
      { named: 'each' },
    );
    expectParity(parity);
    expect(parity.live.report.services.map((s) => s.name)).toEqual(['db', 'empty', 'legacy', 'web']);
  });

  it('a dual-stack Service', async () => {
    const dual = {
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      clusterIPs: ['10.96.0.20', 'fd00::20'],
    };
    const parity = await bothWays(
      withControllers([
        ...base,
        service('web', { spec: { ...dual, clusterIP: '10.96.0.20' } }),
        pod('web-1', { ips: ['10.244.9.1', 'fd00:10:244::1'] }),
        pod('web-2', { ips: ['10.244.9.2', 'fd00:10:244::2'], node: 'node-b' }),
        service('half', { selector: { app: 'half' }, spec: { ...dual, clusterIP: '10.96.0.21' } }),
        pod('half-1', { labels: { app: 'half' }, ips: ['10.244.9.3'] }),
      ]),
    );
    expectParity(parity);
    expect(parity.live.report.services.find((s) => s.name === 'web')).toMatchObject({ status: 'ok' });
  });

  it('a named targetPort no pod declares, and a pod whose port name differs', async () => {
    const parity = await bothWays(
      withControllers([
        ...base,
        service('web'),
        pod('web-1'),
        pod('web-2', {
          containers: [{ name: 'app', image: 'shop/app:2', ports: [{ name: 'web', containerPort: 8080 }] }],
        }),
        service('api', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'api-http' }] }),
        pod('api-1', { labels: { app: 'api' } }),
      ]),
      { named: 'each' },
    );
    expectParity(parity);
    expect(parity.live.report.findings.length).toBeGreaterThan(0);
  });

  it('a slice that disagrees with the pods, stale Endpoints and an unready node', async () => {
    const objects = [
      ...base,
      node('node-c', { ready: 'Unknown' }),
      service('web'),
      pod('web-1'),
      pod('web-2', { node: 'node-c' }),
      pod('web-3', { node: 'node-b' }),
      slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-c' })] }),
      endpoints('web', {
        subsets: [{ addresses: [{ ip: '10.9.9.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
      }),
    ];
    const parity = await bothWays(objects, { named: 'each' });
    expectParity(parity);
    expect(parity.live.report.findings.length).toBeGreaterThan(0);
  });

  it('slices that point at pods the selector does not return: gone, relabelled, or of a selectorless Service', async () => {
    // notify lost its selector and its pods; the controllers' slice and Endpoints stay behind,
    // and the mirroring controller copies the Endpoints into a slice of its own.
    const gone = [pod('notify-1', { labels: { app: 'notify' } }), pod('notify-2', { labels: { app: 'notify' } })];
    const leftOver = withControllers([...base, service('notify', { selector: { app: 'notify' } }), ...gone]).filter(
      (o) => o.kind === 'EndpointSlice' || o.kind === 'Endpoints',
    );
    const objects = [
      ...withControllers([...base, service('web'), pod('web-1'), pod('web-2')]),
      service('notify', { selector: null }),
      ...leftOver,
      slice('notify', {
        name: 'notify-mirror',
        managedBy: 'endpointslicemirroring-controller.k8s.io',
        endpoints: [endpointOf('notify-1'), endpointOf('notify-2')],
      }),
      // api's slice still lists api-2, relabelled out of the Service since (same pod, same IP),
      // and api-3, deleted since.
      service('api', { selector: { app: 'api' } }),
      pod('api-1', { labels: { app: 'api' } }),
      pod('api-2', { labels: { app: 'api-debug' } }),
      slice('api', { endpoints: [endpointOf('api-1'), endpointOf('api-2'), endpointOf('api-3')] }),
      endpoints('api', {
        subsets: [
          {
            addresses: [addressOf('api-1'), addressOf('api-2'), addressOf('api-3')],
            ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          },
        ],
      }),
    ];
    const parity = await bothWays(objects, { named: 'each' });
    expectParity(parity);
    const stale = parity.live.report.findings.filter((f) => f.check === 'stale-endpoints');
    // The mirrored copy of notify's left-over Endpoints is folded into the one left-over finding.
    expect(stale.map((f) => f.service).sort()).toEqual(['api', 'notify']);
    expect(stale.find((f) => f.service === 'notify')?.message).toContain('notify-mirror');
    const api = stale.find((f) => f.service === 'api');
    expect(api?.pods?.map((p) => p.name)).toEqual(['api-3']);
  });

  it('agrees with --only and --fail-on too', async () => {
    const objects = withControllers([
      ...base,
      service('web'),
      pod('web-1'),
      pod('web-2', { waiting: 'ImagePullBackOff' }),
    ]);
    expectParity(await bothWays(objects, { args: ['--only', 'pods-not-ready', '--fail-on', 'warning'] }));
  });

  const shop = resolve(import.meta.dirname, '../examples/shop.yaml');
  it('examples/shop.yaml', async () => {
    // The server serves only the kinds the doctor reads; the snapshot side gets the same
    // objects, so that the file's other kinds (Deployments...) do not add a note of their own.
    const served = flattenObjects((await readSnapshotDocuments(shop)).map((d) => d.value)).filter((o) =>
      resourceOfKind(String(o.kind)),
    );
    const parity = await bothWays(served, { named: 'together' });
    // The one note only a file gives, where the diagnosed namespaces hold NetworkPolicies: it
    // cannot show the network plugin nor the other policy kinds, which the live run asks discovery.
    const fileOnly = /^a snapshot does not show which network plugin/;
    const withoutFileOnly = (run: Run) => {
      const notes = run.report.notes.filter((n) => !fileOnly.test(n));
      return { ...run, report: { ...run.report, notes } };
    };
    expect(parity.snapshot.report.notes.filter((n) => fileOnly.test(n))).toHaveLength(1);
    expectParity({
      live: parity.live,
      snapshot: withoutFileOnly(parity.snapshot),
      named: new Map(
        [...parity.named].map(([k, runs]) => [k, { live: runs.live, snapshot: withoutFileOnly(runs.snapshot) }]),
      ),
    });
    expect(parity.live.report.summary.services).toBeGreaterThan(0);
  });
});
