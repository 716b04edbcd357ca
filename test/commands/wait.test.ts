// `wait` run in this process against the test API server: met at once (exit 0), timed out with
// the diagnosis (exit 1), and a usage error (exit 2), each on streams in memory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitCommand, type WaitFlags } from '../../src/commands/wait.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { withControllers } from '../support/controller.js';
import { node, pod, service } from '../support/objects.js';
import { runInProcess } from '../support/streams.js';

const flags = (given: Partial<WaitFlags> = {}): WaitFlags => ({
  for: 'ready=1',
  timeout: '30s',
  requestTimeout: '30s',
  ...given,
});

describe('wait in process', { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), pod('web-1'), pod('web-2', { ready: false })]),
    });
  });
  afterAll(() => server.close());

  const connection = () => ({ kubeconfig: server.kubeconfigPath, namespace: 'shop' });

  it('a condition that holds: one line on stdout, exit 0', async () => {
    const result = await runInProcess(waitCommand, ['svc/web'], flags({ ...connection(), timeout: '0' }));
    expect(result).toEqual({ code: 0, stdout: 'svc/web: 1 ready endpoint (wanted ≥ 1)\n', stderr: '' });
  });

  it('a condition that does not hold by the timeout: the diagnosis on stdout, why on stderr, exit 1', async () => {
    const result = await runInProcess(waitCommand, ['web'], flags({ ...connection(), for: 'all-ready', timeout: '0' }));
    expect(result.stdout).toMatch(/^shop\s+web\s+ClusterIP\s+1\/2\s+WARNING\s+pods-not-ready/m);
    expect(result.stderr).toBe(
      'timed out after 0 waiting for svc/web (all-ready): 1/2 pods are ready endpoints; waiting for web-2\n',
    );
    expect(result.code).toBe(1);
  });

  it('a usage error: one line on stderr, exit 2, before the cluster is asked anything', async () => {
    const requests = server.requests.length;
    const result = await runInProcess(waitCommand, ['web'], flags({ ...connection(), for: 'ready=0' }));
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --for "ready=0" is not ready=N (N ≥ 1) or all-ready\n',
    });
    expect(server.requests.length).toBe(requests);
  });
});
