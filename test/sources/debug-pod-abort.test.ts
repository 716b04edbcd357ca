// withNodePod told to stop (NodePodOptions.abort): -i quitting while r's --connect pass from a
// node runs, which no signal announces. Whether it is waiting for the pod to start or for the work
// in it, the call rejects at once and the pod is deleted; aborted before it began, nothing is
// created. Against the test server, in process; every wait is on a condition.

import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringAt } from '../../src/core/json-value.js';
import { withNodePod, type NodePodUse } from '../../src/sources/node/debug-pod.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { resourceNamed } from '../server/store.js';
import { node } from '../support/objects.js';

const NAMESPACE = 'kube-system';
const use = (name: string): NodePodUse => ({
  name,
  creator: 'endpoints-doctor-test',
  deadlineSeconds: 60,
  container: { name: 'connect', image: 'busybox:1.36' },
  needs: 'the test needs create, get and delete on pods',
});

describe('withNodePod, aborted', () => {
  let server: TestServer;
  let kubeConfig: KubeConfig;
  /** Resolves when the pod named is created in the test server. */
  let createdPods: string[];
  let onCreate: (() => void) | undefined;

  beforeEach(async () => {
    server = await startTestServer({ objects: [node('node-a')] });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeconfig);
    createdPods = [];
    // No kubelet: pods stay Pending unless a test moves them along.
    server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || e.resource.plural !== 'pods') return;
      createdPods.push(stringAt(e.object, 'metadata', 'name') ?? '');
      onCreate?.();
    });
  });
  afterEach(async () => server.close());

  const podLeft = (name: string) => server.store.get(resourceNamed('pods')!, NAMESPACE, name) !== undefined;
  const options = (abort: AbortSignal) => ({
    kubeConfig,
    namespace: NAMESPACE,
    nodeName: 'node-a',
    debug: () => {},
    pollMs: 20,
    abort,
  });

  it('while the pod has not started: rejects with the reason, the pod deleted, the work never run', async () => {
    const quitting = new AbortController();
    onCreate = () => setImmediate(() => quitting.abort(new Error('the view was closed')));
    let worked = false;
    const name = 'endpoints-doctor-connect-node-a-aaaaa';
    await expect(
      withNodePod(options(quitting.signal), use(name), () => {
        worked = true;
        return Promise.resolve('answers');
      }),
    ).rejects.toThrow('the view was closed');
    expect(createdPods).toEqual([name]);
    expect(podLeft(name)).toBe(false);
    expect(worked).toBe(false);
  });

  it('while the work in the running pod is under way: rejects at once, the pod deleted', async () => {
    const quitting = new AbortController();
    const name = 'endpoints-doctor-connect-node-a-bbbbb';
    onCreate = () =>
      setImmediate(() => {
        const created = server.store.get(resourceNamed('pods')!, NAMESPACE, name)!;
        server.store.update({ ...created, status: { phase: 'Running' } });
      });
    let workStarted!: () => void;
    const started = new Promise<void>((resolve) => (workStarted = resolve));
    const call = withNodePod(options(quitting.signal), use(name), () => {
      workStarted();
      // Work that would never end by itself (an exec waiting on its deadline).
      return new Promise<string>(() => {});
    });
    await started;
    expect(podLeft(name)).toBe(true);
    quitting.abort(new Error('the view was closed'));
    await expect(call).rejects.toThrow('the view was closed');
    expect(podLeft(name)).toBe(false);
  });

  it('before it began: nothing is created', async () => {
    const quitting = new AbortController();
    quitting.abort(new Error('the view was closed'));
    await expect(
      withNodePod(options(quitting.signal), use('endpoints-doctor-connect-node-a-ccccc'), () =>
        Promise.resolve('answers'),
      ),
    ).rejects.toThrow('the view was closed');
    expect(createdPods).toEqual([]);
    expect(server.requests.filter((r) => r.resource === 'pods' && r.method === 'POST')).toEqual([]);
  });

  it('not aborted: the work answers and the pod is deleted, as without a signal', async () => {
    const name = 'endpoints-doctor-connect-node-a-ddddd';
    onCreate = () =>
      setImmediate(() => {
        const created = server.store.get(resourceNamed('pods')!, NAMESPACE, name)!;
        server.store.update({ ...created, status: { phase: 'Running' } });
      });
    await expect(
      withNodePod(options(new AbortController().signal), use(name), () => Promise.resolve('answers')),
    ).resolves.toBe('answers');
    expect(podLeft(name)).toBe(false);
  });
});
