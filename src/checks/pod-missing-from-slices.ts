import { formatLabels, labelValue } from '../core/selectors.js';
import type { ServiceView } from '../model/service-view.js';
import type { EndpointSlice, Pod } from '../core/objects.js';
import { TRIGGER_TIME_ANNOTATION } from '../model/endpoint-meta.js';
import { agree, getSlices, MAX_PODS, plural } from './helpers.js';
import type { Check } from './types.js';

/** The newest last-change-trigger-time among the slices, in ms; undefined when none carries one. */
function newestTriggerTime(slices: EndpointSlice[]): number | undefined {
  let newest: number | undefined;
  for (const s of slices) {
    const t = Date.parse(labelValue(s.meta.annotations, TRIGGER_TIME_ANNOTATION) ?? '');
    if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/**
 * Whom the Service's slices list, whoever manages them: pod names by targetRef (matched pods
 * are in the Service's namespace), addresses of endpoints without one. A pod in neither is in no slice.
 * The rule of sliceEntriesForPod, as two sets: this runs on every Service, and needs no entries.
 */
function listedInSlices(view: ServiceView): { podNames: Set<string>; addresses: Set<string> } {
  const ns = view.service.meta.namespace;
  const podNames = new Set<string>();
  const addresses = new Set<string>();
  for (const slice of view.slices) {
    for (const e of slice.endpoints) {
      const ref = e.targetRef;
      if (ref && ref.kind === 'Pod') {
        if ((ref.namespace ?? ns) === ns) podNames.add(ref.name);
      } else for (const a of e.addresses) addresses.add(a);
    }
  }
  return { podNames, addresses };
}

function readySince(pod: Pod): number | undefined {
  const t = Date.parse(pod.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

export const podMissingFromSlices: Check = {
  id: 'pod-missing-from-slices',
  severity: 'warning',
  title: 'A ready pod with an IP is in no EndpointSlice of the Service',
  explanation:
    'The EndpointSlice controller lists every matching pod that has an IP, is not finished and whose Node exists, ' +
    'ready or not, in an address family the Service has. A Ready pod missing from every slice gets no ' +
    'traffic. The controller needs a moment after a change, so a pod that became Ready after the newest ' +
    'endpoints.kubernetes.io/last-change-trigger-time of the slices is not reported: the slices simply predate it.',
  fix:
    'Look at the slices and at the controller: `kubectl get endpointslices -n NS -l kubernetes.io/service-name=SVC -o yaml`; ' +
    'kube-controller-manager logs show sync errors such as a Node not found.',
  messages: {
    readyPodsUnlisted:
      '{{pods}} matching {{selector}} {{is}} in no EndpointSlice of the Service: {{itGets}} no Service traffic',
  },
  notes: {
    noSliceAtAll: '; the Service has no slice at all, not even the empty placeholder: the controller has not synced it',
    noTriggerTime: '; the slices carry no last-change-trigger-time, so controller lag cannot be ruled out',
    firstListed: ' (first {{max}} listed)',
  },
  // The EndpointSlice controller's, on the Service, when the API refused its writes.
  explainsEvents: ['FailedToUpdateEndpointSlices'],
  appliesToServices: { backends: ['selector'] },
  requires: ['endpointSlices', 'pods'],
  // Any Service with a serving pod the controller should list: no slice was read to list it.
  appliesTo: (view) =>
    !view.service.meta.deletionTimestamp && view.matched.some((m) => m.state.shouldBeListed && m.state.serving),
  run(view, model) {
    const { service } = view;
    if (view.matched.length === 0) return [];
    // The controller writes no slices for a Service being deleted (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner).
    if (service.meta.deletionTimestamp) return [];
    const listed = listedInSlices(view);
    const unlisted = view.matched.filter(
      (m) =>
        m.state.shouldBeListed &&
        m.state.serving &&
        !listed.podNames.has(m.pod.meta.name) &&
        !m.pod.podIPs.some((ip) => listed.addresses.has(ip)),
    );
    if (unlisted.length === 0) return [];
    // Became Ready after the slices were last written: controller lag, not a fault.
    const trigger = newestTriggerTime(view.slices);
    const missing = unlisted.filter((m) => {
      const since = readySince(m.pod);
      return !(trigger !== undefined && since !== undefined && since > trigger);
    });
    if (missing.length === 0) return [];

    const notes: string[] = [];
    if (view.slices.length === 0) notes.push('noSliceAtAll');
    else if (trigger === undefined) notes.push('noTriggerTime');
    if (missing.length > MAX_PODS) notes.push('firstListed');
    return [
      {
        reason: 'readyPodsUnlisted',
        data: {
          pods: plural(missing.length, 'ready pod'),
          selector: formatLabels(service.selector!),
          is: agree(missing.length, 'is', 'are'),
          itGets: agree(missing.length, 'it gets', 'they get'),
          max: MAX_PODS,
        },
        notes,
        pods: missing.slice(0, MAX_PODS).map((m) => ({
          name: m.pod.meta.name,
          cause:
            `Ready with IP ${m.pod.podIPs.join(', ')}${m.pod.nodeName ? ` on node ${m.pod.nodeName}` : ''}, but listed in no slice` +
            (!model.coverage.nodes && m.pod.nodeName
              ? ` (Nodes were not read: if node ${m.pod.nodeName} no longer exists the controller skips the pod)`
              : ''),
        })),
        fix: getSlices(service, '-o', 'yaml'),
      },
    ];
  },
};
