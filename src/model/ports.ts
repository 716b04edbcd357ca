// targetPort resolution exactly as the EndpointSlice controller's FindPort does it
// (docs/kubernetes-semantics.md#how-a-targetport-is-resolved): a named port matches a container port by name AND protocol,
// regular containers first, then native sidecars; the first match wins. A numeric
// targetPort is used as is, whatever the pod declares.

import type { Container, ContainerPort, Pod, ServicePort } from '../core/objects.js';

/** The first port of these containers with this name and protocol. */
function namedPortIn(containers: Container[], name: string, protocol: string): ContainerPort | undefined {
  for (const container of containers) {
    for (const p of container.ports) if (p.name === name && p.protocol === protocol) return p;
  }
  return undefined;
}

/** The number a Service port's targetPort resolves to on the pod; called per pod and port, so it builds nothing. */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  return (
    namedPortIn(pod.containers, target, servicePort.protocol) ?? namedPortIn(pod.sidecars, target, servicePort.protocol)
  )?.containerPort;
}

export interface ResolvedPort {
  port: number;
  /** The container whose port matched; undefined for a numeric targetPort. */
  container?: string;
  /** The match is on a native sidecar: controllers before v1.33 did not search those (docs/kubernetes-semantics.md#ports-on-native-sidecars). */
  sidecar: boolean;
}

/** findPort, also saying where the match was found. */
export function resolvePort(pod: Pod, servicePort: ServicePort): ResolvedPort | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return { port: target, sidecar: false };
  for (const container of pod.containers) {
    const match = container.ports.find((p) => p.name === target && p.protocol === servicePort.protocol);
    if (match) return { port: match.containerPort, container: container.name, sidecar: false };
  }
  for (const container of pod.sidecars) {
    const match = container.ports.find((p) => p.name === target && p.protocol === servicePort.protocol);
    if (match) return { port: match.containerPort, container: container.name, sidecar: true };
  }
  return undefined;
}

/** Whether any container or native sidecar declares this number and protocol. */
export function declaresPort(pod: Pod, port: number, protocol: ServicePort['protocol']): boolean {
  const declares = (c: Container) => c.ports.some((p) => p.containerPort === port && p.protocol === protocol);
  return pod.containers.some(declares) || pod.sidecars.some(declares);
}

/** Whether any container or native sidecar declares a port at all. */
export function declaresAnyPort(pod: Pod): boolean {
  const declares = (c: Container) => c.ports.length > 0;
  return pod.containers.some(declares) || pod.sidecars.some(declares);
}

export function allContainers(pod: Pod): Container[] {
  return [...pod.containers, ...pod.sidecars];
}

/** "http 80/TCP" or "80/TCP" for an unnamed port: how findings name a Service port. */
export function describeServicePort(port: ServicePort): string {
  return `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol}`;
}
