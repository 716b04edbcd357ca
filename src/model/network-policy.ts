// NetworkPolicy (networking.k8s.io/v1) evaluated as the API defines it
// (docs/kubernetes-semantics.md#networkpolicy): which pods a policy isolates and in which
// direction, and what its rules admit. Pure: the caller says where the policies and the
// namespaces' labels come from. Each namespace's policies are compiled once, on first use.
//
// Answers are three-valued where the input may not decide: a namespaceSelector needs the
// labels of the namespace it is asked about, and when those were not read the answer is
// 'unknown', never a guess.

import { formatSelector, NAMESPACE_NAME_LABEL } from '../core/selectors.js';
import {
  addressRange,
  familyOf,
  rangesOverlap,
  rangeWithin,
  type AddressFamily,
  type AddressRange,
} from '../core/ip.js';
import type {
  Container,
  Labels,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../core/objects.js';

export type Decision = 'yes' | 'no' | 'unknown';

export type PolicyDirection = 'Ingress' | 'Egress';

/** A pod as policies see it: its labels, its declared ports (for named ports), its addresses. */
export interface PolicyPod {
  meta: { namespace: string; name: string; labels: Labels };
  containers: readonly Container[];
  /** Native sidecars: their ports are the pod's too. */
  sidecars: readonly Container[];
  podIPs: readonly string[];
  /** hostNetwork pods are not subject to pod policies in most implementations (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods). */
  hostNetwork?: boolean;
}

/** Where the evaluator reads the cluster; both undefined when the input does not hold it. */
export interface PolicySource {
  /** The namespace's NetworkPolicies; undefined when they were not read. */
  networkPoliciesIn(namespace: string): readonly NetworkPolicy[] | undefined;
  /** The namespace's labels; undefined when Namespaces were not read or it is not in the input. */
  namespaceLabels(name: string): Labels | undefined;
}

// ---------------------------------------------------------------------------------------------
// Selectors

interface Requirement {
  key: string;
  /** Whether a value (undefined: the label is absent) satisfies it. */
  test: (value: string | undefined) => boolean;
}

/**
 * A metav1.LabelSelector as requirements, all of which must hold: matchLabels are equalities;
 * matchExpressions In, NotIn (also true without the key), Exists, DoesNotExist. An operator the
 * API does not know matches nothing (validation refuses it; an object that has one is not
 * what the API server serves).
 */
function compileSelector(selector: LabelSelector): Requirement[] {
  const requirements: Requirement[] = Object.entries(selector.matchLabels).map(([key, want]) => ({
    key,
    test: (value) => value === want,
  }));
  for (const { key, operator, values } of selector.matchExpressions) {
    const set = new Set(values);
    const test =
      operator === 'In'
        ? (value: string | undefined) => value !== undefined && set.has(value)
        : operator === 'NotIn'
          ? (value: string | undefined) => value === undefined || !set.has(value)
          : operator === 'Exists'
            ? (value: string | undefined) => value !== undefined
            : operator === 'DoesNotExist'
              ? (value: string | undefined) => value === undefined
              : () => false;
    requirements.push({ key, test });
  }
  return requirements;
}

function labelOf(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function selects(requirements: readonly Requirement[], labels: Labels): boolean {
  for (const r of requirements) if (!r.test(labelOf(labels, r.key))) return false;
  return true;
}

/**
 * Whether a namespaceSelector selects the namespace. With its labels unknown, only
 * requirements on kubernetes.io/metadata.name (its name) can be judged: any other makes the
 * answer unknown, unless a judged one already fails.
 */
function selectsNamespace(requirements: readonly Requirement[], name: string, labels: Labels | undefined): Decision {
  let unknown = false;
  for (const r of requirements) {
    if (labels) {
      if (!r.test(labelOf(labels, r.key))) return 'no';
    } else if (r.key === NAMESPACE_NAME_LABEL) {
      if (!r.test(name)) return 'no';
    } else unknown = true;
  }
  return unknown ? 'unknown' : 'yes';
}

// ---------------------------------------------------------------------------------------------
// Compiled policies

interface CompiledPeer {
  peer: NetworkPolicyPeer;
  pods?: Requirement[];
  namespaces?: Requirement[];
  /** ipBlock: cidr, less every except; undefined cidr when it does not parse (matches nothing). */
  block?: { cidr?: AddressRange; except: AddressRange[] };
}

interface CompiledRule {
  /** Its index in the policy's ingress or egress list, from 0. */
  index: number;
  peers: CompiledPeer[];
  ports: readonly NetworkPolicyPort[];
  /** What an admission lists when the rule admits a port: made once, shared by every pod it admits. */
  admitting: AdmittingRule;
}

interface CompiledPolicy {
  policy: NetworkPolicy;
  podSelector: Requirement[];
  /** Absent when the policy's policyTypes leave that direction out: its rules there do nothing. */
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
}

function compilePeer(peer: NetworkPolicyPeer): CompiledPeer {
  const compiled: CompiledPeer = { peer };
  if (peer.podSelector) compiled.pods = compileSelector(peer.podSelector);
  if (peer.namespaceSelector) compiled.namespaces = compileSelector(peer.namespaceSelector);
  if (peer.ipBlock) {
    compiled.block = {
      cidr: addressRange(peer.ipBlock.cidr),
      except: peer.ipBlock.except.flatMap((e) => addressRange(e) ?? []),
    };
  }
  return compiled;
}

function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  const rules = (list: NetworkPolicy['ingress'], direction: PolicyDirection) =>
    list.map((rule, index) => ({
      index,
      peers: rule.peers.map(compilePeer),
      ports: rule.ports,
      admitting: { policy, direction, rule: index, peers: rule.peers },
    }));
  return {
    policy,
    podSelector: compileSelector(policy.podSelector),
    ...(policy.policyTypes.includes('Ingress') ? { ingress: rules(policy.ingress, 'Ingress') } : {}),
    ...(policy.policyTypes.includes('Egress') ? { egress: rules(policy.egress, 'Egress') } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Ports

/** The port a name stands for on the pod: a container port of that name and protocol, containers first, then native sidecars. */
export function namedPortOn(pod: PolicyPod, name: string, protocol: Protocol): number | undefined {
  return namedPortIn(pod.containers, name, protocol) ?? namedPortIn(pod.sidecars, name, protocol);
}

function namedPortIn(containers: readonly Container[], name: string, protocol: Protocol): number | undefined {
  for (const container of containers) {
    for (const p of container.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * Whether one entry of a rule's ports admits the destination port and protocol. No port: every
 * port of the protocol. A number, with endPort a range; a name, the destination pod's
 * container port of that name and protocol (a destination that is no pod of the input has no
 * named ports).
 */
function portEntryAdmits(
  entry: NetworkPolicyPort,
  port: number,
  protocol: Protocol,
  destination: PolicyPod | undefined,
): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort !== undefined ? port >= entry.port && port <= entry.endPort : port === entry.port;
  }
  return destination !== undefined && namedPortOn(destination, entry.port, protocol) === port;
}

/** Whether a rule's ports admit the destination port: an empty list admits every port. */
export function portsAdmit(
  ports: readonly NetworkPolicyPort[],
  port: number,
  protocol: Protocol,
  destination: PolicyPod | undefined,
): boolean {
  if (ports.length === 0) return true;
  for (const entry of ports) if (portEntryAdmits(entry, port, protocol, destination)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Peers

/** The other end of a connection, as a rule's peers are matched against it. */
export type PolicyPeerEnd =
  /** A pod of the input; `address`: its IP in the connection's family (undefined: it has none). */
  | { kind: 'pod'; pod: PolicyPod; address?: string }
  /** Addresses outside any pod: one IP or a CIDR (a client outside the cluster). */
  | { kind: 'addresses'; range: AddressRange };

function anyOf(decisions: Iterable<Decision>): Decision {
  let unknown = false;
  for (const d of decisions) {
    if (d === 'yes') return 'yes';
    if (d === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Whether an ipBlock holds a range: all of it (yes), none of it (no), part of it (unknown: some addresses are, some are not). */
function blockHolds(block: NonNullable<CompiledPeer['block']>, range: AddressRange): Decision {
  if (!block.cidr || !rangesOverlap(block.cidr, range)) return 'no';
  if (block.except.some((e) => rangeWithin(range, e))) return 'no';
  if (rangeWithin(range, block.cidr) && !block.except.some((e) => rangesOverlap(e, range))) return 'yes';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// The evaluator

/** A rule that admits the port, with the peers it admits it from (none: from every source). */
interface AdmittingRule {
  policy: NetworkPolicy;
  direction: PolicyDirection;
  /** Index in the policy's ingress (or egress) list, from 0. */
  rule: number;
  peers: readonly NetworkPolicyPeer[];
}

/**
 * What a pod's policies admit on one of its ports (as destination) or what they let it reach
 * (as source), before any peer is considered:
 * - `unread`: the namespace's policies were not read: unknown;
 * - `hostNetwork`: the pod shares its node's network: no verdict;
 * - `open`: no policy selects it for the direction: everything is admitted;
 * - `isolated`: the policies selecting it, and the rules whose ports admit the port.
 */
export type PortAdmission =
  | { state: 'unread' }
  | { state: 'hostNetwork' }
  | { state: 'open' }
  | { state: 'isolated'; policies: readonly NetworkPolicy[]; rules: readonly AdmittingRule[] };

/** Whether an isolated pod's port is admitted from every source (some admitting rule has no peers). */
export function admitsEverySource(admission: PortAdmission): boolean {
  return admission.state !== 'isolated' || admission.rules.some((r) => r.peers.length === 0);
}

/** One direction of a connection: whether its policies allow it, and which policies and rules decided. */
export interface DirectionVerdict {
  allowed: Decision;
  admission: PortAdmission;
  /** The rules that admit this peer on this port ('yes'), and those that might ('unknown'). */
  admittedBy: readonly AdmittingRule[];
  undecidedBy: readonly AdmittingRule[];
  /** Namespaces whose labels a namespaceSelector needed and the input does not hold. */
  unknownNamespaces: readonly string[];
}

/** A connection from a client to a server pod's port: both ends must allow it. */
export interface ConnectionVerdict {
  allowed: Decision;
  /** The client's egress; undefined when the client is not a pod of the cluster (its policies do not apply). */
  egress?: DirectionVerdict;
  ingress: DirectionVerdict;
}

/**
 * A namespace's compiled policies, indexed so that a pod is tested only against the policies
 * that could select it: each policy under one of its matchLabels pairs (a pod without that
 * pair cannot match), the rest (no matchLabels: `{}`, or expressions only) tested on every pod.
 */
interface NamespacePolicies {
  /**
   * Per label key, value → the policies with that matchLabels pair; two levels, so no pair string
   * is built per pod, and a list, so that a pod's lookups allocate nothing.
   */
  byPair: { key: string; byValue: Map<string, CompiledPolicy[]> }[];
  unkeyed: CompiledPolicy[];
  /** Each policy's place in name order, to give the policies selecting a pod in that order. */
  order: Map<CompiledPolicy, number>;
  /** The sets of policies selecting pods, one per direction and set: pods selected alike share one entry. */
  sets: Record<PolicyDirection, SelectingSets>;
}

/** A trie of policy sets, keyed by the policies in name order: a set is found without building a key. */
interface SelectingSets {
  selecting?: Selecting;
  next: Map<CompiledPolicy, SelectingSets>;
}

function indexPolicies(policies: readonly NetworkPolicy[]): NamespacePolicies {
  const index: NamespacePolicies = {
    byPair: [],
    unkeyed: [],
    order: new Map(),
    sets: { Ingress: { next: new Map() }, Egress: { next: new Map() } },
  };
  policies.forEach((policy, i) => {
    const compiled = compilePolicy(policy);
    index.order.set(compiled, i);
    const first = Object.entries(policy.podSelector.matchLabels)[0];
    if (!first) index.unkeyed.push(compiled);
    else {
      const [key, value] = first;
      let values = index.byPair.find((pair) => pair.key === key)?.byValue;
      if (!values) index.byPair.push({ key, byValue: (values = new Map<string, CompiledPolicy[]>()) });
      const list = values.get(value);
      if (list) list.push(compiled);
      else values.set(value, [compiled]);
    }
  });
  return index;
}

/**
 * Sorts the few policies selecting one pod into name order, in place: an insertion sort, as
 * Array.prototype.sort allocates more per call than the list weighs, once per pod.
 */
function inNameOrder(compiled: CompiledPolicy[], order: ReadonlyMap<CompiledPolicy, number>): void {
  for (let i = 1; i < compiled.length; i++) {
    const c = compiled[i];
    const rank = order.get(c)!;
    let j = i - 1;
    for (; j >= 0 && order.get(compiled[j])! > rank; j--) compiled[j + 1] = compiled[j];
    compiled[j + 1] = c;
  }
}

/** The policies selecting a pod for one direction, compiled and as they are. */
interface Selecting {
  compiled: CompiledPolicy[];
  policies: readonly NetworkPolicy[];
  /**
   * What the set admits per protocol and port, when no rule names a port: then the answer does
   * not depend on the pod, and the pods the set selects share it. Undefined when a rule does.
   */
  admissions?: Map<number, PortAdmission>;
}

const PROTOCOL_KEY: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

function namesAPort(compiled: readonly CompiledPolicy[], direction: PolicyDirection): boolean {
  return compiled.some((c) =>
    ((direction === 'Ingress' ? c.ingress : c.egress) ?? []).some((rule) =>
      rule.ports.some((entry) => typeof entry.port === 'string'),
    ),
  );
}

// Answers without per-pod content, shared: most backends get one of these or few rules.
const HOST_NETWORK: PortAdmission = Object.freeze({ state: 'hostNetwork' });
const UNREAD: PortAdmission = Object.freeze({ state: 'unread' });
const OPEN: PortAdmission = Object.freeze({ state: 'open' });
const NO_RULES: readonly AdmittingRule[] = Object.freeze([]);

export class PolicyEvaluator {
  private readonly compiled = new Map<string, NamespacePolicies | undefined>();

  constructor(private readonly source: PolicySource) {}

  private policiesOf(namespace: string): NamespacePolicies | undefined {
    if (!this.compiled.has(namespace)) {
      const policies = this.source.networkPoliciesIn(namespace);
      this.compiled.set(namespace, policies && indexPolicies(policies));
    }
    return this.compiled.get(namespace);
  }

  /** The policies of the pod's namespace that select it for the direction; undefined when they were not read. */
  selecting(pod: PolicyPod, direction: PolicyDirection): readonly NetworkPolicy[] | undefined {
    return this.selectingFor(pod, direction)?.policies;
  }

  /**
   * Per pod, asked once per direction: a pod behind several Services or ports is matched once.
   * Pods selected by the same policies share one entry (a namespace's pods mostly are), so that
   * what a run keeps and what each admission lists is per set of policies, not per pod. Maps, not
   * WeakMaps: the evaluator lives as long as its model, and a WeakMap of 100,000 pods costs the
   * garbage collector more than the entries weigh.
   */
  private readonly selectingByPod = {
    Ingress: new Map<PolicyPod, Selecting>(),
    Egress: new Map<PolicyPod, Selecting>(),
  };

  private selectingCompiled(pod: PolicyPod, direction: PolicyDirection): CompiledPolicy[] | undefined {
    return this.selectingFor(pod, direction)?.compiled;
  }

  private readonly scratch: CompiledPolicy[] = [];

  private selectingFor(pod: PolicyPod, direction: PolicyDirection): Selecting | undefined {
    const policies = this.policiesOf(pod.meta.namespace);
    if (!policies) return undefined;
    let found = this.selectingByPod[direction].get(pod);
    if (!found) {
      const key = direction === 'Ingress' ? 'ingress' : 'egress';
      const { labels } = pod.meta;
      // Collected in one array kept for the purpose: a pod's set is new only for the first pod selected alike.
      const compiled = this.scratch;
      compiled.length = 0;
      for (const c of policies.unkeyed) if (c[key] !== undefined && selects(c.podSelector, labels)) compiled.push(c);
      // A namespace's policies key few labels, a pod carries more: look up the policies' keys.
      for (const { key: k, byValue } of policies.byPair) {
        const value = labelOf(labels, k);
        const list = value === undefined ? undefined : byValue.get(value);
        if (list) for (const c of list) if (c[key] !== undefined && selects(c.podSelector, labels)) compiled.push(c);
      }
      if (compiled.length > 1) inNameOrder(compiled, policies.order);
      let node = policies.sets[direction];
      for (const c of compiled) {
        let next = node.next.get(c);
        if (!next) node.next.set(c, (next = { next: new Map() }));
        node = next;
      }
      found = node.selecting ??= {
        compiled: compiled.slice(),
        policies: compiled.map((c) => c.policy),
        ...(namesAPort(compiled, direction) ? {} : { admissions: new Map<number, PortAdmission>() }),
      };
      this.selectingByPod[direction].set(pod, found);
    }
    return found;
  }

  /**
   * What the policies selecting `pod` admit on one port: as the destination (Ingress: traffic
   * to that port of the pod) or as the source (Egress: traffic to that port of a destination,
   * `destination` resolving named ports). Peers are not matched: the rules are listed with them.
   */
  admission(
    pod: PolicyPod,
    direction: PolicyDirection,
    port: number,
    protocol: Protocol,
    destination: PolicyPod | undefined = direction === 'Ingress' ? pod : undefined,
  ): PortAdmission {
    if (pod.hostNetwork) return HOST_NETWORK;
    const selecting = this.selectingFor(pod, direction);
    if (!selecting) return UNREAD;
    if (selecting.compiled.length === 0) return OPEN;
    const key = port * 4 + PROTOCOL_KEY[protocol];
    let admission = selecting.admissions?.get(key);
    if (admission) return admission;
    let rules: AdmittingRule[] | undefined;
    for (const c of selecting.compiled) {
      for (const rule of (direction === 'Ingress' ? c.ingress : c.egress) ?? []) {
        if (portsAdmit(rule.ports, port, protocol, destination)) (rules ??= []).push(rule.admitting);
      }
    }
    admission = { state: 'isolated', policies: selecting.policies, rules: rules ?? NO_RULES };
    selecting.admissions?.set(key, admission);
    return admission;
  }

  /**
   * Whether a rule's peer matches the other end. podSelector alone: pods of the policy's own
   * namespace; namespaceSelector alone: every pod of the namespaces it selects; both: pods of
   * those namespaces that the podSelector selects; ipBlock: addresses in cidr and in no except.
   * A peer with none of them (validation refuses it) matches nothing.
   */
  private peerMatches(peer: CompiledPeer, policyNamespace: string, end: PolicyPeerEnd, unknown: Set<string>): Decision {
    if (peer.block) {
      if (end.kind === 'addresses') return blockHolds(peer.block, end.range);
      const range = end.address !== undefined ? addressRange(end.address) : undefined;
      return range ? blockHolds(peer.block, range) : 'unknown';
    }
    if (!peer.pods && !peer.namespaces) return 'no';
    // Selectors pick pods; a client outside the cluster is none.
    if (end.kind !== 'pod') return 'no';
    // A hostNetwork pod's traffic carries its node's address: whether selectors pick it is undefined.
    if (end.pod.hostNetwork) return 'unknown';
    const { namespace, labels } = end.pod.meta;
    let inNamespace: Decision;
    if (peer.namespaces) {
      const namespaceLabels = this.source.namespaceLabels(namespace);
      inNamespace = selectsNamespace(peer.namespaces, namespace, namespaceLabels);
      if (inNamespace === 'unknown') unknown.add(namespace);
    } else inNamespace = namespace === policyNamespace ? 'yes' : 'no';
    if (inNamespace === 'no') return 'no';
    if (peer.pods && !selects(peer.pods, labels)) return 'no';
    return inNamespace;
  }

  /**
   * One direction of a connection, from the policies of `subject` (the server for Ingress,
   * the client for Egress): the rules admitting the port, then their peers against `other`.
   */
  direction(
    subject: PolicyPod,
    direction: PolicyDirection,
    other: PolicyPeerEnd,
    port: number,
    protocol: Protocol,
  ): DirectionVerdict {
    const destination = direction === 'Ingress' ? subject : other.kind === 'pod' ? other.pod : undefined;
    const admission = this.admission(subject, direction, port, protocol, destination);
    const unknownNamespaces = new Set<string>();
    const admittedBy: AdmittingRule[] = [];
    const undecidedBy: AdmittingRule[] = [];
    let allowed: Decision;
    if (admission.state === 'open') allowed = 'yes';
    else if (admission.state !== 'isolated') allowed = 'unknown';
    else {
      const compiled = this.selectingCompiled(subject, direction)!;
      const byPolicy = new Map(compiled.map((c) => [c.policy, c]));
      for (const rule of admission.rules) {
        const c = byPolicy.get(rule.policy)!;
        const peers = (direction === 'Ingress' ? c.ingress : c.egress)![rule.rule].peers;
        const matched =
          peers.length === 0
            ? 'yes'
            : anyOf(peers.map((p) => this.peerMatches(p, c.policy.meta.namespace, other, unknownNamespaces)));
        if (matched === 'yes') admittedBy.push(rule);
        else if (matched === 'unknown') undecidedBy.push(rule);
      }
      allowed = admittedBy.length > 0 ? 'yes' : undecidedBy.length > 0 ? 'unknown' : 'no';
    }
    return { allowed, admission, admittedBy, undecidedBy, unknownNamespaces: [...unknownNamespaces].sort() };
  }

  /**
   * A connection to `server`'s port (its targetPort after the Service's DNAT: policies see pod
   * addresses and ports, never the ClusterIP), from a client pod (its egress, then the server's
   * ingress) or from addresses outside the cluster (the server's ingress only). Both ends must
   * allow it.
   */
  connection(
    client: PolicyPod | AddressRange,
    server: PolicyPod,
    port: number,
    protocol: Protocol,
    family: AddressFamily | undefined = serverFamily(server),
  ): ConnectionVerdict {
    if ('family' in client) {
      const ingress = this.direction(server, 'Ingress', { kind: 'addresses', range: client }, port, protocol);
      return { allowed: ingress.allowed, ingress };
    }
    const clientEnd: PolicyPeerEnd = { kind: 'pod', pod: client, address: addressIn(client, family) };
    const serverEnd: PolicyPeerEnd = { kind: 'pod', pod: server, address: addressIn(server, family) };
    const egress = this.direction(client, 'Egress', serverEnd, port, protocol);
    const ingress = this.direction(server, 'Ingress', clientEnd, port, protocol);
    // A pod cannot block access to itself (docs/kubernetes-semantics.md#isolation-and-policytypes).
    const itself = client.meta.namespace === server.meta.namespace && client.meta.name === server.meta.name;
    return { allowed: itself ? 'yes' : both(egress.allowed, ingress.allowed), egress, ingress };
  }
}

/** The family a connection to the pod uses by default: its first address's. */
function serverFamily(pod: PolicyPod): AddressFamily | undefined {
  return pod.podIPs.length > 0 ? familyOf(pod.podIPs[0]) : undefined;
}

function addressIn(pod: PolicyPod, family: AddressFamily | undefined): string | undefined {
  return pod.podIPs.find((ip) => familyOf(ip) === family);
}

function both(a: Decision, b: Decision): Decision {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Wording

function isEmpty(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** A selector on kubernetes.io/metadata.name alone, as one name: how most policies name a namespace. */
function namedNamespace(selector: LabelSelector): string | undefined {
  const keys = Object.keys(selector.matchLabels);
  if (selector.matchExpressions.length === 0 && keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL) {
    return selector.matchLabels[NAMESPACE_NAME_LABEL];
  }
  return undefined;
}

/**
 * One peer in words: "pods app=frontend of namespace shop", "every pod of namespaces team=a",
 * "pods app=x of every namespace", "10.0.0.0/8 except 10.1.0.0/16".
 */
export function describePeer(peer: NetworkPolicyPeer, policyNamespace: string): string {
  if (peer.ipBlock) {
    const { cidr, except } = peer.ipBlock;
    return except.length > 0 ? `${cidr} except ${except.join(', ')}` : cidr;
  }
  const pods =
    peer.podSelector && !isEmpty(peer.podSelector) ? `pods ${formatSelector(peer.podSelector)}` : 'every pod';
  if (!peer.namespaceSelector) return `${pods} of namespace ${policyNamespace}`;
  if (isEmpty(peer.namespaceSelector)) return `${pods} of every namespace`;
  const name = namedNamespace(peer.namespaceSelector);
  return name !== undefined
    ? `${pods} of namespace ${name}`
    : `${pods} of namespaces ${formatSelector(peer.namespaceSelector)}`;
}

/** A LabelSelector as a test of labels, compiled once: a workload's selector picking its pods. */
export function selectorMatcher(selector: LabelSelector): (labels: Labels) => boolean {
  const requirements = compileSelector(selector);
  return (labels) => selects(requirements, labels);
}

/** The names of the namespaces whose labels a namespaceSelector matches, among those given. */
export function namespacesSelected(selector: LabelSelector, namespaces: readonly Namespace[]): string[] {
  const requirements = compileSelector(selector);
  return namespaces.filter((ns) => selects(requirements, ns.meta.labels)).map((ns) => ns.meta.name);
}
