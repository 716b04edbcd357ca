// Facts about a Service spec as the API server defaults it and kube-proxy reads it, and the
// IP-family helpers that go with them.

import { familyOf, type AddressFamily } from '../core/ip.js';
import { hasLabel } from '../core/selectors.js';
import type { Labels, Service } from '../core/objects.js';

/** clusterIP None: DNS only; kube-proxy ignores the Service (docs/kubernetes-semantics.md#headless-services). */
export function isHeadless(service: Service): boolean {
  return service.clusterIP === 'None';
}

/** Another proxy implements the Service (pkg/proxy/apis well_known_labels.go, LabelServiceProxyName). */
export const LABEL_SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';
/** What the controllers put on a headless Service's slices and Endpoints (v1.IsHeadlessService). */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

/**
 * The label by which kube-proxy leaves a Service or EndpointSlice out, if it carries one: its
 * informers list both kinds with the selector `!service-proxy-name,!headless`
 * (cmd/kube-proxy/app/server.go, ProxyServer.Run).
 */
export function kubeProxySkipLabel(labels: Labels): string | undefined {
  return [LABEL_SERVICE_PROXY_NAME, LABEL_HEADLESS].find((label) => hasLabel(labels, label));
}

/**
 * Whether kube-proxy programs the Service: not ExternalName, a ClusterIP set (ShouldSkipService,
 * pkg/proxy/util), and no label its informers filter out.
 */
export function proxiedByKubeProxy(service: Service): boolean {
  if (service.type === 'ExternalName') return false;
  if (!service.clusterIP || service.clusterIP === 'None') return false;
  return kubeProxySkipLabel(service.meta.labels) === undefined;
}

/** NodePort, LoadBalancer, or ClusterIP with externalIPs (pkg/api/v1/service ExternallyAccessible, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection). */
export function externallyAccessible(service: Service): boolean {
  return (
    service.type === 'NodePort' ||
    service.type === 'LoadBalancer' ||
    (service.type === 'ClusterIP' && service.externalIPs.length > 0)
  );
}

/**
 * The address families the controller makes slices for (docs/kubernetes-semantics.md#one-slice-set-per-address-family, getAddressTypesForService):
 * spec.ipFamilies; when empty, the clusterIP's family; a headless Service without families gets both.
 */
export function serviceFamilies(service: Service): AddressFamily[] {
  if (service.ipFamilies.length > 0) return service.ipFamilies;
  const family = service.clusterIP && service.clusterIP !== 'None' ? familyOf(service.clusterIP) : undefined;
  return family ? [family] : ['IPv4', 'IPv6'];
}

/**
 * The address families whose slices count for the Service. kube-proxy runs one proxier per
 * family, and each merges only slices of its own addressType (pkg/proxy/endpointschangetracker.go,
 * EndpointSliceUpdate) for Services with a ClusterIP of that family: a slice of another family is
 * never programmed. Cluster DNS answers for a headless Service from slices of either family.
 */
export function proxiedFamilies(service: Service): AddressFamily[] {
  return isHeadless(service) ? ['IPv4', 'IPv6'] : serviceFamilies(service);
}

/** The family the Endpoints controller uses: ipFamilies[0], else the clusterIP's; undefined for a legacy headless Service. */
export function primaryFamily(service: Service): AddressFamily | undefined {
  if (service.ipFamilies.length > 0) return service.ipFamilies[0];
  if (service.clusterIP && service.clusterIP !== 'None') return familyOf(service.clusterIP);
  return undefined;
}
