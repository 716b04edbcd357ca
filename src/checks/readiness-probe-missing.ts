import { hasReadinessProbe } from '../model/probes.js';
import type { Pod } from '../core/objects.js';
import { formatLabels } from '../core/selectors.js';
import { agree, isLive, MAX_PODS, plural, podOwner, shownOf } from './helpers.js';
import type { Check } from './types.js';

/** What the pod's readiness waits for, in words: only its containers starting. */
function cause(pod: Pod): string {
  const names = [...pod.containers, ...pod.sidecars].map((c) => c.name);
  const startup = [...pod.containers, ...pod.sidecars].filter((c) => c.hasStartupProbe).map((c) => c.name);
  return (
    `no readiness probe on ${names.length === 1 ? 'container' : 'containers'} ${names.join(', ')}` +
    (startup.length > 0 ? `; the startup probe of ${startup.join(', ')} delays only the first Ready` : '')
  );
}

export const readinessProbeMissing: Check = {
  id: 'readiness-probe-missing',
  severity: 'info',
  title: 'Backends of the Service have no readiness probe',
  explanation:
    'A container without a readiness probe is ready as soon as it runs (once its startup probe, if any, has passed), ' +
    'so a pod none of whose containers has one becomes a ready endpoint before the application may answer, and ' +
    'stays one while the application hangs. A readiness probe on any container of the pod, native sidecars included ' +
    "(a mesh's proxy that probes the application for it), holds the whole pod back until it passes, and so does a " +
    'readiness gate: such pods are not reported. Only informational: many servers are ready the moment they listen. ' +
    'Finished and terminating pods are left out, and Services that publish not-ready addresses, which ignore ' +
    'readiness.',
  fix:
    "Add a readinessProbe to the workload's pod template: an httpGet on the application's health endpoint, or a " +
    'tcpSocket on the port the Service targets.',
  messages: {
    noReadinessProbe:
      '{{missing}} of {{pods}} matching {{selector}} {{has}} no readiness probe and no readiness gate{{shown}}: ' +
      '{{they}} {{get}} traffic as soon as {{their}} containers run, before the application may answer',
  },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods'],
  run(view) {
    const { service } = view;
    // Readiness does not decide anything for a Service that publishes not-ready addresses.
    if (service.publishNotReadyAddresses) return [];
    const live = view.matched.filter(isLive);
    const missing = live.filter((m) => m.pod.readinessGates.length === 0 && !hasReadinessProbe(m.pod));
    if (missing.length === 0) return [];
    const one = missing.length === 1;
    return [
      {
        reason: 'noReadinessProbe',
        data: {
          missing: missing.length,
          pods: plural(live.length, 'pod'),
          selector: formatLabels(service.selector!),
          has: agree(missing.length, 'has', 'have'),
          shown: shownOf(missing.length),
          they: one ? 'it' : 'they',
          get: agree(missing.length, 'gets', 'get'),
          their: one ? 'its' : 'their',
        },
        pods: missing.slice(0, MAX_PODS).map((m) => ({ name: m.pod.meta.name, cause: cause(m.pod) })),
        fix:
          'add a readinessProbe to the pod template of their owner: ' +
          podOwner(service.meta.namespace, missing[0].pod.meta.name),
      },
    ];
  },
};
