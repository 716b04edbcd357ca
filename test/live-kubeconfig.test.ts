// Which cluster, user and namespace the live path uses: --kubeconfig, --context, KUBECONFIG
// with several files merged as kubectl merges them, the context's namespace, in-cluster
// service account credentials, and client certificates.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CERT_CONTEXT, CONTEXT, startTestServer, type TestServer } from './server/index.js';
import { runCliAsync } from './support/cli.js';
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
  return { ...run, report: run.code <= 1 && run.stdout ? JSON.parse(run.stdout) : undefined };
}

const serviceNames = (report: any) => report.services.map((s: any) => `${s.namespace}/${s.name}`);

describe('kubeconfig resolution', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  /** The server's kubeconfig as an object, to rearrange per test. */
  let config: any;
  let broken: string;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    config = parse(server.kubeconfig);
    broken = await closedUrl();
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  const users = () => new Set(server.requests.map((r) => r.user));

  /** The server's kubeconfig plus a context on a dead cluster (current) and one in namespace other. */
  function severalContexts(): any {
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
    expect(ok.report.summary.services).toBe(3);
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

  it('an exec credential plugin supplies the token (the one case that loads client-node)', async () => {
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
    first.contexts = first.contexts.map((c: any) =>
      c.name === CERT_CONTEXT ? { ...c, context: { ...c.context, namespace: 'other' } } : c,
    );
    // The second: the same names (and more) pointing at a dead cluster with another token.
    const second = structuredClone(severalContexts());
    second.clusters = second.clusters.map((c: any) => ({ ...c, cluster: { ...c.cluster, server: broken } }));
    second.users = second.users.map((u: any) => (u.user.token ? { ...u, user: { token: 'second-file-token' } } : u));
    second['current-context'] = CONTEXT;
    const KUBECONFIG = [writeYaml(dir, 'first', first), writeYaml(dir, 'second', second)].join(':');
    if (kubectlFound) {
      const minified = JSON.parse(await kubectl(['config', 'view', '--minify', '-o', 'json'], { KUBECONFIG }));
      expect(minified['current-context']).toBe(CERT_CONTEXT);
      expect(minified.clusters[0].cluster.server).toBe(server.url);
      expect(minified.contexts[0].context.namespace).toBe('other');
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
