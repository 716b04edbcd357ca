// fetchLive tells its objects as pages arrive, so that the model is built during the download
// (src/commands/scope.ts). The contract the model relies on: every object returned is told once,
// the Services are complete before servicesComplete, and a list that starts again (its continue
// token expired) says so, since what was told before is then stale.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterObject } from '../src/core/objects.js';
import { connect, fetchLive, type Connection, type FetchProgress } from '../src/sources/live.js';
import { startTestServer, type TestServer } from './server/index.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';

const PODS = 1200; // three pages of 500

/** What fetchLive told, in order. */
function recorder() {
  const told: ClusterObject[] = [];
  const events: string[] = [];
  const progress: FetchProgress = {
    objects: (objects) => {
      told.push(...objects);
      events.push(`objects ${objects.length}`);
    },
    servicesComplete: () => events.push(`servicesComplete after ${told.filter((o) => o.kind === 'Service').length}`),
    restarted: () => events.push('restarted'),
  };
  return { told, events, progress };
}

describe('fetchLive progress', () => {
  let server: TestServer;
  let conn: Connection;
  beforeAll(async () => {
    const pods = Array.from({ length: PODS }, (_, i) => pod(`web-${String(i).padStart(4, '0')}`));
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), service('api', { selector: { app: 'api' } }), ...pods]),
    });
    conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
  });
  afterAll(() => server?.close());
  afterEach(() => server.faults.clear());

  it('a namespace: every object returned is told once, pods page by page, the Services complete when said', async () => {
    const { told, events, progress } = recorder();
    const read = await fetchLive(conn, { namespace: 'shop', serviceNames: [] }, { progress });
    expect(new Set(told)).toEqual(new Set(read.objects));
    expect(told).toHaveLength(read.objects.length);
    expect(events).toContain('servicesComplete after 2');
    expect(events.filter((e) => e === 'objects 500')).toHaveLength(2);
    expect(events).not.toContain('restarted');
  });

  it('named Services: every object returned is told once', async () => {
    const { told, events, progress } = recorder();
    const read = await fetchLive(conn, { namespace: 'shop', serviceNames: ['web'] }, { progress });
    expect(read.objects.filter((o) => o.kind === 'Pod')).toHaveLength(PODS);
    expect(new Set(told)).toEqual(new Set(read.objects));
    expect(told).toHaveLength(read.objects.length);
    expect(events).not.toContain('restarted');
  });

  it('a continue token that expires mid-list: restarted is told, and the result holds each pod once', async () => {
    const { events, progress } = recorder();
    const requests = server.requests;
    let armed = false;
    requests.push = (...records) => {
      if (!armed && records.some((r) => r.resource === 'pods' && r.query.has('continue'))) {
        armed = true;
        server.faults.expireContinueTokens();
      }
      return Array.prototype.push.apply(requests, records);
    };
    try {
      const read = await fetchLive(conn, { namespace: 'shop', serviceNames: [] }, { progress });
      expect(events).toContain('restarted');
      const pods = read.objects.filter((o) => o.kind === 'Pod').map((o) => o.meta.name);
      expect(pods).toHaveLength(PODS);
      expect(new Set(pods).size).toBe(PODS);
    } finally {
      delete (requests as { push?: unknown }).push;
    }
  });
});
