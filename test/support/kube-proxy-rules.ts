// The project's own model of what kube-proxy programs on one node, written from the rules in the
// dataplane notes (docs/kube-proxy-dataplane.md: its iptables, nftables and IPVS sections). Given
// Services and EndpointSlices (raw objects from ./objects.ts) it writes iptables-restore input, an
// `nft -f` script, /proc/net/ip_vs, ipvsadm-save and ipset save text, plus `expected`: the
// per-Service-port model those rules encode. Breakages make the rules disagree with the slices on
// purpose. The parts are in kube-proxy-rules/: the plan (endpoint selection and the decisions the
// writers share), the expected model, and one writer per mode.
import type { IPFamily, ProgrammedServicePort } from '../../src/sources/node-rules/types.js';
import { expectedModel } from './kube-proxy-rules/expected.js';
import { iptablesRestore } from './kube-proxy-rules/iptables.js';
import { expectedIpvsModel, ipsetSave, ipvsadmSave, procIpVs } from './kube-proxy-rules/ipvs.js';
import { nftScript } from './kube-proxy-rules/nftables.js';
import { planPorts, type RulesInput } from './kube-proxy-rules/plan.js';

export type { Breakage, RulesInput } from './kube-proxy-rules/plan.js';
export { PROC_HZ } from './kube-proxy-rules/ipvs.js';

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
