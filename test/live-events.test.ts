// Events read live: Warnings only, filtered by the API server (type=Warning) on every list and
// watch, in the namespace also when Services are named; forbidden, they leave a note and the
// diagnosis carries on without evidence.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterObject } from '../src/core/objects.js';
import { connect, fetchLive, liveCoverage, type Connection } from '../src/sources/live.js';
import { ClusterWatch } from '../src/sources/watch.js';
import { startTestServer, type TestServer } from './server/index.js';
import { withControllers } from './support/controller.js';
import { event, node, pod, service } from './support/objects.js';
import { eventually } from './support/watching.js';

const web1 = pod('web-1', { ready: false });
const probe503 = 'Readiness probe failed: HTTP probe failed with statuscode: 503';

describe('Events from a live cluster', { timeout: 60_000 }, () => {
  let server: TestServer;
  let conn: Connection;
  beforeAll(async () => {
    server = await startTestServer({
      objects: [
        ...withControllers([node('node-a'), service('web'), web1]),
        event(web1, 'Unhealthy', probe503),
        event(web1, 'Scheduled', 'Successfully assigned shop/web-1 to node-a', { type: 'Normal' }),
        event(pod('elsewhere-1', { ns: 'other' }), 'BackOff', 'not in scope'),
      ],
    });
    conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
  });
  afterAll(() => server?.close());

  const eventsOf = (objects: ClusterObject[]) => objects.flatMap((o) => (o.kind === 'Event' ? [o.reason] : []));

  it('reads only Warning events, the server filtering them, in the namespace whether Services are named or not', async () => {
    for (const serviceNames of [[], ['web']]) {
      server.requests.length = 0;
      const read = await fetchLive(conn, { namespace: 'shop', serviceNames });
      expect(eventsOf(read.objects), serviceNames.join()).toEqual(['Unhealthy']);
      const lists = server.requests.filter((r) => r.resource === 'events');
      expect(lists.map((r) => [r.path, r.query.get('fieldSelector')])).toEqual([
        ['/api/v1/namespaces/shop/events', 'type=Warning'],
      ]);
      expect(liveCoverage(read.missing)).toMatchObject({ events: true });
    }
  });

  it('forbidden: a note, no Events coverage, and the rest is read', async () => {
    server.faults.forbid({ resource: 'events' });
    try {
      const read = await fetchLive(conn, { namespace: 'shop', serviceNames: [] });
      expect(read.missing).toEqual({
        events:
          'Events could not be read (forbidden): findings carry no event evidence, and the checks that need them were skipped',
      });
      expect(liveCoverage(read.missing)).toMatchObject({ events: false, pods: true });
      expect(read.objects.some((o) => o.kind === 'Pod')).toBe(true);
    } finally {
      server.faults.clear();
    }
  });

  it('--watch follows Warning events with the same field selector', async () => {
    const watch = new ClusterWatch(
      conn,
      { namespace: 'shop' },
      { onChange: () => {}, debounceMs: 10, debug: () => {} },
    );
    try {
      server.requests.length = 0;
      await watch.start();
      expect(eventsOf(watch.objects())).toEqual(['Unhealthy']);
      const late = event(web1, 'BackOff', 'Back-off restarting failed container app');
      server.store.apply(late);
      server.store.apply(event(web1, 'Pulled', 'Successfully pulled image', { type: 'Normal' }));
      await eventually('the new Warning seen', () => eventsOf(watch.objects()).includes('BackOff'));
      expect(eventsOf(watch.objects()).sort()).toEqual(['BackOff', 'Unhealthy']);
      const watches = server.requests.filter((r) => r.resource === 'events' && r.verb === 'watch');
      expect(watches.length).toBeGreaterThan(0);
      for (const w of watches) expect(w.query.get('fieldSelector')).toBe('type=Warning');
    } finally {
      await watch.stop();
    }
  });
});
