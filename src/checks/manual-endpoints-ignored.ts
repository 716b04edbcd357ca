import {
  handMadeAddresses,
  isControllerSlice,
  isForeignSlice,
  isSliceReadFor,
  LABEL_MANAGED_BY,
} from '../model/endpoint-meta.js';
import { kubectl, listSome, patchService, plural } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { canonicalIP } from '../core/ip.js';

export const manualEndpointsIgnored: Check = {
  id: 'manual-endpoints-ignored',
  severity: 'warning',
  title: 'Hand-made endpoints on a Service that has a selector',
  explanation:
    'For a Service with a selector, the Endpoints controller owns the Endpoints object of the same name and ' +
    'overwrites hand-written addresses on its next sync; nothing mirrors it, and kube-proxy reads only ' +
    'EndpointSlices anyway. EndpointSlices labelled kubernetes.io/service-name=<service> by anyone else, on the ' +
    "other hand, are merged by kube-proxy with the controller's slices: their endpoints receive a share of the traffic.",
  fix:
    'To route to addresses you list yourself, remove the selector and use EndpointSlices. To add endpoints beside ' +
    'the selected pods, keep an EndpointSlice with your own managed-by label and suppress this check on the Service ' +
    '(annotation endpoints-doctor/ignore). Otherwise delete the leftover object.',
  messages: {
    endpointsOverwritten:
      'the Endpoints {{endpoints}} lists {{addresses}} the Endpoints controller did not write (no pod targetRef: ' +
      '{{ips}}): the Service has a selector, so the controller overwrites them and nothing mirrors them into ' +
      'EndpointSlices; they get no traffic',
    extraSliceEndpoints:
      'the EndpointSlice {{slice}} ({{manager}}) adds {{addresses}} the selector does not produce ({{ips}}): kube-proxy ' +
      "merges every slice labelled kubernetes.io/service-name={{name}} with the controller's, so these receive part " +
      'of the traffic',
  },
  appliesToServices: { backends: ['selector'] },
  run(view) {
    const { service } = view;
    const name = service.meta.name;
    const ns = service.meta.namespace;
    const findings: FindingDraft[] = [];

    const endpoints = view.endpoints;
    const handMade = endpoints ? handMadeAddresses(endpoints, service) : [];
    if (endpoints && handMade.length > 0) {
      const ips = handMade.map((a) => a.ip);
      findings.push({
        reason: 'endpointsOverwritten',
        data: {
          endpoints: endpoints.meta.name,
          addresses: plural(ips.length, 'address', 'addresses'),
          ips: listSome(ips),
        },
        fix:
          `to send traffic to them, make the Service selectorless (${patchService(service, [{ op: 'remove', path: '/spec/selector' }], true)}) ` +
          `and create EndpointSlices; otherwise delete the object: ${kubectl('delete', 'endpoints', endpoints.meta.name, '-n', ns)}`,
      });
    }

    const foreign = view.slices.filter((s) => isSliceReadFor(service, s) && isForeignSlice(s));
    if (foreign.length === 0) return findings;
    // Addresses the selected pods already give; a foreign slice repeating them changes nothing.
    const fromController = new Set(
      view.slices
        .filter(isControllerSlice)
        .flatMap((s) => s.endpoints.flatMap((e) => (e.addresses[0] ? [canonicalIP(e.addresses[0])] : []))),
    );
    for (const slice of foreign) {
      const extra = [
        ...new Set(
          slice.endpoints
            .flatMap((e) => (e.addresses[0] ? [canonicalIP(e.addresses[0])] : []))
            .filter((ip) => !fromController.has(ip)),
        ),
      ];
      if (extra.length === 0) continue;
      const manager = slice.managedBy ? `managed by ${slice.managedBy}` : `without the ${LABEL_MANAGED_BY} label`;
      findings.push({
        reason: 'extraSliceEndpoints',
        data: {
          slice: slice.meta.name,
          manager,
          addresses: plural(extra.length, 'address', 'addresses'),
          ips: listSome(extra),
          name,
        },
        fix:
          `if unintended: ${kubectl('delete', 'endpointslice', slice.meta.name, '-n', ns)}; if intended, suppress with ` +
          kubectl('annotate', 'service', name, '-n', ns, 'endpoints-doctor/ignore=manual-endpoints-ignored'),
      });
    }
    return findings;
  },
};
