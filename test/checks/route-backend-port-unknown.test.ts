import { routeBackendPortUnknown } from '../../src/checks/route-backend-port-unknown.js';
import { externalNameService, httpRoute, route, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const web = service('web', {
  ns: 'store',
  ports: [
    { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
    { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
  ],
});
const dns = service('dns', {
  ns: 'store',
  ports: [
    { name: 'dns-tcp', port: 53, targetPort: 5353, protocol: 'TCP' },
    { name: 'syslog', port: 514, targetPort: 514, protocol: 'UDP' },
  ],
});
const front = (ref: { name?: string; port?: number }) =>
  httpRoute('front', {
    ns: 'store',
    rules: [{ path: '/api', backendRefs: [{ name: ref.name ?? 'web', port: ref.port }] }],
  });

ruleTester(routeBackendPortUnknown, {
  valid: [
    {
      name: "port is the Service's port number (docs/kubernetes-semantics.md#gateway-api-backendrefs)",
      objects: [web, front({ port: 9090 })],
    },
    {
      name: 'a UDPRoute reaches the UDP port of that number (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [
        dns,
        route('UDPRoute', 'logs', { ns: 'store', rules: [{ backendRefs: [{ name: 'dns', port: 514 }] }] }),
      ],
    },
    {
      name: 'a missing Service is route-backend-missing, not this check (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [web, front({ name: 'api', port: 80 })],
    },
    {
      name: 'an ExternalName Service has no ports: implementations use the number as is (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [externalNameService({ ns: 'store' }), front({ name: 'db', port: 5432 })],
    },
  ],
  invalid: [
    {
      name: 'a port number the Service does not have names its ports (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [web, front({ port: 8443 })],
      findings: [
        {
          reason: 'portUnknown',
          message: [
            'HTTPRoute store/front rule 1 path /api names port 8443 of Service web, which has no such port (its ports: http 80/TCP, metrics 9090/TCP)',
          ],
          fix: 'kubectl edit httproute front -n store',
        },
      ],
    },
    {
      name: "the pods' port where the ref names the Service's (docs/kubernetes-semantics.md#gateway-api-backendrefs)",
      objects: [web, front({ port: 8080 })],
      findings: [
        {
          reason: 'portUnknown',
          message: ['8080 is the targetPort of http 80/TCP: a backendRef names the Service port (80)'],
        },
      ],
    },
    {
      name: 'a Service ref without a port, which the API requires (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [web, front({})],
      findings: [{ reason: 'noPort', message: ['names Service web without a port'] }],
    },
    {
      name: 'a UDPRoute to a port number the Service has only for TCP (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [dns, route('UDPRoute', 'dns', { ns: 'store', rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] })],
      findings: [
        {
          reason: 'portUnknown',
          message: [
            'UDPRoute store/dns rule 1 names port 53 of Service dns',
            'dns-tcp 53/TCP is TCP, and a UDPRoute sends UDP',
          ],
          fix: 'kubectl edit udproute dns -n store',
        },
      ],
    },
    {
      name: 'a Service without ports (docs/kubernetes-semantics.md#gateway-api-backendrefs)',
      objects: [service('web', { ns: 'store', ports: [] }), front({ port: 80 })],
      findings: [{ reason: 'noPorts', message: ['names port 80 of Service web, which has no ports at all'] }],
    },
  ],
});
