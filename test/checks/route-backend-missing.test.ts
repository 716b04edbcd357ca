import { routeBackendMissing } from '../../src/checks/route-backend-missing.js';
import { httpRoute, ingress, route, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const web = service('web', { ns: 'store' });

ruleTester(routeBackendMissing, {
  valid: [
    {
      name: "the backendRef's Service exists in the route's namespace (docs/kubernetes-semantics.md#gateway-api-backendrefs)",
      objects: [
        web,
        httpRoute('front', { ns: 'store', rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] }),
      ],
    },
    {
      name: 'a backendRef of another kind is no Service reference (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [
        web,
        httpRoute('front', {
          ns: 'store',
          rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'assets', port: 80 }] }],
        }),
      ],
    },
    {
      name: 'a Service of another namespace the input holds no Service of is unknown, not missing (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [
        web,
        httpRoute('front', { ns: 'store', rules: [{ backendRefs: [{ name: 'api', ns: 'backend', port: 80 }] }] }),
      ],
    },
    {
      name: 'an Ingress backend is ingress-backend-missing, not this check (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, ingress('front', { ns: 'store', paths: [{ service: 'api', port: 'http' }] })],
    },
  ],
  invalid: [
    {
      name: "a backendRef names a Service the route's namespace does not hold (docs/kubernetes-semantics.md#gateway-api-backendrefs)",
      objects: [
        web,
        httpRoute('front', {
          ns: 'store',
          rules: [
            { path: '/', backendRefs: [{ name: 'web', port: 80 }] },
            { path: '/api', backendRefs: [{ name: 'api', port: 8080 }] },
          ],
          resolvedRefs: { status: 'False', reason: 'BackendNotFound', message: 'Service "api" not found' },
        }),
      ],
      findings: [
        {
          reason: 'serviceMissing',
          message: [
            'HTTPRoute store/front rule 2 path /api names Service api, which does not exist in namespace store',
            'the route says ResolvedRefs False (BackendNotFound: Service "api" not found)',
          ],
          fix: 'kubectl edit httproute front -n store',
        },
      ],
    },
    {
      name: 'a backendRef to another namespace the input holds Services of (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [
        service('web', { ns: 'backend' }),
        route('GRPCRoute', 'cart', {
          ns: 'store',
          rules: [{ method: { service: 'shop.Cart' }, backendRefs: [{ name: 'wbe', ns: 'backend', port: 9000 }] }],
        }),
      ],
      findings: [
        {
          reason: 'serviceMissing',
          message: [
            'GRPCRoute store/cart rule 1 method shop.Cart/* names Service wbe, which does not exist in namespace backend',
            'a Service of a similar name exists: web',
          ],
          fix: 'kubectl edit grpcroute cart -n store',
        },
      ],
    },
  ],
});
