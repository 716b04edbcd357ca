// iptables-restore input (*filter then *nat) as kube-proxy's iptables mode writes it
// (docs/kube-proxy-dataplane.md#iptables-mode).

import {
  endpointString,
  iptablesEndpointChain,
  iptablesServiceChain,
  servicePortString,
} from '../../../src/sources/node-rules/chain-names.js';
import type { IPFamily } from '../../../src/sources/node-rules/types.js';
import { decide, POD_CIDR, q, type Backend, type PlannedPort, type RulesInput } from './plan.js';

export function iptablesRestore(plan: PlannedPort[], family: IPFamily, input: RulesInput): string {
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
