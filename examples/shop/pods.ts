// Pods as their controllers and the kubelet write them, with addresses handed out per node.

import { pod, type Raw } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { digest, DUAL_STACK_SINCE, plus, token, uid } from './ids.js';
import { nodeDef } from './nodes.js';

/** The last host number handed out per node, so that pods get addresses as the CNI hands them out. */
const lastHost = new Map<string, number>();

/** Starts handing out pod addresses afresh, for the next generation of the example. */
export function resetPodAddresses(): void {
  lastHost.clear();
}

function podIPs(nodeName: string, seed: string, created: string): string[] {
  const def = nodeDef(nodeName);
  const host = (lastHost.get(nodeName) ?? 9) + 1 + (digest(seed)[0] % 7);
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
  /** Any other readinessProbe, as the template has it (tcpSocket, exec). */
  readinessProbe?: Raw;
}

/** How the (first) container is doing. */
type ContainerState =
  | { running: true; ready: boolean; restarts?: number; since?: string; lastState?: Raw }
  | { waiting: string; message: string; restarts?: number; lastState?: Raw };

export interface PodTemplate {
  ns?: string;
  labels: Record<string, string>;
  containers: ContainerDef[];
  readinessGates?: string[];
}

export interface PodInstance {
  node: string;
  created: string;
  state?: ContainerState;
  /** Pod Ready=False since then; reason and message as the kubelet writes them, if not the containers'. */
  notReady?: { since: string; reason?: string; message?: string; containersReady?: boolean };
  /** When Ready and ContainersReady last became True: 9s after creation, unless a restart moved it. */
  readySince?: string;
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
  const readySince = p.readySince ?? plus(p.created, 9);
  const containersReady = p.notReady ? (p.notReady.containersReady ?? false) : true;
  const state: ContainerState = p.state ?? { running: true, ready: containersReady };

  const containers = t.containers.map((c) => ({
    image: c.image,
    name: c.name,
    ...(c.ports
      ? { ports: c.ports.map((x) => ({ containerPort: x.containerPort, name: x.name, protocol: x.protocol ?? 'TCP' })) }
      : {}),
    ...(c.probe ? { readinessProbe: { httpGet: { path: c.probe.path, port: c.probe.port }, periodSeconds: 10 } } : {}),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
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
    .filter((_, i) => !containerStatuses[i].ready)
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
    ...requiredObject(raw, 'metadata'),
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

export function appLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** The pods of one ReplicaSet of Deployment `name`; `revision` tells the ReplicaSets of a rollout apart. */
export function replicaSetPods(name: string, revision: string, t: PodTemplate, pods: PodInstance[]): Raw[] {
  const ns = t.ns ?? 'shop';
  const hash = token(`rs/${ns}/${name}/${revision}`, 10);
  const rs = `${name}-${hash}`;
  const template = { ...t, labels: { ...t.labels, 'pod-template-hash': hash } };
  return pods.map((p, i) =>
    buildPod(`${rs}-${token(`pod/${ns}/${rs}/${i}`, 5)}`, template, p, { kind: 'ReplicaSet', name: rs }),
  );
}

/** The pods of StatefulSet `name`, governed by the headless Service `serviceName`. */
export function statefulSetPods(name: string, serviceName: string, t: PodTemplate, pods: PodInstance[]): Raw[] {
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

export const REGISTRY = 'registry.example.com/shop';

/** A shop application: one container serving HTTP on a port named http, ready when /healthz answers. */
export function app(name: string, tag: string, containerPort = 8080): PodTemplate {
  return {
    labels: appLabels(name),
    containers: [
      {
        name,
        image: `${REGISTRY}/${name}:${tag}`,
        ports: [{ name: 'http', containerPort }],
        probe: { path: '/healthz', port: 'http' },
      },
    ],
  };
}
