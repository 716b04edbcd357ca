// Helpers shared by several checks: wording, pod lists with their causes, fix commands.
// Not a check itself; every check is the module named by its id.

import type { ClusterModel } from '../model/cluster.js';
import { isProxiedSlice } from '../model/endpoint-meta.js';
import { isFinished } from '../model/pod-state.js';
import { sliceEntriesForPod, type MatchedPod, type ServiceView } from '../model/service-view.js';
import type { Service } from '../model/types.js';
import type { FindingPod } from './types.js';

export const MAX_PODS = 20;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** At most `max` items joined by ", ", with "and N more". */
export function listSome(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Why a matched pod is not a ready endpoint; for a pod the pod state calls ready, what the slices say instead. */
export function podCause(view: ServiceView, m: MatchedPod, model: ClusterModel): string {
  if (m.state.cause) return m.state.cause;
  if (!model.coverage.endpointSlices) return 'ready';
  // kube-proxy reads only IPv4 and IPv6 slices (§1.5).
  const entries = sliceEntriesForPod(view, m.pod).filter((e) => isProxiedSlice(e.slice));
  if (entries.length === 0)
    return 'Ready, but in no EndpointSlice of the Service yet (controller lag, or stale slices in the input)';
  if (!entries.some((e) => e.endpoint.conditions.ready)) {
    return 'Ready, but its endpoint is still ready=false in the slices (controller lag, or stale slices in the input)';
  }
  return 'ready endpoint';
}

/** Pods in the order a reader should look at them: unready endpoints, pods kept out, terminating, finished. */
export function byRelevance(pods: MatchedPod[]): MatchedPod[] {
  const rank = (m: MatchedPod) => (isFinished(m.pod) ? 3 : m.state.terminating ? 2 : m.state.shouldBeListed ? 0 : 1);
  return [...pods].sort((a, b) => rank(a) - rank(b) || a.pod.meta.name.localeCompare(b.pod.meta.name));
}

/** The kubectl command that shows the cause of one pod's state. */
export function podFix(m: MatchedPod, model: ClusterModel): string {
  const { pod } = m;
  const name = pod.meta.name;
  const ns = pod.meta.namespace;
  const node = pod.nodeName ? model.node(pod.nodeName) : undefined;
  if (!isFinished(pod) && !m.state.terminating && node && node.ready !== 'True')
    return `kubectl describe node ${node.meta.name}`;
  const crashing = [...pod.initContainerStatuses, ...pod.containerStatuses].find(
    (s) => !s.ready && s.state === 'waiting' && s.reason === 'CrashLoopBackOff',
  );
  if (crashing && !isFinished(pod)) return `kubectl logs ${name} -n ${ns} -c ${crashing.name} --previous`;
  return `kubectl describe pod ${name} -n ${ns}`;
}

/** "2× container app waiting: CrashLoopBackOff; unscheduled": the most frequent causes, up to three. */
export function summarizeCauses(causes: string[]): string {
  const counts = new Map<string, number>();
  for (const cause of causes) {
    let key = cause.split(/ \(|, |; /)[0]!;
    if (key.length > 80) key = `${key.slice(0, 79)}…`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const rest = counts.size - top.length;
  return (
    top.map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join('; ') +
    (rest > 0 ? `; ${rest} other cause${rest === 1 ? '' : 's'}` : '')
  );
}

export function listPods(view: ServiceView, pods: MatchedPod[], model: ClusterModel): FindingPod[] {
  return pods.slice(0, MAX_PODS).map((m) => ({ name: m.pod.meta.name, cause: podCause(view, m, model) }));
}

export function shownOf(total: number): string {
  return total > MAX_PODS ? ` (first ${MAX_PODS} listed)` : '';
}

/** Pods the controller lists in the Service's slices: the only ones whose ports are resolved (§1.2, §1.4). */
export function eligiblePods(view: ServiceView): MatchedPod[] {
  return view.matched.filter((m) => m.state.shouldBeListed);
}

/** Whether some Service port names its targetPort: only those are resolved per pod (§2.1). */
export function hasNamedTargetPort(service: Service): boolean {
  return service.ports.some((sp) => typeof sp.targetPort === 'string');
}

export function patchTargetPort(service: Service, index: number, value: string | number): string {
  const patch = JSON.stringify([{ op: 'replace', path: `/spec/ports/${index}/targetPort`, value }]);
  return `kubectl patch service ${service.meta.name} -n ${service.meta.namespace} --type=json -p '${patch}'`;
}
