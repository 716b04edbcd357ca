// Exec credential plugins in-process: when the plugin gets the terminal (interactiveMode), what
// KUBERNETES_EXEC_INFO tells it, how long its credential is kept (the clock injected), when it
// runs again after a 401, and the API client sending a refused request again once with renewed
// credentials. The CLI's runs of plugins are in test/live-kubeconfig.test.ts.

import * as https from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { ClusterError } from '../../src/core/errors.js';
import {
  ExecPlugin,
  isInteractive,
  type ExecConfig,
  type InteractiveMode,
  type StdinState,
} from '../../src/sources/exec-credential.js';
import {
  ApiClient,
  ApiStatusError,
  type CredentialRenewal,
  type RenewedCredentials,
  type WatchEvent,
} from '../../src/sources/kube-api.js';
import { requestOptionsFor, resolveKubeconfig } from '../../src/sources/kubeconfig.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { EXEC_V1, EXEC_V1BETA1, execCredential, recordingPlugin } from '../support/exec-plugin.js';
import { pod, service } from '../support/objects.js';

// The exec path does without @kubernetes/client-node (its import alone costs most of a second).
const clientNode = vi.hoisted(() => ({ loads: 0 }));
vi.mock('@kubernetes/client-node', () => {
  clientNode.loads++;
  return {};
});

const TERMINAL: StdinState = { isTerminal: true, unavailable: false };
const NO_TERMINAL: StdinState = { isTerminal: false, unavailable: false };
const TERMINAL_IN_USE: StdinState = { isTerminal: true, unavailable: true };

describe('isInteractive: whether the plugin gets our stdin (client-go isInteractive)', () => {
  it.each<[InteractiveMode, StdinState, boolean]>([
    ['Never', TERMINAL, false],
    ['Never', NO_TERMINAL, false],
    ['IfAvailable', TERMINAL, true],
    ['IfAvailable', NO_TERMINAL, false],
    ['IfAvailable', TERMINAL_IN_USE, false],
    ['Always', TERMINAL, true],
  ])('%s, stdin %o: %s', (mode, stdin, interactive) => {
    expect(isInteractive(mode, stdin, 'the exec plugin p')).toBe(interactive);
  });

  it.each([
    [NO_TERMINAL, 'standard input is not a terminal'],
    [TERMINAL_IN_USE, 'standard input is unavailable'],
  ])('Always without a terminal it may have is an error, in client-go words: %o', (stdin, words) => {
    const refused = () => isInteractive('Always', stdin, 'the exec plugin p');
    expect(refused).toThrow(ClusterError);
    expect(refused).toThrow(`exec plugin cannot support interactive mode: ${words}`);
    expect(refused).toThrow('the exec plugin p has interactiveMode Always');
  });
});

describe('ExecPlugin', () => {
  const execFor = (command: string, o: Partial<ExecConfig> = {}): ExecConfig => ({
    command,
    args: [],
    env: [],
    apiVersion: EXEC_V1,
    interactiveMode: 'Never',
    provideClusterInfo: false,
    ...o,
  });
  const EXPIRES = '2030-01-01T00:00:00Z';
  const expiresMs = Date.parse(EXPIRES);

  it('tells the plugin, in KUBERNETES_EXEC_INFO as kubectl writes it, whether it has the terminal', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 't' }, EXEC_V1BETA1));
    const exec = execFor(plugin.path, { apiVersion: EXEC_V1BETA1, interactiveMode: 'IfAvailable' });
    await new ExecPlugin(exec, { timeoutMs: 0, stdin: () => NO_TERMINAL }).credential();
    await new ExecPlugin(exec, { timeoutMs: 0, stdin: () => TERMINAL }).credential();
    expect(plugin.execInfo(1)).toBe(
      `{"kind":"ExecCredential","apiVersion":"${EXEC_V1BETA1}","spec":{"interactive":false}}\n`,
    );
    expect(plugin.execInfo(2)).toBe(
      `{"kind":"ExecCredential","apiVersion":"${EXEC_V1BETA1}","spec":{"interactive":true}}\n`,
    );
  });

  it('gives the cluster only with provideClusterInfo; the kubeconfig env cannot replace KUBERNETES_EXEC_INFO', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 't' }));
    const cluster = { server: 'https://k8s.example:6443', config: null };
    const env = [{ name: 'KUBERNETES_EXEC_INFO', value: 'from the kubeconfig' }];
    await new ExecPlugin(execFor(plugin.path, { env }), { cluster, timeoutMs: 0 }).credential();
    await new ExecPlugin(execFor(plugin.path, { provideClusterInfo: true }), { cluster, timeoutMs: 0 }).credential();
    expect(JSON.parse(plugin.execInfo(1))).toEqual({
      kind: 'ExecCredential',
      apiVersion: EXEC_V1,
      spec: { interactive: false },
    });
    expect(JSON.parse(plugin.execInfo(2))).toEqual({
      kind: 'ExecCredential',
      apiVersion: EXEC_V1,
      spec: { cluster, interactive: false },
    });
  });

  it('with interactiveMode Always and no terminal, the plugin does not run', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 't' }));
    const always = new ExecPlugin(execFor(plugin.path, { interactiveMode: 'Always' }), {
      timeoutMs: 0,
      stdin: () => NO_TERMINAL,
    });
    await expect(always.credential()).rejects.toThrow('standard input is not a terminal');
    expect(plugin.runs()).toBe(0);
  });

  it('keeps the credential until its expirationTimestamp has passed, then runs again', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 'first', expirationTimestamp: EXPIRES }), 1);
    plugin.answer(execCredential({ token: 'second', expirationTimestamp: EXPIRES }));
    let now = expiresMs - 60_000;
    const exec = new ExecPlugin(execFor(plugin.path), { timeoutMs: 0, now: () => now });

    const first = await exec.credential();
    expect(first.token).toBe('first');
    now = expiresMs; // client-go: expired only once the time is after it
    expect(await exec.credential()).toBe(first);
    expect(plugin.runs()).toBe(1);

    now = expiresMs + 1;
    expect((await exec.credential()).token).toBe('second');
    expect(plugin.runs()).toBe(2);
  });

  it('keeps a credential without expirationTimestamp for the run', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 'forever' }));
    let now = 0;
    const exec = new ExecPlugin(execFor(plugin.path), { timeoutMs: 0, now: () => now });
    const first = await exec.credential();
    now = expiresMs * 2;
    expect(await exec.credential()).toBe(first);
    expect(plugin.runs()).toBe(1);
  });

  it('runs once for requests that ask at the same time', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 't' }));
    const exec = new ExecPlugin(execFor(plugin.path), { timeoutMs: 0 });
    const credentials = await Promise.all([exec.credential(), exec.credential(), exec.credential()]);
    expect(new Set(credentials).size).toBe(1);
    expect(plugin.runs()).toBe(1);
  });

  it('after a 401 runs again once, however many requests were refused with the same credential', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: 'refused' }), 1);
    plugin.answer(execCredential({ token: 'accepted' }));
    const exec = new ExecPlugin(execFor(plugin.path), { timeoutMs: 0 });
    const refused = await exec.credential();
    const renewed = await Promise.all([exec.renew(refused), exec.renew(refused), exec.renew(refused)]);
    expect(renewed.map((c) => c.token)).toEqual(['accepted', 'accepted', 'accepted']);
    // A request still in flight with the old credential, refused later: renewed already.
    expect((await exec.renew(refused)).token).toBe('accepted');
    expect(await exec.credential()).toBe(renewed[0]);
    expect(plugin.runs()).toBe(2);
  });
});

describe('exec credentials on the API client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: [service('web'), pod('web-1')] });
  });
  afterAll(() => server?.close());

  /** A kubeconfig whose user runs `plugin`, the server's otherwise. */
  function kubeconfigRunning(pluginPath: string): string {
    const config = parse(server.kubeconfig) as Record<string, unknown>;
    config.users = [
      { name: 'test-token', user: { exec: { apiVersion: EXEC_V1, command: pluginPath, interactiveMode: 'Never' } } },
    ];
    const path = join(recordingPlugin().dir, 'config');
    writeFileSync(path, stringify(config));
    return path;
  }

  it('a credential whose expirationTimestamp has passed is asked for again before each request', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: server.token, expirationTimestamp: '2020-01-01T00:00:00Z' }));
    const options = await requestOptionsFor(resolveKubeconfig({ kubeconfig: kubeconfigRunning(plugin.path) }), {
      timeoutMs: 0,
    });
    expect(plugin.runs()).toBe(1);
    await options.renewal!.current();
    await options.renewal!.current();
    expect(plugin.runs()).toBe(3);
  });

  it('one that has not expired is the same for every request; client-node is not loaded', async () => {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: server.token, expirationTimestamp: '2100-01-01T00:00:00Z' }));
    const options = await requestOptionsFor(resolveKubeconfig({ kubeconfig: kubeconfigRunning(plugin.path) }), {
      timeoutMs: 0,
    });
    const first = await options.renewal!.current();
    expect(await options.renewal!.current()).toBe(first);
    expect(first.headers).toEqual({ Authorization: `Bearer ${server.token}` });
    expect(plugin.runs()).toBe(1);
    expect(clientNode.loads).toBe(0);
  });

  /** Renewal that sends `tokens` in turn: the first refused, each renewal moving to the next. */
  function renewalOver(tokens: string[]) {
    const agent = new https.Agent({ ca: server.caPem });
    const sent = tokens.map((token) => ({ agent, headers: { Authorization: `Bearer ${token}` } }));
    const seen = { renewals: 0 };
    const renewal: CredentialRenewal = {
      current: () => Promise.resolve(sent[Math.min(seen.renewals, sent.length - 1)]),
      afterUnauthorized: (refused: RenewedCredentials) => {
        if (refused === sent[seen.renewals] && seen.renewals < sent.length - 1) seen.renewals++;
        return Promise.resolve(true);
      },
    };
    return { renewal, seen };
  }
  const client = (renewal: CredentialRenewal) =>
    new ApiClient({
      server: server.url,
      requestOptions: { renewal },
      timeoutMs: 10_000,
      debug: () => {},
    });

  it('a GET refused with 401 is sent again once, with the renewed credentials', async () => {
    const { renewal, seen } = renewalOver(['wrong', server.token]);
    const response = await client(renewal).get('/api/v1/namespaces/shop/services');
    expect(response.status).toBe(200);
    expect(seen.renewals).toBe(1);

    const { renewal: stillWrong, seen: once } = renewalOver(['wrong', 'still-wrong', server.token]);
    await expect(client(stillWrong).get('/api/v1/namespaces/shop/services')).rejects.toMatchObject({ status: 401 });
    expect(once.renewals).toBe(1);
  });

  it('so is a watch', async () => {
    const { renewal, seen } = renewalOver(['wrong', server.token]);
    const events: WatchEvent[] = [];
    const abort = new AbortController();
    await client(renewal).watch(
      '/api/v1/namespaces/shop/services',
      { resourceVersion: '0', timeoutSeconds: '1' },
      (event) => {
        events.push(event);
        abort.abort();
      },
      abort.signal,
    );
    expect(seen.renewals).toBe(1);
    expect(events.map((e) => e.type)).toContain('ADDED');

    const { renewal: stillWrong, seen: once } = renewalOver(['wrong', 'still-wrong', server.token]);
    const watching = client(stillWrong).watch(
      '/api/v1/namespaces/shop/services',
      {},
      () => {},
      new AbortController().signal,
    );
    await expect(watching).rejects.toBeInstanceOf(ApiStatusError);
    await expect(watching).rejects.toMatchObject({ status: 401 });
    expect(once.renewals).toBe(1);
  });
});
