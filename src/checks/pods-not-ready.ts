import { formatLabels } from '../core/selectors.js';
import { agree, isLive, plural, podCause, byRelevance, podFix, summarizeCauses, listPods, shownOf } from './helpers.js';
import type { Check } from './types.js';

export const podsNotReady: Check = {
  id: 'pods-not-ready',
  severity: 'warning',
  title: 'Some pods matching the selector are not ready endpoints',
  explanation:
    'Only pods whose Ready condition is True (all containers ready and every readiness gate True) become ready ' +
    'endpoints; pods without an IP are not endpoints at all. The Service still works through its other ' +
    'endpoints, with less capacity. Finished and terminating pods are left out: they are on their way out, not capacity ' +
    'the Service lost. With publishNotReadyAddresses every listed pod is a ready endpoint, so only pods kept out of the ' +
    'slices count.',
  fix:
    'Look at why each listed pod is not ready: `kubectl describe pod NAME -n NS` shows probe failures and scheduling ' +
    'events, `kubectl logs NAME -n NS --previous` the last crash.',
  messages: {
    somePodsUnready:
      '{{notReady}} of {{pods}} matching {{selector}} {{is}} not ready{{shown}} ({{causes}}); {{readyEndpoints}} left',
  },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods'],
  run(view, model) {
    const { service } = view;
    if (view.matched.length === 0) return [];
    // No ready endpoint at all is no-ready-endpoints' finding, not this one.
    const ready = view.counts;
    if (ready.ready === 0) return [];
    const notReady = byRelevance(view.matched.filter((m) => m.state.cause !== undefined && isLive(m)));
    if (notReady.length === 0) return [];
    const live = view.matched.filter(isLive);
    const causes = notReady.map((m) => podCause(view, m, model));
    return [
      {
        reason: 'somePodsUnready',
        data: {
          notReady: notReady.length,
          pods: plural(live.length, 'pod'),
          selector: formatLabels(service.selector!),
          is: agree(notReady.length, 'is', 'are'),
          shown: shownOf(notReady.length),
          causes: summarizeCauses(causes),
          readyEndpoints: plural(ready.ready, 'ready endpoint'),
        },
        pods: listPods(view, notReady, model),
        fix: podFix(notReady[0], model),
      },
    ];
  },
};
