// Converts raw Kubernetes JSON (from the API or a snapshot file) into the slim model objects,
// applying the API server's defaults (protocol TCP, targetPort = port, type ClusterIP...) so
// that checks see what the cluster sees. Throws SlimError for objects no check can use.

import type {
  ClusterObject,
  Container,
  ContainerPort,
  ContainerStatus,
  EndpointSlice,
  Endpoints,
  EndpointAddress,
  Labels,
  Node,
  ObjectMeta,
  ObjectRef,
  Pod,
  PodCondition,
  Protocol,
  Service,
  ServiceType,
} from '../model/types.js';

export class SlimError extends Error {}

type Raw = Record<string, any>;

/** The kinds endpoints-doctor reads; anything else in an input is skipped with a note. */
export const KNOWN_KINDS = ['Service', 'Pod', 'EndpointSlice', 'Endpoints', 'Node'] as const;
export type KnownKind = (typeof KNOWN_KINDS)[number];

export function isKnownKind(kind: unknown): kind is KnownKind {
  return typeof kind === 'string' && (KNOWN_KINDS as readonly string[]).includes(kind);
}

export function slimObject(kind: KnownKind, raw: Raw): ClusterObject {
  switch (kind) {
    case 'Service':
      return slimService(raw);
    case 'Pod':
      return slimPod(raw);
    case 'EndpointSlice':
      return slimEndpointSlice(raw);
    case 'Endpoints':
      return slimEndpoints(raw);
    case 'Node':
      return slimNode(raw);
  }
}

function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function arr(value: unknown): Raw[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function stringMap(value: unknown): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(obj(value))) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

function protocol(value: unknown): Protocol {
  return value === 'UDP' || value === 'SCTP' ? value : 'TCP';
}

/** Pods and Nodes are the bulk of a cluster and no check reads their annotations: they are not kept. */
const NO_ANNOTATIONS: Labels = Object.freeze({}) as Labels;

function slimMeta(raw: Raw, kind: string, namespaced: boolean, keepAnnotations = true): ObjectMeta {
  const m = obj(raw.metadata);
  const name = str(m.name);
  if (!name) throw new SlimError(`${kind} without metadata.name`);
  return {
    namespace: namespaced ? (str(m.namespace) ?? 'default') : '',
    name,
    uid: str(m.uid),
    labels: stringMap(m.labels),
    annotations: keepAnnotations ? stringMap(m.annotations) : NO_ANNOTATIONS,
    creationTimestamp: str(m.creationTimestamp),
    deletionTimestamp: str(m.deletionTimestamp),
  };
}

function slimRef(value: unknown): ObjectRef | undefined {
  const r = obj(value);
  const name = str(r.name);
  if (!name) return undefined;
  return { kind: str(r.kind) ?? '', namespace: str(r.namespace), name, uid: str(r.uid) };
}

const SERVICE_TYPES: ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function slimService(raw: Raw): Service {
  const meta = slimMeta(raw, 'Service', true);
  const spec = obj(raw.spec);
  const selector = stringMap(spec.selector);
  const type = SERVICE_TYPES.includes(spec.type) ? (spec.type as ServiceType) : 'ClusterIP';
  return {
    kind: 'Service',
    meta,
    type,
    selector: Object.keys(selector).length > 0 ? selector : null,
    clusterIP: str(spec.clusterIP),
    clusterIPs: strings(spec.clusterIPs),
    ipFamilies: strings(spec.ipFamilies).filter((f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6'),
    ports: arr(spec.ports).map((p) => {
      const port = typeof p.port === 'number' ? p.port : Number(p.port) || 0;
      const target = p.targetPort;
      // SetDefaults_Service: a missing, 0 or "" targetPort becomes port.
      const targetPort =
        typeof target === 'number' && target !== 0
          ? target
          : typeof target === 'string' && target !== ''
            ? /^\d+$/.test(target)
              ? Number(target)
              : target
            : port;
      return {
        name: str(p.name) ?? '',
        port,
        protocol: protocol(p.protocol),
        targetPort,
        nodePort: typeof p.nodePort === 'number' ? p.nodePort : undefined,
      };
    }),
    externalName: str(spec.externalName),
    externalIPs: strings(spec.externalIPs),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    loadBalancerClass: str(spec.loadBalancerClass),
    loadBalancerIngress: arr(obj(obj(raw.status).loadBalancer).ingress).map((i) => ({
      ip: str(i.ip),
      hostname: str(i.hostname),
      ipMode: str(i.ipMode),
    })),
    trafficDistribution: str(spec.trafficDistribution),
  };
}

function slimContainer(raw: Raw): Container {
  return {
    name: str(raw.name) ?? '',
    ports: arr(raw.ports).map((p): ContainerPort => ({
      name: str(p.name),
      containerPort: typeof p.containerPort === 'number' ? p.containerPort : Number(p.containerPort) || 0,
      protocol: protocol(p.protocol),
    })),
    hasReadinessProbe: raw.readinessProbe != null,
    hasStartupProbe: raw.startupProbe != null,
  };
}

function slimContainerStatus(raw: Raw): ContainerStatus {
  const state = obj(raw.state);
  const last = obj(obj(raw.lastState).terminated);
  const current = state.waiting ? obj(state.waiting) : state.terminated ? obj(state.terminated) : {};
  return {
    name: str(raw.name) ?? '',
    ready: raw.ready === true,
    started: typeof raw.started === 'boolean' ? raw.started : undefined,
    restartCount: typeof raw.restartCount === 'number' ? raw.restartCount : 0,
    state: state.waiting ? 'waiting' : state.running ? 'running' : state.terminated ? 'terminated' : 'unknown',
    reason: str(current.reason),
    message: str(current.message),
    exitCode: typeof current.exitCode === 'number' ? current.exitCode : undefined,
    lastTerminationReason: str(last.reason),
    lastExitCode: typeof last.exitCode === 'number' ? last.exitCode : undefined,
  };
}

export function slimPod(raw: Raw): Pod {
  const meta = slimMeta(raw, 'Pod', true, false);
  const spec = obj(raw.spec);
  const status = obj(raw.status);
  const initContainers = arr(spec.initContainers);
  const podIPs = strings(arr(status.podIPs).map((p) => p.ip));
  const podIP = str(status.podIP);
  if (podIP && !podIPs.includes(podIP)) podIPs.unshift(podIP);
  const readinessGates = strings(arr(spec.readinessGates).map((g) => g.conditionType));
  return {
    kind: 'Pod',
    meta,
    nodeName: str(spec.nodeName),
    hostname: str(spec.hostname),
    subdomain: str(spec.subdomain),
    containers: arr(spec.containers).map(slimContainer),
    sidecars: initContainers.filter((c) => c.restartPolicy === 'Always').map(slimContainer),
    initContainerNames: initContainers.map((c) => str(c.name) ?? ''),
    readinessGates,
    phase: str(status.phase) ?? 'Unknown',
    reason: str(status.reason),
    podIPs,
    conditions: slimPodConditions(status.conditions, readinessGates),
    containerStatuses: arr(status.containerStatuses).map(slimContainerStatus),
    initContainerStatuses: arr(status.initContainerStatuses).map(slimContainerStatus),
  };
}

/** The conditions that decide or explain readiness; the others weigh a lot over 100,000 pods. */
const READINESS_CONDITIONS = new Set(['Ready', 'ContainersReady', 'PodScheduled']);

function slimPodConditions(value: unknown, readinessGates: string[]): PodCondition[] {
  const out: PodCondition[] = [];
  for (const c of arr(value)) {
    const type = str(c.type) ?? '';
    if (!READINESS_CONDITIONS.has(type) && !readinessGates.includes(type)) continue;
    const status = str(c.status) ?? 'Unknown';
    // A condition that holds needs no explaining: its reason and message are dropped.
    const explained = status !== 'True';
    out.push({
      type,
      status,
      reason: explained ? str(c.reason) : undefined,
      message: explained ? str(c.message) : undefined,
      lastTransitionTime: str(c.lastTransitionTime),
    });
  }
  return out;
}

export function slimEndpointSlice(raw: Raw): EndpointSlice {
  const meta = slimMeta(raw, 'EndpointSlice', true);
  return {
    kind: 'EndpointSlice',
    meta,
    addressType: str(raw.addressType) ?? '',
    ports: arr(raw.ports).map((p) => ({
      name: typeof p.name === 'string' ? p.name : null,
      port: typeof p.port === 'number' && p.port > 0 ? p.port : undefined,
      protocol: protocol(p.protocol),
    })),
    endpoints: arr(raw.endpoints).map((e) => {
      const c = obj(e.conditions);
      return {
        addresses: strings(e.addresses),
        // Unset conditions read as kube-proxy reads them: ready and serving true, terminating false.
        conditions: {
          ready: c.ready !== false,
          serving: c.serving !== false,
          terminating: c.terminating === true,
        },
        nodeName: str(e.nodeName),
        zone: str(e.zone),
        hintZones: strings(arr(obj(e.hints).forZones).map((z) => z.name)),
        targetRef: slimRef(e.targetRef),
      };
    }),
    serviceName: meta.labels['kubernetes.io/service-name'],
    managedBy: meta.labels['endpointslice.kubernetes.io/managed-by'],
  };
}

function slimAddress(raw: Raw): EndpointAddress | undefined {
  const ip = str(raw.ip);
  return ip ? { ip, nodeName: str(raw.nodeName), targetRef: slimRef(raw.targetRef) } : undefined;
}

export function slimEndpoints(raw: Raw): Endpoints {
  const meta = slimMeta(raw, 'Endpoints', true);
  return {
    kind: 'Endpoints',
    meta,
    subsets: arr(raw.subsets).map((s) => ({
      addresses: arr(s.addresses)
        .map(slimAddress)
        .filter((a): a is EndpointAddress => !!a),
      notReadyAddresses: arr(s.notReadyAddresses)
        .map(slimAddress)
        .filter((a): a is EndpointAddress => !!a),
      ports: arr(s.ports).map((p) => ({
        name: str(p.name) ?? '',
        port: typeof p.port === 'number' ? p.port : 0,
        protocol: protocol(p.protocol),
      })),
    })),
  };
}

export function slimNode(raw: Raw): Node {
  const meta = slimMeta(raw, 'Node', false, false);
  const spec = obj(raw.spec);
  const ready = arr(obj(raw.status).conditions).find((c) => c.type === 'Ready');
  return {
    kind: 'Node',
    meta,
    ready: str(ready?.status) ?? 'Unknown',
    readyMessage: str(ready?.message),
    taints: arr(spec.taints).map((t) => ({ key: str(t.key) ?? '', effect: str(t.effect) ?? '' })),
    unschedulable: spec.unschedulable === true,
    allocatableCpuMillis: cpuMillis(obj(obj(raw.status).allocatable).cpu),
  };
}

const DECIMAL_SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A CPU quantity ("4", "3500m", "0.5", 2) in millicores; undefined when it is not a quantity. */
export function cpuMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(m|[kMGTPE]|[KMGTPE]i)?$/.exec(value.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix === 'm') return Math.round(number);
  const factor = DECIMAL_SUFFIX[suffix] ?? BINARY_SUFFIX[suffix];
  return factor === undefined ? undefined : Math.round(number * factor * 1000);
}
