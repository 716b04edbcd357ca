// `wait` as a process against the test API server: it exits 0 when a pod becomes ready while
// it watches, 1 at the timeout with the diagnosis, 2 on a bad --for, 3 when the server is down.

import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server/index.js';
import { runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';
import { applyWithControllers, eventually } from './support/watching.js';

const TIMEOUT = 120_000;

describe('wait', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeEach(async () => {
    await server?.close();
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), pod('web-1', { ready: false }), pod('web-2')]),
    });
  });
  afterAll(() => server?.close());

  const wait = (...args: string[]) =>
    runCliAsync(['wait', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', ...args], { timeoutMs: TIMEOUT });

  it('exits 0 as soon as a pod becomes ready while it watches', async () => {
    const run = wait('svc/web', '--for', 'all-ready', '--timeout', '100s');
    // Change the pod only once the wait watches pods: the change must come through the watch.
    await eventually('the pod watch', () => server.requests.some((r) => r.verb === 'watch' && r.resource === 'pods'));
    expect(server.requests.filter((r) => r.resource === 'pods' && r.verb === 'list')).toHaveLength(1);
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    const result = await run;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('svc/web: 2/2 pods are ready endpoints\n');
    // Watched, not polled: the pods were listed once.
    expect(server.requests.filter((r) => r.resource === 'pods' && r.verb === 'list')).toHaveLength(1);
  });

  it('exits 0 at once when the condition already holds, saying how many are ready and how many were wanted', async () => {
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    const result = await wait('web', '--for', 'ready=1', '--timeout', '0');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('svc/web: 2 ready endpoints (wanted ≥ 1)\n');
  });

  it('a --port the Service does not have is a usage error at once, not a wait until the timeout', async () => {
    // Were it waited for, the run would outlive the test's own timeout and be killed (code -1).
    const result = await wait('svc/web', '--port', 'grpc', '--timeout', '1h');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: svc/web in namespace "shop": the Service has no port named "grpc" (its ports: http)\n',
    );
  });

  it("a --request-timeout of bare seconds is kubectl's, and accepted", async () => {
    const result = await wait('svc/web', '--request-timeout', '20', '--timeout', '0');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('svc/web: 1 ready endpoint (wanted ≥ 1)\n');
  });

  it('exits 1 at the timeout, with the diagnosis of that Service and a line saying why', async () => {
    const result = await wait('svc/web', '--for', 'all-ready', '--timeout', '2s');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^NAMESPACE\s+NAME\s+TYPE\s+ENDPOINTS\s+STATUS\s+FINDINGS\nshop\s+web\s+ClusterIP\s+1\/2/,
    );
    expect(result.stdout).toMatch(/pods-not-ready/);
    expect(result.stdout).toMatch(/web-1: /);
    expect(result.stdout).toMatch(/fix: /);
    expect(result.stderr).toBe(
      'timed out after 2s waiting for svc/web (all-ready): 1/2 pods are ready endpoints; waiting for web-1\n',
    );
  });

  it('waits for a Service that does not exist yet, and says so at the timeout', async () => {
    const result = await wait('svc/later', '--timeout', '1s');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'timed out after 1s waiting for svc/later (ready=1): service "later" does not exist in namespace "shop"\n',
    );
  });

  it.each([
    [['--for', 'ready=0'], 'error: --for "ready=0" is not ready=N (N ≥ 1) or all-ready\n'],
    [['--for', 'condition=Ready'], 'error: --for "condition=Ready" is not ready=N (N ≥ 1) or all-ready\n'],
    [['--timeout', 'soon'], 'error: --timeout "soon" is not a duration: e.g. 30s, 2m, 1h30m; 0 checks once\n'],
    // kubectl wait's --timeout is a Go duration: time.ParseDuration refuses a number without its unit.
    [['--timeout', '30'], 'error: --timeout "30" needs a unit (30s, 30m...): e.g. 30s, 2m, 1h30m; 0 checks once\n'],
    [['--timeout', '1.5'], 'error: --timeout "1.5" needs a unit (1.5s, 1.5m...): e.g. 30s, 2m, 1h30m; 0 checks once\n'],
    [
      ['--request-timeout', '-5'],
      'error: --request-timeout "-5" is not a duration (seconds, or a number with a unit: 30s, 1m; 0 waits forever)\n',
    ],
  ])('exits 2 on %j', async (args, message) => {
    const result = await wait('svc/web', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
  });

  it('exits 2 without a Service, or with a resource that is not one', async () => {
    expect((await runCliAsync(['wait', '--for', 'ready=1'])).code).toBe(2);
    const pods = await wait('pod/web-1');
    expect(pods.code).toBe(2);
    expect(pods.stderr).toBe('error: "pod/web-1" is not a Service: use NAME or svc/NAME\n');
  });

  it('exits 3 when the API server cannot be reached', async () => {
    const kubeconfig = writeTemp('kubeconfig', server.kubeconfig);
    await server.close();
    const result = await runCliAsync(['wait', '--kubeconfig', kubeconfig, '-n', 'shop', 'svc/web'], {
      timeoutMs: TIMEOUT,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: cannot reach the Kubernetes API at .* \(connection refused\)/);
  });
});
