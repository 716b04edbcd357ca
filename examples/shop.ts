// Generates examples/shop.yaml, the snapshot that `npm run demo` diagnoses:
//
//   npm run example        (npx tsx examples/shop.ts > examples/shop.yaml)
//
// A small online shop on a bare-metal, dual-stack cluster (kubeadm, Kubernetes v1.34, one control
// plane and four workers in three zones), as `kubectl get services,endpoints,endpointslices,pods,
// nodes -A -o yaml` prints it on Black Friday morning. Objects come from the raw builders of
// test/support/objects.ts. For Services with a selector, the EndpointSlices and Endpoints come from
// test/support/controller.ts (exactly what the controllers write), except where a story needs them
// out of step. Names, uids, IPs and times derive from fixed seeds, so regenerating gives the same
// file. To keep the file readable, objects carry the fields a reader or a check looks at; for example,
// pods list two conditions, not five, and there are no resourceVersions or managedFields.
//
// What is wrong, by Service, and the checks that should say so:
//
//   healthy (no finding): default/kubernetes as the kube-apiserver writes it; shop/web (Deployment,
//   dual-stack); shop/redis-headless (StatefulSet, headless, publishNotReadyAddresses);
//   payments/psp-egress (selectorless, correct hand-made EndpointSlice); ingress-nginx/
//   ingress-nginx-controller-admission.
//
//   shop/recommendations   the selector says tier: frontend, the pod template tier: fe
//                          → selector-no-match
//   shop/checkout          a bad config change: its pod is in CrashLoopBackOff → no-ready-endpoints
//   shop/cart              the v2.4.0 rollout is stuck on an image tag that does not exist, and the
//                          new version moves the port from 8080 to 9090
//                          → pods-not-ready, target-port-inconsistent
//   shop/web-metrics       web 4.2 renamed its container port metrics → http-metrics
//                          → target-port-unresolved
//   shop/resolver          the UDP DNS port targets a container port declared without protocol: UDP
//                          → target-port-unresolved
//   shop/web-external      exposed in a hurry: type LoadBalancer on bare metal with no load-balancer
//                          implementation, and targetPort 80 where the app listens on 8080
//                          → loadbalancer-pending, target-port-not-declared
//   shop/search            the new pods carry an AWS load-balancer readiness gate (Helm values
//                          copied from the EKS cluster) that nothing here sets, so they never get
//                          ready, and nobody noticed: a hand-made EndpointSlice left from the VM
//                          migration sends every request to the old VM
//                          → pods-not-ready, manual-endpoints-ignored, single-ready-endpoint
//   shop/orders            a ready pod never made it into the EndpointSlices; the Endpoints has it
//                          → pod-missing-from-slices, slices-endpoints-disagree
//   shop/pricing           node worker-c2 stopped reporting and took one of the two pods with it
//                          → pods-not-ready, endpoint-on-unready-node, single-ready-endpoint
//   shop/elasticsearch     a new cluster cannot bootstrap: its masters find each other by per-pod
//                          DNS names, which the headless Service publishes only for ready pods
//                          → no-ready-endpoints, headless-unready-dns
//   shop/redis             made dual-stack, but the Redis pods predate the cluster's IPv6
//                          → ip-family-without-endpoints
//   kube-system/kube-dns   topology-aware routing on 2 CoreDNS replicas in 3 zones
//                          → topology-hints-missing
//   shop/image-resizer     its v1 Endpoints is truncated at 1000 addresses (see below)
//                          → endpoints-over-capacity
//   ingress-nginx/ingress-nginx-controller
//                          NodePort with externalTrafficPolicy: Local, controllers on 2 of 4 nodes
//                          → traffic-policy-local-gaps
//   shop/notifications     the selector was removed; the controllers' slice and Endpoints stay behind,
//                          still routing to the pods of the deleted Deployment
//                          → stale-endpoints, no-ready-endpoints
//   shop/erp               an Endpoints copied from default/kubernetes, skip-mirror label included
//                          → endpoints-not-mirrored
//   shop/orders-db         a hand-made EndpointSlice whose port has no name
//                          → manual-endpoints-port-mismatch
//   payments/bank-gateway  a hand-made EndpointSlice of addressType FQDN, which kube-proxy ignores
//                          → selectorless-no-endpoints
//   payments/ledger-db     an ExternalName Service pointing at an IP address
//                          → externalname-invalid, externalname-no-endpoints
//   payments/hsm           labelled for multus-proxy, which this cluster does not run
//                          → ignored-by-kube-proxy
//
// Over capacity: a truncated Endpoints really lists 1000 addresses of a Service with more than 1000
// pods (image-resizer, scaled out for the catalogue import). That would make this file tens of
// thousands of lines long, so image-resizer keeps two of its pods and the annotation the Endpoints
// controller sets, which is all the check reads.

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Document } from 'yaml';
import { controllerEndpoints, controllerSlices } from '../test/support/controller.js';
import { apiserverObjects, endpoints, node, pod, service, slice, type Raw } from '../test/support/objects.js';

// ---------------------------------------------------------------------------------------------
// Deterministic names, uids and times

/** The characters of generated name suffixes (no vowels, no 0, 1, 3). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** A suffix like those of ReplicaSets, pods and slices: "7c9d8f6b5d", "x2k9p". */
function token(seed: string, length: number): string {
  const d = digest(`token/${seed}`);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[d[i]! % ALPHABET.length];
  return out;
}

function uid(seed: string): string {
  const h = digest(`uid/${seed}`).toString('hex');
  const variant = '89ab'[parseInt(h[16]!, 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The snapshot was taken on Black Friday at 10:15 UTC. */
const NOW = '2026-11-27T10:15:00Z';
const CLUSTER_CREATED = '2025-03-10T09:02:11Z';
/** The pod network became dual-stack: pods created before then have an IPv4 address only. */
const DUAL_STACK_SINCE = '2026-11-20T06:00:00Z';

/** The RFC 3339 time `seconds` after `time`. */
function plus(time: string, seconds: number): string {
  return new Date(Date.parse(time) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function latest(times: string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Nodes

interface NodeDef {
  name: string;
  zone: string;
  /** Selects the pod CIDRs (10.244.N.0/24, fd00:10:244:N::/64) and the node's own addresses. */
  index: number;
  controlPlane?: boolean;
  /** The kubelet stopped posting status (a kernel panic, as it later turned out). */
  lost?: boolean;
}

const NODE_DEFS: NodeDef[] = [
  { name: 'cp-1', zone: 'dc1-a', index: 0, controlPlane: true },
  { name: 'worker-a1', zone: 'dc1-a', index: 1 },
  { name: 'worker-b1', zone: 'dc1-b', index: 2 },
  { name: 'worker-c1', zone: 'dc1-c', index: 3 },
  { name: 'worker-c2', zone: 'dc1-c', index: 4, lost: true },
];

/** worker-c2 last posted its status at 10:10:26; 50s later the node lifecycle controller gave up on it. */
const C2_LAST_HEARTBEAT = '2026-11-27T10:10:26Z';
const C2_UNKNOWN_SINCE = plus(C2_LAST_HEARTBEAT, 50);

function nodeDef(name: string): NodeDef {
  const def = NODE_DEFS.find((n) => n.name === name);
  if (!def) throw new Error(`no node ${name}`);
  return def;
}

function nodeIP(def: NodeDef): string {
  return `10.10.0.${20 + def.index}`;
}

function buildNode(def: NodeDef): Raw {
  const cpu = def.controlPlane ? '3800m' : '15800m';
  const unreachable = (effect: string) => ({
    effect,
    key: 'node.kubernetes.io/unreachable',
    timeAdded: C2_UNKNOWN_SINCE,
  });
  const raw = node(def.name, {
    zone: def.zone,
    cpu,
    ready: def.lost ? 'Unknown' : 'True',
    labels: {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/region': 'dc1',
      ...(def.controlPlane
        ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }
        : {}),
    },
    ...(def.controlPlane ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } : {}),
    ...(def.lost ? { taints: [unreachable('NoSchedule'), unreachable('NoExecute')] } : {}),
  });
  Object.assign(raw.metadata, {
    uid: uid(`node/${def.name}`),
    creationTimestamp: plus(CLUSTER_CREATED, def.index * 420),
  });
  raw.spec.podCIDR = `10.244.${def.index}.0/24`;
  raw.spec.podCIDRs = [`10.244.${def.index}.0/24`, `fd00:10:244:${def.index}::/64`];
  raw.status = {
    addresses: [
      { address: nodeIP(def), type: 'InternalIP' },
      { address: `fd00:10:10::${(20 + def.index).toString(16)}`, type: 'InternalIP' },
      { address: def.name, type: 'Hostname' },
    ],
    allocatable: { cpu, memory: def.controlPlane ? '7901240Ki' : '64992600Ki', pods: '110' },
    conditions: [
      def.lost
        ? {
            lastHeartbeatTime: C2_LAST_HEARTBEAT,
            lastTransitionTime: C2_UNKNOWN_SINCE,
            message: 'Kubelet stopped posting node status.',
            reason: 'NodeStatusUnknown',
            status: 'Unknown',
            type: 'Ready',
          }
        : {
            lastHeartbeatTime: plus(NOW, -20 - def.index * 7),
            lastTransitionTime: '2026-11-20T05:52:40Z',
            message: 'kubelet is posting ready status',
            reason: 'KubeletReady',
            status: 'True',
            type: 'Ready',
          },
    ],
    nodeInfo: {
      containerRuntimeVersion: 'containerd://2.1.4',
      kubeletVersion: 'v1.34.2',
      osImage: 'Ubuntu 24.04.3 LTS',
    },
  };
  return raw;
}

const NODES = NODE_DEFS.map(buildNode);

// ---------------------------------------------------------------------------------------------
// Pods

/** The last host number handed out per node, so that pods get addresses as the CNI hands them out. */
const lastHost = new Map<string, number>();

function podIPs(nodeName: string, seed: string, created: string): string[] {
  const def = nodeDef(nodeName);
  const host = (lastHost.get(nodeName) ?? 9) + 1 + (digest(seed)[0]! % 7);
  lastHost.set(nodeName, host);
  const ip4 = `10.244.${def.index}.${host}`;
  if (Date.parse(created) < Date.parse(DUAL_STACK_SINCE)) return [ip4];
  return [ip4, `fd00:10:244:${def.index}::${host.toString(16)}`];
}

interface ContainerDef {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  /** readinessProbe httpGet path and port. */
  probe?: { path: string; port: string | number };
}

/** How the (first) container is doing. */
type ContainerState =
  | { running: true; ready: boolean; restarts?: number; since?: string; lastState?: Raw }
  | { waiting: string; message: string; restarts?: number; lastState?: Raw };

interface PodTemplate {
  ns?: string;
  labels: Record<string, string>;
  containers: ContainerDef[];
  readinessGates?: string[];
}

interface PodInstance {
  node: string;
  created: string;
  state?: ContainerState;
  /** Pod Ready=False since then; reason and message as the kubelet writes them, if not the containers'. */
  notReady?: { since: string; reason?: string; message?: string; containersReady?: boolean };
  phase?: string;
}

function buildPod(
  name: string,
  t: PodTemplate,
  p: PodInstance,
  owner: { kind: string; name: string },
  spec: Raw = {},
): Raw {
  const ns = t.ns ?? 'shop';
  const readySince = plus(p.created, 9);
  const containersReady = p.notReady ? (p.notReady.containersReady ?? false) : true;
  const state: ContainerState = p.state ?? { running: true, ready: containersReady };

  const containers = t.containers.map((c) => ({
    image: c.image,
    name: c.name,
    ...(c.ports
      ? { ports: c.ports.map((x) => ({ containerPort: x.containerPort, name: x.name, protocol: x.protocol ?? 'TCP' })) }
      : {}),
    ...(c.probe ? { readinessProbe: { httpGet: { path: c.probe.path, port: c.probe.port }, periodSeconds: 10 } } : {}),
  }));
  const containerStatuses = t.containers.map((c, i) => {
    const s: ContainerState = i === 0 ? state : { running: true, ready: true };
    const common = {
      image: c.image,
      ...(s.lastState ? { lastState: s.lastState } : {}),
      name: c.name,
      restartCount: s.restarts ?? 0,
    };
    if ('waiting' in s) {
      return { ...common, ready: false, started: false, state: { waiting: { message: s.message, reason: s.waiting } } };
    }
    return {
      ...common,
      ready: s.ready,
      started: true,
      state: { running: { startedAt: s.since ?? plus(p.created, 3) } },
    };
  });
  const condition = (type: string, status: boolean, time: string, reason?: string, message?: string) => ({
    lastTransitionTime: time,
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
    status: status ? 'True' : 'False',
    type,
  });
  const unready = `containers with unready status: [${t.containers
    .filter((_, i) => !containerStatuses[i]!.ready)
    .map((c) => c.name)
    .join(' ')}]`;
  const conditions = [
    !p.notReady
      ? condition('Ready', true, readySince)
      : containersReady
        ? condition('Ready', false, p.notReady.since, p.notReady.reason, p.notReady.message)
        : condition('Ready', false, p.notReady.since, 'ContainersNotReady', unready),
    containersReady
      ? condition('ContainersReady', true, readySince)
      : condition('ContainersReady', false, p.notReady!.since, 'ContainersNotReady', unready),
  ];

  const raw = pod(name, {
    ns,
    labels: t.labels,
    node: p.node,
    ips: podIPs(p.node, `${ns}/${name}`, p.created),
    phase: p.phase ?? 'Running',
    containers,
    ...(t.readinessGates ? { readinessGates: t.readinessGates } : {}),
    conditions,
    status: { containerStatuses },
    spec,
  });
  raw.metadata = {
    ...raw.metadata,
    uid: uid(`pod/${ns}/${name}`),
    creationTimestamp: p.created,
    generateName: name.slice(0, name.lastIndexOf('-') + 1),
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        blockOwnerDeletion: true,
        controller: true,
        kind: owner.kind,
        name: owner.name,
        uid: uid(`${owner.kind}/${ns}/${owner.name}`),
      },
    ],
  };
  return raw;
}

function appLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** The pods of one ReplicaSet of Deployment `name`; `revision` tells the ReplicaSets of a rollout apart. */
function replicaSetPods(name: string, revision: string, t: PodTemplate, pods: PodInstance[]): Raw[] {
  const ns = t.ns ?? 'shop';
  const hash = token(`rs/${ns}/${name}/${revision}`, 10);
  const rs = `${name}-${hash}`;
  const template = { ...t, labels: { ...t.labels, 'pod-template-hash': hash } };
  return pods.map((p, i) =>
    buildPod(`${rs}-${token(`pod/${ns}/${rs}/${i}`, 5)}`, template, p, { kind: 'ReplicaSet', name: rs }),
  );
}

/** The pods of StatefulSet `name`, governed by the headless Service `serviceName`. */
function statefulSetPods(name: string, serviceName: string, t: PodTemplate, pods: PodInstance[]): Raw[] {
  const ns = t.ns ?? 'shop';
  const revision = `${name}-${token(`sts/${ns}/${name}`, 10)}`;
  return pods.map((p, i) =>
    buildPod(
      `${name}-${i}`,
      {
        ...t,
        labels: {
          ...t.labels,
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
        },
      },
      p,
      { kind: 'StatefulSet', name },
      { hostname: `${name}-${i}`, subdomain: serviceName },
    ),
  );
}

const REGISTRY = 'registry.example.com/shop';

/** A shop application: one container serving HTTP on a port named http. */
function app(name: string, tag: string, containerPort = 8080): PodTemplate {
  return {
    labels: appLabels(name),
    containers: [{ name, image: `${REGISTRY}/${name}:${tag}`, ports: [{ name: 'http', containerPort }] }],
  };
}

// ---------------------------------------------------------------------------------------------
// Services

interface ServiceDef {
  ns?: string;
  name: string;
  created: string;
  /** Default app.kubernetes.io/name: <name>; null for none. */
  selector?: Record<string, string> | null;
  ports: Raw[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ip?: 'single' | 'dual' | 'headless';
  /** A fixed ClusterIP, for well-known Services. */
  clusterIP?: string;
  spec?: Raw;
}

function buildService(d: ServiceDef): Raw {
  const ns = d.ns ?? 'shop';
  const type = d.type ?? 'ClusterIP';
  const h = digest(`clusterip/${ns}/${d.name}`);
  const ip4 = d.clusterIP ?? `10.${96 + (h[0]! % 16)}.${h[1]}.${1 + (h[2]! % 254)}`;
  const ip6 = `fd00:10:96::${h.readUInt16BE(3).toString(16)}`;
  const addressing: Raw =
    type === 'ExternalName'
      ? {}
      : d.ip === 'headless'
        ? { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }
        : d.ip === 'dual'
          ? { clusterIP: ip4, clusterIPs: [ip4, ip6], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' }
          : { clusterIP: ip4, clusterIPs: [ip4], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' };
  const raw = service(d.name, {
    ns,
    type,
    selector: d.selector === undefined ? appLabels(d.name) : d.selector,
    ports: d.ports,
    labels: d.labels ?? appLabels(d.name),
    ...(d.annotations ? { annotations: d.annotations } : {}),
    spec: {
      ...addressing,
      ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...d.spec,
    },
    status: { loadBalancer: {} },
  });
  Object.assign(raw.metadata, { uid: uid(`svc/${ns}/${d.name}`), creationTimestamp: d.created });
  return raw;
}

function port(name: string, number: number, targetPort: string | number, extra: Raw = {}): Raw {
  return { name, port: number, protocol: 'TCP', targetPort, ...extra };
}

const HTTP = port('http', 80, 'http');

// ---------------------------------------------------------------------------------------------
// What the controllers write, and hand-made endpoints

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The last change to the Service's pods: what the controllers write as last-change-trigger-time. */
function lastChange(svc: Raw, pods: Raw[]): string {
  const selector: Record<string, string> = svc.spec.selector ?? {};
  const times = [svc.metadata.creationTimestamp as string];
  for (const p of pods) {
    if (p.metadata.namespace !== svc.metadata.namespace) continue;
    if (!Object.entries(selector).every(([k, v]) => p.metadata.labels[k] === v)) continue;
    times.push(p.metadata.creationTimestamp);
    for (const c of p.status.conditions) if (c.type === 'Ready') times.push(c.lastTransitionTime);
  }
  return latest(times);
}

/** A slice from controllerSlices, named and dressed as the API server returns it. */
function dressSlice(s: Raw, svc: Raw, trigger: string): Raw {
  const svcName: string = svc.metadata.name;
  const name = `${svcName}-${token(`slice/${s.metadata.name}`, 5)}`;
  s.metadata = {
    ...s.metadata,
    ...(s.endpoints.length > 0 ? { annotations: { [TRIGGER]: trigger } } : {}),
    name,
    generateName: `${svcName}-`,
    uid: uid(`slice/${svc.metadata.namespace}/${name}`),
    creationTimestamp: svc.metadata.creationTimestamp,
  };
  // Empty lists come back from the API server as null.
  if (s.endpoints.length === 0) s.endpoints = null;
  if (s.ports.length === 0) s.ports = null;
  return s;
}

/** The EndpointSlices and Endpoints the controllers keep for a Service with a selector. */
function controllerObjects(svc: Raw, pods: Raw[], o: { slicePods?: Raw[]; overCapacity?: boolean } = {}): Raw[] {
  const trigger = lastChange(svc, pods);
  const slices = controllerSlices(svc, o.slicePods ?? pods, NODES).map((s) => dressSlice(s, svc, trigger));
  const legacy = controllerEndpoints(svc, pods, NODES)!;
  legacy.metadata = {
    ...legacy.metadata,
    annotations: {
      ...legacy.metadata.annotations,
      [TRIGGER]: trigger,
      ...(o.overCapacity ? { 'endpoints.kubernetes.io/over-capacity': 'truncated' } : {}),
    },
    uid: uid(`endpoints/${svc.metadata.namespace}/${svc.metadata.name}`),
    creationTimestamp: svc.metadata.creationTimestamp,
  };
  if (legacy.subsets.length === 0) delete legacy.subsets;
  return [...slices, legacy];
}

/** A hand-made EndpointSlice: someone's own managed-by, endpoints with just `ready: true`. */
function handMadeSlice(
  svc: Raw,
  name: string,
  created: string,
  o: { managedBy: string; addressType?: string; ports: Raw[]; addresses: string[] },
): Raw {
  const s = slice(svc.metadata.name, {
    ns: svc.metadata.namespace,
    name,
    managedBy: o.managedBy,
    addressType: o.addressType ?? 'IPv4',
    ports: o.ports,
    endpoints: o.addresses.map((ip) => ({ ip })),
  });
  for (const e of s.endpoints) e.conditions = { ready: true };
  Object.assign(s.metadata, { uid: uid(`slice/${svc.metadata.namespace}/${name}`), creationTimestamp: created });
  return s;
}

// ---------------------------------------------------------------------------------------------
// The shop

/** Every object of the example, in no particular order. */
export function shopObjects(): Raw[] {
  lastHost.clear();
  const objects: Raw[] = [...NODES.map((n) => structuredClone(n))];
  const add = (...o: Raw[]) => objects.push(...o);
  /** A Service with a selector, its pods, and what the controllers make of them. */
  const workload = (svc: Raw, pods: Raw[], o: Parameters<typeof controllerObjects>[2] = {}) =>
    add(svc, ...pods, ...controllerObjects(svc, pods, o));
  /** Another Service selecting pods already added. */
  const alsoSelects = (svc: Raw, pods: Raw[]) => add(svc, ...controllerObjects(svc, pods));

  // --- default/kubernetes, as the kube-apiserver writes it ---------------------------------
  for (const o of apiserverObjects(nodeIP(nodeDef('cp-1')))) {
    Object.assign(o.metadata, { uid: uid(`${o.kind}/default/kubernetes`), creationTimestamp: CLUSTER_CREATED });
    if (o.kind === 'Service') o.spec.ipFamilyPolicy = 'SingleStack';
    if (o.kind === 'EndpointSlice') for (const e of o.endpoints) e.conditions = { ready: true };
    add(o);
  }

  // --- kube-system/kube-dns: topology-aware routing on 2 CoreDNS replicas in 3 zones ---------
  // Turned on to keep DNS traffic in the zone. The EndpointSlice controller needs at least one
  // endpoint per zone, so it removes every hint and kube-proxy routes cluster-wide.
  const coredns: PodTemplate = {
    ns: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.12.1',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
        probe: { path: '/ready', port: 8181 },
      },
    ],
  };
  workload(
    buildService({
      ns: 'kube-system',
      name: 'kube-dns',
      created: CLUSTER_CREATED,
      clusterIP: '10.96.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: {
        'prometheus.io/port': '9153',
        'prometheus.io/scrape': 'true',
        'service.kubernetes.io/topology-mode': 'Auto',
      },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    }),
    replicaSetPods('coredns', '1', coredns, [
      { node: 'worker-a1', created: '2026-11-20T06:41:07Z' },
      { node: 'worker-b1', created: '2026-11-20T06:41:07Z' },
    ]),
  );

  // --- shop/web: the storefront, dual-stack, healthy ------------------------------------------
  // web 4.2 follows the Prometheus convention and calls its metrics port http-metrics.
  const webTemplate = app('web', '4.2.1');
  webTemplate.containers[0]!.ports!.push({ name: 'http-metrics', containerPort: 9102 });
  const web = replicaSetPods('web', '4.2.1', webTemplate, [
    { node: 'worker-a1', created: '2026-11-25T14:03:22Z' },
    { node: 'worker-c1', created: '2026-11-25T14:03:51Z' },
  ]);
  workload(buildService({ name: 'web', created: '2025-04-02T10:11:45Z', ip: 'dual', ports: [HTTP] }), web);

  // --- shop/web-metrics: Prometheus scrapes it; it still targets the old port name -----------
  alsoSelects(
    buildService({
      name: 'web-metrics',
      created: '2025-04-02T10:11:45Z',
      selector: appLabels('web'),
      labels: { ...appLabels('web'), 'app.kubernetes.io/component': 'metrics' },
      ports: [port('metrics', 9102, 'metrics')],
    }),
    web,
  );

  // --- shop/web-external: exposed in a hurry last night -------------------------------------
  // No MetalLB or other load-balancer implementation runs on this bare-metal cluster, and the
  // storefront listens on 8080, not 80.
  alsoSelects(
    buildService({
      name: 'web-external',
      created: '2026-11-26T22:48:13Z',
      type: 'LoadBalancer',
      selector: appLabels('web'),
      ports: [port('http', 80, 80, { nodePort: 31380 })],
      spec: { allocateLoadBalancerNodePorts: true },
    }),
    web,
  );

  // --- shop/redis-headless and shop/redis ------------------------------------------------------
  // The StatefulSet's headless Service publishes not-ready addresses for Sentinel: healthy. The
  // client Service was made dual-stack with the cluster last week, but the Redis pods were
  // created before the pod network had IPv6 and never restarted since.
  const redis = statefulSetPods(
    'redis',
    'redis-headless',
    {
      labels: appLabels('redis'),
      containers: [
        {
          name: 'redis',
          image: 'registry.example.com/mirror/redis:7.4.2',
          ports: [{ name: 'redis', containerPort: 6379 }],
        },
      ],
    },
    [
      { node: 'worker-a1', created: '2026-10-14T08:30:00Z' },
      { node: 'worker-b1', created: '2026-10-14T08:30:45Z' },
    ],
  );
  workload(
    buildService({
      name: 'redis-headless',
      created: '2025-05-14T08:29:51Z',
      selector: appLabels('redis'),
      labels: appLabels('redis'),
      ip: 'headless',
      ports: [port('redis', 6379, 'redis')],
      spec: { publishNotReadyAddresses: true },
    }),
    redis,
  );
  alsoSelects(
    buildService({ name: 'redis', created: '2025-05-14T08:29:51Z', ip: 'dual', ports: [port('redis', 6379, 'redis')] }),
    redis,
  );

  // --- payments/psp-egress: selectorless, with a correct hand-made EndpointSlice, healthy -----
  const psp = buildService({
    ns: 'payments',
    name: 'psp-egress',
    created: '2026-02-09T13:20:00Z',
    selector: null,
    ports: [port('https', 443, 443)],
  });
  add(
    psp,
    handMadeSlice(psp, 'psp-egress-1', '2026-02-09T13:20:04Z', {
      managedBy: 'payments-team',
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      addresses: ['10.10.30.11', '10.10.30.12'],
    }),
  );

  // --- shop/recommendations: the selector says tier: frontend, the pod template tier: fe ------
  const recommendations = app('recommendations', '1.0.0');
  recommendations.labels = { ...recommendations.labels, tier: 'fe' };
  workload(
    buildService({
      name: 'recommendations',
      created: '2026-11-26T11:47:02Z',
      selector: { ...appLabels('recommendations'), tier: 'frontend' },
      ports: [HTTP],
    }),
    replicaSetPods('recommendations', '1', recommendations, [{ node: 'worker-b1', created: '2026-11-26T11:48:30Z' }]),
  );

  // --- shop/checkout: a bad config change, the pod is in CrashLoopBackOff --------------------
  const crashLoop = (node: string, created: string): PodInstance => ({
    node,
    created,
    state: {
      waiting: 'CrashLoopBackOff',
      message: 'back-off 5m0s restarting failed container=checkout',
      restarts: 12,
      lastState: {
        terminated: {
          exitCode: 1,
          finishedAt: '2026-11-27T10:12:31Z',
          message: 'config: payment.provider.timeout: cannot parse "30 s" as a duration',
          reason: 'Error',
          startedAt: '2026-11-27T10:12:30Z',
        },
      },
    },
    notReady: { since: created },
  });
  workload(
    buildService({ name: 'checkout', created: '2025-04-02T10:12:03Z', ports: [HTTP] }),
    replicaSetPods('checkout', 'config-2026-11-27', app('checkout', '5.0.3'), [
      crashLoop('worker-b1', '2026-11-27T09:31:12Z'),
    ]),
  );

  // --- shop/cart: the v2.4.0 rollout is stuck: the registry has 2.4.0, not v2.4.0 -------------
  const badImage = `${REGISTRY}/cart:v2.4.0`;
  workload(buildService({ name: 'cart', created: '2025-04-02T10:12:03Z', ports: [HTTP] }), [
    ...replicaSetPods('cart', '2.3.4', app('cart', '2.3.4'), [
      { node: 'worker-a1', created: '2026-11-24T10:02:44Z' },
      { node: 'worker-c1', created: '2026-11-24T10:02:44Z' },
    ]),
    // The new version listens on 9090.
    ...replicaSetPods('cart', '2.4.0', app('cart', 'v2.4.0', 9090), [
      {
        node: 'worker-b1',
        created: '2026-11-27T09:58:03Z',
        phase: 'Pending',
        state: {
          waiting: 'ImagePullBackOff',
          message: `Back-off pulling image "${badImage}": ErrImagePull: failed to pull and unpack image "${badImage}": failed to resolve reference "${badImage}": ${badImage}: not found`,
        },
        notReady: { since: '2026-11-27T09:58:03Z' },
      },
    ]),
  ]);

  // --- shop/resolver: Unbound; the UDP port targets "dns", declared without protocol: UDP -----
  workload(
    buildService({
      name: 'resolver',
      created: '2026-11-26T09:12:40Z',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns' },
      ],
    }),
    replicaSetPods(
      'resolver',
      '1',
      {
        labels: appLabels('resolver'),
        // The manifest left protocol out; the API server defaulted it to TCP.
        containers: [
          {
            name: 'unbound',
            image: 'registry.example.com/mirror/unbound:1.22.0',
            ports: [{ name: 'dns', containerPort: 5353 }],
          },
        ],
      },
      [
        { node: 'worker-a1', created: '2026-11-26T09:12:41Z' },
        { node: 'worker-c1', created: '2026-11-26T09:12:41Z' },
      ],
    ),
  );

  // --- shop/search: gated pods, and the VM the migration's EndpointSlice still points at ------
  // The Helm values were copied from the EKS cluster, where the AWS Load Balancer Controller
  // injects this readiness gate and sets it once the target is healthy. Nothing sets it here.
  const gate = 'target-health.elbv2.k8s.aws/k8s-shop-search-5c2e1b9a4d';
  const gated = (created: string, node: string): PodInstance => ({
    node,
    created,
    notReady: {
      since: created,
      reason: 'ReadinessGatesNotReady',
      message: `corresponding condition of pod readiness gate "${gate}" does not exist.`,
      containersReady: true,
    },
  });
  const search = buildService({ name: 'search', created: '2025-06-11T09:00:00Z', ports: [HTTP] });
  workload(
    search,
    replicaSetPods('search', '3.1.0', { ...app('search', '3.1.0'), readinessGates: [gate] }, [
      gated('2026-11-20T16:12:09Z', 'worker-a1'),
      gated('2026-11-20T16:12:09Z', 'worker-b1'),
    ]),
  );
  add(
    handMadeSlice(search, 'search-vm', '2026-10-28T07:45:00Z', {
      managedBy: 'staff',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      addresses: ['10.10.20.31'],
    }),
  );

  // --- shop/orders: one ready pod never made it into the EndpointSlices -----------------------
  // orders-…-2 restarted at 09:44 (liveness probe); that was the slices' last update, 15 minutes
  // after the third pod became ready. The Endpoints controller did list it.
  const orders = replicaSetPods('orders', '9.4.2', app('orders', '9.4.2'), [
    { node: 'worker-a1', created: '2026-11-26T13:05:00Z' },
    {
      node: 'worker-b1',
      created: '2026-11-26T13:05:00Z',
      state: {
        running: true,
        ready: true,
        restarts: 1,
        since: '2026-11-27T09:44:08Z',
        lastState: {
          terminated: {
            exitCode: 137,
            finishedAt: '2026-11-27T09:44:06Z',
            reason: 'Error',
            startedAt: '2026-11-26T13:05:03Z',
          },
        },
      },
    },
    { node: 'worker-c1', created: '2026-11-27T09:29:40Z' },
  ]);
  for (const c of orders[1]!.status.conditions) c.lastTransitionTime = '2026-11-27T09:44:17Z';
  workload(buildService({ name: 'orders', created: '2025-04-02T10:12:03Z', ports: [HTTP] }), orders, {
    slicePods: orders.slice(0, 2),
  });

  // --- shop/pricing: worker-c2 stopped reporting and took one of the two pods with it --------
  // The node lifecycle controller marked the pod not ready; ContainersReady is the kubelet's last
  // word. The pod is evicted 300s after the node became unreachable.
  workload(
    buildService({ name: 'pricing', created: '2025-04-02T10:12:03Z', ports: [HTTP] }),
    replicaSetPods('pricing', '3.2.0', app('pricing', '3.2.0'), [
      { node: 'worker-b1', created: '2026-11-25T08:10:00Z' },
      {
        node: 'worker-c2',
        created: '2026-11-25T08:10:00Z',
        notReady: { since: C2_UNKNOWN_SINCE, containersReady: true },
      },
    ]),
  );

  // --- shop/elasticsearch: a new cluster that cannot bootstrap --------------------------------
  // Recreated this morning with a hand-written governing Service. discovery.seed_hosts lists
  // elasticsearch-N.elasticsearch, names that resolve only once a pod is ready, and no pod gets
  // ready before the masters have found each other.
  const esStarting = (created: string, node: string): PodInstance => ({
    node,
    created,
    state: { running: true, ready: false },
    notReady: { since: created },
  });
  workload(
    buildService({
      name: 'elasticsearch',
      created: '2026-11-27T09:49:30Z',
      ip: 'headless',
      ports: [port('http', 9200, 'http'), port('transport', 9300, 'transport')],
    }),
    statefulSetPods(
      'elasticsearch',
      'elasticsearch',
      {
        labels: appLabels('elasticsearch'),
        containers: [
          {
            name: 'elasticsearch',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.3',
            ports: [
              { name: 'http', containerPort: 9200 },
              { name: 'transport', containerPort: 9300 },
            ],
            probe: { path: '/_cluster/health?local=true', port: 'http' },
          },
        ],
      },
      [
        esStarting('2026-11-27T09:50:02Z', 'worker-a1'),
        esStarting('2026-11-27T09:50:02Z', 'worker-b1'),
        esStarting('2026-11-27T09:50:02Z', 'worker-c1'),
      ],
    ),
  );

  // --- shop/image-resizer: the v1 Endpoints is over capacity (trimmed, see the top) ----------
  workload(
    buildService({ name: 'image-resizer', created: '2026-09-15T12:00:00Z', ports: [HTTP] }),
    replicaSetPods('image-resizer', '0.9.7', app('image-resizer', '0.9.7'), [
      { node: 'worker-b1', created: '2026-11-27T06:58:31Z' },
      { node: 'worker-c1', created: '2026-11-27T06:58:31Z' },
    ]),
    { overCapacity: true },
  );

  // --- ingress-nginx: NodePort, externalTrafficPolicy Local, controllers on 2 of 4 nodes ------
  // The external HAProxy spreads connections over the NodePorts of every node; Local keeps the
  // client source IP for the shop's rate limits.
  const ingress = {
    'app.kubernetes.io/component': 'controller',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/name': 'ingress-nginx',
  };
  const ingressPods = replicaSetPods(
    'ingress-nginx-controller',
    '1.12.1',
    {
      ns: 'ingress-nginx',
      labels: ingress,
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.12.1',
          ports: [
            { name: 'http', containerPort: 80 },
            { name: 'https', containerPort: 443 },
            { name: 'webhook', containerPort: 8443 },
          ],
          probe: { path: '/healthz', port: 10254 },
        },
      ],
    },
    [
      { node: 'worker-a1', created: '2026-11-20T07:14:00Z' },
      { node: 'worker-b1', created: '2026-11-20T07:14:00Z' },
    ],
  );
  workload(
    buildService({
      ns: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      created: '2025-03-10T11:20:00Z',
      type: 'NodePort',
      selector: ingress,
      labels: ingress,
      ports: [
        port('http', 80, 'http', { appProtocol: 'http', nodePort: 30080 }),
        port('https', 443, 'https', { appProtocol: 'https', nodePort: 30443 }),
      ],
      spec: { externalTrafficPolicy: 'Local' },
    }),
    ingressPods,
  );
  // The admission webhook's Service, as the chart installs it: healthy.
  alsoSelects(
    buildService({
      ns: 'ingress-nginx',
      name: 'ingress-nginx-controller-admission',
      created: '2025-03-10T11:20:00Z',
      selector: ingress,
      labels: ingress,
      ports: [port('https-webhook', 443, 'webhook', { appProtocol: 'https' })],
    }),
    ingressPods,
  );

  // --- shop/notifications: the selector was removed, the controllers' objects stay behind -----
  // The team moved to an e-mail provider: they deleted the Deployment and removed the selector,
  // meaning to point the Service at the provider later. Nothing deletes what the controllers wrote,
  // and the mirroring controller now copies the left-over Endpoints too.
  const notifications = buildService({ name: 'notifications', created: '2025-04-02T10:12:03Z', ports: [HTTP] });
  const deleted = replicaSetPods('notifications', '2.7.0', app('notifications', '2.7.0'), [
    { node: 'worker-a1', created: '2026-11-10T08:00:00Z' },
    { node: 'worker-c1', created: '2026-11-10T08:00:00Z' },
  ]);
  const leftOver = controllerObjects(notifications, deleted);
  delete notifications.spec.selector;
  add(notifications, ...leftOver);
  const leftEndpoints = leftOver.find((o) => o.kind === 'Endpoints')!;
  const mirrored = slice('notifications', {
    name: `notifications-${token('mirror/notifications', 5)}`,
    managedBy: 'endpointslicemirroring-controller.k8s.io',
    labels: leftEndpoints.metadata.labels, // the mirroring controller copies the Endpoints' labels
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  mirrored.endpoints = leftEndpoints.subsets[0].addresses.map((a: Raw) => ({
    addresses: [a.ip],
    conditions: { ready: true },
    nodeName: a.nodeName,
    targetRef: a.targetRef,
  }));
  Object.assign(mirrored.metadata, {
    uid: uid('slice/shop/notifications-mirrored'),
    creationTimestamp: '2026-11-24T16:02:11Z',
    generateName: 'notifications-',
    ownerReferences: [
      {
        apiVersion: 'v1',
        blockOwnerDeletion: true,
        controller: true,
        kind: 'Endpoints',
        name: 'notifications',
        uid: leftEndpoints.metadata.uid,
      },
    ],
  });
  add(mirrored);

  // --- shop/erp: an Endpoints copied from default/kubernetes, skip-mirror label and all -------
  const erpEndpoints = endpoints('erp', {
    labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    subsets: [{ addresses: [{ ip: '10.10.20.41' }], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }] }],
  });
  Object.assign(erpEndpoints.metadata, { uid: uid('endpoints/shop/erp'), creationTimestamp: '2026-08-19T14:22:03Z' });
  add(
    buildService({ name: 'erp', created: '2026-08-19T14:22:00Z', selector: null, ports: [port('https', 443, 8443)] }),
    erpEndpoints,
  );

  // --- shop/orders-db: PostgreSQL on two VMs; the hand-made slice's port has no name ---------
  const ordersDb = buildService({
    name: 'orders-db',
    created: '2026-11-26T17:40:00Z',
    selector: null,
    ports: [port('postgres', 5432, 5432)],
  });
  add(
    ordersDb,
    handMadeSlice(ordersDb, 'orders-db-1', '2026-11-26T17:40:05Z', {
      managedBy: 'staff',
      ports: [{ port: 5432, protocol: 'TCP' }],
      addresses: ['10.10.20.51', '10.10.20.52'],
    }),
  );

  // --- payments/bank-gateway: a hand-made slice of addressType FQDN ---------------------------
  const bank = buildService({
    ns: 'payments',
    name: 'bank-gateway',
    created: '2026-11-26T15:02:00Z',
    selector: null,
    ports: [port('https', 443, 443)],
  });
  add(
    bank,
    handMadeSlice(bank, 'bank-gateway-1', '2026-11-26T15:02:04Z', {
      managedBy: 'payments-team',
      addressType: 'FQDN',
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      addresses: ['psd2-gw.bank.example'],
    }),
  );

  // --- payments/ledger-db: ExternalName pointing at an IP address ----------------------------
  add(
    buildService({
      ns: 'payments',
      name: 'ledger-db',
      created: '2026-07-01T09:00:00Z',
      type: 'ExternalName',
      selector: null,
      ports: [port('postgres', 5432, 5432)],
      spec: { externalName: '10.10.40.15' },
    }),
  );

  // --- payments/hsm: labelled for multus-proxy, which this cluster does not run ---------------
  const hsm = buildService({
    ns: 'payments',
    name: 'hsm',
    created: '2026-05-20T10:00:00Z',
    selector: null,
    labels: { ...appLabels('hsm'), 'service.kubernetes.io/service-proxy-name': 'multus-proxy' },
    annotations: { 'k8s.v1.cni.cncf.io/service-network': 'hsm-net' },
    ports: [port('pkcs11', 1792, 1792)],
  });
  add(
    hsm,
    handMadeSlice(hsm, 'hsm-1', '2026-05-20T10:00:02Z', {
      managedBy: 'payments-team',
      ports: [{ name: 'pkcs11', port: 1792, protocol: 'TCP' }],
      addresses: ['10.50.0.11', '10.50.0.12'],
    }),
  );

  return objects;
}

// ---------------------------------------------------------------------------------------------
// Output

/** The order of `kubectl get services,endpoints,endpointslices,pods,nodes -A`. */
const KIND_ORDER = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'];

const HEADER = [
  ' Generated by `npm run example` from examples/shop.ts: edit that file, not this one.',
  ' A broken online shop, as `kubectl get services,endpoints,endpointslices,pods,nodes -A -o yaml`',
  ' prints it. `npm run demo` diagnoses it; examples/shop.ts says what is wrong where.',
].join('\n');

/** The text of examples/shop.yaml. */
export function shopYaml(): string {
  const items = shopObjects().sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  // kubectl prints keys sorted, lists unindented, and quotes what YAML 1.1 would misread ("True", times).
  const doc = new Document(
    { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } },
    { aliasDuplicateObjects: false, sortMapEntries: true, version: '1.1' },
  );
  doc.commentBefore = HEADER;
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

const invokedAs = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : '';
if (import.meta.url === invokedAs) process.stdout.write(shopYaml());
