import { describeReference } from '../model/references.js';
import { closestMatch } from '../model/similar.js';
import { kubectl } from './helpers.js';
import type { Check } from './types.js';

export const ingressBackendMissing: Check = {
  id: 'ingress-backend-missing',
  severity: 'error',
  title: 'An Ingress backend names a Service that does not exist',
  explanation:
    "An Ingress backend names a Service in the Ingress's own namespace (a backend has no namespace field), and " +
    'the API server never checks that it exists. Without it the Ingress controller has no upstream for the path: ' +
    'ingress-nginx answers 503 for it, other controllers 404 or 503, and the rest of the Ingress keeps working, ' +
    'so nothing else shows the break.',
  fix: "Point the backend at an existing Service of the Ingress's namespace (kubectl edit ingress), or create the Service.",
  messages: {
    serviceMissing:
      '{{reference}} names Service {{service}}, which does not exist in namespace {{namespace}}; the controller has ' +
      'no backend for it',
  },
  notes: {
    closest: '; a Service of a similar name exists: {{closest}}',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: ['Ingress'],
    run(reference, service, model) {
      if (service) return [];
      const { namespace, name } = reference.target;
      const closest = closestMatch(name, model.serviceNamesIn(namespace));
      return [
        {
          reason: 'serviceMissing',
          data: { reference: describeReference(reference), service: name, namespace, ...(closest ? { closest } : {}) },
          notes: closest ? ['closest'] : [],
          fix: kubectl('edit', 'ingress', reference.referrer.name, '-n', namespace),
        },
      ];
    },
  },
};
