// What is known about one Service, computed once and shared by every check: the pods its
// selector picks with their endpoint state, and the endpoints kube-proxy would merge from
// all its slices.

import type { ClusterModel } from './cluster.js';
import { isSliceReadFor } from './endpoint-meta.js';
import { pushTo } from '../core/multimap.js';
import { oncePer } from '../core/once-per.js';
import { podEndpointState, type PodEndpointState } from './pod-state.js';
import type { EndpointSlice, Endpoints, ObjectRef, Pod, Service, ServicePort, SliceEndpoint } from '../core/objects.js';
import { findPort } from './ports.js';
import { canonicalIP, type AddressFamily } from '../core/ip.js';

export interface MatchedPod {
  pod: Pod;
  state: PodEndpointState;
}

/** One address as kube-proxy sees it after merging every slice of the Service. */
export interface ServiceEndpoint {
  address: string;
  addressType: 'IPv4' | 'IPv6';
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  hintZones: string[];
  targetRef?: ObjectRef;
  /** The pod the targetRef names, when the input holds one of that namespace and name. */
  pod: Pod | undefined;
  slice: EndpointSlice;
  /**
   * Why the pod the endpoint names is not behind it any more (gone, or recreated with another
   * IP); set only when the input proves it. kube-proxy still programs such an endpoint as it is.
   */
  stale: string | undefined;
}

/** A ready endpoint whose pod is there: what counts as a ready backend everywhere in the report. */
export function isReadyBackend(e: ServiceEndpoint): boolean {
  return e.ready && e.stale === undefined;
}

export interface ServiceView {
  service: Service;
  /** Not ExternalName and no selector (absent or `{}`). */
  selectorless: boolean;
  /** Pods in the Service's namespace carrying all selector labels ([] when selectorless). */
  matched: MatchedPod[];
  /** Slices labelled with the Service's name, whoever manages them. */
  slices: EndpointSlice[];
  endpoints?: Endpoints;
  /**
   * Distinct addresses from the slices kube-proxy reads for the Service (IPv4/IPv6 slices of its
   * families, isSliceReadFor); kube-proxy uses addresses[0].
   */
  sliceEndpoints: ServiceEndpoint[];
  /** Ready and total endpoints, counted once here for every check and the report. */
  counts: EndpointCounts;
}

export function viewService(model: ClusterModel, service: Service): ServiceView {
  const externalName = service.type === 'ExternalName';
  const matched =
    externalName || !service.selector
      ? []
      : model.podsMatching(service.meta.namespace, service.selector).map((pod) => {
          const node = pod.nodeName ? model.node(pod.nodeName) : undefined;
          return { pod, state: podEndpointState(pod, service, node, model.coverage.nodes) };
        });
  const slices = model.slicesFor(service);
  const sliceEndpoints = mergeSliceEndpoints(service, slices);
  for (const e of sliceEndpoints) {
    const ref = e.targetRef;
    if (ref?.kind !== 'Pod') continue;
    const namespace = ref.namespace ?? e.slice.meta.namespace;
    e.pod = model.pod(namespace, ref.name);
    e.stale = staleOf(model, namespace, ref, e.pod, e.address, e.terminating);
  }
  return {
    service,
    selectorless: !externalName && !service.selector,
    matched,
    slices,
    endpoints: model.endpointsFor(service),
    sliceEndpoints,
    counts: countEndpoints(matched, sliceEndpoints, model.coverage.endpointSlices),
  };
}

/**
 * kube-proxy's merge (pkg/proxy/endpointslicecache.go): every slice of a family it reads for the
 * Service counts, whoever manages it; duplicates keep the non-terminating entry.
 */
function mergeSliceEndpoints(service: Service, slices: EndpointSlice[]): ServiceEndpoint[] {
  const byAddress = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (!isSliceReadFor(service, slice)) continue;
    for (const e of slice.endpoints) {
      const address = e.addresses[0];
      if (!address) continue;
      const endpoint: ServiceEndpoint = {
        address,
        addressType: slice.addressType as AddressFamily,
        ready: e.conditions.ready,
        serving: e.conditions.serving,
        terminating: e.conditions.terminating,
        nodeName: e.nodeName,
        zone: e.zone,
        hintZones: e.hintZones,
        targetRef: e.targetRef,
        pod: undefined,
        slice,
        stale: undefined,
      };
      const seen = byAddress.get(address);
      if (!seen || (seen.terminating && !endpoint.terminating)) byAddress.set(address, endpoint);
    }
  }
  return [...byAddress.values()];
}

/**
 * Why an endpoint's targetRef pod is not the one behind its address: gone from a namespace whose
 * pods were all read, or recreated under the same name with another IP (or, still without an IP,
 * another uid). Undefined when the pod is there, or when the input cannot tell. A terminating
 * endpoint whose pod is gone is the last moment of a normal deletion, which the controller
 * completes by removing it: not stale.
 */
export function staleTarget(
  model: ClusterModel,
  sliceNamespace: string,
  ref: ObjectRef | undefined,
  address: string | undefined,
  terminating: boolean,
): string | undefined {
  if (!ref || ref.kind !== 'Pod') return undefined;
  const namespace = ref.namespace ?? sliceNamespace;
  return staleOf(model, namespace, ref, model.pod(namespace, ref.name), address, terminating);
}

/** staleTarget, with the Pod targetRef's pod (in `namespace`) already looked up. */
function staleOf(
  model: ClusterModel,
  namespace: string,
  ref: ObjectRef,
  pod: Pod | undefined,
  address: string | undefined,
  terminating: boolean,
): string | undefined {
  if (!address) return undefined;
  if (!pod) return !terminating && model.podsReadIn(namespace) ? 'pod no longer exists' : undefined;
  if (pod.podIPs.length > 0) {
    // Most are the same text; only IPv6 has other spellings of one address.
    if (pod.podIPs.includes(address)) return undefined;
    const canonical = canonicalIP(address);
    if (pod.podIPs.some((ip) => canonicalIP(ip) === canonical)) return undefined;
    return `pod now has IP ${pod.podIPs.join(', ')} (a pod of the same name was recreated)`;
  }
  if (!terminating && ref.uid && pod.meta.uid && ref.uid !== pod.meta.uid) {
    return `pod was recreated (uid ${pod.meta.uid}, no IP yet)`;
  }
  return undefined;
}

/** The endpoints of a Service, counted the same way by every check and the report. */
export interface EndpointCounts {
  /**
   * Distinct ready addresses per address family, the larger family's count: a dual-stack
   * pod has an IPv4 and an IPv6 endpoint but is one backend (docs/kubernetes-semantics.md#one-slice-set-per-address-family). An endpoint whose pod is
   * gone (ServiceEndpoint.stale) is no ready backend, although kube-proxy still programs it.
   */
  ready: number;
  /** All endpoints (ready or not), counted the same way. */
  total: number;
  /** 'slices': what kube-proxy merges (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices); 'pods': the input had no EndpointSlices at all. */
  source: 'slices' | 'pods';
}

/**
 * The one place that decides what a ready endpoint is. From the merged slices when the input
 * holds EndpointSlices; otherwise from the matched pods the controller would list
 * (shouldBeListed, and ready for the ready count: docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-conditions-and-fields). Selectorless Services then count 0.
 */
function countEndpoints(matched: MatchedPod[], sliceEndpoints: ServiceEndpoint[], slicesRead: boolean): EndpointCounts {
  let ready = 0;
  let total = 0;
  if (!slicesRead) {
    for (const m of matched) {
      if (!m.state.shouldBeListed) continue;
      total++;
      if (m.state.ready) ready++;
    }
    return { ready, total, source: 'pods' };
  }
  let readyV6 = 0;
  let totalV6 = 0;
  for (const e of sliceEndpoints) {
    if (e.addressType === 'IPv6') {
      totalV6++;
      if (isReadyBackend(e)) readyV6++;
    } else {
      total++;
      if (isReadyBackend(e)) ready++;
    }
  }
  return { ready: Math.max(ready, readyV6), total: Math.max(total, totalV6), source: 'slices' };
}

/** The ready endpoints behind view.counts.ready: the pods (slice targetRefs, or the matched pods), each once, and their addresses. */
export function readyBackends(view: ServiceView): { pods: string[]; addresses: string[] } {
  if (view.counts.source === 'pods') {
    const ready = view.matched.filter((m) => m.state.shouldBeListed && m.state.ready);
    return { pods: ready.map((m) => m.pod.meta.name), addresses: ready.flatMap((m) => m.pod.podIPs) };
  }
  const pods = new Set<string>();
  const addresses: string[] = [];
  for (const e of view.sliceEndpoints) {
    if (!isReadyBackend(e)) continue;
    if (e.targetRef?.kind === 'Pod') pods.add(e.targetRef.name);
    addresses.push(e.address);
  }
  return { pods: [...pods].sort(), addresses };
}

export interface SliceEntry {
  slice: EndpointSlice;
  endpoint: SliceEndpoint;
}

/** A view's slice endpoints by targetRef pod name, and by address for those without a Pod targetRef. */
interface SliceEntryIndex {
  byPodName: Map<string, SliceEntry[]>;
  byAddress: Map<string, SliceEntry[]>;
}

/** Built on a view's first lookup, so that finding every pod's entries is linear, not pods × endpoints. */
const sliceEntryIndex = oncePer((view: ServiceView): SliceEntryIndex => {
  const index: SliceEntryIndex = { byPodName: new Map(), byAddress: new Map() };
  for (const slice of view.slices) {
    for (const endpoint of slice.endpoints) {
      const ref = endpoint.targetRef;
      const entry = { slice, endpoint };
      if (ref && ref.kind === 'Pod') pushTo(index.byPodName, ref.name, entry);
      else for (const address of new Set(endpoint.addresses)) pushTo(index.byAddress, address, entry);
    }
  }
  return index;
});

/** Where a pod is listed among the Service's slices: by targetRef, or by address when the endpoint has none. */
export function sliceEntriesForPod(view: ServiceView, pod: Pod): SliceEntry[] {
  const index = sliceEntryIndex(view);
  const ns = pod.meta.namespace;
  const entries = (index.byPodName.get(pod.meta.name) ?? []).filter(
    (e) => (e.endpoint.targetRef!.namespace ?? ns) === ns,
  );
  if (index.byAddress.size === 0) return entries;
  const byAddress = new Set<SliceEntry>();
  for (const ip of pod.podIPs) for (const e of index.byAddress.get(ip) ?? []) byAddress.add(e);
  return [...entries, ...byAddress];
}

/**
 * The ready backends of one Service port, counted as counts.ready is: from the slices, the ready
 * endpoints of those carrying the port (its name and protocol, with a number: kube-proxy's
 * endpoints per Service port, docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping);
 * without slices, the matched pods that would be ready endpoints and on which its targetPort
 * resolves (docs/kubernetes-semantics.md#how-a-targetport-is-resolved).
 */
export function readyBackendsOnPort(view: ServiceView, port: ServicePort): number {
  if (view.counts.source === 'pods') {
    return view.matched.filter((m) => m.state.shouldBeListed && m.state.ready && findPort(m.pod, port) !== undefined)
      .length;
  }
  const carries = (slice: EndpointSlice) =>
    slice.ports.some((p) => p.name === port.name && p.protocol === port.protocol && p.port !== undefined);
  const perFamily = new Map<string, number>();
  for (const e of view.sliceEndpoints) {
    if (isReadyBackend(e) && carries(e.slice)) perFamily.set(e.addressType, (perFamily.get(e.addressType) ?? 0) + 1);
  }
  let most = 0;
  for (const count of perFamily.values()) if (count > most) most = count;
  return most;
}
