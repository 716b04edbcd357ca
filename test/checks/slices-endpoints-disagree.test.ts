import { slicesEndpointsDisagree } from '../../src/checks/slices-endpoints-disagree.js';
import {
  addressOf,
  apiserverObjects,
  endpointOf,
  endpoints,
  ipFor,
  node,
  pod,
  service,
  slice,
} from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const ports = [{ name: 'http', port: 8080 }];
const ep = (ready: string[], notReady: string[] = [], o: Parameters<typeof endpoints>[1] = {}) =>
  endpoints('web', {
    subsets: [
      { addresses: ready.map((p) => addressOf(p)), notReadyAddresses: notReady.map((p) => addressOf(p)), ports },
    ],
    ...o,
  });
const dual = { spec: { ipFamilies: ['IPv6', 'IPv4'], clusterIP: 'fd00::10', clusterIPs: ['fd00::10', '10.96.0.10'] } };

ruleTester(slicesEndpointsDisagree, {
  valid: [
    {
      name: 'both list the same ready pods (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2'),
        ep(['web-1', 'web-2']),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
    },
    {
      name: 'a not-ready pod: notReadyAddresses versus ready=false (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2', { ready: false }),
        ep(['web-1'], ['web-2']),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
    },
    {
      name: 'a terminating pod: kept in slices, dropped from Endpoints (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2', { terminating: true }),
        ep(['web-1']),
        slice('web', {
          endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false, serving: true, terminating: true })],
        }),
      ],
    },
    {
      name: 'publishNotReadyAddresses: a terminating pod is ready in both (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { terminating: true }),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-1', { ready: true, terminating: true })] }),
      ],
    },
    {
      name: 'dual stack: Endpoints holds the primary family only (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web', dual),
        pod('web-1', { ips: ['fd00::7:1', '10.244.7.1'] }),
        endpoints('web', { subsets: [{ addresses: [addressOf('web-1', { ip: 'fd00::7:1' })], ports }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' })] }),
        slice('web', { name: 'web-v4', endpoints: [endpointOf('web-1', { ip: '10.244.7.1' })] }),
      ],
    },
    {
      name: 'IPv6 in non-canonical form on one side is the same address (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        node('node-a'),
        service('web', dual),
        pod('web-1', { ips: ['fd00::7:1'] }),
        endpoints('web', { subsets: [{ addresses: [addressOf('web-1', { ip: 'FD00:0:0::7:1' })], ports }] }),
        slice('web', { addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' })] }),
      ],
    },
    {
      name: 'a pod none of whose ports resolve: in a slice with ports [], omitted from Endpoints (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping, docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2', { containers: [{ name: 'app', ports: [] }] }),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-noports', ports: [], endpoints: [endpointOf('web-2')] }),
      ],
    },
    {
      name: 'truncated Endpoints omits ready addresses by design (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2'),
        ep(['web-1'], [], { annotations: { 'endpoints.kubernetes.io/over-capacity': 'truncated' } }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
    },
    {
      name: 'a pod whose Node is gone: the slice controller skips it, the Endpoints controller does not (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-gone' }),
        endpoints('web', {
          subsets: [{ addresses: [addressOf('web-1'), addressOf('web-2', { node: 'node-gone' })], ports }],
        }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'a pod being deleted may be seen by one controller first: lag, not disagreement',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2', { terminating: true }),
        ep(['web-1', 'web-2']),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'selectorless Services have no controllers to disagree (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [
        node('node-a'),
        service('ext', { selector: null }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.11' }] }),
      ],
    },
    {
      name: 'selector {} is selectorless (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [
        node('node-a'),
        service('ext', { selector: {} }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
        slice('ext', { endpoints: [] }),
      ],
    },
    {
      name: "hand-made Endpoints are manual-endpoints-ignored's to report (docs/kubernetes-semantics.md#endpointslice-mirroring)",
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        endpoints('web', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: "a foreign slice is not the controller's view (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices; manual-endpoints-ignored)",
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-extra', managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'a leader-election lock is not service endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        endpoints('web', { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'EndpointSlices not read: nothing to compare',
      objects: [node('node-a'), service('web'), pod('web-1'), ep(['web-1'])],
      coverage: { endpointSlices: false },
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'ready in the slice, missing from Endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2'),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
      findings: [
        {
          reason: 'readyOnlyInSlices',
          message: [
            'disagree on the ready IPv4 addresses',
            '1 address ready only in the EndpointSlices',
            'kube-proxy follows the EndpointSlices',
          ],
          pods: ['web-2'],
          causes: {
            'web-2': `${ipFor('web-2')}: ready in EndpointSlice web-abcde, missing from Endpoints web; the pod is Ready`,
          },
        },
      ],
    },
    {
      name: 'ready in Endpoints, not ready in the slice (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1', { ready: false }),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'readyOnlyInEndpoints',
          message: ['1 address ready only in the Endpoints'],
          pods: ['web-1'],
          causes: { 'web-1': 'not ready in EndpointSlice web-abcde; the pod is not Ready' },
        },
      ],
    },
    {
      name: 'ready in the slice, under notReadyAddresses in Endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        ep([], ['web-1']),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'readyOnlyInSlices',
          pods: ['web-1'],
          causes: { 'web-1': 'under notReadyAddresses in Endpoints web' },
        },
      ],
    },
    {
      name: 'ready in Endpoints, missing from every slice (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2'),
        ep(['web-1', 'web-2']),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        { reason: 'readyOnlyInEndpoints', pods: ['web-2'], causes: { 'web-2': 'missing from every EndpointSlice' } },
      ],
    },
    {
      name: 'dual stack: the primary family (IPv6) disagrees (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web', dual),
        pod('web-1', { ips: ['fd00::7:1', '10.244.7.1'] }),
        pod('web-2', { ips: ['fd00::7:2', '10.244.7.2'] }),
        endpoints('web', { subsets: [{ addresses: [addressOf('web-1', { ip: 'fd00::7:1' })], ports }] }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' }), endpointOf('web-2', { ip: 'fd00::7:2' })],
        }),
        slice('web', {
          name: 'web-v4',
          endpoints: [endpointOf('web-1', { ip: '10.244.7.1' }), endpointOf('web-2', { ip: '10.244.7.2' })],
        }),
      ],
      findings: [
        {
          reason: 'readyOnlyInSlices',
          message: ['ready IPv6 addresses'],
          pods: ['web-2'],
          causes: { 'web-2': 'fd00::7:2: ready in EndpointSlice web-v6' },
        },
      ],
    },
    {
      name: 'both directions at once (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        node('node-a'),
        service('web'),
        pod('web-1'),
        pod('web-2'),
        ep(['web-1']),
        slice('web', { endpoints: [endpointOf('web-2')] }),
      ],
      findings: [
        {
          reason: 'readyInEitherOnly',
          message: ['1 address ready only in the EndpointSlices, 1 address ready only in the Endpoints'],
          pods: ['web-1', 'web-2'],
        },
      ],
    },
  ],
});
