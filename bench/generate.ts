// A synthetic cluster for the benchmark: Services, Deployment/StatefulSet/Job pods, Nodes, and
// the EndpointSlices and Endpoints the controllers would write for them (test/support/controller.ts).
// Objects look like what a real API server returns: managedFields for kube-controller-manager
// and the kubelet, ownerReferences, annotations, env, resources, probes, volumes, full status.
// Generation is seeded and streamed (emit per object), so the server and the in-process analysis
// build the same cluster without holding two copies of it.

import { controllerEndpoints, controllerSlices } from '../test/support/controller.js';
import { apiserverObjects, node as nodeBuilder, type Raw } from '../test/support/objects.js';
import { matchesSelector } from '../src/core/selectors.js';

export interface ClusterSize {
  services: number;
  pods: number;
  namespaces: number;
  nodes: number;
  seed: number;
}

export interface GeneratedStats {
  objects: Record<string, number>;
  /** Services generated to be broken, per kind of breakage. */
  broken: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: small, fast, good enough for synthetic data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rand, p: number): boolean => r() < p;

function hex(r: Rand, n: number): string {
  let s = '';
  while (s.length < n)
    s += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, n);
}

function uuid(r: Rand): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function podSuffix(r: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[Math.floor(r() * NAME_ALPHABET.length)];
  return s;
}

const BASE_TIME = Date.parse('2026-03-01T12:00:00Z');
function timeAgo(r: Rand, maxDays: number): string {
  return new Date(BASE_TIME - Math.floor(r() * maxDays * 86_400_000)).toISOString().replace(/\.\d+Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------
// managedFields: the FieldsV1 set of an object's fields, keyed the way the API server keys lists

/** List fields whose items the server-side-apply schema merges by key; everything else is atomic. */
const LIST_KEYS: Record<string, (item: Raw) => Raw> = {
  containers: (i) => ({ name: i.name }),
  initContainers: (i) => ({ name: i.name }),
  env: (i) => ({ name: i.name }),
  volumes: (i) => ({ name: i.name }),
  volumeMounts: (i) => ({ mountPath: i.mountPath }),
  ports: (i) =>
    i.containerPort !== undefined
      ? { containerPort: i.containerPort, protocol: i.protocol ?? 'TCP' }
      : { port: i.port, protocol: i.protocol ?? 'TCP' },
  conditions: (i) => ({ type: i.type }),
  podIPs: (i) => ({ ip: i.ip }),
  hostIPs: (i) => ({ ip: i.ip }),
  ownerReferences: (i) => ({ uid: i.uid }),
  addresses: (i) => ({ type: i.type }),
};

function fieldSet(value: Raw, skip: readonly string[] = []): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(value)) {
    if (skip.includes(k)) continue;
    out[`f:${k}`] = fieldValue(k, v);
  }
  return out;
}

function fieldValue(name: string, v: unknown): Raw {
  if (Array.isArray(v)) {
    const key = LIST_KEYS[name];
    if (!key || v.length === 0 || typeof v[0] !== 'object') return {};
    const out: Raw = { '.': {} };
    for (const item of v as Raw[]) out[`k:${JSON.stringify(key(item))}`] = { '.': {}, ...fieldSet(item) };
    return out;
  }
  if (v !== null && typeof v === 'object') {
    const inner = fieldSet(v as Raw);
    return Object.keys(inner).length ? { '.': {}, ...inner } : {};
  }
  return {};
}

function managedEntry(manager: string, time: string, fields: Raw, subresource?: string): Raw {
  return {
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const PARTS_A = [
  'payment',
  'cart',
  'checkout',
  'user',
  'auth',
  'search',
  'catalog',
  'order',
  'invoice',
  'email',
  'notify',
  'report',
  'media',
  'image',
  'profile',
  'session',
  'billing',
  'ledger',
  'inventory',
  'shipping',
  'review',
  'rating',
  'pricing',
  'promo',
  'feed',
  'chat',
  'gateway',
  'audit',
  'metrics',
  'config',
] as const;
const PARTS_B = [
  'api',
  'worker',
  'frontend',
  'backend',
  'service',
  'proxy',
  'cache',
  'db',
  'consumer',
  'scheduler',
  'indexer',
  'sync',
  'web',
  'grpc',
  'admin',
] as const;
const TEAMS = [
  'core',
  'growth',
  'infra',
  'data',
  'mobile',
  'web',
  'platform',
  'risk',
  'ads',
  'ml',
  'ops',
  'search',
  'sre',
  'edge',
  'billing',
  'identity',
] as const;
const REGISTRIES = [
  'registry.example.com',
  'ghcr.io/example',
  'docker.io/example',
  '123456789012.dkr.ecr.us-east-1.amazonaws.com',
];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const INSTANCE_TYPES = ['m6i.2xlarge', 'm6i.4xlarge', 'c6i.4xlarge', 'r6i.2xlarge'];

// ---------------------------------------------------------------------------------------------
// Nodes

interface NodeSlot {
  name: string;
  index: number;
  ready: boolean;
  /** Pod IPs handed out on the node's /24. */
  used: number;
  ip: string;
}

function nodeIndexIP(i: number): string {
  return `10.0.${Math.floor(i / 250)}.${(i % 250) + 4}`;
}

function podIPOn(slot: NodeSlot): string {
  const i = slot.index;
  return `10.${244 + Math.floor(i / 256)}.${i % 256}.${slot.used + 2}`;
}

function makeNode(r: Rand, slot: NodeSlot): Raw {
  const zone = ZONES[slot.index % ZONES.length]!;
  const instance = pick(r, INSTANCE_TYPES);
  const cpu = instance.includes('4xlarge') ? 16 : 8;
  const memKi = cpu * 4 * 1024 * 1024 + int(r, 0, 90000);
  const created = timeAgo(r, 120);
  const heartbeat = '2026-03-01T11:59:30Z';
  const base = nodeBuilder(slot.name, { zone, ready: slot.ready ? 'True' : 'Unknown' });
  const labels = {
    ...base.metadata.labels,
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': instance,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': 'us-east-1',
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': instance,
    'topology.kubernetes.io/region': 'us-east-1',
    'eks.amazonaws.com/nodegroup': `ng-${instance.split('.')[0]}`,
    'eks.amazonaws.com/capacityType': chance(r, 0.3) ? 'SPOT' : 'ON_DEMAND',
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: created,
    reason,
    message,
  });
  const images = Array.from({ length: int(r, 12, 24) }, () => {
    const name = `${pick(r, REGISTRIES)}/${pick(r, PARTS_A)}-${pick(r, PARTS_B)}`;
    return {
      names: [`${name}@sha256:${hex(r, 64)}`, `${name}:v1.${int(r, 0, 40)}.${int(r, 0, 9)}`],
      sizeBytes: int(r, 5e6, 9e8),
    };
  });
  const status: Raw = {
    addresses: [
      { type: 'InternalIP', address: slot.ip },
      { type: 'InternalDNS', address: `ip-${slot.ip.replaceAll('.', '-')}.ec2.internal` },
      { type: 'Hostname', address: `ip-${slot.ip.replaceAll('.', '-')}.ec2.internal` },
    ],
    allocatable: {
      cpu: `${cpu * 1000 - 90}m`,
      'ephemeral-storage': '95491281146',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memKi - 1000000}Ki`,
      pods: '110',
    },
    capacity: {
      cpu: String(cpu),
      'ephemeral-storage': '104845292Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memKi}Ki`,
      pods: '110',
    },
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      slot.ready
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : condition('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    images,
    nodeInfo: {
      architecture: 'amd64',
      bootID: uuid(r),
      containerRuntimeVersion: 'containerd://1.7.22',
      kernelVersion: '6.1.112-124.190.amzn2023.x86_64',
      kubeProxyVersion: 'v1.32.0',
      kubeletVersion: 'v1.32.0',
      machineID: hex(r, 32),
      operatingSystem: 'linux',
      osImage: 'Amazon Linux 2023.6.20241010',
      systemUUID: uuid(r),
    },
  };
  const metadata: Raw = {
    name: slot.name,
    uid: uuid(r),
    creationTimestamp: created,
    labels,
    annotations: {
      'alpha.kubernetes.io/provided-node-ip': slot.ip,
      'node.alpha.kubernetes.io/ttl': '0',
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'ebs.csi.aws.com': `i-${hex(r, 17)}` }),
    },
  };
  const spec: Raw = {
    podCIDR: `10.${244 + Math.floor(slot.index / 256)}.${slot.index % 256}.0/24`,
    podCIDRs: [`10.${244 + Math.floor(slot.index / 256)}.${slot.index % 256}.0/24`],
    providerID: `aws:///${zone}/i-${hex(r, 17)}`,
    ...(slot.ready
      ? {}
      : { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAddedAt: heartbeat }] }),
  };
  metadata.managedFields = [
    managedEntry('kubelet', created, {
      'f:metadata': {
        'f:annotations': fieldValue('annotations', metadata.annotations),
        'f:labels': fieldValue('labels', labels),
      },
    }),
    managedEntry('kube-controller-manager', created, { 'f:spec': fieldSet(spec, ['providerID']) }),
    managedEntry('kubelet', heartbeat, { 'f:status': fieldSet(status, ['images']) }, 'status'),
  ];
  return { apiVersion: 'v1', kind: 'Node', metadata, spec, status };
}

// ---------------------------------------------------------------------------------------------
// Workloads and their pods

type Breakage =
  | 'selector-typo'
  | 'named-port-mismatch'
  | 'numeric-port-undeclared'
  | 'all-pods-crashing'
  | 'scaled-to-zero'
  | 'lb-pending';

interface Workload {
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  ownerName: string;
  ownerUID: string;
  labels: Record<string, string>;
  /** Labels that go into the Service selector. */
  selector: Record<string, string>;
  image: string;
  mainPort: { name: string; port: number };
  metrics: boolean;
  sidecar?: 'envoy' | 'log-shipper';
  nativeSidecar: boolean;
  init: boolean;
  crashing: boolean;
  replicas: number;
  configChecksum: string;
  templateHash: string;
  serviceAccount: string;
  env: Raw[];
  resources: Raw;
  /** kube-controller-manager's managedFields are the same for every pod of the template. */
  managedFields?: Raw;
}

/** The template's env: a few always, a workload-dependent number of others. */
function envFor(r: Rand, w: Workload): Raw[] {
  const env: Raw[] = [
    { name: 'SERVICE_NAME', value: w.name },
    { name: 'PORT', value: String(w.mainPort.port) },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
  ];
  const optional: Raw[] = [
    { name: 'LOG_LEVEL', value: pick(r, ['info', 'info', 'warn', 'debug']) },
    { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc.cluster.local:4317' },
    { name: 'DB_HOST', value: `${w.name}-db.${w.labels['app.kubernetes.io/part-of']}.svc.cluster.local` },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${w.name}-db`, key: 'password' } } },
    { name: 'REDIS_URL', value: 'redis://redis-master.cache.svc.cluster.local:6379/0' },
    {
      name: 'GOMAXPROCS',
      valueFrom: { resourceFieldRef: { containerName: 'app', divisor: '0', resource: 'limits.cpu' } },
    },
    { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -Dfile.encoding=UTF-8' },
    { name: 'FEATURE_FLAGS', value: 'new-checkout,fast-search,async-email' },
  ];
  const extra = int(r, 0, 5);
  for (let i = 0; i < extra; i++) env.push(optional.splice(Math.floor(r() * optional.length), 1)[0]!);
  return env;
}

function containersFor(w: Workload): { containers: Raw[]; initContainers: Raw[] } {
  const ports: Raw[] = [{ name: w.mainPort.name, containerPort: w.mainPort.port, protocol: 'TCP' }];
  if (w.metrics) ports.push({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
  const probe = (path: string, period: number) => ({
    httpGet: { path, port: w.mainPort.name, scheme: 'HTTP' },
    initialDelaySeconds: 5,
    periodSeconds: period,
    timeoutSeconds: 2,
    successThreshold: 1,
    failureThreshold: 3,
  });
  const app: Raw = {
    name: 'app',
    image: w.image,
    imagePullPolicy: 'IfNotPresent',
    ports,
    env: w.env,
    envFrom: [{ configMapRef: { name: `${w.name}-config` } }],
    resources: w.resources,
    livenessProbe: probe('/healthz', 10),
    readinessProbe: probe('/readyz', 5),
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      capabilities: { drop: ['ALL'] },
    },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  const containers = [app];
  const sidecar = (name: string, image: string, port: Raw | undefined): Raw => ({
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    ...(port ? { ports: [port] } : {}),
    args:
      name === 'envoy'
        ? ['--config-path', '/etc/envoy/envoy.yaml', '--log-level', 'warn']
        : ['-c', '/fluent-bit/etc/fluent-bit.conf'],
    resources: { limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
    volumeMounts: [
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  const initContainers: Raw[] = [];
  if (w.sidecar === 'envoy') {
    const c = sidecar('envoy', 'envoyproxy/envoy:v1.31.2', {
      name: 'envoy-admin',
      containerPort: 15000,
      protocol: 'TCP',
    });
    if (w.nativeSidecar) initContainers.push({ ...c, restartPolicy: 'Always' });
    else containers.push(c);
  } else if (w.sidecar === 'log-shipper') {
    containers.push(sidecar('log-shipper', 'fluent/fluent-bit:3.1.9', undefined));
  }
  if (w.init) {
    initContainers.unshift({
      name: 'migrate',
      image: w.image,
      command: ['/app/migrate', '--wait-for-db', '--timeout=120s'],
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
  }
  return { containers, initContainers };
}

type PodCondition =
  | 'ready'
  | 'crash'
  | 'probe-failing'
  | 'image-pull'
  | 'creating'
  | 'unschedulable'
  | 'terminating'
  | 'node-down'
  | 'completed';

interface PodPlan {
  name: string;
  ns: string;
  workload?: Workload;
  job?: { name: string; uid: string };
  slot?: NodeSlot;
  condition: PodCondition;
  nodeCount: number;
}

function containerStatus(r: Rand, c: Raw, ready: boolean, state: Raw, restartCount: number, lastState: Raw = {}): Raw {
  const image = String(c.image);
  return {
    containerID: `containerd://${hex(r, 64)}`,
    image: image.includes('/') ? image : `docker.io/library/${image}`,
    imageID: `${image.split(':')[0]}@sha256:${hex(r, 64)}`,
    lastState,
    name: c.name,
    ready,
    restartCount,
    started: ready || state.running !== undefined,
    state,
  };
}

function makePod(r: Rand, plan: PodPlan): Raw {
  const { ns, condition } = plan;
  const w = plan.workload;
  const created = timeAgo(r, 30);
  const started = created.replace(/:\d\dZ$/, ':59Z');
  const uid = uuid(r);
  const image = w?.image ?? `${REGISTRIES[0]}/batch-report:v2.${int(r, 0, 20)}.0`;

  let containers: Raw[];
  let initContainers: Raw[] = [];
  if (w) ({ containers, initContainers } = containersFor(w));
  else {
    containers = [
      {
        name: 'job',
        image,
        command: ['/app/report', '--since=24h', '--output=s3://reports/daily'],
        imagePullPolicy: 'IfNotPresent',
        resources: { limits: { memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } },
        volumeMounts: [
          { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
        ],
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ];
  }

  const labels: Record<string, string> = w
    ? {
        ...w.labels,
        ...(w.kind === 'Deployment'
          ? { 'pod-template-hash': w.templateHash }
          : {
              'apps.kubernetes.io/pod-index': plan.name.split('-').pop()!,
              'controller-revision-hash': `${w.name}-${w.templateHash}`,
              'statefulset.kubernetes.io/pod-name': plan.name,
            }),
      }
    : {
        'batch.kubernetes.io/controller-uid': plan.job!.uid,
        'batch.kubernetes.io/job-name': plan.job!.name,
        'controller-uid': plan.job!.uid,
        'job-name': plan.job!.name,
      };
  const annotations: Record<string, string> = w
    ? {
        'checksum/config': w.configChecksum,
        'kubectl.kubernetes.io/restartedAt': '2026-02-20T09:14:03Z',
        'prometheus.io/scrape': String(w.metrics),
        ...(w.metrics ? { 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics' } : {}),
        'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true',
      }
    : { 'batch.kubernetes.io/job-tracking': '' };
  const ownerReferences = [
    w
      ? {
          apiVersion: 'apps/v1',
          kind: w.kind === 'Deployment' ? 'ReplicaSet' : 'StatefulSet',
          name: w.ownerName,
          uid: w.ownerUID,
          controller: true,
          blockOwnerDeletion: true,
        }
      : {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: plan.job!.name,
          uid: plan.job!.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
  ];
  const tokenVolume = {
    name: 'kube-api-access',
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
          },
        },
      ],
    },
  };
  const volumes = w
    ? [
        { name: 'config', configMap: { name: `${w.name}-config`, defaultMode: 420 } },
        { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
        tokenVolume,
      ]
    : [tokenVolume];

  const scheduled = condition !== 'unschedulable';
  const slot = scheduled ? plan.slot : undefined;
  const spec: Raw = {
    ...(initContainers.length ? { initContainers } : {}),
    containers,
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: false,
    ...(w?.kind === 'StatefulSet' ? { hostname: plan.name, subdomain: `${w.name}-headless` } : {}),
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: w ? 'Always' : 'Never',
    schedulerName: 'default-scheduler',
    securityContext: { fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    serviceAccount: w?.serviceAccount ?? 'default',
    serviceAccountName: w?.serviceAccount ?? 'default',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ],
    topologySpreadConstraints: w
      ? [
          {
            labelSelector: { matchLabels: w.selector },
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
          },
        ]
      : undefined,
    volumes,
  };
  if (!spec.topologySpreadConstraints) delete spec.topologySpreadConstraints;

  // Status as the kubelet reports it for each condition of the pod.
  const hasIP = slot !== undefined && condition !== 'creating';
  const ip = hasIP ? podIPOn(slot) : undefined;
  if (hasIP) slot.used++;
  const ready = condition === 'ready' || condition === 'terminating';
  const cond = (type: string, status: boolean, extra: Raw = {}) => ({
    lastProbeTime: null,
    lastTransitionTime: type === 'Ready' || type === 'ContainersReady' ? started : created,
    status: status ? 'True' : 'False',
    type,
    ...extra,
  });
  const notReadyWhy = { reason: 'ContainersNotReady', message: `containers with unready status: [app]` };
  let status: Raw;
  if (condition === 'unschedulable') {
    status = {
      conditions: [
        cond('PodScheduled', false, {
          reason: 'Unschedulable',
          message: `0/${plan.nodeCount} nodes are available: ${plan.nodeCount} Insufficient cpu. preemption: 0/${plan.nodeCount} nodes are available: ${plan.nodeCount} No preemption victims found for incoming pod.`,
        }),
      ],
      phase: 'Pending',
      qosClass: 'Burstable',
    };
  } else {
    const appStates: Raw[] = containers.map((c, i) => {
      if (condition === 'completed') {
        return containerStatus(
          r,
          c,
          false,
          {
            terminated: {
              containerID: `containerd://${hex(r, 64)}`,
              exitCode: 0,
              finishedAt: started,
              reason: 'Completed',
              startedAt: created,
            },
          },
          0,
        );
      }
      if (i > 0 || condition === 'ready' || condition === 'terminating')
        return containerStatus(
          r,
          c,
          condition !== 'node-down',
          { running: { startedAt: started } },
          int(r, 0, 1) * int(r, 0, 2),
        );
      switch (condition) {
        case 'crash':
          return containerStatus(
            r,
            c,
            false,
            {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 5m0s restarting failed container=app pod=${plan.name}_${ns}(${uid})`,
              },
            },
            int(r, 6, 140),
            {
              terminated: {
                containerID: `containerd://${hex(r, 64)}`,
                exitCode: 1,
                finishedAt: started,
                reason: 'Error',
                startedAt: started,
              },
            },
          );
        case 'image-pull':
          return containerStatus(
            r,
            c,
            false,
            { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } },
            0,
          );
        case 'creating':
          return containerStatus(r, c, false, { waiting: { reason: 'ContainerCreating' } }, 0);
        default: // probe-failing, node-down
          return containerStatus(r, c, false, { running: { startedAt: started } }, 0);
      }
    });
    const initStates = initContainers.map((c) =>
      c.restartPolicy === 'Always'
        ? containerStatus(r, c, true, { running: { startedAt: created } }, 0)
        : containerStatus(
            r,
            c,
            false,
            {
              terminated: {
                containerID: `containerd://${hex(r, 64)}`,
                exitCode: 0,
                finishedAt: created,
                reason: 'Completed',
                startedAt: created,
              },
            },
            0,
          ),
    );
    const finished = condition === 'completed';
    status = {
      conditions: [
        cond('PodReadyToStartContainers', !finished && condition !== 'creating'),
        cond('Initialized', true, finished ? { reason: 'PodCompleted' } : {}),
        cond(
          'Ready',
          ready,
          finished
            ? { reason: 'PodCompleted' }
            : condition === 'node-down'
              ? { reason: 'NodeNotReady' }
              : ready
                ? {}
                : notReadyWhy,
        ),
        cond('ContainersReady', ready, finished ? { reason: 'PodCompleted' } : ready ? {} : notReadyWhy),
        cond('PodScheduled', true),
      ],
      ...(initStates.length ? { initContainerStatuses: initStates } : {}),
      containerStatuses: appStates,
      hostIP: slot!.ip,
      hostIPs: [{ ip: slot!.ip }],
      phase: finished ? 'Succeeded' : condition === 'creating' ? 'Pending' : 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      qosClass: 'Burstable',
      startTime: created,
    };
  }

  const metadata: Raw = {
    name: plan.name,
    generateName: w?.kind === 'StatefulSet' ? undefined : `${w?.ownerName ?? plan.job!.name}-`,
    namespace: ns,
    uid,
    creationTimestamp: created,
    labels,
    annotations,
    ownerReferences,
    ...(condition === 'terminating'
      ? { deletionTimestamp: '2026-03-01T11:59:50Z', deletionGracePeriodSeconds: 30 }
      : {}),
  };
  if (metadata.generateName === undefined) delete metadata.generateName;
  if (slot) spec.nodeName = slot.name;

  const controllerFields = (): Raw => {
    const compute = () => ({
      'f:metadata': fieldSet(metadata, [
        'name',
        'namespace',
        'uid',
        'creationTimestamp',
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
      ]),
      'f:spec': fieldSet(spec, ['nodeName', 'serviceAccount']),
    });
    return w ? (w.managedFields ??= compute()) : compute();
  };
  const managedFields = [
    managedEntry('kube-controller-manager', created, controllerFields()),
    managedEntry('kubelet', started, { 'f:status': fieldSet(status, ['qosClass']) }, 'status'),
  ];
  if (!scheduled)
    managedFields.push(
      managedEntry(
        'kube-scheduler',
        created,
        { 'f:status': { 'f:conditions': fieldValue('conditions', status.conditions) } },
        'status',
      ),
    );
  metadata.managedFields = managedFields;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

// ---------------------------------------------------------------------------------------------
// Services

interface ServicePlan {
  name: string;
  workload?: Workload;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  headless: boolean;
  breakage?: Breakage;
  metricsPort: boolean;
  numericTarget: boolean;
}

function typoOf(value: string, taken: Set<string>): string {
  // The kinds of slips people make: a swapped pair, a dropped letter, a stale suffix.
  const candidates = [
    value.length > 4 ? value.slice(0, 2) + value[3] + value[2] + value.slice(4) : `${value}x`,
    value.slice(0, -1),
    `${value}-v2`,
    `${value}s`,
  ];
  return candidates.find((c) => c !== value && !taken.has(c)) ?? `${value}-typo`;
}

function makeService(r: Rand, plan: ServicePlan, ns: string, clusterIP: string, taken: Set<string>): Raw {
  const created = timeAgo(r, 200);
  const w = plan.workload;
  const labels: Record<string, string> = w
    ? {
        'app.kubernetes.io/name': w.name,
        'app.kubernetes.io/instance': w.labels['app.kubernetes.io/instance']!,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${w.name}-1.${int(r, 0, 30)}.0`,
      }
    : { 'app.kubernetes.io/name': plan.name };
  const annotations: Record<string, string> = w
    ? { 'meta.helm.sh/release-name': w.labels['app.kubernetes.io/instance']!, 'meta.helm.sh/release-namespace': ns }
    : {};
  let spec: Raw;
  if (plan.type === 'ExternalName') {
    spec = {
      type: 'ExternalName',
      externalName: `${plan.name}.${pick(r, ['rds.amazonaws.com', 'partner.example.com', 'legacy.corp.example.net'])}`,
      sessionAffinity: 'None',
    };
  } else {
    const selector = { ...w!.selector };
    if (plan.breakage === 'selector-typo') {
      const key = Object.keys(selector)[0]!;
      selector[key] = typoOf(selector[key]!, taken);
    }
    let target: string | number = plan.numericTarget ? w!.mainPort.port : w!.mainPort.name;
    if (plan.breakage === 'named-port-mismatch') target = w!.mainPort.name === 'http' ? 'web' : 'http';
    if (plan.breakage === 'numeric-port-undeclared') target = w!.mainPort.port + 1;
    const ports: Raw[] = [
      {
        name: plan.headless ? w!.mainPort.name : 'http',
        port: plan.headless ? w!.mainPort.port : 80,
        protocol: 'TCP',
        targetPort: target,
      },
    ];
    if (plan.metricsPort) ports.push({ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' });
    if (plan.type !== 'ClusterIP') for (const p of ports) p.nodePort = int(r, 30000, 32767);
    const local = plan.type === 'LoadBalancer' && chance(r, 0.4);
    spec = {
      clusterIP: plan.headless ? 'None' : clusterIP,
      clusterIPs: [plan.headless ? 'None' : clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports,
      ...(plan.headless && chance(r, 0.5) ? { publishNotReadyAddresses: true } : {}),
      selector,
      sessionAffinity: 'None',
      type: plan.type,
      ...(plan.type !== 'ClusterIP' ? { externalTrafficPolicy: local ? 'Local' : 'Cluster' } : {}),
      ...(local ? { healthCheckNodePort: int(r, 30000, 32767) } : {}),
      ...(plan.type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
    };
    if (plan.type === 'LoadBalancer') {
      annotations['service.beta.kubernetes.io/aws-load-balancer-type'] = 'external';
      annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'] = 'ip';
      annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] = 'internet-facing';
    }
  }
  const status: Raw =
    plan.type === 'LoadBalancer' && plan.breakage !== 'lb-pending'
      ? {
          loadBalancer: {
            ingress: [
              { hostname: `k8s-${ns.slice(0, 8)}-${plan.name.slice(0, 8)}-${hex(r, 10)}.elb.us-east-1.amazonaws.com` },
            ],
          },
        }
      : { loadBalancer: {} };
  const metadata: Raw = {
    name: plan.name,
    namespace: ns,
    uid: uuid(r),
    creationTimestamp: created,
    labels,
    annotations,
  };
  metadata.managedFields = [
    managedEntry('helm', created, {
      'f:metadata': fieldSet(metadata, ['name', 'namespace', 'uid', 'creationTimestamp']),
      'f:spec': fieldSet(spec, ['clusterIP', 'clusterIPs', 'ipFamilies']),
    }),
    ...(plan.type === 'LoadBalancer'
      ? [managedEntry('aws-load-balancer-controller', created, { 'f:status': fieldSet(status) }, 'status')]
      : []),
  ];
  return { apiVersion: 'v1', kind: 'Service', metadata, spec, status };
}

/** What the controllers write, dressed as the server returns it (uid, timestamps, managedFields). */
function dressControllerObject(r: Rand, o: Raw, created: string): Raw {
  const meta = o.metadata as Raw;
  meta.uid = uuid(r);
  meta.creationTimestamp = created;
  if (o.kind === 'EndpointSlice') meta.generateName = `${meta.labels['kubernetes.io/service-name']}-`;
  meta.annotations = {
    ...meta.annotations,
    'endpoints.kubernetes.io/last-change-trigger-time': '2026-03-01T11:30:00Z',
  };
  const body =
    o.kind === 'EndpointSlice' ? { 'f:addressType': {}, 'f:endpoints': {}, 'f:ports': {} } : { 'f:subsets': {} };
  meta.managedFields = [
    managedEntry('kube-controller-manager', created, {
      'f:metadata': fieldSet(meta, ['name', 'namespace', 'uid', 'creationTimestamp']),
      ...body,
    }),
  ];
  if (o.kind === 'EndpointSlice') meta.managedFields[0].apiVersion = 'discovery.k8s.io/v1';
  return o;
}

// ---------------------------------------------------------------------------------------------
// The cluster

/** Splits `total` into `parts` integers that differ by at most one. */
function spread(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** Rates of what goes wrong; the rest is healthy. */
const RATES = {
  selectorTypo: 0.02,
  namedPortMismatch: 0.015,
  numericPortUndeclared: 0.005,
  allPodsCrashing: 0.01,
  scaledToZero: 0.005,
  lbPending: 0.25, // of LoadBalancer Services
  podCrash: 0.01,
  podProbeFailing: 0.008,
  podImagePull: 0.002,
  podCreating: 0.002,
  podUnschedulable: 0.002,
  podTerminating: 0.003,
  nodeNotReady: 0.01,
  /** Pods no Service selects: finished Job pods. */
  jobPods: 0.08,
};

export function generateCluster(size: ClusterSize, emit: (o: Raw) => void): GeneratedStats {
  const stats: GeneratedStats = { objects: {}, broken: {} };
  const count = (o: Raw) => {
    stats.objects[o.kind] = (stats.objects[o.kind] ?? 0) + 1;
    emit(o);
  };
  const broke = (what: string) => (stats.broken[what] = (stats.broken[what] ?? 0) + 1);

  // Nodes
  const nr = rng(size.seed * 7919 + 1);
  const slots: NodeSlot[] = [];
  const rawNodes = new Map<string, Raw>();
  for (let i = 0; i < size.nodes; i++) {
    const slot: NodeSlot = {
      name: `ip-${nodeIndexIP(i).replaceAll('.', '-')}.ec2.internal`,
      index: i,
      ready: !chance(nr, RATES.nodeNotReady),
      used: 0,
      ip: nodeIndexIP(i),
    };
    slots.push(slot);
    const n = makeNode(nr, slot);
    rawNodes.set(slot.name, n);
    count(n);
  }
  const placeOn = (r: Rand): NodeSlot => {
    let slot = slots[Math.floor(r() * slots.length)]!;
    // A /24 per node: move on when this one is full.
    for (let tries = 0; slot.used >= 250 && tries < slots.length; tries++)
      slot = slots[(slot.index + 1) % slots.length]!;
    if (slot.used >= 250) throw new Error('more pods than the nodes can address: add --nodes');
    return slot;
  };

  for (const o of apiserverObjects()) count(o);

  let serviceIndex = 0;
  for (let n = 0; n < size.namespaces; n++) {
    const r = rng(size.seed * 1_000_003 + n * 7 + 3);
    const team = TEAMS[n % TEAMS.length]!;
    const ns = `${team}-${pick(r, PARTS_A)}-${n}`;
    const nServices = spread(size.services, size.namespaces, n);
    const nPods = spread(size.pods, size.namespaces, n);

    // Services and the workloads behind them; a few workloads get a second (headless) Service.
    const plans: ServicePlan[] = [];
    const workloads: Workload[] = [];
    const taken = new Set<string>();
    const release = `${team}-${pick(r, PARTS_A)}`;
    for (let s = 0; s < nServices; s++) {
      const roll = r();
      const type: ServicePlan['type'] =
        roll < 0.01 ? 'ExternalName' : roll < 0.04 ? 'LoadBalancer' : roll < 0.06 ? 'NodePort' : 'ClusterIP';
      let name = `${pick(r, PARTS_A)}-${pick(r, PARTS_B)}`;
      while (taken.has(name)) name = `${name}-${int(r, 2, 9)}`;
      if (type === 'ExternalName') {
        taken.add(name);
        plans.push({ name, type, headless: false, metricsPort: false, numericTarget: false });
        continue;
      }
      const previous = workloads[workloads.length - 1];
      if (previous && previous.kind === 'StatefulSet' && !taken.has(`${previous.name}-headless`)) {
        // The StatefulSet's governing headless Service.
        name = `${previous.name}-headless`;
        taken.add(name);
        plans.push({
          name,
          workload: previous,
          type: 'ClusterIP',
          headless: true,
          metricsPort: false,
          numericTarget: false,
        });
        continue;
      }
      taken.add(name);
      const kind = chance(r, 0.06) ? 'StatefulSet' : 'Deployment';
      const useAppLabel = chance(r, 0.3);
      const mainPort = pick(r, [
        { name: 'http', port: 8080 },
        { name: 'http', port: 8080 },
        { name: 'http', port: 3000 },
        { name: 'grpc', port: 9000 },
        { name: 'web', port: 5000 },
        { name: 'http', port: 8000 },
      ]);
      const version = `v1.${int(r, 0, 40)}.${int(r, 0, 9)}`;
      const workloadLabels: Record<string, string> = {
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/instance': release,
        'app.kubernetes.io/component': pick(r, ['server', 'worker', 'frontend', 'api']),
        'app.kubernetes.io/part-of': ns,
        'app.kubernetes.io/version': version,
        ...(useAppLabel ? { app: name } : {}),
        team,
      };
      const templateHash = podSuffix(r, 10);
      const w: Workload = {
        name,
        kind,
        ownerName: kind === 'Deployment' ? `${name}-${templateHash}` : name,
        ownerUID: uuid(r),
        labels: workloadLabels,
        selector: useAppLabel
          ? { app: name }
          : { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
        image: `${pick(r, REGISTRIES)}/${name}:${version}`,
        mainPort,
        metrics: chance(r, 0.6),
        sidecar: chance(r, 0.2) ? 'envoy' : chance(r, 0.1) ? 'log-shipper' : undefined,
        nativeSidecar: chance(r, 0.3),
        init: chance(r, 0.15),
        crashing: false,
        replicas: 0,
        configChecksum: hex(r, 64),
        templateHash,
        serviceAccount: chance(r, 0.5) ? name : 'default',
        env: [],
        resources: {
          limits: { cpu: pick(r, ['500m', '1', '2']), memory: pick(r, ['512Mi', '1Gi', '2Gi']) },
          requests: { cpu: pick(r, ['100m', '250m', '500m']), memory: pick(r, ['256Mi', '512Mi', '1Gi']) },
        },
      };
      w.env = envFor(r, w);
      workloads.push(w);
      const plan: ServicePlan = {
        name,
        workload: w,
        type,
        headless: false,
        metricsPort: w.metrics && chance(r, 0.35),
        numericTarget: chance(r, 0.3),
      };
      const b = r();
      let acc = 0;
      const take = (p: number) => ((acc += p), b < acc);
      if (take(RATES.selectorTypo)) plan.breakage = 'selector-typo';
      else if (take(RATES.namedPortMismatch)) plan.breakage = 'named-port-mismatch';
      else if (take(RATES.numericPortUndeclared)) plan.breakage = 'numeric-port-undeclared';
      else if (take(RATES.allPodsCrashing)) plan.breakage = 'all-pods-crashing';
      else if (take(RATES.scaledToZero)) plan.breakage = 'scaled-to-zero';
      else if (type === 'LoadBalancer' && chance(r, RATES.lbPending)) plan.breakage = 'lb-pending';
      if (plan.breakage === 'all-pods-crashing') w.crashing = true;
      if (plan.breakage) broke(plan.breakage);
      plans.push(plan);
    }

    // Pods: job pods no Service selects, the rest spread over the workloads, skewed (a few big ones).
    const jobPods = workloads.length === 0 ? nPods : Math.round(nPods * RATES.jobPods);
    const servedPods = nPods - jobPods;
    const scalable = workloads.filter((w) => !plans.some((p) => p.workload === w && p.breakage === 'scaled-to-zero'));
    if (scalable.length > 0) {
      const weights = scalable.map(() => Math.exp(r() * 2.5));
      const sum = weights.reduce((a, b) => a + b, 0);
      let given = 0;
      scalable.forEach((w, i) => {
        w.replicas = Math.floor((weights[i]! / sum) * servedPods);
        given += w.replicas;
      });
      for (let i = 0; given < servedPods; i = (i + 1) % scalable.length, given++) scalable[i]!.replicas++;
    }
    const podPlans: PodPlan[] = [];
    for (const w of workloads) {
      for (let k = 0; k < w.replicas; k++) {
        const name = w.kind === 'StatefulSet' ? `${w.name}-${k}` : `${w.ownerName}-${podSuffix(r, 5)}`;
        const slot = placeOn(r);
        let condition: PodCondition = 'ready';
        const c = r();
        if (w.crashing) condition = 'crash';
        else if (!slot.ready) condition = 'node-down';
        else if (c < RATES.podCrash) condition = 'crash';
        else if (c < RATES.podCrash + RATES.podProbeFailing) condition = 'probe-failing';
        else if (c < RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull) condition = 'image-pull';
        else if (c < RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull + RATES.podCreating)
          condition = 'creating';
        else if (
          c <
          RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull + RATES.podCreating + RATES.podUnschedulable
        )
          condition = 'unschedulable';
        else if (
          c <
          RATES.podCrash +
            RATES.podProbeFailing +
            RATES.podImagePull +
            RATES.podCreating +
            RATES.podUnschedulable +
            RATES.podTerminating
        )
          condition = 'terminating';
        podPlans.push({ name, ns, workload: w, slot, condition, nodeCount: size.nodes });
      }
    }
    for (let k = 0; k < jobPods; k++) {
      const job = { name: `nightly-report-${29_000_000 + n * 1000 + k}`, uid: uuid(r) };
      podPlans.push({
        name: `${job.name}-${podSuffix(r, 5)}`,
        ns,
        job,
        slot: placeOn(r),
        condition: 'completed',
        nodeCount: size.nodes,
      });
    }

    const rawPods: Raw[] = [];
    for (const p of podPlans) {
      const pod = makePod(r, p);
      rawPods.push(pod);
      count(pod);
    }

    for (const plan of plans) {
      const ip = `10.${96 + (serviceIndex >> 16)}.${(serviceIndex >> 8) & 255}.${serviceIndex & 255}`;
      serviceIndex++;
      const svc = makeService(r, plan, ns, ip, taken);
      count(svc);
      // The controllers see the namespace's pods that the selector picks, and their nodes.
      const selector = svc.spec.selector as Record<string, string> | undefined;
      if (!selector) continue;
      const matched = rawPods.filter((p) => matchesSelector(p.metadata.labels, selector));
      const nodes = [...new Set(matched.map((p) => p.spec.nodeName).filter(Boolean))].map((name) =>
        rawNodes.get(name)!,
      );
      const created = svc.metadata.creationTimestamp;
      for (const s of controllerSlices(svc, matched, nodes)) count(dressControllerObject(r, s, created));
      const endpoints = controllerEndpoints(svc, matched, nodes);
      if (endpoints) count(dressControllerObject(r, endpoints, created));
    }
  }
  return stats;
}
