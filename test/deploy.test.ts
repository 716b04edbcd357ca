// deploy/: the manifests are well-formed and consistent, and the ClusterRole is exactly what the
// plugin needs in a cluster: it grants what the kinds table (src/core/kinds.ts) declares, no more
// and no less; the test API server enforces its rules while the CLI runs with in-cluster
// credentials (service account token and CA), and each rule is shown to be needed (the run fails
// with a clear error without it) or optional (the report says so in a note).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../src/core/kinds.js';
import { OTHER_POLICY_KINDS } from '../src/sources/policy-environment.js';
import { readSnapshot } from '../src/sources/snapshot.js';
import { policyCrds } from './server/crds.js';
import { startTestServer, type PolicyRule, type TestServer } from './server/index.js';
import { runCliAsync } from './support/cli.js';
import type { Report } from '../src/report/report.js';

const DEPLOY = resolve(import.meta.dirname, '../deploy');
const EXAMPLE = resolve(import.meta.dirname, '../examples/shop.yaml');
const TIMEOUT = 180_000;
const NO_STACK = /\n\s+at /;

// What these tests read of the manifests in deploy/; the tests check that the fields are there.
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
}
interface ClusterRole extends Manifest {
  rules: {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames?: string[];
    nonResourceURLs?: string[];
  }[];
}
interface ClusterRoleBinding extends Manifest {
  roleRef: unknown;
  subjects: unknown[];
}
interface CronJob extends Manifest {
  spec: {
    schedule: string;
    jobTemplate: {
      spec: {
        podFailurePolicy: { rules: { onExitCodes: unknown }[] };
        template: { spec: PodSpec };
      };
    };
  };
}
interface PodSpec {
  serviceAccountName: string;
  restartPolicy: string;
  securityContext: { runAsUser: number };
  containers: { name: string; image: string; args: string[]; securityContext: unknown }[];
}

const manifests: Manifest[] = readdirSync(DEPLOY)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest;
    }),
  );

function only<T extends Manifest = Manifest>(kind: string): T {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
}

const role = () => only<ClusterRole>('ClusterRole');
const serviceAccount = () => only('ServiceAccount');
const cronJob = () => only<CronJob>('CronJob');
const podSpec = () => cronJob().spec.jobTemplate.spec.template.spec;

/** A ClusterRole rule as the test server's allow list entry (cluster-wide, as a ClusterRoleBinding grants it). */
function toPolicyRule(rule: ClusterRole['rules'][number]): PolicyRule {
  expect(Object.keys(rule).sort()).toEqual(['apiGroups', 'resources', 'verbs']);
  return { apiGroups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs };
}

describe('the manifests', () => {
  it('are the expected kinds, each with its apiVersion and a name', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      'batch/v1 CronJob',
      'rbac.authorization.k8s.io/v1 ClusterRole',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
      'v1 Namespace',
      'v1 ServiceAccount',
    ]);
    for (const m of manifests) expect(m.metadata?.name, m.kind).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('the binding grants the role to the service account, in the namespace the CronJob runs in', () => {
    const binding = only<ClusterRoleBinding>('ClusterRoleBinding');
    const sa = serviceAccount();
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role().metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
    ]);
    expect(only('Namespace').metadata.name).toBe(sa.metadata.namespace);
    expect(cronJob().metadata.namespace).toBe(sa.metadata.namespace);
    expect(podSpec().serviceAccountName).toBe(sa.metadata.name);
  });

  it('the role grants the verbs the kinds table needs on its resources, and nothing else', () => {
    const { rules } = role();
    const grants = rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`))),
    );
    const needed = [
      ...KINDS.flatMap((k) => k.verbs.map((v) => `${k.group}/${k.resource} ${v}`)),
      // Listed only to say whether any exist (src/sources/policy-environment.ts).
      ...OTHER_POLICY_KINDS.map((k) => `${k.group}/${k.resource} list`),
    ];
    expect(grants.sort()).toEqual(needed.sort());
    expect(new Set(grants).size, 'each grant once').toBe(grants.length);
    for (const r of rules) {
      expect(r.resourceNames, 'no resourceNames').toBeUndefined();
      expect(r.nonResourceURLs, 'no nonResourceURLs').toBeUndefined();
    }
  });

  it('the CronJob runs hardened: not root, read-only root filesystem, no capabilities, no escalation', () => {
    const spec = podSpec();
    expect(cronJob().spec.schedule).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(spec.containers).toHaveLength(1);
    const [container] = spec.containers;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.image).toMatch(/^REGISTRY\//);
    // podFailurePolicy names the container it reads exit codes from.
    const failurePolicy = cronJob().spec.jobTemplate.spec.podFailurePolicy;
    expect(failurePolicy.rules[0].onExitCodes).toMatchObject({ containerName: container.name, values: [1, 2] });
  });
});

/**
 * The environment of the CronJob's pod: what the kubelet mounts for the service account (token,
 * CA, namespace), under a root the plugin is pointed at, and the API server's Service variables.
 */
function inClusterEnv(server: TestServer): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'epd-incluster-'));
  const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), server.token);
  writeFileSync(join(dir, 'ca.crt'), server.caPem);
  writeFileSync(join(dir, 'namespace'), serviceAccount().metadata.namespace);
  return {
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: new URL(server.url).port,
    ENDPOINTS_DOCTOR_SERVICEACCOUNT_ROOT: root,
  };
}

// ---------------------------------------------------------------------------------------------

interface Run {
  code: number;
  stderr: string;
  report?: Report;
}

describe('in a cluster, with exactly the ClusterRole', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let env: Record<string, string>;
  const rules = () => role().rules.map(toPolicyRule);
  const args = () => podSpec().containers[0].args;

  beforeAll(async () => {
    const sa = serviceAccount();
    server = await startTestServer({
      files: [EXAMPLE],
      rules: rules(),
      user: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
    });
    env = inClusterEnv(server);
  });
  afterAll(() => server?.close());

  async function doctor(cliArgs: string[], withRules: PolicyRule[]): Promise<Run> {
    server.setRules(withRules);
    server.requests.length = 0;
    const run = await runCliAsync([...cliArgs, '-o', 'json'], { env });
    expect(run.stderr).not.toMatch(NO_STACK);
    return { ...run, report: run.code <= 1 ? (JSON.parse(run.stdout) as Report) : undefined };
  }

  /**
   * The report from the example file, without the notes on what the file cannot show a live run
   * reads or asks discovery: the Namespaces its policies select by label (the demo holds none; the
   * server makes them as their objects arrive), the network plugin and other policy kinds.
   */
  async function fromSnapshot(cliArgs: string[]): Promise<Run> {
    const run = await runCliAsync(['--snapshot', EXAMPLE, ...cliArgs, '-o', 'json']);
    const report = JSON.parse(run.stdout) as Report;
    const notes = report.notes.filter(
      (n) =>
        !n.startsWith('a snapshot does not show which network plugin') &&
        !n.startsWith('the snapshot holds no Namespaces'),
    );
    return { ...run, report: { ...report, notes } };
  }

  // The CronJob's own arguments (-A), and Services named in a namespace, which take the scoped
  // reads (get on the Service and its Endpoints, pods by selector, the namespace's pods when a
  // selector matches nothing).
  const NAMED = ['-n', 'shop', 'web', 'recommendations', 'orders-db'];
  const scopes = () => [
    { name: "the CronJob's arguments", args: args(), namespace: undefined },
    { name: 'named Services', args: NAMED, namespace: 'shop' },
  ];

  it('the CronJob diagnoses every namespace, and named Services work: the same report as from the snapshot', async () => {
    expect(args()).toContain('-A');
    for (const scope of scopes()) {
      const live = await doctor(scope.args, rules());
      expect(live.stderr, scope.name).toBe('');
      const snapshot = await fromSnapshot(scope.args);
      expect(live.report, scope.name).toEqual(snapshot.report);
      expect(live.code, scope.name).toBe(snapshot.code);
      expect(live.report?.notes, scope.name).toEqual([]);
      // Every request was allowed, made as the service account, and only read.
      expect(server.requests.length, scope.name).toBeGreaterThan(0);
      // (A 404 for a named object is an answer: a Service need not have an Endpoints object.)
      expect(
        server.requests.filter((r) => r.status !== 200 && !(r.status === 404 && r.name)),
        scope.name,
      ).toEqual([]);
      expect(new Set(server.requests.map((r) => r.user)), scope.name).toEqual(new Set([server.user]));
      expect(new Set(server.requests.map((r) => r.method)), scope.name).toEqual(new Set(['GET']));
      // watch is granted for `wait`; the diagnosis reads with get and list only.
      for (const r of server.requests) expect(['get', 'list'], `${r.verb} ${r.path}`).toContain(r.verb);
    }
  });

  // What happens without each rule, by the resource it grants: required reads fail the run with
  // one line naming the resource (exit 3); optional ones leave a note and the run goes on, or no
  // note when nothing read needs them (Namespaces, when no policy selects namespaces by label).
  const withoutRule = async (
    namespace: string | undefined,
  ): Promise<Record<string, { error: RegExp } | { note: string | undefined }>> => {
    const objects = (await readSnapshot(EXAMPLE)).objects.filter(
      (o) => namespace === undefined || o.meta.namespace === namespace || o.meta.namespace === '',
    );
    return Object.fromEntries(
      KINDS.map(({ resource, optional, label, whenMissing, neededBy }) => [
        resource,
        optional
          ? {
              note:
                !neededBy || neededBy(objects) ? `${label} could not be read (forbidden): ${whenMissing}` : undefined,
            }
          : {
              error: new RegExp(
                `^error: forbidden: cannot (list|get) ${resource} .*needs get and list on ${resource}\n$`,
              ),
            },
      ]),
    );
  };

  it('every rule is needed, or optional with a note', async () => {
    // The other policy kinds' rules have a test of their own, on a server that serves them.
    const all = rules().filter((r) => !(r.apiGroups ?? []).some((g) => OTHER_POLICY_KINDS.some((k) => k.group === g)));
    const expectations = new Map<string | undefined, Awaited<ReturnType<typeof withoutRule>>>();
    for (const scope of scopes()) expectations.set(scope.namespace, await withoutRule(scope.namespace));
    expect(all.flatMap((r) => r.resources).sort()).toEqual(Object.keys(expectations.get(undefined)!).sort());
    for (const [i, rule] of all.entries()) {
      const resource = rule.resources.join(',');
      for (const scope of scopes()) {
        const expected = expectations.get(scope.namespace)![resource];
        const label = `without ${resource}, ${scope.name}`;
        const run = await doctor(
          scope.args,
          all.filter((_, j) => j !== i),
        );
        // The server refused that resource, and only that one.
        const refused = server.requests.filter((r) => r.status === 403);
        expect(refused.length, label).toBeGreaterThan(0);
        expect(new Set(refused.map((r) => r.resource)), label).toEqual(new Set([resource]));
        if ('error' in expected) {
          expect(run.code, label).toBe(3);
          expect(run.stderr, label).toMatch(expected.error);
        } else {
          expect(run.stderr, label).toBe('');
          expect(run.code === 0 || run.code === 1, label).toBe(true);
          if (expected.note) expect(run.report?.notes, label).toContain(expected.note);
          else expect(run.report?.notes, label).toEqual([]);
        }
      }
    }
  });
});

describe(
  'in a cluster with policy kinds it does not evaluate, with exactly the ClusterRole',
  { timeout: TIMEOUT },
  () => {
    const sa = serviceAccount();
    const policy = (apiVersion: string, kind: string, namespace?: string) => ({
      apiVersion,
      kind,
      metadata: { name: 'lockdown', ...(namespace ? { namespace } : {}) },
      spec: {},
    });
    let server: TestServer;
    let env: Record<string, string>;
    beforeAll(async () => {
      server = await startTestServer({
        files: [EXAMPLE],
        objects: [
          ...policyCrds('admin'),
          ...policyCrds('cilium'),
          ...policyCrds('calico'),
          policy('cilium.io/v2', 'CiliumNetworkPolicy', 'secure'),
          policy('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy'),
        ],
        rules: role().rules.map(toPolicyRule),
        user: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
      });
      env = inClusterEnv(server);
    });
    afterAll(() => server?.close());

    const policyFindings = async (rules: PolicyRule[]) => {
      server.setRules(rules);
      server.requests.length = 0;
      const run = await runCliAsync(['-n', 'secure', '-o', 'json'], { env });
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as Report;
      return {
        report,
        text: report.findings.filter((f) => f.check.startsWith('networkpolicy-')).map((f) => f.message),
      };
    };

    it('lists each kind, names those that exist as not evaluated, and leaves no note', async () => {
      const { report, text } = await policyFindings(role().rules.map(toPolicyRule));
      expect(server.requests.filter((r) => r.status === 403)).toEqual([]);
      expect(report.notes).toEqual([]);
      expect(text.length).toBeGreaterThan(0);
      for (const message of text) expect(message).toMatch(/AdminNetworkPolicy, CiliumNetworkPolicy/);
    });

    it('without one of those rules, a note says which kind could not be listed, and it counts as present', async () => {
      const all = role().rules.map(toPolicyRule);
      const cilium = all.findIndex((r) => (r.apiGroups ?? []).includes('cilium.io'));
      const { report, text } = await policyFindings(all.filter((_, i) => i !== cilium));
      expect(report.notes).toEqual([
        'CiliumNetworkPolicy objects could not be listed (forbidden): those there are not evaluated',
        'CiliumClusterwideNetworkPolicy objects could not be listed (forbidden): those there are not evaluated',
      ]);
      for (const message of text) expect(message).toMatch(/CiliumClusterwideNetworkPolicy/);
    });
  },
);
