// An `nft -f` script as kube-proxy's nftables mode writes it (docs/kube-proxy-dataplane.md#nftables-mode):
// table, sets and maps, all chains, then rules, then elements, so that `nft -f` accepts it.

import {
  endpointString,
  nftEndpointChainBase,
  nftServiceChainBase,
  servicePortString,
} from '../../../src/sources/node-rules/chain-names.js';
import type { IPFamily } from '../../../src/sources/node-rules/types.js';
import { decide, POD_CIDR, q, type Backend, type PlannedPort } from './plan.js';

export function nftScript(plan: PlannedPort[], family: IPFamily): string {
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
