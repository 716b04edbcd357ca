// A Pod: what readiness, ports and placement need, and written back for the snapshot; env,
// commands, volumes, liveness probes and what a readiness probe sends (exec commands, headers,
// query strings) are never kept.

import type {
  Container,
  ContainerPort,
  ContainerStatus,
  Pod,
  PodCondition,
  ReadinessProbe,
} from '../../core/objects.js';
import {
  bool,
  checked,
  EMPTY,
  FieldError,
  fields,
  int,
  list,
  nonEmpty,
  protocol,
  slimMeta,
  interned,
  str,
  typeName,
  type Raw,
} from './fields.js';

// Shared by every container whose probe has nothing else to keep: 100,000 pods make one object each otherwise.
const EXEC_PROBE: ReadinessProbe = Object.freeze({ handler: 'exec' });
const UNKNOWN_PROBE: ReadinessProbe = Object.freeze({ handler: 'unknown' });

/** An IntOrString port; absent is the Go zero value 0, which the kubelet rejects as it would. */
function intOrString(value: unknown, field: string): number | string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return int(value, field)!;
  throw new FieldError(field, 'a number or a string', typeName(value));
}

/** The path as the probe requests it, without its query string: "?…" says there was one. */
function pathWithoutQuery(path: string | undefined): string | undefined {
  const query = path?.indexOf('?') ?? -1;
  return query < 0 ? path : `${path!.slice(0, query)}?…`;
}

/** The handler in the kubelet's order (exec, httpGet, tcpSocket, grpc); the API allows only one. */
function slimReadinessProbe(value: unknown): ReadinessProbe | undefined {
  if (value === undefined || value === null) return undefined;
  const probe = fields(value, 'readinessProbe');
  if (fields(probe.exec, 'readinessProbe.exec') !== EMPTY) return EXEC_PROBE;
  const httpGet = fields(probe.httpGet, 'readinessProbe.httpGet');
  if (httpGet !== EMPTY) {
    const scheme = str(httpGet.scheme, 'readinessProbe.httpGet.scheme');
    return {
      handler: 'httpGet',
      port: intOrString(httpGet.port, 'readinessProbe.httpGet.port'),
      path: pathWithoutQuery(str(httpGet.path, 'readinessProbe.httpGet.path')),
      // Literals, so that 100,000 pods share two strings.
      scheme: scheme === undefined || scheme === 'HTTP' ? 'HTTP' : scheme === 'HTTPS' ? 'HTTPS' : scheme,
    };
  }
  const tcpSocket = fields(probe.tcpSocket, 'readinessProbe.tcpSocket');
  if (tcpSocket !== EMPTY) {
    return { handler: 'tcpSocket', port: intOrString(tcpSocket.port, 'readinessProbe.tcpSocket.port') };
  }
  const grpc = fields(probe.grpc, 'readinessProbe.grpc');
  if (grpc !== EMPTY) {
    return {
      handler: 'grpc',
      port: int(grpc.port, 'readinessProbe.grpc.port') ?? 0,
      service: str(grpc.service, 'readinessProbe.grpc.service'),
    };
  }
  return UNKNOWN_PROBE;
}

function rawReadinessProbe(probe: ReadinessProbe | undefined): Raw | undefined {
  if (!probe) return undefined;
  switch (probe.handler) {
    case 'httpGet':
      return { httpGet: { port: probe.port, path: probe.path, scheme: probe.scheme } };
    case 'tcpSocket':
      return { tcpSocket: { port: probe.port } };
    case 'grpc':
      return { grpc: { port: probe.port, service: probe.service } };
    case 'exec':
      // The command is not kept; an empty exec still says which handler it was.
      return { exec: {} };
    case 'unknown':
      return {};
  }
}

function slimContainer(raw: Raw): Container {
  return {
    name: str(raw.name, 'name') ?? '',
    ports: list(raw.ports, 'ports', (p): ContainerPort => ({
      name: str(p.name, 'name'),
      containerPort: int(p.containerPort, 'containerPort') ?? 0,
      protocol: protocol(p.protocol, 'protocol'),
    })),
    readinessProbe: slimReadinessProbe(raw.readinessProbe),
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
  const meta = slimMeta(raw, true, false, true);
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
    nodeName: interned(str(spec.nodeName, 'spec.nodeName')),
    hostNetwork: bool(spec.hostNetwork, 'spec.hostNetwork') === true,
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
    const type = interned(str(c.type, 'type') ?? '');
    if (!READINESS_CONDITIONS.has(type) && !readinessGates.includes(type)) return;
    const status = interned(str(c.status, 'status') ?? 'Unknown');
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
  return out.slice(); // at its length (see list)
}

function rawContainer(c: Container): Raw {
  return {
    name: c.name,
    ports: nonEmpty(c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }))),
    readinessProbe: rawReadinessProbe(c.readinessProbe),
    startupProbe: c.hasStartupProbe ? {} : undefined,
  };
}

function rawContainerStatus(s: ContainerStatus): Raw {
  const detail = { reason: s.reason, message: s.message, exitCode: s.exitCode };
  const last =
    s.lastTerminationReason !== undefined || s.lastExitCode !== undefined
      ? { terminated: { reason: s.lastTerminationReason, exitCode: s.lastExitCode } }
      : undefined;
  return {
    name: s.name,
    ready: s.ready,
    started: s.started,
    restartCount: s.restartCount,
    state: s.state === 'unknown' ? {} : { [s.state]: s.state === 'running' ? {} : detail },
    lastState: last,
  };
}

export function rawPod(p: Pod): Raw {
  // Sidecars are the init containers with restartPolicy Always, in the order of initContainerNames.
  let next = 0;
  const initContainers = p.initContainerNames.map((name) => {
    const sidecar = p.sidecars[next];
    if (sidecar?.name !== name) return { name };
    next++;
    return { ...rawContainer(sidecar), restartPolicy: 'Always' };
  });
  return {
    spec: {
      nodeName: p.nodeName,
      hostNetwork: p.hostNetwork || undefined,
      hostname: p.hostname,
      subdomain: p.subdomain,
      containers: p.containers.map(rawContainer),
      initContainers: nonEmpty(initContainers),
      readinessGates: nonEmpty(p.readinessGates.map((conditionType) => ({ conditionType }))),
    },
    status: {
      phase: p.phase,
      reason: p.reason,
      podIP: p.podIPs[0],
      podIPs: nonEmpty(p.podIPs.map((ip) => ({ ip }))),
      conditions: nonEmpty(p.conditions.map((c) => ({ ...c }))),
      containerStatuses: nonEmpty(p.containerStatuses.map(rawContainerStatus)),
      initContainerStatuses: nonEmpty(p.initContainerStatuses.map(rawContainerStatus)),
    },
  };
}
