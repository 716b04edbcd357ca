import type { ClusterModel } from '../model/cluster.js';
import { isFinished } from '../model/pod-state.js';
import { formatLabels } from '../model/selectors.js';
import { sliceEntriesForPod, type MatchedPod, type ServiceView } from '../model/service-view.js';
import type { Service } from '../model/types.js';
import type { Check, FindingDraft, FindingPod } from './types.js';

export const MAX_PODS = 20;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function isHeadless(service: Service): boolean {
  return service.clusterIP === 'None';
}

/** Why a matched pod is not a ready endpoint; for a pod the pod state calls ready, what the slices say instead. */
export function podCause(view: ServiceView, m: MatchedPod, model: ClusterModel): string {
  if (m.state.cause) return m.state.cause;
  if (!model.coverage.endpointSlices) return 'ready';
  // kube-proxy reads only IPv4 and IPv6 slices (§1.5).
  const entries = sliceEntriesForPod(view, m.pod).filter((e) => e.slice.addressType === 'IPv4' || e.slice.addressType === 'IPv6');
  if (entries.length === 0)
    return 'Ready, but in no EndpointSlice of the Service yet (controller lag, or stale slices in the input)';
  if (!entries.some((e) => e.endpoint.conditions.ready ?? true)) {
    return 'Ready, but its endpoint is still ready=false in the slices (controller lag, or stale slices in the input)';
  }
  return 'ready endpoint';
}

/** Pods in the order a reader should look at them: unready endpoints, pods kept out, terminating, finished. */
export function byRelevance(pods: MatchedPod[]): MatchedPod[] {
  const rank = (m: MatchedPod) => (isFinished(m.pod) ? 3 : m.state.terminating ? 2 : m.state.inSlices ? 0 : 1);
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
    top.map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join('; ') + (rest > 0 ? `; ${rest} other cause${rest === 1 ? '' : 's'}` : '')
  );
}

export function listPods(view: ServiceView, pods: MatchedPod[], model: ClusterModel): FindingPod[] {
  return pods.slice(0, MAX_PODS).map((m) => ({ name: m.pod.meta.name, cause: podCause(view, m, model) }));
}

export function shownOf(total: number): string {
  return total > MAX_PODS ? ` (first ${MAX_PODS} listed)` : '';
}

export const noReadyEndpoints: Check = {
  id: 'no-ready-endpoints',
  severity: 'error',
  title: 'Pods match the selector but the Service has no ready endpoint',
  explanation:
    "An endpoint is ready when its pod's Ready condition is True and the pod is not terminating, or always when the " +
    'Service sets publishNotReadyAddresses. Finished pods and pods without an IP are not endpoints at all. ' +
    'With no ready endpoint kube-proxy rejects connections to the Service, falling back only to terminating ' +
    'endpoints that still serve; cluster DNS returns no address for a headless Service.',
  fix:
    'Make the pods ready: each listed pod carries the reason it is not (a container waiting reason such as ' +
    'CrashLoopBackOff or ImagePullBackOff, a failing readiness probe, a readiness gate, an unschedulable or NotReady node).',
  run(view, model) {
    const { service } = view;
    if (service.type === 'ExternalName' || view.selectorless || !service.selector || view.matched.length === 0)
      return [];
    if (view.counts.ready > 0) return [];

    const sorted = byRelevance(view.matched);
    const causes = sorted.map((m) => podCause(view, m, model));
    const total = sorted.length;
    let message =
      `no ready endpoint: ${total === 1 ? 'the pod' : `none of the ${total} pods`} matching ${formatLabels(service.selector)} ` +
      `${total === 1 ? 'is not' : 'is'} a ready endpoint${shownOf(total)} (${summarizeCauses(causes)})`;

    const draft: FindingDraft = { message, pods: listPods(view, sorted, model), fix: podFix(sorted[0]!, model) };
    if (isHeadless(service)) {
      draft.message = `${message}; cluster DNS returns no address for this headless Service`;
      return [draft];
    }
    // kube-proxy falls back to terminating endpoints that still serve when no endpoint is ready (§5.7).
    const fallback = servingTerminating(view, model);
    if (fallback > 0) {
      message += `; kube-proxy falls back to ${plural(fallback, 'terminating endpoint')} still serving until ${fallback === 1 ? 'it goes' : 'they go'}`;
      draft.severity = 'warning';
    } else {
      message += '; kube-proxy rejects connections to the Service';
    }
    draft.message = message;
    return [draft];
  },
};

/** Endpoints kube-proxy still uses when none is ready: serving and terminating, per family, the larger family. */
function servingTerminating(view: ServiceView, model: ClusterModel): number {
  if (!model.coverage.endpointSlices) {
    return view.matched.filter((m) => m.state.inSlices && m.state.serving && m.state.terminating).length;
  }
  const perFamily = new Map<string, number>();
  for (const e of view.sliceEndpoints) {
    if (e.serving && e.terminating) perFamily.set(e.addressType, (perFamily.get(e.addressType) ?? 0) + 1);
  }
  return Math.max(0, ...perFamily.values());
}
