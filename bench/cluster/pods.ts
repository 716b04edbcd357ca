// Pods of the synthetic cluster, Deployment, StatefulSet and Job ones, with the status the kubelet
// reports for each condition a pod may be in.

import type { Labels } from '../../src/core/objects.js';
import type { Raw } from '../../test/support/objects.js';
import { fieldSet, fieldValue, managedEntry } from './managed-fields.js';
import { podIPOn, type NodeSlot } from './nodes.js';
import { hex, int, timeAgo, uuid, type Rand } from './random.js';
import { REGISTRIES } from './vocabulary.js';
import { containersFor, type Workload } from './workloads.js';

export type PodCondition =
  | 'ready'
  | 'crash'
  | 'probe-failing'
  | 'image-pull'
  | 'creating'
  | 'unschedulable'
  | 'terminating'
  | 'node-down'
  | 'completed';

export interface PodPlan {
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

/** A generated pod, with the fields generate.ts reads back typed. */
export interface GeneratedPod extends Raw {
  metadata: Raw & { labels: Labels };
  spec: Raw & { nodeName?: string };
}

export function makePod(r: Rand, plan: PodPlan): GeneratedPod {
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
  const spec: GeneratedPod['spec'] = {
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
            { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${String(c.image)}"` } },
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

  const metadata: GeneratedPod['metadata'] = {
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
