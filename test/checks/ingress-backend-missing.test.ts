import { ingressBackendMissing } from '../../src/checks/ingress-backend-missing.js';
import { ingress, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const web = service('web', { ns: 'store' });

ruleTester(ingressBackendMissing, {
  valid: [
    {
      name: "the backend's Service exists in the Ingress's namespace (docs/kubernetes-semantics.md#ingress-backends)",
      objects: [web, ingress('front', { ns: 'store', paths: [{ path: '/', service: 'web', port: 'http' }] })],
    },
    {
      name: 'a default backend naming an existing Service (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, ingress('front', { ns: 'store', defaultBackend: { service: 'web', port: 80 } })],
    },
    {
      name: 'no Ingress names a Service: nothing to judge (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web],
    },
    {
      name: 'a backend whose port the Service lacks is ingress-backend-port-unknown, not this check (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, ingress('front', { ns: 'store', paths: [{ service: 'web', port: 'grpc' }] })],
    },
  ],
  invalid: [
    {
      name: "a backend names a Service the Ingress's namespace does not hold (docs/kubernetes-semantics.md#ingress-backends)",
      objects: [
        web,
        ingress('front', {
          ns: 'store',
          paths: [{ host: 'store.example.com', path: '/api', service: 'api', port: 'http' }],
        }),
      ],
      findings: [
        {
          reason: 'serviceMissing',
          message: [
            'Ingress store/front rule store.example.com path /api names Service api, which does not exist in namespace store',
          ],
          fix: 'kubectl edit ingress front -n store',
        },
      ],
    },
    {
      name: "a Service of that name in another namespace does not count: a backend is always in the Ingress's namespace (docs/kubernetes-semantics.md#ingress-backends)",
      objects: [
        service('web', { ns: 'other' }),
        ingress('front', { ns: 'store', defaultBackend: { service: 'web', port: 80 } }),
      ],
      findings: [{ reason: 'serviceMissing', message: ['Ingress store/front default backend names Service web'] }],
    },
    {
      name: 'a misspelt name says which Service it likely meant (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, ingress('front', { ns: 'store', paths: [{ service: 'wbe', port: 'http' }] })],
      findings: [
        { reason: 'serviceMissing', message: ['names Service wbe', 'a Service of a similar name exists: web'] },
      ],
    },
  ],
});
