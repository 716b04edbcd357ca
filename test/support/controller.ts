// What the EndpointSlice and Endpoints controllers would write for a Service, as raw objects
// (docs/kubernetes-semantics.md#the-endpointslice-controller and docs/kubernetes-semantics.md#the-legacy-endpoints-controller). Fixtures, the example shop and the benchmark use it so that
// their slices are cut as a real cluster cuts them, not by hand.

import { createHash } from 'node:crypto';
import { findPort } from '../../src/model/ports.js';
import { podEndpointState } from '../../src/model/pod-state.js';
import { matchesSelector } from '../../src/core/selectors.js';
import { slimNode } from '../../src/sources/slim/node.js';
import { slimPod } from '../../src/sources/slim/pod.js';
import { slimService } from '../../src/sources/slim/service.js';
import type { Node, Pod, Service } from '../../src/core/objects.js';
import type { Raw } from './objects.js';

const MAX_ENDPOINTS_PER_SLICE = 100;
const ENDPOINTS_MAX_CAPACITY = 1000;
const RESERVED_LABELS = [
  'kubernetes.io/service-name',
  'endpointslice.kubernetes.io/managed-by',
  'service.kubernetes.io/headless',
];

function suffix(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 5);
}

function familyOf(ip: string): 'IPv4' | 'IPv6' {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

interface Eligible {
  pod: Pod;
  raw: Raw;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: { name: string; port: number; protocol: string }[];
}

function nodesByName(rawNodes: Raw[]): Map<string, Node> {
  return new Map(
    rawNodes.map((raw) => {
      const node = slimNode(raw);
      return [node.meta.name, node];
    }),
  );
}

function eligiblePods(svc: Service, rawPods: Raw[], nodes: Map<string, Node>): Eligible[] {
  const out: Eligible[] = [];
  for (const raw of rawPods) {
    const pod = slimPod(raw);
    if (pod.meta.namespace !== svc.meta.namespace || !matchesSelector(pod.meta.labels, svc.selector!)) continue;
    const state = podEndpointState(pod, svc, pod.nodeName ? nodes.get(pod.nodeName) : undefined, true);
    if (!state.shouldBeListed) continue;
    const ports = svc.ports.flatMap((p) => {
      const port = findPort(pod, p);
      return port === undefined ? [] : [{ name: p.name, port, protocol: p.protocol }];
    });
    out.push({ pod, raw, ready: state.ready, serving: state.serving, terminating: state.terminating, ports });
  }
  return out;
}

/** The EndpointSlices the controller keeps for the Service: one set per family, grouped by resolved ports. */
export function controllerSlices(rawService: Raw, rawPods: Raw[], rawNodes: Raw[]): Raw[] {
  const svc = slimService(rawService);
  if (svc.type === 'ExternalName' || !svc.selector) return [];
  const nodes = nodesByName(rawNodes);
  const pods = eligiblePods(svc, rawPods, nodes);
  const families = svc.ipFamilies.length > 0 ? svc.ipFamilies : ['IPv4' as const];
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.meta.labels)) if (!RESERVED_LABELS.includes(k)) labels[k] = v;
  labels['kubernetes.io/service-name'] = svc.meta.name;
  labels['endpointslice.kubernetes.io/managed-by'] = 'endpointslice-controller.k8s.io';
  if (svc.clusterIP === 'None' || !svc.clusterIP) labels['service.kubernetes.io/headless'] = '';

  const slices: Raw[] = [];
  const makeSlice = (family: string, ports: Eligible['ports'], endpoints: Raw[], index: number): Raw => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${svc.meta.name}-${suffix(`${svc.meta.namespace}/${svc.meta.name}/${family}/${JSON.stringify(ports)}/${index}`)}`,
      namespace: svc.meta.namespace,
      labels,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: svc.meta.name, uid: svc.meta.uid ?? '', controller: true },
      ],
    },
    addressType: family,
    ports,
    endpoints,
  });
  for (const family of families) {
    const groups = new Map<string, { ports: Eligible['ports']; endpoints: Raw[] }>();
    for (const e of pods) {
      const address = e.pod.podIPs.find((ip) => familyOf(ip) === family);
      if (!address) continue;
      const key = JSON.stringify(e.ports);
      const group = groups.get(key) ?? { ports: e.ports, endpoints: [] };
      groups.set(key, group);
      const zone = e.pod.nodeName ? nodes.get(e.pod.nodeName)?.meta.labels['topology.kubernetes.io/zone'] : undefined;
      group.endpoints.push({
        addresses: [address],
        conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
        ...(e.pod.nodeName ? { nodeName: e.pod.nodeName } : {}),
        ...(zone ? { zone } : {}),
        targetRef: { kind: 'Pod', namespace: e.pod.meta.namespace, name: e.pod.meta.name, uid: e.pod.meta.uid },
      });
    }
    if (groups.size === 0) {
      slices.push(makeSlice(family, [], [], 0)); // the placeholder (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)
      continue;
    }
    for (const { ports, endpoints } of groups.values()) {
      for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        slices.push(makeSlice(family, ports, endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE), i));
      }
    }
  }
  return slices;
}

/** One subset of an Endpoints object, with both address lists (the empty one is left out when written). */
interface EndpointSubset {
  addresses: Raw[];
  notReadyAddresses: Raw[];
  ports: Eligible['ports'];
}

/** The legacy Endpoints object (docs/kubernetes-semantics.md#the-legacy-endpoints-controller): primary family only, terminating pods dropped, truncated at 1000. */
export function controllerEndpoints(rawService: Raw, rawPods: Raw[], rawNodes: Raw[]): Raw | undefined {
  const svc = slimService(rawService);
  if (svc.type === 'ExternalName' || !svc.selector) return undefined;
  const nodes = nodesByName(rawNodes);
  const family = svc.ipFamilies[0] ?? 'IPv4';
  const subsets = new Map<string, EndpointSubset>();
  let count = 0;
  for (const e of eligiblePods(svc, rawPods, nodes)) {
    if (e.terminating && !svc.publishNotReadyAddresses) continue;
    if (e.ports.length === 0 && svc.ports.length > 0) continue; // no port resolved: the pod is omitted
    const ip = e.pod.podIPs.find((x) => familyOf(x) === family);
    if (!ip || count >= ENDPOINTS_MAX_CAPACITY) {
      if (ip) count++;
      continue;
    }
    count++;
    const key = JSON.stringify(e.ports);
    const subset = subsets.get(key) ?? { addresses: [], notReadyAddresses: [], ports: e.ports };
    subsets.set(key, subset);
    const address = {
      ip,
      ...(e.pod.nodeName ? { nodeName: e.pod.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: e.pod.meta.namespace, name: e.pod.meta.name, uid: e.pod.meta.uid },
    };
    (svc.publishNotReadyAddresses || e.ready ? subset.addresses : subset.notReadyAddresses).push(address);
  }
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: svc.meta.name,
      namespace: svc.meta.namespace,
      labels: { ...svc.meta.labels, 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' },
      ...(count > ENDPOINTS_MAX_CAPACITY
        ? { annotations: { 'endpoints.kubernetes.io/over-capacity': 'truncated' } }
        : {}),
    },
    subsets: [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ports: s.ports,
    })),
  };
}

/** A consistent little cluster: the given objects plus what the controllers derive from them. */
export function withControllers(objects: Raw[]): Raw[] {
  const pods = objects.filter((o) => o.kind === 'Pod');
  const nodes = objects.filter((o) => o.kind === 'Node');
  const derived: Raw[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    derived.push(...controllerSlices(svc, pods, nodes));
    const endpoints = controllerEndpoints(svc, pods, nodes);
    if (endpoints) derived.push(endpoints);
  }
  return [...objects, ...derived];
}
