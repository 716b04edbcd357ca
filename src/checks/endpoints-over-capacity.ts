import { allAddresses, MAX_ENDPOINTS_ADDRESSES, OVER_CAPACITY_ANNOTATION } from '../model/endpoint-meta.js';
import { labelValue } from '../core/selectors.js';
import { primaryFamily } from '../model/services.js';
import { shellQuote } from './helpers.js';
import type { Check } from './types.js';
import { canonicalIP } from '../core/ip.js';

export const endpointsOverCapacity: Check = {
  id: 'endpoints-over-capacity',
  severity: 'warning',
  title: 'The Endpoints object is over capacity (1000 addresses)',
  explanation:
    'The Endpoints controller writes at most 1000 addresses into an Endpoints object. Over that it truncates, ready ' +
    'addresses first, and sets the annotation endpoints.kubernetes.io/over-capacity: truncated (v1.21 only warned, ' +
    'with the value "warning"). kube-proxy reads EndpointSlices, which have no such limit, so Service traffic is not ' +
    'affected; but anything still reading v1 Endpoints (older ingress controllers, Prometheus role: endpoints, ' +
    'custom tools) sees only part of the backends.',
  fix:
    'Move consumers of v1 Endpoints to EndpointSlices (for Prometheus, role: endpointslice). v1 Endpoints is ' +
    'deprecated since v1.33.',
  messages: {
    truncated:
      `the Endpoints {{name}} is truncated to {{max}} addresses (${OVER_CAPACITY_ANNOTATION}: truncated; it lists ` +
      '{{listed}}): kube-proxy uses EndpointSlices and is not affected, but consumers of v1 Endpoints see only part of ' +
      'the backends',
    overCapacityWarning:
      `the Endpoints {{name}} holds more than {{max}} addresses (${OVER_CAPACITY_ANNOTATION}: warning, as v1.21 ` +
      'marked it; from v1.22 on the controller truncates it): kube-proxy uses EndpointSlices and is not affected, but ' +
      'consumers of v1 Endpoints will see only part of the backends once it is truncated',
  },
  notes: {
    addressesInSlices: '; the EndpointSlices list {{inSlices}} addresses',
  },
  // Whoever gives the Service its endpoints now: the annotation stays on an Endpoints object the
  // controller truncated before the selector was removed, and its consumers still read it.
  appliesToServices: { backends: ['selector', 'selectorless', 'externalName'] },
  requires: ['endpoints'],
  // The Endpoints controller truncates the Endpoints of a selector Service past 1000 addresses:
  // fewer endpoints than that in the slices (or pods) cannot make it over capacity.
  appliesTo: (view) =>
    !view.selectorless && view.service.type !== 'ExternalName' && view.counts.total > MAX_ENDPOINTS_ADDRESSES,
  run(view, model) {
    const endpoints = view.endpoints;
    const value = endpoints && labelValue(endpoints.meta.annotations, OVER_CAPACITY_ANNOTATION);
    if (!endpoints || (value !== 'truncated' && value !== 'warning')) return [];
    const listed = allAddresses(endpoints).length;
    const data: Record<string, string | number> = { name: endpoints.meta.name, max: MAX_ENDPOINTS_ADDRESSES, listed };
    const notes: string[] = [];
    if (model.coverage.endpointSlices && view.slices.length > 0) {
      const family = primaryFamily(view.service);
      const addressesInSlices = new Set(
        view.sliceEndpoints.filter((e) => !family || e.addressType === family).map((e) => canonicalIP(e.address)),
      ).size;
      notes.push('addressesInSlices');
      data.inSlices = `${addressesInSlices}${family ? ` ${family}` : ''}`;
    }
    return [
      {
        reason: value === 'truncated' ? 'truncated' : 'overCapacityWarning',
        data,
        notes,
        fix: `find what still reads Endpoints ${shellQuote(endpoints.meta.name)} (ingress controller, Prometheus role: endpoints, ...) and switch it to EndpointSlices`,
      },
    ];
  },
};
