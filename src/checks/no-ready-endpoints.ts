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
import type { Check, FindingDraft, MessageData } from './types.js';
import { familyOf } from '../core/ip.js';
import type { FindingPod } from '../core/findings.js';

const PODS = 'no ready endpoint: {{pods}} matching {{selector}} {{isNot}} a ready endpoint{{shown}} ({{causes}})';
const ENDPOINTS = 'no ready endpoint: {{endpoints}} in {{slices}} {{isNot}} ready ({{conditions}})';
const FALLBACK = '; kube-proxy falls back to {{fallback}} still serving until {{itGoes}}';
const NOT_READY_ADDRESSES =
  "no ready endpoint: the Endpoints {{name}} lists {{addresses}} of the Service's family, all under notReadyAddresses " +
  '({{ips}}); the mirroring controller copies them into EndpointSlices as ready=false, and {{outcome}} ' +
  '(EndpointSlices were not read: judged from the Endpoints)';

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
  messages: {
    allPodsUnready: PODS,
    allPodsUnreadyFallback: PODS + FALLBACK,
    allEndpointsUnready: ENDPOINTS,
    allEndpointsUnreadyFallback: ENDPOINTS + FALLBACK,
    allAddressesNotReady: NOT_READY_ADDRESSES.replace('{{outcome}}', 'kube-proxy rejects connections to the Service'),
    allAddressesNotReadyHeadless: NOT_READY_ADDRESSES.replace(
      '{{outcome}}',
      'cluster DNS returns no address for this headless Service',
    ),
  },
  // What the dataplane does without a ready endpoint, when it does not fall back.
  notes: {
    rejected: '; kube-proxy rejects connections to the Service',
    sentToGonePods:
      '; kube-proxy still sends its connections to {{gone}} listed as ready whose pod is gone or has another IP ' +
      '(see stale-endpoints), and no backend answers there',
    noDnsAddress: '; cluster DNS returns no address for this headless Service',
    dnsAnswersWithGonePods:
      '; cluster DNS still answers for this headless Service with {{gone}} whose pod is gone (see stale-endpoints)',
  },
  // Kube-proxy still serves from terminating endpoints: the Service works, for now.
  severities: { allPodsUnreadyFallback: 'warning', allEndpointsUnreadyFallback: 'warning' },
  // Every reason: an error, fallback or not, when a Fail webhook or an APIService calls the Service.
  noReadyEndpointReasons: [
    'allPodsUnready',
    'allPodsUnreadyFallback',
    'allEndpointsUnready',
    'allEndpointsUnreadyFallback',
    'allAddressesNotReady',
    'allAddressesNotReadyHeadless',
  ],
  appliesToServices: { backends: ['selector', 'selectorless'] },
  // Without EndpointSlices it judges the pods: an outage it finds is one, but pods that look ready
  // do not show that kube-proxy has ready endpoints.
  clearsOnlyWith: ['endpointSlices'],
  run(view, model) {
    const { service } = view;
    if (view.counts.ready > 0) return [];
    if (view.selectorless) return sliceFinding(view, model);
    // Without Pods in the input the slices are all there is to judge by (kube-proxy reads nothing else).
    if (!model.coverage.pods) return model.coverage.endpointSlices ? sliceFinding(view, model) : [];
    // A selector matching nothing is selector-no-match's finding.
    if (view.matched.length === 0) return [];

    const sorted = byRelevance(view.matched);
    const causes = sorted.map((m) => podCause(view, m, model));
    const total = sorted.length;
    const outcome = dataplaneOutcome(view, model);
    return [
      {
        ...withOutcome('allPodsUnready', outcome, {
          pods: total === 1 ? 'the pod' : `none of the ${total} pods`,
          selector: formatLabels(service.selector!),
          isNot: total === 1 ? 'is not' : 'is',
          shown: shownOf(total),
          causes: summarizeCauses(causes),
        }),
        pods: listPods(view, sorted, model),
        fix: podFix(sorted[0], model),
      },
    ];
  },
};

/** The reason and notes of a finding with this outcome: a fallback is a reason of its own (a warning). */
function withOutcome(
  reason: 'allPodsUnready' | 'allEndpointsUnready',
  outcome: Outcome,
  data: MessageData,
): Pick<FindingDraft, 'reason' | 'data' | 'notes'> {
  if (outcome.note === 'fallback') return { reason: `${reason}Fallback`, data: { ...data, ...outcome.data } };
  return { reason, data: { ...data, ...outcome.data }, notes: [outcome.note] };
}

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
  const found = withOutcome('allEndpointsUnready', outcome, {
    endpoints: listed.length === 1 ? 'the endpoint' : `none of the ${listed.length} endpoints`,
    slices: `${slices.length === 1 ? 'EndpointSlice' : 'EndpointSlices'} ${listSome(slices.map((s) => s.meta.name))}`,
    isNot: listed.length === 1 ? 'is not' : 'is',
    conditions: described.join('; '),
  });
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
  const draft: FindingDraft = { ...found, fix };
  if (pods.length > 0) draft.pods = pods;
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
      reason: isHeadless(service) ? 'allAddressesNotReadyHeadless' : 'allAddressesNotReady',
      data: {
        name,
        addresses: plural(notReady.length, 'address', 'addresses'),
        ips: listSome(notReady.map((a) => a.ip)),
      },
      fix:
        'list the backends that serve under subsets[].addresses: ' +
        kubectl('edit', 'endpoints', name, '-n', namespace),
    },
  ];
}

/** What the dataplane does without a ready backend: a note of the check, or the fallback. */
interface Outcome {
  note: 'rejected' | 'sentToGonePods' | 'noDnsAddress' | 'dnsAnswersWithGonePods' | 'fallback';
  data: MessageData;
}

/**
 * What the dataplane does for a Service without a ready backend (CategorizeEndpoints): DNS has
 * nothing for a headless Service; kube-proxy sends connections to endpoints listed ready whose
 * pod is gone, else falls back to serving terminating ones (a warning: traffic still flows), else
 * rejects.
 */
function dataplaneOutcome(view: ServiceView, model: ClusterModel): Outcome {
  const listedReady = view.sliceEndpoints.filter((e) => e.ready);
  if (isHeadless(view.service)) {
    return listedReady.length > 0
      ? { note: 'dnsAnswersWithGonePods', data: { gone: plural(listedReady.length, 'address', 'addresses') } }
      : { note: 'noDnsAddress', data: {} };
  }
  if (listedReady.length > 0) return { note: 'sentToGonePods', data: { gone: plural(listedReady.length, 'endpoint') } };
  const fallback = servingTerminating(view, model);
  if (fallback > 0) {
    return {
      note: 'fallback',
      data: { fallback: plural(fallback, 'terminating endpoint'), itGoes: fallback === 1 ? 'it goes' : 'they go' },
    };
  }
  return { note: 'rejected', data: {} };
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
