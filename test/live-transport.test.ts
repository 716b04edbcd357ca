// The connection as kubectl makes it, compared with kubectl itself where it is installed: the
// proxy from the environment (HTTPS_PROXY, NO_PROXY) or the kubeconfig's proxy-url, HTTP CONNECT
// and SOCKS5, an auth-provider's token through a proxy, the User-Agent, and gzip. The server is
// given a name only the logging proxies resolve (kube-api.proxied.test): a request that does not
// go through the proxy fails, so the proxy's log says which way each client went.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestServer, type RequestRecord, type TestServer } from './server/index.js';
import { parseReport, runCliAsync, type CliResult } from './support/cli.js';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';
import { startSocksProxy, type SocksProxy } from './support/socks-proxy.js';

const TIMEOUT = 120_000;
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const NO_STACK = /\n\s+at /;

/**
 * The server's name, reachable through the proxies only (a .test name, RFC 2606). No test puts
 * the server at an address other than 127.0.0.1: a client that went direct by mistake would
 * send traffic there. NO_PROXY's CIDRs are tested without requests (test/sources/proxy.test.ts).
 */
const PROXIED_NAME = 'kube-api.proxied.test';

/** A JWT that expires in 2100: an oidc auth-provider's id-token, used as long as it has not expired. */
const ID_TOKEN = [
  Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url'),
  Buffer.from(JSON.stringify({ iss: 'https://issuer.example', sub: 'someone', exp: 4102444800 })).toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

// Pods with long labels: their list is over the API server's 128 KiB gzip threshold.
const objects = withControllers([
  node('node-a'),
  service('web'),
  ...Array.from({ length: 150 }, (_, i) => pod(`web-${i}`, { labels: { app: 'web', note: 'x'.repeat(1000) } })),
]);

const tempDir = () => mkdtempSync(join(tmpdir(), 'epd-transport-'));

/** kubectl with only the environment given (as the doctor runs), its discovery cached per run. */
function kubectl(kubeconfig: string, env: Record<string, string>): Promise<CliResult> {
  const home = tempDir();
  const args = [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(home, 'cache'),
    'get',
    'pods',
    '-n',
    'shop',
    '-o',
    'name',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env: { PATH: process.env.PATH ?? '', HOME: home, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The parts of the test server's kubeconfig the tests change. */
interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

const fromDoctor = (r: RequestRecord) => r.userAgent?.startsWith('kubectl-endpoints_doctor/') === true;
const fromKubectl = (r: RequestRecord) => r.userAgent?.startsWith('kubectl/') === true;
/** The "(OS/ARCH)" of a User-Agent. */
const platformOf = (userAgent: string | undefined) => /\(([^)]*)\)/.exec(userAgent ?? '')?.[1];

describe('connecting as kubectl connects', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let config: Kubeconfig;
  let port: string;
  let proxy: ConnectProxy;
  let otherProxy: ConnectProxy;
  let socks: SocksProxy;
  beforeAll(async () => {
    server = await startTestServer({ objects, token: ID_TOKEN });
    config = parse(server.kubeconfig) as Kubeconfig;
    port = new URL(server.url).port;
    const hosts = { [PROXIED_NAME]: '127.0.0.1' };
    proxy = await startConnectProxy({ hosts });
    otherProxy = await startConnectProxy({ hosts });
    socks = await startSocksProxy({ hosts });
  });
  afterAll(async () => {
    await Promise.all([proxy?.close(), otherProxy?.close(), socks?.close()]);
    await server?.close();
  });
  afterEach(() => {
    server.requests.length = 0;
    for (const p of [proxy, otherProxy]) p.tunnels.length = 0;
    socks.destinations.length = 0;
  });

  /** The test server's kubeconfig with the cluster's fields changed (the server a name only the proxies know). */
  function kubeconfigWith(cluster: Record<string, unknown> = {}, user?: Record<string, unknown>): string {
    const c = structuredClone(config);
    c.clusters[0].cluster = {
      ...c.clusters[0].cluster,
      server: `https://${PROXIED_NAME}:${port}`,
      // The certificate names localhost and 127.0.0.1.
      'tls-server-name': 'localhost',
      ...cluster,
    };
    if (user) c.users[0].user = user;
    const path = join(tempDir(), 'config');
    writeFileSync(path, stringify(c), { mode: 0o600 });
    return path;
  }

  async function doctor(kubeconfig: string, env: Record<string, string>, ...args: string[]) {
    const run = await runCliAsync(['--kubeconfig', kubeconfig, '-n', 'shop', '-o', 'json', ...args], { env });
    expect(run.stderr).not.toMatch(NO_STACK);
    return run;
  }
  /** The web Service's ready endpoints: one per Pod read. */
  const readyEndpoints = (run: CliResult) =>
    run.code === 0 ? parseReport(run.stdout).services[0]?.endpoints?.ready : undefined;

  it('HTTPS_PROXY: both tunnel to the server through it, with the same kind of User-Agent and gzip', async () => {
    const kubeconfig = kubeconfigWith();
    const env = { HTTPS_PROXY: proxy.url };
    const run = await doctor(kubeconfig, env, '--debug');
    expect(run.code).toBe(0);
    expect(readyEndpoints(run)).toBe(150);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${PROXIED_NAME}:${port}`]));
    expect(run.stderr).toContain(`debug: requests go through the proxy ${proxy.url} from HTTPS_PROXY`);
    // The Pods arrived gzipped and were decoded.
    expect(run.stderr).toMatch(/GET \/api\/v1\/namespaces\/shop\/pods\?\S* → 200 \(\d+ ms, \d+ bytes, \d+ gzipped\)/);
    const ours = server.requests.filter(fromDoctor);
    expect(ours.length).toBe(server.requests.length);
    expect(new Set(ours.map((r) => r.headers['accept-encoding']))).toEqual(new Set(['gzip']));
    if (!kubectlFound) return;

    proxy.tunnels.length = 0;
    server.requests.length = 0;
    const reference = await kubectl(kubeconfig, env);
    expect(reference.stderr).toBe('');
    expect(reference.stdout.trim().split('\n')).toHaveLength(150);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${PROXIED_NAME}:${port}`]));
    const theirs = server.requests.filter(fromKubectl);
    expect(theirs.map((r) => r.path)).toContain('/api/v1/namespaces/shop/pods');
    expect(new Set(theirs.map((r) => r.headers['accept-encoding']))).toEqual(new Set(['gzip']));
    // kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd; ours names the same OS and architecture.
    expect(theirs[0].userAgent).toMatch(/^kubectl\/v\S+ \(\S+\/\S+\) kubernetes\/\w+$/);
    expect(platformOf(ours[0].userAgent)).toBe(platformOf(theirs[0].userAgent));
  });

  it('a proxy from the environment that is down: the error names it and the variable, not its password', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await doctor(kubeconfigWith(), { HTTPS_PROXY: `http://someone:sekret@127.0.0.1:${closedPort}` });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `cannot reach the Kubernetes API at https://${PROXIED_NAME}:${port} through the proxy http://127.0.0.1:${closedPort} from HTTPS_PROXY (the proxy: connection refused)`,
    );
    expect(run.stderr).not.toContain('sekret');
  });

  it('NO_PROXY: a parent domain takes the server off the proxy, an entry for another port does not', async () => {
    /** The proxy's tunnels for the doctor's run and kubectl's (the doctor's again without kubectl), lower-case variables set. */
    const tunnelsWith = async (kubeconfig: string, noProxy: string) => {
      const env = { https_proxy: proxy.url, no_proxy: noProxy };
      proxy.tunnels.length = 0;
      const run = await doctor(kubeconfig, env);
      const ours = [...new Set(proxy.tunnels)];
      proxy.tunnels.length = 0;
      if (kubectlFound) await kubectl(kubeconfig, env);
      return { run, ours, kubectls: kubectlFound ? [...new Set(proxy.tunnels)] : ours };
    };
    const byName = kubeconfigWith();

    const otherPort = await tunnelsWith(byName, `${PROXIED_NAME}:1, localhost`);
    expect(otherPort.run.code).toBe(0);
    expect(otherPort.ours).toEqual([`${PROXIED_NAME}:${port}`]);
    expect(otherPort.kubectls).toEqual(otherPort.ours);

    // "proxied.test" takes its subdomains off the proxy too (curl's rules would not): the
    // direct connection finds no such host, for kubectl as for the doctor.
    const parent = await tunnelsWith(byName, 'proxied.test');
    expect(parent.ours).toEqual([]);
    expect(parent.kubectls).toEqual([]);
    expect(parent.run.code).toBe(3);
    expect(parent.run.stderr).toContain(
      `cannot reach the Kubernetes API at https://${PROXIED_NAME}:${port} (host not found)`,
    );
  });

  it('a loopback server is never proxied: both go direct; only kubectl asks for gzip there', async () => {
    const env = { HTTPS_PROXY: proxy.url };
    const run = await doctor(server.kubeconfigPath, env);
    expect(run.code).toBe(0);
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests.filter(fromDoctor).map((r) => r.headers['accept-encoding'])).not.toContain('gzip');
    if (!kubectlFound) return;
    const reference = await kubectl(server.kubeconfigPath, env);
    expect(reference.code).toBe(0);
    expect(proxy.tunnels).toEqual([]);
    expect(new Set(server.requests.filter(fromKubectl).map((r) => r.headers['accept-encoding']))).toEqual(
      new Set(['gzip']),
    );
  });

  it("the kubeconfig's proxy-url wins over the environment, NO_PROXY included", async () => {
    const kubeconfig = kubeconfigWith({ 'proxy-url': proxy.url });
    const env = { HTTPS_PROXY: otherProxy.url, NO_PROXY: '*' };
    const run = await doctor(kubeconfig, env);
    expect(run.code).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(otherProxy.tunnels).toEqual([]);
    if (!kubectlFound) return;
    proxy.tunnels.length = 0;
    const reference = await kubectl(kubeconfig, env);
    expect(reference.code).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(otherProxy.tunnels).toEqual([]);
  });

  it('disable-compression: neither asks for gzip', async () => {
    const kubeconfig = kubeconfigWith({ 'proxy-url': proxy.url, 'disable-compression': true });
    const run = await doctor(kubeconfig, {});
    expect(run.code).toBe(0);
    const sent = (from: (r: RequestRecord) => boolean) =>
      server.requests.filter(from).map((r) => r.headers['accept-encoding'] ?? 'none');
    expect(new Set(sent(fromDoctor))).toEqual(new Set(['none']));
    if (!kubectlFound) return;
    const reference = await kubectl(kubeconfig, {});
    expect(reference.code).toBe(0);
    expect(new Set(sent(fromKubectl))).toEqual(new Set(['none']));
  });

  it('a SOCKS5 proxy-url is handed the server name to resolve, as kubectl hands it', async () => {
    const kubeconfig = kubeconfigWith({ 'proxy-url': socks.url });
    const run = await doctor(kubeconfig, {});
    expect(run.code).toBe(0);
    expect(readyEndpoints(run)).toBe(150);
    expect(new Set(socks.destinations.map((d) => `${d.kind} ${d.target}`))).toEqual(
      new Set([`name ${PROXIED_NAME}:${port}`]),
    );
    if (!kubectlFound) return;
    socks.destinations.length = 0;
    const reference = await kubectl(kubeconfig, {});
    expect(reference.code).toBe(0);
    expect(new Set(socks.destinations.map((d) => `${d.kind} ${d.target}`))).toEqual(
      new Set([`name ${PROXIED_NAME}:${port}`]),
    );
  });

  it("an oidc auth-provider's token travels through the proxy like any other credential", async () => {
    const oidc = {
      name: 'oidc',
      config: { 'idp-issuer-url': 'https://issuer.example', 'client-id': 'k', 'id-token': ID_TOKEN },
    };
    const kubeconfig = kubeconfigWith({ 'proxy-url': proxy.url }, { 'auth-provider': oidc });
    const run = await doctor(kubeconfig, {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(server.requests.filter(fromDoctor).map((r) => r.user))).toEqual(new Set([server.user]));
    if (!kubectlFound) return;
    const reference = await kubectl(kubeconfig, {});
    expect(reference.code).toBe(0);
    expect(new Set(server.requests.filter(fromKubectl).map((r) => r.headers.authorization))).toEqual(
      new Set([`Bearer ${ID_TOKEN}`]),
    );
  });
});
