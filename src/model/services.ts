// Facts about a Service spec as the API server defaults it and kube-proxy reads it, and the
// IP-family helpers that go with them.

import { isIP } from 'node:net';
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

/**
 * Where a Service's backends come from, one kind per Service: `selector`, the pods its
 * spec.selector matches (the EndpointSlice controller lists them); `selectorless`, endpoints
 * someone else writes (no selector, or `{}`); `externalName`, a DNS name (type ExternalName, which
 * has no endpoints, whatever its selector).
 */
export type ServiceBackends = 'selector' | 'selectorless' | 'externalName';

export function backendsOf(service: Service): ServiceBackends {
  if (service.type === 'ExternalName') return 'externalName';
  return service.selector ? 'selector' : 'selectorless';
}

/**
 * How clients reach a Service that has endpoints (all but ExternalName), one kind per Service:
 * `headless`, clusterIP None (cluster DNS answers with the endpoints, kube-proxy ignores it);
 * `proxied`, kube-proxy programs it (proxiedByKubeProxy); `unproxied`, neither: a label hands
 * it to another proxy or keeps kube-proxy out, or it has no clusterIP.
 */
export type ServiceAddress = 'proxied' | 'headless' | 'unproxied';

export function addressOf(service: Service): ServiceAddress | undefined {
  if (service.type === 'ExternalName') return undefined;
  if (isHeadless(service)) return 'headless';
  return proxiedByKubeProxy(service) ? 'proxied' : 'unproxied';
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

// IsDNS1123Subdomain (k8s.io/apimachinery validation): at most 253 characters of lowercase
// alphanumerics, '-' and '.', each dot-separated part starting and ending alphanumeric.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX = 253;

/** Why a value is not a valid externalName, in words; undefined when it is valid. */
function subdomainProblem(value: string): string | undefined {
  // ValidateService trims one trailing dot before validating.
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length > DNS1123_SUBDOMAIN_MAX)
    return `it is ${name.length} characters long (at most ${DNS1123_SUBDOMAIN_MAX})`;
  if (DNS1123_SUBDOMAIN.test(name)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return 'it carries a URL scheme; externalName is a bare host name';
  if (/:\d+$/.test(name)) return 'it carries a port; externalName is a bare host name (clients choose the port)';
  if (/\//.test(name)) return 'it carries a path; externalName is a bare host name';
  if (DNS1123_SUBDOMAIN.test(name.toLowerCase())) return 'it has uppercase letters; it must be lowercase';
  if (/_/.test(name)) return "it contains '_', which RFC 1123 host names do not allow";
  if (name === '') return 'it is only a dot';
  return "it must be lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
}

function stripHost(value: string): string {
  const trimmed = value.endsWith('.') ? value.slice(0, -1) : value;
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * Why spec.externalName gives no usable CNAME, or undefined when it is a valid DNS name: missing,
 * an IP address (valid as a name but not a useful CNAME target, docs/kubernetes-semantics.md#externalname-services), or not a DNS-1123 subdomain.
 * The one test both ExternalName checks use, and selectorless-no-endpoints for host names in FQDN slices.
 */
export type ExternalNameProblem =
  { kind: 'missing' } | { kind: 'ip'; host: string; family: 'IPv4' | 'IPv6' } | { kind: 'invalid'; reason: string };

export function externalNameProblem(value: string | undefined): ExternalNameProblem | undefined {
  if (value === undefined) return { kind: 'missing' };
  const host = stripHost(value);
  const v = isIP(host);
  if (v !== 0) return { kind: 'ip', host, family: v === 6 ? 'IPv6' : 'IPv4' };
  const reason = subdomainProblem(value);
  return reason ? { kind: 'invalid', reason } : undefined;
}

/** The annotation that asked for topology aware hints before v1.27; when present it decides (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution). */
export const DEPRECATED_TOPOLOGY_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
export const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
