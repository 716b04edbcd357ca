// The cluster model: every object the input held, indexed so that no check scans all pods
// per Service. Pods are indexed by namespace and by label pair (and label key, for near
// misses), slices by the Service they name, Endpoints, Pods, Nodes and Namespaces by name,
// NetworkPolicies by namespace, Warning events by the uid of the object they are about.

import type { InputCoverage } from '../core/coverage.js';
import { pushTo } from '../core/multimap.js';
import { labelPairKey, labelValue, matchesSelector } from '../core/selectors.js';
import { plausiblyMeant } from './similar.js';
import { namesSomething, NamespaceWorkloads } from './workloads.js';
import type {
  APIService,
  ClusterObject,
  EndpointSlice,
  Endpoints,
  Event,
  Gateway,
  GatewayRoute,
  Ingress,
  Labels,
  Namespace,
  NetworkPolicy,
  Node,
  ObjectMeta,
  Pod,
  ReferenceGrant,
  Service,
  WebhookConfiguration,
  Workload,
} from '../core/objects.js';
import { referencesOf, type ServiceReference } from './references.js';

/**
 * What the cluster shows beyond the objects: policy kinds served, holding objects and not
 * evaluated, and a network plugin known to enforce NetworkPolicy (sources/policy-environment.ts).
 * A snapshot cannot show either.
 */
export interface PolicyContext {
  otherPolicyKinds: readonly string[];
  enforcingPlugin?: string;
}

const UNKNOWN_POLICY_CONTEXT: PolicyContext = { otherPolicyKinds: [] };

export interface NearMiss {
  pod: Pod;
  /** The one selector label the pod does not carry as wanted. */
  key: string;
  want: string;
  /** The pod's value for that key, undefined when it lacks the key. */
  have: string | undefined;
  /** One-label selectors: the pod carries the wanted value under this key instead. */
  otherKey?: string;
}

/** Every label of a namespace's pods, for the near misses of one-label selectors. */
interface NamespaceLabels {
  podsByPair: Map<string, Pod[]>;
  valuesByKey: Map<string, string[]>;
  keysByValue: Map<string, string[]>;
}

const EMPTY: never[] = [];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byNamespaceAndName(a: ClusterObject, b: ClusterObject): number {
  return compare(a.meta.namespace, b.meta.namespace) || compare(a.meta.name, b.meta.name);
}

function nsName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The indexes of Pods, by namespace, name and (selector-relevant) label pair. */
class PodIndex {
  readonly byNamespace = new Map<string, Pod[]>();
  /** namespace → name → pod */
  readonly byName = new Map<string, Map<string, Pod>>();
  /** namespace → label pair → pods */
  readonly byLabel = new Map<string, Map<string, Pod[]>>();
  /** The last pod's name per namespace: the lists above are in name order while each pod's name is greater. */
  private readonly lastName = new Map<string, string>();
  /** Whether every namespace's pods came in name order. */
  inOrder = true;

  /** Pods are indexed only by the label keys some selector uses: the others (pod-template-hash...) never decide a match. */
  constructor(private readonly selectorKeys: ReadonlySet<string>) {}

  add(pod: Pod): void {
    const ns = pod.meta.namespace;
    const last = this.lastName.get(ns);
    if (last !== undefined && compare(pod.meta.name, last) <= 0) this.inOrder = false;
    this.lastName.set(ns, pod.meta.name);
    pushTo(this.byNamespace, ns, pod);
    let byName = this.byName.get(ns);
    let byLabel = this.byLabel.get(ns);
    if (!byName || !byLabel) {
      byName = new Map();
      byLabel = new Map();
      this.byName.set(ns, byName);
      this.byLabel.set(ns, byLabel);
    }
    byName.set(pod.meta.name, pod);
    for (const k in pod.meta.labels) {
      if (this.selectorKeys.has(k)) pushTo(byLabel, labelPairKey(k, pod.meta.labels[k]), pod);
    }
  }
}

/**
 * A ClusterModel built as objects arrive: a live read adds each page as it lands, so that the
 * pods, nearly all of the input, are indexed while the next page downloads. Pods wait until
 * every Service is in (their selectors say which labels to index). Lists the API server sends are
 * in name order within a namespace, as the indexes must be; pods in any other order, or Services
 * added after pods were indexed, are indexed again, whole, by build.
 */
export class ModelBuilder {
  private readonly services: Service[] = [];
  private readonly pods: Pod[] = [];
  private readonly endpointSlices: EndpointSlice[] = [];
  private readonly endpoints: Endpoints[] = [];
  private readonly nodes: Node[] = [];
  private readonly events: Event[] = [];
  private readonly workloads: Workload[] = [];
  private readonly ingresses: Ingress[] = [];
  private readonly webhookConfigurations: WebhookConfiguration[] = [];
  private readonly apiServices: APIService[] = [];
  private readonly gatewayRoutes: GatewayRoute[] = [];
  private readonly gateways: Gateway[] = [];
  private readonly referenceGrants: ReferenceGrant[] = [];
  private readonly networkPolicies: NetworkPolicy[] = [];
  private readonly namespaces: Namespace[] = [];
  private podIndex: PodIndex | undefined;
  private stale = false;

  add(objects: Iterable<ClusterObject>): void {
    for (const o of objects) {
      switch (o.kind) {
        case 'Service':
          // A Service after pods were indexed may select labels they were not indexed by.
          if (this.podIndex) this.stale = true;
          this.services.push(o);
          break;
        case 'Pod':
          this.pods.push(o);
          this.podIndex?.add(o);
          break;
        case 'EndpointSlice':
          this.endpointSlices.push(o);
          break;
        case 'Endpoints':
          this.endpoints.push(o);
          break;
        case 'Node':
          this.nodes.push(o);
          break;
        case 'Event':
          this.events.push(o);
          break;
        case 'Deployment':
        case 'ReplicaSet':
        case 'StatefulSet':
        case 'DaemonSet':
          this.workloads.push(o);
          break;
        case 'Ingress':
          this.ingresses.push(o);
          break;
        case 'ValidatingWebhookConfiguration':
        case 'MutatingWebhookConfiguration':
          this.webhookConfigurations.push(o);
          break;
        case 'APIService':
          this.apiServices.push(o);
          break;
        case 'HTTPRoute':
        case 'GRPCRoute':
        case 'TCPRoute':
        case 'TLSRoute':
        case 'UDPRoute':
          this.gatewayRoutes.push(o);
          break;
        case 'Gateway':
          this.gateways.push(o);
          break;
        case 'ReferenceGrant':
          this.referenceGrants.push(o);
          break;
        case 'NetworkPolicy':
          this.networkPolicies.push(o);
          break;
        case 'Namespace':
          this.namespaces.push(o);
          break;
      }
    }
  }

  /** Every Service is in: pods are indexed from now on. */
  servicesComplete(): void {
    if (this.podIndex) return;
    this.podIndex = new PodIndex(selectorKeysOf(this.services));
    for (const pod of this.pods) this.podIndex.add(pod);
  }

  /** `policyContext`: what discovery showed of the cluster's policies, for a live read. */
  build(coverage: InputCoverage, policyContext: PolicyContext = UNKNOWN_POLICY_CONTEXT): ClusterModel {
    // In namespace/name order, as the API server lists, so that every list and index (and so
    // every report) is the same whatever order a file or the server gave the objects in.
    for (const list of [
      this.services,
      this.pods,
      this.endpointSlices,
      this.endpoints,
      this.nodes,
      this.events,
      this.ingresses,
      this.apiServices,
      this.gateways,
      this.referenceGrants,
      this.networkPolicies,
      this.namespaces,
    ]) {
      list.sort(byNamespaceAndName);
    }
    // Validating before mutating, as kubectl lists them, each by name.
    this.webhookConfigurations.sort((a, b) => compare(b.kind, a.kind) || byNamespaceAndName(a, b));
    this.workloads.sort((a, b) => byNamespaceAndName(a, b) || compare(a.kind, b.kind));
    this.gatewayRoutes.sort((a, b) => byNamespaceAndName(a, b) || compare(a.kind, b.kind));
    let podIndex = this.podIndex;
    if (!podIndex || this.stale || !podIndex.inOrder) {
      podIndex = new PodIndex(selectorKeysOf(this.services));
      for (const pod of this.pods) podIndex.add(pod);
    }
    return new ClusterModel(
      {
        services: this.services,
        pods: this.pods,
        endpointSlices: this.endpointSlices,
        endpoints: this.endpoints,
        nodes: this.nodes,
        events: this.events,
        workloads: this.workloads,
        ingresses: this.ingresses,
        webhookConfigurations: this.webhookConfigurations,
        apiServices: this.apiServices,
        gatewayRoutes: this.gatewayRoutes,
        gateways: this.gateways,
        referenceGrants: this.referenceGrants,
        networkPolicies: this.networkPolicies,
        namespaces: this.namespaces,
        podIndex,
      },
      coverage,
      policyContext,
    );
  }
}

function selectorKeysOf(services: Service[]): Set<string> {
  const keys = new Set<string>();
  for (const s of services) if (s.selector) for (const k in s.selector) keys.add(k);
  return keys;
}

interface ModelParts {
  services: Service[];
  pods: Pod[];
  endpointSlices: EndpointSlice[];
  endpoints: Endpoints[];
  nodes: Node[];
  events: Event[];
  workloads: Workload[];
  ingresses: Ingress[];
  webhookConfigurations: WebhookConfiguration[];
  apiServices: APIService[];
  gatewayRoutes: GatewayRoute[];
  gateways: Gateway[];
  referenceGrants: ReferenceGrant[];
  networkPolicies: NetworkPolicy[];
  namespaces: Namespace[];
  podIndex: PodIndex;
}

/** The model of `objects`, in one go. */
export function buildModel(
  objects: Iterable<ClusterObject>,
  coverage: InputCoverage,
  policyContext?: PolicyContext,
): ClusterModel {
  const builder = new ModelBuilder();
  builder.add(objects);
  return builder.build(coverage, policyContext);
}

export class ClusterModel {
  readonly services: Service[];
  readonly pods: Pod[];
  readonly endpointSlices: EndpointSlice[];
  readonly endpoints: Endpoints[];
  readonly nodes: Node[];
  readonly events: Event[];
  /** Deployments, ReplicaSets, StatefulSets and DaemonSets, in namespace/name order. */
  readonly workloads: Workload[];
  readonly ingresses: Ingress[];
  /** Validating, then mutating webhook configurations, each by name (cluster-scoped). */
  readonly webhookConfigurations: WebhookConfiguration[];
  readonly apiServices: APIService[];
  /** HTTPRoutes, GRPCRoutes, TCPRoutes, TLSRoutes and UDPRoutes, in namespace/name order. */
  readonly gatewayRoutes: GatewayRoute[];
  /** In namespace/name order. */
  readonly gateways: Gateway[];
  readonly referenceGrants: ReferenceGrant[];
  /** In namespace/name order. */
  readonly networkPolicies: NetworkPolicy[];
  /** In name order (cluster-scoped). */
  readonly namespaces: Namespace[];
  /**
   * Policy kinds the cluster serves, holding objects (or not listable), that no check evaluates
   * (AdminNetworkPolicy, CiliumNetworkPolicy...); empty for a snapshot, which cannot show them.
   */
  readonly otherPolicyKinds: readonly string[];
  /** A network plugin known to enforce NetworkPolicy that the cluster shows (Cilium, Calico); else undefined. */
  readonly enforcingPlugin?: string;
  /** Every reference to a Service the input's referrers hold (model/references.ts), in referrer order. */
  readonly references: ServiceReference[] = [];

  private readonly podsByNamespace: Map<string, Pod[]>;
  /** namespace → name → pod */
  private readonly podsByName: Map<string, Map<string, Pod>>;
  /** namespace → label pair → pods */
  private readonly podsByLabel: Map<string, Map<string, Pod[]>>;
  /**
   * namespace → all its pods' labels, for near misses of one-label selectors. Only broken
   * Services read it: built per namespace on first use, so that a healthy cluster never pays for it.
   */
  private readonly labelsByNamespace = new Map<string, NamespaceLabels>();
  /** label pair → namespaces whose pods carry it, for matches in other namespaces; built on first use. */
  private namespacesByLabel: Map<string, string[]> | undefined;
  private readonly slicesByService = new Map<string, EndpointSlice[]>();
  private readonly endpointsByName = new Map<string, Endpoints>();
  private readonly nodesByName = new Map<string, Node>();
  private readonly workloadsByNamespace = new Map<string, NamespaceWorkloads>();
  /** "namespace/name" of the Service named → the references naming it, whether or not it exists. */
  private readonly referencesByTarget = new Map<string, ServiceReference[]>();
  /** "kind/namespace/name" → the route. */
  private readonly routesByName = new Map<string, GatewayRoute>();
  private readonly gatewaysByName = new Map<string, Gateway>();
  private readonly referenceGrantsByNamespace = new Map<string, ReferenceGrant[]>();
  private readonly networkPoliciesByNamespace = new Map<string, NetworkPolicy[]>();
  private readonly namespacesByName = new Map<string, Namespace>();
  private readonly servicesByName = new Map<string, Service>();
  private serviceNamesByNamespace: Map<string, string[]> | undefined;
  private readonly serviceNamespaces = new Set<string>();
  /** uid → the Warning events about it (Normal ones are no evidence of anything wrong). */
  private readonly warningsByUid = new Map<string, Event[]>();
  private readonly eventNamespaces = new Set<string>();
  private readyNodeList: Node[] | undefined;
  private nodesRunningPods: Set<string> | undefined;

  /** Built by ModelBuilder (or buildModel), whose lists are in namespace/name order. */
  constructor(
    parts: ModelParts,
    readonly coverage: InputCoverage,
    policyContext: PolicyContext = UNKNOWN_POLICY_CONTEXT,
  ) {
    this.otherPolicyKinds = policyContext.otherPolicyKinds;
    if (policyContext.enforcingPlugin !== undefined) this.enforcingPlugin = policyContext.enforcingPlugin;
    ({
      services: this.services,
      pods: this.pods,
      endpointSlices: this.endpointSlices,
      endpoints: this.endpoints,
      nodes: this.nodes,
      events: this.events,
      workloads: this.workloads,
      ingresses: this.ingresses,
      webhookConfigurations: this.webhookConfigurations,
      apiServices: this.apiServices,
      gatewayRoutes: this.gatewayRoutes,
      gateways: this.gateways,
      referenceGrants: this.referenceGrants,
      networkPolicies: this.networkPolicies,
      namespaces: this.namespaces,
    } = parts);
    this.podsByNamespace = parts.podIndex.byNamespace;
    this.podsByName = parts.podIndex.byName;
    this.podsByLabel = parts.podIndex.byLabel;
    for (const o of this.services) {
      this.servicesByName.set(nsName(o.meta.namespace, o.meta.name), o);
      this.serviceNamespaces.add(o.meta.namespace);
    }
    for (const o of this.endpointSlices) {
      if (o.serviceName) pushTo(this.slicesByService, nsName(o.meta.namespace, o.serviceName), o);
    }
    for (const o of this.endpoints) this.endpointsByName.set(nsName(o.meta.namespace, o.meta.name), o);
    for (const o of this.nodes) this.nodesByName.set(o.meta.name, o);
    for (const o of this.events) {
      this.eventNamespaces.add(o.meta.namespace);
      const { uid } = o.involvedObject;
      if (o.type === 'Warning' && uid !== undefined) pushTo(this.warningsByUid, uid, o);
    }
    const byNamespace = new Map<string, Workload[]>();
    for (const o of this.workloads) pushTo(byNamespace, o.meta.namespace, o);
    const warningsAbout = (kind: string, meta: ObjectMeta) => this.warningEventsAbout(kind, meta);
    for (const [ns, list] of byNamespace)
      this.workloadsByNamespace.set(ns, new NamespaceWorkloads(list, warningsAbout));
    for (const o of this.gatewayRoutes) this.routesByName.set(`${o.kind}/${nsName(o.meta.namespace, o.meta.name)}`, o);
    for (const o of this.gateways) this.gatewaysByName.set(nsName(o.meta.namespace, o.meta.name), o);
    for (const o of this.referenceGrants) pushTo(this.referenceGrantsByNamespace, o.meta.namespace, o);
    for (const o of this.networkPolicies) pushTo(this.networkPoliciesByNamespace, o.meta.namespace, o);
    for (const o of this.namespaces) this.namespacesByName.set(o.meta.name, o);
    for (const o of [
      ...this.ingresses,
      ...this.workloads,
      ...this.webhookConfigurations,
      ...this.apiServices,
      ...this.gatewayRoutes,
    ]) {
      for (const reference of referencesOf(o)) {
        this.references.push(reference);
        pushTo(this.referencesByTarget, nsName(reference.target.namespace, reference.target.name), reference);
      }
    }
  }

  /** Whether the input holds all four workload kinds, so that a workload missing from it does not exist. */
  get workloadsRead(): boolean {
    const c = this.coverage;
    return c.deployments && c.replicaSets && c.statefulSets && c.daemonSets;
  }

  /** Whether the input holds any of the workload kinds, so that the owners of pods can be named. */
  get anyWorkloadsRead(): boolean {
    const c = this.coverage;
    return c.deployments || c.replicaSets || c.statefulSets || c.daemonSets;
  }

  /** The namespace's workloads; undefined when it has none in the input. */
  workloadsIn(namespace: string): NamespaceWorkloads | undefined {
    return this.workloadsByNamespace.get(namespace);
  }

  private podLabelsIn(namespace: string): NamespaceLabels {
    let index = this.labelsByNamespace.get(namespace);
    if (!index) {
      index = { podsByPair: new Map(), valuesByKey: new Map(), keysByValue: new Map() };
      for (const pod of this.podsInNamespace(namespace)) {
        for (const [key, value] of Object.entries(pod.meta.labels)) {
          const pair = labelPairKey(key, value);
          if (!index.podsByPair.has(pair)) {
            pushTo(index.valuesByKey, key, value);
            pushTo(index.keysByValue, value, key);
          }
          pushTo(index.podsByPair, pair, pod);
        }
      }
      this.labelsByNamespace.set(namespace, index);
    }
    return index;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.servicesByName.get(nsName(namespace, name));
  }

  /** The names of the namespace's Services, in name order; built on first use (only broken references ask). */
  serviceNamesIn(namespace: string): readonly string[] {
    if (!this.serviceNamesByNamespace) {
      this.serviceNamesByNamespace = new Map();
      for (const s of this.services) pushTo(this.serviceNamesByNamespace, s.meta.namespace, s.meta.name);
    }
    return this.serviceNamesByNamespace.get(namespace) ?? EMPTY;
  }

  /**
   * Whether the input holds Services of the namespace, so that one missing from it is judged
   * missing: a namespace the input holds none of may not have been read (a run of another
   * namespace), and is unknown, not empty.
   */
  holdsServicesIn(namespace: string): boolean {
    return this.serviceNamespaces.has(namespace);
  }

  /** The route of that kind, namespace and name. */
  gatewayRoute(kind: GatewayRoute['kind'], namespace: string, name: string): GatewayRoute | undefined {
    return this.routesByName.get(`${kind}/${nsName(namespace, name)}`);
  }

  /** The Gateway of that namespace and name; undefined when the input does not hold it. */
  gateway(namespace: string, name: string): Gateway | undefined {
    return this.gatewaysByName.get(nsName(namespace, name));
  }

  /**
   * The namespace's ReferenceGrants; undefined when they cannot be known: ReferenceGrants were
   * not read, or the input holds neither a Service nor a ReferenceGrant of the namespace (as
   * podsReadIn judges pods: a run of another namespace did not read it).
   */
  referenceGrantsIn(namespace: string): readonly ReferenceGrant[] | undefined {
    const grants = this.referenceGrantsByNamespace.get(namespace);
    if (!this.coverage.referenceGrants || (!grants && !this.serviceNamespaces.has(namespace))) return undefined;
    return grants ?? EMPTY;
  }

  /**
   * The namespace's NetworkPolicies, in name order; undefined when they cannot be known:
   * NetworkPolicies were not read, or the input holds no Service, Pod or policy of the namespace
   * (as podsReadIn judges pods: a run of another namespace did not read it). Never an empty list
   * for unknown: no policy is what leaves every pod open.
   */
  networkPoliciesIn(namespace: string): readonly NetworkPolicy[] | undefined {
    if (!this.coverage.networkPolicies) return undefined;
    const policies = this.networkPoliciesByNamespace.get(namespace);
    if (policies) return policies;
    return this.serviceNamespaces.has(namespace) || this.podsByNamespace.has(namespace) ? EMPTY : undefined;
  }

  /**
   * The labels of the Namespace of that name, kubernetes.io/metadata.name included (slimming sets
   * it as the API server does); undefined when Namespaces were not read or the input does not hold
   * it, so that a namespaceSelector is never judged against labels the input does not show.
   */
  namespaceLabels(name: string): Labels | undefined {
    return this.coverage.namespaces ? this.namespacesByName.get(name)?.meta.labels : undefined;
  }

  /** The references that name the Service (namespace/name), whether or not the input holds it. */
  referencesTo(namespace: string, name: string): readonly ServiceReference[] {
    return this.referencesByTarget.get(nsName(namespace, name)) ?? EMPTY;
  }

  pod(namespace: string, name: string): Pod | undefined {
    return this.podsByName.get(namespace)?.get(name);
  }

  node(name: string): Node | undefined {
    return this.nodesByName.get(name);
  }

  /** Nodes whose Ready condition is True, in name order; computed once. */
  readyNodes(): Node[] {
    this.readyNodeList ??= this.nodes.filter((n) => n.ready === 'True');
    return this.readyNodeList;
  }

  /** Whether some pod in the input runs (phase Running) on the node; the set is computed once. */
  runsPods(nodeName: string): boolean {
    if (!this.nodesRunningPods) {
      this.nodesRunningPods = new Set();
      for (const pod of this.pods) if (pod.phase === 'Running' && pod.nodeName) this.nodesRunningPods.add(pod.nodeName);
    }
    return this.nodesRunningPods.has(nodeName);
  }

  /**
   * Whether every pod of the namespace is in the input, so that a pod missing from it is gone:
   * Pods were read, and the namespace is one the input's Services live in (a live run reads a
   * named Service's whole namespace when a slice names a pod it has not read) or has pods in the
   * input. A namespace the input says nothing about is unknown, not empty.
   */
  podsReadIn(namespace: string): boolean {
    return this.coverage.pods && (this.serviceNamespaces.has(namespace) || this.podsByNamespace.has(namespace));
  }

  /**
   * The Warning events about the object of `kind` (Pod, Service, EndpointSlice, ReplicaSet...),
   * matched by kind, namespace, name and uid; undefined when they cannot be known: Events were
   * not read where it lives (as podsReadIn judges it), or it has no uid to match them by.
   */
  warningEventsAbout(kind: string, meta: ObjectMeta): readonly Event[] | undefined {
    // Events about cluster-scoped objects are kept in namespace default.
    const namespace = meta.namespace || 'default';
    const read = this.coverage.events && (this.serviceNamespaces.has(namespace) || this.eventNamespaces.has(namespace));
    if (!read || meta.uid === undefined) return undefined;
    return (this.warningsByUid.get(meta.uid) ?? EMPTY).filter((e) => isAbout(e, kind, meta));
  }

  podsInNamespace(namespace: string): Pod[] {
    return this.podsByNamespace.get(namespace) ?? EMPTY;
  }

  /** Slices labelled kubernetes.io/service-name=<service>, whoever manages them. */
  slicesFor(service: Service): EndpointSlice[] {
    return this.slicesByService.get(nsName(service.meta.namespace, service.meta.name)) ?? EMPTY;
  }

  endpointsFor(service: Service): Endpoints | undefined {
    return this.endpointsByName.get(nsName(service.meta.namespace, service.meta.name));
  }

  /** Pods in the namespace carrying every selector label: the shortest posting list, filtered. */
  podsMatching(namespace: string, selector: Labels): readonly Pod[] {
    const index = this.podsByLabel.get(namespace);
    return index ? matchFromIndex(index, selector) : EMPTY;
  }

  /** Pods in other namespaces that match the selector fully. */
  podsMatchingElsewhere(namespace: string, selector: Labels): Pod[] {
    // Only the namespaces holding the selector's rarest label pair can match.
    let candidates: string[] | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const list = this.namespacesWithLabel().get(labelPairKey(k, v)) ?? EMPTY;
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const found: Pod[] = [];
    for (const ns of candidates ?? EMPTY) {
      if (ns !== namespace) for (const pod of matchFromIndex(this.podsByLabel.get(ns)!, selector)) found.push(pod);
    }
    return found;
  }

  private namespacesWithLabel(): Map<string, string[]> {
    if (!this.namespacesByLabel) {
      this.namespacesByLabel = new Map();
      for (const [ns, index] of this.podsByLabel)
        for (const pair of index.keys()) pushTo(this.namespacesByLabel, pair, ns);
    }
    return this.namespacesByLabel;
  }

  /**
   * Pods in the namespace that carry all selector labels but one. For a one-label selector that
   * would be every pod, so there the near misses are pods with the key and a value alike the
   * wanted one (plausiblyMeant), and pods with the wanted value under another key
   * (`name=nginx-ingress` where the pods say `app=nginx-ingress`).
   */
  nearMisses(namespace: string, selector: Labels): NearMiss[] {
    const entries = Object.entries(selector);
    const misses: NearMiss[] = [];
    if (entries.length === 1) {
      const [key, want] = entries[0];
      const labels = this.podLabelsIn(namespace);
      const seen = new Set<Pod>();
      for (const have of labels.valuesByKey.get(key) ?? EMPTY) {
        if (have === want || !plausiblyMeant(want, have)) continue;
        for (const pod of labels.podsByPair.get(labelPairKey(key, have))!) {
          seen.add(pod);
          misses.push({ pod, key, want, have });
        }
      }
      for (const otherKey of namesSomething(want) ? (labels.keysByValue.get(want) ?? EMPTY) : EMPTY) {
        if (otherKey === key) continue;
        for (const pod of labels.podsByPair.get(labelPairKey(otherKey, want))!) {
          if (seen.has(pod)) continue;
          seen.add(pod);
          misses.push({ pod, key, want, have: labelValue(pod.meta.labels, key), otherKey });
        }
      }
      return misses;
    }
    const index = this.podsByLabel.get(namespace);
    if (!index) return misses;
    const hits = new Map<Pod, number>();
    for (const [k, v] of entries) {
      for (const pod of index.get(labelPairKey(k, v)) ?? EMPTY) hits.set(pod, (hits.get(pod) ?? 0) + 1);
    }
    for (const [pod, count] of hits) {
      if (count !== entries.length - 1) continue;
      const [key, want] = entries.find(([k, v]) => labelValue(pod.meta.labels, k) !== v)!;
      misses.push({ pod, key, want, have: labelValue(pod.meta.labels, key) });
    }
    return misses;
  }
}

/** Whether `event` is about exactly this object of `kind` (a cluster-scoped one has namespace ""). */
function isAbout(event: Event, kind: string, meta: ObjectMeta): boolean {
  const ref = event.involvedObject;
  // core/v1 events sit in their object's namespace; involvedObject.namespace may be left out.
  const namespace = ref.namespace ?? (meta.namespace === '' ? '' : event.meta.namespace);
  return (
    ref.uid !== undefined &&
    ref.uid === meta.uid &&
    ref.kind === kind &&
    ref.name === meta.name &&
    namespace === meta.namespace
  );
}

/** The pods carrying every selector label: the shortest posting list, filtered by the other labels. */
function matchFromIndex(index: Map<string, Pod[]>, selector: Labels): readonly Pod[] {
  let shortest: Pod[] | undefined;
  let pairs = 0;
  for (const k in selector) {
    const list = index.get(labelPairKey(k, selector[k])) ?? EMPTY;
    if (!shortest || list.length < shortest.length) shortest = list;
    pairs++;
  }
  if (!shortest) return EMPTY;
  // A one-label selector's posting list is the answer (read-only: it is the index itself).
  if (pairs === 1) return shortest;
  return shortest.filter((pod) => matchesSelector(pod.meta.labels, selector));
}
