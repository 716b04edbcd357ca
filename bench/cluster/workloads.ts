// Workloads (Deployments and StatefulSets) of the synthetic cluster: what their pod template
// holds, how a Service may be broken on purpose, and the apps/v1 objects themselves (a
// Deployment with its current ReplicaSet and the old ones its revision history keeps, or a
// StatefulSet), full pod template included, as the API server returns them.

import type { Raw } from '../../test/support/objects.js';
import { int, pick, podSuffix, timeAgo, uuid, type Rand } from './random.js';

export type Breakage =
  | 'selector-typo'
  | 'named-port-mismatch'
  | 'numeric-port-undeclared'
  | 'all-pods-crashing'
  | 'scaled-to-zero'
  | 'cannot-create-pods'
  | 'lb-pending';

export interface Workload {
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
export function envFor(r: Rand, w: Workload): Raw[] {
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
  for (let i = 0; i < extra; i++) env.push(optional.splice(Math.floor(r() * optional.length), 1)[0]);
  return env;
}

export function containersFor(w: Workload): { containers: Raw[]; initContainers: Raw[] } {
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
    // Stateful servers (databases, brokers) are usually probed by connecting to their port.
    readinessProbe:
      w.kind === 'StatefulSet'
        ? { tcpSocket: { port: w.mainPort.name }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 }
        : probe('/readyz', 5),
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
    const c: Raw = {
      ...sidecar('envoy', 'envoyproxy/envoy:v1.31.2', { name: 'envoy-admin', containerPort: 15000, protocol: 'TCP' }),
      // Envoy's admin interface answers /ready once its listeners are up.
      readinessProbe: { httpGet: { path: '/ready', port: 'envoy-admin', scheme: 'HTTP' }, periodSeconds: 5 },
    };
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

/** The pod template of the workload's pods: their labels (without per-pod ones) and spec. */
function podTemplate(w: Workload, extraLabels: Record<string, string> = {}): Raw {
  const { containers, initContainers } = containersFor(w);
  return {
    metadata: { labels: { ...w.labels, ...extraLabels } },
    spec: {
      containers,
      ...(initContainers.length ? { initContainers } : {}),
      serviceAccountName: w.serviceAccount,
      volumes: [
        { name: 'config', configMap: { name: `${w.name}-config`, defaultMode: 420 } },
        { name: 'tmp', emptyDir: {} },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    },
  };
}

/** A condition as the controllers write it. */
function condition(type: string, status: string, reason: string, message: string, at: string): Raw {
  return { type, status, reason, message, lastTransitionTime: at, lastUpdateTime: at };
}

/**
 * The apps/v1 objects behind a workload. `ready` of its `replicas` pods are ready. A Deployment
 * comes with its current ReplicaSet (the owner its pods name) and up to three old ones at 0
 * replicas, as revisionHistoryLimit keeps them; `cannot-create-pods` gives the current one the
 * ReplicaFailure condition of a quota the pods exceed, copied to the Deployment.
 */
export function workloadObjects(r: Rand, w: Workload, ns: string, ready: number, breakage?: Breakage): Raw[] {
  const created = timeAgo(r, 300);
  const replicas = breakage === 'cannot-create-pods' ? int(r, 2, 5) : w.replicas;
  const meta = (kind: string, name: string, uid: string, extra: Raw = {}): Raw => ({
    name,
    namespace: ns,
    uid,
    resourceVersion: String(int(r, 100_000, 99_999_999)),
    generation: int(r, 1, 40),
    creationTimestamp: created,
    labels: w.labels,
    annotations:
      kind === 'Deployment'
        ? { 'deployment.kubernetes.io/revision': String(int(r, 1, 30)), 'meta.helm.sh/release-name': ns }
        : kind === 'ReplicaSet'
          ? {
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + 1),
            }
          : { 'meta.helm.sh/release-name': ns },
    ...extra,
  });
  const status = (current: number, readyNow: number) => ({
    observedGeneration: 1,
    replicas: current,
    readyReplicas: readyNow,
    availableReplicas: readyNow,
    ...(current > 0 ? { fullyLabeledReplicas: current } : {}),
  });
  if (w.kind === 'StatefulSet') {
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta('StatefulSet', w.name, w.ownerUID),
        spec: {
          replicas,
          serviceName: `${w.name}-headless`,
          selector: { matchLabels: w.selector },
          template: podTemplate(w),
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          revisionHistoryLimit: 10,
        },
        status: { ...status(w.replicas, ready), currentRevision: `${w.name}-${w.templateHash}` },
      },
    ];
  }
  const deploymentUID = uuid(r);
  const failure =
    breakage === 'cannot-create-pods'
      ? condition(
          'ReplicaFailure',
          'True',
          'FailedCreate',
          `pods "${w.ownerName}-${podSuffix(r, 5)}" is forbidden: exceeded quota: compute-resources, requested: limits.cpu=${String((w.resources.limits as Raw).cpu)}, used: limits.cpu=64, limited: limits.cpu=64`,
          created,
        )
      : undefined;
  const owner = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: w.name,
      uid: deploymentUID,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const replicaSet = (
    name: string,
    uid: string,
    hash: string,
    count: number,
    readyNow: number,
    conditions?: Raw[],
  ): Raw => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('ReplicaSet', name, uid, { ownerReferences: owner }),
    spec: {
      replicas: count,
      selector: { matchLabels: { ...w.selector, 'pod-template-hash': hash } },
      template: podTemplate(w, { 'pod-template-hash': hash }),
    },
    status: { ...status(count, readyNow), ...(conditions ? { conditions } : {}) },
  });
  const old = Array.from({ length: int(r, 0, 3) }, () => {
    const hash = podSuffix(r, 10);
    return replicaSet(`${w.name}-${hash}`, uuid(r), hash, 0, 0);
  });
  const available = ready > 0 || replicas === 0;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('Deployment', w.name, deploymentUID),
      spec: {
        replicas,
        selector: { matchLabels: w.selector },
        template: podTemplate(w),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        ...status(w.replicas, ready),
        updatedReplicas: w.replicas,
        conditions: [
          condition(
            'Available',
            available ? 'True' : 'False',
            available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            created,
          ),
          condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${w.ownerName}" has successfully progressed.`,
            created,
          ),
          ...(failure ? [failure] : []),
        ],
      },
    },
    replicaSet(w.ownerName, w.ownerUID, w.templateHash, replicas, ready, failure ? [failure] : undefined),
    ...old,
  ];
}
