import {
  ENDPOINTS_CONTROLLER,
  isControllerSlice,
  isForeignSlice,
  isLeaderElection,
  isMirroredSlice,
  isProxiedSlice,
  LABEL_ENDPOINTS_MANAGED_BY,
  SLICE_CONTROLLER,
} from '../model/endpoint-meta.js';
import { canonicalIP } from '../model/services.js';
import type { EndpointSlice } from '../model/types.js';
import { MAX_PODS, plural, listSome } from './helpers.js';
import type { Check, FindingDraft, FindingPod } from './types.js';

function endpointCount(slice: EndpointSlice): number {
  return slice.endpoints.filter((e) => e.addresses.length > 0).length;
}

export const staleEndpoints: Check = {
  id: 'stale-endpoints',
  severity: 'warning',
  title: 'EndpointSlices route to left-over or vanished backends',
  explanation:
    'No controller cleans up when a Service loses its selector (kubernetes/kubernetes#91072, #118376): the slices ' +
    'the EndpointSlice controller wrote stay as they were, and kube-proxy, which merges every slice labelled with the ' +
    'Service name, keeps routing to the pods they list. Likewise an endpoint whose pod no longer exists, or now has ' +
    'another IP, sends traffic to an address nobody answers. The controller removes such endpoints within moments, ' +
    'so one that stays points at a controller that is not keeping up, or at a slice nobody maintains.',
  fix:
    'Delete the left-over slices (and the left-over Endpoints) of a selectorless Service; for slices of a selector ' +
    'Service, check kube-controller-manager (FailedToUpdateEndpointSlices events) and delete the slice to have it rebuilt.',
  requires: ['endpointSlices'],
  // Any slice of any Service can list a vanished pod, and a selectorless one can hold left-overs.
  appliesTo: (view) => view.service.type !== 'ExternalName',
  run(view, model) {
    const { service } = view;
    if (service.type === 'ExternalName') return [];
    const name = service.meta.name;
    const ns = service.meta.namespace;
    const findings: FindingDraft[] = [];

    // 1. The selector was removed: the controller's slices (and Endpoints) are frozen (§1.1).
    // Empty placeholders route nowhere; selectorless-no-endpoints mentions them.
    const leftover = view.selectorless ? view.slices.filter((s) => isControllerSlice(s) && endpointCount(s) > 0) : [];
    // The left-over Endpoints, when it is one, and the slices the mirroring controller copies it
    // into (§4): they belong to this finding, not to a second one calling them hand-made.
    let foldedMirrors: EndpointSlice[] = [];
    const endpoints = view.endpoints;
    // The Endpoints controller's own object (v1.33+ label) on a selectorless Service: left over too.
    const staleEndpointsObject =
      view.selectorless &&
      endpoints !== undefined &&
      !isLeaderElection(endpoints) &&
      endpoints.meta.labels[LABEL_ENDPOINTS_MANAGED_BY] === ENDPOINTS_CONTROLLER;
    if (leftover.length > 0) {
      const count = leftover.reduce((n, s) => n + endpointCount(s), 0);
      const names = leftover.map((s) => s.meta.name);
      let endpointsNote = '';
      if (staleEndpointsObject) {
        foldedMirrors = view.slices.filter((s) => isMirroredSlice(s) && endpointCount(s) > 0);
        const mirrorCount = foldedMirrors.reduce((n, s) => n + endpointCount(s), 0);
        endpointsNote =
          `; the Endpoints ${name} (${LABEL_ENDPOINTS_MANAGED_BY}=${ENDPOINTS_CONTROLLER}) is left over too, ` +
          (foldedMirrors.length > 0
            ? `and the mirroring controller copies it into ${listSome(foldedMirrors.map((s) => s.meta.name))} ` +
              `(${plural(mirrorCount, 'endpoint')}), which kube-proxy routes to as well`
            : 'and gets mirrored');
      }
      findings.push({
        message:
          `the Service has no selector, yet ${plural(leftover.length, 'EndpointSlice')} managed by ${SLICE_CONTROLLER} ` +
          `remain${leftover.length === 1 ? 's' : ''} (${listSome(names)}, ${plural(count, 'endpoint')}): left over from a ` +
          `removed selector, no controller updates ${leftover.length === 1 ? 'it' : 'them'} any more, and kube-proxy still routes to ` +
          `${leftover.length === 1 ? 'its' : 'their'} endpoints` +
          endpointsNote,
        fix:
          `kubectl delete endpointslice ${names.join(' ')} -n ${ns}` +
          (staleEndpointsObject ? ` && kubectl delete endpoints ${name} -n ${ns}` : '') +
          ' (' +
          (foldedMirrors.length > 0
            ? `the mirroring controller then deletes its ${foldedMirrors.length === 1 ? 'copy' : 'copies'} ` +
              `${listSome(foldedMirrors.map((s) => s.meta.name))}; `
            : '') +
          'or restore the selector if it was removed by mistake)',
      });
    }

    // 2. Ready endpoints whose pod is gone or has another IP. Only what the snapshot proves:
    // the pods of that namespace were read, and an endpoint already marked terminating whose
    // pod is gone is the normal last step of a deletion, not staleness.
    const pods: FindingPod[] = [];
    const slicesWithStale = new Set<EndpointSlice>();
    for (const slice of view.slices) {
      if (!isProxiedSlice(slice) || leftover.includes(slice) || foldedMirrors.includes(slice)) continue;
      for (const endpoint of slice.endpoints) {
        const ref = endpoint.targetRef;
        const address = endpoint.addresses[0];
        // Not-ready endpoints get no traffic (nor DNS answers); only ready ones do harm.
        if (!ref || ref.kind !== 'Pod' || !address || !endpoint.conditions.ready) continue;
        const podNs = ref.namespace ?? slice.meta.namespace;
        const pod = model.pod(podNs, ref.name);
        if (!pod && model.podsInNamespace(podNs).length === 0) continue;
        let cause: string | undefined;
        if (!pod) {
          if (endpoint.conditions.terminating) continue;
          cause = `pod no longer exists, but ${slice.meta.name} still lists ${address} as ready`;
        } else if (pod.podIPs.length > 0 && !pod.podIPs.some((ip) => canonicalIP(ip) === canonicalIP(address))) {
          cause = `pod now has IP ${pod.podIPs.join(', ')}, but ${slice.meta.name} still lists ${address} (a pod of the same name was recreated)`;
        } else if (pod.podIPs.length === 0 && ref.uid && pod.meta.uid && ref.uid !== pod.meta.uid) {
          if (endpoint.conditions.terminating) continue;
          cause = `pod was recreated (uid ${pod.meta.uid}, no IP yet), but ${slice.meta.name} still lists the old pod's ${address}`;
        }
        if (!cause) continue;
        slicesWithStale.add(slice);
        pods.push({ name: ref.name, ...(podNs !== ns ? { namespace: podNs } : {}), cause });
      }
    }
    if (pods.length > 0) {
      const slices = [...slicesWithStale];
      // A mirrored slice is a copy of the Endpoints of the same name (§4): that is what to change.
      const controllerSlices = slices.filter(isControllerSlice);
      const mirrored = slices.filter(isMirroredSlice);
      const handMade = slices.filter(isForeignSlice);
      const fixes: string[] = [];
      if (controllerSlices.length > 0)
        fixes.push(
          `the EndpointSlice controller is not keeping up: check kube-controller-manager logs and kubectl get events -n ${ns} ` +
            `--field-selector involvedObject.name=${name}; deleting the slice makes it rebuild: kubectl delete endpointslice ` +
            `${controllerSlices.map((s) => s.meta.name).join(' ')} -n ${ns}`,
        );
      if (handMade.length > 0)
        fixes.push(`update the hand-made endpoints: kubectl edit endpointslice ${handMade[0]!.meta.name} -n ${ns}`);
      if (mirrored.length > 0) {
        const copies = `${listSome(mirrored.map((s) => s.meta.name))} ${mirrored.length === 1 ? 'is a copy' : 'are copies'} the mirroring controller makes of the Endpoints ${name}`;
        fixes.push(
          staleEndpointsObject
            ? `${copies}, which the Endpoints controller left behind when the selector was removed: kubectl delete endpoints ${name} -n ${ns} (the mirroring controller then deletes ${mirrored.length === 1 ? 'the copy' : 'the copies'})`
            : `${copies}: update that instead: kubectl edit endpoints ${name} -n ${ns}`,
        );
      }
      findings.push({
        message:
          `${plural(pods.length, 'endpoint')} in ${listSome(slices.map((s) => s.meta.name))}` +
          (mirrored.length === slices.length ? ` (mirrored from the Endpoints ${name})` : '') +
          ` ${pods.length === 1 ? 'points' : 'point'} as ready at a pod that is gone or has another IP: kube-proxy still sends traffic there`,
        pods: pods.slice(0, MAX_PODS),
        fix: fixes.join('; '),
      });
    }
    return findings;
  },
};
