// Warning events on a Service, its EndpointSlices or its Endpoints that no other finding on the
// Service explains. The controllers acting on a Service say there what they could not do (the
// EndpointSlice controller's FailedToUpdateEndpointSlices, the load-balancer controller's
// SyncLoadBalancerFailed...): what the API refused them (a quota, an admission webhook, a cloud
// API error) shows in no object's spec or status. A finding whose check explains an event's
// reason (Check.explainsEvents) carries it as evidence instead, so the events are said once.
// Who reports what: docs/kubernetes-semantics.md#who-reports-what-on-a-service; which events are
// about the Service: docs/kubernetes-semantics.md#event-attribution.

import { serviceEvents, serviceEvidence } from '../model/events.js';
import { getEvents, listSome, plural } from './helpers.js';
import type { Check } from './types.js';

export const serviceWarningEvents: Check = {
  id: 'service-warning-events',
  severity: 'warning',
  title: 'Controllers report warnings about the Service that no other finding explains',
  explanation:
    'The controllers that act on a Service record what they could not do as Warning events on the Service, its ' +
    'EndpointSlices and its Endpoints: the EndpointSlice controller (FailedToUpdateEndpointSlices), the Endpoints ' +
    'controller (FailedToUpdateEndpoint, FailedToCreateEndpoint), the load-balancer controller ' +
    '(SyncLoadBalancerFailed). What made them fail, a quota, an admission webhook or a cloud API error, shows in no ' +
    "object's spec or status, only there. Findings these events explain carry them as evidence; this check reports " +
    'the others. Events expire, an hour after they last happened by default, so only recent trouble shows.',
  fix:
    'Read the events and fix what the reporting controller could not do (its message says why); ' +
    '`kubectl describe service NAME` shows the Service events.',
  messages: {
    events: '{{events}} on {{objects}} that no other finding explains: {{reasons}}',
  },
  requires: ['events'],
  runsAfterOthers: true,
  // ExternalName Services have no controller acting on them but the API server's validation.
  appliesToServices: { backends: ['selector', 'selectorless'] },
  run(view, model, others) {
    const { service } = view;
    const unexplained = (serviceEvents(model, service) ?? []).filter(
      ({ event }) => !others.explainedEvents.has(event.reason),
    );
    if (unexplained.length === 0) return [];
    const evidence = serviceEvidence(unexplained);
    const objects = new Set(unexplained.map((e) => e.object));
    const reasons = new Set(unexplained.map((e) => `${e.event.reason || '(no reason)'} on ${e.object}`));
    const { namespace, name } = service.meta;
    return [
      {
        reason: 'events',
        data: {
          events: plural(
            unexplained.reduce((n, e) => n + e.event.count, 0),
            'Warning event',
          ),
          objects: objects.size === 1 ? [...objects][0] : `the Service and ${plural(objects.size - 1, 'other object')}`,
          // What they say is the evidence's (newest first); the message names them.
          reasons: listSome([...reasons]),
        },
        evidence,
        fix: `read them and fix what the reporting controller could not do: ${getEvents(namespace, name, 'Service')}`,
      },
    ];
  },
};
