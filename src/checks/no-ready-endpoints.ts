// No ready backend behind a Service, whoever supplies its endpoints: the EndpointSlice
// controller from the pods a selector matches, or you, with hand-made EndpointSlices or an
// Endpoints object the mirroring controller copies (selectorless). kube-proxy's choice is
// pkg/proxy/topology.go CategorizeEndpoints: the ready endpoints; when there is none, those that
// are serving and terminating; otherwise the Service has no endpoints and its connections are
// rejected. An endpoint whose pod is gone is still "ready" to kube-proxy, which keeps sending
// connections there: no ready backend either, and no fallback.

import type { ClusterModel } from '../model/cluster.js';
import { isControllerSlice, isLeaderElection, isMirroredSlice, skipsMirroring } from '../model/endpoint-meta.js';
import { formatLabels } from '../core/selectors.js';
import type { ServiceEndpoint, ServiceView } from '../model/service-view.js';
import { isHeadless, proxiedFamilies } from '../model/services.js';
import { pushTo } from '../core/multimap.js';
import type { EndpointAddress, EndpointSlice } from '../core/objects.js';
import {
  byRelevance,
  kubectl,
  listPods,
  listSome,
  plural,
  podCause,
  podFix,
  shellQuote,
  shownOf,
  summarizeCauses,
} from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { familyOf } from '../core/ip.js';
import type { FindingPod, Severity } from '../core/findings.js';

export const noReadyEndpoints: Check = {
  id: 'no-ready-endpoints',
  severity: 'error',
  title: 'No endpoint of the Service is ready',
  explanation:
    "An endpoint is ready when its pod's Ready condition is True and the pod is not terminating, or always when the " +
    'Service sets publishNotReadyAddresses. Finished pods and pods without an IP are not endpoints at all. A selectorless ' +
    "Service's endpoints are as ready as its hand-made EndpointSlices say (an unset condition means ready), or as the " +
    'Endpoints object they are mirrored from: notReadyAddresses become ready=false. With no ready endpoint kube-proxy ' +
    'rejects connections to the Service, falling back only to terminating endpoints that still serve; cluster DNS ' +
    'returns no address for a headless Service. An endpoint whose pod is gone is no ready backend, yet kube-proxy keeps ' +
    'sending connections to it.',
  fix:
    'Make the pods ready: each listed pod carries the reason it is not (a container waiting reason such as ' +
    'CrashLoopBackOff or ImagePullBackOff, a failing readiness probe, a readiness gate, an unschedulable or NotReady ' +
    'node). For hand-made endpoints, mark those whose backend serves as ready (conditions.ready, or addresses rather ' +
    'than notReadyAddresses in the Endpoints).',
  // Without EndpointSlices it judges the pods: an outage it finds is one, but pods that look ready
  // do not show that kube-proxy has ready endpoints.
  clearsOnlyWith: ['endpointSlices'],
  appliesTo: (view) => view.service.type !== 'ExternalName',
  run(view, model) {
    const { service } = view;
    if (service.type === 'ExternalName' || view.counts.ready > 0) return [];
    if (view.selectorless) return sliceFinding(view, model);
    // Without Pods in the input the slices are all there is to judge by (kube-proxy reads nothing else).
    if (!model.coverage.pods) return model.coverage.endpointSlices ? sliceFinding(view, model) : [];
    // A selector matching nothing is selector-no-match's finding.
    if (!service.selector || view.matched.length === 0) return [];

    const sorted = byRelevance(view.matched);
    const causes = sorted.map((m) => podCause(view, m, model));
    const total = sorted.length;
    const outcome = dataplaneOutcome(view, model);
    const message =
      `no ready endpoint: ${total === 1 ? 'the pod' : `none of the ${total} pods`} matching ${formatLabels(service.selector)} ` +
      `${total === 1 ? 'is not' : 'is'} a ready endpoint${shownOf(total)} (${summarizeCauses(causes)}); ${outcome.text}`;
    const draft: FindingDraft = { message, pods: listPods(view, sorted, model), fix: podFix(sorted[0]!, model) };
    if (outcome.severity) draft.severity = outcome.severity;
    return [draft];
  },
};

function listsAny(slice: EndpointSlice, endpoints: ServiceEndpoint[]): boolean {
  const addresses = new Set(endpoints.map((e) => e.address));
  return slice.endpoints.some((e) => e.addresses[0] !== undefined && addresses.has(e.addresses[0]));
}

/** How an endpoint's conditions read in a finding: "ready=false, serving=false". */
function conditionsOf(e: ServiceEndpoint): string {
  if (e.stale) return `listed ready, but its ${e.stale}`;
  return `ready=${e.ready}, serving=${e.serving}${e.terminating ? ', terminating' : ''}`;
}

/**
 * Judged on the slices alone: a selectorless Service's (or, when the input has none, the Endpoints
 * the mirroring controller would copy), or a selector Service's when the input holds no Pods.
 */
function sliceFinding(view: ServiceView, model: ClusterModel): FindingDraft[] {
  const { service } = view;
  const { name, namespace } = service.meta;
  if (!model.coverage.endpointSlices) return fromEndpoints(view, model);
  const listed = view.sliceEndpoints;
  // No endpoint at all is selectorless-no-endpoints' finding.
  if (listed.length === 0) return [];
  // Every slice that lists them, duplicates included: the one kube-proxy keeps is an accident of order.
  const slices = view.slices.filter((s) => s.endpoints.some((e) => e.addresses.length > 0) && listsAny(s, listed));
  const outcome = dataplaneOutcome(view, model);
  const byConditions = new Map<string, string[]>();
  for (const e of listed) pushTo(byConditions, conditionsOf(e), e.address);
  const described = [...byConditions].map(([conditions, addresses]) => `${conditions}: ${listSome(addresses, 3)}`);
  const message =
    `no ready endpoint: ${listed.length === 1 ? 'the endpoint' : `none of the ${listed.length} endpoints`} in ` +
    `${slices.length === 1 ? 'EndpointSlice' : 'EndpointSlices'} ${listSome(slices.map((s) => s.meta.name))} ` +
    `${listed.length === 1 ? 'is not' : 'is'} ready (${described.join('; ')}); ${outcome.text}`;
  const pods: FindingPod[] = listed
    .filter((e) => e.targetRef?.kind === 'Pod')
    .map((e) => ({
      name: e.targetRef!.name,
      ...(e.targetRef!.namespace && e.targetRef!.namespace !== namespace ? { namespace: e.targetRef!.namespace } : {}),
      cause: `endpoint ${e.address}: ${conditionsOf(e)}`,
    }));
  const leftover = slices.some(isControllerSlice);
  const mirrored = slices.some(isMirroredSlice);
  const handMade = slices.find((s) => !isMirroredSlice(s) && !isControllerSlice(s));
  const fix = service.selector
    ? 'the input holds no Pods to say why they are not ready; look at them: ' +
      kubectl('get', 'pods', '-n', namespace, '-l', formatLabels(service.selector), '-o', 'wide')
    : leftover
      ? 'the EndpointSlice controller wrote these slices before the selector was removed (see stale-endpoints): restore ' +
        `the selector, or list the backends in your own EndpointSlice (${kubectl('get', 'service', name, '-n', namespace, '-o', 'yaml')})`
      : mirrored
        ? `the slice is a copy of the Endpoints ${shellQuote(name)}: list the backends that serve under subsets[].addresses, ` +
          `not notReadyAddresses: ${kubectl('edit', 'endpoints', name, '-n', namespace)}`
        : 'mark the endpoints whose backend serves as ready (conditions.ready: true, or leave conditions unset): ' +
          kubectl('edit', 'endpointslice', handMade!.meta.name, '-n', namespace);
  const draft: FindingDraft = { message, fix };
  if (pods.length > 0) draft.pods = pods;
  if (outcome.severity) draft.severity = outcome.severity;
  return [draft];
}

/**
 * No EndpointSlices in the input: the Endpoints of a selectorless Service is what the mirroring
 * controller copies (pkg/controller/endpointslicemirroring): addresses as ready, notReadyAddresses
 * as ready=false with serving and terminating unset, each address under its own family.
 */
function fromEndpoints(view: ServiceView, model: ClusterModel): FindingDraft[] {
  const { service } = view;
  const endpoints = view.endpoints;
  if (!model.coverage.endpoints || !endpoints || isLeaderElection(endpoints) || skipsMirroring(endpoints)) return [];
  const families = proxiedFamilies(service);
  const ofFamily = (a: EndpointAddress) => (families as (string | undefined)[]).includes(familyOf(a.ip));
  const ready = endpoints.subsets.flatMap((s) => s.addresses).filter(ofFamily);
  const notReady = endpoints.subsets.flatMap((s) => s.notReadyAddresses).filter(ofFamily);
  if (ready.length > 0 || notReady.length === 0) return [];
  const { name, namespace } = service.meta;
  return [
    {
      message:
        `no ready endpoint: the Endpoints ${name} lists ${plural(notReady.length, 'address', 'addresses')} of the Service's ` +
        `family, all under notReadyAddresses (${listSome(notReady.map((a) => a.ip))}); the mirroring controller copies ` +
        `them into EndpointSlices as ready=false, and ${isHeadless(service) ? 'cluster DNS returns no address for this headless Service' : 'kube-proxy rejects connections to the Service'} ` +
        '(EndpointSlices were not read: judged from the Endpoints)',
      fix:
        'list the backends that serve under subsets[].addresses: ' +
        kubectl('edit', 'endpoints', name, '-n', namespace),
    },
  ];
}

/**
 * What the dataplane does for a Service without a ready backend (CategorizeEndpoints): DNS has
 * nothing for a headless Service; kube-proxy sends connections to endpoints listed ready whose
 * pod is gone, else falls back to serving terminating ones (a warning: traffic still flows), else
 * rejects.
 */
function dataplaneOutcome(view: ServiceView, model: ClusterModel): { text: string; severity?: Severity } {
  const listedReady = view.sliceEndpoints.filter((e) => e.ready);
  if (isHeadless(view.service)) {
    return listedReady.length > 0
      ? {
          text: `cluster DNS still answers for this headless Service with ${plural(listedReady.length, 'address', 'addresses')} whose pod is gone (see stale-endpoints)`,
        }
      : { text: 'cluster DNS returns no address for this headless Service' };
  }
  if (listedReady.length > 0) {
    return {
      text:
        `kube-proxy still sends its connections to ${plural(listedReady.length, 'endpoint')} listed as ready whose pod is ` +
        'gone or has another IP (see stale-endpoints), and no backend answers there',
    };
  }
  const fallback = servingTerminating(view, model);
  if (fallback > 0) {
    return {
      text: `kube-proxy falls back to ${plural(fallback, 'terminating endpoint')} still serving until ${fallback === 1 ? 'it goes' : 'they go'}`,
      severity: 'warning',
    };
  }
  return { text: 'kube-proxy rejects connections to the Service' };
}

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
