// The pods that carry a referrer's traffic to the Service it names, found from cluster facts
// alone, never from names: an Ingress's controller, as the Service whose address the controller
// published in the Ingress's status
// (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service); a route's Gateways,
// as the Services their implementation labelled with the Gateway's name, else the Services
// answering on an address the implementation published in the Gateway's status
// (docs/kubernetes-semantics.md#the-services-of-a-gateway). The pods are those Services' ready
// backends. Webhooks and APIServices are called by kube-apiserver, which is no pod: none.
// Indexes are built once per model, on first use; each referrer is resolved once, and referrers
// behind the same Services (every Ingress of one controller) share one answer.

import { canonicalIP, familyOf } from '../core/ip.js';
import { labelValue } from '../core/selectors.js';
import { oncePer } from '../core/once-per.js';
import type { GatewayRoute, Ingress, Pod, Service } from '../core/objects.js';
import type { ClusterModel } from './cluster.js';
import { GATEWAY_ROUTE_KINDS, type ServiceReference } from './references.js';
import { readyBackendPods } from './service-policies.js';
import { viewService } from './service-view.js';

/** The label GEP-1762 has an in-cluster implementation put on what it makes for a Gateway. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The pods that send a referrer's traffic, and the Services that showed which they are. */
export interface ReferrerPods {
  services: readonly Service[];
  /** Those Services' ready backends, in namespace and name order, each once. */
  pods: readonly Pod[];
}

interface ReferrerIndex {
  /** Canonical IP or lower-case hostname → the Services answering on it. */
  servicesByAddress: Map<string, Service[]>;
  /** "namespace\0gateway" → the Services of that namespace labelled with the Gateway's name. */
  servicesByGateway: Map<string, Service[]>;
  ingresses: Map<string, Ingress>;
  /** Each referrer resolved once ("kind\0namespace\0name"); undefined: its pods cannot be known. */
  resolved: Map<string, ReferrerPods | undefined>;
  /** Each set of Services' pods, made once ("namespace/name" of each, sorted, joined by \0). */
  byServices: Map<string, ReferrerPods | undefined>;
}

function addTo(map: Map<string, Service[]>, key: string, service: Service): void {
  const list = map.get(key);
  if (!list) map.set(key, [service]);
  else if (!list.includes(service)) list.push(service);
}

/** An IP in its one spelling, a hostname in lower case (DNS names compare without case). */
function addressKey(address: string): string {
  return familyOf(address) ? canonicalIP(address) : address.toLowerCase();
}

const indexOf = oncePer((model: ClusterModel): ReferrerIndex => {
  const index: ReferrerIndex = {
    servicesByAddress: new Map(),
    servicesByGateway: new Map(),
    ingresses: new Map(),
    resolved: new Map(),
    byServices: new Map(),
  };
  for (const service of model.services) {
    const addresses = [
      ...service.loadBalancerIngress.flatMap((i) => [i.ip, i.hostname].filter((a) => a !== undefined)),
      ...service.externalIPs,
      ...service.clusterIPs.filter((ip) => ip !== 'None'),
    ];
    for (const address of addresses) addTo(index.servicesByAddress, addressKey(address), service);
    const gateway = labelValue(service.meta.labels, GATEWAY_NAME_LABEL);
    if (gateway !== undefined) addTo(index.servicesByGateway, `${service.meta.namespace}\u0000${gateway}`, service);
  }
  for (const ingress of model.ingresses)
    index.ingresses.set(`${ingress.meta.namespace}\u0000${ingress.meta.name}`, ingress);
  return index;
});

/** The Services answering on any of the addresses a controller published (an Ingress's, a Gateway's), each once. */
function servicesAnswering(addresses: Iterable<string>, index: ReferrerIndex): Service[] {
  const services = new Set<Service>();
  for (const address of addresses) {
    for (const s of index.servicesByAddress.get(addressKey(address)) ?? []) services.add(s);
  }
  return [...services];
}

/** The Services an Ingress's controller published the address of; undefined when none is known. */
function ingressServices(ingress: Ingress, index: ReferrerIndex): Service[] | undefined {
  const addresses = ingress.loadBalancerIngress.flatMap(({ ip, hostname }) =>
    [ip, hostname].filter((a) => a !== undefined),
  );
  const services = servicesAnswering(addresses, index);
  return services.length > 0 ? services : undefined;
}

/**
 * The Services of a route's Gateway: those its implementation labelled with the Gateway's name
 * (GEP-1762), else those answering on an IPAddress or Hostname of the Gateway's status (an
 * implementation that does not label them, or keeps them in a namespace of its own); undefined
 * when neither shows one: no labelled Service, and the Gateway not in the input or no address
 * of it that a Service of the input answers on.
 */
function gatewayServices(
  namespace: string,
  name: string,
  model: ClusterModel,
  index: ReferrerIndex,
): Service[] | undefined {
  const labelled = index.servicesByGateway.get(`${namespace}\u0000${name}`);
  if (labelled) return labelled;
  const gateway = model.gateway(namespace, name);
  const services = gateway
    ? servicesAnswering(
        gateway.addresses.map((a) => a.value),
        index,
      )
    : [];
  return services.length > 0 ? services : undefined;
}

/** The Services of every Gateway a route attaches to; undefined when one of them has none known. */
function routeServices(route: GatewayRoute, model: ClusterModel, index: ReferrerIndex): Service[] | undefined {
  if (route.parentGateways.length === 0) return undefined;
  const services = new Set<Service>();
  for (const gateway of route.parentGateways) {
    const found = gatewayServices(gateway.namespace, gateway.name, model, index);
    if (!found) return undefined;
    for (const s of found) services.add(s);
  }
  return [...services];
}

function byNamespaceAndName(a: Pod, b: Pod): number {
  const ka = `${a.meta.namespace}/${a.meta.name}`;
  const kb = `${b.meta.namespace}/${b.meta.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The ready backends of the Services; undefined when one of them has a ready endpoint whose pod the input lacks, or none has any. */
function podsBehind(services: Service[], model: ClusterModel, index: ReferrerIndex): ReferrerPods | undefined {
  const key = services
    .map((s) => `${s.meta.namespace}/${s.meta.name}`)
    .sort()
    .join('\u0000');
  if (index.byServices.has(key)) return index.byServices.get(key);
  const pods = new Set<Pod>();
  let unknown = 0;
  for (const service of services) {
    const backends = readyBackendPods(viewService(model, service));
    unknown += backends.unknown;
    for (const pod of backends.pods) pods.add(pod);
  }
  const found = unknown === 0 && pods.size > 0 ? { services, pods: [...pods].sort(byNamespaceAndName) } : undefined;
  index.byServices.set(key, found);
  return found;
}

/**
 * The pods that send the reference's traffic: an Ingress's controller pods, a route's Gateway
 * pods. Undefined when the input does not show them: no address in the Ingress's status that a
 * Service of the input answers on; a Gateway with neither a labelled Service nor a status
 * address a Service of the input answers on (or not in the input); or a ready endpoint of those
 * Services whose pod the input does not hold (some senders unknown).
 */
export function referrerPods(reference: ServiceReference, model: ClusterModel): ReferrerPods | undefined {
  const index = indexOf(model);
  const { kind, namespace, name } = reference.referrer;
  const key = `${kind}\u0000${namespace ?? ''}\u0000${name}`;
  if (index.resolved.has(key)) return index.resolved.get(key);
  const ingress = kind === 'Ingress' ? index.ingresses.get(`${namespace}\u0000${name}`) : undefined;
  const routeKind = GATEWAY_ROUTE_KINDS.find((k) => k === kind);
  const route = routeKind && model.gatewayRoute(routeKind, namespace ?? '', name);
  const services = ingress ? ingressServices(ingress, index) : route ? routeServices(route, model, index) : undefined;
  const found = services && podsBehind(services, model, index);
  index.resolved.set(key, found);
  return found;
}
