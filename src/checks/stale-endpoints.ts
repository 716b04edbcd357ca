import {
  allAddresses,
  ENDPOINTS_CONTROLLER,
  handMadeAddresses,
  isControllerSlice,
  isForeignSlice,
  isLeaderElection,
  isMirroredSlice,
  isSliceReadFor,
  LABEL_ENDPOINTS_MANAGED_BY,
  SLICE_CONTROLLER,
} from '../model/endpoint-meta.js';
import { labelValue } from '../core/selectors.js';
import { staleTarget } from '../model/service-view.js';
import type { EndpointSlice } from '../core/objects.js';
import { agree, getEvents, kubectl, listSome, MAX_PODS, plural, shellQuote } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

function endpointCount(slice: EndpointSlice): number {
  return slice.endpoints.filter((e) => e.addresses.length > 0).length;
}

const VANISHED = '{{points}} as ready at a pod that is gone or has another IP: kube-proxy still sends traffic there';

export const staleEndpoints: Check = {
  id: 'stale-endpoints',
  severity: 'warning',
  title: 'EndpointSlices route to left-over or vanished backends',
  explanation:
    'No controller cleans up when a Service loses its selector (kubernetes/kubernetes#91072, #118376): the slices ' +
    'the EndpointSlice controller wrote stay as they were, and kube-proxy, which merges every slice labelled with the ' +
    'Service name, keeps routing to the pods they list. Likewise an endpoint whose pod no longer exists, or now has ' +
    'another IP, sends traffic to an address nobody answers; the report counts it as no ready backend. The controller ' +
    'removes such endpoints within moments, so one that stays points at a controller that is not keeping up, or at a ' +
    'slice nobody maintains. A pod counts as gone only when the pods of its namespace were read. The left-over ' +
    'Endpoints is recognised by its endpoints.kubernetes.io/managed-by label (v1.33+) or, next to left-over slices, by ' +
    'addresses that all point at pods.',
  fix:
    'Delete the left-over slices (and the left-over Endpoints) of a selectorless Service; for slices of a selector ' +
    'Service, check kube-controller-manager (FailedToUpdateEndpointSlices events) and delete the slice to have it rebuilt.',
  messages: {
    leftoverSlices:
      `the Service has no selector, yet {{slices}} managed by ${SLICE_CONTROLLER} {{remains}} ({{names}}, ` +
      '{{endpoints}}): left over from a removed selector, no controller updates {{it}} any more, and kube-proxy still ' +
      'routes to {{its}} endpoints',
    vanishedPods: `{{endpoints}} in {{slices}} ${VANISHED}`,
    vanishedPodsMirrored: `{{endpoints}} in {{slices}} (mirrored from the Endpoints {{name}}) ${VANISHED}`,
  },
  notes: {
    leftoverEndpointsMirrored:
      '; the Endpoints {{name}} ({{evidence}}) is left over too, and the mirroring controller copies it into ' +
      '{{mirrors}} ({{mirrorEndpoints}}), which kube-proxy routes to as well',
    leftoverEndpoints: '; the Endpoints {{name}} ({{evidence}}) is left over too, and gets mirrored',
    goneBackends: '; {{gone}} listed ready there {{points}} at a pod that no longer exists or has another IP',
  },
  // Any slice of any Service can list a vanished pod, and a selectorless one can hold left-overs.
  // The slice and Endpoints controllers', when the API refused the writes that would have removed them.
  explainsEvents: ['FailedToUpdateEndpointSlices', 'FailedToUpdateEndpoint'],
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['endpointSlices'],
  run(view, model) {
    const { service } = view;
    const name = service.meta.name;
    const ns = service.meta.namespace;
    const findings: FindingDraft[] = [];

    // 1. The selector was removed: the controller's slices (and Endpoints) are frozen (docs/kubernetes-semantics.md#which-services-get-controller-slices).
    // Empty placeholders route nowhere; selectorless-no-endpoints mentions them.
    const leftover = view.selectorless ? view.slices.filter((s) => isControllerSlice(s) && endpointCount(s) > 0) : [];
    // The left-over Endpoints, when it is one, and the slices the mirroring controller copies it
    // into (docs/kubernetes-semantics.md#endpointslice-mirroring): they belong to this finding, not to a second one calling them hand-made.
    let foldedMirrors: EndpointSlice[] = [];
    const endpoints = view.endpoints;
    // The Endpoints controller's own object on a selectorless Service is left over too: labelled
    // as its own since v1.33; before, recognised next to left-over slices by its addresses, which
    // all point at pods of the namespace as only that controller writes them (docs/kubernetes-semantics.md#the-legacy-endpoints-controller).
    const labelled =
      endpoints !== undefined && labelValue(endpoints.meta.labels, LABEL_ENDPOINTS_MANAGED_BY) === ENDPOINTS_CONTROLLER;
    const podAddressesOnly =
      endpoints !== undefined &&
      allAddresses(endpoints).length > 0 &&
      handMadeAddresses(endpoints, service).length === 0;
    const staleEndpointsObject =
      view.selectorless &&
      endpoints !== undefined &&
      !isLeaderElection(endpoints) &&
      (labelled || (leftover.length > 0 && podAddressesOnly));
    if (leftover.length > 0) {
      const count = leftover.reduce((n, s) => n + endpointCount(s), 0);
      const names = leftover.map((s) => s.meta.name);
      const data: Record<string, string | number> = {
        slices: plural(leftover.length, 'EndpointSlice'),
        remains: agree(leftover.length, 'remains', 'remain'),
        names: listSome(names),
        endpoints: plural(count, 'endpoint'),
        it: agree(leftover.length, 'it', 'them'),
        its: agree(leftover.length, 'its', 'their'),
        name,
      };
      const notes: string[] = [];
      if (staleEndpointsObject) {
        foldedMirrors = view.slices.filter((s) => isMirroredSlice(s) && endpointCount(s) > 0);
        data.evidence = labelled
          ? `${LABEL_ENDPOINTS_MANAGED_BY}=${ENDPOINTS_CONTROLLER}`
          : 'its addresses point at pods, as the Endpoints controller writes them; clusters before v1.33 do not label it';
        if (foldedMirrors.length > 0) {
          notes.push('leftoverEndpointsMirrored');
          data.mirrors = listSome(foldedMirrors.map((s) => s.meta.name));
          data.mirrorEndpoints = plural(
            foldedMirrors.reduce((n, s) => n + endpointCount(s), 0),
            'endpoint',
          );
        } else notes.push('leftoverEndpoints');
      }
      // Their pods may well be gone by now: then the traffic they get reaches nobody. The
      // mirrored copies list the same addresses: each address counts once.
      const gone = new Set(
        [...leftover, ...foldedMirrors].flatMap((s) =>
          s.endpoints
            .filter(
              (e) =>
                e.conditions.ready &&
                staleTarget(model, s.meta.namespace, e.targetRef, e.addresses[0], e.conditions.terminating),
            )
            .map((e) => e.addresses[0]),
        ),
      ).size;
      if (gone > 0) {
        notes.push('goneBackends');
        data.gone = plural(gone, 'endpoint');
        data.points = agree(gone, 'points', 'point');
      }
      findings.push({
        reason: 'leftoverSlices',
        data,
        notes,
        fix:
          kubectl('delete', 'endpointslice', ...names, '-n', ns) +
          (staleEndpointsObject ? ` && ${kubectl('delete', 'endpoints', name, '-n', ns)}` : '') +
          ' (' +
          (foldedMirrors.length > 0
            ? `the mirroring controller then deletes its ${foldedMirrors.length === 1 ? 'copy' : 'copies'} ` +
              `${listSome(foldedMirrors.map((s) => shellQuote(s.meta.name)))}; `
            : '') +
          'or restore the selector if it was removed by mistake)',
      });
    }

    // 2. Ready endpoints whose pod is gone or has another IP (staleTarget: only what the input
    // proves). Not-ready endpoints get no traffic (nor DNS answers); only ready ones do harm.
    const pods: FindingPod[] = [];
    const slicesWithStale = new Set<EndpointSlice>();
    for (const slice of view.slices) {
      if (!isSliceReadFor(service, slice) || leftover.includes(slice) || foldedMirrors.includes(slice)) continue;
      for (const endpoint of slice.endpoints) {
        const { targetRef: ref, conditions } = endpoint;
        const address = endpoint.addresses[0];
        if (!conditions.ready) continue;
        const stale = staleTarget(model, slice.meta.namespace, ref, address, conditions.terminating);
        if (!stale || !ref) continue;
        slicesWithStale.add(slice);
        const podNs = ref.namespace ?? slice.meta.namespace;
        pods.push({
          name: ref.name,
          ...(podNs !== ns ? { namespace: podNs } : {}),
          cause: `${stale}, but ${slice.meta.name} still lists ${address} as ready`,
        });
      }
    }
    if (pods.length > 0) {
      const slices = [...slicesWithStale];
      // A mirrored slice is a copy of the Endpoints of the same name (docs/kubernetes-semantics.md#endpointslice-mirroring): that is what to change.
      const controllerSlices = slices.filter(isControllerSlice);
      const mirrored = slices.filter(isMirroredSlice);
      const handMade = slices.filter(isForeignSlice);
      const fixes: string[] = [];
      if (controllerSlices.length > 0)
        fixes.push(
          `the EndpointSlice controller is not keeping up: check kube-controller-manager logs and ${getEvents(ns, name)}; ` +
            `deleting the slice makes it rebuild: ${kubectl('delete', 'endpointslice', ...controllerSlices.map((s) => s.meta.name), '-n', ns)}`,
        );
      if (handMade.length > 0)
        fixes.push(
          `update the hand-made endpoints: ${kubectl('edit', 'endpointslice', handMade[0].meta.name, '-n', ns)}`,
        );
      if (mirrored.length > 0) {
        const copies = `${listSome(mirrored.map((s) => shellQuote(s.meta.name)))} ${mirrored.length === 1 ? 'is a copy' : 'are copies'} the mirroring controller makes of the Endpoints ${shellQuote(name)}`;
        fixes.push(
          staleEndpointsObject
            ? `${copies}, which the Endpoints controller left behind when the selector was removed: ${kubectl('delete', 'endpoints', name, '-n', ns)} (the mirroring controller then deletes ${mirrored.length === 1 ? 'the copy' : 'the copies'})`
            : `${copies}: update that instead: ${kubectl('edit', 'endpoints', name, '-n', ns)}`,
        );
      }
      findings.push({
        reason: mirrored.length === slices.length ? 'vanishedPodsMirrored' : 'vanishedPods',
        data: {
          endpoints: plural(pods.length, 'endpoint'),
          slices: listSome(slices.map((s) => s.meta.name)),
          name,
          points: agree(pods.length, 'points', 'point'),
        },
        pods: pods.slice(0, MAX_PODS),
        fix: fixes.join('; '),
      });
    }
    return findings;
  },
};
