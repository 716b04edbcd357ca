import type { ReferenceGrant } from '../core/objects.js';
import { describeReference, GATEWAY_ROUTE_KINDS, type ServiceReference } from '../model/references.js';
import { editRoute, resolvedRefsSaying } from './helpers.js';
import type { Check } from './types.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Whether the grant lets routes of the reference's kind and namespace refer to the Service it names. */
function permits(grant: ReferenceGrant, reference: ServiceReference): boolean {
  const { kind, namespace } = reference.referrer;
  return (
    grant.from.some((f) => f.group === GATEWAY_GROUP && f.kind === kind && f.namespace === namespace) &&
    grant.to.some(
      (t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === reference.target.name),
    )
  );
}

export const routeBackendNotPermitted: Check = {
  id: 'route-backend-not-permitted',
  severity: 'error',
  title: "A Gateway API route's backendRef to another namespace has no ReferenceGrant",
  explanation:
    "A backendRef may name a Service of another namespace only when a ReferenceGrant in the Service's namespace " +
    "allows it: its from lists the route's group (gateway.networking.k8s.io), kind and namespace, and its to lists " +
    'group "" kind Service (all of them, or this one by name). Without one the Gateway refuses the ref (ResolvedRefs ' +
    "False, RefNotPermitted) and its share of the rule's traffic fails. The grant belongs to the target namespace, " +
    "whose owners decide who may send to their Services; a grant in the route's namespace does nothing.",
  fix: "Create a ReferenceGrant in the Service's namespace whose from names the route's kind and namespace and whose to names Service, or move the route or the Service.",
  messages: {
    notPermitted:
      '{{reference}} names Service {{service}} of namespace {{namespace}}, and no ReferenceGrant of namespace ' +
      '{{namespace}} lets {{kind}}s of namespace {{from}} refer to it; the Gateway refuses the ref',
  },
  notes: {
    condition: '; the route says ResolvedRefs False ({{condition}})',
  },
  appliesToServices: { backends: [] },
  requires: ['referenceGrants'],
  references: {
    kinds: GATEWAY_ROUTE_KINDS,
    run(reference, _service, model) {
      const { namespace, name } = reference.target;
      const from = reference.referrer.namespace;
      if (from === undefined || namespace === from) return [];
      // Unknown when the input does not hold the target namespace's grants: never a guess.
      const grants = model.referenceGrantsIn(namespace);
      if (!grants || grants.some((grant) => permits(grant, reference))) return [];
      const condition = resolvedRefsSaying(reference, 'RefNotPermitted', model);
      return [
        {
          reason: 'notPermitted',
          data: {
            reference: describeReference(reference),
            service: name,
            namespace,
            kind: reference.referrer.kind,
            from,
            ...(condition ? { condition } : {}),
          },
          notes: condition ? ['condition'] : [],
          fix: editRoute(reference),
        },
      ];
    },
  },
};
