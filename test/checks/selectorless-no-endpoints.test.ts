import { selectorlessNoEndpoints } from '../../src/checks/selectorless-no-endpoints.js';
import { apiserverObjects, endpointOf, endpoints, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const LEADER = { 'control-plane.alpha.kubernetes.io/leader': '{"holderIdentity":"ext-7d9f"}' };

ruleTester(selectorlessNoEndpoints, {
  valid: [
    {
      name: 'a Service with a selector: the controller makes its slices (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
    },
    {
      name: 'a selector Service with no slice yet is not selectorless (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [service('web'), slice('other', { endpoints: [] })],
    },
    {
      name: 'ExternalName has no endpoints by design (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('db', { type: 'ExternalName', selector: null, spec: { externalName: 'db.example.com' } }),
        slice('x'),
      ],
    },
    {
      name: 'selectorless with a hand-made slice labelled with its name (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'selector {} with a hand-made slice (docs/kubernetes-semantics.md#which-services-get-controller-slices: {} is selectorless; docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [service('ext', { selector: {} }), slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] })],
    },
    {
      name: 'selectorless with a mirrored slice (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080 }] }] }),
        slice('ext', { managedBy: 'endpointslicemirroring-controller.k8s.io', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'selectorless with Endpoints only: mirroring is endpoints-not-mirrored\'s concern, not "no endpoints" (kube-linter #746)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080 }] }] }),
      ],
    },
    {
      name: 'selectorless with only an IPv6 slice: dual-stack families each count (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        service('ext', {
          selector: null,
          spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00::10', clusterIPs: ['fd00::10'] },
        }),
        slice('ext', { managedBy: 'me', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
    },
    {
      name: 'a left-over controller slice still routes (stale-endpoints reports it, docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [service('ext', { selector: null }), slice('ext', { endpoints: [{ ip: '10.244.9.9' }] })],
    },
    {
      name: 'a dual-stack Service with an IPv6 slice only: IPv6 is one of its families (one proxier per family, pkg/proxy/endpointschangetracker.go)',
      objects: [
        service('ext', {
          selector: null,
          spec: {
            ipFamilyPolicy: 'PreferDualStack',
            ipFamilies: ['IPv4', 'IPv6'],
            clusterIPs: ['10.96.0.10', 'fd00::10'],
          },
        }),
        slice('ext', { managedBy: 'me', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
    },
    {
      name: 'a headless Service is not proxied: cluster DNS answers from slices of either family (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        service('peers', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'] } }),
        slice('peers', { managedBy: 'me', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
    },
    {
      name: 'ready or not, endpoints kube-proxy reads are no-ready-endpoints\' to judge, not "no endpoints"',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1', ready: false }] }),
      ],
    },
    {
      name: 'EndpointSlices not read at all: the check is skipped',
      objects: [service('ext', { selector: null })],
      coverage: { endpointSlices: false },
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'no selector, no slice, no Endpoints: traffic goes nowhere (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [service('ext', { selector: null })],
      findings: [
        {
          reason: 'noBackend',
          message: [
            'no selector, and no EndpointSlice or Endpoints object lists a backend',
            'kube-proxy rejects connections',
          ],
          fix: '"labels":{"kubernetes.io/service-name":"ext",',
        },
      ],
    },
    {
      name: 'selector {} is selectorless, not "all pods" (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [service('ext', { selector: {} }), pod('web-1')],
      findings: [{ reason: 'noBackend', message: ['no selector'] }],
    },
    {
      name: 'Endpoints not read: only slices count, and the message does not claim there are no Endpoints',
      objects: [service('ext', { selector: null })],
      coverage: { endpoints: false },
      findings: [
        { reason: 'noBackendInSlices', message: ['no EndpointSlice lists a backend for it (Endpoints were not read'] },
      ],
    },
    {
      name: 'an FQDN slice is ignored by kube-proxy (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', addressType: 'FQDN', endpoints: [{ ip: 'db.example.com' }] }),
      ],
      findings: [{ reason: 'noBackend', message: ['addressType FQDN, which kube-proxy ignores'] }],
    },
    {
      name: 'only an FQDN slice: kube-proxy ignores it (docs/kubernetes-semantics.md#one-slice-set-per-address-family), an ExternalName gives the DNS CNAME to that host (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', addressType: 'FQDN', endpoints: [{ ip: 'db.example.com' }] }),
      ],
      findings: [
        {
          reason: 'noBackend',
          message: ['addressType FQDN, which kube-proxy ignores'],
          fix: `make this an ExternalName Service: cluster DNS then answers its name with a CNAME to db.example.com, and clients connect there directly on the port they dial: kubectl patch service ext -n shop -p '{"spec":{"type":"ExternalName","externalName":"db.example.com"}}'`,
        },
      ],
    },
    {
      name: 'a slice without the service-name label does not belong to the Service (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null }),
        slice(null, { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [{ reason: 'noBackend', message: ['no EndpointSlice or Endpoints object lists a backend'] }],
    },
    {
      name: 'a leader-election lock named like the Service is not endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [service('ext', { selector: null }), endpoints('ext', { annotations: LEADER })],
      findings: [{ reason: 'noBackend', message: ['leader-election lock'] }],
    },
    {
      name: 'an Endpoints object without addresses gives nothing to mirror (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [service('ext', { selector: null }), endpoints('ext', { subsets: [] })],
      findings: [{ reason: 'noBackend', message: ['Endpoints ext exists but lists no address'] }],
    },
    {
      name: 'only the empty placeholder the controller left when the selector was removed (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)',
      objects: [service('ext', { selector: null }), slice('ext', { ports: [], endpoints: [] })],
      findings: [{ reason: 'noBackend', message: ['ext-abcde is a placeholder the EndpointSlice controller left'] }],
    },
    {
      name: 'headless selectorless: the name resolves to nothing (docs/kubernetes-semantics.md#headless-services)',
      objects: [service('peers', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'] } })],
      findings: [{ reason: 'noBackend', message: ['headless DNS name resolves to no address'] }],
    },
    {
      name: 'a hand-made slice that lists no endpoint yet: kube-proxy has nothing and rejects (pkg/proxy/iptables/proxier.go, "has no endpoints")',
      objects: [service('ext', { selector: null }), slice('ext', { managedBy: 'me', endpoints: [] })],
      findings: [
        {
          reason: 'noBackend',
          message: ['kube-proxy rejects', 'EndpointSlice ext-abcde lists no endpoint with an address'],
        },
      ],
    },
    {
      name: 'a single-stack IPv4 Service whose only slice is IPv6: kube-proxy keeps one proxier per family and none reads it (pkg/proxy/endpointschangetracker.go EndpointSliceUpdate)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { name: 'ext-v6', managedBy: 'me', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
      findings: [
        {
          reason: 'onlyOtherFamily',
          message: [
            'its endpoints are all in EndpointSlices of another address family than its own (IPv4)',
            'kube-proxy rejects connections to its ClusterIP',
            'EndpointSlice ext-v6 has addressType IPv6, which no proxier reads for a Service without an IPv6 ClusterIP',
          ],
          fix: '"ipFamilyPolicy":"RequireDualStack","ipFamilies":["IPv4","IPv6"]',
        },
      ],
    },
    {
      name: 'Endpoints listing only IPv6 addresses for an IPv4 Service: mirrored into an IPv6 slice kube-proxy does not read (docs/kubernetes-semantics.md#endpointslice-mirroring splits by family)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ name: 'http', port: 8080 }] }] }),
        slice('ext', {
          name: 'ext-mirror',
          managedBy: 'endpointslicemirroring-controller.k8s.io',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::1' }],
        }),
      ],
      findings: [
        {
          reason: 'onlyOtherFamily',
          message: ['ext-mirror has addressType IPv6', 'the mirroring controller files each address'],
        },
      ],
    },
    {
      name: 'an IPv6 single-stack Service: the fix suggests an IPv6 slice (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        service('ext', {
          selector: null,
          spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00::10', clusterIPs: ['fd00::10'] },
        }),
      ],
      findings: [{ reason: 'noBackend', fix: '"addressType":"IPv6"' }],
    },
    {
      name: 'an unnamed Service port: the fix names the slice port "" (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [service('ext', { selector: null, ports: [{ port: 5432, protocol: 'TCP' }] })],
      findings: [{ reason: 'noBackend', fix: '"ports":[{"name":"",' }],
    },
  ],
});
