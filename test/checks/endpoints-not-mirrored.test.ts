import { endpointsNotMirrored } from '../../src/checks/endpoints-not-mirrored.js';
import { apiserverObjects, endpointOf, endpoints, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const MIRROR = 'endpointslicemirroring-controller.k8s.io';
const SKIP = { 'endpointslice.kubernetes.io/skip-mirror': 'true' };
const ports = [{ name: 'http', port: 8080 }];
const ext = (o: Parameters<typeof service>[1] = {}) => service('ext', { selector: null, ...o });
const manualEndpoints = (addresses: Raw[], o: Parameters<typeof endpoints>[1] = {}) =>
  endpoints('ext', { subsets: [{ addresses, ports }], ...o });
const many = (n: number, prefix = '10.1'): Raw[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${(i % 250) + 1}` }));

ruleTester(endpointsNotMirrored, {
  valid: [
    {
      name: 'Endpoints mirrored into a slice (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        manualEndpoints([{ ip: '192.0.2.10' }]),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'selector {} is selectorless and mirrored like no selector (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext({ selector: {} }),
        manualEndpoints([{ ip: '192.0.2.10' }]),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'skip-mirror Endpoints beside a hand-made slice: kube-proxy has the slice (docs/kubernetes-semantics.md#endpointslice-mirroring, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        ext(),
        manualEndpoints([{ ip: '192.0.2.10' }], { labels: SKIP }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: "default/kubernetes: skip-mirror Endpoints and the apiserver's own slice (docs/kubernetes-semantics.md#endpointslice-mirroring)",
      objects: apiserverObjects(),
    },
    {
      name: 'default/kubernetes dual stack: the apiserver writes both slices (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ...apiserverObjects(),
        slice('kubernetes', {
          ns: 'default',
          name: 'kubernetes-v6',
          managedBy: null,
          addressType: 'IPv6',
          ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
          endpoints: [{ ip: 'fd00::2' }],
        }),
      ],
    },
    {
      name: 'a leader-election lock is not service endpoints (docs/kubernetes-semantics.md#endpointslice-mirroring: never mirrored, by design)',
      objects: [
        ext(),
        manualEndpoints([{ ip: '192.0.2.10' }], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } }),
      ],
    },
    {
      name: 'Endpoints without addresses: nothing to mirror (selectorless-no-endpoints reports the Service)',
      objects: [ext(), endpoints('ext')],
    },
    {
      name: 'a Service with a selector is never mirrored, by design (docs/kubernetes-semantics.md#endpointslice-mirroring; manual-endpoints-ignored)',
      objects: [
        service('web'),
        pod('web-1'),
        endpoints('web', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'ExternalName: no endpoints of any kind matter (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('ext', { type: 'ExternalName', selector: null, spec: { externalName: 'x.example.com' } }),
        manualEndpoints([{ ip: '192.0.2.10' }]),
      ],
    },
    {
      name: 'EndpointSlices not read at all: cannot tell, the check is skipped',
      objects: [ext(), manualEndpoints([{ ip: '192.0.2.10' }])],
      coverage: { endpointSlices: false },
    },
    {
      name: 'exactly 1000 addresses in one subset are all mirrored (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        manualEndpoints(many(1000)),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '10.1.0.1' }] }),
      ],
    },
    {
      name: 'dual-stack Endpoints mirrored into one slice per family (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext({ spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        manualEndpoints([{ ip: '192.0.2.10' }, { ip: 'fd00::1' }]),
        slice('ext', { name: 'ext-v4', managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
        slice('ext', { name: 'ext-v6', managedBy: MIRROR, addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'skip-mirror label and no slice: kube-proxy has nothing (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [ext(), manualEndpoints([{ ip: '192.0.2.10' }], { labels: SKIP })],
      findings: [
        {
          reason: 'skipMirrorLabel',
          message: ['Endpoints ext lists 1 address', 'reads only EndpointSlices', 'skip-mirror: "true"'],
          fix: 'endpointslice.kubernetes.io/skip-mirror-',
        },
      ],
    },
    {
      name: 'no slice and no reason in sight: the mirroring controller did not run (docs/kubernetes-semantics.md#endpointslice-mirroring, #93157)',
      objects: [ext(), manualEndpoints([{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }])],
      findings: [{ reason: 'notMirrored', message: ['lists 2 addresses', 'no EndpointSlice mirrors it'] }],
    },
    {
      name: 'only an FQDN slice: kube-proxy ignores it (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        ext(),
        manualEndpoints([{ ip: '192.0.2.10' }]),
        slice('ext', { managedBy: 'me', addressType: 'FQDN', endpoints: [{ ip: 'x.example.com' }] }),
      ],
      findings: [{ reason: 'notMirrored', message: ['no EndpointSlice exists'] }],
    },
    {
      name: 'not-ready addresses count as addresses to mirror (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        endpoints('ext', { labels: SKIP, subsets: [{ notReadyAddresses: [{ ip: '192.0.2.10' }], ports }] }),
      ],
      findings: [{ reason: 'skipMirrorLabel', message: ['lists 1 address'] }],
    },
    {
      name: 'no valid IP at all: the mirroring controller skips every address (docs/kubernetes-semantics.md#endpointslice-mirroring, InvalidIPAddress)',
      objects: [ext(), manualEndpoints([{ ip: 'db.example.com' }])],
      findings: [{ reason: 'noValidAddress', message: ['none of its addresses is a valid IP (db.example.com)'] }],
    },
    {
      name: 'selector {} with skip-mirror Endpoints (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [ext({ selector: {} }), manualEndpoints([{ ip: '192.0.2.10' }], { labels: SKIP })],
      findings: [{ reason: 'skipMirrorLabel', message: ['skip-mirror'] }],
    },
    {
      name: 'over 1000 addresses in a subset: the rest is not mirrored (docs/kubernetes-semantics.md#endpointslice-mirroring, TooManyAddressesToMirror)',
      objects: [
        ext(),
        manualEndpoints(many(1200)),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '10.1.0.1' }] }),
      ],
      findings: [
        {
          reason: 'tooManyAddresses',
          message: ['subset 1 of Endpoints ext holds 1200 addresses', '200 get no EndpointSlice'],
        },
      ],
    },
    {
      name: 'some invalid IPs beside mirrored ones are skipped (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        manualEndpoints([{ ip: '192.0.2.10' }, { ip: '192.0.2.300' }]),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [
        { reason: 'invalidAddresses', message: ['1 address of Endpoints ext is not a valid IP (192.0.2.300)'] },
      ],
    },
  ],
});
