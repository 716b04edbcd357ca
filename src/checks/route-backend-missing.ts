import { describeReference, GATEWAY_ROUTE_KINDS } from '../model/references.js';
import { closestMatch } from '../model/similar.js';
import { editRoute, resolvedRefsSaying } from './helpers.js';
import type { Check } from './types.js';

export const routeBackendMissing: Check = {
  id: 'route-backend-missing',
  severity: 'error',
  title: "A Gateway API route's backendRef names a Service that does not exist",
  explanation:
    'A route\'s backendRef names a Service (group "" and kind Service, the defaults) in the route\'s namespace or ' +
    'the one it names, and the API server never checks that it exists. The Gateway drops the ref and sets the ' +
    "route's ResolvedRefs condition to False (BackendNotFound); its share of the rule's traffic (its weight) gets " +
    'an error instead (HTTP 500 for an HTTPRoute), and the rest of the route keeps working.',
  fix: 'Point the backendRef at an existing Service (kubectl edit httproute), or create the Service.',
  messages: {
    serviceMissing:
      '{{reference}} names Service {{service}}, which does not exist in namespace {{namespace}}; the Gateway has ' +
      'no backend for it',
  },
  notes: {
    closest: '; a Service of a similar name exists: {{closest}}',
    condition: '; the route says ResolvedRefs False ({{condition}})',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: GATEWAY_ROUTE_KINDS,
    run(reference, service, model) {
      if (service) return [];
      const { namespace, name } = reference.target;
      // A Service of another namespace is judged missing only where the input holds that
      // namespace's Services: a run of the route's namespace did not read the other.
      if (namespace !== reference.referrer.namespace && !model.holdsServicesIn(namespace)) return [];
      const closest = closestMatch(name, model.serviceNamesIn(namespace));
      const condition = resolvedRefsSaying(reference, 'BackendNotFound', model);
      return [
        {
          reason: 'serviceMissing',
          data: {
            reference: describeReference(reference),
            service: name,
            namespace,
            ...(closest ? { closest } : {}),
            ...(condition ? { condition } : {}),
          },
          notes: [...(closest ? ['closest'] : []), ...(condition ? ['condition'] : [])],
          fix: editRoute(reference),
        },
      ];
    },
  },
};
