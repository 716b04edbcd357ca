// `kubectl endpoints-doctor snapshot` against the test server: it writes each object slim (only
// the fields the diagnosis reads), which --snapshot reads back to the model and the report the
// live cluster gives; no env, command, probe, volume or termination-message secret is written,
// and with --redact no annotation value or message either.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { valueAt } from '../src/core/json-value.js';
import type { ClusterObject } from '../src/core/objects.js';
import type { Report } from '../src/report/report.js';
import { connect, fetchLive } from '../src/sources/live.js';
import { readSnapshot } from '../src/sources/snapshot.js';
import { startTestServer, type TestServer } from './server/index.js';
import { parseReport, parseSnapshot, runCliAsync, writeTemp, type SnapshotObject } from './support/cli.js';
import { withControllers } from './support/controller.js';
import {
  apiService,
  gateway,
  httpRoute,
  namespace,
  networkPolicy,
  node,
  pod,
  service,
  webhookConfiguration,
  workload,
  type Raw,
} from './support/objects.js';
import { requiredObject } from './support/required-fields.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;
const SECRETS_REMINDER =
  'note: the snapshot keeps annotation values and container, condition and event messages, which may hold secrets; --redact blanks them\n';

const managedFields = [
  {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  },
];

/** Adds managedFields and, for pods, env vars (literal and from a secret) to an object. */
function dressed(o: Raw): Raw {
  const out = structuredClone(o);
  requiredObject(out, 'metadata').managedFields = managedFields;
  if (out.kind === 'Pod') {
    const container = requiredObject(out, 'spec', 'containers', 0);
    // What the probe sends is not kept, only its handler and target.
    if (container.readinessProbe) {
      container.readinessProbe = {
        httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'Authorization', value: 'Bearer t0ken' }] },
        periodSeconds: 5,
      };
      container.livenessProbe = { exec: { command: ['check', '--password=pa55'] } };
    }
    container.env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'api' } } },
    ];
    requiredObject(out, 'spec').initContainers = [
      { name: 'init', image: 'busybox', env: [{ name: 'INIT_TOKEN', value: 's3cr3t' }] },
    ];
    requiredObject(out, 'metadata').annotations = { 'example.com/owner': 'alice@example.com' };
  }
  return out;
}

const objects = withControllers([
  node('node-a'),
  node('node-b', { ready: 'False' }),
  service('web', { annotations: { 'example.com/secret-note': 'do-not-share' } }),
  pod('web-1'),
  pod('web-2', { node: 'node-b' }),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
  service('ghost', { selector: { app: 'ghost' } }),
  service('web', { ns: 'other' }),
  pod('web-1', { ns: 'other' }),
  // A namespace with no Endpoints, EndpointSlices or pods at all.
  service('docs', { ns: 'bare', type: 'ExternalName', selector: null }),
])
  .map(dressed)
  .concat(
    // Cluster-scoped, calling Services of two namespaces; caBundle and timeouts are not kept.
    webhookConfiguration('policy', [
      {
        name: 'pods.policy.example.com',
        service: { ns: 'shop', name: 'api' },
        namespaceSelector: { matchLabels: { a: 'b' } },
      },
      { name: 'scan.policy.example.com', service: { ns: 'other', name: 'web', port: 80 }, failurePolicy: 'Ignore' },
    ]),
    apiService('v1beta1.metrics.k8s.io', {
      service: { ns: 'shop', name: 'web', port: 80 },
      available: { status: 'True', reason: 'Passed', message: 'all checks passed' },
    }),
    // A route and its Gateway, whose status addresses (one typed, one left to the IPAddress
    // default, one NamedAddress the model drops) find its data plane when no Service is labelled.
    httpRoute('front', { rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] }),
    gateway('shop-gateway', {
      addresses: [
        { type: 'Hostname', value: 'gw.example.com' },
        { value: '203.0.113.20' },
        { type: 'NamedAddress', value: 'pool-a' },
      ],
    }),
    // A labelled Namespace and a policy whose defaults (policyTypes, protocol) the server fills in.
    namespace('shop', { team: 'shop' }),
    networkPolicy('web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }], ports: [{ port: 'http' }] }],
    }),
  );

/**
 * Nineteen kinds of secret a cluster's objects carry. The snapshot keeps no field of all but four
 * (the diagnosis reads none of them, and of a readiness probe's path it keeps no query); those
 * four are free text it keeps, which --redact blanks.
 */
const PLANTED = {
  envValue: 'S01-env-value',
  initEnvValue: 'S02-init-env-value',
  command: 'S03-command',
  args: 'S04-args',
  probeHeader: 'S05-probe-header',
  readinessQuery: 'S17-readiness-query',
  probePath: 'S06-probe-path',
  execProbe: 'S07-exec-probe',
  postStartHook: 'S08-post-start-hook',
  preStopHeader: 'S09-pre-stop-header',
  initCommand: 'S10-init-command',
  volumeOption: 'S11-volume-option',
  lastTerminationMessage: 'S12-last-termination-message',
  podAnnotation: 'S13-pod-annotation',
  templateEnv: 'S14-template-env',
  terminationMessage: 'S15-termination-message',
  serviceAnnotation: 'S16-service-annotation',
  conditionMessage: 'S17-condition-message',
  workloadConditionMessage: 'S18-workload-condition-message',
};
const KEPT_FREE_TEXT = [
  PLANTED.terminationMessage,
  PLANTED.serviceAnnotation,
  PLANTED.conditionMessage,
  PLANTED.workloadConditionMessage,
];

const vault = pod('vault-0', {
  labels: { app: 'vault' },
  ready: false,
  containers: [
    {
      name: 'vault',
      image: 'vault:1',
      command: ['vault', PLANTED.command],
      args: [`--token=${PLANTED.args}`],
      env: [{ name: 'TOKEN', value: PLANTED.envValue }],
      ports: [{ name: 'api', containerPort: 8200 }],
      readinessProbe: {
        httpGet: {
          port: 8200,
          path: `/ready?token=${PLANTED.readinessQuery}`,
          httpHeaders: [{ name: 'X-Token', value: PLANTED.probeHeader }],
        },
      },
      livenessProbe: { httpGet: { port: 8200, path: `/health?key=${PLANTED.probePath}` } },
      startupProbe: { exec: { command: ['check', PLANTED.execProbe] } },
      lifecycle: {
        postStart: { exec: { command: ['hook', PLANTED.postStartHook] } },
        preStop: { httpGet: { port: 8200, httpHeaders: [{ name: 'X-Token', value: PLANTED.preStopHeader }] } },
      },
    },
  ],
  initContainers: [
    {
      name: 'init',
      image: 'busybox',
      command: ['sh', '-c', PLANTED.initCommand],
      env: [{ name: 'T', value: PLANTED.initEnvValue }],
    },
  ],
  conditions: [
    { type: 'PodScheduled', status: 'True' },
    { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: PLANTED.conditionMessage },
  ],
  status: {
    containerStatuses: [
      {
        name: 'vault',
        ready: false,
        restartCount: 4,
        state: { terminated: { reason: 'Error', exitCode: 2, message: PLANTED.terminationMessage } },
        lastState: { terminated: { reason: 'Error', exitCode: 2, message: PLANTED.lastTerminationMessage } },
      },
    ],
  },
  spec: {
    volumes: [{ name: 'creds', flexVolume: { driver: 'example/creds', options: { password: PLANTED.volumeOption } } }],
  },
});
requiredObject(vault, 'metadata').annotations = { 'example.com/note': PLANTED.podAnnotation };
// vault's StatefulSet template holds what its pod does (env included); the snapshot keeps only its labels.
const vaultSet = workload('StatefulSet', 'vault', {
  labels: { app: 'vault' },
  replicas: 1,
  spec: {
    serviceName: 'vault',
    template: {
      metadata: { labels: { app: 'vault' } },
      spec: { containers: [{ name: 'vault', image: 'vault:1', env: [{ name: 'T', value: PLANTED.templateEnv }] }] },
    },
  },
});
// A ReplicaSet that cannot create its pods quotes the API server's refusal, which may name anything.
const failingSet = workload('ReplicaSet', 'api-7f9c', {
  labels: { app: 'api', 'pod-template-hash': '7f9c' },
  owner: { kind: 'Deployment', name: 'api' },
  replicas: 1,
  conditions: [
    { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: PLANTED.workloadConditionMessage },
  ],
});
const vaultService = service('vault', {
  selector: { app: 'vault' },
  annotations: {
    'example.com/owner': PLANTED.serviceAnnotation,
    // Annotations the checks read keep their values under --redact: they are Kubernetes' own.
    'service.kubernetes.io/topology-mode': 'Auto',
    'endpoints-doctor/ignore': 'no-ready-endpoints',
  },
});

describe('snapshot against the test server', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      objects: [...objects, ...withControllers([vault, vaultService]), vaultSet, failingSet],
    });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
  });

  /** The CLI with the server's kubeconfig; a subcommand stays first, as commander wants it. */
  async function run(args: string[]) {
    const [first, ...rest] = args;
    const withKubeconfig =
      first === 'snapshot'
        ? [first, '--kubeconfig', server.kubeconfigPath, ...rest]
        : ['--kubeconfig', server.kubeconfigPath, ...args];
    const result = await runCliAsync(withKubeconfig);
    expect(result.stderr).not.toMatch(NO_STACK);
    return result;
  }

  /** The snapshot's objects: a JSON List's items, or the YAML documents after the List that names the kinds read. */
  function snapshotItems(text: string, json: boolean): { header: Record<string, unknown>; items: SnapshotObject[] } {
    if (json) {
      const { items, ...header } = parseSnapshot(text);
      return { header, items };
    }
    // The YAML form is the same List: its header document, then one document per object.
    const [header, ...items] = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    return { header: header as Record<string, unknown>, items: items as SnapshotObject[] };
  }

  async function snapshot(
    args: string[],
  ): Promise<{ text: string; header: Record<string, unknown>; items: SnapshotObject[] }> {
    const result = await run(['snapshot', ...args]);
    expect(result.stderr).toBe(args.includes('--redact') ? '' : SECRETS_REMINDER);
    expect(result.code).toBe(0);
    return { text: result.stdout, ...snapshotItems(result.stdout, args.includes('json')) };
  }

  /** The objects live (as the diagnosis slims them) and read back from a snapshot, in one order. */
  async function models(snapshotArgs: string[], scope: { namespace?: string; serviceNames?: string[] }) {
    const conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 30_000, debug: () => {} });
    const live = await fetchLive(conn, { serviceNames: [], ...scope });
    const { text } = await snapshot(snapshotArgs);
    const file = writeTemp(snapshotArgs.includes('json') ? 'snapshot.json' : 'snapshot.yaml', text);
    const key = (o: ClusterObject) => `${o.kind}/${o.meta.namespace}/${o.meta.name}`;
    const sorted = (objects: ClusterObject[]) => [...objects].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    return { live: sorted(live.objects), fromFile: sorted((await readSnapshot(file)).objects) };
  }

  /** The report of `args` live and from the snapshot `snapshotArgs` takes. */
  async function roundTrip(snapshotArgs: string[], args: string[]) {
    const { text, items } = await snapshot(snapshotArgs);
    const file = writeTemp(snapshotArgs.includes('json') ? 'snapshot.json' : 'snapshot.yaml', text);
    const [live, fromFile] = await Promise.all([
      run([...args, '-o', 'json']),
      runCliAsync(['--snapshot', file, ...args, '-o', 'json']),
    ]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(live.code);
    // What a live run asks discovery (the network plugin, other policy kinds) a file cannot hold:
    // the snapshot's report says so once, when it holds NetworkPolicies.
    const report = parseReport(fromFile.stdout);
    const cannotShow = (note: string) => note.startsWith('a snapshot does not show which network plugin');
    const holdsPolicies = items.some((o) => o.kind === 'NetworkPolicy');
    expect(report.notes.filter(cannotShow)).toHaveLength(holdsPolicies ? 1 : 0);
    return {
      live: parseReport(live.stdout),
      fromFile: { ...report, notes: report.notes.filter((note) => !cannotShow(note)) },
    };
  }

  it('writes a List (YAML by default) that --snapshot reads back to the same report, -A', async () => {
    const { live, fromFile } = await roundTrip(['-A'], ['-A']);
    expect(fromFile).toEqual(live);
    expect(live.summary.services).toBe(6);
  });

  it('the same for one namespace and for named Services', async () => {
    const ns = await roundTrip(['-n', 'shop'], ['-n', 'shop']);
    expect(ns.fromFile).toEqual(ns.live);
    // The near-miss hint needs the namespace's pods: the snapshot of ghost holds them.
    const named = await roundTrip(['-n', 'shop', 'web', 'ghost', '-o', 'json'], ['-n', 'shop', 'web', 'ghost']);
    expect(named.fromFile).toEqual(named.live);
    expect(named.live.findings.some((f) => f.check === 'selector-no-match')).toBe(true);
  });

  it('reads back to the very model the live run builds, YAML and JSON, -A and named Services', async () => {
    for (const format of ['yaml', 'json']) {
      const all = await models(['-A', '-o', format], {});
      expect(all.fromFile).toEqual(all.live);
      expect(all.live.length).toBeGreaterThan(10);
      const named = await models(['-n', 'shop', 'web', 'ghost', '-o', format], {
        namespace: 'shop',
        serviceNames: ['web', 'ghost'],
      });
      expect(named.fromFile).toEqual(named.live);
    }
  });

  it('-o json: one List, an item a line, ordered by kind, every item with its kind and apiVersion', async () => {
    const { text, header, items } = await snapshot(['-A', '-o', 'json']);
    expect(header).toEqual({
      apiVersion: 'v1',
      kind: 'List',
      metadata: {
        annotations: {
          'endpoints-doctor/read-kinds':
            'Service,Endpoints,EndpointSlice,Pod,Node,Event,Deployment,ReplicaSet,StatefulSet,DaemonSet,Ingress,ValidatingWebhookConfiguration,MutatingWebhookConfiguration,APIService,HTTPRoute,GRPCRoute,TCPRoute,TLSRoute,UDPRoute,ReferenceGrant,Gateway,NetworkPolicy,Namespace',
        },
      },
    });
    expect(text.trimEnd().split('\n')).toHaveLength(items.length + 2);
    const kinds = items.map((o) => o.kind);
    const order = [
      'Service',
      'Endpoints',
      'EndpointSlice',
      'Pod',
      'Node',
      'ReplicaSet',
      'StatefulSet',
      'ValidatingWebhookConfiguration',
      'APIService',
      'HTTPRoute',
      'Gateway',
      'NetworkPolicy',
      'Namespace',
    ];
    expect(kinds).toEqual([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(new Set(kinds)).toEqual(new Set(order));
    const apiVersions: Record<string, string> = {
      EndpointSlice: 'discovery.k8s.io/v1',
      ReplicaSet: 'apps/v1',
      StatefulSet: 'apps/v1',
      ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
      APIService: 'apiregistration.k8s.io/v1',
      HTTPRoute: 'gateway.networking.k8s.io/v1',
      Gateway: 'gateway.networking.k8s.io/v1',
      NetworkPolicy: 'networking.k8s.io/v1',
    };
    for (const item of items) expect(item.apiVersion).toBe(apiVersions[item.kind] ?? 'v1');
    expect(items.filter((o) => o.kind === 'Pod')).toHaveLength(5);
  });

  it('YAML: the same objects as JSON, one document each after the List that names the kinds read', async () => {
    const yaml = await snapshot(['-A']);
    const json = await snapshot(['-A', '-o', 'json']);
    expect(yaml.header).toEqual({ ...json.header, items: [] });
    expect(yaml.items).toEqual(json.items);
  });

  it('writes only what the diagnosis reads: no managedFields, env, image, liveness probes, probe headers or pod annotations', async () => {
    const { items } = await snapshot(['-A', '-o', 'json']);
    const web1 = items.find((o) => o.kind === 'Pod' && o.metadata.name === 'web-1' && o.metadata.namespace === 'shop');
    expect(Object.keys(web1?.metadata ?? {}).sort()).toEqual([
      'creationTimestamp',
      'labels',
      'name',
      'namespace',
      'uid',
    ]);
    expect(web1?.metadata.labels).toEqual({ app: 'web' });
    expect(valueAt(web1, 'spec', 'containers')).toEqual([
      {
        name: 'app',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        readinessProbe: { httpGet: { port: 'http', path: '/healthz', scheme: 'HTTP' } },
      },
    ]);
    for (const dropped of ['t0ken', 'pa55', 'livenessProbe', 'periodSeconds']) {
      expect(JSON.stringify(items)).not.toContain(dropped);
    }
    expect(valueAt(web1, 'spec', 'initContainers')).toEqual([{ name: 'init' }]);
    expect(valueAt(web1, 'status', 'podIP')).toBeTruthy();
    for (const item of items) expect(item.metadata).not.toHaveProperty('managedFields');
    // A workload: its selector, template labels, replicas and status, never the template's pod spec.
    const set = items.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'vault');
    // The test server stamps a creation time, which is kept like any object's.
    expect(typeof set?.metadata.creationTimestamp).toBe('string');
    expect({ ...set, metadata: { ...set?.metadata, creationTimestamp: undefined } }).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'vault', namespace: 'shop', uid: 'uid-statefulset-vault', creationTimestamp: undefined },
      spec: {
        replicas: 1,
        serviceName: 'vault',
        selector: { matchLabels: { app: 'vault' } },
        template: { metadata: { labels: { app: 'vault' } } },
      },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
    });
    const rs = items.find((o) => o.kind === 'ReplicaSet');
    expect(rs?.metadata.ownerReferences).toEqual([
      { kind: 'Deployment', name: 'api', uid: 'uid-deployment-api', controller: true },
    ]);
  });

  it('no planted secret survives in a field the diagnosis does not read; --redact blanks the free text it keeps', async () => {
    for (const format of ['yaml', 'json']) {
      const plain = await snapshot(['-A', '-o', format]);
      for (const secret of Object.values(PLANTED)) {
        expect(plain.text.includes(secret), secret).toBe(KEPT_FREE_TEXT.includes(secret));
      }
      const redacted = await snapshot(['-A', '-o', format, '--redact']);
      for (const secret of Object.values(PLANTED)) expect(redacted.text, secret).not.toContain(secret);
      const svc = redacted.items.find((o) => o.kind === 'Service' && o.metadata.name === 'vault');
      expect(svc?.metadata.annotations).toEqual({
        'example.com/owner': '',
        'service.kubernetes.io/topology-mode': 'Auto',
        'endpoints-doctor/ignore': 'no-ready-endpoints',
      });
      const vaultPod = redacted.items.find((o) => o.kind === 'Pod' && o.metadata.name === 'vault-0');
      expect(valueAt(vaultPod, 'status', 'containerStatuses', 0, 'state')).toEqual({
        terminated: { reason: 'Error', exitCode: 2 },
      });
    }
  });

  it('--redact: the same findings and statuses, only the messages gone', async () => {
    const { text } = await snapshot(['-A', '--redact']);
    const file = writeTemp('redacted.yaml', text);
    const [live, fromFile] = await Promise.all([
      run(['-A', '-o', 'json']),
      runCliAsync(['--snapshot', file, '-A', '-o', 'json']),
    ]);
    const outline = (report: Report) => ({
      summary: report.summary,
      findings: report.findings.map((f) => [f.check, f.severity, f.namespace, f.service]),
    });
    const vaultChecks = (report: Report) =>
      report.findings.filter((f) => f.namespace === 'shop' && f.service === 'vault').map((f) => f.check);
    expect(outline(parseReport(fromFile.stdout))).toEqual(outline(parseReport(live.stdout)));
    // vault's ignore annotation held in both.
    expect(vaultChecks(parseReport(live.stdout))).not.toContain('no-ready-endpoints');
    expect(vaultChecks(parseReport(fromFile.stdout))).not.toContain('no-ready-endpoints');
    expect(parseReport(fromFile.stdout).services.find((s) => s.name === 'vault')).toMatchObject({ suppressed: 1 });
    expect(fromFile.stdout).not.toContain(PLANTED.conditionMessage);
  });

  it('a kind read but empty in scope reads back as empty, not as unread: same report, no note', async () => {
    const { live, fromFile } = await roundTrip(['-n', 'bare'], ['-n', 'bare']);
    expect(fromFile).toEqual(live);
    expect(live.notes).toEqual([]);
    expect(live.summary.services).toBe(1);
  });

  it('an optional kind it cannot read: a note on stderr, the List without it', async () => {
    server.faults.forbid({ resource: 'nodes' });
    try {
      const result = await run(['snapshot', '-A', '-o', 'json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        `note: Nodes could not be read (forbidden): checks that need them were skipped\n${SECRETS_REMINDER}`,
      );
      expect(parseSnapshot(result.stdout).items.some((o) => o.kind === 'Node')).toBe(false);
    } finally {
      server.faults.clear();
    }
  });

  it('a required kind it cannot read: exit 3, nothing on stdout', async () => {
    server.faults.forbid({ resource: 'pods' });
    try {
      const result = await run(['snapshot', '-n', 'shop']);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: forbidden: cannot list pods in namespace "shop"[^\n]*\n$/);
    } finally {
      server.faults.clear();
    }
  });

  it('refuses --snapshot and unknown formats', async () => {
    const both = await run(['snapshot', '--snapshot', 'x.yaml']);
    expect(both.code).toBe(2);
    const format = await run(['snapshot', '-o', 'table']);
    expect(format.code).toBe(2);
    expect(server.requests).toEqual([]);
  });
});
