// Readiness probes as the kubelet runs them (docs/kubernetes-semantics.md#readiness-probes): the
// port a probe's port resolves to on its own container, whether a pod's readiness waits for any
// probe, and how a finding names a probe.

import type { Container, Pod, ReadinessProbe } from '../core/objects.js';

/** The port a probe names, as written; undefined for exec and for a probe whose handler is unknown. */
function probePort(probe: ReadinessProbe): number | string | undefined {
  return probe.handler === 'httpGet' || probe.handler === 'tcpSocket' || probe.handler === 'grpc'
    ? probe.port
    : undefined;
}

/** What strconv.Atoi accepts: an optional sign and decimal digits. */
const GO_ATOI = /^[+-]?\d+$/;

/**
 * The port number the kubelet probes, or undefined when it cannot resolve one and the probe fails
 * on every attempt. As ResolveContainerPort (pkg/probe/util.go): a number is used as is; a name is
 * looked up among this container's own ports only, by name whatever the protocol, first match
 * wins; a name no port has is read as a number if it is one; the result must be 1 to 65535.
 * grpc ports are numbers and are never looked up.
 */
function resolveProbePort(container: Container, port: number | string): number | undefined {
  let resolved: number | undefined;
  if (typeof port === 'number') resolved = port;
  else {
    resolved = container.ports.find((p) => p.name === port)?.containerPort;
    if (resolved === undefined && GO_ATOI.test(port)) resolved = Number(port);
  }
  return resolved !== undefined && resolved > 0 && resolved < 65536 ? resolved : undefined;
}

/** A readiness probe port the kubelet cannot resolve: a name its container does not declare, or no valid number. */
export interface UnresolvedProbePort {
  port: number | string;
  /** A name (not a number) that no port of the container has. */
  undeclared: boolean;
}

/** The container's readiness probe port when it does not resolve; undefined when it does, or names no port. */
export function unresolvedProbePort(container: Container): UnresolvedProbePort | undefined {
  const probe = container.readinessProbe;
  const port = probe && probePort(probe);
  if (port === undefined || resolveProbePort(container, port) !== undefined) return undefined;
  return { port, undeclared: typeof port === 'string' && !GO_ATOI.test(port) };
}

/** "container app declares no port named "health"" or "port 0 is not a valid port number (1-65535)". */
export function describeUnresolved(container: Container, unresolved: UnresolvedProbePort): string {
  return unresolved.undeclared
    ? `container ${container.name} declares no port named "${unresolved.port}"`
    : `port ${unresolved.port} is not a valid port number (1-65535)`;
}

/** "httpGet :8080/healthz, HTTP", "tcpSocket :redis", "grpc :9090 service health", "exec"; undefined when the input does not show the handler. */
export function describeProbe(probe: ReadinessProbe): string | undefined {
  switch (probe.handler) {
    case 'httpGet':
      return `httpGet :${probe.port}${probe.path ?? ''}, ${probe.scheme}`;
    case 'tcpSocket':
      return `tcpSocket :${probe.port}`;
    case 'grpc':
      return `grpc :${probe.port}${probe.service ? ` service ${probe.service}` : ''}`;
    case 'exec':
      return 'exec';
    case 'unknown':
      return undefined;
  }
}

/**
 * Whether some container of the pod, native sidecars included, has a readiness probe: then the
 * pod is not Ready before that probe passes. Which container serves which port is not in the spec,
 * so one probe anywhere counts (a mesh's proxy sidecar probes the application for it).
 */
export function hasReadinessProbe(pod: Pod): boolean {
  return pod.containers.some((c) => c.readinessProbe) || pod.sidecars.some((c) => c.readinessProbe);
}
