// @kubernetes/client-node against the test server: paged lists, watches that see the
// changes a test makes, exec, and both ways of authenticating.

import { Readable, PassThrough } from 'node:stream';
import { CoreV1Api, DiscoveryV1Api, Exec, KubeConfig, Watch, type V1Status } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { valueAt } from '../src/core/json-value.js';
import { CERT_CONTEXT, startTestServer, type TestServer } from './server/index.js';
import { requiredList, requiredString } from './support/required-fields.js';
import { endpointOf, node, pod, service, slice } from './support/objects.js';

const objects = [
  service('web'),
  ...['web-1', 'web-2', 'web-3', 'web-4', 'web-5'].map((n) => pod(n)),
  pod('api-1', { ns: 'other', labels: { app: 'api' } }),
  slice('web', { endpoints: [endpointOf('web-1')] }),
  node('node-a'),
];

function kubeConfig(server: TestServer, kubeconfig = server.kubeconfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc;
}

interface WatchEvent {
  type: string;
  object: unknown;
}

/** Watch events as a queue the test awaits one by one. Its functions are handed to Watch as callbacks. */
function eventQueue() {
  const events: WatchEvent[] = [];
  const waiters: Array<() => void> = [];
  return {
    push: (type: string, object: unknown) => {
      events.push({ type, object });
      waiters.shift()?.();
    },
    next: async (): Promise<WatchEvent> => {
      while (events.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return events.shift()!;
    },
  };
}

function text(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    stream.on('data', (d) => (out += d));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

describe('client-node against the test server', () => {
  let server: TestServer;
  let core: CoreV1Api;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    core = kubeConfig(server).makeApiClient(CoreV1Api);
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.faults.clear();
    server.setExecHandler(undefined);
    server.requests.length = 0;
  });

  it('lists pods page by page with limit and continue', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 2, _continue: token });
      names.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      if (pages === 0) expect(page.metadata?.remainingItemCount).toBe(4);
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(['other/api-1', 'shop/web-1', 'shop/web-2', 'shop/web-3', 'shop/web-4', 'shop/web-5']);
  });

  it('lists namespaced, with selectors, and gets by name', async () => {
    const web = await core.listNamespacedPod({
      namespace: 'shop',
      labelSelector: 'app=web',
      fieldSelector: 'metadata.name!=web-1',
    });
    expect(web.kind).toBe('PodList');
    expect(web.items.map((p) => p.metadata?.name)).toEqual(['web-2', 'web-3', 'web-4', 'web-5']);
    const one = await core.readNamespacedPod({ namespace: 'shop', name: 'web-3' });
    expect(one.metadata?.uid).toBe('uid-web-3');
    const slices = await kubeConfig(server).makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces();
    expect(slices.items.map((s) => s.metadata?.name)).toEqual(['web-abcde']);
    await expect(core.readNamespacedService({ namespace: 'shop', name: 'nope' })).rejects.toMatchObject({ code: 404 });
  });

  it('watch receives ADDED, MODIFIED and DELETED for changes the test makes', async () => {
    const list = await core.listNamespacedPod({ namespace: 'shop' });
    const queue = eventQueue();
    const controller = await new Watch(kubeConfig(server)).watch(
      '/api/v1/namespaces/shop/pods',
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'app=web' },
      (type, object) => queue.push(type, object),
      () => {},
    );
    try {
      server.store.create(pod('api-2', { ns: 'other' })); // another namespace: not this watch's business
      const added = server.store.create(pod('web-9'));
      let event = await queue.next();
      expect(event.type).toBe('ADDED');
      expect(event.object).toMatchObject({
        kind: 'Pod',
        metadata: { name: 'web-9', resourceVersion: requiredString(added, 'metadata', 'resourceVersion') },
      });

      server.store.update(pod('web-9', { ready: false }));
      event = await queue.next();
      expect(event.type).toBe('MODIFIED');
      const ready = requiredList(event.object, 'status', 'conditions').find((c) => valueAt(c, 'type') === 'Ready');
      expect(valueAt(ready, 'status')).toBe('False');

      server.store.update(pod('web-9', { labels: { app: 'other' } })); // leaves the selection
      expect((await queue.next()).type).toBe('DELETED');
      server.store.delete(pod('web-2'));
      event = await queue.next();
      expect(event).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'web-2' } } });
    } finally {
      controller.abort();
      server.store.delete(pod('web-9'));
      server.store.delete(pod('api-2', { ns: 'other' }));
      server.store.create(pod('web-2'));
    }
  });

  it('a watch from a compacted resourceVersion gets a 410 Expired ERROR event', async () => {
    const before = server.store.resourceVersion;
    server.store.create(pod('web-7'));
    server.store.compact();
    const queue = eventQueue();
    const done = new Promise((resolve, reject) => {
      new Watch(kubeConfig(server))
        .watch('/api/v1/pods', { resourceVersion: String(before) }, queue.push, resolve)
        .catch(reject);
    });
    const event = await queue.next();
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(valueAt(event.object, 'message')).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    await done;
    server.store.delete(pod('web-7'));
  });

  it('watch gets BOOKMARK events only when it allows them', async () => {
    const queue = eventQueue();
    const rv = String(server.store.resourceVersion);
    const watch = new Watch(kubeConfig(server));
    const plain = await watch.watch('/api/v1/nodes', { resourceVersion: rv }, queue.push, () => {});
    const withBookmarks = await watch.watch(
      '/api/v1/nodes',
      { resourceVersion: rv, allowWatchBookmarks: true },
      queue.push,
      () => {},
    );
    try {
      server.store.bookmark();
      server.store.create(node('node-z'));
      // Two connections: their events may interleave either way.
      const events = [await queue.next(), await queue.next(), await queue.next()];
      expect(events.map((e) => e.type).sort()).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
      expect(events.find((e) => e.type === 'BOOKMARK')?.object).toEqual({
        kind: 'Node',
        apiVersion: 'v1',
        metadata: { resourceVersion: rv },
      });
    } finally {
      plain.abort();
      withBookmarks.abort();
      server.store.delete(node('node-z'));
    }
  });

  it('exec runs the handler and reports success or the exit code', async () => {
    server.setExecHandler(async ({ command, stdin, stdout, stderr }) => {
      let input = '';
      for await (const chunk of stdin) input += String(chunk);
      stdout.write(`${command.join(' ')}: ${input}`);
      stderr.write('to stderr');
      return command[0] === 'fail' ? 2 : 0;
    });
    const exec = new Exec(kubeConfig(server));
    const run = async (command: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const outputs = Promise.all([text(stdout), text(stderr)]);
      const status = await new Promise<V1Status>((resolve, reject) => {
        exec
          .exec('shop', 'web-1', 'app', command, stdout, stderr, Readable.from(['ping']), false, resolve)
          .catch(reject);
      });
      return { status, outputs: await outputs };
    };

    const ok = await run(['cat']);
    expect(ok.status).toMatchObject({ status: 'Success' });
    expect(ok.outputs).toEqual(['cat: ping', 'to stderr']);

    const failed = await run(['fail', 'now']);
    expect(failed.status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
    expect(failed.outputs[0]).toBe('fail now: ping');
  });

  it('authenticates with the client certificate context', async () => {
    const kc = kubeConfig(server);
    kc.setCurrentContext(CERT_CONTEXT);
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-a']);
    expect(server.requests.at(-1)).toMatchObject({ resource: 'nodes', user: 'test-admin', status: 200 });
  });

  it('refuses a wrong bearer token with 401', async () => {
    const kc = kubeConfig(server, server.kubeconfig.replace(server.token, 'not-the-token'));
    await expect(kc.makeApiClient(CoreV1Api).listNode()).rejects.toMatchObject({ code: 401 });
  });
});
