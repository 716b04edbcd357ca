// Which cluster, user and namespace the live path uses: --kubeconfig, --context, KUBECONFIG
// with several files merged as kubectl merges them, the context's namespace, in-cluster
// service account credentials, and client certificates.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CERT_CONTEXT, CONTEXT, startTestServer, type TestServer } from './server/index.js';
import { stringAt } from '../src/core/json-value.js';
import type { Report } from '../src/report/report.js';
import { parseReport, runCliAsync } from './support/cli.js';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const objects = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  service('api', { ns: 'other', selector: { app: 'api' } }),
  pod('api-1', { ns: 'other', labels: { app: 'api' } }),
  service('home', { ns: 'default', selector: { app: 'home' } }),
  pod('home-1', { ns: 'default', labels: { app: 'home' } }),
]);

/** An https URL nothing listens on. */
async function closedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `https://127.0.0.1:${port}`;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'epd-kubeconfig-'));
}

function writeYaml(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(value), { mode: 0o600 });
  return path;
}

/**
 * kubectl as the reference for kubeconfig merging, run asynchronously: a kubectl that picks
 * its version by the server's (gcloud's dispatcher does) asks the in-process server first.
 */
function kubectl(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
}

async function doctor(args: string[], env: Record<string, string> = {}) {
  const run = await runCliAsync(['-o', 'json', ...args], { env });
  expect(run.stderr).not.toMatch(NO_STACK);
  return { ...run, report: run.code <= 1 && run.stdout ? parseReport(run.stdout) : undefined };
}

const serviceNames = (report: Report | undefined) => report?.services.map((s) => `${s.namespace}/${s.name}`);

/** A kubeconfig, typed as far as the tests rearrange it; the rest of each entry is left open. */
interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context': string;
  [field: string]: unknown;
}

/** The kubeconfig the test server wrote (test/server/certs.ts), as an object to rearrange per test. */
const kubeconfigOf = (server: TestServer) => parse(server.kubeconfig) as Kubeconfig;

describe('kubeconfig resolution', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let config: Kubeconfig;
  let broken: string;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    config = kubeconfigOf(server);
    broken = await closedUrl();
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  const users = () => new Set(server.requests.map((r) => r.user));

  /** The server's kubeconfig plus a context on a dead cluster (current) and one in namespace other. */
  function severalContexts(): Kubeconfig {
    const c = structuredClone(config);
    c.clusters.push({
      name: 'dead',
      cluster: { server: broken, 'certificate-authority-data': c.clusters[0].cluster['certificate-authority-data'] },
    });
    c.contexts.push({ name: 'dead', context: { cluster: 'dead', user: 'test-token' } });
    c.contexts.push({ name: 'in-other', context: { cluster: CONTEXT, user: 'test-token', namespace: 'other' } });
    c['current-context'] = 'dead';
    return c;
  }

  it('--context picks a context of a kubeconfig with several', async () => {
    const file = writeYaml(tempDir(), 'config', severalContexts());
    const ok = await doctor(['--kubeconfig', file, '--context', CONTEXT, '-A']);
    expect(ok.code).toBe(0);
    expect(ok.report?.summary.services).toBe(3);
    expect(users()).toEqual(new Set([server.user]));

    // Without --context the current one (on a dead cluster) is used.
    const dead = await doctor(['--kubeconfig', file, '-A']);
    expect(dead.code).toBe(3);
    expect(dead.stderr).toContain(broken);
    expect(dead.stderr.trim().split('\n')).toHaveLength(1);

    const missing = await doctor(['--kubeconfig', file, '--context', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: context "nope" does not exist in the kubeconfig (see kubectl config get-contexts)\n',
    );
  });

  it("the context's namespace is the default one", async () => {
    const file = writeYaml(tempDir(), 'config', severalContexts());
    const run = await doctor(['--kubeconfig', file, '--context', 'in-other']);
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['other/api']);
    expect(new Set(server.requests.filter((r) => r.resource !== 'nodes').map((r) => r.namespace))).toEqual(
      new Set(['other']),
    );
  });

  it('the client certificate context authenticates with the certificate', async () => {
    const run = await doctor(['--kubeconfig', server.kubeconfigPath, '--context', CERT_CONTEXT, '-n', 'shop', 'web']);
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['shop/web']);
    expect(users()).toEqual(new Set(['test-admin']));
  });

  it('file references are read relative to their kubeconfig: certificate-authority and tokenFile', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.crt'), server.caPem);
    writeFileSync(join(dir, 'token'), `${server.token}\n`);
    const file = writeYaml(dir, 'config', {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': 'ca.crt' } }],
      users: [{ name: 'u', user: { tokenFile: 'token' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'other' } }],
      'current-context': 'x',
    });
    const run = await doctor([], { KUBECONFIG: file });
    expect(run.stderr).toBe('');
    expect(serviceNames(run.report)).toEqual(['other/api']);
    expect(users()).toEqual(new Set([server.user]));
  });

  it('an exec credential plugin supplies the token', async () => {
    const dir = tempDir();
    const plugin = join(dir, 'credential-plugin');
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: server.token },
    };
    writeFileSync(plugin, `#!/bin/sh\necho '${JSON.stringify(credential)}'\n`, { mode: 0o755 });
    const c = structuredClone(config);
    c.users = [
      {
        name: 'test-token',
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } },
      },
    ];
    const run = await doctor(['-n', 'other'], { KUBECONFIG: writeYaml(dir, 'config', c) });
    expect(run.stderr).toBe('');
    expect(serviceNames(run.report)).toEqual(['other/api']);
    expect(users()).toEqual(new Set([server.user]));
  });

  it('--kubeconfig wins over KUBECONFIG', async () => {
    const dead = writeYaml(tempDir(), 'dead', { ...severalContexts(), 'current-context': 'dead' });
    const run = await doctor(['--kubeconfig', server.kubeconfigPath, '-n', 'shop'], { KUBECONFIG: dead });
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['shop/web']);
  });

  it('a --kubeconfig that does not exist is a usage error', async () => {
    const run = await doctor(['--kubeconfig', join(tempDir(), 'nothing-here')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --kubeconfig .*nothing-here: no such file\n$/);
  });

  it('KUBECONFIG with two files: contexts in one, current-context in the other', async () => {
    const dir = tempDir();
    const { 'current-context': _current, ...entries } = config;
    const contexts = writeYaml(dir, 'contexts', entries);
    const current = writeYaml(dir, 'current', { apiVersion: 'v1', kind: 'Config', 'current-context': CERT_CONTEXT });
    // kubectl skips the files of the list that do not exist.
    const KUBECONFIG = [join(dir, 'absent'), contexts, current].join(':');
    if (kubectlFound) {
      expect((await kubectl(['config', 'current-context'], { KUBECONFIG })).trim()).toBe(CERT_CONTEXT);
    }
    const run = await doctor(['-n', 'shop'], { KUBECONFIG });
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['shop/web']);
    expect(users()).toEqual(new Set(['test-admin']));
  });

  it('KUBECONFIG: the first file to set a context, cluster or user wins, as in kubectl', async () => {
    const dir = tempDir();
    // The first file: the cert context current, in namespace other.
    const first = structuredClone(config);
    first['current-context'] = CERT_CONTEXT;
    first.contexts = first.contexts.map((c) =>
      c.name === CERT_CONTEXT ? { ...c, context: { ...c.context, namespace: 'other' } } : c,
    );
    // The second: the same names (and more) pointing at a dead cluster with another token.
    const second = structuredClone(severalContexts());
    second.clusters = second.clusters.map((c) => ({ ...c, cluster: { ...c.cluster, server: broken } }));
    second.users = second.users.map((u) => (u.user.token ? { ...u, user: { token: 'second-file-token' } } : u));
    second['current-context'] = CONTEXT;
    const KUBECONFIG = [writeYaml(dir, 'first', first), writeYaml(dir, 'second', second)].join(':');
    if (kubectlFound) {
      const minified: unknown = JSON.parse(await kubectl(['config', 'view', '--minify', '-o', 'json'], { KUBECONFIG }));
      expect(stringAt(minified, 'current-context')).toBe(CERT_CONTEXT);
      expect(stringAt(minified, 'clusters', 0, 'cluster', 'server')).toBe(server.url);
      expect(stringAt(minified, 'contexts', 0, 'context', 'namespace')).toBe('other');
    }
    const run = await doctor([], { KUBECONFIG });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['other/api']);
    expect(users()).toEqual(new Set(['test-admin']));

    // A context only the second file has still resolves against the first file's cluster and user.
    server.requests.length = 0;
    const other = await doctor(['--context', 'in-other'], { KUBECONFIG });
    expect(other.code).toBe(0);
    expect(serviceNames(other.report)).toEqual(['other/api']);
    expect(users()).toEqual(new Set([server.user]));
  });

  it('no kubeconfig anywhere and not in a cluster: a usage error that says what to do', async () => {
    const run = await doctor([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: no kubeconfig found .*--snapshot FILE\n$/);
  });

  it('in a cluster: the service account token, CA and namespace', async () => {
    const root = tempDir();
    const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'token'), server.token);
    writeFileSync(join(dir, 'ca.crt'), server.caPem);
    writeFileSync(join(dir, 'namespace'), 'other');
    const port = new URL(server.url).port;
    const env = {
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: port,
      ENDPOINTS_DOCTOR_SERVICEACCOUNT_ROOT: root,
    };
    const run = await doctor([], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['other/api']);
    expect(users()).toEqual(new Set([server.user]));

    // A wrong token is refused like any other.
    writeFileSync(join(dir, 'token'), 'not-the-token');
    const refused = await doctor([], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/401/);
    expect(refused.stderr).not.toContain('not-the-token');
  });
});

describe('exec credential plugins, run as client-go runs them', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let config: Kubeconfig;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    config = kubeconfigOf(server);
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  const V1 = 'client.authentication.k8s.io/v1';
  const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

  /** A plugin that prints `stdout` (after running `before`, a shell line) and a kubeconfig whose user runs it. */
  function withPlugin(o: { stdout?: string; before?: string; exec?: Record<string, unknown> }) {
    const dir = tempDir();
    const plugin = join(dir, 'credential-plugin');
    const printed = o.stdout === undefined ? '' : `cat <<'JSON'\n${o.stdout}\nJSON\n`;
    writeFileSync(plugin, `#!/bin/sh\n${o.before ?? ''}\n${printed}`, { mode: 0o755 });
    const c = structuredClone(config);
    c.users = [
      { name: 'test-token', user: { exec: { apiVersion: V1, command: plugin, interactiveMode: 'Never', ...o.exec } } },
    ];
    return { dir, plugin, kubeconfig: writeYaml(dir, 'config', c) };
  }
  const credential = (status: Record<string, string>, apiVersion = V1) =>
    JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

  it('runs the command with its args and env, and tells it the apiVersion in KUBERNETES_EXEC_INFO', async () => {
    const { dir, kubeconfig } = withPlugin({
      before: 'printf "%s\\n" "$KUBERNETES_EXEC_INFO" "$GREETING" "$*" > "$(dirname "$0")/seen"',
      stdout: credential({ token: server.token }, V1BETA1),
      exec: { apiVersion: V1BETA1, args: ['--cluster', 'prod one'], env: [{ name: 'GREETING', value: 'hello' }] },
    });
    const run = await doctor(['-n', 'other'], { KUBECONFIG: kubeconfig });
    expect(run.stderr).toBe('');
    expect(serviceNames(run.report)).toEqual(['other/api']);
    const [execInfo, greeting, args] = readFileSync(join(dir, 'seen'), 'utf8').split('\n');
    expect(JSON.parse(execInfo)).toEqual({
      apiVersion: V1BETA1,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    expect(greeting).toBe('hello');
    expect(args).toBe('--cluster prod one');
  });

  it('a client certificate and key from the plugin authenticate', async () => {
    const { kubeconfig } = withPlugin({
      stdout: credential({ clientCertificateData: server.clientCert.certPem, clientKeyData: server.clientCert.keyPem }),
    });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: kubeconfig });
    expect(run.stderr).toBe('');
    expect(serviceNames(run.report)).toEqual(['shop/web']);
    expect(new Set(server.requests.map((r) => r.user))).toEqual(new Set(['test-admin']));
  });

  // client-go's checks of the answer (k8s.io/client-go/plugin/pkg/client/auth/exec, refreshCredsLocked),
  // with its messages; nothing the plugin printed is repeated.
  it.each([
    [
      'an ExecCredential of another apiVersion than the kubeconfig asked for',
      credential({ token: 'sekret-token-1' }, V1BETA1),
      `exec plugin is configured to use API version ${V1}, plugin returned version ${V1BETA1}`,
    ],
    ['invalid JSON', 'token: sekret-token-1', 'printed invalid JSON (an ExecCredential was expected)'],
    ['JSON cut short', '{"apiVersion": "x", "status": {"token": "sekret-token-1"', 'printed invalid JSON'],
    [
      'no status',
      JSON.stringify({ apiVersion: V1, kind: 'ExecCredential' }),
      "exec plugin didn't return a status field",
    ],
    ['neither token nor certificate', credential({}), "exec plugin didn't return a token or cert/key pair"],
    [
      'a certificate without its key',
      credential({ clientCertificateData: 'sekret-cert-1' }),
      'exec plugin returned only certificate or key, not both',
    ],
  ])('refuses %s: exit 3, one line', async (_case, stdout, message) => {
    const { plugin, kubeconfig } = withPlugin({ stdout });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: cannot get credentials for context "test-server": [^\n]+\n$/);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(plugin);
    expect(run.stderr).not.toContain('sekret');
    expect(server.requests).toEqual([]);
  });

  it('a plugin that fails: its exit code and first line of stderr; one that is missing: said', async () => {
    const failing = withPlugin({ before: 'echo "token expired, run: cloud login" >&2; exit 4' });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: failing.kubeconfig });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `error: cannot get credentials for context "test-server": the exec plugin ${failing.plugin} failed with exit code 4: token expired, run: cloud login\n`,
    );
    const c = structuredClone(config);
    c.users = [{ name: 'test-token', user: { exec: { apiVersion: V1, command: 'no-such-credential-plugin' } } }];
    const missing = await doctor(['-n', 'shop'], { KUBECONFIG: writeYaml(tempDir(), 'config', c) });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('the exec plugin no-such-credential-plugin was not found');
  });

  it('a plugin that hangs is stopped after --request-timeout', async () => {
    const { kubeconfig } = withPlugin({ before: 'exec sleep 600' });
    const run = await runCliAsync(['-n', 'shop', '--request-timeout', '1s'], {
      env: { KUBECONFIG: kubeconfig },
      timeoutMs: 30_000,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^error: cannot get credentials for context "test-server": the exec plugin \S+ did not finish within 1s \(--request-timeout\)\n$/,
    );
  });

  it('an exec apiVersion client-go no longer accepts is a kubeconfig error (exit 2)', async () => {
    const { kubeconfig } = withPlugin({
      stdout: credential({ token: server.token }),
      exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1' },
    });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: the kubeconfig's user "test-token": exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1" (use ${V1} or ${V1BETA1})\n`,
    );
  });

  it('--debug shows requests, never the credential', async () => {
    const { kubeconfig } = withPlugin({ stdout: credential({ token: server.token }) });
    const run = await doctor(['-n', 'shop', '--debug'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^debug: GET /m);
    expect(run.stderr).not.toContain(server.token);
  });
});

describe('proxies, server names and URLs in messages', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let config: Kubeconfig;
  let proxy: ConnectProxy;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    config = kubeconfigOf(server);
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });
  afterEach(() => {
    server.requests.length = 0;
    proxy.tunnels.length = 0;
    proxy.refuse = undefined;
  });

  function kubeconfigWith(cluster: Record<string, unknown>, user?: Record<string, unknown>): string {
    const c = structuredClone(config);
    c.clusters[0].cluster = { ...c.clusters[0].cluster, ...cluster };
    if (user) c.users[0].user = user;
    return writeYaml(tempDir(), 'config', c);
  }
  const withCredentials = (url: string) => url.replace('//', '//proxy-user:sekret-proxy-pass@');

  it('proxy-url: requests tunnel through the proxy, with the kubeconfig credentials (also a tokenFile)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), server.token);
    const file = kubeconfigWith({ 'proxy-url': withCredentials(proxy.url) }, { tokenFile: join(dir, 'token') });
    const run = await doctor(['--kubeconfig', file, '-n', 'shop']);
    expect(run.stderr).toBe('');
    expect(serviceNames(run.report)).toEqual(['shop/web']);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(server.url).host]));
    expect(new Set(server.requests.map((r) => r.user))).toEqual(new Set([server.user]));
  });

  it('a proxy that is down or refuses the tunnel: the error names the proxy, without its password', async () => {
    const down = kubeconfigWith({ 'proxy-url': withCredentials(await closedUrl()).replace('https:', 'http:') });
    const refused = await doctor(['--kubeconfig', down, '-n', 'shop']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /^error: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ through the proxy http:\/\/127\.0\.0\.1:\d+ \(the proxy: connection refused\)/,
    );
    expect(refused.stderr).not.toContain('sekret');

    proxy.refuse = 403;
    const denying = kubeconfigWith({ 'proxy-url': withCredentials(proxy.url) });
    const denied = await doctor(['--kubeconfig', denying, '-n', 'shop']);
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain(`through the proxy ${proxy.url} (the proxy answered CONNECT with HTTP 403)`);
    expect(denied.stderr).not.toContain('sekret');
  });

  it('a server URL with a user and password is shown without them, in errors and --debug lines', async () => {
    const dead = withCredentials(await closedUrl());
    // --debug adds the underlying error's stack.
    const run = await runCliAsync(['--kubeconfig', kubeconfigWith({ server: dead }), '-n', 'shop', '--debug']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `cannot reach the Kubernetes API at ${dead.replace(/\/\/.*@/, '//')} (connection refused)`,
    );
    expect(run.stderr).not.toContain('sekret');

    // Reached, but the token is refused: the 401 message names the server too.
    const rejected = await runCliAsync([
      '--kubeconfig',
      kubeconfigWith({ server: withCredentials(server.url) }, { token: 'not-the-token' }),
      '-n',
      'shop',
      '--debug',
    ]);
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toContain(`the API server at ${server.url} rejected the credentials`);
    expect(rejected.stderr).not.toMatch(/sekret|not-the-token/);
  });

  // An IP address is no TLS server name (RFC 6066 section 3): Node warns (DEP0123) when given one.
  it('tls-server-name an IP address: checked against the certificate, no deprecation warning', async () => {
    const byIp = kubeconfigWith({ 'tls-server-name': '127.0.0.1' });
    const ok = await doctor(['--kubeconfig', byIp, '-n', 'shop']);
    expect(ok.stderr).toBe('');
    expect(serviceNames(ok.report)).toEqual(['shop/web']);
    // The test server's certificate names 127.0.0.1, ::1 and localhost, not 10.9.9.9.
    const wrongIp = await doctor(['--kubeconfig', kubeconfigWith({ 'tls-server-name': '10.9.9.9' }), '-n', 'shop']);
    expect(wrongIp.code).toBe(3);
    expect(wrongIp.stderr).toContain("the server's certificate does not name this host");
    const byName = await doctor(['--kubeconfig', kubeconfigWith({ 'tls-server-name': 'localhost' }), '-n', 'shop']);
    expect(byName.stderr).toBe('');
    expect(byName.code).toBe(0);
  });
});
