import type { ClusterModel } from '../model/cluster.js';
import { formatLabels } from '../model/selectors.js';
import type { ServiceView } from '../model/service-view.js';
import { isHeadless } from '../model/services.js';
import { plural, podCause, byRelevance, podFix, summarizeCauses, listPods, shownOf } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

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
    return view.matched.filter((m) => m.state.shouldBeListed && m.state.serving && m.state.terminating).length;
  }
  const perFamily = new Map<string, number>();
  for (const e of view.sliceEndpoints) {
    if (e.serving && e.terminating) perFamily.set(e.addressType, (perFamily.get(e.addressType) ?? 0) + 1);
  }
  return Math.max(0, ...perFamily.values());
}
