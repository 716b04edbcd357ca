// The cluster model: every object the input held, indexed so that no check scans all pods
// per Service. Pods are indexed by namespace and by label pair (and label key, for near
// misses), slices by the Service they name, Endpoints, Pods and Nodes by name.

import type { InputCoverage } from '../core/coverage.js';
import { pushTo } from '../core/multimap.js';
import { labelPairKey, labelValue, matchesSelector } from '../core/selectors.js';
import { plausiblyMeant } from './similar.js';
import type { ClusterObject, EndpointSlice, Endpoints, Labels, Node, Pod, Service } from '../core/objects.js';

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
   * namespace → all its pods' labels, for near misses of one-label selectors. Only broken
   * Services read it: built per namespace on first use, so that a healthy cluster never pays for it.
   */
  private readonly labelsByNamespace = new Map<string, NamespaceLabels>();
  /** label pair → namespaces whose pods carry it, for matches in other namespaces; built on first use. */
  private namespacesByLabel: Map<string, string[]> | undefined;
  private readonly slicesByService = new Map<string, EndpointSlice[]>();
  private readonly endpointsByName = new Map<string, Endpoints>();
  private readonly nodesByName = new Map<string, Node>();
  private readonly servicesByName = new Map<string, Service>();
  private readonly serviceNamespaces = new Set<string>();
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
        this.serviceNamespaces.add(o.meta.namespace);
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
      if (this.selectorKeys.has(k)) pushTo(byLabel, labelPairKey(k, pod.meta.labels[k]), pod);
    }
  }

  private namespaceLabels(namespace: string): NamespaceLabels {
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
      const labels = this.namespaceLabels(namespace);
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

/** Whether a label value names something (nginx-ingress) rather than a flag or a number (true, 1, v2), which many keys share. */
function namesSomething(value: string): boolean {
  return value.length >= 3 && !/^(true|false|yes|no|on|off|enabled|disabled|v?\d+([.-]\d+)*)$/i.test(value);
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
