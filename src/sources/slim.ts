// Converts raw Kubernetes JSON (from the API or a snapshot file) into the slim model objects,
// applying the API server's defaults (protocol TCP, targetPort = port, type ClusterIP...) so
// that checks see what the cluster sees. Throws SlimError for objects no check can use: no name,
// or a field the checks read with the wrong type.

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
  ServicePort,
  ServiceType,
} from '../core/objects.js';

/**
 * An object no check can use: a field the checks read has the wrong type, or the name is
 * missing. `object` names it ("Service shop/web") when its metadata allows; `problem` says what
 * is wrong ("spec.selector must be a map of strings, got string").
 */
export class SlimError extends Error {
  constructor(
    readonly problem: string,
    readonly object?: string,
  ) {
    super(object ? `${object}: ${problem}` : problem);
  }
}

/**
 * A field of the wrong type, `field` relative to where it was read: lists prefix their index on
 * the way up, so the happy path builds no path strings. Kubernetes decodes objects into typed Go
 * structs, where such a field is a decoding error (kubectl and the API server reject it), not a
 * default: here too it is bad input, never coerced.
 */
class FieldError extends Error {
  constructor(
    public field: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super();
  }
}

type Raw = Record<string, unknown>;

/** The kinds endpoints-doctor reads; anything else in an input is skipped with a note. */
export const KNOWN_KINDS = ['Service', 'Pod', 'EndpointSlice', 'Endpoints', 'Node'] as const;
export type KnownKind = (typeof KNOWN_KINDS)[number];

export function isKnownKind(kind: unknown): kind is KnownKind {
  return typeof kind === 'string' && (KNOWN_KINDS as readonly string[]).includes(kind);
}

export function slimObject(kind: KnownKind, raw: Raw): ClusterObject {
  try {
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
  } catch (e) {
    if (e instanceof SlimError && e.object === undefined) throw new SlimError(e.problem, describeObject(kind, raw));
    throw e;
  }
}

/** "Service shop/web", or the kind alone when the name cannot be read. */
function describeObject(kind: string, raw: Raw): string {
  const meta = raw.metadata as Raw | undefined;
  const name = meta?.name;
  if (typeof name !== 'string' || name === '') return kind;
  const namespace = meta?.namespace;
  return `${kind} ${typeof namespace === 'string' && namespace !== '' ? `${quoteName(namespace)}/` : ''}${quoteName(name)}`;
}

/** A name as a message shows it: JSON-quoted (control characters escaped) unless it is plain name characters. */
export function quoteName(name: string): string {
  return /^[-A-Za-z0-9_.]+$/.test(name) ? name : JSON.stringify(name);
}

/** A slimming step whose FieldErrors become the SlimError callers see. */
function checked<T>(slim: (raw: Raw) => T): (raw: Raw) => T {
  return (raw) => {
    try {
      return slim(raw);
    } catch (e) {
      if (e instanceof FieldError) throw new SlimError(`${e.field} must be ${e.expected}, got ${e.got}`);
      throw e;
    }
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : typeof value;
}

// Readers of one field each. An absent field (undefined, or null as Kubernetes' JSON decoding
// reads it) gets the default; a present one of another type throws a FieldError.

const EMPTY: Raw = Object.freeze({}) as Raw;

function fields(value: unknown, field: string): Raw {
  if (value === undefined || value === null) return EMPTY;
  if (typeof value !== 'object' || Array.isArray(value)) throw new FieldError(field, 'a map', typeName(value));
  return value as Raw;
}

function list<T>(value: unknown, field: string, each: (item: Raw) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, 'a list', typeName(value));
  const out: T[] = [];
  let i = 0;
  try {
    for (; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object' || Array.isArray(item))
        throw new FieldError('', 'a map', typeName(item));
      out.push(each(item as Raw));
    }
  } catch (e) {
    if (e instanceof FieldError) e.field = e.field ? `${field}[${i}].${e.field}` : `${field}[${i}]`;
    throw e;
  }
  return out;
}

/** A string; "" reads as absent, as Kubernetes' omitempty writes it. */
function str(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'a string', typeName(value));
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, 'a list of strings', typeName(value));
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw new FieldError(`${field}[${i}]`, 'a string', typeName(item));
    if (item !== '') out.push(item);
  }
  return out;
}

function int(value: unknown, field: string): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'an integer', typeof value === 'number' ? 'a fraction' : typeName(value));
}

function bool(value: unknown, field: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'true or false', typeName(value));
}

/**
 * Sets a key as own data, "__proto__" included (assigning it would set the prototype, or do
 * nothing). Maps keep Object's prototype: objects without one are dictionaries to V8, and the
 * checks' label lookups over 100,000 pods ran 6% slower on them; readers use Object.hasOwn.
 */
export function setOwnKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** A map of strings (labels, annotations, a selector): every key own data, "constructor" and "__proto__" too. */
function stringMap(value: unknown, field: string): Labels {
  const out: Labels = {};
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new FieldError(field, 'a map of strings', typeName(value));
  for (const key of Object.keys(value)) {
    const v = (value as Raw)[key];
    if (typeof v === 'string') setOwnKey(out, key, v);
    else if (v === null) setOwnKey(out, key, '');
    else throw new FieldError(`${field}.${key}`, 'a string', typeName(v));
  }
  return out;
}

function protocol(value: unknown, field: string): Protocol {
  const p = str(value, field);
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

/** Pods and Nodes are the bulk of a cluster and no check reads their annotations: they are not kept. */
const NO_ANNOTATIONS: Labels = Object.freeze({});

function slimMeta(raw: Raw, namespaced: boolean, keepAnnotations = true): ObjectMeta {
  const m = fields(raw.metadata, 'metadata');
  const name = str(m.name, 'metadata.name');
  if (!name) throw new SlimError('metadata.name is missing');
  return {
    namespace: namespaced ? (str(m.namespace, 'metadata.namespace') ?? 'default') : '',
    name,
    uid: str(m.uid, 'metadata.uid'),
    labels: stringMap(m.labels, 'metadata.labels'),
    annotations: keepAnnotations ? stringMap(m.annotations, 'metadata.annotations') : NO_ANNOTATIONS,
    creationTimestamp: str(m.creationTimestamp, 'metadata.creationTimestamp'),
    deletionTimestamp: str(m.deletionTimestamp, 'metadata.deletionTimestamp'),
  };
}

function slimRef(value: unknown, field: string): ObjectRef | undefined {
  const r = fields(value, field);
  const name = str(r.name, `${field}.name`);
  if (!name) return undefined;
  return {
    kind: str(r.kind, `${field}.kind`) ?? '',
    namespace: str(r.namespace, `${field}.namespace`),
    name,
    uid: str(r.uid, `${field}.uid`),
  };
}

const SERVICE_TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export const slimService = checked(function slimService(raw: Raw): Service {
  const meta = slimMeta(raw, true);
  const spec = fields(raw.spec, 'spec');
  const selector = stringMap(spec.selector, 'spec.selector');
  const type = str(spec.type, 'spec.type');
  const status = fields(raw.status, 'status');
  return {
    kind: 'Service',
    meta,
    type: type && SERVICE_TYPES.includes(type) ? (type as ServiceType) : 'ClusterIP',
    selector: Object.keys(selector).length > 0 ? selector : null,
    clusterIP: str(spec.clusterIP, 'spec.clusterIP'),
    clusterIPs: strings(spec.clusterIPs, 'spec.clusterIPs'),
    ipFamilies: strings(spec.ipFamilies, 'spec.ipFamilies').filter(
      (f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6',
    ),
    ports: list(spec.ports, 'spec.ports', slimServicePort),
    externalName: str(spec.externalName, 'spec.externalName'),
    externalIPs: strings(spec.externalIPs, 'spec.externalIPs'),
    publishNotReadyAddresses: bool(spec.publishNotReadyAddresses, 'spec.publishNotReadyAddresses') === true,
    internalTrafficPolicy:
      str(spec.internalTrafficPolicy, 'spec.internalTrafficPolicy') === 'Local' ? 'Local' : 'Cluster',
    externalTrafficPolicy:
      str(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy') === 'Local' ? 'Local' : 'Cluster',
    loadBalancerClass: str(spec.loadBalancerClass, 'spec.loadBalancerClass'),
    loadBalancerIngress: list(
      fields(status.loadBalancer, 'status.loadBalancer').ingress,
      'status.loadBalancer.ingress',
      (i) => ({
        ip: str(i.ip, 'ip'),
        hostname: str(i.hostname, 'hostname'),
        ipMode: str(i.ipMode, 'ipMode'),
      }),
    ),
    trafficDistribution: str(spec.trafficDistribution, 'spec.trafficDistribution'),
  };
});

function slimServicePort(p: Raw): ServicePort {
  const port = int(p.port, 'port') ?? 0;
  const target = p.targetPort;
  // SetDefaults_Service: a missing, 0 or "" targetPort becomes port. IntOrString: a number or a string.
  let targetPort: number | string;
  if (typeof target === 'number') targetPort = int(target, 'targetPort') || port;
  else if (typeof target === 'string')
    targetPort = target === '' ? port : /^\d+$/.test(target) ? Number(target) : target;
  else if (target === undefined || target === null) targetPort = port;
  else throw new FieldError('targetPort', 'a number or a string', typeName(target));
  return {
    name: str(p.name, 'name') ?? '',
    port,
    protocol: protocol(p.protocol, 'protocol'),
    targetPort,
    nodePort: int(p.nodePort, 'nodePort'),
  };
}

function slimContainer(raw: Raw): Container {
  return {
    name: str(raw.name, 'name') ?? '',
    ports: list(raw.ports, 'ports', (p): ContainerPort => ({
      name: str(p.name, 'name'),
      containerPort: int(p.containerPort, 'containerPort') ?? 0,
      protocol: protocol(p.protocol, 'protocol'),
    })),
    hasReadinessProbe: fields(raw.readinessProbe, 'readinessProbe') !== EMPTY,
    hasStartupProbe: fields(raw.startupProbe, 'startupProbe') !== EMPTY,
  };
}

function slimContainerStatus(raw: Raw): ContainerStatus {
  const state = fields(raw.state, 'state');
  const waiting = fields(state.waiting, 'state.waiting');
  const terminated = fields(state.terminated, 'state.terminated');
  const running = fields(state.running, 'state.running');
  const last = fields(fields(raw.lastState, 'lastState').terminated, 'lastState.terminated');
  const [current, at] = waiting !== EMPTY ? [waiting, 'state.waiting'] : [terminated, 'state.terminated'];
  return {
    name: str(raw.name, 'name') ?? '',
    ready: bool(raw.ready, 'ready') === true,
    started: bool(raw.started, 'started'),
    restartCount: int(raw.restartCount, 'restartCount') ?? 0,
    state:
      waiting !== EMPTY ? 'waiting' : running !== EMPTY ? 'running' : terminated !== EMPTY ? 'terminated' : 'unknown',
    reason: str(current.reason, `${at}.reason`),
    message: str(current.message, `${at}.message`),
    exitCode: int(current.exitCode, `${at}.exitCode`),
    lastTerminationReason: str(last.reason, 'lastState.terminated.reason'),
    lastExitCode: int(last.exitCode, 'lastState.terminated.exitCode'),
  };
}

export const slimPod = checked(function slimPod(raw: Raw): Pod {
  const meta = slimMeta(raw, true, false);
  const spec = fields(raw.spec, 'spec');
  const status = fields(raw.status, 'status');
  const initContainers = list(spec.initContainers, 'spec.initContainers', (c) => ({
    name: str(c.name, 'name') ?? '',
    sidecar: str(c.restartPolicy, 'restartPolicy') === 'Always' ? slimContainer(c) : undefined,
  }));
  const podIPs = list(status.podIPs, 'status.podIPs', (p) => str(p.ip, 'ip')).filter((ip): ip is string => !!ip);
  const podIP = str(status.podIP, 'status.podIP');
  if (podIP && !podIPs.includes(podIP)) podIPs.unshift(podIP);
  const readinessGates = list(spec.readinessGates, 'spec.readinessGates', (g) =>
    str(g.conditionType, 'conditionType'),
  ).filter((t): t is string => !!t);
  return {
    kind: 'Pod',
    meta,
    nodeName: str(spec.nodeName, 'spec.nodeName'),
    hostname: str(spec.hostname, 'spec.hostname'),
    subdomain: str(spec.subdomain, 'spec.subdomain'),
    containers: list(spec.containers, 'spec.containers', slimContainer),
    sidecars: initContainers.flatMap((c) => (c.sidecar ? [c.sidecar] : [])),
    initContainerNames: initContainers.map((c) => c.name),
    readinessGates,
    phase: str(status.phase, 'status.phase') ?? 'Unknown',
    reason: str(status.reason, 'status.reason'),
    podIPs,
    conditions: slimPodConditions(status.conditions, readinessGates),
    containerStatuses: list(status.containerStatuses, 'status.containerStatuses', slimContainerStatus),
    initContainerStatuses: list(status.initContainerStatuses, 'status.initContainerStatuses', slimContainerStatus),
  };
});

/** The conditions that decide or explain readiness; the others weigh a lot over 100,000 pods. */
const READINESS_CONDITIONS = new Set(['Ready', 'ContainersReady', 'PodScheduled']);

function slimPodConditions(value: unknown, readinessGates: string[]): PodCondition[] {
  const out: PodCondition[] = [];
  list(value, 'status.conditions', (c) => {
    const type = str(c.type, 'type') ?? '';
    if (!READINESS_CONDITIONS.has(type) && !readinessGates.includes(type)) return;
    const status = str(c.status, 'status') ?? 'Unknown';
    // A condition that holds needs no explaining: its reason and message are dropped.
    const explained = status !== 'True';
    out.push({
      type,
      status,
      reason: explained ? str(c.reason, 'reason') : undefined,
      message: explained ? str(c.message, 'message') : undefined,
      lastTransitionTime: str(c.lastTransitionTime, 'lastTransitionTime'),
    });
  });
  return out;
}

export const slimEndpointSlice = checked(function slimEndpointSlice(raw: Raw): EndpointSlice {
  const meta = slimMeta(raw, true);
  return {
    kind: 'EndpointSlice',
    meta,
    addressType: str(raw.addressType, 'addressType') ?? '',
    ports: list(raw.ports, 'ports', (p) => {
      const port = int(p.port, 'port');
      return {
        // "" is a name here (an unnamed port), unlike an absent name.
        name: typeof p.name === 'string' ? p.name : (str(p.name, 'name') ?? null),
        port: port !== undefined && port > 0 ? port : undefined,
        protocol: protocol(p.protocol, 'protocol'),
      };
    }),
    endpoints: list(raw.endpoints, 'endpoints', (e) => {
      const c = fields(e.conditions, 'conditions');
      return {
        addresses: strings(e.addresses, 'addresses'),
        // Unset conditions read as kube-proxy reads them: ready and serving true, terminating false.
        conditions: {
          ready: bool(c.ready, 'conditions.ready') !== false,
          serving: bool(c.serving, 'conditions.serving') !== false,
          terminating: bool(c.terminating, 'conditions.terminating') === true,
        },
        nodeName: str(e.nodeName, 'nodeName'),
        zone: str(e.zone, 'zone'),
        hintZones: list(fields(e.hints, 'hints').forZones, 'hints.forZones', (z) => str(z.name, 'name')).filter(
          (z): z is string => !!z,
        ),
        targetRef: slimRef(e.targetRef, 'targetRef'),
      };
    }),
    serviceName: meta.labels['kubernetes.io/service-name'],
    managedBy: meta.labels['endpointslice.kubernetes.io/managed-by'],
  };
});

function slimAddress(raw: Raw): EndpointAddress | undefined {
  const ip = str(raw.ip, 'ip');
  const nodeName = str(raw.nodeName, 'nodeName');
  const targetRef = slimRef(raw.targetRef, 'targetRef');
  return ip ? { ip, nodeName, targetRef } : undefined;
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

export const slimEndpoints = checked(function slimEndpoints(raw: Raw): Endpoints {
  const meta = slimMeta(raw, true);
  return {
    kind: 'Endpoints',
    meta,
    subsets: list(raw.subsets, 'subsets', (s) => ({
      addresses: list(s.addresses, 'addresses', slimAddress).filter(present),
      notReadyAddresses: list(s.notReadyAddresses, 'notReadyAddresses', slimAddress).filter(present),
      ports: list(s.ports, 'ports', (p) => ({
        name: str(p.name, 'name') ?? '',
        port: int(p.port, 'port') ?? 0,
        protocol: protocol(p.protocol, 'protocol'),
      })),
    })),
  };
});

export const slimNode = checked(function slimNode(raw: Raw): Node {
  const meta = slimMeta(raw, false, false);
  const spec = fields(raw.spec, 'spec');
  const status = fields(raw.status, 'status');
  const conditions = list(status.conditions, 'status.conditions', (c) => ({
    type: str(c.type, 'type'),
    status: str(c.status, 'status'),
    message: str(c.message, 'message'),
  }));
  const ready = conditions.find((c) => c.type === 'Ready');
  const cpu = fields(status.allocatable, 'status.allocatable').cpu;
  if (cpu !== undefined && cpu !== null && typeof cpu !== 'string' && typeof cpu !== 'number') {
    throw new FieldError('status.allocatable.cpu', 'a quantity (a string or a number)', typeName(cpu));
  }
  return {
    kind: 'Node',
    meta,
    ready: ready?.status ?? 'Unknown',
    readyMessage: ready?.message,
    taints: list(spec.taints, 'spec.taints', (t) => ({
      key: str(t.key, 'key') ?? '',
      effect: str(t.effect, 'effect') ?? '',
    })),
    unschedulable: bool(spec.unschedulable, 'spec.unschedulable') === true,
    allocatableCpuMillis: cpuMillis(cpu),
  };
});

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
