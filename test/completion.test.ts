// Shell completion: kubectl_complete-endpoints_doctor answers cobra's __complete protocol
// (candidates, one per line, then ":<directive>"), run directly and through the real kubectl.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { stringAt } from '../src/core/json-value.js';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { startTestServer, type TestServer } from './server/index.js';
import { apiService, ingress, node, pod, service } from './support/objects.js';
import { CERT_CONTEXT, CONTEXT } from './server/certs.js';

const BIN_DIR = resolve(import.meta.dirname, '../bin');
const COMPLETE = join(BIN_DIR, 'kubectl_complete-endpoints_doctor');
// The completion script runs the plugin next to it, a node script: node must be on PATH.
const PATH = [BIN_DIR, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
const TIMEOUT = 60_000;

interface Answer {
  code: number;
  candidates: string[];
  /** The candidates without their descriptions. */
  words: string[];
  directive: string;
  stderr: string;
}

function parse(code: number, stdout: string, stderr: string): Answer {
  const lines = stdout.split('\n').filter(Boolean);
  const directive = lines.at(-1) ?? '';
  const candidates = lines.slice(0, -1);
  return { code, candidates, words: candidates.map((c) => c.split('\t')[0]), directive, stderr };
}

function run(command: string, args: string[]): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { PATH, HOME: mkdtempSync(join(tmpdir(), 'epd-home-')) } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(parse(code ?? -1, stdout, stderr)));
  });
}

const complete = (...words: string[]) => run(COMPLETE, words);

const CHECK_IDS = CHECKS.map((c) => c.id);

describe('kubectl_complete-endpoints_doctor, run directly', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      objects: [
        service('web'),
        service('api'),
        pod('web-1'),
        pod('client', { labels: { app: 'client' } }),
        service('db', { ns: 'data' }),
        node('node-b'),
        node('node-a'),
        ingress('front', { paths: [{ service: 'web', port: 'http' }] }),
        ingress('admin', { ns: 'data', paths: [{ service: 'db', port: 5432 }] }),
        apiService('v1beta1.metrics.k8s.io', { service: { ns: 'kube-system', name: 'metrics-server' } }),
      ],
    });
  });
  afterAll(() => server?.close());

  it.each([
    {
      words: [''],
      want: ['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain'],
      why: 'subcommands (no cluster configured: no Service names, no error)',
    },
    { words: ['ex'], want: ['explain'], why: 'subcommands by prefix' },
    { words: ['--o'], want: ['--output', '--only'], why: 'flags by prefix' },
    { words: ['--ver'], want: ['--version'], why: '--version before a subcommand' },
    { words: ['tree', '--ver'], want: [], why: 'no --version after a subcommand' },
    { words: ['snapshot', '--re'], want: ['--request-timeout', '--redact'], why: "the subcommand's own flags" },
    {
      words: ['-o', ''],
      want: ['text', 'wide', 'json', 'yaml', 'name', 'tree', 'junit', 'markdown'],
      why: '-o values of diagnose',
    },
    { words: ['snapshot', '-o', ''], want: ['yaml', 'json'], why: '-o values of snapshot' },
    { words: ['tree', '-o', ''], want: ['tree'], why: 'tree is -o tree: any other value is refused' },
    { words: ['--output=j'], want: ['--output=json', '--output=junit'], why: '--flag=value form' },
    { words: ['--fail-on', ''], want: ['error', 'warning', 'info', 'never'], why: '--fail-on values' },
    { words: ['explain', ''], want: CHECK_IDS, why: 'check ids for explain' },
    { words: ['explain', 'selector-no-match', ''], want: [], why: 'explain takes one check' },
    { words: ['checks', ''], want: [], why: 'checks takes no argument' },
    {
      words: ['-n', 'shop', '-o', ''],
      want: ['text', 'wide', 'json', 'yaml', 'name', 'tree', 'junit', 'markdown'],
      why: '-o after the value of -n',
    },
    {
      words: ['-n', '-o', ''],
      want: ['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain'],
      why: '-o as the value of -n',
    },
  ])('$why: $words', async ({ words, want }) => {
    const answer = await complete(...words);
    expect(answer.code).toBe(0);
    expect(answer.stderr).toBe('');
    expect(answer.words).toEqual(want);
    expect(answer.directive).toBe(':4'); // no file completion
  });

  it('--only and --disable complete a comma-separated list of check ids, without a trailing space', async () => {
    const first = await complete('--only', '');
    expect(first.words).toEqual(CHECK_IDS);
    expect(first.candidates[0]).toBe(`${CHECKS[0].id}\t${CHECKS[0].title}`);
    expect(first.directive).toBe(':6'); // no space, no file completion

    const second = await complete('--disable', 'selector-no-match,s');
    expect(second.words.length).toBeGreaterThan(0);
    for (const word of second.words) {
      expect(word).toMatch(/^selector-no-match,s/);
      expect(word).not.toBe('selector-no-match,selector-no-match');
    }
    expect(second.words).toContain('selector-no-match,single-ready-endpoint');

    const equals = await complete('--only=pods-not');
    expect(equals.words).toEqual(['--only=pods-not-ready']);
  });

  it('--connect-from offers the vantage points there are, then the pods of the namespace after pod/, the nodes after node/', async () => {
    expect((await complete('--connect', '--connect-from', '')).words).toEqual(['local', 'pod/', 'node/']);
    const kubeconfig = ['--kubeconfig', server.kubeconfigPath];
    const pods = await complete(...kubeconfig, '-n', 'shop', '--connect', '--connect-from', 'pod/');
    expect(pods.words).toEqual(['pod/client', 'pod/web-1']);
    expect((await complete(...kubeconfig, '-n', 'shop', '--connect', '--connect-from=pod/c')).words).toEqual([
      '--connect-from=pod/client',
    ]);
    const nodes = await complete(...kubeconfig, '--connect', '--connect-from', 'node/');
    expect(nodes.words).toEqual(['node/node-a', 'node/node-b']);
  });

  it('--from offers the kinds of client, each with its slash and no space after', async () => {
    const kinds = await complete('--from', '');
    expect(kinds.words).toEqual([
      'pod/',
      'deployment/',
      'statefulset/',
      'daemonset/',
      'replicaset/',
      'namespace/',
      'cidr/',
    ]);
    expect(kinds.directive).toBe(':6'); // no space, no file completion
    expect((await complete('--from=d')).words).toEqual(['--from=deployment/', '--from=daemonset/']);
  });

  it('--kubeconfig and --snapshot leave the shell to complete file names', async () => {
    expect((await complete('--kubeconfig', '')).directive).toBe(':0');
    expect((await complete('--snapshot', '')).directive).toBe(':0');
  });

  it('Service names come from the cluster, in the namespace -n names, honouring --kubeconfig', async () => {
    const shop = await complete('--kubeconfig', server.kubeconfigPath, '-n', 'shop', '');
    expect(shop.words).toEqual(['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain', 'api', 'web']);
    const data = await complete('tree', '--kubeconfig', server.kubeconfigPath, '--namespace=data', '');
    expect(data.words).toEqual(['db']);
    const prefixed = await complete('--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'svc/w');
    expect(prefixed.words).toEqual(['svc/web']);
    const rest = await complete('--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'web', '');
    expect(rest.words).toEqual(['api']); // no subcommand after a Service, no name twice
    const all = await complete('--kubeconfig', server.kubeconfigPath, '-A', '');
    expect(all.words).not.toContain('web'); // a Service cannot be named with -A
    const requests = server.requests.filter((r) => r.resource === 'services');
    expect(requests.map((r) => r.namespace).sort()).toEqual(['data', 'shop', 'shop', 'shop']);
  });

  it('-n, --context, --cluster, --user, probe --node, wait --for and --rules-file complete what they name', async () => {
    const kubeconfig = ['--kubeconfig', server.kubeconfigPath];
    expect((await complete(...kubeconfig, '-n', '')).words).toEqual(expect.arrayContaining(['data', 'shop']));
    expect((await complete(...kubeconfig, '--namespace=s')).words).toEqual(['--namespace=shop']);
    expect((await complete(...kubeconfig, '--context', '')).words).toEqual([CERT_CONTEXT, CONTEXT].sort());
    expect((await complete(...kubeconfig, '--cluster', '')).words).toEqual([CONTEXT]);
    expect((await complete(...kubeconfig, '--user', '')).words).toEqual(['test-cert', 'test-token']);
    expect((await complete('probe', ...kubeconfig, '--node', '')).words).toEqual(['node-a', 'node-b']);
    expect((await complete('wait', '--for', '')).words).toEqual(['ready=1', 'all-ready']);
    expect((await complete('probe', '--rules-file', '')).directive).toBe(':0');
    // Nothing to look in: no names, no error.
    const nowhere = await complete('--kubeconfig', '/nonexistent', '--context', '');
    expect(nowhere).toMatchObject({ code: 0, words: [], stderr: '' });
    expect(server.requests.some((r) => r.resource === 'namespaces' && r.verb === 'list')).toBe(true);
  });

  it("diagnose --for completes a TYPE, then that kind's objects in the namespace -n names", async () => {
    const kubeconfig = ['--kubeconfig', server.kubeconfigPath];
    const types = await complete(...kubeconfig, '--for', '');
    expect(types.words).toEqual([
      'ingress/',
      'ingresses/',
      'ing/',
      'validatingwebhookconfiguration/',
      'validatingwebhookconfigurations/',
      'mutatingwebhookconfiguration/',
      'mutatingwebhookconfigurations/',
      'apiservice/',
      'apiservices/',
      'httproute/',
      'httproutes/',
      'grpcroute/',
      'grpcroutes/',
      'tcproute/',
      'tcproutes/',
      'tlsroute/',
      'tlsroutes/',
      'udproute/',
      'udproutes/',
    ]);
    expect(types.directive).toBe(':6'); // no space after the TYPE: its name follows
    expect((await complete(...kubeconfig, '-n', 'shop', '--for', 'ing/')).words).toEqual(['ing/front']);
    expect((await complete(...kubeconfig, '-n', 'data', '--for=ingress/')).words).toEqual(['--for=ingress/admin']);
    expect((await complete(...kubeconfig, '--for', 'nope/')).words).toEqual([]);
    // A cluster-scoped kind's objects, whatever -n says.
    expect((await complete(...kubeconfig, '-n', 'shop', '--for', 'apiservice/')).words).toEqual([
      'apiservice/v1beta1.metrics.k8s.io',
    ]);
    expect(
      server.requests
        .filter((r) => r.resource === 'ingresses')
        .map((r) => r.namespace)
        .sort(),
    ).toEqual(['data', 'shop']);
  });

  it('KUBECONFIG and the context namespace are honoured too, and --context picks the context', async () => {
    const answer = await run('env', [`KUBECONFIG=${server.kubeconfigPath}`, COMPLETE, '-n', 'shop', 'a']);
    expect(answer.words).toEqual(['api']);
    const missing = await complete('--kubeconfig', server.kubeconfigPath, '--context', 'nope', '-n', 'shop', '');
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe('');
    expect(missing.words).toEqual(['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain']);
  });

  it("kubectl's other connection flags reach the lookup: --server, the TLS files, --token, --as", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epd-complete-'));
    const empty = join(dir, 'empty');
    const ca = join(dir, 'ca.crt');
    writeFileSync(empty, '');
    writeFileSync(ca, server.caPem);
    server.requests.length = 0;
    const answer = await complete(
      '--kubeconfig',
      empty,
      '-s',
      server.url,
      '--certificate-authority',
      ca,
      '--token',
      server.token,
      '--as',
      'alice',
      '--as-group',
      'devs',
      '--as-group=ops',
      '-n',
      'shop',
      'we',
    );
    expect(answer.words).toEqual(['web']);
    const lookups = server.requests.filter((r) => r.resource === 'services');
    expect(lookups.map((r) => [r.user, r.headers['impersonate-user'], r.headers['impersonate-group']])).toEqual([
      [server.user, 'alice', 'devs, ops'],
    ]);
    // The files are the shell's to complete.
    for (const flag of ['--certificate-authority', '--client-certificate', '--client-key']) {
      expect((await complete(flag, '')).directive).toBe(':0');
    }
    // A boolean flag counts too: without --insecure-skip-tls-verify the CA-less lookup fails, quietly.
    const insecure = ['--kubeconfig', empty, '-s', server.url, '--token', server.token, '-n', 'shop', 'we'];
    expect((await complete(...insecure)).words).toEqual([]);
    expect((await complete('--insecure-skip-tls-verify', ...insecure)).words).toEqual(['web']);
  });

  it('is silent when the cluster refuses, is unreachable or does not answer', async () => {
    const refusing = await startTestServer({ objects: [service('web')], rules: [] }); // 403 to everything
    const hung: Server = createServer(() => {}); // accepts connections, never answers
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const port = (hung.address() as { port: number }).port;
    const kubeconfig = (server: string) => {
      const file = join(mkdtempSync(join(tmpdir(), 'epd-kc-')), 'config');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: c',
          'clusters: [{name: c, cluster: {server: "' + server + '"}}]',
          'users: [{name: u, user: {token: t}}]',
          'contexts: [{name: c, context: {cluster: c, user: u, namespace: shop}}]',
        ].join('\n'),
      );
      return file;
    };
    try {
      const refused = await complete('--kubeconfig', kubeconfig('http://127.0.0.1:1'), '');
      const silent = await complete('--kubeconfig', kubeconfig(`http://127.0.0.1:${port}`), '');
      const forbidden = await complete('--kubeconfig', refusing.kubeconfigPath, '-n', 'shop', '');
      const broken = await complete('--kubeconfig', writeTempFile('not: [a kubeconfig'), '');
      for (const answer of [refused, silent, forbidden, broken]) {
        expect(answer.code).toBe(0);
        expect(answer.stderr).toBe('');
        expect(answer.words).toEqual(['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain']);
        expect(answer.directive).toBe(':4');
      }
      expect(refusing.requests.map((r) => r.status)).toEqual([403]);
    } finally {
      hung.close();
      await refusing.close();
    }
  });
});

function writeTempFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'epd-kc-')), 'config');
  writeFileSync(file, text);
  return file;
}

// kubectl 1.26 added plugin completion: it runs kubectl_complete-<plugin> from PATH.
const kubectlMinor = (() => {
  const run = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  try {
    const minor = stringAt(JSON.parse(run.stdout) as unknown, 'clientVersion', 'minor');
    return minor === undefined ? undefined : Number(minor.replace(/\D.*$/, ''));
  } catch {
    return undefined;
  }
})();
const kubectlCompletes = kubectlMinor !== undefined && kubectlMinor >= 26;
if (!kubectlCompletes) {
  console.warn(
    `completion through kubectl skipped: ${kubectlMinor === undefined ? 'no kubectl on PATH' : `kubectl 1.${kubectlMinor} has no plugin completion (1.26+)`}`,
  );
}

describe.skipIf(!kubectlCompletes)(
  'kubectl __complete endpoints-doctor, by the real kubectl',
  { timeout: TIMEOUT },
  () => {
    let server: TestServer;
    const kubectlPath = [
      BIN_DIR,
      dirname(process.execPath),
      dirname(spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()),
    ].join(delimiter);
    const kubectl = (...args: string[]) =>
      new Promise<Answer>((resolvePromise, reject) => {
        const child = spawn('kubectl', ['__complete', ...args], {
          env: { PATH: kubectlPath, HOME: mkdtempSync(join(tmpdir(), 'epd-home-')) },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolvePromise(parse(code ?? -1, stdout, stderr)));
      });

    beforeAll(async () => {
      server = await startTestServer({ objects: [service('web'), service('api')] });
    });
    afterAll(() => server?.close());

    it('kubectl offers the plugin by name', async () => {
      const answer = await kubectl('endpoints-d');
      expect(answer.words).toContain('endpoints-doctor');
    });

    it('completes subcommands, flag values and Service names through the plugin', async () => {
      const top = await kubectl('endpoints-doctor', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', '');
      expect(top.code).toBe(0);
      expect(top.words).toEqual(['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain', 'api', 'web']);
      expect(top.directive).toBe(':4');
      const output = await kubectl('endpoints-doctor', '-o', 'y');
      expect(output.words).toEqual(['yaml']);
      const explain = await kubectl('endpoints-doctor', 'explain', 'pods-');
      expect(explain.words).toEqual(['pods-not-ready']);
    });
  },
);
