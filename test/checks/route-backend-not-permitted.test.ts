import { routeBackendNotPermitted } from '../../src/checks/route-backend-not-permitted.js';
import { httpRoute, referenceGrant, route, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const api = service('api', { ns: 'backend' });
const front = (ns = 'backend') =>
  httpRoute('front', { ns: 'store', rules: [{ path: '/api', backendRefs: [{ name: 'api', ns, port: 80 }] }] });
const grant = (o: { ns?: string; fromKind?: string; fromNs?: string; toName?: string; toKind?: string }) =>
  referenceGrant('allow-store', {
    ns: o.ns ?? 'backend',
    from: [{ kind: o.fromKind ?? 'HTTPRoute', namespace: o.fromNs ?? 'store' }],
    to: [{ kind: o.toKind ?? 'Service', ...(o.toName ? { name: o.toName } : {}) }],
  });

ruleTester(routeBackendNotPermitted, {
  valid: [
    {
      name: "a ReferenceGrant of the target namespace allows the route's kind and namespace (docs/kubernetes-semantics.md#referencegrants)",
      objects: [api, front(), grant({})],
    },
    {
      name: 'a grant naming this Service (docs/kubernetes-semantics.md#referencegrants)',
      objects: [api, front(), grant({ toName: 'api' })],
    },
    {
      name: "a backendRef in the route's own namespace needs no grant (docs/kubernetes-semantics.md#referencegrants)",
      objects: [service('api', { ns: 'store' }), front('store')],
    },
    {
      name: "the target namespace's grants are unknown when the input holds nothing of it (docs/kubernetes-semantics.md#referencegrants)",
      objects: [service('web', { ns: 'store' }), front()],
    },
    {
      name: 'ReferenceGrants not read: never a guess (docs/kubernetes-semantics.md#referencegrants)',
      objects: [api, front()],
      coverage: { referenceGrants: false },
    },
  ],
  invalid: [
    {
      name: 'no ReferenceGrant in the target namespace (docs/kubernetes-semantics.md#referencegrants)',
      objects: [
        api,
        httpRoute('front', {
          ns: 'store',
          rules: [{ path: '/api', backendRefs: [{ name: 'api', ns: 'backend', port: 80 }] }],
          resolvedRefs: {
            status: 'False',
            reason: 'RefNotPermitted',
            message: 'backendRef api/backend not permitted by any ReferenceGrant',
          },
        }),
      ],
      findings: [
        {
          reason: 'notPermitted',
          message: [
            'HTTPRoute store/front rule 1 path /api names Service api of namespace backend, and no ReferenceGrant of namespace backend lets HTTPRoutes of namespace store refer to it',
            'the route says ResolvedRefs False (RefNotPermitted: backendRef api/backend not permitted by any ReferenceGrant)',
          ],
          fix: 'kubectl edit httproute front -n store',
        },
      ],
    },
    {
      name: "a grant in the route's own namespace allows nothing (docs/kubernetes-semantics.md#referencegrants)",
      objects: [api, front(), grant({ ns: 'store' })],
      findings: [{ reason: 'notPermitted' }],
    },
    {
      name: 'a grant for another kind of route, namespace or Service does not count (docs/kubernetes-semantics.md#referencegrants)',
      objects: [
        api,
        front(),
        grant({ fromKind: 'GRPCRoute' }),
        referenceGrant('other-ns', {
          ns: 'backend',
          from: [{ kind: 'HTTPRoute', namespace: 'web' }],
          to: [{ kind: 'Service' }],
        }),
        referenceGrant('other-svc', {
          ns: 'backend',
          from: [{ kind: 'HTTPRoute', namespace: 'store' }],
          to: [{ kind: 'Service', name: 'db' }],
        }),
      ],
      findings: [{ reason: 'notPermitted' }],
    },
    {
      name: 'a TCPRoute needs a grant of its own kind (docs/kubernetes-semantics.md#referencegrants)',
      objects: [
        api,
        grant({}),
        route('TCPRoute', 'db', { ns: 'store', rules: [{ backendRefs: [{ name: 'api', ns: 'backend', port: 80 }] }] }),
      ],
      findings: [
        {
          reason: 'notPermitted',
          message: ['TCPRoute store/db rule 1 names Service api', 'lets TCPRoutes of namespace store'],
        },
      ],
    },
  ],
});
