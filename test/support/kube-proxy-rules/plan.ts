// kube-proxy's view of one node: each Service port in each family with its endpoints sorted the
// way kube-proxy sorts them (ready, else serving and terminating; this node's; topology hints), the
// decisions the iptables and nftables writers share, and the breakages applied on purpose.

import { isJsonArray, stringAt, valueAt } from '../../../src/core/json-value.js';
import type { IPFamily, Protocol } from '../../../src/sources/node-rules/types.js';
import { slimEndpointSlice } from '../../../src/sources/slim/endpoint-slice.js';
import { slimService } from '../../../src/sources/slim/service.js';
import type { Raw } from '../objects.js';

export type Breakage =
  /** The rules miss this endpoint of the Service (every port). */
  | { kind: 'drop-endpoint'; service: string; ip: string }
  /** The rules still send traffic to an endpoint the slices no longer list. */
  | { kind: 'stale-endpoint'; service: string; ip: string; port: number; node?: string }
  /** The rules REJECT as if the Service had no endpoints, although it has. */
  | { kind: 'reject-despite-endpoints'; service: string }
  /** The rules behave as if no endpoint were on this node (Local policies then DROP). */
  | { kind: 'no-local-endpoints'; service: string };

export interface RulesInput {
  services: Raw[];
  slices: Raw[];
  nodeName: string;
  /** Services that no longer exist in the cluster but whose rules are still on the node. */
  staleServices?: Raw[];
  breakages?: Breakage[];
  /** The node's topology.kubernetes.io/zone: with it, zone hints narrow the Cluster-policy endpoints. */
  nodeZone?: string;
  /** Drop comments on KUBE-SEP rules and SVC→SEP jumps, as kube-proxy does above 1000 endpoints. */
  largeCluster?: boolean;
}

/** Pod network (masquerade "not from pods") and node addresses the generated rules use. */
export const POD_CIDR: Record<IPFamily, string> = { IPv4: '10.244.0.0/16', IPv6: 'fd00:10:244::/56' };
export const NODE_IP: Record<IPFamily, string> = { IPv4: '192.168.0.2', IPv6: 'fd00:192::2' };

export interface Backend {
  ip: string;
  port: number;
  local: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Zone hints (forZones). */
  zones: string[];
}

/** One Service port in one family, with kube-proxy's endpoint categorisation already done. */
export interface PlannedPort {
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  family: IPFamily;
  clusterIP: string;
  port: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  /** spec.loadBalancerSourceRanges of this family: KUBE-FW chain / firewall-ips map. */
  sourceRanges: string[];
  nodePort?: number;
  internalLocal: boolean;
  externalLocal: boolean;
  affinitySeconds?: number;
  clusterEndpoints: Backend[];
  localEndpoints: Backend[];
}

export function planPorts(input: RulesInput): PlannedPort[] {
  const slices = input.slices.map(slimEndpointSlice);
  const plan: PlannedPort[] = [];
  for (const raw of [...input.services, ...(input.staleServices ?? [])]) {
    const svc = slimService(raw);
    if (svc.type === 'ExternalName' || !svc.clusterIP || svc.clusterIP === 'None') continue;
    const affinitySeconds = stringAt(raw, 'spec', 'sessionAffinity') === 'ClientIP' ? clientIPTimeout(raw) : undefined;
    const key = `${svc.meta.namespace}/${svc.meta.name}`;
    const breakages = (input.breakages ?? []).filter((b) => b.service === key);
    for (const clusterIP of svc.clusterIPs.length ? svc.clusterIPs : [svc.clusterIP]) {
      const family: IPFamily = clusterIP.includes(':') ? 'IPv6' : 'IPv4';
      const ofFamily = (ip: string) => ip.includes(':') === (family === 'IPv6');
      for (const sp of svc.ports) {
        let backends = backendsFor(
          slices,
          svc.meta.namespace,
          svc.meta.name,
          sp.name,
          sp.protocol,
          family,
          input.nodeName,
        );
        for (const b of breakages) {
          if (b.kind === 'drop-endpoint') backends = backends.filter((e) => e.ip !== b.ip);
          if (b.kind === 'stale-endpoint' && ofFamily(b.ip)) {
            backends.push({
              ip: b.ip,
              port: b.port,
              local: b.node === input.nodeName,
              ready: true,
              serving: true,
              terminating: false,
              zones: [],
            });
          }
          if (b.kind === 'no-local-endpoints') backends = backends.map((e) => ({ ...e, local: false }));
          if (b.kind === 'reject-despite-endpoints') backends = [];
        }
        const planned: PlannedPort = {
          namespace: svc.meta.namespace,
          name: svc.meta.name,
          portName: sp.name,
          protocol: sp.protocol,
          family,
          clusterIP,
          port: sp.port,
          externalIPs: svc.externalIPs.filter(ofFamily),
          loadBalancerIPs:
            svc.type === 'LoadBalancer'
              ? svc.loadBalancerIngress.map((i) => i.ip).filter((ip): ip is string => !!ip && ofFamily(ip))
              : [],
          sourceRanges: sourceRanges(raw).filter(ofFamily),
          nodePort: svc.type === 'NodePort' || svc.type === 'LoadBalancer' ? sp.nodePort : undefined,
          internalLocal: svc.internalTrafficPolicy === 'Local',
          externalLocal: svc.externalTrafficPolicy === 'Local',
          affinitySeconds,
          ...categorize(backends, usesTopology(svc, backends, input.nodeZone) ? input.nodeZone : undefined),
        };
        plan.push(planned);
      }
    }
  }
  return plan;
}

/** spec.sessionAffinityConfig.clientIP.timeoutSeconds, 10800 (three hours) when unset, as the API server defaults it. */
function clientIPTimeout(rawService: Raw): number {
  const seconds = valueAt(rawService, 'spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
  return typeof seconds === 'number' ? seconds : 10800;
}

function sourceRanges(rawService: Raw): string[] {
  const ranges = valueAt(rawService, 'spec', 'loadBalancerSourceRanges');
  return isJsonArray(ranges) ? ranges.filter((r) => typeof r === 'string') : [];
}

function backendsFor(
  slices: ReturnType<typeof slimEndpointSlice>[],
  namespace: string,
  name: string,
  portName: string,
  protocol: Protocol,
  family: IPFamily,
  nodeName: string,
): Backend[] {
  const seen = new Map<string, Backend>();
  for (const slice of slices) {
    if (slice.meta.namespace !== namespace || slice.serviceName !== name || slice.addressType !== family) continue;
    const port = slice.ports.find((p) => (p.name ?? '') === portName && p.protocol === protocol)?.port;
    if (!port) continue;
    for (const e of slice.endpoints) {
      const ip = e.addresses[0];
      if (!ip || seen.has(`${ip}:${port}`)) continue;
      seen.set(`${ip}:${port}`, {
        ip,
        port,
        local: e.nodeName === nodeName,
        ready: e.conditions.ready ?? true,
        serving: e.conditions.serving ?? true,
        terminating: e.conditions.terminating ?? false,
        zones: e.hintZones,
      });
    }
  }
  return [...seen.values()];
}

/**
 * Topology-aware routing applies when the Service asks for it (trafficDistribution, or the topology-mode
 * annotation set to Auto), the node has a zone, every ready endpoint has hints and one is for this zone.
 */
function usesTopology(svc: ReturnType<typeof slimService>, backends: Backend[], zone: string | undefined): boolean {
  if (!zone) return false;
  if (svc.trafficDistribution === undefined) {
    const mode =
      svc.meta.annotations['service.kubernetes.io/topology-mode'] ??
      svc.meta.annotations['service.kubernetes.io/topology-aware-hints'];
    if (mode !== 'Auto' && mode !== 'auto') return false;
  }
  const ready = backends.filter((e) => e.ready);
  return ready.every((e) => e.zones.length > 0) && ready.some((e) => e.zones.includes(zone));
}

/**
 * Ready endpoints (for this zone, with topology), else serving-and-terminating ones regardless of
 * topology; the same for this node's endpoints, which topology does not narrow.
 */
function categorize(
  backends: Backend[],
  topologyZone: string | undefined,
): { clusterEndpoints: Backend[]; localEndpoints: Backend[] } {
  const pick = (list: Backend[], zone?: string) => {
    const ready = list.filter((e) => e.ready && (!zone || e.zones.includes(zone)));
    return ready.length ? ready : list.filter((e) => e.serving && e.terminating);
  };
  return {
    clusterEndpoints: pick(backends, topologyZone),
    localEndpoints: pick(backends.filter((e) => e.local)),
  };
}

/** kube-proxy's decisions for one port, shared by the iptables and nftables writers. */
export function decide(p: PlannedPort) {
  const hasEndpoints = p.clusterEndpoints.length > 0 || p.localEndpoints.length > 0;
  const hasInternalEndpoints = hasEndpoints && (!p.internalLocal || p.localEndpoints.length > 0);
  const hasExternalEndpoints = hasEndpoints && (!p.externalLocal || p.localEndpoints.length > 0);
  const externallyAccessible = !!p.nodePort || p.externalIPs.length > 0 || p.loadBalancerIPs.length > 0;
  const usesClusterChain = p.clusterEndpoints.length > 0 && (!p.internalLocal || externallyAccessible);
  const usesLocalChain = p.localEndpoints.length > 0 && (p.internalLocal || (p.externalLocal && externallyAccessible));
  const externalLocal = p.externalLocal && externallyAccessible;
  return {
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    usesExternalChain: hasEndpoints && externallyAccessible,
    usesClusterChain,
    usesLocalChain,
    externalLocal,
    internalEndpoints: p.internalLocal ? p.localEndpoints : p.clusterEndpoints,
    externalEndpoints: externalLocal ? p.localEndpoints : p.clusterEndpoints,
    /** Endpoints the rules reach at all (one KUBE-SEP / endpoint- chain each). */
    reachable: unique([...(usesClusterChain ? p.clusterEndpoints : []), ...(usesLocalChain ? p.localEndpoints : [])]),
  };
}

function unique(list: Backend[]): Backend[] {
  return list.filter((e, i) => list.findIndex((o) => o.ip === e.ip && o.port === e.port) === i);
}

/** A rule comment's text, quoted as iptables-restore and nft take it. */
export function q(text: string): string {
  return `"${text}"`;
}
