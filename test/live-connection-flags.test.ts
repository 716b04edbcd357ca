// kubectl's connection flags, the plugin next to the real kubectl: each combination run by both
// against the same test API server, and what the server saw compared (who authenticated, the
// Authorization and Impersonate-* headers), with the same success or failure. A plain-HTTP
// server records the raw header lines for the address without a scheme.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CERT_CONTEXT, CONTEXT, startTestServer, type RequestRecord, type TestServer } from './server/index.js';
import { runCliAsync } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';

const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlFound) console.warn('live-connection-flags tests skipped: no kubectl on PATH');

const TIMEOUT = 120_000;

interface Run {
  code: number;
  stderr: string;
}

function kubectl(args: string[], env: Record<string, string>, cacheDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--cache-dir', cacheDir, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), ...env },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** Who the server took a request to be from, and the headers that say so. */
function identity(record: RequestRecord): string {
  const said = Object.entries(record.headers)
    .filter(([name]) => name === 'authorization' || name.startsWith('impersonate-'))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify({ user: record.user ?? null, headers: Object.fromEntries(said) });
}

describe.skipIf(!kubectlFound)('the connection flags, next to kubectl', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let dir: string;
  /** Values the flags below name as $name. */
  let values: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), pod('web-1')]),
    });
    dir = mkdtempSync(join(tmpdir(), 'epd-flags-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text, { mode: 0o600 });
      return join(dir, name);
    };
    const config = parse(server.kubeconfig) as { users: unknown[]; contexts: unknown[]; 'current-context'?: string };
    config.users.push({
      name: 'acting',
      user: {
        token: server.token,
        as: 'carol',
        'as-groups': ['auditors', 'devs'],
        'as-uid': '42',
        'as-user-extra': { 'example.com/scopes': ['view', 'list'], reason: ['on call'] },
      },
    });
    // The server's kubeconfig names its cluster like its first context.
    config.contexts.push({ name: 'acting', context: { cluster: CONTEXT, user: 'acting' } });
    const { 'current-context': _current, ...withoutCurrent } = config;
    values = {
      url: server.url,
      localhost: server.url.replace('127.0.0.1', 'localhost'),
      token: server.token,
      ca: write('ca.crt', server.caPem),
      cert: write('client.crt', server.clientCert.certPem),
      key: write('client.key', server.clientCert.keyPem),
      config: write('config', stringify(config)),
      noCurrent: write('no-current', stringify(withoutCurrent)),
      empty: write('empty', ''),
    };
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  /** kubectl get services and the plugin, each with these flags: how each ended, and the identities the server saw. */
  async function both(flags: string[]) {
    const args = flags.map((f) => f.replace(/\$(\w+)/g, (_, name: string) => values[name]));
    const env = { KUBECONFIG: values.config };
    server.requests.length = 0;
    const reference = await kubectl(['get', 'services', '-n', 'shop', ...args], env, join(dir, 'cache'));
    const kubectlSaw = new Set(server.requests.map(identity));
    server.requests.length = 0;
    const plugin = await runCliAsync(['-n', 'shop', 'web', '-o', 'json', ...args], { env });
    const pluginSaw = new Set(server.requests.map(identity));
    return { kubectl: reference, plugin, kubectlSaw, pluginSaw };
  }

  const works: [string, string[]][] = [
    [
      '--as, --as-group twice (a comma in one) and --as-uid',
      ['--as', 'alice', '--as-group', 'a,b', '--as-group', 'c', '--as-uid', '7'],
    ],
    ["the kubeconfig's as, as-groups, as-uid and as-user-extra", ['--context', 'acting']],
    ["--as and --as-group over the kubeconfig's", ['--context', 'acting', '--as', 'bob', '--as-group', 'ops']],
    [
      '--server, --certificate-authority and --token with an empty kubeconfig',
      ['--kubeconfig', '$empty', '--server', '$url', '--certificate-authority', '$ca', '--token', '$token'],
    ],
    [
      '-s with the value attached',
      ['--kubeconfig', '$empty', '-s=$url', '--certificate-authority', '$ca', '--token', '$token'],
    ],
    ["--insecure-skip-tls-verify drops the kubeconfig's CA", ['--insecure-skip-tls-verify']],
    ['--tls-server-name that the certificate names', ['--tls-server-name', 'localhost']],
    ['--server by another name the certificate holds', ['--server', '$localhost']],
    ['--token next to the client certificate of the context', ['--context', CERT_CONTEXT, '--token', '$token']],
    [
      '--client-certificate and --client-key next to the token',
      ['--client-certificate', '$cert', '--client-key', '$key'],
    ],
    ['--user: another user of the kubeconfig', ['--user', 'test-cert']],
    [
      '--cluster and --user with no current context',
      ['--kubeconfig', '$noCurrent', '--cluster', 'test-server', '--user', 'test-token'],
    ],
  ];

  it.each(works)('%s: both connect, as the same user and with the same headers', async (_what, flags) => {
    const run = await both(flags);
    expect(run.kubectl.code, run.kubectl.stderr).toBe(0);
    expect(run.plugin.code, run.plugin.stderr).toBe(0);
    expect(run.pluginSaw.size).toBe(1);
    expect(run.pluginSaw).toEqual(run.kubectlSaw);
  });

  it("what both send for the kubeconfig's impersonation, spelled out", async () => {
    const run = await both(['--context', 'acting']);
    expect(JSON.parse([...run.pluginSaw][0])).toEqual({
      user: server.user,
      headers: {
        authorization: `Bearer ${server.token}`,
        'impersonate-user': 'carol',
        'impersonate-uid': '42',
        // Two header lines, which Node's server joins with ", ".
        'impersonate-group': 'auditors, devs',
        'impersonate-extra-example.com%2fscopes': 'view, list',
        'impersonate-extra-reason': 'on call',
      },
    });
  });

  const refusedBeforeAnyRequest: [string, string[], RegExp][] = [
    ['--as-group without --as', ['--as-group', 'devs'], /--as-group and --as-uid need --as/],
    ['--as-uid without --as', ['--as-uid', '7'], /--as-group and --as-uid need --as/],
    ['a --user the kubeconfig does not have', ['--user', 'nope'], /user "nope" \(--user\) does not exist/],
    ['a --cluster the kubeconfig does not have', ['--cluster', 'nope'], /cluster "nope" \(--cluster\) does not exist/],
    [
      '--insecure-skip-tls-verify with --certificate-authority',
      ['--insecure-skip-tls-verify', '--certificate-authority', '$ca'],
      /--insecure-skip-tls-verify cannot be used with --certificate-authority/,
    ],
    ['--client-certificate without a key', ['--client-certificate', '$cert'], /no client key/],
  ];

  it.each(refusedBeforeAnyRequest)('%s: both refuse it before any request (exit 2)', async (_what, flags, message) => {
    const run = await both(flags);
    expect(run.kubectl.code).not.toBe(0);
    expect(run.kubectlSaw.size).toBe(0);
    expect(run.plugin.code).toBe(2);
    expect(run.plugin.stderr).toMatch(message);
    expect(run.pluginSaw.size).toBe(0);
  });

  it('a --token the server refuses: both fail, having sent it (exit 3)', async () => {
    const run = await both(['--token', 'not-the-token']);
    expect(run.kubectl.code).not.toBe(0);
    expect(run.plugin.code).toBe(3);
    expect(run.plugin.stderr).not.toContain('not-the-token');
    expect(run.pluginSaw).toEqual(
      new Set([JSON.stringify({ user: null, headers: { authorization: 'Bearer not-the-token' } })]),
    );
    expect(run.pluginSaw).toEqual(run.kubectlSaw);
  });

  it('a --tls-server-name the certificate does not name: both refuse the server (exit 3)', async () => {
    const run = await both(['--tls-server-name', 'wrong.example']);
    expect(run.kubectl.code).not.toBe(0);
    expect(run.kubectl.stderr).toContain('wrong.example');
    expect(run.plugin.code).toBe(3);
    expect(run.plugin.stderr).toMatch(/^error: cannot reach .*the server's certificate does not name this host/);
    expect(run.kubectlSaw.size + run.pluginSaw.size).toBe(0);
  });
});

describe.skipIf(!kubectlFound)('a server address without a scheme, next to kubectl', { timeout: TIMEOUT }, () => {
  let plain: Server;
  let received: IncomingMessage[] = [];
  beforeAll(async () => {
    // Plain HTTP, answering 404 to everything: only what arrives matters here.
    plain = createServer((req, res) => {
      received.push(req);
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","apiVersion":"v1","code":404}');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

  /** The Authorization and Impersonate-* header lines of each request, as they arrived. */
  const lines = () =>
    new Set(
      received.map((req) =>
        JSON.stringify(
          req.rawHeaders
            .flatMap((value, i) => (i % 2 === 0 ? [] : [`${req.rawHeaders[i - 1].toLowerCase()}: ${value}`]))
            .filter((line) => line.startsWith('authorization') || line.startsWith('impersonate-'))
            .sort(),
        ),
      ),
    );

  it('is plain HTTP: impersonation goes, one line per group; the token does not', async () => {
    const address = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
    const flags = ['-s', address, '--token', 'secret-token', '--as', 'alice', '--as-group', 'a', '--as-group', 'b'];
    const env = { KUBECONFIG: join(mkdtempSync(join(tmpdir(), 'epd-flags-')), 'absent') };
    received = [];
    await kubectl(['get', 'services', ...flags], env, mkdtempSync(join(tmpdir(), 'epd-cache-')));
    const kubectlSent = lines();
    received = [];
    const run = await runCliAsync(['-n', 'shop', ...flags], { env });
    expect(run.code).toBe(3);
    expect(lines()).toEqual(
      new Set([JSON.stringify(['impersonate-group: a', 'impersonate-group: b', 'impersonate-user: alice'])]),
    );
    expect(lines()).toEqual(kubectlSent);
  });
});
