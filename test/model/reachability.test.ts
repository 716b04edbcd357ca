// --from's model against a table of cases: a client, resolved in the model, and the verdict on each
// ready backend of Service shop/web (port http 80 -> targetPort http = 8080 on web-1 and web-2)
// and on the cluster DNS. Each case cites the behaviour it pins:
//   [concept]  https://kubernetes.io/docs/concepts/services-networking/network-policies/
//   [dns]      https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
//   [dns-debug] https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/
//              (the cluster DNS: Service kube-system/kube-dns, pods labelled k8s-app=kube-dns)
// and summarised in docs/kubernetes-semantics.md#networkpolicy, #a-clients-view and
// #cluster-dns-and-egress-policies.

import { describe, expect, it } from 'vitest';
import type { InputCoverage } from '../../src/core/coverage.js';
import { addressRange } from '../../src/core/ip.js';
import type { PolicyContext } from '../../src/model/cluster.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import {
  resolveClient,
  serviceReachability,
  type ClientSpec,
  type ServiceReachability,
  type Verdict,
} from '../../src/model/reachability.js';
import { viewService } from '../../src/model/service-view.js';
import {
  clusterDns,
  endpointOf,
  namespace,
  networkPolicy,
  ownedPod,
  pod,
  service,
  slice,
  workload,
  type Raw,
} from '../support/objects.js';

const WEB = [
  service('web'),
  pod('web-1'),
  pod('web-2'),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
];
const FRONTEND = pod('frontend', { labels: { app: 'frontend' } });
const PAYER = pod('payer', { ns: 'payments', labels: { app: 'payer' } });
const [DNS_SERVICE, COREDNS] = clusterDns();
const NAMESPACES = [namespace('shop'), namespace('payments', { team: 'pay' }), namespace('kube-system')];
const WORLD = [...WEB, FRONTEND, PAYER, DNS_SERVICE, COREDNS, ...NAMESPACES];

const FROM_FRONTEND: ClientSpec = { kind: 'Pod', name: 'frontend' };
const FROM_PAYER: ClientSpec = { kind: 'Pod', namespace: 'payments', name: 'payer' };
const cidr = (text: string): ClientSpec => ({ kind: 'CIDR', cidr: text, range: addressRange(text)! });

const DENY_INGRESS = networkPolicy('deny-ingress', { podSelector: {} });
const FRONTEND_NO_EGRESS = networkPolicy('frontend-egress', {
  podSelector: { matchLabels: { app: 'frontend' } },
  policyTypes: ['Egress'],
});
const frontendEgress = (egress: Raw[]) =>
  networkPolicy('frontend-egress', {
    podSelector: { matchLabels: { app: 'frontend' } },
    policyTypes: ['Egress'],
    egress,
  });
const webIngress = (ingress: Raw[]) =>
  networkPolicy('web-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress });
const TO_WEB_8080 = { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] };
const TO_DNS = (protocols: string[]) => ({
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: protocols.map((protocol) => ({ port: 53, protocol })),
});

interface Case {
  name: string;
  objects: Raw[];
  from: ClientSpec;
  coverage?: Partial<InputCoverage>;
  policyContext?: PolicyContext;
  /** The verdict on every backend of port http 80/TCP. */
  verdict: Verdict;
  blockedBy?: string[];
  /** Text the first backend's reason holds. */
  reason?: string;
  /** The DNS verdict; absent for a client outside any pod. */
  dns?: Verdict | null;
  dnsReason?: string;
  /** Text a note about the client holds. */
  note?: string;
}

function reachability(c: Pick<Case, 'objects' | 'from' | 'coverage' | 'policyContext'>): ServiceReachability {
  const model = modelFromRaw(c.objects, c.coverage, c.policyContext);
  const resolved = resolveClient(model, c.from, 'from', 'shop');
  if ('notFound' in resolved) throw new Error(resolved.notFound);
  return serviceReachability(viewService(model, model.service('shop', 'web')!), model, resolved.client);
}

const CASES: Case[] = [
  {
    name: 'no policy selects either end: allowed, DNS too ([concept] isolated and non-isolated pods)',
    objects: WORLD,
    from: FROM_FRONTEND,
    verdict: 'allowed',
    reason: 'client egress not isolated; backend ingress not isolated',
    dns: 'allowed',
  },
  {
    name: "the backends' default-deny ingress blocks them, on the backend side ([concept] default deny all ingress traffic)",
    objects: [...WORLD, DENY_INGRESS],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    blockedBy: ['backend ingress'],
    reason: 'backend ingress isolated by NetworkPolicy deny-ingress, and no rule admits it',
    dns: 'allowed',
  },
  {
    name: "the client's egress isolated with no rule blocks it, on the client side, and its DNS too ([concept] default deny all egress traffic)",
    objects: [...WORLD, FRONTEND_NO_EGRESS],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    blockedBy: ['client egress'],
    reason: 'client egress isolated by NetworkPolicy frontend-egress',
    dns: 'blocked',
    dnsReason: 'no rule admits UDP 53 or TCP 53 to the pods of Service kube-system/kube-dns (coredns-1)',
  },
  {
    name: 'both sides isolated without a rule: both named ([concept] a connection needs egress of the client and ingress of the server)',
    objects: [...WORLD, DENY_INGRESS, FRONTEND_NO_EGRESS],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    blockedBy: ['client egress', 'backend ingress'],
  },
  {
    name: "an egress rule to the backends' targetPort admits them; DNS stays shut ([concept] behavior of to and from selectors)",
    objects: [...WORLD, frontendEgress([TO_WEB_8080])],
    from: FROM_FRONTEND,
    verdict: 'allowed',
    reason: 'client egress admitted by NetworkPolicy frontend-egress',
    dns: 'blocked',
  },
  {
    name: 'an egress rule to the Service port 80 does not admit the pods reached on 8080 (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
    objects: [...WORLD, frontendEgress([{ ...TO_WEB_8080, ports: [{ port: 80 }] }])],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    blockedBy: ['client egress'],
  },
  {
    name: "an ingress rule naming the container port 'http' admits 8080 ([concept] a named port is the pod's)",
    objects: [
      ...WORLD,
      webIngress([{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 'http' }] }]),
    ],
    from: FROM_FRONTEND,
    verdict: 'allowed',
    reason: 'backend ingress admitted by NetworkPolicy web-ingress',
  },
  {
    name: "an egress rule's named port is resolved on the destination pod ([concept] named ports)",
    objects: [...WORLD, frontendEgress([{ ...TO_WEB_8080, ports: [{ port: 'http' }] }])],
    from: FROM_FRONTEND,
    verdict: 'allowed',
  },
  {
    name: 'a podSelector peer admits pods of the policy namespace only: a pod of payments with the label is not one ([concept] behavior of to and from selectors)',
    objects: [...WORLD, webIngress([{ from: [{ podSelector: { matchLabels: { app: 'payer' } } }] }])],
    from: FROM_PAYER,
    verdict: 'blocked',
    blockedBy: ['backend ingress'],
  },
  {
    name: 'a namespaceSelector on team=pay admits the pods of payments, cross-namespace ([concept] namespaceSelector)',
    objects: [...WORLD, webIngress([{ from: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }] }])],
    from: FROM_PAYER,
    verdict: 'allowed',
  },
  {
    name: "the same with Namespaces not read: payments' labels are unknown, so is the verdict (docs/kubernetes-semantics.md#rules-and-peers)",
    objects: [...WORLD, webIngress([{ from: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }] }])],
    from: FROM_PAYER,
    coverage: { namespaces: false },
    verdict: 'unknown',
    reason: 'the labels of namespace payments were not read',
  },
  {
    name: 'an ipBlock with except: a CIDR inside it and outside except is admitted ([concept] ipBlock)',
    objects: [
      ...WORLD,
      webIngress([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }]),
    ],
    from: cidr('203.0.113.0/25'),
    verdict: 'allowed',
    dns: null,
  },
  {
    name: 'an ipBlock with except: a CIDR inside except is blocked ([concept] ipBlock)',
    objects: [
      ...WORLD,
      webIngress([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }]),
    ],
    from: cidr('203.0.113.128/26'),
    verdict: 'blocked',
    blockedBy: ['backend ingress'],
    dns: null,
  },
  {
    name: 'an ipBlock with except: a CIDR partly in except is unknown, some of its addresses are admitted ([concept] ipBlock)',
    objects: [
      ...WORLD,
      webIngress([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }]),
    ],
    from: cidr('203.0.113.0/24'),
    verdict: 'unknown',
    dns: null,
  },
  {
    name: 'an outside client has no egress side: an egress default-deny of the namespace does not apply to it ([concept] policies select pods)',
    objects: [...WORLD, networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    from: cidr('198.51.100.7/32'),
    verdict: 'allowed',
    reason: 'backend ingress not isolated',
    dns: null,
  },
  {
    name: 'NetworkPolicies not read: unknown, never allowed (docs/kubernetes-semantics.md#networkpolicy)',
    objects: WORLD,
    from: FROM_FRONTEND,
    coverage: { networkPolicies: false },
    verdict: 'unknown',
    reason: 'the NetworkPolicies of namespace shop were not read',
    dns: 'unknown',
  },
  {
    name: 'other policy kinds in the cluster may allow or deny more: unknown (docs/kubernetes-semantics.md#what-is-not-evaluated)',
    objects: [...WORLD, DENY_INGRESS],
    from: FROM_FRONTEND,
    policyContext: { otherPolicyKinds: ['CiliumNetworkPolicy'] },
    verdict: 'unknown',
    reason: 'CiliumNetworkPolicy objects, which are not evaluated; NetworkPolicies alone: blocked',
    dns: 'unknown',
  },
  {
    name: 'a hostNetwork backend gets no verdict (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods)',
    objects: [
      service('web'),
      pod('web-1', { spec: { hostNetwork: true } }),
      slice('web', { endpoints: [endpointOf('web-1')] }),
      FRONTEND,
      DENY_INGRESS,
    ],
    from: FROM_FRONTEND,
    verdict: 'unknown',
    reason: "pod shop/web-1 uses its node's network",
  },
  {
    name: 'namespace/NAME is a pod with no labels there: a rule for app=frontend does not admit it ([concept] podSelector)',
    objects: [...WORLD, webIngress([{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }])],
    from: { kind: 'Namespace', name: 'shop' },
    verdict: 'blocked',
    blockedBy: ['backend ingress'],
  },
  {
    name: "a namespace's default-deny egress isolates a pod with no labels: DNS is shut ([concept] default deny all egress traffic)",
    objects: [...WORLD, networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    from: { kind: 'Namespace', name: 'shop' },
    verdict: 'blocked',
    dns: 'blocked',
  },
  {
    name: 'DNS: egress admitted on UDP and TCP 53 to the kube-dns pods ([dns-debug] the kube-dns Service and its pods)',
    objects: [...WORLD, frontendEgress([TO_DNS(['UDP', 'TCP'])])],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    dns: 'allowed',
    dnsReason: 'UDP 53 and TCP 53 admitted',
  },
  {
    name: 'DNS: UDP 53 alone admitted, TCP 53 is not: a lookup whose answer needs TCP fails ([dns] DNS for Services and Pods)',
    objects: [...WORLD, frontendEgress([TO_DNS(['UDP'])])],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    dns: 'blocked',
    dnsReason: 'no rule admits TCP 53',
  },
  {
    name: 'DNS: a rule to port 53 of a namespace with the DNS pods not in the input: unknown ([dns-debug])',
    objects: [
      ...WEB,
      FRONTEND,
      ...NAMESPACES,
      frontendEgress([
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ]),
    ],
    from: FROM_FRONTEND,
    verdict: 'blocked',
    dns: 'unknown',
    dnsReason: 'none in the input',
  },
  {
    name: 'DNS: no egress rule admits port 53 to anything: blocked whatever the DNS pods are ([concept] default deny all egress traffic)',
    objects: [...WEB, FRONTEND, ...NAMESPACES, frontendEgress([TO_WEB_8080])],
    from: FROM_FRONTEND,
    verdict: 'allowed',
    dns: 'blocked',
  },
  {
    name: "deployment/NAME: its pods' labels differ (pod-template-hash): one represents them, and the note says so",
    objects: [
      ...WORLD,
      workload('Deployment', 'front', { labels: { app: 'front' } }),
      ownedPod(
        'front-a',
        { kind: 'ReplicaSet', name: 'front-1' },
        { labels: { app: 'front', 'pod-template-hash': '1' } },
      ),
      ownedPod(
        'front-b',
        { kind: 'ReplicaSet', name: 'front-2' },
        { labels: { app: 'front', 'pod-template-hash': '2' } },
      ),
      webIngress([{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }]),
    ],
    from: { kind: 'Deployment', name: 'front' },
    verdict: 'allowed',
    note: "the 2 pods of deployment shop/front do not all carry the same labels (pod-template-hash): evaluated with front-a's",
  },
];

describe('a client and a Service: the verdict per backend', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = reachability(c);
    const backends = r.ports.flatMap((p) => p.backends);
    expect(backends.length).toBeGreaterThan(0);
    for (const b of backends) expect(b.verdict, b.reason).toBe(c.verdict);
    if (c.blockedBy) expect(backends[0].blockedBy).toEqual(c.blockedBy);
    else if (c.verdict !== 'blocked') expect(backends[0].blockedBy).toBeUndefined();
    if (c.reason) expect(backends[0].reason).toContain(c.reason);
    if (c.dns === null) expect(r.dns).toBeUndefined();
    else if (c.dns) expect(r.dns?.verdict, r.dns?.reason).toBe(c.dns);
    if (c.dnsReason) expect(r.dns?.reason).toContain(c.dnsReason);
    if (c.note) expect(r.notes).toContain(c.note);
  });
});

describe('resolving --from in the input', () => {
  const model = modelFromRaw(WORLD);
  it('a pod the input does not hold is not found, never an empty verdict', () => {
    expect(resolveClient(model, { kind: 'Pod', name: 'nope' }, 'pod/nope', 'shop')).toEqual({
      notFound: 'pod "nope" not found in namespace "shop"',
    });
  });
  it('a workload the input does not hold is not found', () => {
    expect(resolveClient(model, { kind: 'StatefulSet', name: 'db' }, 'sts/db', 'shop')).toEqual({
      notFound: 'statefulset "db" not found in namespace "shop"',
    });
  });
  it('a namespace the Namespaces read do not hold is not found', () => {
    expect(resolveClient(model, { kind: 'Namespace', name: 'nope' }, 'ns/nope', 'shop')).toEqual({
      notFound: 'namespace "nope" not found',
    });
  });
  it('workloads not read: no verdict, and why', () => {
    const r = reachability({
      objects: WORLD,
      from: { kind: 'Deployment', name: 'front' },
      coverage: { deployments: false },
    });
    expect(r.unknown).toBe('Deployments were not read: its pods are not known');
    expect(r.ports).toEqual([]);
  });
  it('pods not read: a pod client has no verdict', () => {
    const r = reachability({ objects: WORLD, from: FROM_FRONTEND, coverage: { pods: false } });
    expect(r.unknown).toBe('Pods were not read');
  });
  it("a workload with no pod in the input stands for its template's labels, and says so", () => {
    const r = reachability({
      objects: [...WORLD, workload('Deployment', 'idle', { labels: { app: 'idle' } })],
      from: { kind: 'Deployment', name: 'idle' },
    });
    expect(r.client).toBe(
      "a pod of deployment shop/idle with its pod template's labels (none of its pods is in the input)",
    );
  });
  it('a client pod that is the backend itself is allowed: a pod cannot block itself ([concept])', () => {
    const r = reachability({ objects: [...WORLD, DENY_INGRESS], from: { kind: 'Pod', name: 'web-1' } });
    const [self, other] = r.ports[0].backends;
    expect(self.verdict).toBe('allowed');
    expect(self.reason).toContain('connections to itself');
    expect(self.blockedBy).toBeUndefined();
    expect(other.verdict).toBe('blocked');
  });
});
