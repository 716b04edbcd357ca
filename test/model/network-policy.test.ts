// The NetworkPolicy evaluator against a table of cases. Each case's truth comes from the API's
// own documentation or from upstream's network-policy end-to-end suite, cited in its name:
//   [concept]  https://kubernetes.io/docs/concepts/services-networking/network-policies/
//   [api]      https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
//   [labels]   https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name
//   [e2e]      kubernetes/kubernetes test/e2e/network/netpol/network_policy.go, by test name
// and summarised in docs/kubernetes-semantics.md#networkpolicy. The world is the e2e suite's
// shape, restated: namespaces x, y and z, each with pods a, b and c labelled pod=<name>, every
// pod serving TCP 80 and 81, UDP 80 and SCTP 80 under the names serve-<port>-<protocol>.

import { describe, expect, it } from 'vitest';
import type {
  Container,
  Labels,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../../src/core/objects.js';
import { addressRange } from '../../src/core/ip.js';
import { formatSelector } from '../../src/core/selectors.js';
import {
  admitsEverySource,
  describePeer,
  PolicyEvaluator,
  type Decision,
  type PolicyPod,
} from '../../src/model/network-policy.js';

const NAMESPACES = ['x', 'y', 'z'];
const POD_NAMES = ['a', 'b', 'c'];

function ipOf(namespace: string, name: string): string {
  return `10.${NAMESPACES.indexOf(namespace) + 1}.0.${POD_NAMES.indexOf(name) + 1}`;
}

const SERVER_PORTS: Container['ports'] = [
  { name: 'serve-80-tcp', containerPort: 80, protocol: 'TCP' },
  { name: 'serve-81-tcp', containerPort: 81, protocol: 'TCP' },
  { name: 'serve-80-udp', containerPort: 80, protocol: 'UDP' },
  { name: 'serve-80-sctp', containerPort: 80, protocol: 'SCTP' },
];

function testPod(namespace: string, name: string, o: Partial<PolicyPod> = {}): PolicyPod {
  return {
    meta: { namespace, name, labels: { pod: name } },
    containers: [{ name: 'server', ports: SERVER_PORTS, hasStartupProbe: false }],
    sidecars: [],
    podIPs: [ipOf(namespace, name)],
    ...o,
  };
}

const PODS = new Map<string, PolicyPod>();
for (const ns of NAMESPACES) for (const name of POD_NAMES) PODS.set(`${ns}/${name}`, testPod(ns, name));

function sel(matchLabels: Labels = {}, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}
const ALL = sel();
const podIs = (name: string) => sel({ pod: name });
const nsIs = (name: string) => sel({ 'kubernetes.io/metadata.name': name });

interface RuleSpec {
  peers?: NetworkPolicyPeer[];
  ports?: (Partial<NetworkPolicyPort> & Pick<NetworkPolicyPort, never>)[];
}

/**
 * A policy as the API server stores it: policyTypes defaulted when absent (Ingress, plus Egress
 * when there are egress rules: [api] NetworkPolicySpec.policyTypes), port protocols defaulted to TCP.
 */
function policy(
  name: string,
  o: {
    ns?: string;
    podSelector?: LabelSelector;
    types?: ('Ingress' | 'Egress')[];
    ingress?: RuleSpec[];
    egress?: RuleSpec[];
  },
): NetworkPolicy {
  const rules = (list: RuleSpec[] = []) =>
    list.map((r) => ({
      peers: r.peers ?? [],
      ports: (r.ports ?? []).map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })),
    }));
  return {
    kind: 'NetworkPolicy',
    meta: { namespace: o.ns ?? 'x', name, labels: {}, annotations: {} },
    podSelector: o.podSelector ?? ALL,
    policyTypes: o.types ?? (o.egress ? ['Ingress', 'Egress'] : ['Ingress']),
    ingress: rules(o.ingress),
    egress: rules(o.egress),
  };
}

const DENY_INGRESS = policy('deny-ingress', {});
const DENY_EGRESS = policy('deny-egress', { types: ['Egress'] });

/** Namespace labels as the API server sets them: the name label, plus `extra`. */
function namespaceLabels(extra: Record<string, Labels> = {}): Record<string, Labels> {
  return Object.fromEntries(
    [...NAMESPACES, 'kube-system'].map((ns) => [ns, { 'kubernetes.io/metadata.name': ns, ...extra[ns] }]),
  );
}

function evaluator(policies: NetworkPolicy[], labels: Record<string, Labels> | 'unread' = namespaceLabels()) {
  return new PolicyEvaluator({
    networkPoliciesIn: (ns) => policies.filter((p) => p.meta.namespace === ns),
    namespaceLabels: (name) => (labels === 'unread' ? undefined : labels[name]),
  });
}

interface ConnectionCase {
  name: string;
  policies: NetworkPolicy[];
  /** "ns/pod", or "cidr:203.0.113.0/24" for addresses outside the cluster. */
  from: string;
  to: string;
  port: number;
  protocol?: Protocol;
  labels?: Record<string, Labels> | 'unread';
  allowed: Decision;
}

const podSelectorPeer = (name: string): NetworkPolicyPeer => ({ podSelector: podIs(name) });
const namespacePeer = (name: string): NetworkPolicyPeer => ({ namespaceSelector: nsIs(name) });

const CASES: ConnectionCase[] = [
  // Isolation and policyTypes defaults
  {
    name: 'no policy selects the pod: it accepts every connection ([concept] isolated and non-isolated pods)',
    policies: [],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'a policy in another namespace does not isolate the pod ([concept] policies are namespaced)',
    policies: [policy('deny', { ns: 'y' })],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: "default-deny-ingress: empty podSelector, no ingress rules ([e2e] should support a 'default-deny-ingress' policy)",
    policies: [DENY_INGRESS],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'default-deny-ingress also blocks pods of its own namespace ([e2e] default-deny-ingress)',
    policies: [DENY_INGRESS],
    from: 'x/c',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'default-deny-ingress leaves egress open ([concept] default deny all ingress traffic)',
    policies: [DENY_INGRESS],
    from: 'x/a',
    to: 'y/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'policyTypes [Egress] with no rules blocks what the pod sends ([e2e] should deny egress from all pods in a namespace)',
    policies: [DENY_EGRESS],
    from: 'x/a',
    to: 'y/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an egress-only policy leaves ingress open ([concept] default deny all egress traffic)',
    policies: [DENY_EGRESS],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: "default-deny-all: both directions ([e2e] should support a 'default-deny-all' policy)",
    policies: [policy('deny-all', { types: ['Ingress', 'Egress'] })],
    from: 'x/a',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'policyTypes [Egress] with ingress rules: the ingress rules do nothing, ingress is not isolated ([api] NetworkPolicySpec.policyTypes)',
    policies: [
      policy('egress-only', { types: ['Egress'], ingress: [{ peers: [podSelectorPeer('b')] }], egress: [{}] }),
    ],
    from: 'y/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'policyTypes absent with egress rules defaults to Ingress and Egress, so ingress is isolated too ([api] NetworkPolicySpec.policyTypes)',
    policies: [policy('egress-rules', { egress: [{}] })],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'a policy selecting pod=a by label isolates a only ([e2e] should deny ingress access to updated pod)',
    policies: [policy('isolate-a', { podSelector: podIs('a') })],
    from: 'y/a',
    to: 'x/b',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'deny egress of one pod by podSelector ([e2e] should deny egress from pods based on PodSelector)',
    policies: [policy('deny-egress-a', { podSelector: podIs('a'), types: ['Egress'] })],
    from: 'x/a',
    to: 'y/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'ingress and egress are independent: egress allowed to anything, ingress denied ([e2e] ingress and egress policies can be controlled independently)',
    policies: [
      policy('allow-egress', { podSelector: podIs('a'), types: ['Egress'], egress: [{}] }),
      policy('deny-ingress', { podSelector: podIs('a') }),
    ],
    from: 'x/a',
    to: 'x/b',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'a pod cannot block access to itself, even under default-deny-all ([concept] the entities a pod can communicate with)',
    policies: [policy('deny-all', { types: ['Ingress', 'Egress'] })],
    from: 'x/b',
    to: 'x/b',
    port: 80,
    allowed: 'yes',
  },
  // Additive policies
  {
    name: 'allow-all ingress rule ({}) admits every source and port ([e2e] should support allow-all policy)',
    policies: [policy('allow-all', { ingress: [{}] })],
    from: 'z/c',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'policies are additive: a deny-all and an allow-all together allow ([concept] policies are additive)',
    policies: [DENY_INGRESS, policy('allow-all', { ingress: [{}] })],
    from: 'z/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'port 80 only, then an allow-all: 81 is admitted by the second ([e2e] multiple ingress policies with ingress allow-all policy taking precedence)',
    policies: [policy('allow-80', { ingress: [{ ports: [{ port: 80 }] }] }), policy('allow-all', { ingress: [{}] })],
    from: 'x/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'port 80 only: 81 is blocked ([e2e] multiple ingress policies with ingress allow-all policy taking precedence)',
    policies: [policy('allow-80', { ingress: [{ ports: [{ port: 80 }] }] })],
    from: 'x/b',
    to: 'x/a',
    port: 81,
    allowed: 'no',
  },
  {
    name: 'egress to port 80 only, then an egress allow-all: 81 is allowed ([e2e] multiple egress policies with egress allow-all policy taking precedence)',
    policies: [
      policy('egress-80', { types: ['Egress'], egress: [{ ports: [{ port: 80 }] }] }),
      policy('egress-all', { types: ['Egress'], egress: [{}] }),
    ],
    from: 'x/a',
    to: 'y/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'stacked policies: one admits 81 from y, a second admits 80 from y ([e2e] multiple, stacked policies with overlapping podSelectors)',
    policies: [
      policy('y-81', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 81 }] }] }),
      policy('y-80', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 80 }] }] }),
    ],
    from: 'y/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'a policy selecting other pods adds nothing for this one ([concept] isolated and non-isolated pods)',
    policies: [
      policy('isolate-a', { podSelector: podIs('a') }),
      policy('allow-b', { podSelector: podIs('b'), ingress: [{}] }),
    ],
    from: 'x/c',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  // Peers: podSelector, namespaceSelector, AND vs OR
  {
    name: "podSelector alone selects pods of the policy's namespace ([e2e] allow traffic from pods within server namespace based on PodSelector)",
    policies: [policy('a-from-b', { podSelector: podIs('a'), ingress: [{ peers: [podSelectorPeer('b')] }] })],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'podSelector alone does not select the same labels in another namespace ([concept] behavior of to and from selectors)',
    policies: [policy('a-from-b', { podSelector: podIs('a'), ingress: [{ peers: [podSelectorPeer('b')] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an empty podSelector peer admits every pod of its namespace and none other ([e2e] should deny ingress from pods on other namespaces)',
    policies: [policy('same-ns', { ingress: [{ peers: [{ podSelector: ALL }] }] })],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an empty podSelector peer admits a pod of its own namespace ([e2e] should deny ingress from pods on other namespaces)',
    policies: [policy('same-ns', { ingress: [{ peers: [{ podSelector: ALL }] }] })],
    from: 'x/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'namespaceSelector alone admits every pod of the namespaces it selects ([e2e] allow traffic only from a different namespace, based on NamespaceSelector)',
    policies: [policy('from-y', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')] }] })],
    from: 'y/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: "namespaceSelector alone does not admit the policy's own namespace unless it selects it ([e2e] allow traffic only from a different namespace)",
    policies: [policy('from-y', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')] }] })],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an empty namespaceSelector admits pods of every namespace ([e2e] allow ingress traffic from pods in all namespaces)',
    policies: [policy('all-ns', { podSelector: podIs('a'), ingress: [{ peers: [{ namespaceSelector: ALL }] }] })],
    from: 'z/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'both selectors in one peer: pods matching both (AND), here y/a ([e2e] allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector)',
    policies: [
      policy('y-a', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }],
      }),
    ],
    from: 'y/a',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'both selectors in one peer: y/b fails the podSelector (AND) ([e2e] PodSelector and NamespaceSelector)',
    policies: [
      policy('y-a', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }],
      }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'both selectors in one peer: x/a fails the namespaceSelector (AND) ([concept] behavior of to and from selectors)',
    policies: [
      policy('y-a', {
        podSelector: podIs('b'),
        ingress: [{ peers: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }],
      }),
    ],
    from: 'x/a',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'two peers are OR: namespace y, or pod b of the own namespace; x/b matches the second ([e2e] should enforce policy based on PodSelector or NamespaceSelector)',
    policies: [
      policy('or', {
        podSelector: podIs('a'),
        ingress: [{ peers: [namespacePeer('y'), podSelectorPeer('b')] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'two peers are OR: x/c matches neither ([e2e] PodSelector or NamespaceSelector)',
    policies: [
      policy('or', {
        podSelector: podIs('a'),
        ingress: [{ peers: [namespacePeer('y'), podSelectorPeer('b')] }],
      }),
    ],
    from: 'x/c',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'several podSelector peers: any of them ([e2e] should enforce policy based on any PodSelectors)',
    policies: [
      policy('b-or-c', { podSelector: podIs('a'), ingress: [{ peers: [podSelectorPeer('b'), podSelectorPeer('c')] }] }),
    ],
    from: 'x/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'an allow-to-a policy with an empty podSelector and namespaceSelector peer admits every pod ([e2e] allow ingress traffic for a target)',
    policies: [
      DENY_INGRESS,
      policy('all-to-a', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: ALL, namespaceSelector: ALL }] }],
      }),
    ],
    from: 'z/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'the same deny-all still blocks x/b, which the allow policy does not select ([e2e] allow ingress traffic for a target)',
    policies: [
      DENY_INGRESS,
      policy('all-to-a', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: ALL, namespaceSelector: ALL }] }],
      }),
    ],
    from: 'z/c',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  // matchExpressions operators
  {
    name: 'podSelector matchExpressions In ([e2e] should enforce policy based on PodSelector with MatchExpressions)',
    policies: [
      policy('in', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: sel({}, [{ key: 'pod', operator: 'In', values: ['b'] }]) }] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'namespaceSelector matchExpressions NotIn [x] admits y ([e2e] NamespaceSelector with MatchExpressions)',
    policies: [
      policy('notin', {
        podSelector: podIs('a'),
        ingress: [
          {
            peers: [
              {
                namespaceSelector: sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }]),
              },
            ],
          },
        ],
      }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'NotIn [x] does not admit x itself ([e2e] NamespaceSelector with MatchExpressions)',
    policies: [
      policy('notin', {
        podSelector: podIs('a'),
        ingress: [
          {
            peers: [
              {
                namespaceSelector: sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }]),
              },
            ],
          },
        ],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'NotIn also holds for a pod without the key ([api] LabelSelectorRequirement operators)',
    policies: [
      policy('notin-tier', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: sel({}, [{ key: 'tier', operator: 'NotIn', values: ['db'] }]) }] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'Exists needs the key ([api] LabelSelectorRequirement operators)',
    policies: [
      policy('exists', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: sel({}, [{ key: 'tier', operator: 'Exists', values: [] }]) }] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'DoesNotExist holds without the key ([api] LabelSelectorRequirement operators)',
    policies: [
      policy('not-exists', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: sel({}, [{ key: 'tier', operator: 'DoesNotExist', values: [] }]) }] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'matchLabels and matchExpressions must all hold (pod=b and pod in (c)) ([api] LabelSelector)',
    policies: [
      policy('and', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ podSelector: sel({ pod: 'b' }, [{ key: 'pod', operator: 'In', values: ['c'] }]) }] }],
      }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'the policy podSelector can use matchExpressions too (pod in (b,c) isolates b) ([api] NetworkPolicySpec.podSelector)',
    policies: [policy('isolate-bc', { podSelector: sel({}, [{ key: 'pod', operator: 'In', values: ['b', 'c'] }]) })],
    from: 'y/a',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  // Namespace labels
  {
    name: 'a namespaceSelector on a label the namespace carries ([e2e] should allow ingress access from updated namespace)',
    policies: [
      policy('ns2', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: sel({ ns2: 'updated' }) }] }],
      }),
    ],
    labels: namespaceLabels({ y: { ns2: 'updated' } }),
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'the same selector before the namespace carries the label ([e2e] should allow ingress access from updated namespace)',
    policies: [
      policy('ns2', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: sel({ ns2: 'updated' }) }] }],
      }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'namespace labels not read: a selector on another label cannot be judged, unknown, never a guess (docs/kubernetes-semantics.md#networkpolicy)',
    policies: [
      policy('team', { podSelector: podIs('a'), ingress: [{ peers: [{ namespaceSelector: sel({ team: 'web' }) }] }] }),
    ],
    labels: 'unread',
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'unknown',
  },
  {
    name: 'namespace labels not read: kubernetes.io/metadata.name is the name, set by the API server ([labels] kubernetes.io/metadata.name; [e2e] using default ns label)',
    policies: [policy('from-y', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')] }] })],
    labels: 'unread',
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'namespace labels not read: a name that differs decides no even beside an unknown label ([labels] kubernetes.io/metadata.name)',
    policies: [
      policy('y-team', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'y', team: 'web' }) }] }],
      }),
    ],
    labels: 'unread',
    from: 'z/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'namespace labels not read, but another rule admits the source: allowed ([concept] policies are additive)',
    policies: [
      policy('team', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ namespaceSelector: sel({ team: 'web' }) }] }, { peers: [namespacePeer('y')] }],
      }),
    ],
    labels: 'unread',
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  // Ports and protocols
  {
    name: 'ports admit 81 from namespace y: y reaches 81 ([e2e] should enforce policy based on Ports)',
    policies: [
      policy('y-81', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 81 }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'the same rule does not admit 80: a rule needs both its peers and its ports ([concept] ingress: from and ports)',
    policies: [
      policy('y-81', { podSelector: podIs('a'), ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 81 }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'a port entry with a protocol and no port admits every port of it ([e2e] ingress policy allowing any port traffic to a server on a specific protocol)',
    policies: [policy('tcp', { podSelector: podIs('a'), ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'the same entry does not admit UDP ([e2e] any port traffic to a server on a specific protocol)',
    policies: [policy('tcp', { podSelector: podIs('a'), ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: 'no',
  },
  {
    name: 'a port entry without protocol is TCP: it does not admit UDP 80 ([api] NetworkPolicyPort.protocol defaults to TCP)',
    policies: [policy('80', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 80 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: 'no',
  },
  {
    name: 'UDP only does not admit TCP ([e2e] should not allow access by TCP when a policy specifies only UDP)',
    policies: [policy('udp-81', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'no',
  },
  {
    name: 'UDP default-deny blocks UDP ([e2e] NetworkPolicy between server and client using UDP: default-deny-ingress)',
    policies: [DENY_INGRESS],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: 'no',
  },
  {
    name: 'UDP port 80 admitted by a UDP entry ([e2e] using UDP: should enforce policy based on Ports)',
    policies: [policy('udp-80', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 80, protocol: 'UDP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: 'yes',
  },
  {
    name: "SCTP is not TCP: an SCTP-only rule leaves TCP blocked ([e2e] should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP')",
    policies: [
      DENY_INGRESS,
      policy('sctp-81', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'no',
  },
  {
    name: 'a policy allowing only SCTP still isolates the pod for TCP ([e2e] should properly isolate pods that are selected by a policy allowing SCTP)',
    policies: [policy('sctp-80', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'no',
  },
  {
    name: 'SCTP 80 admitted by an SCTP entry ([e2e] using SCTP: should enforce policy based on Ports)',
    policies: [policy('sctp-80', { podSelector: podIs('a'), ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'SCTP',
    allowed: 'yes',
  },
  {
    name: 'a named port is the destination pod port of that name: serve-81-tcp admits 81 ([e2e] should allow ingress access on one named port)',
    policies: [policy('named', { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'the named port serve-81-tcp does not admit 80 ([e2e] should allow ingress access on one named port)',
    policies: [policy('named', { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'a named port matches by name and protocol: serve-80-udp with protocol TCP matches nothing ([api] NetworkPolicyPort.port: a named port on the pod)',
    policies: [policy('named-udp-as-tcp', { ingress: [{ ports: [{ port: 'serve-80-udp' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: 'no',
  },
  {
    name: 'a named port no container declares admits nothing ([api] NetworkPolicyPort.port)',
    policies: [policy('named-missing', { ingress: [{ ports: [{ port: 'http' }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'a named port from one namespace only: y reaches serve-80-tcp ([e2e] should allow ingress access from namespace on one named port)',
    policies: [
      policy('y-named', {
        podSelector: podIs('a'),
        ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 'serve-80-tcp' }] }],
      }),
    ],
    from: 'y/c',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'an egress named port resolves on the destination pod ([e2e] should allow egress access on one named port)',
    policies: [policy('egress-named', { types: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    from: 'x/a',
    to: 'y/b',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'the egress named port does not admit 81 ([e2e] should allow egress access on one named port)',
    policies: [policy('egress-named', { types: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    from: 'x/a',
    to: 'y/b',
    port: 81,
    allowed: 'no',
  },
  {
    name: 'endPort makes a range: 80..90 admits 81 ([api] NetworkPolicyPort.endPort; [concept] targeting a range of ports)',
    policies: [policy('range', { ingress: [{ ports: [{ port: 80, endPort: 90 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'endPort is inclusive: 70..80 admits 80 ([api] NetworkPolicyPort.endPort)',
    policies: [policy('range', { ingress: [{ ports: [{ port: 70, endPort: 80 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'endPort includes its start: 81..90 admits 81 ([api] NetworkPolicyPort.endPort)',
    policies: [policy('range', { ingress: [{ ports: [{ port: 81, endPort: 90 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'yes',
  },
  {
    name: 'a range 82..90 does not admit 81 ([api] NetworkPolicyPort.endPort)',
    policies: [policy('range', { ingress: [{ ports: [{ port: 82, endPort: 90 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: 'no',
  },
  // Egress, and both ends
  {
    name: 'both ends must allow: egress allows x/a to y/a only, so y/b is blocked although its ingress admits x/a ([e2e] denying of egress traffic on the client side)',
    policies: [
      policy('to-y-a', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }],
      }),
      policy('from-x-a', {
        ns: 'y',
        podSelector: podIs('b'),
        ingress: [{ peers: [{ namespaceSelector: nsIs('x'), podSelector: podIs('a') }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'egress to a pod in another namespace by podSelector and namespaceSelector ([e2e] egress policy allowing traffic to a server in a different namespace)',
    policies: [
      policy('to-y-a', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ namespaceSelector: nsIs('y'), podSelector: podIs('a') }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: "egress podSelector alone means pods of the client's namespace, not the destination's ([concept] behavior of to and from selectors)",
    policies: [
      policy('to-b', { podSelector: podIs('a'), types: ['Egress'], egress: [{ peers: [podSelectorPeer('b')] }] }),
    ],
    from: 'x/a',
    to: 'y/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'egress DNS: a client isolated for egress with no rule for port 53 cannot reach the cluster DNS pods (docs/kubernetes-semantics.md#networkpolicy)',
    policies: [policy('to-y', { types: ['Egress'], egress: [{ peers: [namespacePeer('y')] }] })],
    from: 'x/a',
    to: 'kube-system/dns',
    port: 53,
    protocol: 'UDP',
    allowed: 'no',
  },
  {
    name: 'egress DNS: a rule admitting UDP 53 to kube-system lets the client resolve names ([api] NetworkPolicyEgressRule)',
    policies: [
      policy('to-y', { types: ['Egress'], egress: [{ peers: [namespacePeer('y')] }] }),
      policy('dns', {
        types: ['Egress'],
        egress: [
          {
            peers: [{ namespaceSelector: nsIs('kube-system'), podSelector: sel({ 'k8s-app': 'kube-dns' }) }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      }),
    ],
    from: 'x/a',
    to: 'kube-system/dns',
    port: 53,
    protocol: 'UDP',
    allowed: 'yes',
  },
  {
    name: 'egress DNS: the same rule admits TCP 53 (large answers fall back to TCP) ([api] NetworkPolicyPort)',
    policies: [
      policy('dns', {
        types: ['Egress'],
        egress: [
          {
            peers: [{ namespaceSelector: nsIs('kube-system') }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      }),
    ],
    from: 'x/a',
    to: 'kube-system/dns',
    port: 53,
    allowed: 'yes',
  },
  // ipBlock
  {
    name: "egress to an ipBlock holding the server's address ([e2e] should allow egress access to server in CIDR block)",
    policies: [
      policy('cidr', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ ipBlock: { cidr: '10.2.0.2/32', except: [] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/b',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'the same ipBlock does not hold another pod ([e2e] should allow egress access to server in CIDR block)',
    policies: [
      policy('cidr', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ ipBlock: { cidr: '10.2.0.2/32', except: [] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/c',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'except carves an address out of the cidr ([e2e] should enforce except clause while egress access to server in CIDR block)',
    policies: [
      policy('except', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.2/32'] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'x/b',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an address in both a cidr with except and another rule is allowed ([e2e] an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed)',
    policies: [
      policy('except', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.2/32'] } }] }],
      }),
      policy('exact', {
        podSelector: podIs('a'),
        types: ['Egress'],
        egress: [{ peers: [{ ipBlock: { cidr: '10.1.0.2/32', except: [] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'x/b',
    port: 80,
    allowed: 'yes',
  },
  {
    name: 'an ingress ipBlock admits clients outside the cluster in its range ([concept] ipBlock, the example policy 172.17.0.0/16)',
    policies: [
      policy('office', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ ipBlock: { cidr: '203.0.113.0/24', except: [] } }] }],
      }),
    ],
    from: 'cidr:203.0.113.7',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
  {
    name: "the example policy's except: 172.17.1.0/24 is not admitted ([concept] the example NetworkPolicy)",
    policies: [
      policy('office', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }],
      }),
    ],
    from: 'cidr:172.17.1.9',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'a client range only partly in the ipBlock: some of its addresses are admitted, unknown for the range ([api] IPBlock)',
    policies: [
      policy('office', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ ipBlock: { cidr: '203.0.113.0/25', except: [] } }] }],
      }),
    ],
    from: 'cidr:203.0.113.0/24',
    to: 'x/a',
    port: 80,
    allowed: 'unknown',
  },
  {
    name: 'selectors never match addresses outside the cluster: a namespaceSelector {} does not admit them ([concept] behavior of to and from selectors)',
    policies: [policy('pods', { podSelector: podIs('a'), ingress: [{ peers: [{ namespaceSelector: ALL }] }] })],
    from: 'cidr:203.0.113.7',
    to: 'x/a',
    port: 80,
    allowed: 'no',
  },
  {
    name: 'an IPv6 ipBlock holds an IPv6 client, not an IPv4 one ([api] IPBlock.cidr, "2001:db8::/64")',
    policies: [
      policy('v6', {
        podSelector: podIs('a'),
        ingress: [{ peers: [{ ipBlock: { cidr: '2001:db8::/64', except: [] } }] }],
      }),
    ],
    from: 'cidr:2001:db8::5',
    to: 'x/a',
    port: 80,
    allowed: 'yes',
  },
];

// Pods outside the e2e world the cases use: the cluster DNS.
PODS.set(
  'kube-system/dns',
  testPod('kube-system', 'dns', {
    meta: { namespace: 'kube-system', name: 'dns', labels: { 'k8s-app': 'kube-dns' } },
    containers: [
      {
        name: 'coredns',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        ],
        hasStartupProbe: false,
      },
    ],
    podIPs: ['10.9.0.53'],
  }),
);

function podNamed(ref: string): PolicyPod {
  const pod = PODS.get(ref);
  if (!pod) throw new Error(`no test pod ${ref}`);
  return pod;
}

describe('NetworkPolicy connections (docs/kubernetes-semantics.md#networkpolicy)', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const client = c.from.startsWith('cidr:') ? addressRange(c.from.slice(5))! : podNamed(c.from);
    const verdict = evaluator(c.policies, c.labels).connection(client, podNamed(c.to), c.port, c.protocol ?? 'TCP');
    expect(verdict.allowed).toBe(c.allowed);
  });
});

describe('what a verdict says besides allowed', () => {
  it('names the namespaces whose labels it lacked (docs/kubernetes-semantics.md#networkpolicy)', () => {
    const p = policy('team', {
      podSelector: podIs('a'),
      ingress: [{ peers: [{ namespaceSelector: sel({ team: 'web' }) }] }],
    });
    const verdict = evaluator([p], 'unread').connection(podNamed('y/b'), podNamed('x/a'), 80, 'TCP');
    expect(verdict.ingress.unknownNamespaces).toEqual(['y']);
    expect(verdict.ingress.undecidedBy.map((r) => r.policy.meta.name)).toEqual(['team']);
  });
  it('names the rules that admitted the connection, by policy and index', () => {
    const p = policy('two-rules', { ingress: [{ peers: [namespacePeer('z')] }, { peers: [namespacePeer('y')] }] });
    const verdict = evaluator([p]).connection(podNamed('y/b'), podNamed('x/a'), 80, 'TCP');
    expect(verdict.ingress.admittedBy.map((r) => [r.policy.meta.name, r.rule])).toEqual([['two-rules', 1]]);
  });
  it('a client outside the cluster has no egress side', () => {
    const verdict = evaluator([DENY_EGRESS]).connection(addressRange('203.0.113.1')!, podNamed('x/a'), 80, 'TCP');
    expect(verdict.egress).toBeUndefined();
    expect(verdict.allowed).toBe('yes');
  });
});

describe('admission on a port, before peers', () => {
  it('policies not read: unread, never open (docs/kubernetes-semantics.md#networkpolicy)', () => {
    const e = new PolicyEvaluator({ networkPoliciesIn: () => undefined, namespaceLabels: () => undefined });
    expect(e.admission(podNamed('x/a'), 'Ingress', 80, 'TCP').state).toBe('unread');
  });
  it('a hostNetwork pod gets no verdict ([concept] NetworkPolicy and hostNetwork pods)', () => {
    const host = testPod('x', 'a', { hostNetwork: true });
    expect(evaluator([DENY_INGRESS]).admission(host, 'Ingress', 80, 'TCP').state).toBe('hostNetwork');
    expect(evaluator([DENY_INGRESS]).connection(podNamed('y/a'), host, 80, 'TCP').allowed).toBe('unknown');
  });
  it('a hostNetwork client is not matched by selectors: unknown, not no ([concept] NetworkPolicy and hostNetwork pods)', () => {
    const host = testPod('x', 'b', { hostNetwork: true });
    const p = policy('from-b', { podSelector: podIs('a'), ingress: [{ peers: [podSelectorPeer('b')] }] });
    expect(evaluator([p]).connection(host, podNamed('x/a'), 80, 'TCP').allowed).toBe('unknown');
  });
  it('lists the selecting policies and the rules whose ports admit the port, with their peers', () => {
    const a = policy('from-y-80', {
      podSelector: podIs('a'),
      ingress: [{ peers: [namespacePeer('y')], ports: [{ port: 80 }] }],
    });
    const b = policy('from-z-81', { ingress: [{ peers: [namespacePeer('z')], ports: [{ port: 81 }] }] });
    const admission = evaluator([a, b]).admission(podNamed('x/a'), 'Ingress', 80, 'TCP');
    expect(admission.state).toBe('isolated');
    if (admission.state !== 'isolated') return;
    expect(admission.policies.map((p) => p.meta.name)).toEqual(['from-y-80', 'from-z-81']);
    expect(admission.rules.map((r) => r.policy.meta.name)).toEqual(['from-y-80']);
    expect(admitsEverySource(admission)).toBe(false);
  });
  it('a rule without peers admits every source', () => {
    const admission = evaluator([policy('all-80', { ingress: [{ ports: [{ port: 80 }] }] })]).admission(
      podNamed('x/a'),
      'Ingress',
      80,
      'TCP',
    );
    expect(admitsEverySource(admission)).toBe(true);
  });
  it('a named port on a native sidecar counts ([api] NetworkPolicyPort.port: a named port on the pod)', () => {
    const withSidecar = testPod('x', 'a', {
      sidecars: [
        { name: 'proxy', ports: [{ name: 'mesh', containerPort: 15001, protocol: 'TCP' }], hasStartupProbe: false },
      ],
    });
    const admission = evaluator([policy('mesh', { ingress: [{ ports: [{ port: 'mesh' }] }] })]).admission(
      withSidecar,
      'Ingress',
      15001,
      'TCP',
    );
    expect(admission.state === 'isolated' && admission.rules.length).toBe(1);
  });
});

describe('one evaluator, many pods', () => {
  const withHttp = (name: string, port: number) =>
    testPod('x', name, {
      meta: { namespace: 'x', name, labels: { app: 'web', pod: name } },
      containers: [
        { name: 'server', ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }], hasStartupProbe: false },
      ],
    });
  it('pods selected alike are each judged on their own named ports ([api] NetworkPolicyPort.port: a named port on the pod)', () => {
    const e = evaluator([
      policy('http', { podSelector: sel({ app: 'web' }), ingress: [{ ports: [{ port: 'http' }] }] }),
    ]);
    const rulesOn = (pod: PolicyPod, port: number) => {
      const admission = e.admission(pod, 'Ingress', port, 'TCP');
      return admission.state === 'isolated' ? admission.rules.length : admission.state;
    };
    const a = withHttp('a', 8080);
    const b = withHttp('b', 9090);
    expect(rulesOn(a, 8080)).toBe(1);
    expect(rulesOn(b, 8080)).toBe(0);
    expect(rulesOn(b, 9090)).toBe(1);
    expect(rulesOn(a, 9090)).toBe(0);
  });
  it("pods selected alike get the same answer per port and protocol, not one port's for another", () => {
    const e = evaluator([policy('web-80', { podSelector: sel({ app: 'web' }), ingress: [{ ports: [{ port: 80 }] }] })]);
    const a = withHttp('a', 8080);
    const b = withHttp('b', 8080);
    const admitted = (pod: PolicyPod, port: number, protocol: Protocol) => {
      const admission = e.admission(pod, 'Ingress', port, protocol);
      return admission.state === 'isolated' && admission.rules.length > 0;
    };
    expect([admitted(a, 80, 'TCP'), admitted(b, 80, 'TCP')]).toEqual([true, true]);
    expect([admitted(b, 81, 'TCP'), admitted(a, 81, 'TCP')]).toEqual([false, false]);
    expect([admitted(a, 80, 'UDP'), admitted(b, 80, 'SCTP')]).toEqual([false, false]);
  });
  it('lists the policies selecting a pod in name order, whichever label selected them', () => {
    const names = ['a-all', 'b-by-pod', 'c-all', 'd-by-app', 'e-by-pod'];
    const selectors = [ALL, podIs('a'), ALL, sel({ app: 'web' }), sel({ pod: 'a', app: 'web' })];
    const e = evaluator(names.map((name, i) => policy(name, { podSelector: selectors[i] })));
    const admission = e.admission(withHttp('a', 8080), 'Ingress', 80, 'TCP');
    expect(admission.state === 'isolated' && admission.policies.map((p) => p.meta.name)).toEqual(names);
  });
});

describe('wording', () => {
  it('spells selectors as kubectl -l does', () => {
    expect(
      formatSelector(
        sel({ app: 'web' }, [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'Exists', values: [] },
          { key: 'y', operator: 'DoesNotExist', values: [] },
          { key: 'z', operator: 'NotIn', values: ['q'] },
        ]),
      ),
    ).toBe('app=web,tier in (a,b),x,!y,z notin (q)');
  });
  it.each([
    [{ podSelector: podIs('b') }, 'pods pod=b of namespace x'],
    [{ podSelector: ALL }, 'every pod of namespace x'],
    [{ namespaceSelector: nsIs('y') }, 'every pod of namespace y'],
    [{ namespaceSelector: sel({ team: 'a' }) }, 'every pod of namespaces team=a'],
    [{ namespaceSelector: ALL, podSelector: podIs('b') }, 'pods pod=b of every namespace'],
    [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, '10.0.0.0/8 except 10.1.0.0/16'],
  ] as [NetworkPolicyPeer, string][])('describes a peer: %j', (peer, words) => {
    expect(describePeer(peer, 'x')).toBe(words);
  });
});
