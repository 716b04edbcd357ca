// Whether a pod becomes an endpoint of a Service, with which conditions, and in words why it
// is not a ready one. Follows ShouldPodBeInEndpoints and podToEndpoint
// (docs/kubernetes-semantics.md#which-pods-become-endpoints, #endpoint-conditions-and-fields) and
// the kubelet's readiness computation (docs/kubernetes-semantics.md#pod-readiness).

import { serviceFamilies } from './services.js';
import type { Container, ContainerStatus, Node, Pod, Service } from '../core/objects.js';
import { describeProbe, describeUnresolved, unresolvedProbePort } from './probes.js';
import { familyOf } from '../core/ip.js';

export interface PodEndpointState {
  /**
   * The EndpointSlice controller should list the pod in the Service's slices (it is not finished,
   * has an IP of the Service's family...). Whether the input's slices really list it is another
   * question: see sliceEntriesForPod.
   */
  shouldBeListed: boolean;
  /** Conditions the endpoint carries when shouldBeListed. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Why the pod is not a ready endpoint; undefined when it is one. */
  cause?: string;
}

export function isPodReady(pod: Pod): boolean {
  for (const c of pod.conditions) if (c.type === 'Ready') return c.status === 'True';
  return false;
}

export function isFinished(pod: Pod): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

function hasIP(pod: Pod): boolean {
  return pod.podIPs.length > 0;
}

/**
 * @param node the pod's Node, or undefined when it is not in the input
 * @param nodesKnown whether Nodes were read at all; when not, a missing node proves nothing
 */
export function podEndpointState(
  pod: Pod,
  service: Service,
  node: Node | undefined,
  nodesKnown: boolean,
): PodEndpointState {
  const serving = isPodReady(pod);
  const terminating = pod.meta.deletionTimestamp !== undefined;
  const excluded = exclusionCause(pod, service, node, nodesKnown);
  if (excluded !== undefined) return { shouldBeListed: false, ready: false, serving, terminating, cause: excluded };

  const ready = service.publishNotReadyAddresses || (serving && !terminating);
  const cause = ready ? undefined : terminating ? terminatingCause(pod, serving) : notReadyCause(pod, node);
  return { shouldBeListed: true, ready, serving, terminating, cause };
}

/** Why the controller leaves the pod out of the Service's slices; undefined when it lists it. */
function exclusionCause(pod: Pod, service: Service, node: Node | undefined, nodesKnown: boolean): string | undefined {
  if (isFinished(pod)) return finishedCause(pod);
  if (!hasIP(pod)) return noIPCause(pod);
  // The controller skips pods whose Node object is gone, unless publishNotReadyAddresses.
  if (nodesKnown && pod.nodeName && !node && !service.publishNotReadyAddresses) {
    return `node ${pod.nodeName} does not exist: the controller skips the pod`;
  }
  // One slice set per address family; an endpoint with no address of the slice's family is skipped (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#one-slice-set-per-address-family).
  const families = serviceFamilies(service);
  for (const ip of pod.podIPs) if (families.includes(familyOf(ip)!)) return undefined;
  return `no ${families.join('/')} address (pod has ${pod.podIPs.join(', ')}): the Service's slices cannot list it`;
}

function finishedCause(pod: Pod): string {
  return `finished (phase ${pod.phase}${pod.reason ? `: ${pod.reason}` : ''}): finished pods are never endpoints`;
}

function noIPCause(pod: Pod): string {
  const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
  if (!pod.nodeName && scheduled?.status === 'False') {
    if (scheduled.reason === 'SchedulingGated')
      return `scheduling gated: ${scheduled.message ?? 'the pod has scheduling gates'}`;
    return `unscheduled${scheduled.message ? `: ${scheduled.message}` : ''}`;
  }
  if (!pod.nodeName) return 'not scheduled to a node yet';
  const waiting = firstWaiting(pod);
  return `no IP yet on node ${pod.nodeName}${waiting ? ` (${waiting})` : ''}`;
}

function terminatingCause(pod: Pod, serving: boolean): string {
  return `terminating (deletion requested${pod.reason ? `, ${pod.reason}` : ''})${serving ? '; still serving' : ''}`;
}

/** The most specific reason a scheduled pod with an IP is not Ready. */
export function notReadyCause(pod: Pod, node: Node | undefined): string {
  if (node && node.ready !== 'True') {
    return `node ${node.meta.name} is ${node.ready === 'False' ? 'NotReady' : 'unreachable (Ready=Unknown)'}`;
  }
  for (const s of pod.initContainerStatuses) {
    if (isSidecarStatus(pod, s)) continue;
    if (s.state === 'waiting' && s.reason && s.reason !== 'PodInitializing')
      return `init container ${describeStatus(s)}`;
    if (s.state === 'running') return `init container ${s.name} is still running`;
    if (s.state === 'terminated' && s.exitCode !== undefined && s.exitCode !== 0)
      return `init container ${describeStatus(s)}`;
  }
  for (const s of [...pod.containerStatuses, ...pod.initContainerStatuses.filter((x) => isSidecarStatus(pod, x))]) {
    if (s.ready) continue;
    const spec = [...pod.containers, ...pod.sidecars].find((c) => c.name === s.name);
    if (s.state === 'waiting' || s.state === 'terminated') return `container ${describeStatus(s)}`;
    if (s.state === 'running') {
      if (s.started === false && spec?.hasStartupProbe)
        return `container ${s.name} running, startup probe not yet passed`;
      if (spec?.readinessProbe) return `container ${s.name} running but not ready: ${readinessProbeCause(spec)}`;
      return `container ${s.name} running but not ready`;
    }
  }
  const containersReady = pod.conditions.find((c) => c.type === 'ContainersReady');
  if (containersReady?.status === 'True' || pod.containerStatuses.length > 0) {
    for (const gate of pod.readinessGates) {
      const condition = pod.conditions.find((c) => c.type === gate);
      if (!condition) return `readiness gate ${gate} has no condition yet`;
      if (condition.status !== 'True') return `readiness gate ${gate} is ${condition.status}, not True`;
    }
  }
  const readyCondition = pod.conditions.find((c) => c.type === 'Ready');
  if (readyCondition?.reason || readyCondition?.message) {
    return `not ready: ${[readyCondition.reason, readyCondition.message].filter(Boolean).join(': ')}`;
  }
  return pod.containerStatuses.length === 0
    ? `not ready: no container status reported yet (phase ${pod.phase})`
    : 'not ready';
}

/**
 * "readiness probe failing (httpGet :8080/healthz, HTTP)": which probe when the input shows it, and
 * why it can never pass when its port does not resolve. What the probe got back is not in a pod;
 * the first clause is the same for every probe, for summarizeCauses.
 */
function readinessProbeCause(container: Container): string {
  const probe = describeProbe(container.readinessProbe!);
  const unresolved = unresolvedProbePort(container);
  if (unresolved) return `readiness probe can never pass (${probe}; ${describeUnresolved(container, unresolved)})`;
  return probe ? `readiness probe failing (${probe})` : 'readiness probe failing';
}

function isSidecarStatus(pod: Pod, status: ContainerStatus): boolean {
  return pod.sidecars.some((c) => c.name === status.name);
}

function describeStatus(s: ContainerStatus): string {
  const parts = [`${s.name} ${s.state}${s.reason ? `: ${s.reason}` : ''}`];
  if (s.state === 'terminated' && s.exitCode !== undefined) parts.push(`exit code ${s.exitCode}`);
  if (s.reason === 'CrashLoopBackOff' && s.lastTerminationReason) {
    parts.push(
      `last exit: ${s.lastTerminationReason}${s.lastExitCode !== undefined ? ` (code ${s.lastExitCode})` : ''}`,
    );
  }
  if (s.restartCount > 0) parts.push(`${s.restartCount} restarts`);
  let text = parts.join(', ');
  if (s.message && s.reason !== 'CrashLoopBackOff') text += ` (${truncate(s.message, MAX_MESSAGE)})`;
  return text;
}

function firstWaiting(pod: Pod): string | undefined {
  const s = [...pod.initContainerStatuses, ...pod.containerStatuses].find((x) => x.state === 'waiting' && x.reason);
  return s ? `${s.name}: ${s.reason}` : undefined;
}

/** Longest container message kept; kubelet image-pull messages run to about 250 characters. */
const MAX_MESSAGE = 300;
/** How much of a longer message's end is kept: the useful part ("not found", "unauthorized") comes last. */
const MESSAGE_TAIL = 120;

/** One line of at most `max` characters; a longer text keeps its start and its end around an ellipsis. */
function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const tail = Math.min(MESSAGE_TAIL, Math.floor(max / 2));
  return `${oneLine.slice(0, max - tail - 1).trimEnd()}…${oneLine.slice(-tail).trimStart()}`;
}

/** A controller's message (a condition's, an event's) as one line short enough to quote in a finding. */
export function messageExcerpt(text: string): string {
  return truncate(text, MAX_MESSAGE);
}
