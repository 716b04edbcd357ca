import { ingressBackendPortUnknown } from '../../src/checks/ingress-backend-port-unknown.js';
import { externalNameService, ingress, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const web = service('web', {
  ns: 'store',
  ports: [
    { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
    { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
  ],
});
const front = (backend: { service?: string; port?: string | number }) =>
  ingress('front', { ns: 'store', paths: [{ path: '/api', service: backend.service ?? 'web', port: backend.port }] });

ruleTester(ingressBackendPortUnknown, {
  valid: [
    {
      name: 'service.port.name names a Service port by its name (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, front({ port: 'metrics' })],
    },
    {
      name: "service.port.number is the Service's port (docs/kubernetes-semantics.md#ingress-backends)",
      objects: [web, front({ port: 80 })],
    },
    {
      name: 'a missing Service is ingress-backend-missing, not this check (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, front({ service: 'api', port: 'http' })],
    },
    {
      name: 'an ExternalName Service has no ports: controllers that route to one use the number as is (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [externalNameService({ ns: 'store' }), front({ service: 'db', port: 5432 })],
    },
  ],
  invalid: [
    {
      name: 'a port name the Service does not have (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, front({ port: 'grpc' })],
      findings: [
        {
          reason: 'portUnknown',
          message: [
            'Ingress store/front rule path /api names port grpc of Service web, which has no such port',
            'its ports: http 80/TCP, metrics 9090/TCP',
          ],
          fix: 'kubectl edit ingress front -n store',
        },
      ],
    },
    {
      name: "the targetPort's number instead of the Service port's: a backend names the Service port (docs/kubernetes-semantics.md#ingress-backends)",
      objects: [web, front({ port: 8080 })],
      findings: [
        {
          reason: 'portUnknown',
          message: ['names port 8080 of Service web', '8080 is the targetPort of http 80/TCP', 'Service port (80)'],
        },
      ],
    },
    {
      name: 'a misspelt port name says which port it likely meant (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, front({ port: 'metric' })],
      findings: [{ reason: 'portUnknown', message: ['names port metric', 'closest: metrics'] }],
    },
    {
      name: 'a Service without ports has none to name (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [service('web', { ns: 'store', selector: null, ports: [] }), front({ port: 80 })],
      findings: [{ reason: 'noPorts', message: ['names port 80 of Service web, which has no ports at all'] }],
    },
    {
      name: 'a backend without a port, which validation rejects, reaches nothing (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [web, front({})],
      findings: [{ reason: 'noPort', message: ['names Service web without a port'] }],
    },
  ],
});
