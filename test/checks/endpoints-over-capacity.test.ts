import { endpointsOverCapacity } from '../../src/checks/endpoints-over-capacity.js';
import { apiserverObjects, endpointOf, endpoints, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const OVER = 'endpoints.kubernetes.io/over-capacity';
const ports = [{ name: 'http', port: 8080 }];
const many = (n: number): Raw[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
const big = (annotation?: string, n = 1000) =>
  endpoints('web', {
    ...(annotation ? { annotations: { [OVER]: annotation } } : {}),
    subsets: [{ addresses: many(n), ports }],
  });

ruleTester(endpointsOverCapacity, {
  valid: [
    {
      name: 'an ordinary Endpoints object (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [service('web'), pod('web-1'), big(undefined, 3)],
    },
    {
      name: 'exactly 1000 addresses without the annotation (docs/kubernetes-semantics.md#the-legacy-endpoints-controller: the limit is inclusive)',
      objects: [service('web'), big()],
    },
    {
      name: "an unknown annotation value is not the controller's (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)",
      objects: [service('web'), big('maybe')],
    },
    {
      name: 'no Endpoints object at all',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
    },
    {
      name: 'Endpoints not read: the check is skipped',
      objects: [service('web'), big('truncated')],
      coverage: { endpoints: false },
    },
    {
      name: 'a large EndpointSlice set is not capped: only v1 Endpoints is (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        service('web'),
        slice('web', { endpoints: many(1000).map((a) => ({ ip: a.ip as string })) }),
        big(undefined, 3),
      ],
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'truncated at 1000 addresses since v1.22 (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [service('web'), big('truncated')],
      findings: [
        {
          reason: 'truncated',
          message: [
            'Endpoints web is truncated to 1000 addresses',
            'over-capacity: truncated',
            'kube-proxy uses EndpointSlices and is not affected',
          ],
          fix: 'EndpointSlices',
        },
      ],
    },
    {
      name: 'the EndpointSlices count shows how much is missing, primary family only (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        big('truncated'),
        slice('web', { name: 'web-a', endpoints: many(1000).map((a) => ({ ip: a.ip as string })) }),
        slice('web', { name: 'web-b', endpoints: [{ ip: '10.2.0.1' }, { ip: '10.2.0.2' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
      findings: [{ reason: 'truncated', message: ['the EndpointSlices list 1002 IPv4 addresses'] }],
    },
    {
      name: 'the older value "warning" of v1.21 (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [service('web'), big('warning', 1200)],
      findings: [
        {
          reason: 'overCapacityWarning',
          message: ['holds more than 1000 addresses', 'over-capacity: warning', 'once it is truncated'],
        },
      ],
    },
    {
      name: 'a selectorless Service with a left-over truncated Endpoints (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', { annotations: { [OVER]: 'truncated' }, subsets: [{ addresses: many(1000), ports }] }),
      ],
      findings: [{ reason: 'truncated', message: ['Endpoints ext is truncated'] }],
    },
  ],
});
