// A dual-stack Service gets one slice set per ipFamilies entry (docs/kubernetes-semantics.md#one-slice-set-per-address-family).
// When its pods have addresses of one family only, the other family keeps just an empty
// placeholder slice: that family's ClusterIP has no endpoints and kube-proxy rejects
// connections to it, while the other family works. A headless Service has no ClusterIP and
// kube-proxy skips it (pkg/proxy/util ShouldSkipService), so it has no family to lose; the API
// server even gives a selectorless headless Service both families on a single-stack cluster
// (pkg/registry/core/service/storage alloc.go, initIPFamilyFields).

import { isReadyBackend, type ServiceView } from '../model/service-view.js';
import { isFinished } from '../model/pod-state.js';
import type { Pod, Service } from '../core/objects.js';
import { isControllerSlice } from '../model/endpoint-meta.js';
import {
  agree,
  getSlices,
  kubectl,
  listSome,
  MAX_PODS,
  patchService,
  plural,
  podOwner,
  shellQuote,
} from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { familyOf } from '../core/ip.js';
import type { FindingPod } from '../core/findings.js';

type Family = 'IPv4' | 'IPv6';

/** Ready backends of the family, and the endpoints kube-proxy programs as ready (those whose pod is gone included). */
function readyCount(view: ServiceView, family: Family): { backends: number; programmed: number } {
  const ofFamily = view.sliceEndpoints.filter((e) => e.addressType === family && e.ready);
  return { backends: ofFamily.filter(isReadyBackend).length, programmed: ofFamily.length };
}

function singleStackPatch(service: Service, keep: Family): string {
  const index = service.ipFamilies.indexOf(keep);
  const clusterIP = service.clusterIPs[index];
  const spec: Record<string, unknown> = { ipFamilyPolicy: 'SingleStack', ipFamilies: [keep] };
  if (clusterIP) spec.clusterIPs = [clusterIP];
  return patchService(service, { spec });
}

export const ipFamilyWithoutEndpoints: Check = {
  id: 'ip-family-without-endpoints',
  severity: 'warning',
  title: 'A dual-stack Service has ready endpoints in one IP family only',
  explanation:
    "The EndpointSlice controller builds one set of slices per entry of spec.ipFamilies from the pods' addresses of that " +
    'family. Pods without an address of one family leave that family with an empty placeholder slice: kube-proxy ' +
    "rejects connections to that family's ClusterIP (and NodePorts), and clients that prefer it (often IPv6 first) fail " +
    'while the other family works. Headless Services are left out: kube-proxy does not proxy them, and DNS simply ' +
    'answers with the records of the family the endpoints have.',
  fix:
    'Give the pods addresses in both families (a dual-stack pod network and CNI), or make the Service single-stack in ' +
    'the family that has endpoints. Only the secondary family can be dropped; the primary one is immutable.',
  messages: {
    familyWithoutEndpoints:
      'dual-stack Service has {{endpoints}} but no ready {{missing}} one: kube-proxy rejects connections to its ' +
      '{{frontends}}',
  },
  notes: {
    emptyPlaceholder: " (its {{missing}} slice is the controller's empty placeholder)",
    ownPodsHaveFamily:
      '; {{withFamily}} already {{has}} an {{missing}} address ({{withFamilyNames}}) but {{is}} not a ready ' +
      'endpoint, the other {{withoutFamily}} {{otherHas}} none',
    otherPodsHaveFamily:
      '; other pods already get {{missing}} addresses (e.g. {{example}}), so these pods probably predate dual-stack',
  },
  // A headless Service has no ClusterIP of either family to lose.
  appliesToServices: { backends: ['selector', 'selectorless'], addresses: ['proxied', 'unproxied'] },
  run(view, model) {
    const { service } = view;
    if (service.ipFamilies.length !== 2) return [];
    const [first, second] = service.ipFamilies as [Family, Family];
    const firstCount = readyCount(view, first);
    const secondCount = readyCount(view, second);
    // One family has ready backends and kube-proxy has nothing ready for the other. Neither with
    // a backend is no-ready-endpoints' outage; a family whose ready endpoints lost their pods is
    // stale-endpoints' (kube-proxy sends that traffic on, it does not reject it).
    const gap = (present: typeof firstCount, missing: typeof firstCount) =>
      present.backends > 0 && missing.programmed === 0;
    const missing = gap(firstCount, secondCount) ? second : gap(secondCount, firstCount) ? first : undefined;
    if (!missing) return [];
    const present = missing === first ? second : first;
    const counts = { [first]: firstCount.backends, [second]: secondCount.backends } as Record<Family, number>;
    const { name, namespace } = service.meta;

    const ip = service.clusterIPs[service.ipFamilies.indexOf(missing)];
    const nodePorts = service.type === 'ClusterIP' ? '' : ' and NodePorts';
    const data: Record<string, string | number> = {
      endpoints: plural(counts[present], `ready ${present} endpoint`),
      missing,
      frontends: `${missing} ClusterIP${ip ? ` ${ip}` : ''}${nodePorts}`,
    };
    const notes: string[] = [];
    const placeholder = view.slices.some(
      (s) => s.addressType === missing && s.endpoints.length === 0 && isControllerSlice(s),
    );
    if (placeholder) notes.push('emptyPlaceholder');

    const singleFamily = view.matched.filter(
      (m) => m.state.shouldBeListed && !m.pod.podIPs.some((ip) => familyOf(ip) === missing),
    );
    const pods: FindingPod[] = singleFamily.slice(0, MAX_PODS).map((m) => ({
      name: m.pod.meta.name,
      cause: `has no ${missing} address (pod IPs: ${m.pod.podIPs.join(', ')})`,
    }));

    // Does the pod network already hand out the missing family? Then the single-family pods
    // predate it (a cluster converted to dual-stack keeps the IPs pods were created with) and
    // recreating them is the fix, not a dual-stack pod network. Evidence from the Service's own
    // pods first, then from the pods of its namespace, then from any pod of the input. (A
    // hostNetwork pod carries its node's addresses, which the slim Pod cannot tell apart.)
    const hasMissing = (pod: Pod) => !isFinished(pod) && pod.podIPs.some((ip) => familyOf(ip) === missing);
    const ownBoth = view.matched.filter((m) => hasMissing(m.pod));
    const otherWithFamily =
      ownBoth.length === 0
        ? (model.podsInNamespace(namespace).find(hasMissing) ?? model.pods.find(hasMissing))
        : undefined;
    if (ownBoth.length > 0 && singleFamily.length > 0) {
      notes.push('ownPodsHaveFamily');
      Object.assign(data, {
        withFamily: plural(ownBoth.length, 'of its pods', 'of its pods'),
        has: agree(ownBoth.length, 'has', 'have'),
        withFamilyNames: listSome(
          ownBoth.map((m) => m.pod.meta.name),
          3,
        ),
        is: agree(ownBoth.length, 'is', 'are'),
        withoutFamily: plural(singleFamily.length, 'pod'),
        otherHas: agree(singleFamily.length, 'has', 'have'),
      });
    } else if (otherWithFamily && singleFamily.length > 0) {
      notes.push('otherPodsHaveFamily');
      data.example = `${otherWithFamily.meta.namespace}/${otherWithFamily.meta.name}`;
    }

    const draft: FindingDraft = { reason: 'familyWithoutEndpoints', data, notes };
    if (pods.length > 0) draft.pods = pods;
    // The primary family (ipFamilies[0]) cannot change; only the secondary one can be dropped.
    const orDrop =
      missing === second
        ? `or drop the family: ${singleStackPatch(service, present)}`
        : `or, since the primary family ${missing} cannot be removed, recreate the Service with ipFamilies [${present}]: ` +
          kubectl('get', 'service', name, '-n', namespace, '-o', 'yaml');
    const firstPod = singleFamily[0]?.pod.meta.name;
    if (view.selectorless) {
      draft.fix =
        `add the backends' ${missing} addresses in an EndpointSlice of addressType ${missing} labelled ` +
        `${shellQuote(`kubernetes.io/service-name=${name}`)}; ${orDrop}`;
    } else if (firstPod && (ownBoth.length > 0 || otherWithFamily)) {
      draft.fix =
        `the pod network already hands out ${missing} addresses: recreate the ${plural(singleFamily.length, 'pod')} without one so ` +
        `${singleFamily.length === 1 ? 'it gets' : 'they get'} both families (restart their workload with kubectl rollout restart; the owner is: ` +
        `${podOwner(namespace, firstPod)}); ${orDrop}`;
    } else if (ownBoth.length > 0) {
      draft.fix =
        `its pods have ${missing} addresses but no ready ${missing} endpoint: look at the slices: ` +
        getSlices(service, '-o', 'yaml');
    } else {
      draft.fix = `give the pods ${missing} addresses (dual-stack pod network), ${orDrop}`;
    }
    return [draft];
  },
};
