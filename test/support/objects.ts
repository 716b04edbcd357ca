// Builders for raw Kubernetes objects, shaped as `kubectl get -o json` prints them, so that
// tests go through the same slimming as real input. Defaults describe a healthy pod of the
// "shop" namespace on node-a, with a readiness probe; every field can be overridden.

export type Raw = Record<string, unknown>;

export interface PodOptions {
  ns?: string;
  labels?: Record<string, string>;
  node?: string | null;
  ip?: string | null;
  ips?: string[];
  phase?: string;
  ready?: boolean;
  /** Waiting reason of the first container, e.g. CrashLoopBackOff. Implies not ready. */
  waiting?: string;
  terminating?: boolean;
  containers?: Raw[];
  initContainers?: Raw[];
  readinessGates?: string[];
  conditions?: Raw[];
  status?: Raw;
  spec?: Raw;
}

export function pod(name: string, o: PodOptions = {}): Raw {
  const ready = o.ready ?? !o.waiting;
  const node = o.node === undefined ? 'node-a' : o.node;
  const ips = o.ips ?? (o.ip === null ? [] : [o.ip ?? ipFor(name)]);
  const containers = o.containers ?? [
    {
      name: 'app',
      image: 'shop/app:1',
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    },
  ];
  const status: Raw = {
    phase: o.phase ?? (ips.length ? 'Running' : 'Pending'),
    conditions: o.conditions ?? [
      { type: 'PodScheduled', status: node ? 'True' : 'False' },
      { type: 'ContainersReady', status: ready ? 'True' : 'False' },
      { type: 'Ready', status: ready ? 'True' : 'False' },
    ],
    containerStatuses: containers.map((c, i) => ({
      name: c.name,
      ready,
      restartCount: 0,
      started: true,
      state:
        i === 0 && o.waiting ? { waiting: { reason: o.waiting } } : { running: { startedAt: '2026-11-01T00:00:00Z' } },
    })),
    ...(ips.length ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
    ...o.status,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      uid: `uid-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.terminating ? { deletionTimestamp: '2026-11-01T00:00:00Z' } : {}),
    },
    spec: {
      ...(node ? { nodeName: node } : {}),
      containers,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.readinessGates ? { readinessGates: o.readinessGates.map((conditionType) => ({ conditionType })) } : {}),
      ...o.spec,
    },
    status,
  };
}

/** A pod the scheduler could not place: no node, no IP, PodScheduled False with the scheduler's message. */
export function unschedulablePod(name: string, message: string, o: PodOptions = {}): Raw {
  return pod(name, {
    ip: null,
    node: null,
    ready: false,
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    ...o,
  });
}

let nextIP = 1;
const assigned = new Map<string, string>();

/** Starts the addresses over, as a fresh test file does (check-tables.ts loads many tables in one run). */
export function forgetAddresses(): void {
  nextIP = 1;
  assigned.clear();
}

/** A stable IPv4 address per pod name, so slices and pods agree without spelling IPs out. */
export function ipFor(podName: string): string {
  let ip = assigned.get(podName);
  if (!ip) {
    ip = `10.244.${Math.floor(nextIP / 250)}.${(nextIP % 250) + 2}`;
    nextIP++;
    assigned.set(podName, ip);
  }
  return ip;
}

export interface ServiceOptions {
  ns?: string;
  selector?: Record<string, string> | null;
  ports?: Raw[];
  type?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec?: Raw;
  status?: Raw;
}

export function service(name: string, o: ServiceOptions = {}): Raw {
  const selector = o.selector === undefined ? { app: 'web' } : o.selector;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      uid: `uid-svc-${name}`,
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      type: o.type ?? 'ClusterIP',
      ...(selector ? { selector } : {}),
      ...(o.type === 'ExternalName'
        ? {}
        : { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'] }),
      ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      ...o.spec,
    },
    status: o.status ?? { loadBalancer: {} },
  };
}

/** An ExternalName Service "db" pointing at db.example.com: no selector, no ports. */
export function externalNameService(o: ServiceOptions = {}): Raw {
  return service('db', {
    type: 'ExternalName',
    selector: null,
    ports: [],
    ...o,
    spec: { externalName: 'db.example.com', ...o.spec },
  });
}

export interface SliceEndpointOptions {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  node?: string;
  pod?: string;
  zone?: string;
  hints?: string[];
}

export interface SliceOptions {
  ns?: string;
  name?: string;
  addressType?: string;
  managedBy?: string | null;
  ports?: Raw[];
  endpoints?: SliceEndpointOptions[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function slice(serviceName: string | null, o: SliceOptions = {}): Raw {
  const ns = o.ns ?? 'shop';
  const managedBy = o.managedBy === undefined ? 'endpointslice-controller.k8s.io' : o.managedBy;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: o.name ?? `${serviceName ?? 'orphan'}-abcde`,
      namespace: ns,
      labels: {
        ...(serviceName ? { 'kubernetes.io/service-name': serviceName } : {}),
        ...(managedBy ? { 'endpointslice.kubernetes.io/managed-by': managedBy } : {}),
        ...o.labels,
      },
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    addressType: o.addressType ?? 'IPv4',
    ports: o.ports ?? [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: (o.endpoints ?? []).map((e) => ({
      addresses: [e.ip],
      conditions: {
        ready: e.ready ?? true,
        serving: e.serving ?? e.ready ?? true,
        terminating: e.terminating ?? false,
      },
      ...(e.node ? { nodeName: e.node } : {}),
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.hints ? { hints: { forZones: e.hints.map((name) => ({ name })) } } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: e.pod, uid: `uid-${e.pod}` } } : {}),
    })),
  };
}

/** An endpoint for a pod built by pod(): its IP, node and name. */
export function endpointOf(podName: string, o: Partial<SliceEndpointOptions> = {}): SliceEndpointOptions {
  return { ip: ipFor(podName), node: 'node-a', pod: podName, ...o };
}

export interface EndpointsOptions {
  ns?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  subsets?: Raw[];
}

export function endpoints(name: string, o: EndpointsOptions = {}): Raw {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    subsets: o.subsets ?? [],
  };
}

export interface NodeOptions {
  ready?: 'True' | 'False' | 'Unknown';
  zone?: string;
  taints?: Raw[];
  labels?: Record<string, string>;
  /** status.allocatable.cpu; default '4', null leaves allocatable out. */
  cpu?: string | null;
  unschedulable?: boolean;
}

export function node(name: string, o: NodeOptions = {}): Raw {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(o.zone ? { 'topology.kubernetes.io/zone': o.zone } : {}),
        ...o.labels,
      },
    },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [{ type: 'Ready', status: o.ready ?? 'True' }],
      ...(o.cpu === null ? {} : { allocatable: { cpu: o.cpu ?? '4' } }),
    },
  };
}

/** A v1 Endpoints address for a pod built by pod(), as the Endpoints controller writes it. */
export function addressOf(podName: string, o: { ns?: string; ip?: string; node?: string } = {}): Raw {
  const ns = o.ns ?? 'shop';
  return {
    ip: o.ip ?? ipFor(podName),
    nodeName: o.node ?? 'node-a',
    targetRef: { kind: 'Pod', namespace: ns, name: podName, uid: `uid-${podName}` },
  };
}

/**
 * The kube-apiserver's own default/kubernetes Service as a cluster shows it: selectorless,
 * an Endpoints object labelled skip-mirror, and a slice the apiserver writes itself with
 * only the service-name label (pkg/controlplane/reconcilers/endpointsadapter.go).
 */
export function apiserverObjects(ip = '172.18.0.2'): Raw[] {
  const ports = [{ name: 'https', port: 6443, protocol: 'TCP' }];
  return [
    service('kubernetes', {
      ns: 'default',
      selector: null,
      labels: { component: 'apiserver', provider: 'kubernetes' },
      ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
      spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] },
    }),
    endpoints('kubernetes', {
      ns: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      subsets: [{ addresses: [{ ip }], ports }],
    }),
    slice('kubernetes', { ns: 'default', name: 'kubernetes', managedBy: null, ports, endpoints: [{ ip }] }),
  ];
}

export interface EventOptions {
  /** Warning unless said. */
  type?: 'Warning' | 'Normal';
  count?: number;
  lastSeen?: string;
  /** The involvedObject's uid, when not the object's own (an earlier pod of the same name, a deleted object). */
  uid?: string;
  /** The involvedObject's namespace and the event's, when not the object's. */
  ns?: string;
  source?: string;
}

let eventSequence = 0;

/** A core/v1 Event about `about` (an object built here, which must carry a uid), as the recorder writes it. */
export function event(about: Raw, reason: string, message: string, o: EventOptions = {}): Raw {
  const meta = about.metadata as { name: string; namespace?: string; uid?: string };
  const ns = o.ns ?? meta.namespace ?? 'default';
  eventSequence++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${meta.name}.${eventSequence.toString(16).padStart(16, '0')}`, namespace: ns },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      ...(meta.namespace ? { namespace: ns } : {}),
      name: meta.name,
      uid: o.uid ?? meta.uid,
    },
    reason,
    message,
    type: o.type ?? 'Warning',
    count: o.count ?? 1,
    firstTimestamp: '2026-11-01T09:00:00Z',
    lastTimestamp: o.lastSeen ?? '2026-11-01T10:00:00Z',
    source: { component: o.source ?? 'kubelet' },
  };
}

/** The object with a uid, for kinds built here without one (EndpointSlice, Endpoints). */
export function withUid(raw: Raw, uid: string): Raw {
  return { ...raw, metadata: { ...(raw.metadata as Raw), uid } };
}

/**
 * A List's metadata declaring, as the snapshot command's does, that Events and NetworkPolicies
 * were read: for inputs of tests about neither, a cluster without recent Warnings and without
 * policies rather than one whose Events and policies are unknown (which leaves its Services
 * unjudged by service-warning-events and the networkpolicy-* checks).
 */
export const EVENTS_AND_POLICIES_READ = { annotations: { 'endpoints-doctor/read-kinds': 'Event,NetworkPolicy' } };

export interface WorkloadOptions {
  ns?: string;
  /** The pod template's labels (and, unless `selector` says otherwise, the workload's matchLabels). */
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  /** spec.replicas; null leaves it out (the API server's default is 1). */
  replicas?: number | null;
  paused?: boolean;
  status?: Raw;
  conditions?: Raw[];
  /** The controlling owner, e.g. { kind: 'Deployment', name: 'web' }. */
  owner?: { kind: string; name: string };
  spec?: Raw;
}

/** An apps/v1 workload as `kubectl get -o json` prints it: healthy and fully available unless told otherwise. */
export function workload(
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet',
  name: string,
  o: WorkloadOptions = {},
): Raw {
  const labels = o.labels ?? { app: 'web' };
  const replicas = o.replicas === undefined ? 2 : o.replicas;
  const running = replicas ?? 1;
  const status =
    kind === 'DaemonSet'
      ? {
          desiredNumberScheduled: running,
          currentNumberScheduled: running,
          numberReady: running,
          numberAvailable: running,
        }
      : { replicas: running, readyReplicas: running, availableReplicas: running };
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      uid: `uid-${kind.toLowerCase()}-${name}`,
      ...(o.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: o.owner.kind,
                name: o.owner.name,
                uid: `uid-${o.owner.kind.toLowerCase()}-${o.owner.name}`,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      ...(kind !== 'DaemonSet' && replicas !== null ? { replicas } : {}),
      ...(o.paused ? { paused: true } : {}),
      selector: { matchLabels: { ...(o.selector ?? labels) } },
      template: {
        metadata: { labels: { ...labels } },
        spec: { containers: [{ name: 'app', image: 'shop/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
      ...o.spec,
    },
    status: { ...status, ...(o.conditions ? { conditions: o.conditions } : {}), ...o.status },
  };
}

/** A pod made by a workload: its controlling ownerReference set. */
export function ownedPod(name: string, owner: { kind: string; name: string }, o: PodOptions = {}): Raw {
  const raw = pod(name, o);
  (raw.metadata as Raw).ownerReferences = [
    {
      apiVersion: 'apps/v1',
      kind: owner.kind,
      name: owner.name,
      uid: `uid-${owner.kind.toLowerCase()}-${owner.name}`,
      controller: true,
    },
  ];
  return raw;
}

/**
 * The head of a List that says it read the four workload kinds (the snapshot command's
 * endpoints-doctor/read-kinds annotation): a file of objects without workloads then reads as a
 * live run of a cluster without any, not as input that lacks them.
 */
const READ_WORKLOADS = {
  apiVersion: 'v1',
  kind: 'List',
  metadata: { annotations: { 'endpoints-doctor/read-kinds': 'Deployment,ReplicaSet,StatefulSet,DaemonSet' } },
};

/** The head of a List that says it read Events, the four workload kinds and NetworkPolicies, and found none. */
export const READ_EVENTS_WORKLOADS_AND_POLICIES = {
  ...READ_WORKLOADS,
  metadata: {
    annotations: { 'endpoints-doctor/read-kinds': 'Event,Deployment,ReplicaSet,StatefulSet,DaemonSet,NetworkPolicy' },
  },
};
interface IngressPathOptions {
  host?: string;
  path?: string;
  service: string;
  /** A port name or number; absent: the backend names none. */
  port?: string | number;
}

export interface IngressOptions {
  ns?: string;
  className?: string;
  /** The legacy kubernetes.io/ingress.class annotation instead of spec.ingressClassName. */
  legacyClass?: string;
  paths?: IngressPathOptions[];
  defaultBackend?: { service: string; port?: string | number };
  /** status.loadBalancer.ingress: the addresses its controller published. */
  loadBalancer?: { ip?: string; hostname?: string }[];
}

function ingressBackend(b: { service: string; port?: string | number }): Raw {
  const port = b.port === undefined ? undefined : typeof b.port === 'number' ? { number: b.port } : { name: b.port };
  return { service: { name: b.service, ...(port ? { port } : {}) } };
}

/** An Ingress (networking.k8s.io/v1): one rule per path, in order, with pathType Prefix. */
export function ingress(name: string, o: IngressOptions = {}): Raw {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      uid: `uid-ingress-${name}`,
      ...(o.legacyClass ? { annotations: { 'kubernetes.io/ingress.class': o.legacyClass } } : {}),
    },
    spec: {
      ...(o.className ? { ingressClassName: o.className } : {}),
      ...(o.defaultBackend ? { defaultBackend: ingressBackend(o.defaultBackend) } : {}),
      ...(o.paths
        ? {
            rules: o.paths.map((p) => ({
              ...(p.host ? { host: p.host } : {}),
              http: { paths: [{ path: p.path ?? '/', pathType: 'Prefix', backend: ingressBackend(p) }] },
            })),
          }
        : {}),
    },
    ...(o.loadBalancer ? { status: { loadBalancer: { ingress: o.loadBalancer } } } : {}),
  };
}

export interface WebhookOptions {
  name: string;
  /** clientConfig.service; absent: the webhook is called by URL. */
  service?: { ns: string; name: string; port?: number };
  failurePolicy?: 'Fail' | 'Ignore';
  operations?: string[];
  /** [apiGroup, resource] pairs; by default pods of the core group. */
  resources?: [string, string][];
  namespaceSelector?: Raw;
  objectSelector?: Raw;
}

/** A Validating- (default) or MutatingWebhookConfiguration (admissionregistration.k8s.io/v1). */
export function webhookConfiguration(
  name: string,
  webhooks: WebhookOptions[],
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration' = 'ValidatingWebhookConfiguration',
): Raw {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name, uid: `uid-${kind.toLowerCase()}-${name}` },
    webhooks: webhooks.map((w) => ({
      name: w.name,
      clientConfig: w.service
        ? {
            service: {
              namespace: w.service.ns,
              name: w.service.name,
              ...(w.service.port ? { port: w.service.port } : {}),
            },
          }
        : { url: `https://${w.name}/validate` },
      ...(w.failurePolicy ? { failurePolicy: w.failurePolicy } : {}),
      rules: (w.resources ?? [['', 'pods']]).map(([group, resource]) => ({
        operations: w.operations ?? ['CREATE', 'UPDATE'],
        apiGroups: [group],
        apiVersions: ['v1'],
        resources: [resource],
      })),
      ...(w.namespaceSelector ? { namespaceSelector: w.namespaceSelector } : {}),
      ...(w.objectSelector ? { objectSelector: w.objectSelector } : {}),
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    })),
  };
}

export interface APIServiceOptions {
  /** spec.service; absent: served by kube-apiserver itself (Local). */
  service?: { ns: string; name: string; port?: number };
  /** The Available condition. */
  available?: { status: string; reason?: string; message?: string };
}

/** An APIService (apiregistration.k8s.io/v1) named VERSION.GROUP. */
export function apiService(name: string, o: APIServiceOptions = {}): Raw {
  const dot = name.indexOf('.');
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name, uid: `uid-apiservice-${name}` },
    spec: {
      version: name.slice(0, dot),
      group: name.slice(dot + 1),
      ...(o.service
        ? {
            service: {
              namespace: o.service.ns,
              name: o.service.name,
              ...(o.service.port ? { port: o.service.port } : {}),
            },
          }
        : {}),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
    ...(o.available ? { status: { conditions: [{ type: 'Available', ...o.available }] } } : {}),
  };
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** A backendRef: a Service of the route's namespace unless it says otherwise. */
interface BackendRefOptions {
  name: string;
  ns?: string;
  /** Absent: the ref names none (the API requires one for a Service). */
  port?: number;
  weight?: number;
  group?: string;
  kind?: string;
}

interface RouteRuleOptions {
  name?: string;
  /** HTTPRoute: the match's path (PathPrefix). */
  path?: string;
  /** GRPCRoute: the match's method. */
  method?: { service?: string; method?: string };
  backendRefs: BackendRefOptions[];
}

export interface RouteOptions {
  ns?: string;
  rules?: RouteRuleOptions[];
  /** The ResolvedRefs condition its Gateway's controller set. */
  resolvedRefs?: { status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string };
}

type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'UDPRoute';

/** A Gateway API route attached to Gateway shop-gateway of namespace gateway. */
export function route(kind: RouteKind, name: string, o: RouteOptions = {}): Raw {
  const version = kind === 'HTTPRoute' || kind === 'GRPCRoute' ? 'v1' : 'v1alpha2';
  const parentRef = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: 'gateway', name: 'shop-gateway' };
  return {
    apiVersion: `${GATEWAY_GROUP}/${version}`,
    kind,
    metadata: { name, namespace: o.ns ?? 'shop', uid: `uid-${kind.toLowerCase()}-${name}` },
    spec: {
      parentRefs: [parentRef],
      rules: (o.rules ?? []).map((r) => ({
        ...(r.name ? { name: r.name } : {}),
        ...(r.path !== undefined ? { matches: [{ path: { type: 'PathPrefix', value: r.path } }] } : {}),
        ...(r.method ? { matches: [{ method: r.method }] } : {}),
        backendRefs: r.backendRefs.map((b) => ({
          ...(b.group !== undefined ? { group: b.group } : {}),
          ...(b.kind !== undefined ? { kind: b.kind } : {}),
          name: b.name,
          ...(b.ns !== undefined ? { namespace: b.ns } : {}),
          ...(b.port !== undefined ? { port: b.port } : {}),
          ...(b.weight !== undefined ? { weight: b.weight } : {}),
        })),
      })),
    },
    ...(o.resolvedRefs
      ? {
          status: {
            parents: [
              {
                parentRef,
                controllerName: 'example.com/gateway-controller',
                conditions: [
                  { type: 'Accepted', status: 'True', reason: 'Accepted' },
                  { type: 'ResolvedRefs', ...o.resolvedRefs },
                ],
              },
            ],
          },
        }
      : {}),
  };
}

export function httpRoute(name: string, o: RouteOptions = {}): Raw {
  return route('HTTPRoute', name, o);
}

export interface GatewayOptions {
  ns?: string;
  className?: string;
  /** status.addresses, as the implementation wrote them (`type` absent: IPAddress, the CRD's default). */
  addresses?: { type?: string; value: string }[];
}

/** A Gateway (gateway.networking.k8s.io/v1), shop-gateway of namespace gateway unless named otherwise, with one HTTP listener. */
export function gateway(name = 'shop-gateway', o: GatewayOptions = {}): Raw {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: o.ns ?? 'gateway', uid: `uid-gateway-${name}` },
    spec: {
      gatewayClassName: o.className ?? 'example',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    },
    ...(o.addresses ? { status: { addresses: o.addresses } } : {}),
  };
}

export interface ReferenceGrantOptions {
  ns?: string;
  from: { group?: string; kind: string; namespace: string }[];
  to: { group?: string; kind: string; name?: string }[];
}

/** A ReferenceGrant (gateway.networking.k8s.io/v1beta1); `from` entries of the Gateway API group unless they say otherwise. */
export function referenceGrant(name: string, o: ReferenceGrantOptions): Raw {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1beta1`,
    kind: 'ReferenceGrant',
    metadata: { name, namespace: o.ns ?? 'shop', uid: `uid-referencegrant-${name}` },
    spec: {
      from: o.from.map((f) => ({ group: f.group ?? GATEWAY_GROUP, kind: f.kind, namespace: f.namespace })),
      to: o.to.map((t) => ({ group: t.group ?? '', kind: t.kind, ...(t.name ? { name: t.name } : {}) })),
    },
  };
}

/** A NetworkPolicy (networking.k8s.io/v1) with `spec` as written: absent fields are left to the API's defaults. */
export function networkPolicy(name: string, spec: Raw, o: { ns?: string } = {}): Raw {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: o.ns ?? 'shop', uid: `uid-networkpolicy-${name}` },
    spec,
  };
}

/** A Namespace with its labels; kubernetes.io/metadata.name as the API server sets it, unless `labels` says otherwise. */
export function namespace(name: string, labels: Record<string, string> = {}): Raw {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `uid-namespace-${name}`, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/**
 * The cluster DNS as kubeadm sets it up: Service kube-system/kube-dns on port 53, UDP and TCP, in
 * front of pod coredns-1 labelled k8s-app=kube-dns
 * (https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/).
 */
export function clusterDns(): [service: Raw, pod: Raw] {
  return [
    service('kube-dns', {
      ns: 'kube-system',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      ],
    }),
    pod('coredns-1', {
      ns: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      containers: [
        {
          name: 'coredns',
          image: 'coredns:1',
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          ],
        },
      ],
    }),
  ];
}
