// What the active check (--connect) contacts for each Service port, from the model only: every
// endpoint address of the Service's EndpointSlices (ready or not) at the port its slice gives,
// and each cluster IP at the Service port; from a node (--connect-from node/NAME), also that
// node's own addresses at the port's nodePort. Never another address, never a range. A headless
// Service has endpoints only; an ExternalName Service nothing. The answers, once recorded, are
// paired back with these targets for the connect checks.

import { canonicalIP, familyOf } from '../core/ip.js';
import type { ObjectRef, Service, ServicePort } from '../core/objects.js';
import type { Attempt, ConnectAnswer, DnsAnswer, PortSpeaks } from '../sources/connect/types.js';
import { isSliceReadFor } from './endpoint-meta.js';
import { endpointsForPort } from './kube-proxy-endpoints.js';
import { describeServicePort } from './ports.js';
import type { ServiceView } from './service-view.js';
import { proxiedFamilies, serviceFamilies } from './services.js';

/** The default cluster domain (kubelet's --cluster-domain); a certificate is judged against both forms. */
export const CLUSTER_DOMAIN = 'cluster.local';

export interface ConnectTarget {
  /** endpoint: an address of the slices; cluster-ip: the Service's own address; node-port: the vantage node's address at the nodePort. */
  kind: 'endpoint' | 'cluster-ip' | 'node-port';
  address: string;
  port: number;
  /** An endpoint's conditions (a cluster IP has none). */
  ready?: boolean;
  terminating?: boolean;
  targetRef?: ObjectRef;
  /** An endpoint's node; a node port's, the vantage node. */
  nodeName?: string;
}

export interface PortTargets {
  service: Service;
  port: ServicePort;
  /** "http 80/TCP", as findings name the port. */
  portText: string;
  speaks: PortSpeaks;
  /** The Service's DNS names a certificate should cover: NAME.NS.svc and NAME.NS.svc.cluster.local. */
  dnsNames: string[];
  targets: ConnectTarget[];
}

const TLS_APP_PROTOCOLS = ['https', 'kubernetes.io/wss'];
const HTTP_APP_PROTOCOLS = ['http', 'kubernetes.io/h2c', 'kubernetes.io/ws'];

/**
 * What a port says it speaks: its appProtocol when set (IANA names, or the kubernetes.io/ ones:
 * docs/kubernetes-semantics.md#application-protocol), else its name (https, https-*, http, http-*,
 * h2c, as meshes read port names); anything else is plain TCP. UDP and SCTP have no TCP connect.
 */
export function portSpeaks(port: ServicePort): PortSpeaks {
  if (port.protocol !== 'TCP') return 'udp';
  const says = (port.appProtocol ?? port.name).toLowerCase();
  if (TLS_APP_PROTOCOLS.includes(says) || says === 'https' || says.startsWith('https-')) return 'https';
  if (HTTP_APP_PROTOCOLS.includes(says) || says === 'h2c' || says.startsWith('http-')) return 'http';
  return 'tcp';
}

function clusterIPs(service: Service): string[] {
  const ips = service.clusterIPs.length > 0 ? service.clusterIPs : service.clusterIP ? [service.clusterIP] : [];
  return ips.filter((ip) => ip !== 'None' && ip !== '');
}

/** Every target of every port of the Service; none for an ExternalName Service. */
export function connectTargets(view: ServiceView): PortTargets[] {
  const { service } = view;
  if (service.type === 'ExternalName') return [];
  const slices = view.slices.filter((s) => isSliceReadFor(service, s));
  const { name, namespace } = service.meta;
  const dnsNames = [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`];
  return service.ports.map((port) => {
    const endpoints = proxiedFamilies(service).flatMap((family) => endpointsForPort(slices, port, family));
    const targets: ConnectTarget[] = [
      ...endpoints.map((e): ConnectTarget => ({
        kind: 'endpoint',
        address: e.ip,
        port: e.port,
        ready: e.ready,
        terminating: e.terminating,
        ...(e.targetRef ? { targetRef: e.targetRef } : {}),
        ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      })),
      ...clusterIPs(service).map((address): ConnectTarget => ({ kind: 'cluster-ip', address, port: port.port })),
    ];
    return { service, port, portText: describeServicePort(port), speaks: portSpeaks(port), dnsNames, targets };
  });
}

/** The node connections are made from (--connect-from node/NAME): its name and its InternalIPs. */
export interface VantageNode {
  name: string;
  addresses: string[];
}

/**
 * The port's targets and, for a NodePort or LoadBalancer Service, the vantage node's addresses of
 * the Service's families at the port's nodePort: kube-proxy serves a node port on every node, for
 * the families the Service has (docs/kubernetes-semantics.md#nodeport-services). A port without
 * a nodePort (allocateLoadBalancerNodePorts: false) gets none.
 */
export function withNodePorts(port: PortTargets, node: VantageNode): PortTargets {
  const { service } = port;
  const nodePort = port.port.nodePort;
  if ((service.type !== 'NodePort' && service.type !== 'LoadBalancer') || !nodePort) return port;
  const families = serviceFamilies(service);
  const addresses = node.addresses.filter((ip) => families.some((f) => f === familyOf(ip)));
  const targets = addresses.map((address): ConnectTarget => ({
    kind: 'node-port',
    address,
    port: nodePort,
    nodeName: node.name,
  }));
  return { ...port, targets: [...port.targets, ...targets] };
}

/**
 * The lookup of a Service's own name (docs/kubernetes-semantics.md#service-dns-names): a Service
 * with a cluster IP resolves to its cluster IPs; a headless one to the addresses of its ready
 * endpoints (every endpoint the EndpointSlices list ready, publishNotReadyAddresses making them
 * all ready). None for an ExternalName Service (a CNAME, not an address).
 */
export interface ServiceLookup {
  service: Service;
  /** NAME.NAMESPACE.svc.cluster.local, without the final dot. */
  name: string;
  headless: boolean;
  /** The addresses the answer should hold, canonical. */
  expected: string[];
}

export function serviceLookup(view: ServiceView): ServiceLookup | undefined {
  const { service } = view;
  if (service.type === 'ExternalName') return undefined;
  const { name, namespace } = service.meta;
  const ips = clusterIPs(service);
  const headless = ips.length === 0;
  const expected = headless
    ? view.slices
        .filter((s) => s.addressType === 'IPv4' || s.addressType === 'IPv6')
        .flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses))
    : ips;
  return {
    service,
    name: `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`,
    headless,
    expected: [...new Set(expected.map(canonicalIP))].sort(),
  };
}

/** A Service's lookup and what the vantage point answered. */
export interface LookupAnswer extends ServiceLookup {
  vantage: string;
  answer: DnsAnswer;
  /**
   * kubernetes.default.svc.cluster.local, which every cluster has, got NXDOMAIN too: the cluster
   * domain may be another, so a name that does not exist proves nothing.
   */
  domainInDoubt?: true;
}

/** What a vantage point is asked to try for a target. */
export function attemptOf(port: PortTargets, target: ConnectTarget): Attempt {
  return { address: target.address, port: target.port, speaks: port.speaks, serverNames: port.dnsNames };
}

/** One target with what the vantage point answered. */
export interface TargetAnswer extends ConnectTarget {
  answer: ConnectAnswer;
}

/** A Service port's targets and their answers, from one vantage point: what the connect checks judge. */
export interface PortConnectivity extends Omit<PortTargets, 'targets'> {
  vantage: string;
  endpoints: TargetAnswer[];
  /** Its cluster IPs, then the vantage node's node ports. */
  serviceAddresses: TargetAnswer[];
}

/** The answers (in the order of the targets) paired with the targets. */
export function pairAnswers(port: PortTargets, vantage: string, answers: ConnectAnswer[]): PortConnectivity {
  const { targets, ...rest } = port;
  const paired = targets.map((t, i) => ({ ...t, answer: answers[i] }));
  return {
    ...rest,
    vantage,
    endpoints: paired.filter((t) => t.kind === 'endpoint'),
    serviceAddresses: paired.filter((t) => t.kind !== 'endpoint'),
  };
}
