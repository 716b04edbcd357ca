// --from: its value parsed and validated before anything is read, the client found in the input
// (a usage error when it is not there), and what a run shows: services[].reachability in -o json,
// the matrix in text, markdown, junit and the tree, the DNS check; on a snapshot and on a live
// cluster (the test API server), where the client and the cluster DNS are read besides the
// diagnosis's objects. --watch and -i with --from: test/live-watch.test.ts, test/ui/views.test.tsx.

import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFrom } from '../../src/commands/from.js';
import { parseReport, runCli, writeTemp } from '../support/cli.js';
import {
  clusterDns,
  endpointOf,
  ingress,
  namespace,
  networkPolicy,
  pod,
  service,
  slice,
  workload,
  type Raw,
} from '../support/objects.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { runDiagnose as run } from '../support/diagnose-flags.js';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/shop.yaml');

describe('--from values', () => {
  it.each([
    ['pod/frontend-abc', { kind: 'Pod', name: 'frontend-abc' }],
    ['po/frontend-abc', { kind: 'Pod', name: 'frontend-abc' }],
    ['payments/pod/payer-1', { kind: 'Pod', namespace: 'payments', name: 'payer-1' }],
    ['deployment/frontend', { kind: 'Deployment', name: 'frontend' }],
    ['deploy/frontend', { kind: 'Deployment', name: 'frontend' }],
    ['payments/sts/db', { kind: 'StatefulSet', namespace: 'payments', name: 'db' }],
    ['ds/agent', { kind: 'DaemonSet', name: 'agent' }],
    ['rs/web-5d8f', { kind: 'ReplicaSet', name: 'web-5d8f' }],
    ['namespace/payments', { kind: 'Namespace', name: 'payments' }],
    ['ns/payments', { kind: 'Namespace', name: 'payments' }],
    ['cidr/203.0.113.0/24', { kind: 'CIDR', cidr: '203.0.113.0/24' }],
    ['cidr/198.51.100.7', { kind: 'CIDR', cidr: '198.51.100.7' }],
    ['cidr/2001:db8::/64', { kind: 'CIDR', cidr: '2001:db8::/64' }],
  ])('%s', (text, spec) => {
    expect(parseFrom(text).spec).toMatchObject(spec);
  });

  const usage =
    'e.g. --from pod/NAME, deployment/NAME, namespace/NAME, cidr/203.0.113.0/24, or NAMESPACE/pod/NAME for another namespace';
  it.each([
    ['frontend', `error: --from "frontend" is not TYPE/NAME (${usage})\n`],
    ['pod/', `error: --from "pod/" is not TYPE/NAME (${usage})\n`],
    ['a/b/c/d', `error: --from "a/b/c/d" is not TYPE/NAME (${usage})\n`],
    ['service/web', `error: --from: "service" is not a kind of client (${usage})\n`],
    ['pdo/x', `error: --from: "pdo" is not a kind of client (did you mean pod? ${usage})\n`],
    ['pods/Frontend', 'error: --from: "Frontend" is not a valid Pod name: '],
    ['Payments/pod/x', 'error: --from: "Payments" is not a valid namespace name: '],
    [
      'payments/namespace/x',
      'error: --from "payments/namespace/x": a namespace is in no namespace (--from namespace/NAME)\n',
    ],
    ['cidr/10.0.0.0/33', `error: --from "cidr/10.0.0.0/33": "10.0.0.0/33" is not an IP address or CIDR (${usage})\n`],
    ['cidr/example.com', `error: --from "cidr/example.com": "example.com" is not an IP address or CIDR (${usage})\n`],
  ])('%s: a usage error before anything is read', async (from, stderr) => {
    const result = await run({ snapshot: '/nonexistent', from });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(stderr)).toBe(true);
  });

  it('the --from checks go with --from only', async () => {
    expect(await run({ snapshot: '/nonexistent', only: 'networkpolicy-blocks-dns' })).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: --only: networkpolicy-blocks-dns judges a client's view: it runs only with --from\n",
    });
  });
});

/** Service shop/web (web-1, web-2 on 8080), its client frontend, a client payer in payments, and the cluster DNS. */
const WORLD: Raw[] = [
  service('web'),
  pod('web-1'),
  pod('web-2', { labels: { app: 'web', track: 'canary' } }),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
  pod('frontend', { labels: { app: 'frontend' } }),
  pod('payer', { ns: 'payments', labels: { app: 'payer' } }),
  ...clusterDns(),
  namespace('shop'),
  namespace('payments', { team: 'pay' }),
  namespace('kube-system'),
  // The canary is shut; the stable pod admits namespace payments only.
  networkPolicy('deny', { podSelector: {} }),
  networkPolicy('web', {
    podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }] },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }], ports: [{ port: 8080 }] }],
  }),
  // payer may send to shop on 8080, and nothing else: not even DNS.
  networkPolicy(
    'payer-egress',
    {
      podSelector: { matchLabels: { app: 'payer' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
          ports: [{ port: 8080 }],
        },
      ],
    },
    { ns: 'payments' },
  ),
];
const LIST = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  metadata: { annotations: { 'endpoints-doctor/read-kinds': 'NetworkPolicy,Namespace' } },
  items: WORLD,
});

describe('--from on a snapshot', () => {
  const snapshot = writeTemp('from.json', LIST);

  it('-o json: per backend the verdict and the side that blocks; the DNS check fires', async () => {
    const result = await run({ snapshot, namespace: 'shop', from: 'payments/pod/payer', output: 'json' }, ['web']);
    expect(result.code).toBe(1);
    const web = parseReport(result.stdout).services[0];
    const backends = web.reachability!.ports[0].backends.map((b) => [b.pod, b.verdict, b.blockedBy]);
    expect(backends).toEqual([
      ['web-1', 'allowed', undefined],
      ['web-2', 'blocked', ['backend ingress']],
    ]);
    expect(web.reachability!.dns).toMatchObject({ verdict: 'blocked', udp: 'blocked', tcp: 'blocked' });
    expect(parseReport(result.stdout).findings.filter((f) => f.check === 'networkpolicy-blocks-dns')).toHaveLength(1);
  });

  it('text: a matrix per Service, after the findings', async () => {
    const result = await run({ snapshot, namespace: 'shop', from: 'payments/pod/payer', failOn: 'never' }, ['web']);
    const block = result.stdout.slice(result.stdout.indexOf('shop/web: from'));
    expect(block.split('\n').slice(0, 5)).toEqual([
      'shop/web: from pod payments/payer (if your network plugin enforces NetworkPolicy)',
      '  PORT          BACKEND      VERDICT   WHY',
      '  http 80/TCP   web-1:8080   allowed   client egress admitted by NetworkPolicy payer-egress; backend ingress admitted by NetworkPolicy web',
      '  http 80/TCP   web-2:8080   blocked   client egress admitted by NetworkPolicy payer-egress; backend ingress isolated by NetworkPolicy deny, and no rule admits it',
      '  DNS: blocked (UDP 53 blocked, TCP 53 blocked): isolated for egress by NetworkPolicy payer-egress; no rule admits UDP 53 or TCP 53 to the pods of Service kube-system/kube-dns (coredns-1)',
    ]);
  });

  it('the DNS Service of kube-system is kept to judge the DNS by, as a live run reads it, and not diagnosed', async () => {
    const result = await run({ snapshot, namespace: 'shop', from: 'payments/pod/payer', output: 'json' });
    const report = parseReport(result.stdout);
    expect(report.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['shop/web']);
    expect(report.services[0].reachability!.dns?.servers).toBe('the pods of Service kube-system/kube-dns (coredns-1)');
  });

  it('a client the snapshot does not hold: exit 2, one line, no report', async () => {
    const result = await run({ snapshot, namespace: 'shop', from: 'pod/nope' }, ['web']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --from: pod "nope" not found in namespace "shop"\n',
    });
  });

  it('a CIDR: the backends ingress alone, no DNS', async () => {
    const result = await run({ snapshot, namespace: 'shop', from: 'cidr/203.0.113.0/24', output: 'json' }, ['web']);
    const r = parseReport(result.stdout).services[0].reachability!;
    expect(r.dns).toBeUndefined();
    expect(r.ports[0].backends.map((b) => [b.verdict, b.egress])).toEqual([
      ['blocked', undefined],
      ['blocked', undefined],
    ]);
  });
});

describe('--from on a live cluster', () => {
  let api: TestServer | undefined;
  afterAll(() => api?.close());

  it('reads the client of another namespace and the cluster DNS besides the named Service', async () => {
    api = await startTestServer({ objects: WORLD });
    const result = await run(
      {
        kubeconfig: api.kubeconfigPath,
        namespace: 'shop',
        from: 'payments/pod/payer',
        output: 'json',
        failOn: 'never',
      },
      ['web'],
    );
    expect(result.stderr).toBe('');
    const r = parseReport(result.stdout).services[0].reachability!;
    expect(r.client).toBe('pod payments/payer');
    expect(r.ports[0].backends.map((b) => b.verdict)).toEqual(['allowed', 'blocked']);
    expect(r.dns?.servers).toBe('the pods of Service kube-system/kube-dns (coredns-1)');
    expect(r.dns?.verdict).toBe('blocked');
  });

  it("a Deployment of the run's namespace: it and its pods by its selector; namespace/NAME of another: its policies", async () => {
    await api?.close();
    api = await startTestServer({
      objects: [...WORLD, workload('Deployment', 'front', { labels: { app: 'frontend' } })],
    });
    const given = { kubeconfig: api.kubeconfigPath, namespace: 'shop', output: 'json', failOn: 'never' };
    const front = await run({ ...given, from: 'deployment/front' }, ['web']);
    expect(front.stderr).toBe('');
    expect(parseReport(front.stdout).services[0].reachability!.client).toBe(
      'pod shop/frontend of deployment shop/front (1 pod)',
    );
    const payments = await run({ ...given, from: 'namespace/payments' }, ['web']);
    const r = parseReport(payments.stdout).services[0].reachability!;
    expect(r.client).toBe('a pod with no labels in namespace payments');
    // No policy of payments selects a pod without labels: its egress is open, DNS too.
    expect(r.dns?.verdict).toBe('allowed');
    expect(r.ports[0].backends.map((b) => b.verdict)).toEqual(['allowed', 'blocked']);
  });

  it('with --for: the client is read besides the Services the object names', async () => {
    await api?.close();
    api = await startTestServer({
      objects: [...WORLD, ingress('front', { paths: [{ service: 'web', port: 'http' }] })],
    });
    const result = await run({
      kubeconfig: api.kubeconfigPath,
      namespace: 'shop',
      for: 'ingress/front',
      from: 'payments/pod/payer',
      output: 'json',
      failOn: 'never',
    });
    expect(result.stderr).toBe('');
    const r = parseReport(result.stdout).services[0].reachability!;
    expect(r.ports[0].backends.map((b) => b.verdict)).toEqual(['allowed', 'blocked']);
  });

  it('a client the cluster does not have: exit 2', async () => {
    api ??= await startTestServer({ objects: WORLD });
    const result = await run({ kubeconfig: api.kubeconfigPath, namespace: 'shop', from: 'deployment/nope' }, ['web']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --from: deployment "nope" not found in namespace "shop"\n',
    });
  });
});

describe('--from through the CLI', () => {
  it("the bundled example: teller's view of secure/ledger, as README shows it", () => {
    const result = runCli(['--snapshot', EXAMPLE, '-n', 'secure', 'svc/ledger', '--from', 'deployment/teller']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('networkpolicy-blocks-dns: pod secure/teller-');
    expect(result.stdout).toMatch(
      /^ {2}http 80\/TCP {3}ledger-\S+:8080 {3}blocked {3}client egress admitted by NetworkPolicy teller; backend ingress isolated by NetworkPolicy default-deny/m,
    );
    const missing = runCli(['--snapshot', EXAMPLE, '-n', 'secure', 'svc/ledger', '--from', 'pod/teller']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('error: --from: pod "teller" not found in namespace "secure"\n');
  });

  const teller = ['--snapshot', EXAMPLE, '-n', 'secure', '--from', 'deployment/teller'];

  it('-o markdown: a table per Service of what teller reaches', () => {
    const result = runCli([...teller, '-o', 'markdown']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('### Reachability (--from deployment/teller)');
    expect(result.stdout).toMatch(
      /^\| http 80\/TCP \| ledger-\S+:8080 \| blocked \| client egress admitted by NetworkPolicy teller; backend ingress isolated by NetworkPolicy default-deny, and no rule admits it \|$/m,
    );
    expect(result.stdout.match(/^#### secure\/\S+ from pod secure\/teller-/gm)).toHaveLength(5);
  });

  it('-o junit: the matrix in each testcase, failures only from findings', () => {
    const result = runCli([...teller, '-o', 'junit']);
    const json = parseReport(runCli([...teller, '-o', 'json']).stdout);
    expect(result.code).toBe(1);
    expect(result.stdout.match(/<system-out>/g)).toHaveLength(json.services.length);
    expect(result.stdout).toMatch(/^secure\/ledger: from pod secure\/teller-/m);
    const errors = json.findings.filter((f) => f.severity === 'error').length;
    expect(result.stdout.match(/<failure /g)).toHaveLength(errors);
  });

  it('tree: under each backend pod, whether teller reaches it', () => {
    const result = runCli([...teller, 'tree', 'svc/ledger']);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n').filter((l) => l.includes('from deployment/teller to'));
    expect(lines.map((l) => l.replace(/^[\s│├└─]+/, '').replace(/ledger-\S+/, 'POD'))).toEqual([
      'from deployment/teller to http 80/TCP (8080): allowed: client egress admitted by NetworkPolicy teller; backend ingress admitted by NetworkPolicy ledger',
      'from deployment/teller to http 80/TCP (8080): allowed: client egress admitted by NetworkPolicy teller; backend ingress admitted by NetworkPolicy ledger',
      'from deployment/teller to http 80/TCP (8080): blocked: client egress admitted by NetworkPolicy teller; backend ingress isolated by NetworkPolicy default-deny, and no rule admits it',
    ]);
  });
});
