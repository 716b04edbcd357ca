// What kube-proxy on one node should program for one Service port and address family, from
// the EndpointSlices alone, following pkg/proxy/topology.go CategorizeEndpoints and the
// proxiers' REJECT/DROP rules (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices, docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels).

import type { FrontendKind, IPFamily, ProgrammedFrontend } from '../sources/node-rules/types.js';
import { isProxiedSlice } from './endpoint-meta.js';
import type { ServiceView } from './service-view.js';
import { externallyAccessible, proxiedByKubeProxy, serviceFamilies } from './services.js';
import type { EndpointSlice, Node, ObjectRef, Service, ServicePort } from '../core/objects.js';
import { canonicalIP, familyOf } from '../core/ip.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** One endpoint of one Service port, as kube-proxy keys it: address and the slice's port number. */
export interface ExpectedEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  hintZones: string[];
  targetRef?: ObjectRef;
  slice: EndpointSlice;
}

interface ExpectedVerdict {
  frontend: FrontendKind;
  verdict: 'reject' | 'drop';
}

export interface ExpectedServicePort {
  service: Service;
  port: ServicePort;
  family: IPFamily;
  frontends: ProgrammedFrontend[];
  /** The Service's slices, whose changes the node's rules follow. */
  slices: EndpointSlice[];
  /** Every endpoint the slices give this port and family, whatever its conditions. */
  all: ExpectedEndpoint[];
  /** Endpoints cluster-IP traffic must reach (the internal policy's set). */
  internal: ExpectedEndpoint[];
  /** Endpoints node-port, external and load-balancer traffic must reach (the external policy's set). */
  external: ExpectedEndpoint[];
  /** Keys ("ip:port") kube-proxy may program for this port: ready, or serving and terminating when nothing is ready. */
  usable: Set<string>;
  /** Some endpoint is usable anywhere in the cluster; without one every frontend REJECTs. */
  hasEndpoints: boolean;
  verdicts: ExpectedVerdict[];
  /** Why internal/external may be a subset kube-proxy picks by topology hints, when it is not sure which. */
  topologyNote?: string;
}

export function endpointKey(ip: string, port: number): string {
  const canonical = canonicalIP(ip);
  return familyOf(canonical) === 'IPv6' ? `[${canonical}]:${port}` : `${canonical}:${port}`;
}

/**
 * The endpoints kube-proxy merges for one Service port (endpointInfoByServicePort): slices of
 * the family carrying a port of the same name and protocol with a number; addresses[0] of each
 * endpoint; duplicates by ip:port keep a non-terminating entry.
 */
export function endpointsForPort(slices: EndpointSlice[], port: ServicePort, family: IPFamily): ExpectedEndpoint[] {
  const byKey = new Map<string, ExpectedEndpoint>();
  for (const slice of slices) {
    if (!isProxiedSlice(slice) || slice.addressType !== family) continue;
    const slicePort = slice.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
    if (!slicePort?.port) continue;
    for (const e of slice.endpoints) {
      const ip = e.addresses[0];
      if (!ip) continue;
      const endpoint: ExpectedEndpoint = {
        ip: canonicalIP(ip),
        port: slicePort.port,
        ready: e.conditions.ready,
        serving: e.conditions.serving,
        terminating: e.conditions.terminating,
        nodeName: e.nodeName,
        hintZones: e.hintZones,
        targetRef: e.targetRef,
        slice,
      };
      const key = endpointKey(ip, slicePort.port);
      const seen = byKey.get(key);
      if (!seen || (seen.terminating && !endpoint.terminating)) byKey.set(key, endpoint);
    }
  }
  return [...byKey.values()];
}

/**
 * The cluster-wide set for this node (CategorizeEndpoints): ready endpoints, narrowed by
 * topology hints when every ready endpoint has one and one matches the node; with no ready
 * endpoint, the serving terminating ones. Hints for nodes (PreferSameNode) are not in the model:
 * there only the endpoints on this node are certain to be in the set.
 */
function clusterSet(
  all: ExpectedEndpoint[],
  service: Service,
  nodeName: string,
  zone: string | undefined,
): { set: ExpectedEndpoint[]; note?: string } {
  const ready = all.filter((e) => e.ready);
  if (ready.length === 0) return { set: all.filter((e) => e.serving && e.terminating) };
  if (!ready.every((e) => e.hintZones.length > 0)) return { set: ready };
  if (service.trafficDistribution === 'PreferSameNode') {
    const onNode = ready.filter((e) => e.nodeName === nodeName);
    if (onNode.length > 0) {
      return { set: onNode, note: 'PreferSameNode: only the endpoints on this node are certain to be used' };
    }
  }
  if (zone === undefined) {
    return {
      set: [],
      note: "topology hints are set and the node's zone is unknown: the endpoints used are not certain",
    };
  }
  const inZone = ready.filter((e) => e.hintZones.includes(zone));
  return { set: inZone.length > 0 ? inZone : ready };
}

/** This node's endpoints: ready ones, else serving terminating ones (the Local policies' set). */
function localSet(all: ExpectedEndpoint[], nodeName: string): ExpectedEndpoint[] {
  const local = all.filter((e) => e.nodeName === nodeName);
  const ready = local.filter((e) => e.ready);
  return ready.length > 0 ? ready : local.filter((e) => e.serving && e.terminating);
}

/** The nodes whose Local policies' set is not empty: they host a ready, or a serving terminating, endpoint. */
export function nodesWithLocalEndpoints(all: ExpectedEndpoint[]): Set<string> {
  const nodes = new Set<string>();
  for (const e of all) if (e.nodeName && (e.ready || (e.serving && e.terminating))) nodes.add(e.nodeName);
  return nodes;
}

function frontendsFor(service: Service, port: ServicePort, family: IPFamily): ProgrammedFrontend[] {
  const ofFamily = (ip: string) => familyOf(ip) === family;
  const at = (kind: FrontendKind) => (ip: string) => ({
    kind,
    ip: canonicalIP(ip),
    port: port.port,
    protocol: port.protocol,
  });
  const clusterIPs = service.clusterIPs.length > 0 ? service.clusterIPs : service.clusterIP ? [service.clusterIP] : [];
  return [
    ...clusterIPs.filter(ofFamily).map(at('cluster-ip')),
    ...service.externalIPs.filter(ofFamily).map(at('external-ip')),
    // kube-proxy captures only ingress IPs in VIP mode (docs/kubernetes-semantics.md#loadbalancer-services).
    ...service.loadBalancerIngress
      .filter((i) => i.ip && ofFamily(i.ip) && (i.ipMode ?? 'VIP') === 'VIP')
      .map((i) => at('load-balancer')(i.ip!)),
    ...(port.nodePort ? [{ kind: 'node-port' as const, port: port.nodePort, protocol: port.protocol }] : []),
  ];
}

/** Every Service port and family kube-proxy on `node` programs, with what it should program. */
export function expectedServicePorts(
  view: ServiceView,
  nodeName: string,
  node: Node | undefined,
  families: IPFamily[],
): ExpectedServicePort[] {
  const { service } = view;
  if (!proxiedByKubeProxy(service)) return [];
  const zone = node?.meta.labels[ZONE_LABEL];
  const external = externallyAccessible(service);
  const expected: ExpectedServicePort[] = [];
  for (const family of serviceFamilies(service).filter((f) => families.includes(f))) {
    for (const port of service.ports) {
      const all = endpointsForPort(view.slices, port, family);
      const cluster = clusterSet(all, service, nodeName, zone);
      const local = localSet(all, nodeName);
      const internalLocal = service.internalTrafficPolicy === 'Local';
      const externalLocal = external && service.externalTrafficPolicy === 'Local';
      const ready = all.filter((e) => e.ready);
      const usableList = ready.length > 0 ? ready : all.filter((e) => e.serving && e.terminating);
      const hasEndpoints = usableList.length > 0;
      const frontends = frontendsFor(service, port, family);
      const verdicts: ExpectedVerdict[] = [];
      const externalKinds = [...new Set(frontends.map((f) => f.kind).filter((k) => k !== 'cluster-ip'))];
      if (!hasEndpoints) {
        for (const kind of new Set(frontends.map((f) => f.kind))) verdicts.push({ frontend: kind, verdict: 'reject' });
      } else {
        if (internalLocal && local.length === 0) verdicts.push({ frontend: 'cluster-ip', verdict: 'drop' });
        if (externalLocal && local.length === 0) {
          for (const kind of externalKinds) verdicts.push({ frontend: kind, verdict: 'drop' });
        }
      }
      expected.push({
        service,
        port,
        family,
        frontends,
        slices: view.slices,
        all,
        internal: internalLocal ? local : cluster.set,
        external: externalLocal ? local : cluster.set,
        usable: new Set(usableList.map((e) => endpointKey(e.ip, e.port))),
        hasEndpoints,
        verdicts,
        ...(cluster.note && (!internalLocal || (external && !externalLocal)) ? { topologyNote: cluster.note } : {}),
      });
    }
  }
  return expected;
}

/** The endpoints kube-proxy may send this port's traffic to, on any node. */
export function usableEndpoints(expected: ExpectedServicePort): ExpectedEndpoint[] {
  return expected.all.filter((e) => expected.usable.has(endpointKey(e.ip, e.port)));
}
