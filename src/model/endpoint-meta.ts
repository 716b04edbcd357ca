// Who wrote an EndpointSlice or Endpoints object, and which of them kube-proxy uses: the
// well-known labels and annotations (docs/kubernetes-semantics.md#labels-and-annotations-on-slices, docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#endpointslice-mirroring, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices) and small
// address helpers shared by the checks on hand-made and left-over endpoints.

import { hasLabel, labelValue } from '../core/selectors.js';
import { proxiedFamilies } from './services.js';
import type { EndpointAddress, EndpointSlice, Endpoints, Service, SlicePort } from '../core/objects.js';

/** Slice label naming its manager (docs/kubernetes-semantics.md#labels-and-annotations-on-slices). */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** managed-by value of the EndpointSlice controller (selector Services). */
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
/** managed-by value of the EndpointSlice mirroring controller (selectorless Services with Endpoints, docs/kubernetes-semantics.md#endpointslice-mirroring). */
const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** Endpoints label that stops mirroring when exactly "true" (docs/kubernetes-semantics.md#endpointslice-mirroring). */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Annotation of leader-election locks stored in Endpoints objects: not service endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#endpointslice-mirroring). */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** Label the Endpoints controller puts on the Endpoints it writes, since v1.33 (docs/kubernetes-semantics.md#the-legacy-endpoints-controller). */
export const LABEL_ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
export const ENDPOINTS_CONTROLLER = 'endpoint-controller';
/** Set by the Endpoints controller over 1000 addresses: `truncated` since v1.22, `warning` in v1.21 (docs/kubernetes-semantics.md#the-legacy-endpoints-controller). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** When the change the controller last wrote into a slice happened (docs/kubernetes-semantics.md#labels-and-annotations-on-slices). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Addresses per Endpoints object (controller) and per subset (mirroring) before truncation (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#endpointslice-mirroring). */
export const MAX_ENDPOINTS_ADDRESSES = 1000;

/** kube-proxy drops slices whose addressType is not IPv4/IPv6, i.e. FQDN (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices). */
export function isProxiedSlice(slice: EndpointSlice): boolean {
  return slice.addressType === 'IPv4' || slice.addressType === 'IPv6';
}

/** Whether the slice's endpoints count for the Service: proxied, and of one of its families (proxiedFamilies). */
export function isSliceReadFor(service: Service, slice: EndpointSlice): boolean {
  return isProxiedSlice(slice) && (proxiedFamilies(service) as string[]).includes(slice.addressType);
}

export function isControllerSlice(slice: EndpointSlice): boolean {
  return slice.managedBy === SLICE_CONTROLLER;
}

export function isMirroredSlice(slice: EndpointSlice): boolean {
  return slice.managedBy === MIRRORING_CONTROLLER;
}

/** Neither of the two controllers: a person, the kube-apiserver (default/kubernetes), a mesh... */
export function isForeignSlice(slice: EndpointSlice): boolean {
  return !isControllerSlice(slice) && !isMirroredSlice(slice);
}

export function isLeaderElection(endpoints: Endpoints): boolean {
  return hasLabel(endpoints.meta.annotations, LEADER_ANNOTATION);
}

export function skipsMirroring(endpoints: Endpoints): boolean {
  return labelValue(endpoints.meta.labels, LABEL_SKIP_MIRROR) === 'true';
}

/** Ready and not-ready addresses of every subset. */
export function allAddresses(endpoints: Endpoints): EndpointAddress[] {
  return endpoints.subsets.flatMap((s) => [...s.addresses, ...s.notReadyAddresses]);
}

/**
 * Addresses of a selector Service's Endpoints that the Endpoints controller cannot have
 * written: it writes only pod addresses with a targetRef to a Pod of the Service's
 * namespace. Pods that are gone or relabelled since are not counted (that may be lag).
 * Empty for Endpoints labelled as the controller's (v1.33+) or used as a leader lock.
 */
export function handMadeAddresses(endpoints: Endpoints, service: Service): EndpointAddress[] {
  if (isLeaderElection(endpoints)) return [];
  if (labelValue(endpoints.meta.labels, LABEL_ENDPOINTS_MANAGED_BY) === ENDPOINTS_CONTROLLER) return [];
  return allAddresses(endpoints).filter(
    (a) =>
      !a.targetRef ||
      a.targetRef.kind !== 'Pod' ||
      (a.targetRef.namespace !== undefined && a.targetRef.namespace !== service.meta.namespace),
  );
}

/** How a slice or Endpoints port reads in findings: `"http" 8080/TCP`, `"" 8080/TCP`, `(no name) 8080/TCP`. */
export function describeEndpointPort(port: SlicePort): string {
  return `${port.name === null ? '(no name)' : JSON.stringify(port.name)} ${port.port ?? '(no port number)'}/${port.protocol}`;
}
