// The watch source against the test API server: it lists, then follows changes made while it
// watches, lists again after 410 Gone, and backs off and recovers from failing watches.

import { afterEach, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/cluster.js';
import { viewService } from '../../src/model/service-view.js';
import { connect } from '../../src/sources/live.js';
import { ClusterWatch, type WatchOptions } from '../../src/sources/watch.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { withControllers } from '../support/controller.js';
import { node, pod, service } from '../support/objects.js';
import { applyWithControllers, eventually } from '../support/watching.js';

const objects = () => withControllers([node('node-a'), service('web'), pod('web-1', { ready: false })]);

let server: TestServer | undefined;
let watch: ClusterWatch | undefined;
afterEach(async () => {
  await watch?.stop();
  await server?.close();
  watch = server = undefined;
});

async function startWatching(options: Partial<WatchOptions> = {}) {
  server ??= await startTestServer({ objects: objects() });
  const conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
  const seen = { changes: 0, troubles: [] as (string | undefined)[] };
  watch = new ClusterWatch(
    conn,
    { namespace: 'shop' },
    {
      onChange: () => seen.changes++,
      onTrouble: (t) => seen.troubles.push(t),
      debounceMs: 10,
      backoffMs: { initial: 20, max: 100 },
      debug: () => {},
      ...options,
    },
  );
  await watch.start();
  return seen;
}

function readyEndpoints(w: ClusterWatch): number {
  const model = buildModel(w.objects(), w.coverage());
  const web = model.services.find((s) => s.meta.name === 'web')!;
  return viewService(model, web).counts.ready;
}

const requests = (verb: string, resource: string) =>
  server!.requests.filter((r) => r.verb === verb && r.resource === resource).length;

describe('ClusterWatch', () => {
  it('lists each kind once, then follows a pod becoming ready and a pod being deleted', async () => {
    const seen = await startWatching();
    expect(readyEndpoints(watch!)).toBe(0);
    expect(watch!.objects().map((o) => `${o.kind} ${o.meta.name}`)).toContain('Pod web-1');

    applyWithControllers(server!, [pod('web-1', { ready: true })]);
    await eventually('web-1 ready', () => readyEndpoints(watch!) === 1);
    await eventually('the change announced', () => seen.changes > 0);

    applyWithControllers(server!, []);
    server!.store.delete({ kind: 'Pod', metadata: { namespace: 'shop', name: 'web-1' } });
    await eventually('web-1 gone', () => !watch!.objects().some((o) => o.kind === 'Pod'));
    for (const resource of ['services', 'endpointslices', 'pods', 'endpoints', 'nodes'])
      expect(requests('list', resource), resource).toBe(1);
  });

  it('lists again after 410 Gone mid-watch (history compacted), and keeps following', async () => {
    // Watches renewed every second, so that the pod watch resumes from a compacted version.
    await startWatching({ watchSeconds: 1 });
    server!.store.apply(service('other', { selector: { app: 'other' } }));
    server!.store.compact();
    await eventually('pods listed again', () => requests('list', 'pods') >= 2);
    applyWithControllers(server!, [pod('web-1', { ready: true })]);
    await eventually('web-1 ready after the re-list', () => readyEndpoints(watch!) === 1);
    expect(watch!.objects().some((o) => o.kind === 'Service' && o.meta.name === 'other')).toBe(true);
  });

  it('moves on with bookmarks: a renewed watch resumes from the bookmark, past a compaction, without listing again', async () => {
    const debug: string[] = [];
    await startWatching({ watchSeconds: 1, debug: (line) => debug.push(line) });
    server!.store.apply(service('other', { selector: { app: 'other' } }));
    const latest = server!.store.resourceVersion;
    // Bookmarks go to the watches open at that moment: send them until the pod watch has one.
    await eventually('the pod watch to take a bookmark', () => {
      server!.store.bookmark();
      return debug.includes(`watch Pod: bookmark at resourceVersion ${latest}`);
    });
    const watchesBefore = requests('watch', 'pods');
    server!.store.compact();
    await eventually('the pod watch renewed twice', () => requests('watch', 'pods') >= watchesBefore + 2);
    expect(requests('list', 'pods')).toBe(1);
  });

  it('backs off while watches fail, says so, and says when they recover', async () => {
    server = await startTestServer({ objects: objects() });
    server.faults.fail({ resource: 'pods', verb: 'watch', times: 3 });
    const seen = await startWatching();
    await eventually('a trouble report', () => seen.troubles.some((t) => t !== undefined));
    expect(seen.troubles.find(Boolean)).toMatch(/failed to watch pods in namespace "shop": 500.*retrying in/);
    await eventually('the fourth pod watch', () => requests('watch', 'pods') >= 4);
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    await eventually('web-1 ready', () => readyEndpoints(watch!) === 1);
    expect(seen.troubles.at(-1)).toBeUndefined();
  });

  it('fails at the start as a one-shot run would: a refused required list is a cluster error', async () => {
    server = await startTestServer({ objects: objects() });
    server.faults.forbid({ resource: 'pods', verb: 'list' });
    await expect(startWatching()).rejects.toThrow(/forbidden: cannot list pods in namespace "shop"/);
  });

  it('goes on without optional kinds the server refuses, with the same notes', async () => {
    server = await startTestServer({ objects: objects() });
    server.faults.forbid({ resource: 'nodes' });
    await startWatching();
    expect(watch!.coverage().nodes).toBe(false);
    expect(watch!.missing.nodes).toMatch(/Nodes could not be read \(forbidden\)/);
    expect(requests('watch', 'nodes')).toBe(0);
  });
});
