import {
  handMadeAddresses,
  isControllerSlice,
  isLeaderElection,
  OVER_CAPACITY_ANNOTATION,
} from '../model/endpoint-meta.js';
import { hasLabel } from '../core/selectors.js';
import { isPodReady } from '../model/pod-state.js';
import type { ServiceView } from '../model/service-view.js';
import { primaryFamily } from '../model/services.js';
import type { EndpointAddress, EndpointSlice, Endpoints, ObjectRef } from '../core/objects.js';
import { getEvents, MAX_PODS, plural } from './helpers.js';
import type { Check } from './types.js';
import { familyOf, canonicalIP, type AddressFamily } from '../core/ip.js';
import type { FindingPod } from '../core/findings.js';

interface Entry {
  ready: boolean;
  targetRef?: ObjectRef;
  /** Slice name, for slice entries. */
  where?: string;
}

/** The Service's Endpoints when the Endpoints controller writes them: hand-made ones are manual-endpoints-ignored's case. */
function controllerEndpoints(view: ServiceView): Endpoints | undefined {
  const endpoints = view.endpoints;
  if (!endpoints || isLeaderElection(endpoints) || handMadeAddresses(endpoints, view.service).length > 0)
    return undefined;
  return endpoints;
}

function controllerSlices(view: ServiceView, family: AddressFamily): EndpointSlice[] {
  return view.slices.filter((s) => isControllerSlice(s) && s.addressType === family);
}

const DISAGREE =
  'the EndpointSlices and the Endpoints {{name}} disagree on the ready {{family}} addresses beyond their documented ' +
  'differences: ';
const FOLLOWS = '; kube-proxy follows the EndpointSlices, tools reading v1 Endpoints see the other set';

export const slicesEndpointsDisagree: Check = {
  id: 'slices-endpoints-disagree',
  severity: 'info',
  title: 'EndpointSlices and Endpoints disagree on the ready addresses',
  explanation:
    'For a Service with a selector, the EndpointSlice controller and the Endpoints controller derive their objects ' +
    'from the same pods. Their documented differences: Endpoints drops terminating pods unless ' +
    'publishNotReadyAddresses, holds only the primary IP family, omits pods none of whose ports resolve, and ' +
    'truncates at 1000 addresses; the slice controller skips pods whose Node is missing. Beyond those the ready ' +
    'addresses of the primary family should be the same. kube-proxy follows the EndpointSlices; tools reading v1 ' +
    'Endpoints see the other set.',
  fix:
    'A difference that lasts means one controller is behind: check kube-controller-manager logs and the events of ' +
    'the Service, its Endpoints and its EndpointSlices.',
  messages: {
    readyOnlyInSlices: `${DISAGREE}{{onlySlices}} ready only in the EndpointSlices${FOLLOWS}`,
    readyOnlyInEndpoints: `${DISAGREE}{{onlyEndpoints}} ready only in the Endpoints${FOLLOWS}`,
    readyInEitherOnly: `${DISAGREE}{{onlySlices}} ready only in the EndpointSlices, {{onlyEndpoints}} ready only in the Endpoints${FOLLOWS}`,
  },
  // One of the two controllers could not write what the other did.
  explainsEvents: ['FailedToUpdateEndpointSlices', 'FailedToUpdateEndpoint', 'FailedToCreateEndpoint'],
  appliesToServices: { backends: ['selector'] },
  requires: ['endpoints', 'endpointSlices'],
  // Judged from whichever of the two the input holds.
  appliesTo(view, model) {
    const family = primaryFamily(view.service);
    if (!family) return false;
    if (model.coverage.endpoints && !controllerEndpoints(view)) return false;
    return !model.coverage.endpointSlices || controllerSlices(view, family).length > 0;
  },
  run(view, model) {
    const { service } = view;
    const endpoints = controllerEndpoints(view);
    if (!endpoints) return [];
    const family = primaryFamily(service);
    if (!family) return [];
    const slices = controllerSlices(view, family);
    if (slices.length === 0) return [];

    const ns = service.meta.namespace;
    const podOf = (ref: ObjectRef | undefined) =>
      ref && ref.kind === 'Pod' ? model.pod(ref.namespace ?? ns, ref.name) : undefined;

    const listedInSlices = new Map<string, Entry>();
    for (const slice of slices) {
      // Pods none of whose ports resolve sit in a slice with ports: []; Endpoints omits them (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping, docs/kubernetes-semantics.md#how-a-targetport-is-resolved).
      if (slice.ports.length === 0 && service.ports.length > 0) continue;
      for (const e of slice.endpoints) {
        const address = e.addresses[0];
        if (!address || e.conditions.terminating) continue;
        // Lag of a pod being deleted is not a disagreement (and Endpoints drops terminating pods, docs/kubernetes-semantics.md#the-legacy-endpoints-controller).
        if (podOf(e.targetRef)?.meta.deletionTimestamp !== undefined) continue;
        const ready = e.conditions.ready;
        const ip = canonicalIP(address);
        const seen = listedInSlices.get(ip);
        if (!seen || (ready && !seen.ready))
          listedInSlices.set(ip, { ready, targetRef: e.targetRef, where: slice.meta.name });
      }
    }

    const inEndpoints = new Map<string, Entry>();
    const addEndpoints = (list: EndpointAddress[], ready: boolean) => {
      for (const a of list) {
        if (familyOf(a.ip) !== family) continue;
        const pod = podOf(a.targetRef);
        if (pod?.meta.deletionTimestamp !== undefined) continue;
        // The slice controller skips pods whose Node object is gone (docs/kubernetes-semantics.md#which-pods-become-endpoints); the Endpoints controller does not.
        const nodeName = a.nodeName ?? pod?.nodeName;
        if (model.coverage.nodes && nodeName && !model.node(nodeName) && !service.publishNotReadyAddresses) continue;
        const ip = canonicalIP(a.ip);
        const seen = inEndpoints.get(ip);
        if (!seen || (ready && !seen.ready)) inEndpoints.set(ip, { ready, targetRef: a.targetRef });
      }
    };
    for (const subset of endpoints.subsets) {
      addEndpoints(subset.addresses, true);
      addEndpoints(subset.notReadyAddresses, false);
    }

    const truncated = hasLabel(endpoints.meta.annotations, OVER_CAPACITY_ANNOTATION);
    const pods: FindingPod[] = [];
    let onlySlices = 0;
    let onlyEndpoints = 0;
    const podNote = (ref: ObjectRef | undefined) => {
      const pod = podOf(ref);
      return pod ? `; the pod is ${isPodReady(pod) ? 'Ready' : 'not Ready'}` : '';
    };
    const add = (ip: string, ref: ObjectRef | undefined, cause: string) =>
      pods.push({
        name: ref?.name ?? ip,
        ...(ref?.namespace && ref.namespace !== ns ? { namespace: ref.namespace } : {}),
        cause: `${ip}: ${cause}${podNote(ref)}`,
      });

    if (!truncated) {
      for (const [ip, s] of listedInSlices) {
        if (!s.ready || inEndpoints.get(ip)?.ready) continue;
        onlySlices++;
        const other = inEndpoints.get(ip);
        add(
          ip,
          s.targetRef,
          `ready in EndpointSlice ${s.where}, ${other ? 'under notReadyAddresses in' : 'missing from'} Endpoints ${endpoints.meta.name}`,
        );
      }
    }
    for (const [ip, e] of inEndpoints) {
      if (!e.ready || listedInSlices.get(ip)?.ready) continue;
      onlyEndpoints++;
      const other = listedInSlices.get(ip);
      add(
        ip,
        e.targetRef,
        `ready in Endpoints ${endpoints.meta.name}, ${other ? `not ready in EndpointSlice ${other.where}` : 'missing from every EndpointSlice'}`,
      );
    }
    if (pods.length === 0) return [];

    const name = service.meta.name;
    return [
      {
        reason:
          onlyEndpoints === 0 ? 'readyOnlyInSlices' : onlySlices === 0 ? 'readyOnlyInEndpoints' : 'readyInEitherOnly',
        data: {
          name: endpoints.meta.name,
          family,
          onlySlices: plural(onlySlices, 'address', 'addresses'),
          onlyEndpoints: plural(onlyEndpoints, 'address', 'addresses'),
        },
        pods: pods.slice(0, MAX_PODS),
        fix:
          `often one controller is briefly behind: run again in a minute; if it persists, check kube-controller-manager ` +
          `and ${getEvents(ns, name)}`,
      },
    ];
  },
};
