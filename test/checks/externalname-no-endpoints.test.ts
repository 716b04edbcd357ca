import { externalnameNoEndpoints } from '../../src/checks/externalname-no-endpoints.js';
import {
  apiserverObjects,
  endpointOf,
  endpoints,
  externalNameService,
  pod,
  service,
  slice,
} from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(externalnameNoEndpoints, {
  valid: [
    { name: 'a ClusterIP Service with a selector is not ExternalName', objects: [service('web'), pod('web-1')] },
    {
      name: 'a selectorless ClusterIP Service is not ExternalName (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'a headless Service is not ExternalName (docs/kubernetes-semantics.md#headless-services)',
      objects: [service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }), pod('web-1')],
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'no selector, no ports: only the CNAME explanation (docs/kubernetes-semantics.md#externalname-services)',
      objects: [externalNameService()],
      findings: [
        {
          reason: 'cname',
          message: ['a DNS CNAME to db.example.com', 'no endpoints by design', 'kube-proxy does not proxy it'],
        },
      ],
    },
    {
      name: 'a selector on an ExternalName Service is ignored and named (docs/kubernetes-semantics.md#externalname-services)',
      objects: [externalNameService({ selector: { app: 'db' } }), pod('db-1', { labels: { app: 'db' } })],
      findings: [{ reason: 'cname', message: ['selector app=db is ignored'], fix: '"path":"/spec/selector"' }],
    },
    {
      name: 'ports on an ExternalName Service are not proxied: no targetPort translation (docs/kubernetes-semantics.md#externalname-services)',
      objects: [externalNameService({ ports: [{ name: 'pg', port: 5432, targetPort: 6432, protocol: 'TCP' }] })],
      findings: [{ reason: 'cname', message: ['ports (pg 5432/TCP) are not proxied', 'targetPort has no effect'] }],
    },
    {
      name: 'endpoints left by an old cluster (#105986) do not change the explanation (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        externalNameService({ selector: { app: 'web' } }),
        pod('web-1'),
        slice('db', { endpoints: [endpointOf('web-1')] }),
        endpoints('db', { subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }),
      ],
      findings: [{ reason: 'cname', message: ['no endpoints by design', 'selector app=web is ignored'] }],
    },
    {
      name: 'a missing externalName is said, not printed as undefined',
      objects: [service('db', { type: 'ExternalName', selector: null, ports: [] })],
      findings: [
        { reason: 'externalNameMissing', message: ['spec.externalName is not set', 'see externalname-invalid'] },
      ],
    },
    {
      name: 'externalName is an IP (docs/kubernetes-semantics.md#externalname-services, coredns#2324): no working CNAME is described, only no endpoints by design and externalname-invalid',
      objects: [
        externalNameService({
          ports: [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }],
          spec: { externalName: '10.10.40.15' },
        }),
      ],
      findings: [
        {
          reason: 'externalNameIsIp',
          message: [
            'has no endpoints by design',
            'spec.externalName is the IP address 10.10.40.15',
            'see externalname-invalid',
          ],
          fix: 'externalname-invalid',
        },
      ],
    },
    {
      name: 'externalName that is not a DNS-1123 subdomain (docs/kubernetes-semantics.md#externalname-services): points at externalname-invalid',
      objects: [externalNameService({ spec: { externalName: 'https://db.example.com' } })],
      findings: [
        {
          reason: 'externalNameInvalid',
          message: ['"https://db.example.com" is not a valid DNS name', 'see externalname-invalid'],
        },
      ],
    },
  ],
});
