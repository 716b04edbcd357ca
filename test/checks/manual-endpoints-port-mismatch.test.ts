import { manualEndpointsPortMismatch } from '../../src/checks/manual-endpoints-port-mismatch.js';
import { apiserverObjects, endpointOf, endpoints, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const MIRROR = 'endpointslicemirroring-controller.k8s.io';
const ip = '192.0.2.10';
const ext = (ports: Raw[], o: Parameters<typeof service>[1] = {}) => service('ext', { selector: null, ports, ...o });
const manual = (ports: Raw[], o: Parameters<typeof slice>[1] = {}) =>
  slice('ext', { managedBy: 'me', ports, endpoints: [{ ip }], ...o });
const unnamed80 = [{ port: 80, targetPort: 8080, protocol: 'TCP' }];
const http80 = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }];

ruleTester(manualEndpointsPortMismatch, {
  valid: [
    {
      name: 'one unnamed Service port pairs with slice port name "" (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(unnamed80), manual([{ name: '', port: 8080, protocol: 'TCP' }])],
    },
    {
      name: 'named ports pair by name and protocol; the slice port number wins over targetPort (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        ext([
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ]),
        manual([
          { name: 'http', port: 9999, protocol: 'TCP' },
          { name: 'dns', port: 5353, protocol: 'UDP' },
        ]),
      ],
    },
    {
      name: 'a multi-port Service may take each port from a different slice (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices: slices are merged)',
      objects: [
        ext([
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'grpc', port: 9090, protocol: 'TCP' },
        ]),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { name: 'ext-http' }),
        manual([{ name: 'grpc', port: 9090, protocol: 'TCP' }], {
          name: 'ext-grpc',
          endpoints: [{ ip: '192.0.2.11' }],
        }),
      ],
    },
    {
      name: 'a mirrored slice with the right port name counts (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(http80),
        endpoints('ext', { subsets: [{ addresses: [{ ip }], ports: [{ name: 'http', port: 8080 }] }] }),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { managedBy: MIRROR }),
      ],
    },
    {
      name: 'Endpoints without a slice: an unnamed Endpoints port is mirrored as name "" and pairs with an unnamed Service port (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [ext(unnamed80), endpoints('ext', { subsets: [{ addresses: [{ ip }], ports: [{ port: 8080 }] }] })],
    },
    {
      name: 'a Service with a selector is out of scope: the controller writes matching ports (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: [
        service('web'),
        pod('web-1'),
        slice('web', { ports: [{ name: 'other', port: 1, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'selector {} is selectorless and its matching slice is fine (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(http80, { selector: {} }), manual([{ name: 'http', port: 8080, protocol: 'TCP' }])],
    },
    {
      name: 'ExternalName Services have no endpoints to pair (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('ext', {
          type: 'ExternalName',
          selector: null,
          ports: http80,
          spec: { externalName: 'db.example.com' },
        }),
        manual([{ name: 'x', port: 1, protocol: 'TCP' }]),
      ],
    },
    {
      name: 'FQDN slices are ignored by kube-proxy, so their ports are not judged (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        ext(http80),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }]),
        manual([{ name: 'wrong', port: 1, protocol: 'TCP' }], {
          name: 'ext-fqdn',
          addressType: 'FQDN',
          endpoints: [{ ip: 'db.example.com' }],
        }),
      ],
    },
    {
      name: 'a slice with no endpoints carries no traffic whatever its ports (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [ext(http80), manual([{ name: 'wrong', port: 1, protocol: 'TCP' }], { endpoints: [] })],
    },
    {
      name: 'a headless Service is not proxied; DNS does not pair ports (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        ext(http80, { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        manual([{ name: 'web', port: 8080, protocol: 'TCP' }]),
      ],
    },
    {
      name: 'a leader-election lock is not endpoints (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(http80),
        endpoints('ext', {
          annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' },
          subsets: [{ addresses: [{ ip }], ports: [{ name: 'other', port: 1 }] }],
        }),
      ],
    },
    {
      name: 'dual stack: both family slices carry the right port (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        ext(http80, { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { name: 'ext-v4' }),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], {
          name: 'ext-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::1' }],
        }),
      ],
    },
    {
      name: 'a slice of a family the Service has no ClusterIP of is not paired by any proxier (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        ext(http80),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { name: 'ext-v4' }),
        manual([{ name: 'web', port: 8080, protocol: 'TCP' }], {
          name: 'ext-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::1' }],
        }),
      ],
    },
    {
      name: 'default/kubernetes: https pairs with the apiserver slice port https 6443 (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'slice port named differently from the one named Service port (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(http80), manual([{ name: 'web', port: 8080, protocol: 'TCP' }])],
      findings: [
        {
          reason: 'noPortPairs',
          port: 'http 80/TCP',
          message: ['Service port http 80/TCP', 'EndpointSlice ext-abcde has "web" 8080/TCP'],
          fix: 'name: "http", protocol: TCP',
        },
      ],
    },
    {
      name: 'an unnamed Service port needs name "", a missing name is ignored (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(unnamed80), manual([{ port: 8080, protocol: 'TCP' }])],
      findings: [{ reason: 'noPortPairs', port: '80/TCP', message: ['(no name) 8080/TCP', 'needs name: ""'] }],
    },
    {
      name: 'an unnamed Service port does not pair with a named slice port (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(unnamed80), manual([{ name: 'http', port: 8080, protocol: 'TCP' }])],
      findings: [{ reason: 'noPortPairs', port: '80/TCP', message: ['must be named "", not "http"'] }],
    },
    {
      name: 'a slice without ports gives no Service port endpoints (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(http80), manual([])],
      findings: [
        {
          reason: 'noPortPairs',
          port: 'http 80/TCP',
          message: ['EndpointSlice ext-abcde has no ports (it lists no ports at all)'],
        },
      ],
    },
    {
      name: 'same name, other protocol (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices: name and protocol)',
      objects: [
        ext([{ name: 'dns', port: 53, protocol: 'UDP' }]),
        manual([{ name: 'dns', port: 53, protocol: 'TCP' }]),
      ],
      findings: [{ reason: 'noPortPairs', port: 'dns 53/UDP', message: ['protocol TCP, the Service port UDP'] }],
    },
    {
      name: 'a slice port without a port number is ignored (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(http80), manual([{ name: 'http', protocol: 'TCP' }])],
      findings: [{ reason: 'noPortPairs', message: ['no port number'] }],
    },
    {
      name: 'a named Service port and an unnamed slice port (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(http80), manual([{ name: '', port: 8080, protocol: 'TCP' }])],
      findings: [{ reason: 'noPortPairs', message: ['needs name "http"'] }],
    },
    {
      name: 'one finding per Service port no slice pairs with (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        ext([
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'metrics', port: 9100, protocol: 'TCP' },
        ]),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }]),
      ],
      findings: [{ reason: 'noPortPairs', port: 'metrics 9100/TCP', message: ['has "http" 8080/TCP'] }],
    },
    {
      name: 'a mirrored slice inherits the Endpoints port name: the fix points at the Endpoints (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(http80),
        endpoints('ext', { subsets: [{ addresses: [{ ip }], ports: [{ port: 8080 }] }] }),
        manual([{ name: '', port: 8080, protocol: 'TCP' }], { managedBy: MIRROR }),
      ],
      findings: [{ reason: 'noPortPairs', port: 'http 80/TCP', fix: 'kubectl edit endpoints ext -n shop' }],
    },
    {
      name: 'Endpoints not mirrored (skip-mirror): their ports are judged, as mirroring would copy them (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(http80),
        endpoints('ext', {
          labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
          subsets: [{ addresses: [{ ip }], ports: [{ name: 'web', port: 8080 }] }],
        }),
      ],
      findings: [{ reason: 'noPortPairs', message: ['Endpoints ext has "web" 8080/TCP'] }],
    },
    {
      name: 'EndpointSlices not read: the Endpoints ports are judged',
      objects: [
        ext(http80),
        endpoints('ext', { subsets: [{ addresses: [{ ip }], ports: [{ name: 'web', port: 8080 }] }] }),
      ],
      coverage: { endpointSlices: false },
      findings: [{ reason: 'noPortPairs', message: ['Endpoints ext has "web" 8080/TCP'] }],
    },
    {
      name: 'selector {} is selectorless: its slices must pair too (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [ext(http80, { selector: {} }), manual([{ name: 'web', port: 8080, protocol: 'TCP' }])],
      findings: [{ reason: 'noPortPairs', port: 'http 80/TCP' }],
    },
    {
      name: 'every Service port pairs, but one slice pairs with none: its endpoints are dead (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices, warning)',
      objects: [
        ext(http80),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { name: 'ext-good' }),
        manual([{ name: 'htp', port: 8080, protocol: 'TCP' }], {
          name: 'ext-typo',
          endpoints: [{ ip: '192.0.2.11' }, { ip: '192.0.2.12' }],
        }),
      ],
      findings: [
        {
          reason: 'sourcePairsWithNoPort',
          severity: 'warning',
          message: ['EndpointSlice ext-typo pairs with no Service port', '2 endpoints get no traffic'],
        },
      ],
    },
    {
      name: 'dual stack: kube-proxy pairs per family, so a wrongly named IPv6 slice leaves IPv6 clients without endpoints (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        ext(http80, { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        manual([{ name: 'http', port: 8080, protocol: 'TCP' }], { name: 'ext-v4' }),
        manual([{ port: 8080, protocol: 'TCP' }], {
          name: 'ext-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::1' }],
        }),
      ],
      findings: [
        {
          reason: 'noPortPairsForFamily',
          port: 'http 80/TCP',
          message: ['for IPv6 clients', 'EndpointSlice ext-v6 has (no name) 8080/TCP'],
          fix: 'endpointslice ext-v6',
        },
      ],
    },
    {
      name: 'dual-stack Endpoints: an IPv6 address in a subset with the right port name pairs for IPv6 (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(unnamed80, { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        endpoints('ext', {
          subsets: [
            { addresses: [{ ip }], ports: [{ port: 8080 }] },
            { addresses: [{ ip: 'fd00::1' }], ports: [{ name: 'http', port: 8080 }] },
          ],
        }),
      ],
      findings: [
        {
          reason: 'noPortPairsForFamily',
          port: '80/TCP',
          message: ['for IPv6 clients', 'Endpoints ext (subset 2) has "http" 8080/TCP'],
        },
      ],
    },
  ],
});
