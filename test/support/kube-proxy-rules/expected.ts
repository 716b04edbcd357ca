// The model the iptables and nftables rules encode, per Service port and family: what a reader of
// those rules should find.

import type {
  FrontendKind,
  ProgrammedEndpoint,
  ProgrammedFrontend,
  ProgrammedServicePort,
} from '../../../src/sources/node-rules/types.js';
import { decide, type Backend, type PlannedPort } from './plan.js';

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

export function expectedModel(p: PlannedPort): ProgrammedServicePort {
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
