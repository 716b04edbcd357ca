// The cluster model: every object the input held, indexed so that no check scans all pods
// per Service. Pods are indexed by namespace and by label pair (and label key, for near
// misses), slices by the Service they name, Endpoints, Pods and Nodes by name.

import { pushTo } from './multimap.js';
import { labelPairKey, matchesSelector } from './selectors.js';
import type { ClusterObject, EndpointSlice, Endpoints, Labels, Node, Pod, Service } from './types.js';

/** Which optional resources the input really covers; a check needing a missing one is skipped. */
export interface InputCoverage {
  endpoints: boolean;
  endpointSlices: boolean;
  nodes: boolean;
}

export interface NearMiss {
  pod: Pod;
  /** The one selector label the pod does not carry as wanted. */
  key: string;
  want: string;
  /** The pod's value for that key, undefined when it lacks the key. */
  have: string | undefined;
}

const EMPTY: never[] = [];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byNamespaceAndName(a: ClusterObject, b: ClusterObject): number {
  return compare(a.meta.namespace, b.meta.namespace) || compare(a.meta.name, b.meta.name);
}

export function nsName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ClusterModel {
  readonly services: Service[] = [];
  readonly pods: Pod[] = [];
  readonly endpointSlices: EndpointSlice[] = [];
  readonly endpoints: Endpoints[] = [];
  readonly nodes: Node[] = [];

  private readonly selectorKeys = new Set<string>();
  private readonly podsByNamespace = new Map<string, Pod[]>();
  /** namespace → name → pod */
  private readonly podsByName = new Map<string, Map<string, Pod>>();
  /** namespace → label pair → pods */
  private readonly podsByLabel = new Map<string, Map<string, Pod[]>>();
  /**
   * namespace → label key → pods, for near misses of one-label selectors. Only broken Services
   * read it: built per namespace on first use, so that a healthy cluster never pays for it.
   */
  private readonly podsByLabelKey = new Map<string, Map<string, Pod[]>>();
  /** label pair → namespaces whose pods carry it, for matches in other namespaces; built on first use. */
  private namespacesByLabel: Map<string, string[]> | undefined;
  private readonly slicesByService = new Map<string, EndpointSlice[]>();
  private readonly endpointsByName = new Map<string, Endpoints>();
  private readonly nodesByName = new Map<string, Node>();
  private readonly servicesByName = new Map<string, Service>();
  private readyNodeList: Node[] | undefined;
  private nodesRunningPods: Set<string> | undefined;

  constructor(
    objects: Iterable<ClusterObject>,
    readonly coverage: InputCoverage,
  ) {
    // In namespace/name order, as the API server lists, so that every list and index (and so
    // every report) is the same whatever order a file or the server gave the objects in.
    const sorted = [...objects].sort(byNamespaceAndName);
    // Pods are indexed only by the label keys some selector uses: the others (pod-template-hash,
    // controller-revision-hash...) can never decide a match.
    for (const o of sorted)
      if (o.kind === 'Service' && o.selector) for (const k in o.selector) this.selectorKeys.add(k);
    for (const o of sorted) this.add(o);
  }

  private add(o: ClusterObject): void {
    switch (o.kind) {
      case 'Service':
        this.services.push(o);
        this.servicesByName.set(nsName(o.meta.namespace, o.meta.name), o);
        break;
      case 'Pod':
        this.addPod(o);
        break;
      case 'EndpointSlice':
        this.endpointSlices.push(o);
        if (o.serviceName) pushTo(this.slicesByService, nsName(o.meta.namespace, o.serviceName), o);
        break;
      case 'Endpoints':
        this.endpoints.push(o);
        this.endpointsByName.set(nsName(o.meta.namespace, o.meta.name), o);
        break;
      case 'Node':
        this.nodes.push(o);
        this.nodesByName.set(o.meta.name, o);
        break;
    }
  }

  private addPod(pod: Pod): void {
    const ns = pod.meta.namespace;
    this.pods.push(pod);
    pushTo(this.podsByNamespace, ns, pod);
    let byName = this.podsByName.get(ns);
    let byLabel = this.podsByLabel.get(ns);
    if (!byName || !byLabel) {
      byName = new Map();
      byLabel = new Map();
      this.podsByName.set(ns, byName);
      this.podsByLabel.set(ns, byLabel);
    }
    byName.set(pod.meta.name, pod);
    for (const k in pod.meta.labels) {
      if (this.selectorKeys.has(k)) pushTo(byLabel, labelPairKey(k, pod.meta.labels[k]!), pod);
    }
  }

  private labelKeyIndex(namespace: string): Map<string, Pod[]> {
    let index = this.podsByLabelKey.get(namespace);
    if (!index) {
      index = new Map();
      for (const pod of this.podsInNamespace(namespace)) for (const k in pod.meta.labels) pushTo(index, k, pod);
      this.podsByLabelKey.set(namespace, index);
    }
    return index;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.servicesByName.get(nsName(namespace, name));
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
   * Pods in the namespace that carry all selector labels but one. For a one-label selector
   * that would be every pod, so only pods that have the key with another value count.
   */
  nearMisses(namespace: string, selector: Labels): NearMiss[] {
    const entries = Object.entries(selector);
    const misses: NearMiss[] = [];
    if (entries.length === 1) {
      const [key, want] = entries[0]!;
      for (const pod of this.labelKeyIndex(namespace).get(key) ?? EMPTY) {
        if (pod.meta.labels[key] !== want) misses.push({ pod, key, want, have: pod.meta.labels[key] });
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
      const [key, want] = entries.find(([k, v]) => pod.meta.labels[k] !== v)!;
      misses.push({ pod, key, want, have: pod.meta.labels[key] });
    }
    return misses;
  }
}

/** The pods carrying every selector label: the shortest posting list, filtered by the other labels. */
function matchFromIndex(index: Map<string, Pod[]>, selector: Labels): readonly Pod[] {
  let shortest: Pod[] | undefined;
  let pairs = 0;
  for (const k in selector) {
    const list = index.get(labelPairKey(k, selector[k]!)) ?? EMPTY;
    if (!shortest || list.length < shortest.length) shortest = list;
    pairs++;
  }
  if (!shortest) return EMPTY;
  // A one-label selector's posting list is the answer (read-only: it is the index itself).
  if (pairs === 1) return shortest;
  return shortest.filter((pod) => matchesSelector(pod.meta.labels, selector));
}
