// What is known about one Service, computed once and shared by every check: the pods its
// selector picks with their endpoint state, and the endpoints kube-proxy would merge from
// all its slices.

import type { ClusterModel } from './cluster.js';
import { podEndpointState, type PodEndpointState } from './pod-state.js';
import type { EndpointSlice, Endpoints, ObjectRef, Pod, Service } from './types.js';

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
  readyCount: number;
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
    readyCount: sliceEndpoints.filter((e) => e.ready).length,
  };
}

/** kube-proxy's merge (kubernetes-semantics §5.8): every slice counts; duplicates keep the non-terminating entry. */
export function mergeSliceEndpoints(slices: EndpointSlice[]): ServiceEndpoint[] {
  const byAddress = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    for (const e of slice.endpoints) {
      const address = e.addresses[0];
      if (!address) continue;
      const endpoint: ServiceEndpoint = {
        address,
        addressType: slice.addressType,
        ready: e.conditions.ready ?? true,
        serving: e.conditions.serving ?? true,
        terminating: e.conditions.terminating ?? false,
        nodeName: e.nodeName,
        targetRef: e.targetRef,
        slice,
      };
      const seen = byAddress.get(address);
      if (!seen || (seen.terminating && !endpoint.terminating)) byAddress.set(address, endpoint);
    }
  }
  return [...byAddress.values()];
}
