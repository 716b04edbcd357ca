// The `dataplane` section of the probe's report: what each probed node programmed for the
// Services in scope, and the rules whose Service is gone.

import type { IPFamily, ProgrammedServicePort, ProxyMode, ServicePortRef } from '../sources/node-rules/types.js';
import type { NodeProbe, RuleOwner } from '../model/node-comparison.js';

/** The `dataplane` section of the report, one entry per probed node. */
export interface DataplaneNodeReport {
  node: string;
  /** Who proxies Services on the node, as far as the probe can tell. */
  proxy: 'kube-proxy' | 'cilium' | 'calico-ebpf' | 'unknown';
  /** How the rules were read: the pod exec'd into, a debug pod, this machine, or files. */
  source?: string;
  /** When the node could not be read, or has no kube-proxy: the plain statement of it. */
  statement?: string;
  mode?: ProxyMode;
  backend?: 'nft' | 'legacy';
  families?: IPFamily[];
  /** The programmed Service ports of the Services in scope (and rules of Services that are gone); `rules` only with --raw. */
  servicePorts?: (Omit<ProgrammedServicePort, 'rules' | 'service'> & { service?: ServicePortRef; rules?: string[] })[];
  notes: string[];
}

/** The programmed ports the report shows: those of Services in scope, then rules whose Service is gone. */
export function reportedServicePorts(probe: NodeProbe, raw: boolean): DataplaneNodeReport['servicePorts'] {
  const shown: { rules: ProgrammedServicePort; owner?: RuleOwner | ServicePortRef }[] = [];
  for (const { expected, programmed } of probe.ports) {
    const owner = {
      namespace: expected.service.meta.namespace,
      name: expected.service.meta.name,
      portName: expected.port.name,
    };
    for (const rules of programmed) shown.push({ rules, owner });
  }
  for (const u of probe.unmatched) shown.push({ rules: u.rules, owner: u.owner });
  return shown.map(({ rules: { rules, service: _ref, ...rest }, owner }) => ({
    ...(owner ? { service: { namespace: owner.namespace, name: owner.name, portName: owner.portName } } : {}),
    ...rest,
    ...(raw ? { rules } : {}),
  }));
}
