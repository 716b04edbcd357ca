// The project's own model of what kube-proxy programs on one node, written from the rules in the
// dataplane notes (docs/kube-proxy-dataplane.md: its iptables, nftables and IPVS sections). Given Services and EndpointSlices (raw objects
// from ./objects.ts) it writes iptables-restore input, an `nft -f` script, /proc/net/ip_vs,
// ipvsadm-save and ipset save text, plus `expected`: the per-Service-port model those rules encode.
// Breakages make the rules disagree with the slices on purpose.
import {
  endpointString,
  iptablesEndpointChain,
  iptablesServiceChain,
  nftEndpointChainBase,
  nftServiceChainBase,
  servicePortString,
} from '../../src/sources/node-rules/chain-names.js';
import type {
  FrontendKind,
  IPFamily,
  ProgrammedEndpoint,
  ProgrammedFrontend,
  ProgrammedServicePort,
  Protocol,
} from '../../src/sources/node-rules/types.js';
import { slimEndpointSlice } from '../../src/sources/slim/endpoint-slice.js';
import { slimService } from '../../src/sources/slim/service.js';
import type { Raw } from './objects.js';

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

export interface GeneratedRules {
  /** What the written rules encode, per Service port and family (rules: [] — raw lines are not modelled). */
  expected: ProgrammedServicePort[];
  /** iptables-restore input (*filter then *nat) per family; load IPv6 with ip6tables-restore. */
  iptables: Record<IPFamily, string>;
  /** `nft -f` script creating `table ip kube-proxy` / `table ip6 kube-proxy`. */
  nft: Record<IPFamily, string>;
  /** /proc/net/ip_vs as the kernel prints it (both families), persistence in ticks of HZ = 250. */
  procIpVs: string;
  ipvsadmSave: string;
  ipsetSave: string;
}

/** Pod network (masquerade "not from pods") and node addresses the generated rules use. */
export const POD_CIDR: Record<IPFamily, string> = { IPv4: '10.244.0.0/16', IPv6: 'fd00:10:244::/56' };
export const NODE_IP: Record<IPFamily, string> = { IPv4: '192.168.0.2', IPv6: 'fd00:192::2' };
/** CONFIG_HZ assumed for /proc/net/ip_vs persistence timeouts. */
export const PROC_HZ = 250;

interface Backend {
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
interface PlannedPort {
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

export function generateKubeProxyRules(input: RulesInput): GeneratedRules {
  const plan = planPorts(input);
  return {
    expected: plan.map(expectedModel),
    iptables: { IPv4: iptablesRestore(plan, 'IPv4', input), IPv6: iptablesRestore(plan, 'IPv6', input) },
    nft: { IPv4: nftScript(plan, 'IPv4'), IPv6: nftScript(plan, 'IPv6') },
    procIpVs: procIpVs(plan),
    ipvsadmSave: ipvsadmSave(plan),
    ipsetSave: ipsetSave(plan),
  };
}

/** What an IPVS reader should find: one virtual server (one frontend) per Service address. */
export function expectedIpvs(input: RulesInput): ProgrammedServicePort[] {
  return planPorts(input).flatMap(expectedIpvsModel);
}

// ---- planning: kube-proxy's view of Services and slices (CategorizeEndpoints without topology) ----

function planPorts(input: RulesInput): PlannedPort[] {
  const slices = input.slices.map(slimEndpointSlice);
  const plan: PlannedPort[] = [];
  for (const raw of [...input.services, ...(input.staleServices ?? [])]) {
    const svc = slimService(raw);
    if (svc.type === 'ExternalName' || !svc.clusterIP || svc.clusterIP === 'None') continue;
    const affinity = raw.spec?.sessionAffinity === 'ClientIP';
    const affinitySeconds = affinity ? (raw.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
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
          sourceRanges: ((raw.spec?.loadBalancerSourceRanges ?? []) as string[]).filter(ofFamily),
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
function decide(p: PlannedPort) {
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

function evenly(list: Backend[]): ProgrammedEndpoint[] {
  return list.map((e) => ({ ip: e.ip, port: e.port, share: Math.round(1e6 / list.length) / 1e6 }));
}

function frontendsOf(p: PlannedPort): ProgrammedFrontend[] {
  return [
    { kind: 'cluster-ip', ip: p.clusterIP, port: p.port, protocol: p.protocol },
    ...p.externalIPs.map((ip): ProgrammedFrontend => ({ kind: 'external-ip', ip, port: p.port, protocol: p.protocol })),
    ...p.loadBalancerIPs.map((ip): ProgrammedFrontend => ({
      kind: 'load-balancer',
      ip,
      port: p.port,
      protocol: p.protocol,
    })),
    ...(p.nodePort ? [{ kind: 'node-port' as const, port: p.nodePort, protocol: p.protocol }] : []),
  ];
}

function expectedModel(p: PlannedPort): ProgrammedServicePort {
  const d = decide(p);
  const verdicts: ProgrammedServicePort['verdicts'] = [];
  const externalKinds = frontendsOf(p)
    .map((f) => f.kind)
    .filter((k, i, all) => k !== 'cluster-ip' && all.indexOf(k) === i);
  if (!d.hasEndpoints) {
    for (const kind of ['cluster-ip' as FrontendKind, ...externalKinds])
      verdicts.push({ frontend: kind, verdict: 'reject' });
  } else {
    if (!d.hasInternalEndpoints) verdicts.push({ frontend: 'cluster-ip', verdict: 'drop' });
    if (!d.hasExternalEndpoints) for (const kind of externalKinds) verdicts.push({ frontend: kind, verdict: 'drop' });
  }
  const internalChain = d.hasInternalEndpoints ? (p.internalLocal ? 'local' : 'cluster') : undefined;
  const externalChain = d.hasExternalEndpoints ? (d.externalLocal ? 'local' : 'cluster') : undefined;
  const port: ProgrammedServicePort = {
    service: { namespace: p.namespace, name: p.name, portName: p.portName },
    protocol: p.protocol,
    family: p.family,
    frontends: frontendsOf(p),
    endpoints: d.hasInternalEndpoints ? evenly(d.internalEndpoints) : [],
    verdicts,
    masquerade: d.hasInternalEndpoints,
    rules: [],
  };
  if (d.usesExternalChain && externalChain !== internalChain) {
    port.externalEndpoints = d.hasExternalEndpoints ? evenly(d.externalEndpoints) : [];
  }
  const programsEndpoints = port.endpoints.length > 0 || (port.externalEndpoints?.length ?? 0) > 0;
  if (p.affinitySeconds !== undefined && programsEndpoints) port.affinityTimeoutSeconds = p.affinitySeconds;
  if (d.hasInternalEndpoints) port.internalPolicy = p.internalLocal ? 'Local' : 'Cluster';
  if (d.usesExternalChain) port.externalPolicy = d.externalLocal ? 'Local' : 'Cluster';
  return port;
}

// ---- iptables (docs/kube-proxy-dataplane.md#iptables-mode) ----

function q(text: string): string {
  return `"${text}"`;
}

function iptablesRestore(plan: PlannedPort[], family: IPFamily, input: RulesInput): string {
  const ports = plan.filter((p) => p.family === family);
  const host = family === 'IPv4' ? '/32' : '/128';
  const filter: string[] = [];
  const natChains = new Set<string>();
  const nat: string[] = [];
  const comment = (text: string) => (input.largeCluster ? [] : ['-m comment --comment', q(text)]);
  for (const p of ports) {
    const d = decide(p);
    const svc = servicePortString(p.namespace, p.name, p.portName);
    const proto = p.protocol.toLowerCase();
    const svcChain = iptablesServiceChain('KUBE-SVC-', svc, p.protocol);
    const svlChain = iptablesServiceChain('KUBE-SVL-', svc, p.protocol);
    const extChain = iptablesServiceChain('KUBE-EXT-', svc, p.protocol);
    const internalChain = p.internalLocal ? svlChain : svcChain;
    const externalPolicyChain = d.externalLocal ? svlChain : svcChain;
    const noEndpoints = !d.hasEndpoints
      ? ['REJECT', `${svc} has no endpoints`]
      : ['DROP', `${svc} has no local endpoints`];
    const match = (ip: string) => `-m ${proto} -p ${proto} -d ${ip}${host} --dport ${p.port}`;

    if (d.hasInternalEndpoints) {
      nat.push(
        `-A KUBE-SERVICES -m comment --comment ${q(`${svc} cluster IP`)} ${match(p.clusterIP)} -j ${internalChain}`,
      );
    } else {
      filter.push(
        `-A KUBE-SERVICES -m comment --comment ${q(noEndpoints[1])} ${match(p.clusterIP)} -j ${noEndpoints[0]}`,
      );
    }
    for (const ip of p.externalIPs) {
      if (d.hasEndpoints)
        nat.push(`-A KUBE-SERVICES -m comment --comment ${q(`${svc} external IP`)} ${match(ip)} -j ${extChain}`);
      if (!d.hasExternalEndpoints) {
        filter.push(
          `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(noEndpoints[1])} ${match(ip)} -j ${noEndpoints[0]}`,
        );
      }
    }
    const fwChain = iptablesServiceChain('KUBE-FW-', svc, p.protocol);
    const usesFirewall = d.hasEndpoints && p.loadBalancerIPs.length > 0 && p.sourceRanges.length > 0;
    for (const ip of p.loadBalancerIPs) {
      const to = usesFirewall ? fwChain : extChain;
      if (d.hasEndpoints)
        nat.push(`-A KUBE-SERVICES -m comment --comment ${q(`${svc} loadbalancer IP`)} ${match(ip)} -j ${to}`);
      if (usesFirewall) {
        filter.push(
          `-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${svc} traffic not accepted by ${fwChain}`)} ${match(ip)} -j DROP`,
        );
      }
    }
    if (usesFirewall) {
      natChains.add(fwChain);
      for (const cidr of p.sourceRanges) {
        nat.push(`-A ${fwChain} -m comment --comment ${q(`${svc} loadbalancer IP`)} -s ${cidr} -j ${extChain}`);
      }
      nat.push(
        `-A ${fwChain} -m comment --comment ${q(`other traffic to ${svc} will be dropped by KUBE-PROXY-FIREWALL`)}`,
      );
    }
    if (!d.hasExternalEndpoints) {
      for (const ip of p.loadBalancerIPs) {
        filter.push(
          `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(noEndpoints[1])} ${match(ip)} -j ${noEndpoints[0]}`,
        );
      }
    }
    if (p.nodePort) {
      if (d.hasEndpoints) {
        nat.push(
          `-A KUBE-NODEPORTS -m comment --comment ${q(svc)} -m ${proto} -p ${proto} --dport ${p.nodePort} -j ${extChain}`,
        );
      }
      if (!d.hasExternalEndpoints) {
        filter.push(
          `-A KUBE-EXTERNAL-SERVICES -m comment --comment ${q(noEndpoints[1])} -m addrtype --dst-type LOCAL -m ${proto} -p ${proto} --dport ${p.nodePort} -j ${noEndpoints[0]}`,
        );
      }
    }
    if (d.hasInternalEndpoints) {
      nat.push(
        `-A ${internalChain} -m comment --comment ${q(`${svc} cluster IP`)} ${match(p.clusterIP)} ! -s ${POD_CIDR[family]} -j KUBE-MARK-MASQ`,
      );
    }
    if (d.usesExternalChain) {
      natChains.add(extChain);
      if (!d.externalLocal) {
        nat.push(
          `-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${svc} external destinations`)} -j KUBE-MARK-MASQ`,
        );
      } else {
        nat.push(
          `-A ${extChain} -m comment --comment ${q(`pod traffic for ${svc} external destinations`)} -s ${POD_CIDR[family]} -j ${svcChain}`,
          `-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${svc} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
          `-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${svc} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain}`,
        );
      }
      if (d.hasExternalEndpoints) nat.push(`-A ${extChain} -j ${externalPolicyChain}`);
    }
    const sepChain = (e: Backend) => iptablesEndpointChain(svc, p.protocol, e.ip, e.port);
    const dispatch = (chain: string, endpoints: Backend[]) => {
      natChains.add(chain);
      if (p.affinitySeconds !== undefined) {
        for (const e of endpoints) {
          nat.push(
            [`-A ${chain}`, ...comment(`${svc} -> ${endpointString(e.ip, e.port)}`)].join(' ') +
              ` -m recent --name ${sepChain(e)} --rcheck --seconds ${p.affinitySeconds} --reap -j ${sepChain(e)}`,
          );
        }
      }
      endpoints.forEach((e, i) => {
        const probability =
          i < endpoints.length - 1
            ? ` -m statistic --mode random --probability ${(1 / (endpoints.length - i)).toFixed(10)}`
            : '';
        nat.push(
          [`-A ${chain}`, ...comment(`${svc} -> ${endpointString(e.ip, e.port)}`)].join(' ') +
            `${probability} -j ${sepChain(e)}`,
        );
      });
    };
    if (d.usesClusterChain) dispatch(svcChain, p.clusterEndpoints);
    if (d.usesLocalChain) dispatch(svlChain, p.localEndpoints);
    for (const e of d.reachable) {
      const chain = sepChain(e);
      natChains.add(chain);
      const start = [`-A ${chain}`, ...comment(svc)].join(' ');
      nat.push(`${start} -s ${e.ip}${host} -j KUBE-MARK-MASQ`);
      const affinity = p.affinitySeconds !== undefined ? ` -m recent --name ${chain} --set` : '';
      nat.push(`${start}${affinity} -m ${proto} -p ${proto} -j DNAT --to-destination ${endpointString(e.ip, e.port)}`);
    }
  }
  const declare = (chains: string[]) => chains.map((c) => `:${c} - [0:0]`);
  return [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...declare(['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL']),
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    ...filter,
    'COMMIT',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...declare(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', ...natChains]),
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE',
    ...nat,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    'COMMIT',
    '',
  ].join('\n');
}

// ---- nftables (docs/kube-proxy-dataplane.md#nftables-mode): table, sets/maps, all chains, then rules, then elements, so `nft -f` accepts it ----

function nftScript(plan: PlannedPort[], family: IPFamily): string {
  const ports = plan.filter((p) => p.family === family);
  const t = family === 'IPv4' ? 'ip kube-proxy' : 'ip6 kube-proxy';
  const ipX = family === 'IPv4' ? 'ip' : 'ip6';
  const addr = family === 'IPv4' ? 'ipv4_addr' : 'ipv6_addr';
  const loopback = family === 'IPv4' ? '127.0.0.0/8' : '::1';
  const sets: string[] = [];
  const chains: string[] = [];
  const rules: string[] = [];
  const elements: string[] = [];
  const chain = (name: string) => chains.push(`add chain ${t} ${name}`);
  const rule = (name: string, text: string) => rules.push(`add rule ${t} ${name} ${text}`);
  for (const p of ports) {
    const d = decide(p);
    const proto = p.protocol.toLowerCase();
    const base = nftServiceChainBase(p.namespace, p.name, p.protocol, p.portName);
    const svc = servicePortString(p.namespace, p.name, p.portName);
    const clusterChain = `service-${base}`;
    const localChain = `local-${base}`;
    const externalChain = `external-${base}`;
    const internalChain = p.internalLocal ? localChain : clusterChain;
    const externalPolicyChain = d.externalLocal ? localChain : clusterChain;
    const internalVerdict = !d.hasEndpoints ? 'goto reject-chain' : 'drop';
    const key = (ip: string) => `${ip} . ${proto} . ${p.port}`;
    elements.push(`add element ${t} cluster-ips { ${p.clusterIP} }`);
    if (d.hasInternalEndpoints) {
      elements.push(`add element ${t} service-ips { ${key(p.clusterIP)} : goto ${internalChain} }`);
    } else {
      elements.push(
        `add element ${t} no-endpoint-services { ${key(p.clusterIP)} comment ${q(svc)} : ${internalVerdict} }`,
      );
    }
    if (p.loadBalancerIPs.length > 0 && p.sourceRanges.length > 0) {
      const firewallChain = `firewall-${base}`;
      chain(firewallChain);
      rule(firewallChain, `${ipX} saddr != { ${p.sourceRanges.join(', ')} } drop`);
      for (const ip of p.loadBalancerIPs) {
        elements.push(`add element ${t} firewall-ips { ${key(ip)} comment ${q(svc)} : goto ${firewallChain} }`);
      }
    }
    for (const ip of [...p.externalIPs, ...p.loadBalancerIPs]) {
      if (d.hasEndpoints) elements.push(`add element ${t} service-ips { ${key(ip)} : goto ${externalChain} }`);
      if (!d.hasExternalEndpoints) {
        elements.push(`add element ${t} no-endpoint-services { ${key(ip)} comment ${q(svc)} : ${internalVerdict} }`);
      }
    }
    if (p.nodePort) {
      if (d.hasEndpoints)
        elements.push(`add element ${t} service-nodeports { ${proto} . ${p.nodePort} : goto ${externalChain} }`);
      if (!d.hasExternalEndpoints) {
        elements.push(
          `add element ${t} no-endpoint-nodeports { ${proto} . ${p.nodePort} comment ${q(svc)} : ${internalVerdict} }`,
        );
      }
    }
    if (d.hasInternalEndpoints) {
      rule(
        internalChain,
        `${ipX} daddr ${p.clusterIP} ${proto} dport ${p.port} ${ipX} saddr != ${POD_CIDR[family]} jump mark-for-masquerade`,
      );
    }
    if (d.usesExternalChain) {
      chain(externalChain);
      if (!d.externalLocal) {
        rule(externalChain, 'jump mark-for-masquerade');
      } else {
        rule(
          externalChain,
          `${ipX} saddr ${POD_CIDR[family]} goto ${clusterChain} comment "short-circuit pod traffic"`,
        );
        rule(externalChain, 'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
        rule(externalChain, `fib saddr type local goto ${clusterChain} comment "short-circuit local traffic"`);
      }
      if (d.hasExternalEndpoints) rule(externalChain, `goto ${externalPolicyChain}`);
    }
    const endpointBase = (e: Backend) =>
      nftEndpointChainBase(p.namespace, p.name, p.protocol, p.portName, e.ip, e.port);
    const dispatch = (name: string, endpoints: Backend[]) => {
      chain(name);
      if (p.affinitySeconds !== undefined) {
        for (const e of endpoints)
          rule(name, `${ipX} saddr @affinity-${endpointBase(e)} goto endpoint-${endpointBase(e)}`);
      }
      const vmap = endpoints.map((e, i) => `${i} : goto endpoint-${endpointBase(e)}`).join(' , ');
      rule(name, `numgen random mod ${endpoints.length} vmap { ${vmap} }`);
    };
    if (d.usesClusterChain) dispatch(clusterChain, p.clusterEndpoints);
    if (d.usesLocalChain) dispatch(localChain, p.localEndpoints);
    for (const e of d.reachable) {
      const name = `endpoint-${endpointBase(e)}`;
      chain(name);
      rule(name, `${ipX} saddr ${e.ip} jump mark-for-masquerade`);
      if (p.affinitySeconds !== undefined) {
        sets.push(
          `add set ${t} affinity-${endpointBase(e)} { type ${addr} ; flags dynamic,timeout ; timeout ${p.affinitySeconds}s ; }`,
        );
        rule(name, `update @affinity-${endpointBase(e)} { ${ipX} saddr }`);
      }
      rule(name, `meta l4proto ${proto} dnat to ${endpointString(e.ip, e.port)}`);
    }
  }
  const keyType = `${addr} . inet_proto . inet_service`;
  return [
    `add table ${t} { comment "rules for kube-proxy" ; }`,
    `add set ${t} cluster-ips { type ${addr} ; comment "Active ClusterIPs" ; }`,
    `add map ${t} service-ips { type ${keyType} : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`,
    `add map ${t} service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`,
    `add map ${t} no-endpoint-services { type ${keyType} : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }`,
    `add map ${t} firewall-ips { type ${keyType} : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }`,
    `add map ${t} no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }`,
    ...sets,
    ...[
      'filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }',
      'filter-output-pre-dnat { type filter hook output priority -110 ; }',
      'filter-input { type filter hook input priority 0 ; }',
      'nat-output { type nat hook output priority -100 ; }',
      'nat-postrouting { type nat hook postrouting priority 100 ; }',
      'nat-prerouting { type nat hook prerouting priority -100 ; }',
      'mark-for-masquerade',
      'masquerading',
      'services',
      'service-endpoints-check',
      'nodeport-endpoints-check',
      'firewall-check',
      'reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }',
    ].map((c) => `add chain ${t} ${c}`),
    ...chains,
    `add rule ${t} mark-for-masquerade mark set mark or 0x4000`,
    `add rule ${t} masquerading mark and 0x4000 == 0 return`,
    `add rule ${t} masquerading mark set mark xor 0x4000`,
    `add rule ${t} masquerading masquerade fully-random`,
    `add rule ${t} nat-prerouting jump services`,
    `add rule ${t} nat-output jump services`,
    `add rule ${t} nat-postrouting jump masquerading`,
    `add rule ${t} reject-chain reject`,
    `add rule ${t} filter-prerouting-pre-dnat ct state new jump service-endpoints-check`,
    `add rule ${t} filter-output-pre-dnat ct state new jump service-endpoints-check`,
    `add rule ${t} filter-input ct state new jump nodeport-endpoints-check`,
    `add rule ${t} service-endpoints-check ${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`,
    `add rule ${t} nodeport-endpoints-check fib daddr type local ${ipX} daddr != ${loopback} meta l4proto . th dport vmap @no-endpoint-nodeports`,
    `add rule ${t} services ${ipX} daddr . meta l4proto . th dport vmap @service-ips`,
    `add rule ${t} firewall-check ${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`,
    `add rule ${t} filter-prerouting-pre-dnat ct state new jump firewall-check`,
    `add rule ${t} services fib daddr type local ${ipX} daddr != ${loopback} meta l4proto . th dport vmap @service-nodeports`,
    ...rules,
    ...elements,
    '',
  ].join('\n');
}

// ---- IPVS (docs/kube-proxy-dataplane.md#ipvs-mode): one virtual server per Service address, real servers = the policy's endpoints ----

interface VirtualServer {
  kind: FrontendKind;
  ip: string;
  port: number;
  protocol: Protocol;
  family: IPFamily;
  endpoints: Backend[];
  affinitySeconds?: number;
}

function virtualServers(p: PlannedPort): VirtualServer[] {
  const internal = p.internalLocal ? p.localEndpoints : p.clusterEndpoints;
  const external = p.externalLocal ? p.localEndpoints : p.clusterEndpoints;
  const vs = (kind: FrontendKind, ip: string, port: number, endpoints: Backend[]): VirtualServer => ({
    kind,
    ip,
    port,
    protocol: p.protocol,
    family: p.family,
    endpoints,
    affinitySeconds: p.affinitySeconds,
  });
  return [
    vs('cluster-ip', p.clusterIP, p.port, internal),
    ...p.externalIPs.map((ip) => vs('external-ip', ip, p.port, external)),
    ...p.loadBalancerIPs.map((ip) => vs('load-balancer', ip, p.port, external)),
    ...(p.nodePort ? [vs('node-port', NODE_IP[p.family], p.nodePort, external)] : []),
  ];
}

function expectedIpvsModel(p: PlannedPort): ProgrammedServicePort[] {
  return virtualServers(p).map((v) => ({
    protocol: v.protocol,
    family: v.family,
    frontends: [{ kind: v.kind, ip: v.ip, port: v.port, protocol: v.protocol }],
    endpoints: v.endpoints.map((e) => ({
      ip: e.ip,
      port: e.port,
      share: Math.round(1e6 / v.endpoints.length) / 1e6,
      weight: 1,
    })),
    verdicts: [],
    masquerade: false,
    ...(v.affinitySeconds !== undefined ? { affinityTimeoutJiffies: v.affinitySeconds * PROC_HZ } : {}),
    rules: [],
  }));
}

function hex(ip: string): string {
  return ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function hexPort(port: number): string {
  return port.toString(16).padStart(4, '0').toUpperCase();
}

/** IPv6 with all eight groups of four digits, as the kernel's %pI6 prints it. */
function expandIPv6(ip: string): string {
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

function procAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${expandIPv6(ip)}]:${hexPort(port)}` : `${hex(ip)}:${hexPort(port)}`;
}

function procIpVs(plan: PlannedPort[]): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
  ];
  for (const v of plan.flatMap(virtualServers)) {
    const persistent = v.affinitySeconds !== undefined ? `persistent ${v.affinitySeconds * PROC_HZ} FFFFFFFF` : '';
    lines.push(`${v.protocol}  ${procAddress(v.ip, v.port)} rr ${persistent}`.trimEnd());
    for (const e of v.endpoints) {
      lines.push(
        `  -> ${procAddress(e.ip, e.port)}      ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function ipvsadmSave(plan: PlannedPort[]): string {
  const flag: Record<Protocol, string> = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' };
  const lines: string[] = [];
  for (const v of plan.flatMap(virtualServers)) {
    const service = `${flag[v.protocol]} ${endpointString(v.ip, v.port)}`;
    lines.push(`-A ${service} -s rr${v.affinitySeconds !== undefined ? ` -p ${v.affinitySeconds}` : ''}`);
    for (const e of v.endpoints) lines.push(`-a ${service} -r ${endpointString(e.ip, e.port)} -m -w 1`);
  }
  return lines.join('\n') + '\n';
}

function ipsetSave(plan: PlannedPort[]): string {
  const members = new Map<string, string[]>();
  const add = (set: string, entry: string) => members.set(set, [...(members.get(set) ?? []), entry]);
  for (const p of plan) {
    const six = p.family === 'IPv6' ? '6-' : '';
    const proto = p.protocol.toLowerCase();
    const entry = (ip: string) => `${ip},${proto}:${p.port}`;
    add(`KUBE-${six}CLUSTER-IP`, entry(p.clusterIP));
    for (const ip of p.externalIPs) add(`KUBE-${six}EXTERNAL-IP${p.externalLocal ? '-LOCAL' : ''}`, entry(ip));
    for (const ip of p.loadBalancerIPs) add(`KUBE-${six}LOAD-BALANCER${p.externalLocal ? '-LOCAL' : ''}`, entry(ip));
    if (p.nodePort) {
      const set =
        p.protocol === 'SCTP'
          ? `NODE-PORT-${p.externalLocal ? 'LOCAL-' : ''}SCTP-HASH`
          : `NODE-PORT-${p.externalLocal ? 'LOCAL-' : ''}${p.protocol}`;
      add(`KUBE-${six}${set}`, p.protocol === 'SCTP' ? `${NODE_IP[p.family]},sctp:${p.nodePort}` : String(p.nodePort));
    }
  }
  const lines: string[] = [];
  for (const [set, entries] of members) {
    const family = set.startsWith('KUBE-6-') ? 'inet6' : 'inet';
    const type = /NODE-PORT-(LOCAL-)?(TCP|UDP)$/.test(set)
      ? 'bitmap:port range 0-65535'
      : `hash:ip,port family ${family} hashsize 1024 maxelem 65536`;
    lines.push(`create ${set} ${type} comment`);
    for (const e of entries) lines.push(`add ${set} ${e}`);
  }
  return lines.join('\n') + '\n';
}
