// Golden output of -o tree (no colour, fixed clock), in vitest file snapshots under test/golden/.
// After an intended change: npx vitest run test/render-tree.test.ts --update, then read the diff.
// The files are committed: CI (CI=true) compares them and never writes a missing one.

import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { palette } from '../src/render/colour.js';
import { renderTree } from '../src/render/tree.js';
import { buildReport } from '../src/report/report.js';
import { runChecks } from '../src/report/run-checks.js';
import { withControllers } from './support/controller.js';
import {
  endpointOf,
  endpoints,
  event,
  ipFor,
  networkPolicy,
  node,
  ownedPod,
  pod,
  service,
  slice,
  unschedulablePod,
  workload,
  type Raw,
} from './support/objects.js';
import { modelFromRaw } from '../src/model/from-raw.js';
import type { Diagnosis } from '../src/report/diagnosis.js';
import { blockedFromFrontend, diagnoseFrom } from './support/from-diagnosis.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const created = (iso: string) => ({ creationTimestamp: iso });

function tree(
  objects: Raw[],
  options: { ascii?: boolean; showEndpoints?: boolean; coverage?: Parameters<typeof modelFromRaw>[1] } = {},
): string {
  const model = modelFromRaw(objects, options.coverage);
  const run = runChecks(model, model.services, CHECKS);
  const services = run.services.map((s) => s.service);
  return renderTree(services, model, buildReport(run, []), palette(false), {
    ascii: options.ascii ?? false,
    showEndpoints: options.showEndpoints ?? false,
    now: NOW,
  });
}

const withAge = (o: Raw, iso: string): Raw => ({ ...o, metadata: { ...(o.metadata as Raw), ...created(iso) } });

// Built in this order for their addresses (ipFor).
const healthy = withAge(pod('web-1'), '2026-11-24T12:00:00Z');
const crashing = withAge(pod('web-2', { node: 'node-b', waiting: 'CrashLoopBackOff' }), '2026-11-25T11:00:00Z');
const unschedulable = withAge(
  unschedulablePod('web-3', '0/2 nodes are available: 2 Insufficient cpu.'),
  '2026-11-25T11:55:00Z',
);
const shop: Raw[] = [
  ...withControllers([
    node('node-a', { zone: 'zone-a' }),
    node('node-b', { zone: 'zone-b' }),
    withAge(service('web'), '2026-10-01T00:00:00Z'),
    healthy,
    crashing,
    unschedulable,
    withAge(service('api', { selector: { app: 'api', tier: 'be' } }), '2026-09-01T00:00:00Z'),
    withAge(pod('api-1', { labels: { app: 'api', tier: 'backend' } }), '2026-11-20T00:00:00Z'),
  ]),
  // The newest Warning event under each pod in trouble; "no recent events" under the one without any.
  event(crashing, 'BackOff', 'Back-off restarting failed container app', {
    count: 9,
    lastSeen: '2026-11-25T11:58:00Z',
  }),
  event(crashing, 'Pulled', 'Successfully pulled image', { type: 'Normal', lastSeen: '2026-11-25T11:59:00Z' }),
];

describe('-o tree', () => {
  it('draws Service → slices → endpoints → pods, pods in no slice, near misses and findings', async () => {
    await expect(tree(shop)).toMatchFileSnapshot('golden/tree-shop.txt');
  });

  it('--ascii uses no box-drawing characters', async () => {
    const out = tree(shop, { ascii: true });
    await expect(out).toMatchFileSnapshot('golden/tree-shop-ascii.txt');
    expect(out).not.toMatch(/[├└│→]/);
  });

  it('shows a Service with no pods, never hides it', () => {
    const out = tree([service('lonely', { selector: { app: 'nobody' } })]);
    expect(out).toMatch(/^shop\s+Service\/lonely\s+0\/0\s+ERROR/m);
  });

  it('--show-endpoints adds the legacy Endpoints as a sibling branch', () => {
    const out = tree(shop, { showEndpoints: true });
    expect(out).toMatch(/Endpoints\/web \(v1, legacy\)\s+1\/2/);
  });

  // The EndpointSlice controller lists every pod that ShouldPodBeInEndpoints accepts, ready or not
  // (pkg/controller/endpointslice/reconciler.go, staging/src/k8s.io/endpointslice/utils.go); a slice
  // that misses one leaves it without traffic, and the tree shows it with the pods it excludes.
  it('lists every matched pod absent from all slices: excluded ones and eligible ones the slices miss', () => {
    const out = tree([
      node('node-a'),
      service('web'),
      pod('web-1'),
      pod('web-2'),
      pod('web-3', { waiting: 'CrashLoopBackOff' }),
      pod('web-4', { ip: null, node: null, ready: false }),
      pod('web-5', { phase: 'Succeeded', ready: false }),
      // The controller's slice lists web-1 only; web-5 (finished) is still listed by address.
      slice('web', { endpoints: [endpointOf('web-1'), { ip: ipFor('web-5'), ready: false }] }),
    ]);
    expect(out).toMatch(/└─\(matched pods in no slice: 3\)/);
    expect(out).toMatch(
      /Pod\/web-2\s+1\/1\s+Ready, but in no slice: the controller should list it, it gets no traffic/,
    );
    expect(out).toMatch(
      /Pod\/web-3\s+0\/1\s+container app waiting: CrashLoopBackOff; the controller should list it \(not ready\), no slice does/,
    );
    expect(out).toMatch(/Pod\/web-4\s+0\/1\s+unscheduled\s/);
    // Listed (by address) although finished: under the slice, not in the branch.
    expect(out).not.toMatch(/└─Pod\/web-5/);
    expect(out).not.toMatch(/Pod\/web-1 .*no slice/);
  });

  it('without EndpointSlices in the input, says so rather than calling every pod missing', () => {
    const model = modelFromRaw(
      [node('node-a'), service('web'), pod('web-1'), pod('web-2', { waiting: 'ErrImagePull' })],
      {
        endpointSlices: false,
      },
    );
    const run = runChecks(model, model.services, CHECKS);
    const out = renderTree(model.services, model, buildReport(run, []), palette(false), {
      ascii: false,
      showEndpoints: false,
      now: NOW,
    });
    expect(out).toMatch(/\(matched pods, EndpointSlices not read: 2\)/);
    expect(out).toMatch(/Pod\/web-1\s+1\/1\s+Ready\s/);
    expect(out).not.toMatch(/no slice/);
  });

  // Policies select pods by label and see the targetPort resolved on each backend
  // (docs/kubernetes-semantics.md#isolation-and-policytypes,
  // docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat).
  describe('the NetworkPolicies isolating each backend, under its pod', () => {
    const backends: Raw[] = [
      service('web'),
      pod('web-1'),
      pod('web-2', { labels: { app: 'web', canary: 'true' } }),
      slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
    ];
    const denyAll = networkPolicy('deny-all', {});
    const allowFront = networkPolicy('allow-front', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }], ports: [{ port: 8080 }] }],
    });
    const openCanary = networkPolicy('open-canary', {
      podSelector: { matchLabels: { canary: 'true' } },
      ingress: [{}],
    });

    /** The lines under one pod's row that name a NetworkPolicy, trimmed of the tree's glyphs. */
    const policyLines = (out: string, podName: string): string[] => {
      const lines = out.split('\n');
      const at = lines.findIndex((l) => l.includes(`Pod/${podName}`));
      const found: string[] = [];
      for (const line of lines.slice(at + 1)) {
        if (!line.includes('NetworkPolicy/')) break;
        found.push(
          line
            .replace(/^\S+\s+[│├└─ ]*/, '')
            .replace(/\s+/g, ' ')
            .trim(),
        );
      }
      return found;
    };

    it('names each policy selecting the pod for ingress and whether it admits the targetPort', () => {
      const out = tree([...backends, denyAll, allowFront, openCanary]);
      expect(policyLines(out, 'web-1')).toEqual([
        'NetworkPolicy/allow-front - 8080/TCP admitted from some sources -',
        'NetworkPolicy/deny-all - 8080/TCP not admitted -',
      ]);
      expect(policyLines(out, 'web-2')).toEqual([
        'NetworkPolicy/allow-front - 8080/TCP admitted from some sources -',
        'NetworkPolicy/deny-all - 8080/TCP not admitted -',
        'NetworkPolicy/open-canary - 8080/TCP admitted from every source -',
      ]);
    });

    it('a policy that admits nothing on a shut port is drawn as an error, one beside an admitting policy dim', () => {
      /** The tree with each coloured cell marked by its state instead of escape codes. */
      const marked = (objects: Raw[]) => {
        const model = modelFromRaw(objects);
        const run = runChecks(model, model.services, CHECKS);
        const marks = { ...palette(false), status: (state: string, text: string) => `<${state}>${text}` };
        return renderTree(
          model.services,
          model,
          buildReport(run, []),
          { ...marks, dim: (text) => `<dim>${text}` },
          {
            ascii: false,
            showEndpoints: false,
            now: NOW,
          },
        );
      };
      expect(marked([...backends, denyAll])).toMatch(
        /NetworkPolicy\/deny-all\s+<error>-\s+<error>8080\/TCP not admitted/,
      );
      expect(marked([...backends, denyAll, allowFront])).toMatch(
        /NetworkPolicy\/deny-all\s+<dim>-\s+<dim>8080\/TCP not admitted/,
      );
    });

    it('no policy rows when no policy isolates the pods, or when NetworkPolicies were not read', () => {
      expect(tree(backends)).not.toContain('NetworkPolicy/');
      expect(tree([...backends, denyAll], { coverage: { networkPolicies: false } })).not.toContain('NetworkPolicy/');
      // An egress-only policy does not isolate for ingress.
      expect(tree([...backends, networkPolicy('egress', { policyTypes: ['Egress'] })])).not.toContain('NetworkPolicy/');
    });

    it("a policy's name is cluster text: made safe for the terminal", () => {
      const out = tree([...backends, networkPolicy('evil\u001b]0;pwned\u0007', {})]);
      expect(out).toContain('NetworkPolicy/evil');
      expect(out).not.toContain('\u001b');
      expect(out).not.toContain('\u0007');
    });
  });

  describe('--from: whether the client reaches each backend, under its pod', () => {
    const fromTree = (d: Diagnosis) =>
      renderTree(
        d.run.services.map((s) => s.service),
        d.model,
        d.report,
        palette(false),
        { ascii: false, showEndpoints: false, now: NOW },
      );
    /** The unaligned lines right under a pod's row, trimmed of the tree's glyphs. */
    const podNotes = (out: string, podName: string): string[] => {
      const lines = out.split('\n');
      const at = lines.findIndex((l) => l.includes(`Pod/${podName}`));
      const notes: string[] = [];
      for (const line of lines.slice(at + 1)) {
        if (!/^\s/.test(line)) break;
        notes.push(line.replace(/^[\s│├└─]+/, ''));
      }
      return notes;
    };

    it('one line per Service port: blocked by which side and which policies, made safe for the terminal', () => {
      const out = fromTree(diagnoseFrom(blockedFromFrontend(), 'pod/frontend'));
      expect(podNotes(out, 'web-1')).toEqual([
        'from pod/frontend to http 80/TCP (8080): blocked: client egress not isolated; backend ingress isolated by ' +
          'NetworkPolicies admin-only, evil\\x1b]0;pwned\\x07|<b>@team\\u202e, and no rule admits it',
      ]);
      expect(out).not.toMatch(/[\u0007\u001b\u202e]/);
    });

    it('allowed, with the policies that admit it', () => {
      const admitFrontend = networkPolicy('front', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
      });
      const out = fromTree(diagnoseFrom([...blockedFromFrontend(), admitFrontend], 'pod/frontend'));
      expect(podNotes(out, 'web-1')).toEqual([
        'from pod/frontend to http 80/TCP (8080): allowed: client egress not isolated; backend ingress admitted by NetworkPolicy front',
      ]);
    });

    it('a client the input cannot show: the reason under the Service, no line under the pods', () => {
      const out = fromTree(diagnoseFrom(blockedFromFrontend(), 'deployment/front', { deployments: false }));
      expect(out).toContain('│ from deployment/front: no verdict: Deployments were not read: its pods are not known');
      expect(podNotes(out, 'web-1')).toEqual([]);
    });

    it('no such line without --from', () => {
      expect(tree(blockedFromFrontend())).not.toContain('from pod/');
    });
  });

  it('marks endpoints of FQDN slices as ignored by kube-proxy', () => {
    const out = tree([
      service('ext', { selector: null }),
      slice('ext', { addressType: 'FQDN', managedBy: 'me', endpoints: [{ ip: 'db.example.com' }] }),
      endpoints('unrelated'),
    ]);
    expect(out).toMatch(/db\.example\.com\s+ready\s+ignored by kube-proxy/);
  });

  describe('the workloads behind the pods', () => {
    const web = [
      node('node-a'),
      service('web'),
      workload('Deployment', 'web', { replicas: 1 }),
      workload('ReplicaSet', 'web-7f9c', {
        labels: { app: 'web', 'pod-template-hash': '7f9c' },
        replicas: 1,
        owner: { kind: 'Deployment', name: 'web' },
      }),
      ownedPod('web-7f9c-a', { kind: 'ReplicaSet', name: 'web-7f9c' }),
    ];

    it("names each pod's owners in its NAME cell, nearest first, not as rows of their own", () => {
      const out = tree(withControllers(web));
      expect(out).toMatch(/└─Pod\/web-7f9c-a ← ReplicaSet\/web-7f9c ← Deployment\/web\s+1\/1\s+Running/);
      expect(out).not.toMatch(/^\S*\s+\S*Deployment\/web\s/m);
      expect(tree(withControllers(web), { ascii: true })).toMatch(
        /Pod\/web-7f9c-a <- ReplicaSet\/web-7f9c <- Deployment\/web/,
      );
    });

    it('an owner the input lacks ends the chain with its reference; without workloads read, the pod alone', () => {
      const orphan = [node('node-a'), service('web'), ownedPod('web-7f9c-a', { kind: 'ReplicaSet', name: 'web-7f9c' })];
      expect(tree(withControllers(orphan))).toMatch(/Pod\/web-7f9c-a ← ReplicaSet\/web-7f9c\s/);
      const model = modelFromRaw(withControllers(web), {
        deployments: false,
        replicaSets: false,
        statefulSets: false,
        daemonSets: false,
      });
      const run = runChecks(model, model.services, CHECKS);
      const out = renderTree(model.services, model, buildReport(run, []), palette(false), {
        ascii: false,
        showEndpoints: false,
        now: NOW,
      });
      expect(out).toMatch(/└─Pod\/web-7f9c-a\s+1\/1/);
      expect(out).not.toContain('←');
    });

    it('a Service whose selector matches no pod shows the workloads it picks, and templates that nearly match', () => {
      const out = tree([
        service('web'),
        workload('Deployment', 'web', { replicas: 0 }),
        service('api', { selector: { app: 'api', tier: 'frontend' } }),
        workload('Deployment', 'api', { labels: { app: 'api', tier: 'fe' }, replicas: 0 }),
      ]);
      expect(out).toMatch(
        /\(workloads the selector picks, without pods\)[^\n]*\n[^\n]*Deployment\/web\s+0\/0\s+scaled to 0/,
      );
      expect(out).toMatch(
        /\(selector near misses\)[^\n]*\n[^\n]*Deployment\/api\s+0\/0\s+template: tier=fe, not frontend/,
      );
    });
  });
});
