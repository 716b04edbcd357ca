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
import { KINDS } from '../src/core/kinds.js';
import { BIN, parseReport, runCliAsync } from './support/cli.js';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy.js';
import { withControllers } from './support/controller.js';
import { EXEC_V1, EXEC_V1BETA1, execCredential, recordingPlugin, type RecordingPlugin } from './support/exec-plugin.js';
import { node, pod, service } from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
/** util-linux script(1): runs a command with a terminal on its stdin. */
const scriptFound = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

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
    const clusterScoped = KINDS.filter((k) => !k.namespaced).map((k) => k.resource);
    // Resource reads only: discovery (/apis) belongs to no namespace.
    const namespaced = server.requests.filter((r) => r.resource !== undefined && !clusterScoped.includes(r.resource));
    expect(new Set(namespaced.map((r) => r.namespace))).toEqual(new Set(['other']));
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
    // KUBERNETES_EXEC_INFO as kubectl sets it, keys in its order and a newline at the end.
    expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe(
      `{"kind":"ExecCredential","apiVersion":"${V1BETA1}","spec":{"interactive":false}}\n\nhello\n--cluster prod one\n`,
    );
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

  it("the plugin's stderr is ours; a plugin that fails: its exit code after what it said", async () => {
    const chatty = withPlugin({
      before: 'echo "opening the browser..." >&2',
      stdout: credential({ token: server.token }),
    });
    const ok = await doctor(['-n', 'shop'], { KUBECONFIG: chatty.kubeconfig });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('opening the browser...\n');

    const failing = withPlugin({ before: 'echo "token expired, run: cloud login" >&2; exit 4' });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: failing.kubeconfig });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'token expired, run: cloud login\n' +
        `error: cannot get credentials for context "test-server": the exec plugin ${failing.plugin} failed with exit code 4\n`,
    );
  });

  it("a plugin that is not installed: said on one line, with the kubeconfig's installHint", async () => {
    const missing = (exec: Record<string, unknown>) => {
      const c = structuredClone(config);
      c.users = [
        {
          name: 'test-token',
          user: { exec: { apiVersion: V1, command: 'no-such-credential-plugin', interactiveMode: 'Never', ...exec } },
        },
      ];
      return doctor(['-n', 'shop'], { KUBECONFIG: writeYaml(tempDir(), 'config', c) });
    };
    const hinted = await missing({ installHint: 'Install it with:\n\n  brew install no-such-credential-plugin\n' });
    expect(hinted.code).toBe(3);
    expect(hinted.stderr).toBe(
      'error: cannot get credentials for context "test-server": the exec plugin no-such-credential-plugin was not found on PATH; ' +
        'the kubeconfig says: Install it with: brew install no-such-credential-plugin\n',
    );
    const plain = await missing({});
    expect(plain.stderr).toBe(
      'error: cannot get credentials for context "test-server": the exec plugin no-such-credential-plugin was not found on PATH (is it installed?)\n',
    );
    const path = await missing({ command: '/no/such/credential-plugin' });
    expect(path.stderr).toContain('the exec plugin /no/such/credential-plugin was not found (is it installed?)');
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

/** The CLI with a terminal on stdin (and stdout), under script(1); its exit code and what it printed there. */
function doctorOnTerminal(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: tempDir(), NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end();
  });
}

/** The parts of the test server's kubeconfig that the exec tests rearrange. */
interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

/** KUBERNETES_EXEC_INFO as the plugin got it. */
interface ExecInfo {
  spec: { interactive: boolean; cluster?: Record<string, unknown> };
}

describe('exec plugins: the terminal, the cluster, the kubeconfig folder, renewal', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let config: KubeconfigDoc;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    config = parse(server.kubeconfig) as KubeconfigDoc;
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  /** A plugin that answers with the server's token, and a kubeconfig in its folder whose user runs it. */
  function pluginSetup(
    o: { exec?: Record<string, unknown>; user?: Record<string, unknown>; cluster?: Record<string, unknown> } = {},
  ) {
    const plugin = recordingPlugin();
    plugin.answer(execCredential({ token: server.token }));
    const c = structuredClone(config);
    if (o.cluster) c.clusters[0].cluster = { ...c.clusters[0].cluster, ...o.cluster };
    c.users = [
      {
        name: 'test-token',
        user: { exec: { apiVersion: EXEC_V1, command: plugin.path, interactiveMode: 'Never', ...o.exec }, ...o.user },
      },
    ];
    return { plugin, kubeconfig: writeYaml(plugin.dir, 'config', c) };
  }
  const info = (plugin: RecordingPlugin, run: number) => JSON.parse(plugin.execInfo(run)) as ExecInfo;

  it.skipIf(!scriptFound)(
    'interactiveMode on a terminal: IfAvailable and Always give the plugin stdin, Never does not',
    async () => {
      for (const [exec, interactive] of [
        [{ interactiveMode: 'IfAvailable' }, true],
        [{ interactiveMode: 'Always' }, true],
        [{ interactiveMode: 'Never' }, false],
        // v1beta1 defaults to IfAvailable, as client-go's kubeconfig defaulting does.
        [{ apiVersion: EXEC_V1BETA1, interactiveMode: undefined }, true],
      ] as const) {
        const { plugin, kubeconfig } = pluginSetup({ exec });
        if (exec.apiVersion) plugin.answer(execCredential({ token: server.token }, exec.apiVersion));
        const run = await doctorOnTerminal(['-n', 'shop', '-o', 'json'], { KUBECONFIG: kubeconfig });
        expect(run.code, run.output).toBe(0);
        expect(plugin.runs()).toBe(1);
        expect(info(plugin, 1).spec.interactive, JSON.stringify(exec)).toBe(interactive);
        expect(plugin.stdin(1)).toBe(interactive ? 'terminal' : 'none');
      }
    },
  );

  it('interactiveMode without a terminal: IfAvailable runs the plugin without stdin, Always refuses', async () => {
    const ifAvailable = pluginSetup({ exec: { interactiveMode: 'IfAvailable' } });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: ifAvailable.kubeconfig });
    expect(run.code).toBe(0);
    expect(info(ifAvailable.plugin, 1).spec.interactive).toBe(false);
    expect(ifAvailable.plugin.stdin(1)).toBe('none');

    const always = pluginSetup({ exec: { interactiveMode: 'Always' } });
    const refused = await doctor(['-n', 'shop'], { KUBECONFIG: always.kubeconfig });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      'error: cannot get credentials for context "test-server": exec plugin cannot support interactive mode: standard input is not a terminal ' +
        `(the exec plugin ${always.plugin.path} has interactiveMode Always: run it from a terminal)\n`,
    );
    expect(always.plugin.runs()).toBe(0);
  });

  it.skipIf(!scriptFound)('shell completion on a terminal does not give the plugin stdin', async () => {
    const { plugin, kubeconfig } = pluginSetup({ exec: { interactiveMode: 'IfAvailable' } });
    const run = await doctorOnTerminal(['__complete', '-n', 'shop', ''], { KUBECONFIG: kubeconfig });
    expect(run.output).toMatch(/^web\r?$/m);
    expect(info(plugin, 1).spec.interactive).toBe(false);
    expect(plugin.stdin(1)).toBe('none');
  });

  it('interactiveMode: required with apiVersion v1, and one of Never, IfAvailable, Always (exit 2)', async () => {
    const unset = await doctor(['-n', 'shop'], {
      KUBECONFIG: pluginSetup({ exec: { interactiveMode: undefined } }).kubeconfig,
    });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toBe(
      `error: the kubeconfig's user "test-token": exec needs an interactiveMode (Never, IfAvailable or Always) with apiVersion ${EXEC_V1}\n`,
    );
    const unknown = await doctor(['-n', 'shop'], {
      KUBECONFIG: pluginSetup({ exec: { interactiveMode: 'Sometimes' } }).kubeconfig,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `error: the kubeconfig's user "test-token": exec interactiveMode "Sometimes" is not one of Never, IfAvailable or Always\n`,
    );
  });

  it('provideClusterInfo: KUBERNETES_EXEC_INFO describes the cluster, byte for byte as kubectl does', async () => {
    const extension = { audience: 'endpoints-doctor', nested: { list: [1, 'two'] } };
    const { plugin, kubeconfig } = pluginSetup({
      exec: { provideClusterInfo: true },
      cluster: {
        'tls-server-name': '127.0.0.1',
        'disable-compression': true,
        extensions: [
          { name: 'client.authentication.k8s.io/exec', extension },
          { name: 'someone-else', extension: { x: 1 } },
        ],
      },
    });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(0);
    expect(info(plugin, 1)).toEqual({
      kind: 'ExecCredential',
      apiVersion: EXEC_V1,
      spec: {
        cluster: {
          server: server.url,
          'tls-server-name': '127.0.0.1',
          'certificate-authority-data': Buffer.from(server.caPem).toString('base64'),
          'disable-compression': true,
          config: extension,
        },
        interactive: false,
      },
    });
    if (!kubectlFound) return;
    await kubectl(['get', 'namespaces'], { KUBECONFIG: kubeconfig });
    expect(plugin.runs()).toBeGreaterThan(1);
    expect(plugin.execInfo(2)).toBe(plugin.execInfo(1));
  });

  it("a command with a path separator is relative to its kubeconfig's folder; a bare name is looked up on PATH", async () => {
    for (const command of ['bin/credential-plugin', './bin/credential-plugin']) {
      const { plugin, kubeconfig } = pluginSetup({ exec: { command } });
      const run = await doctor(['-n', 'other'], { KUBECONFIG: kubeconfig });
      expect(run.code, command).toBe(0);
      expect(serviceNames(run.report)).toEqual(['other/api']);
      expect(plugin.runs()).toBe(1);
      if (kubectlFound) {
        expect(await kubectl(['get', 'services', '-n', 'other', '-o', 'name'], { KUBECONFIG: kubeconfig })).toBe(
          'service/api\n',
        );
      }
    }
    // Beside the kubeconfig, but not on PATH: not found; on PATH: found.
    const { plugin } = pluginSetup();
    const c = structuredClone(config);
    c.users = [
      {
        name: 'test-token',
        user: { exec: { apiVersion: EXEC_V1, command: 'credential-plugin', interactiveMode: 'Never' } },
      },
    ];
    const besideIt = writeYaml(join(plugin.dir, 'bin'), 'config', c);
    const notOnPath = await doctor(['-n', 'other'], { KUBECONFIG: besideIt });
    expect(notOnPath.stderr).toContain('the exec plugin credential-plugin was not found on PATH');
    const onPath = await doctor(['-n', 'other'], {
      KUBECONFIG: besideIt,
      PATH: `${join(plugin.dir, 'bin')}:${process.env.PATH ?? ''}`,
    });
    expect(onPath.code).toBe(0);
    expect(plugin.runs()).toBe(1);
  });

  it('the credential is kept for the run: one plugin run for every read', async () => {
    const { plugin, kubeconfig } = pluginSetup();
    plugin.answer(execCredential({ token: server.token, expirationTimestamp: '2100-01-01T00:00:00Z' }));
    const run = await doctor(['-A'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(0);
    expect(server.requests.length).toBeGreaterThan(1);
    expect(plugin.runs()).toBe(1);
  });

  it('a token refused (401): the plugin runs again once, and the reads are sent again with its new token', async () => {
    const { plugin, kubeconfig } = pluginSetup();
    plugin.answer(execCredential({ token: 'sekret-revoked' }), 1);
    const run = await doctor(['-n', 'shop', '--as', 'carol'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(0);
    expect(serviceNames(run.report)).toEqual(['shop/web']);
    expect(plugin.runs()).toBe(2);
    const refused = server.requests.filter((r) => r.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(refused.length);
    // Sent again with the new token, the rest of each request as it was.
    for (const r of server.requests) {
      expect(r.headers['impersonate-user']).toBe('carol');
      expect(r.userAgent).toMatch(/^kubectl-endpoints_doctor\//);
      expect(r.headers.authorization).toBe(`Bearer ${r.status === 401 ? 'sekret-revoked' : server.token}`);
    }

    // Refused again: no third run; the 401 is the error.
    server.requests.length = 0;
    const stale = pluginSetup();
    stale.plugin.answer(execCredential({ token: 'sekret-revoked' }));
    const failed = await doctor(['-n', 'shop'], { KUBECONFIG: stale.kubeconfig });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/401/);
    expect(failed.stderr).not.toContain('sekret');
    expect(stale.plugin.runs()).toBe(2);
  });

  it('a user with a token of its own does not run its plugin (its token is sent), as in kubectl', async () => {
    const { plugin, kubeconfig } = pluginSetup({ user: { token: server.token } });
    const run = await doctor(['-n', 'shop'], { KUBECONFIG: kubeconfig });
    expect(run.code).toBe(0);
    expect(users()).toEqual(new Set([server.user]));
    if (kubectlFound) await kubectl(['get', 'namespaces'], { KUBECONFIG: kubeconfig });
    expect(plugin.runs()).toBe(0);
  });
  const users = () => new Set(server.requests.map((r) => r.user));
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
