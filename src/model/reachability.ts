// --from: a Service as one client sees it. The client the flag names, found in the model, then per
// Service port and ready backend whether NetworkPolicies let it connect (its egress and the
// backend's ingress, both needed: docs/kubernetes-semantics.md#a-clients-view), and whether
// it can reach the cluster DNS at all (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies).
// Every answer is three-valued: what the input does not show is unknown, with the reason.

import type { AddressRange } from '../core/ip.js';
import type { Labels, NetworkPolicy, Pod, Protocol, Service, Workload } from '../core/objects.js';
import type { ClusterModel } from './cluster.js';
import {
  selectorMatcher,
  type Decision,
  type DirectionVerdict,
  type PolicyEvaluator,
  type PolicyPeerEnd,
  type PolicyPod,
} from './network-policy.js';
import { findPort, describeServicePort } from './ports.js';
import { policyEvaluator, servicePolicies } from './service-policies.js';
import type { ServiceView } from './service-view.js';

/** What --from names, parsed (commands/from.ts); a namespace left out is the run's. */
export type ClientSpec =
  | { kind: 'Pod' | WorkloadKind; namespace?: string; name: string }
  | { kind: 'Namespace'; name: string }
  | { kind: 'CIDR'; cidr: string; range: AddressRange };

type WorkloadKind = Workload['kind'];

/** The client as evaluated: a pod of the input, a stand-in pod, or addresses outside any pod. */
export interface Client {
  /** --from as typed. */
  from: string;
  /** What stands for it, in words: "pod shop/frontend-abc", "a pod with no labels in namespace payments". */
  evaluatedAs: string;
  /** Absent when the input cannot say who the client is (`unknown` says why): no verdict then. */
  end?: PolicyPod | AddressRange;
  unknown?: string;
  /** What the evaluation assumed: a representative pod, labels that differ among a workload's pods. */
  notes: string[];
}

const WORKLOAD_COVERAGE = {
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
} as const;

/** A pod that is no object of the input: the labels a client would have, and no address or port. */
function standIn(namespace: string, labels: Labels): PolicyPod {
  return { meta: { namespace, name: '', labels }, containers: [], sidecars: [], podIPs: [] };
}

/** The label keys whose values are not the same on every pod (a key some pods lack counts). */
function differingKeys(pods: readonly Pod[]): string[] {
  const keys = new Set(pods.flatMap((p) => Object.keys(p.meta.labels)));
  const [first] = pods;
  return [...keys]
    .filter((k) => pods.some((p) => p.meta.labels[k] !== first.meta.labels[k] || !Object.hasOwn(p.meta.labels, k)))
    .sort();
}

function workloadClient(
  model: ClusterModel,
  spec: { kind: WorkloadKind; namespace: string; name: string },
  from: string,
): { client: Client } | { notFound: string } {
  const { kind } = spec;
  const type = kind.toLowerCase();
  const label = `${kind}s`;
  if (!model.coverage[WORKLOAD_COVERAGE[kind]]) {
    return {
      client: {
        from,
        evaluatedAs: `${type} ${spec.namespace}/${spec.name}`,
        unknown: `${label} were not read: its pods are not known`,
        notes: [],
      },
    };
  }
  const workload = model.workloadsIn(spec.namespace)?.all.find((w) => w.kind === kind && w.meta.name === spec.name);
  if (!workload) return { notFound: `${type} "${spec.name}" not found in namespace "${spec.namespace}"` };
  const name = `${type} ${spec.namespace}/${spec.name}`;
  const matches = selectorMatcher(workload.selector);
  const pods = model.coverage.pods ? model.podsInNamespace(spec.namespace).filter((p) => matches(p.meta.labels)) : [];
  if (pods.length === 0) {
    const why = model.coverage.pods ? 'none of its pods is in the input' : 'Pods were not read';
    return {
      client: {
        from,
        evaluatedAs: `a pod of ${name} with its pod template's labels (${why})`,
        end: standIn(spec.namespace, workload.templateLabels),
        notes: [],
      },
    };
  }
  const [first] = pods;
  const differ = differingKeys(pods);
  const notes =
    differ.length > 0
      ? [
          `the ${pods.length} pods of ${name} do not all carry the same labels (${differ.join(', ')}): evaluated with ${first.meta.name}'s`,
        ]
      : [];
  return {
    client: {
      from,
      evaluatedAs: `pod ${spec.namespace}/${first.meta.name} of ${name} (${pods.length === 1 ? '1 pod' : `${pods.length} pods`})`,
      end: first,
      notes,
    },
  };
}

/**
 * The client --from names, found in the model: `notFound` (a usage error) when the input holds
 * its kind and not it; a client without `end` when the input cannot say (its kind not read).
 */
export function resolveClient(
  model: ClusterModel,
  spec: ClientSpec,
  from: string,
  defaultNamespace: string,
): { client: Client } | { notFound: string } {
  if (spec.kind === 'CIDR') {
    return {
      client: {
        from,
        evaluatedAs: `addresses ${spec.cidr}, outside any pod (no egress policy applies)`,
        end: spec.range,
        notes: [],
      },
    };
  }
  if (spec.kind === 'Namespace') {
    if (model.coverage.namespaces && !model.namespaces.some((n) => n.meta.name === spec.name)) {
      return { notFound: `namespace "${spec.name}" not found` };
    }
    return {
      client: {
        from,
        evaluatedAs: `a pod with no labels in namespace ${spec.name}`,
        end: standIn(spec.name, {}),
        notes: [],
      },
    };
  }
  const namespace = spec.namespace ?? defaultNamespace;
  if (spec.kind !== 'Pod') return workloadClient(model, { kind: spec.kind, namespace, name: spec.name }, from);
  const evaluatedAs = `pod ${namespace}/${spec.name}`;
  if (!model.coverage.pods) return { client: { from, evaluatedAs, unknown: 'Pods were not read', notes: [] } };
  const pod = model.pod(namespace, spec.name);
  if (!pod) return { notFound: `pod "${spec.name}" not found in namespace "${namespace}"` };
  return { client: { from, evaluatedAs, end: pod, notes: [] } };
}

// ---------------------------------------------------------------------------------------------
// Verdicts

export type Verdict = 'allowed' | 'blocked' | 'unknown';

const VERDICT: Record<Decision, Verdict> = { yes: 'allowed', no: 'blocked', unknown: 'unknown' };

/** One side of a connection: the client's egress or the backend's ingress. */
interface SideReachability {
  verdict: Verdict;
  /** The policies isolating the pod for that direction, by name; empty when none does. */
  policies: string[];
  /** The policies whose rules admit the connection. */
  admittedBy?: string[];
  /** Why the side is unknown. */
  unknown?: string;
}

interface BackendReachability {
  pod: string;
  /** The Service's targetPort as resolved on the pod: the port policies see. */
  targetPort: number;
  verdict: Verdict;
  /** The sides that block it. */
  blockedBy?: ('client egress' | 'backend ingress')[];
  /** Absent for a client outside any pod. */
  egress?: SideReachability;
  ingress: SideReachability;
  /** The verdict in words: which side, which policies. */
  reason: string;
}

interface PortReachability {
  /** "http 80/TCP", as findings name the port. */
  port: string;
  backends: BackendReachability[];
}

interface DnsReachability {
  verdict: Verdict;
  udp: Verdict;
  tcp: Verdict;
  /** The DNS servers judged against, in words. */
  servers: string;
  /** The policies isolating the client for egress, by name. */
  policies: string[];
  reason: string;
}

/** A Service from the client's side: the report's `services[].reachability`. */
export interface ServiceReachability {
  from: string;
  client: string;
  /** The client's namespace, where its egress policies are; absent for addresses outside any pod. */
  clientNamespace?: string;
  /** Why there is no verdict at all (the client's kind was not read). */
  unknown?: string;
  notes: string[];
  /**
   * What the verdicts assume of enforcement: "if your network plugin enforces NetworkPolicy", or
   * the plugin the cluster shows to enforce it ("cilium enforces NetworkPolicy").
   */
  enforcement: string;
  /** Absent for a client outside any pod (its resolver is not the cluster's). */
  dns?: DnsReachability;
  ports: PortReachability[];
  /** Ready endpoints whose pod the input does not hold: no verdict for them. */
  unknownBackends?: number;
}

function names(policies: Iterable<NetworkPolicy>): string[] {
  return [...new Set([...policies].map((p) => p.meta.name))].sort();
}

function nameList(list: string[]): string {
  return `${list.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${list.join(', ')}`;
}

/** Why one direction's answer is unknown, from what the evaluator could not decide. */
function unknownWhy(v: DirectionVerdict, subject: PolicyPod, other: PolicyPeerEnd): string {
  if (v.admission.state === 'unread') return `the NetworkPolicies of namespace ${subject.meta.namespace} were not read`;
  if (v.admission.state === 'hostNetwork') return `${podName(subject)} uses its node's network (hostNetwork)`;
  if (v.unknownNamespaces.length > 0) {
    return `the labels of namespace ${v.unknownNamespaces.join(', ')} were not read (Namespaces not in the input)`;
  }
  if (other.kind === 'pod' && other.pod.hostNetwork)
    return `${podName(other.pod)} uses its node's network (hostNetwork)`;
  return `an ipBlock of ${nameList(names(v.undecidedBy.map((r) => r.policy)))} holds only part of it, or it has no address`;
}

function podName(pod: PolicyPod): string {
  return pod.meta.name ? `pod ${pod.meta.namespace}/${pod.meta.name}` : `a pod of namespace ${pod.meta.namespace}`;
}

function sideOf(v: DirectionVerdict, subject: PolicyPod, other: PolicyPeerEnd): SideReachability {
  const isolated = v.admission.state === 'isolated' ? v.admission : undefined;
  const side: SideReachability = { verdict: VERDICT[v.allowed], policies: isolated ? names(isolated.policies) : [] };
  if (v.allowed === 'yes' && isolated) side.admittedBy = names(v.admittedBy.map((r) => r.policy));
  if (v.allowed === 'unknown') side.unknown = unknownWhy(v, subject, other);
  return side;
}

function describeSide(name: string, side: SideReachability): string {
  if (side.verdict === 'unknown') return `${name} unknown: ${side.unknown}`;
  if (side.policies.length === 0) return `${name} not isolated`;
  if (side.verdict === 'allowed') return `${name} admitted by ${nameList(side.admittedBy ?? [])}`;
  return `${name} isolated by ${nameList(side.policies)}, and no rule admits it`;
}

/** Other policy kinds may allow or deny what NetworkPolicies say: then nothing is certain (docs/kubernetes-semantics.md#what-is-not-evaluated). */
function otherKindsWhy(model: ClusterModel): string | undefined {
  if (model.otherPolicyKinds.length === 0) return undefined;
  return `the cluster also has ${[...model.otherPolicyKinds].sort().join(', ')} objects, which are not evaluated`;
}

function backendReachability(
  evaluator: PolicyEvaluator,
  client: PolicyPod | AddressRange,
  pod: Pod,
  targetPort: number,
  protocol: Protocol,
  otherKinds: string | undefined,
): BackendReachability {
  const verdict = evaluator.connection(client, pod, targetPort, protocol);
  const clientEnd: PolicyPeerEnd =
    'family' in client ? { kind: 'addresses', range: client } : { kind: 'pod', pod: client };
  const ingress = sideOf(verdict.ingress, pod, clientEnd);
  const egress =
    verdict.egress && !('family' in client) ? sideOf(verdict.egress, client, { kind: 'pod', pod }) : undefined;
  const itself = 'meta' in client && client === pod;
  const blockedBy: BackendReachability['blockedBy'] = [];
  if (!itself && egress?.verdict === 'blocked') blockedBy.push('client egress');
  if (!itself && ingress.verdict === 'blocked') blockedBy.push('backend ingress');
  const sides = [...(egress ? [describeSide('client egress', egress)] : []), describeSide('backend ingress', ingress)];
  let reason = itself
    ? "the client is this backend: a pod's connections to itself are never blocked"
    : sides.join('; ');
  let result = VERDICT[verdict.allowed];
  if (otherKinds) {
    reason = `${otherKinds}; NetworkPolicies alone: ${result}, ${reason}`;
    result = 'unknown';
  }
  return {
    pod: pod.meta.name,
    targetPort,
    verdict: result,
    ...(blockedBy.length > 0 && !otherKinds ? { blockedBy } : {}),
    ...(egress ? { egress } : {}),
    ingress,
    reason,
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster DNS

const DNS_NAMESPACE = 'kube-system';
const DNS_SERVICE = 'kube-dns';
/** The label kubeadm's CoreDNS and kube-dns pods carry, and the kube-dns Service selects. */
const DNS_POD_LABEL = 'k8s-app';

/** The cluster DNS pods the input holds: the kube-dns Service's, else those labelled k8s-app=kube-dns. */
function dnsServers(model: ClusterModel): { pods: Pod[]; service?: Service; servers: string } {
  const service = model.service(DNS_NAMESPACE, DNS_SERVICE);
  const selector = service?.selector ?? { [DNS_POD_LABEL]: DNS_SERVICE };
  const matches = selectorMatcher({ matchLabels: selector, matchExpressions: [] });
  const pods = model.podsInNamespace(DNS_NAMESPACE).filter((p) => matches(p.meta.labels));
  const what = service
    ? `the pods of Service ${DNS_NAMESPACE}/${DNS_SERVICE}`
    : `the pods ${DNS_POD_LABEL}=${DNS_SERVICE} of ${DNS_NAMESPACE}`;
  if (pods.length > 0) return { pods, service, servers: `${what} (${pods.map((p) => p.meta.name).join(', ')})` };
  return { pods, service, servers: `${what}: none in the input` };
}

/** The port a DNS pod answers on for the protocol: the kube-dns Service's port 53 resolved on it, else 53. */
function dnsPort(pod: Pod, service: Service | undefined, protocol: Protocol): number {
  const port = service?.ports.find((p) => p.port === 53 && p.protocol === protocol);
  return (port && findPort(pod, port)) ?? 53;
}

function anyNamedPort(policies: readonly NetworkPolicy[], protocol: Protocol): boolean {
  return policies.some((p) =>
    p.egress.some((r) => r.ports.some((e) => e.protocol === protocol && typeof e.port === 'string')),
  );
}

/** Egress from the client to the cluster DNS on one protocol; `pods` empty: to pods the input does not show. */
function dnsOn(
  evaluator: PolicyEvaluator,
  client: PolicyPod,
  pods: readonly Pod[],
  service: Service | undefined,
  protocol: Protocol,
): Decision {
  if (pods.length === 0) {
    const admission = evaluator.admission(client, 'Egress', 53, protocol, undefined);
    if (admission.state === 'open') return 'yes';
    // No rule admits port 53 to any destination: blocked whatever the DNS pods are.
    if (admission.state === 'isolated' && admission.rules.length === 0 && !anyNamedPort(admission.policies, protocol))
      return 'no';
    return 'unknown';
  }
  const decisions = pods.map(
    (pod) =>
      evaluator.direction(
        client,
        'Egress',
        { kind: 'pod', pod, address: pod.podIPs[0] },
        dnsPort(pod, service, protocol),
        protocol,
      ).allowed,
  );
  if (decisions.includes('no')) return 'no';
  return decisions.includes('unknown') ? 'unknown' : 'yes';
}

function dnsReachability(model: ClusterModel, evaluator: PolicyEvaluator, client: PolicyPod): DnsReachability {
  const { pods, service, servers } = dnsServers(model);
  const udp = dnsOn(evaluator, client, pods, service, 'UDP');
  const tcp = dnsOn(evaluator, client, pods, service, 'TCP');
  const policies = names(evaluator.selecting(client, 'Egress') ?? []);
  let verdict: Decision = udp === 'no' || tcp === 'no' ? 'no' : udp === 'yes' && tcp === 'yes' ? 'yes' : 'unknown';
  let reason: string;
  if (client.hostNetwork) reason = `${podName(client)} uses its node's network (hostNetwork)`;
  else if (!evaluator.selecting(client, 'Egress'))
    reason = `the NetworkPolicies of namespace ${client.meta.namespace} were not read`;
  else if (policies.length === 0) reason = 'the client is not isolated for egress';
  else {
    const blocked = [udp === 'no' && 'UDP 53', tcp === 'no' && 'TCP 53'].filter((p): p is string => p !== false);
    const open = [udp === 'yes' && 'UDP 53', tcp === 'yes' && 'TCP 53'].filter((p): p is string => p !== false);
    const parts = [`isolated for egress by ${nameList(policies)}`];
    if (blocked.length > 0) parts.push(`no rule admits ${blocked.join(' or ')} to ${servers}`);
    if (open.length > 0) parts.push(`${open.join(' and ')} admitted to ${servers}`);
    if (verdict !== 'no' && blocked.length + open.length < 2) {
      parts.push(
        pods.length === 0
          ? `whether its rules admit the DNS pods is unknown: ${servers}`
          : 'some rules could not be decided',
      );
    }
    reason = parts.join('; ');
  }
  const otherKinds = otherKindsWhy(model);
  if (otherKinds) {
    reason = `${otherKinds}; NetworkPolicies alone: ${VERDICT[verdict]}, ${reason}`;
    verdict = 'unknown';
  }
  return { verdict: VERDICT[verdict], udp: VERDICT[udp], tcp: VERDICT[tcp], servers, policies, reason };
}

// ---------------------------------------------------------------------------------------------

/** The Service from the client's side: per port, each ready backend's verdict, and the client's DNS. */
export function serviceReachability(view: ServiceView, model: ClusterModel, client: Client): ServiceReachability {
  const base = {
    from: client.from,
    client: client.evaluatedAs,
    notes: client.notes,
    enforcement: model.enforcingPlugin
      ? `${model.enforcingPlugin} enforces NetworkPolicy`
      : 'if your network plugin enforces NetworkPolicy',
  };
  const { end } = client;
  if (!end) return { ...base, unknown: client.unknown ?? 'the client is not known', ports: [] };
  const evaluator = policyEvaluator(model);
  const otherKinds = otherKindsWhy(model);
  const policies = servicePolicies(view, model);
  const ports = policies.ports.map(({ servicePort, backends }) => ({
    port: describeServicePort(servicePort),
    backends: backends.map((b) => backendReachability(evaluator, end, b.pod, b.port, servicePort.protocol, otherKinds)),
  }));
  return {
    ...base,
    ...('meta' in end ? { clientNamespace: end.meta.namespace, dns: dnsReachability(model, evaluator, end) } : {}),
    ports,
    ...(policies.unknownBackends > 0 ? { unknownBackends: policies.unknownBackends } : {}),
  };
}
