// What is known about one Service, computed once and shared by every check: the pods its
// selector picks with their endpoint state, and the endpoints kube-proxy would merge from
// all its slices.

import type { ClusterModel } from './cluster.js';
import { isProxiedSlice } from './endpoint-meta.js';
import type { AddressFamily } from './services.js';
import { podEndpointState, type PodEndpointState } from './pod-state.js';
import type { EndpointSlice, Endpoints, ObjectRef, Pod, Service, SliceEndpoint } from './types.js';

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
  slice: EndpointSlice;
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
  /** Distinct addresses from slices of address type IPv4/IPv6; kube-proxy uses addresses[0]. */
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
  const sliceEndpoints = mergeSliceEndpoints(slices);
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

/** kube-proxy's merge (kubernetes-semantics §5.8): every slice counts; duplicates keep the non-terminating entry. */
export function mergeSliceEndpoints(slices: EndpointSlice[]): ServiceEndpoint[] {
  const byAddress = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (!isProxiedSlice(slice)) continue;
    for (const e of slice.endpoints) {
      const address = e.addresses[0];
      if (!address) continue;
      const endpoint: ServiceEndpoint = {
        address,
        addressType: slice.addressType as AddressFamily,
        ready: e.conditions.ready ?? true,
        serving: e.conditions.serving ?? true,
        terminating: e.conditions.terminating ?? false,
        nodeName: e.nodeName,
        zone: e.zone,
        hintZones: e.hintZones,
        targetRef: e.targetRef,
        slice,
      };
      const seen = byAddress.get(address);
      if (!seen || (seen.terminating && !endpoint.terminating)) byAddress.set(address, endpoint);
    }
  }
  return [...byAddress.values()];
}

/** The endpoints of a Service, counted the same way by every check and the report. */
export interface EndpointCounts {
  /**
   * Distinct ready addresses per address family, the larger family's count: a dual-stack
   * pod has an IPv4 and an IPv6 endpoint but is one backend (§1.5).
   */
  ready: number;
  /** All endpoints (ready or not), counted the same way. */
  total: number;
  /** Pods behind the ready endpoints (slice targetRefs, or the matched pods), each once. */
  readyPods: string[];
  /** The ready endpoints' addresses, every family. */
  readyAddresses: string[];
  /** 'slices': what kube-proxy merges (§5.8); 'pods': the input had no EndpointSlices at all. */
  source: 'slices' | 'pods';
}

/**
 * The one place that decides what a ready endpoint is. From the merged slices when the input
 * holds EndpointSlices; otherwise from the matched pods the controller would list
 * (inSlices, and ready for the ready count: §1.2, §1.3). Selectorless Services then count 0.
 */
function countEndpoints(matched: MatchedPod[], sliceEndpoints: ServiceEndpoint[], slicesRead: boolean): EndpointCounts {
  if (!slicesRead) {
    const listed = matched.filter((m) => m.state.inSlices);
    const ready = listed.filter((m) => m.state.ready);
    return {
      ready: ready.length,
      total: listed.length,
      readyPods: ready.map((m) => m.pod.meta.name),
      readyAddresses: ready.flatMap((m) => m.pod.podIPs),
      source: 'pods',
    };
  }
  const readyPerFamily = new Map<string, number>();
  const totalPerFamily = new Map<string, number>();
  const pods = new Set<string>();
  const readyAddresses: string[] = [];
  for (const e of sliceEndpoints) {
    totalPerFamily.set(e.addressType, (totalPerFamily.get(e.addressType) ?? 0) + 1);
    if (!e.ready) continue;
    readyPerFamily.set(e.addressType, (readyPerFamily.get(e.addressType) ?? 0) + 1);
    if (e.targetRef?.kind === 'Pod') pods.add(e.targetRef.name);
    readyAddresses.push(e.address);
  }
  return {
    ready: Math.max(0, ...readyPerFamily.values()),
    total: Math.max(0, ...totalPerFamily.values()),
    readyPods: [...pods].sort(),
    readyAddresses,
    source: 'slices',
  };
}

/** Where a pod is listed among the Service's slices: by targetRef, or by address when the endpoint has none. */
export function sliceEntriesForPod(view: ServiceView, pod: Pod): { slice: EndpointSlice; endpoint: SliceEndpoint }[] {
  const entries: { slice: EndpointSlice; endpoint: SliceEndpoint }[] = [];
  for (const slice of view.slices) {
    for (const endpoint of slice.endpoints) {
      const ref = endpoint.targetRef;
      const match =
        ref && ref.kind === 'Pod'
          ? ref.name === pod.meta.name && (ref.namespace ?? pod.meta.namespace) === pod.meta.namespace
          : endpoint.addresses.some((a) => pod.podIPs.includes(a));
      if (match) entries.push({ slice, endpoint });
    }
  }
  return entries;
}
