// kubectl's connection flags in this process: how they parse (pflag's spellings), how they lay
// over the kubeconfig (client-go's clientcmd precedence and refusals), and that every command
// that reads the cluster sends what they say. test/live-connection-flags.test.ts compares the
// same flags with the real kubectl's requests.

import { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { kubectlArgs } from '../../src/argv.js';
import { addConfigFlags, kubeconfigOptions, type ClusterFlags } from '../../src/commands/config-flags.js';
import { diagnoseCommand, treeCommand } from '../../src/commands/diagnose.js';
import type { DiagnoseFlags } from '../../src/commands/diagnose-options.js';
import { probeCommand } from '../../src/commands/probe.js';
import type { ProbeFlags } from '../../src/commands/probe-options.js';
import { snapshotCommand } from '../../src/commands/snapshot.js';
import { waitCommand } from '../../src/commands/wait.js';
import { stringAt } from '../../src/core/json-value.js';
import { resolveKubeconfig } from '../../src/sources/kubeconfig.js';
import { impersonationHeaders } from '../../src/sources/kubeconfig-overrides.js';
import { CONTEXT, startTestServer, type TestServer } from '../server/index.js';
import { parseReport } from '../support/cli.js';
import { withControllers } from '../support/controller.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { endpointOf, node, pod, service, slice } from '../support/objects.js';
import { runInProcess } from '../support/streams.js';
import { applyWithControllers, eventually } from '../support/watching.js';

/** The connection flags as commander gives them for these words, typed as a kubectl user types them. */
function parseFlags(words: string[]): ClusterFlags {
  const program = new Command().exitOverride();
  const diagnose = addConfigFlags(program.command('diagnose', { isDefault: true }))
    .argument('[services...]')
    .action(() => {});
  program.parse(kubectlArgs(program, words), { from: 'user' });
  return diagnose.opts<ClusterFlags>();
}

describe('the connection flags as they parse', () => {
  it("take kubectl's spellings; --as-group once per group, commas kept", () => {
    const flags = parseFlags([
      '-s=https://api.example.com:6443',
      '--cluster',
      'prod',
      '--user=admin',
      '--token',
      'abc',
      '--certificate-authority',
      'ca.crt',
      '--client-certificate',
      'me.crt',
      '--client-key',
      'me.key',
      '--insecure-skip-tls-verify',
      '--tls-server-name',
      'api.internal',
      '--as',
      'alice',
      '--as-group',
      'devs,ops',
      '--as-group=auditors',
      '--as-uid',
      '1000',
    ]);
    expect(kubeconfigOptions(flags).overrides).toEqual({
      server: 'https://api.example.com:6443',
      cluster: 'prod',
      user: 'admin',
      token: 'abc',
      certificateAuthority: 'ca.crt',
      clientCertificate: 'me.crt',
      clientKey: 'me.key',
      insecureSkipTlsVerify: true,
      tlsServerName: 'api.internal',
      impersonateUser: 'alice',
      impersonateGroups: ['devs,ops', 'auditors'],
      impersonateUid: '1000',
    });
  });

  it('-s takes its value attached too, and --insecure-skip-tls-verify=false is no flag at all', () => {
    expect(parseFlags(['-shttps://a:6443'])).toMatchObject({ server: 'https://a:6443' });
    expect(parseFlags(['--insecure-skip-tls-verify=false']).insecureSkipTlsVerify).toBeUndefined();
    expect(parseFlags(['--insecure-skip-tls-verify=true']).insecureSkipTlsVerify).toBe(true);
  });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('the flags over the kubeconfig, as clientcmd lays them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'epd-config-flags-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const caFile = file('ca.crt', 'flag CA');
  const certFile = file('me.crt', 'flag certificate');
  const keyFile = file('me.key', 'flag key');
  const tokenFile = file('token', 'file-token');
  const kubeconfig = file(
    'config',
    stringify({
      clusters: [
        {
          name: 'main',
          cluster: {
            server: 'https://main.example.com:6443',
            'certificate-authority-data': b64('kubeconfig CA'),
            'tls-server-name': 'main.internal',
          },
        },
        { name: 'other', cluster: { server: 'https://other.example.com', 'insecure-skip-tls-verify': true } },
        {
          name: 'both',
          cluster: {
            server: 'https://both.example.com',
            'insecure-skip-tls-verify': true,
            'certificate-authority': caFile,
          },
        },
      ],
      users: [
        { name: 'token', user: { token: 'kubeconfig-token' } },
        { name: 'token-file', user: { tokenFile } },
        { name: 'cert', user: { 'client-certificate-data': b64('cert'), 'client-key-data': b64('key') } },
        { name: 'basic', user: { username: 'bob', password: 'secret' } },
        { name: 'token-and-basic', user: { token: 't', username: 'bob', password: 'secret' } },
        {
          name: 'plugin',
          user: {
            exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'get-token', interactiveMode: 'Never' },
          },
        },
        { name: 'provider', user: { 'auth-provider': { name: 'oidc', config: {} } } },
        {
          name: 'acting',
          user: { token: 't', as: 'carol', 'as-groups': ['g1', 'g2'], 'as-user-extra': { scopes: ['view'] } },
        },
        { name: 'groups-only', user: { token: 't', 'as-groups': ['g1'] } },
      ],
      contexts: [
        { name: 'main', context: { cluster: 'main', user: 'token', namespace: 'shop' } },
        { name: 'acting', context: { cluster: 'main', user: 'acting' } },
        { name: 'both', context: { cluster: 'both', user: 'token' } },
        { name: 'groups-only', context: { cluster: 'main', user: 'groups-only' } },
      ],
      'current-context': 'main',
    }),
  );
  const resolve = (flags: ClusterFlags = {}) => resolveKubeconfig(kubeconfigOptions({ kubeconfig, ...flags }));
  const failure = (flags: ClusterFlags) => {
    try {
      resolve(flags);
    } catch (e) {
      return (e as Error).message;
    }
    return 'resolved';
  };

  it("--cluster and --user pick other entries; the context's namespace stays", () => {
    const resolved = resolve({ cluster: 'other', user: 'cert' });
    expect(resolved).toMatchObject({ contextName: 'main', namespace: 'shop', server: 'https://other.example.com' });
    expect(resolved.user).toEqual({ 'client-certificate-data': b64('cert'), 'client-key-data': b64('key') });
    expect(failure({ cluster: 'nope' })).toBe(
      'cluster "nope" (--cluster) does not exist in the kubeconfig (see kubectl config get-clusters)',
    );
    expect(failure({ user: 'nope' })).toBe(
      'user "nope" (--user) does not exist in the kubeconfig (see kubectl config get-users)',
    );
  });

  it("--server replaces the cluster's server and its tls-server-name, unless --tls-server-name gives one", () => {
    expect(resolve({ server: 'https://10.0.0.1:6443' }).cluster).toEqual({
      server: 'https://10.0.0.1:6443',
      'certificate-authority-data': b64('kubeconfig CA'),
    });
    expect(resolve({ server: 'https://10.0.0.1:6443', tlsServerName: 'api' }).cluster['tls-server-name']).toBe('api');
    expect(resolve({ tlsServerName: 'api' }).cluster).toMatchObject({
      server: 'https://main.example.com:6443',
      'tls-server-name': 'api',
    });
  });

  it('--certificate-authority or --insecure-skip-tls-verify replaces the whole trust setting; both together are refused', () => {
    expect(resolve({ certificateAuthority: caFile }).cluster).toEqual({
      server: 'https://main.example.com:6443',
      'certificate-authority': caFile,
      'tls-server-name': 'main.internal',
    });
    expect(resolve({ cluster: 'other', certificateAuthority: caFile }).cluster).toEqual({
      server: 'https://other.example.com',
      'certificate-authority': caFile,
    });
    expect(resolve({ insecureSkipTlsVerify: true }).cluster).toEqual({
      server: 'https://main.example.com:6443',
      'insecure-skip-tls-verify': true,
      'tls-server-name': 'main.internal',
    });
    expect(failure({ insecureSkipTlsVerify: true, certificateAuthority: caFile })).toMatch(
      /^--insecure-skip-tls-verify cannot be used with --certificate-authority/,
    );
    // A kubeconfig cluster with both is refused as kubectl refuses it, and either flag mends it.
    expect(failure({ context: 'both' })).toMatch(
      /^the kubeconfig's cluster "both" sets both insecure-skip-tls-verify and a certificate authority/,
    );
    expect(resolve({ context: 'both', insecureSkipTlsVerify: true }).cluster).not.toHaveProperty(
      'certificate-authority',
    );
    expect(failure({ certificateAuthority: join(dir, 'absent.crt') })).toMatch(
      /^--certificate-authority \S+absent\.crt: cannot read it \(ENOENT\)$/,
    );
  });

  it('--token replaces the token and the token file, and stands in for an exec plugin or auth provider', () => {
    expect(resolve({ token: 'flag-token' }).user).toEqual({ token: 'flag-token' });
    expect(resolve({ user: 'token-file', token: 'flag-token' }).user).toEqual({ token: 'flag-token' });
    expect(resolve({ user: 'plugin', token: 'flag-token' }).user).toEqual({ token: 'flag-token' });
    expect(resolve({ user: 'provider', token: 'flag-token' }).user).toEqual({ token: 'flag-token' });
    expect(failure({ user: 'basic', token: 'flag-token' })).toBe(
      `--token cannot be used with the username and password of the kubeconfig's user "basic" (kubectl allows one authentication method)`,
    );
    expect(failure({ user: 'token-and-basic' })).toBe(
      `the kubeconfig's user "token-and-basic" has both a token and a username and password (kubectl allows one authentication method)`,
    );
  });

  it("--client-certificate and --client-key replace the kubeconfig's certificate and key, file or data", () => {
    expect(resolve({ user: 'cert', clientCertificate: certFile, clientKey: keyFile }).user).toEqual({
      'client-certificate': certFile,
      'client-key': keyFile,
    });
    expect(resolve({ user: 'cert', clientKey: keyFile }).user).toEqual({
      'client-certificate-data': b64('cert'),
      'client-key': keyFile,
    });
    // A certificate and key to show: the exec plugin is not run.
    expect(resolve({ user: 'plugin', clientCertificate: certFile, clientKey: keyFile }).user).toEqual({
      'client-certificate': certFile,
      'client-key': keyFile,
    });
    // Added to a token user, they go with its token.
    expect(resolve({ clientCertificate: certFile, clientKey: keyFile }).user).toEqual({
      token: 'kubeconfig-token',
      'client-certificate': certFile,
      'client-key': keyFile,
    });
    expect(failure({ clientCertificate: certFile })).toBe(
      "--client-certificate gives a client certificate but no client key: add --client-key, or client-key to the kubeconfig's user",
    );
    expect(failure({ user: 'cert', clientKey: join(dir, 'absent.key') })).toMatch(
      /^--client-key \S+absent\.key: cannot read it \(ENOENT\)$/,
    );
  });

  it("--as, --as-group and --as-uid over the kubeconfig's as, as-groups and as-uid; extras stay", () => {
    expect(impersonationHeaders(resolve({ context: 'acting' }).user)).toEqual({
      'Impersonate-User': 'carol',
      'Impersonate-Group': ['g1', 'g2'],
      'Impersonate-Extra-scopes': ['view'],
    });
    const flagged = resolve({ context: 'acting', as: 'dave', asGroup: ['devs'], asUid: '42' });
    expect(impersonationHeaders(flagged.user)).toEqual({
      'Impersonate-User': 'dave',
      'Impersonate-Uid': '42',
      'Impersonate-Group': ['devs'],
      'Impersonate-Extra-scopes': ['view'],
    });
    // Groups without a user to impersonate: refused, as kubectl refuses them.
    expect(failure({ asGroup: ['devs'] })).toBe('--as-group and --as-uid need --as, the user to impersonate');
    expect(failure({ asUid: '42' })).toBe('--as-group and --as-uid need --as, the user to impersonate');
    expect(failure({ context: 'groups-only' })).toBe(
      `the kubeconfig's user "groups-only" sets as-groups, as-uid or as-user-extra without as, the user to impersonate`,
    );
    expect(impersonationHeaders(resolve({ context: 'groups-only', as: 'dave' }).user)).toEqual({
      'Impersonate-User': 'dave',
      'Impersonate-Group': ['g1'],
    });
  });

  it('impersonation headers as client-go writes them: extra keys escaped, values as UTF-8 bytes', () => {
    const headers = impersonationHeaders({
      as: 'José',
      'as-user-extra': { 'example.com/scopes and more%': ['a', 'b'] },
    });
    expect(headers).toEqual({
      'Impersonate-User': Buffer.from('José', 'utf8').toString('latin1'),
      'Impersonate-Extra-example.com%2Fscopes%20and%20more%25': ['a', 'b'],
    });
    expect(() => impersonationHeaders({ as: 'eve\r\nX-Evil: 1' })).toThrow(
      /^the user to impersonate "eve\\r\\nX-Evil: 1" holds a control character/,
    );
  });

  it('a server without a scheme is plain HTTP, and nothing but impersonation goes to a plain-HTTP server', () => {
    const plain = resolve({ server: '127.0.0.1:8080', as: 'alice' });
    expect(plain.server).toBe('http://127.0.0.1:8080');
    expect(plain.user).toEqual({ as: 'alice' });
    expect(resolve({ server: 'localhost:8080' }).server).toBe('http://localhost:8080');
    expect(resolve({ server: 'http://localhost:8080', token: 'flag-token' }).user).toEqual({});
  });

  it('no context is needed when --cluster or --server says where to go', () => {
    const noCurrent = file('no-current', stringify({ clusters: [{ name: 'c', cluster: { server: 'https://c' } }] }));
    const resolved = resolveKubeconfig(kubeconfigOptions({ kubeconfig: noCurrent, cluster: 'c' }));
    expect(resolved).toMatchObject({ contextName: 'https://c', namespace: 'default', server: 'https://c' });
    expect(() => resolveKubeconfig(kubeconfigOptions({ kubeconfig: noCurrent }))).toThrow(
      'the kubeconfig has no current context; pass --context, or --server',
    );
    const empty = file('empty', '');
    expect(resolveKubeconfig(kubeconfigOptions({ kubeconfig: empty, server: 'https://s', token: 't' }))).toMatchObject({
      server: 'https://s',
      user: { token: 't' },
    });
  });

  describe('with no kubeconfig anywhere', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('--server alone is enough, as for kubectl; without it, the usage error', () => {
      vi.stubEnv('HOME', mkdtempSync(join(tmpdir(), 'epd-home-')));
      vi.stubEnv('KUBECONFIG', join(dir, 'absent-config'));
      vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
      expect(resolveKubeconfig(kubeconfigOptions({ server: 'https://s:6443', token: 't' }))).toMatchObject({
        contextName: 'https://s:6443',
        server: 'https://s:6443',
        user: { token: 't' },
      });
      expect(() => resolveKubeconfig(kubeconfigOptions({ token: 't' }))).toThrow(/none of its files exists/);
      vi.stubEnv('KUBECONFIG', '');
      expect(resolveKubeconfig(kubeconfigOptions({ server: 'https://s:6443' })).server).toBe('https://s:6443');
      expect(() => resolveKubeconfig(kubeconfigOptions({}))).toThrow(/^no kubeconfig found/);
    });
  });
});

const web = service('web');
const apiPod = (ready: boolean) => pod('api-1', { labels: { app: 'api' }, ready });
const webSlice = slice('web', { endpoints: [endpointOf('web-1', { node: 'node-a' })] });
const savedRules = generateKubeProxyRules({ services: [web], slices: [webSlice], nodeName: 'node-a' }).iptables.IPv4;

describe('every command sends what the connection flags say', { timeout: 60_000 }, () => {
  let server: TestServer;
  let dead: string;
  let caFile: string;
  beforeAll(async () => {
    server = await startTestServer({
      objects: withControllers([
        node('node-a'),
        web,
        pod('web-1'),
        webSlice,
        service('api', { selector: { app: 'api' } }),
        apiPod(false),
      ]),
      // The debug pod's one command: the rules.
      exec: ({ command, stdout }) => {
        if (command[0] !== 'iptables-nft-save') return 127;
        stdout.write(savedRules);
        return 0;
      },
    });
    // No kubelet: the probe's debug pod runs as soon as it exists.
    server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || !stringAt(e.object, 'metadata', 'name')?.startsWith('endpoints-doctor-probe-')) return;
      setImmediate(() => server.store.update({ ...e.object, status: { phase: 'Running' } }));
    });
    const dir = mkdtempSync(join(tmpdir(), 'epd-config-flags-'));
    caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, server.caPem);
    // A kubeconfig whose only context is a cluster nothing answers on.
    dead = join(dir, 'dead');
    writeFileSync(
      dead,
      stringify({
        clusters: [{ name: 'dead', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'nobody', user: { token: 'not-the-token' } }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'nobody', namespace: 'shop' } }],
        'current-context': 'dead',
      }),
    );
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  const acting = { as: 'alice', asGroup: ['devs', 'ops'], asUid: '1000' };
  /** What the server saw of who sent each request and as whom. */
  const identities = () =>
    new Set(
      server.requests.map((r) =>
        JSON.stringify([
          r.user,
          r.headers['impersonate-user'],
          r.headers['impersonate-group'],
          r.headers['impersonate-uid'],
        ]),
      ),
    );
  const expectActingAlice = () => {
    expect(server.requests.length).toBeGreaterThan(0);
    expect(identities()).toEqual(new Set([JSON.stringify([server.user, 'alice', 'devs, ops', '1000'])]));
  };

  const diagnoseFlags = (given: Partial<DiagnoseFlags>): DiagnoseFlags => ({
    output: 'json',
    failOn: 'error',
    color: false,
    requestTimeout: '30s',
    ...given,
  });

  it('diagnose: --server, --certificate-authority and --token over a kubeconfig that points elsewhere', async () => {
    const result = await runInProcess(
      diagnoseCommand,
      ['web'],
      diagnoseFlags({
        kubeconfig: dead,
        server: server.url,
        certificateAuthority: caFile,
        token: server.token,
        ...acting,
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The context's namespace still applies.
    expect(parseReport(result.stdout).services.map((s) => s.namespace)).toEqual(['shop']);
    expectActingAlice();
  });

  it('diagnose: --context and --user over the context: the certificate user sends no token', async () => {
    const result = await runInProcess(
      diagnoseCommand,
      ['web'],
      diagnoseFlags({ kubeconfig: server.kubeconfigPath, context: CONTEXT, user: 'test-cert', namespace: 'shop' }),
    );
    expect(result.code).toBe(0);
    expect(new Set(server.requests.map((r) => `${r.user} ${r.headers.authorization ?? 'no token'}`))).toEqual(
      new Set(['test-admin no token']),
    );
  });

  it('tree, snapshot and wait', async () => {
    const connection = { kubeconfig: server.kubeconfigPath, namespace: 'shop', ...acting };
    const tree = await runInProcess(treeCommand, ['web'], {
      ...diagnoseFlags(connection),
      output: 'tree',
      outputGiven: false,
    });
    expect(tree.code).toBe(0);
    expectActingAlice();
    server.requests.length = 0;

    const snapshot = await runInProcess(snapshotCommand, ['web'], {
      output: 'json',
      requestTimeout: '30s',
      ...connection,
    });
    expect(snapshot.code).toBe(0);
    expectActingAlice();
    server.requests.length = 0;

    // wait watches: the watch requests carry the headers too. api's pod turns ready once watched.
    const waiting = runInProcess(waitCommand, ['api'], {
      for: 'ready=1',
      timeout: '60s',
      requestTimeout: '30s',
      ...connection,
    });
    await eventually('the watch', () => server.requests.some((r) => r.verb === 'watch'));
    applyWithControllers(server, [apiPod(true)]);
    expect(await waiting).toMatchObject({ code: 0, stderr: '' });
    expectActingAlice();
  });

  it("probe: the lists, and the debug pod's create, exec and delete (client-node's requests), each group a header of its own", async () => {
    const flags: ProbeFlags = {
      output: 'text',
      failOn: 'error',
      color: false,
      debugNamespace: 'kube-system',
      requestTimeout: '30s',
      debugPod: true,
      node: 'node-a',
      kubeconfig: server.kubeconfigPath,
      namespace: 'shop',
      ...acting,
    };
    const result = await runInProcess(probeCommand, ['web'], flags);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const verbs = new Set(server.requests.map((r) => `${r.method} ${r.resource}`));
    for (const wanted of ['POST pods', 'GET pods/exec', 'DELETE pods']) expect([...verbs]).toContain(wanted);
    // setHeaderParam would have sent one header "devs,ops"; two headers arrive as "devs, ops".
    expectActingAlice();
  });
});
