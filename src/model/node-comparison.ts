// Pairs what a node's dataplane programmed with what it should program: each Service port
// and family of the Services in scope with the rules that belong to it (by the Service port
// the rules name, or for IPVS by frontend address), and the rules that belong to no Service
// port of the model. The dataplane-* checks read this; they never match rules themselves.

import type {
  FrontendKind,
  IPFamily,
  NodeDataplane,
  ProgrammedEndpoint,
  ProgrammedServicePort,
} from '../sources/node-rules/types.js';
import type { ClusterModel } from './cluster.js';
import type { ServiceView } from './service-view.js';
import { describeServicePort } from './ports.js';
import { proxiedByKubeProxy } from './services.js';
import { TRIGGER_TIME_ANNOTATION } from './endpoint-meta.js';
import type { EndpointSlice, ObjectRef, Pod } from '../core/objects.js';
import {
  endpointKey,
  expectedServicePorts,
  type ExpectedEndpoint,
  type ExpectedServicePort,
} from './kube-proxy-endpoints.js';
import { pushTo } from '../core/multimap.js';
import { canonicalIP } from '../core/ip.js';

interface PortComparison {
  expected: ExpectedServicePort;
  /** Rules for this Service port and family; IPVS has one virtual server per frontend. */
  programmed: ProgrammedServicePort[];
}

/** A Service port that rules were mapped to, by name or by frontend address. */
export interface RuleOwner {
  namespace: string;
  name: string;
  portName: string;
}

export interface NodeProbe {
  node: string;
  dataplane: NodeDataplane;
  /** When the rules were read. */
  readAt: Date;
  /** kube-proxy applies API changes within its sync period: disagreements younger than this may be lag. */
  lagWindowSeconds: number;
  /** The kube-proxy pod the rules were read through, for fixes that name it. */
  kubeProxyPod?: { namespace: string; name: string };
  ports: PortComparison[];
  /**
   * Rules for a Service port that is gone (or that kube-proxy should not program), with the owner
   * they name or map to; only in namespaces whose every Service was read.
   */
  unmatched: { rules: ProgrammedServicePort; owner?: RuleOwner }[];
}

export interface ProbeInput {
  node: string;
  dataplane: NodeDataplane;
  views: ServiceView[];
  model: ClusterModel;
  readAt: Date;
  lagWindowSeconds?: number;
  kubeProxyPod?: { namespace: string; name: string };
  /** Namespaces whose every Service is in the model ('all': every namespace, the default): only there is a Service known to be gone. */
  completeNamespaces?: 'all' | Set<string>;
}

/** kube-proxy's default syncPeriod (KubeProxyConfiguration, every mode). */
export const DEFAULT_SYNC_PERIOD_SECONDS = 30;

function frontendKey(f: { ip?: string; port: number; protocol: string }, kind: 'node-port' | 'address'): string {
  return kind === 'node-port'
    ? `node-port/${f.port}/${f.protocol}`
    : `${canonicalIP(f.ip ?? '')}/${f.port}/${f.protocol}`;
}

interface FrontendOwner {
  owner: RuleOwner;
  kind: FrontendKind;
}

/** Every frontend of every Service in the model, for mapping IPVS virtual servers (which name no Service). */
function frontendOwners(model: ClusterModel): Map<string, FrontendOwner> {
  const owners = new Map<string, FrontendOwner>();
  for (const service of model.services) {
    if (service.type === 'ExternalName') continue;
    const ips: [string, FrontendKind][] = [
      ...[...service.clusterIPs, ...(service.clusterIP ? [service.clusterIP] : [])]
        .filter((ip) => ip !== 'None')
        .map((ip): [string, FrontendKind] => [ip, 'cluster-ip']),
      ...service.externalIPs.map((ip): [string, FrontendKind] => [ip, 'external-ip']),
      ...service.loadBalancerIngress.flatMap((i): [string, FrontendKind][] => (i.ip ? [[i.ip, 'load-balancer']] : [])),
    ];
    for (const port of service.ports) {
      const owner = { namespace: service.meta.namespace, name: service.meta.name, portName: port.name };
      for (const [ip, kind] of ips) {
        owners.set(frontendKey({ ip, port: port.port, protocol: port.protocol }, 'address'), { owner, kind });
      }
      if (port.nodePort) {
        owners.set(frontendKey({ port: port.nodePort, protocol: port.protocol }, 'node-port'), {
          owner,
          kind: 'node-port',
        });
      }
    }
  }
  return owners;
}

/**
 * The Service port of an IPVS virtual server, by its address, else (a node port, on any node
 * address) by its port. The frontend kind is taken from the Service: without kube-proxy's ipsets
 * the reader cannot tell node ports and external addresses from cluster IPs.
 */
function mapByFrontend(
  rules: ProgrammedServicePort,
  owners: Map<string, FrontendOwner>,
): { rules: ProgrammedServicePort; owner?: RuleOwner } {
  let owner: RuleOwner | undefined;
  const frontends = rules.frontends.map((f) => {
    const found =
      (f.kind !== 'node-port' ? owners.get(frontendKey(f, 'address')) : undefined) ??
      owners.get(frontendKey(f, 'node-port'));
    owner ??= found?.owner;
    return found && found.kind !== f.kind ? { ...f, kind: found.kind } : f;
  });
  return { rules: { ...rules, frontends }, owner };
}

function ownerKey(o: RuleOwner, protocol: string, family: IPFamily): string {
  return `${o.namespace}/${o.name}:${o.portName}/${protocol}/${family}`;
}

export function buildNodeProbe(input: ProbeInput): NodeProbe {
  const { dataplane, model } = input;
  const node = model.node(input.node);
  const owners = dataplane.servicePorts.some((sp) => !sp.service)
    ? frontendOwners(model)
    : new Map<string, FrontendOwner>();
  const byOwner = new Map<string, ProgrammedServicePort[]>();
  const owned: { rules: ProgrammedServicePort; owner?: RuleOwner }[] = dataplane.servicePorts.map((rules) =>
    rules.service ? { rules, owner: rules.service } : mapByFrontend(rules, owners),
  );
  for (const { rules, owner } of owned) {
    if (!owner) continue;
    const key = ownerKey(owner, rules.protocol, rules.family);
    pushTo(byOwner, key, rules);
  }
  const ports: PortComparison[] = [];
  const claimed = new Set<ProgrammedServicePort>();
  for (const view of input.views) {
    for (const expected of expectedServicePorts(view, input.node, node, dataplane.families)) {
      const { service, port, family } = expected;
      const key = ownerKey(
        { namespace: service.meta.namespace, name: service.meta.name, portName: port.name },
        port.protocol,
        family,
      );
      const programmed = byOwner.get(key) ?? [];
      programmed.forEach((p) => claimed.add(p));
      ports.push({ expected, programmed });
    }
  }
  // Unmatched: rules naming a Service or port the model lacks, or a Service kube-proxy should
  // not program any more (now headless, ExternalName, or claimed by another proxy).
  const completeNamespaces = input.completeNamespaces ?? 'all';
  const complete = (namespace: string) => completeNamespaces === 'all' || completeNamespaces.has(namespace);
  const unmatched = owned.filter(({ rules, owner }) => {
    if (claimed.has(rules)) return false;
    // Rules of a Service outside what was read tell nothing: it may well exist.
    if (!owner) return completeNamespaces === 'all';
    if (!complete(owner.namespace)) return false;
    const service = model.service(owner.namespace, owner.name);
    return (
      !service ||
      !proxiedByKubeProxy(service) ||
      !service.ports.some((p) => p.name === owner.portName && p.protocol === rules.protocol)
    );
  });
  return {
    node: input.node,
    dataplane,
    readAt: input.readAt,
    lagWindowSeconds: input.lagWindowSeconds ?? DEFAULT_SYNC_PERIOD_SECONDS,
    ...(input.kubeProxyPod ? { kubeProxyPod: input.kubeProxyPod } : {}),
    ports,
    unmatched,
  };
}

/** The youngest of the given changes when it is within the lag window before the rules were read. */
export function recentChange(probe: NodeProbe, timestamps: (string | undefined)[]): number | undefined {
  let youngest: number | undefined;
  for (const t of timestamps) {
    if (!t) continue;
    const at = Date.parse(t);
    if (!Number.isFinite(at)) continue;
    const ageSeconds = Math.max(0, Math.round((probe.readAt.getTime() - at) / 1000));
    if (ageSeconds < probe.lagWindowSeconds && (youngest === undefined || ageSeconds < youngest)) youngest = ageSeconds;
  }
  return youngest;
}

/** When a slice last changed, as far as the objects tell: its creation and the controller's trigger time (docs/kubernetes-semantics.md#labels-and-annotations-on-slices). */
export function sliceChangeTimes(slices: EndpointSlice[]): (string | undefined)[] {
  return slices.flatMap((s) => [s.meta.creationTimestamp, s.meta.annotations[TRIGGER_TIME_ANNOTATION]]);
}

/** When a pod last changed in a way that moves its endpoint: created, Ready flipped, deletion started. */
export function podChangeTimes(pod: Pod | undefined): (string | undefined)[] {
  if (!pod) return [];
  return [
    pod.meta.creationTimestamp,
    pod.meta.deletionTimestamp,
    pod.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime,
  ];
}

/** The pod behind an endpoint: its targetRef, else a pod of the namespace with that IP. */
export function podOf(model: ClusterModel, namespace: string, ip: string, ref?: ObjectRef): Pod | undefined {
  if (ref?.kind === 'Pod') return model.pod(ref.namespace ?? namespace, ref.name);
  const canonical = canonicalIP(ip);
  return model.podsInNamespace(namespace).find((p) => p.podIPs.some((a) => canonicalIP(a) === canonical));
}

/** "10.96.0.10:80/TCP" for the first frontend of a kind, else the port. */
export function describeFrontend(expected: ExpectedServicePort, kind: FrontendKind = 'cluster-ip'): string {
  const f = expected.frontends.find((x) => x.kind === kind) ?? expected.frontends[0];
  if (!f) return `${expected.port.port}/${expected.port.protocol}`;
  if (f.kind === 'node-port') return `node port ${f.port}/${f.protocol}`;
  return `${endpointKey(f.ip ?? '', f.port)}/${f.protocol}`;
}

/** What a finding on a Service port of a node is about: the Service, and the port as "http 80/TCP", with the family for dual-stack Services. */
export function findingPlace(expected: ExpectedServicePort): { namespace: string; service: string; port: string } {
  const { service } = expected;
  const port = describeServicePort(expected.port);
  return {
    namespace: service.meta.namespace,
    service: service.meta.name,
    port: service.ipFamilies.length > 1 ? `${port} ${expected.family}` : port,
  };
}

/** One list of programmed endpoints and the endpoints it should hold. */
export interface EndpointSetPair {
  traffic: 'cluster-IP' | 'external';
  programmed: ProgrammedEndpoint[];
  want: ExpectedEndpoint[];
}

/**
 * The endpoint lists of one rule set with the expected set each must equal: `endpoints` serve
 * cluster-IP traffic (or, for a rule set with external frontends only, as IPVS node-port virtual
 * servers are, external traffic); `externalEndpoints` external traffic. A frontend the rules
 * refuse (REJECT/DROP) leads to no endpoints: the verdict checks judge it.
 */
export function endpointSetPairs(expected: ExpectedServicePort, rules: ProgrammedServicePort): EndpointSetPair[] {
  const kinds = new Set(rules.frontends.map((f) => f.kind));
  const refused = (kind: FrontendKind) => rules.verdicts.some((v) => v.frontend === kind);
  const externalKinds = [...kinds].filter((k) => k !== 'cluster-ip');
  const internalTraffic = kinds.size === 0 || kinds.has('cluster-ip');
  const pairs: EndpointSetPair[] = [];
  if (internalTraffic && !refused('cluster-ip')) {
    pairs.push({ traffic: 'cluster-IP', programmed: rules.endpoints, want: expected.internal });
  }
  if (externalKinds.length > 0 && !externalKinds.some(refused)) {
    if (rules.externalEndpoints) {
      pairs.push({ traffic: 'external', programmed: rules.externalEndpoints, want: expected.external });
    } else if (!internalTraffic) {
      pairs.push({ traffic: 'external', programmed: rules.endpoints, want: expected.external });
    }
  }
  return pairs;
}

/** Endpoints that take new connections: IPVS real servers at weight 0 are being drained (docs/kube-proxy-dataplane.md#ipvs-mode). */
export function activeKeys(endpoints: ProgrammedEndpoint[]): Set<string> {
  return new Set(endpoints.filter((e) => e.weight === undefined || e.weight > 0).map((e) => endpointKey(e.ip, e.port)));
}
