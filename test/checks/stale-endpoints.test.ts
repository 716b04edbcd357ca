import { staleEndpoints } from '../../src/checks/stale-endpoints.js';
import { addressOf, apiserverObjects, endpointOf, endpoints, ipFor, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';
import { requiredObject } from '../support/required-fields.js';

const MIRROR = 'endpointslicemirroring-controller.k8s.io';
const ext = (o: Parameters<typeof service>[1] = {}) => service('ext', { selector: null, ...o });
const recreated = (name: string, o: Parameters<typeof pod>[1] = {}) => {
  const p = pod(name, o);
  requiredObject(p, 'metadata').uid = `uid-${name}-new`;
  return p;
};

ruleTester(staleEndpoints, {
  valid: [
    {
      name: "the controller's slice lists the live pods (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)",
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
    },
    {
      name: 'a pod mid-deletion is listed as terminating: normal (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        service('web'),
        pod('web-1', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, terminating: true })] }),
      ],
    },
    {
      name: 'lag: the pod just finished terminating and its endpoint is still marked terminating (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        service('web'),
        pod('web-2'),
        slice('web', {
          endpoints: [endpointOf('web-1', { ready: false, serving: false, terminating: true }), endpointOf('web-2')],
        }),
      ],
    },
    {
      name: 'lag: a new pod not yet in the slice is not stale (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1')] })],
    },
    {
      name: 'a not-ready endpoint of a gone pod gets no traffic (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection: only ready endpoints are used)',
      objects: [
        service('web'),
        pod('web-2'),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: false }), endpointOf('web-2')] }),
      ],
    },
    {
      name: 'Pods were not read (a snapshot without Pods): a missing pod proves nothing',
      objects: [service('web'), slice('web', { endpoints: [endpointOf('web-1')] })],
      coverage: { pods: false },
    },
    {
      name: 'a targetRef into a namespace the input says nothing about (no Service, no pod there): unknown, not gone',
      objects: [
        ext(),
        slice('ext', {
          managedBy: 'me',
          endpoints: [{ ip: '10.244.9.9' }],
        }),
      ].map((o) =>
        o.kind === 'EndpointSlice'
          ? {
              ...o,
              endpoints: [
                {
                  ...requiredObject(o, 'endpoints', 0),
                  targetRef: { kind: 'Pod', namespace: 'elsewhere', name: 'db-0' },
                },
              ],
            }
          : o,
      ),
    },
    {
      name: 'selectorless with a hand-made slice (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [ext(), slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] })],
    },
    {
      name: 'selector {} with a mirrored slice: mirrored slices are the selectorless way (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext({ selector: {} }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080 }] }] }),
        slice('ext', { managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: "dual stack: one endpoint per family, both the pod's (docs/kubernetes-semantics.md#one-slice-set-per-address-family)",
      objects: [
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        pod('web-1', { ips: ['10.244.7.1', 'fd00::7:1'] }),
        slice('web', { name: 'web-v4', endpoints: [endpointOf('web-1', { ip: '10.244.7.1' })] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'FD00:0::7:1' })] }),
      ],
    },
    {
      name: 'ExternalName is not proxied: slices from an old cluster (#105986) carry no traffic (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('db', { type: 'ExternalName', selector: null, spec: { externalName: 'db.example.com' } }),
        slice('db', { endpoints: [{ ip: '10.244.9.9' }] }),
      ],
    },
    {
      name: 'FQDN slices are ignored by kube-proxy (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        service('web'),
        pod('web-1'),
        slice('web', { managedBy: 'me', addressType: 'FQDN', endpoints: [{ ip: 'x.example.com', pod: 'web-gone' }] }),
      ],
    },
    {
      name: 'selector removed, only the empty placeholder left: it routes nowhere (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner; selectorless-no-endpoints reports it)',
      objects: [ext(), slice('ext', { ports: [], endpoints: [] })],
    },
    {
      name: "default/kubernetes: its slice is the apiserver's, not the controller's (docs/kubernetes-semantics.md#endpointslice-mirroring)",
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: "selector removed: the controller's slice stays and kube-proxy still routes to it (docs/kubernetes-semantics.md#which-services-get-controller-slices, #91072)",
      objects: [ext(), pod('web-1'), slice('ext', { endpoints: [endpointOf('web-1')] })],
      findings: [
        {
          reason: 'leftoverSlices',
          message: [
            'no selector, yet 1 EndpointSlice managed by endpointslice-controller.k8s.io remains',
            '1 endpoint',
            'still routes',
          ],
          fix: 'kubectl delete endpointslice ext-abcde -n shop',
        },
      ],
    },
    {
      name: 'selector {} counts as removed (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [ext({ selector: {} }), slice('ext', { endpoints: [{ ip: '10.244.9.9' }] })],
      findings: [{ reason: 'leftoverSlices', message: ['no selector'] }],
    },
    {
      name: 'selector removed on a dual-stack Service: both family slices remain (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        ext({ spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        slice('ext', { name: 'ext-v4', endpoints: [{ ip: '10.244.9.9' }] }),
        slice('ext', { name: 'ext-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::9' }] }),
      ],
      findings: [{ reason: 'leftoverSlices', message: ['2 EndpointSlices', 'ext-v4, ext-v6'], fix: 'ext-v4 ext-v6' }],
    },
    {
      name: 'selector removed on v1.33+: the controller-labelled Endpoints is left over too (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, #91072)',
      objects: [
        ext(),
        endpoints('ext', {
          labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' },
          subsets: [{ addresses: [{ ip: '10.244.9.9' }], ports: [{ name: 'http', port: 8080 }] }],
        }),
        slice('ext', { endpoints: [{ ip: '10.244.9.9' }] }),
      ],
      findings: [
        {
          reason: 'leftoverSlices',
          message: ['Endpoints ext (endpoints.kubernetes.io/managed-by=endpoint-controller) is left over too'],
          fix: 'kubectl delete endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'the last pod of the namespace is gone, its endpoint still ready (pods of the namespace were read: gone, not unknown)',
      objects: [service('web'), slice('web', { endpoints: [endpointOf('web-1')] })],
      findings: [
        {
          reason: 'vanishedPods',
          pods: ['web-1'],
          causes: { 'web-1': `pod no longer exists, but web-abcde still lists ${ipFor('web-1')} as ready` },
        },
      ],
    },
    {
      name: 'selector removed on a cluster before v1.33: the unlabelled Endpoints is left over too, its addresses point at pods (Endpoints controller, #91072)',
      objects: [
        ext(),
        pod('web-1'),
        endpoints('ext', { subsets: [{ addresses: [addressOf('web-1')], ports: [{ name: 'http', port: 8080 }] }] }),
        slice('ext', { name: 'ext-ctrl', endpoints: [endpointOf('web-1')] }),
        slice('ext', { name: 'ext-mirror', managedBy: MIRROR, endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'leftoverSlices',
          message: [
            'the Endpoints ext (its addresses point at pods, as the Endpoints controller writes them; clusters before v1.33 do not label it) is left over too',
            'copies it into ext-mirror',
          ],
          fix: 'kubectl delete endpointslice ext-ctrl -n shop && kubectl delete endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'selector removed, but the unlabelled Endpoints lists an address without a pod targetRef: written by hand, not left over (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        ext(),
        pod('web-1'),
        endpoints('ext', {
          subsets: [{ addresses: [addressOf('web-1'), { ip: '192.0.2.7' }], ports: [{ name: 'http', port: 8080 }] }],
        }),
        slice('ext', { name: 'ext-ctrl', endpoints: [endpointOf('web-1')] }),
      ],
      findings: [{ reason: 'leftoverSlices', fix: 'kubectl delete endpointslice ext-ctrl -n shop (or restore' }],
    },
    {
      name: 'an endpoint whose pod is gone and that is not terminating (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices: still routed)',
      objects: [service('web'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] })],
      findings: [
        {
          reason: 'vanishedPods',
          message: ['1 endpoint in web-abcde points as ready at a pod that is gone or has another IP'],
          pods: ['web-1'],
          causes: { 'web-1': 'pod no longer exists' },
          fix: 'kube-controller-manager',
        },
      ],
    },
    {
      name: 'a pod recreated under the same name has another IP (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        service('web'),
        recreated('web-0', { ip: '10.244.99.1' }),
        slice('web', { endpoints: [endpointOf('web-0')] }),
      ],
      findings: [
        {
          reason: 'vanishedPods',
          pods: ['web-0'],
          causes: {
            'web-0': `pod now has IP 10.244.99.1 (a pod of the same name was recreated), but web-abcde still lists ${ipFor('web-0')} as ready`,
          },
        },
      ],
    },
    {
      name: 'a pod recreated under the same name has no IP yet: the old address is dead (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        service('web'),
        recreated('web-0', { ip: null }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-0'), endpointOf('web-1')] }),
      ],
      findings: [{ reason: 'vanishedPods', pods: ['web-0'], causes: { 'web-0': 'pod was recreated' } }],
    },
    {
      name: 'selectorless: a hand-made slice whose targetRef pod is gone (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        ext(),
        pod('db-1', { labels: { app: 'db' } }),
        slice('ext', { managedBy: 'me', endpoints: [endpointOf('db-0')] }),
      ],
      findings: [{ reason: 'vanishedPods', pods: ['db-0'], fix: 'kubectl edit endpointslice ext-abcde -n shop' }],
    },
    {
      name: 'a mirrored slice: the fix points at the Endpoints (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        pod('db-1', { labels: { app: 'db' } }),
        slice('ext', { managedBy: MIRROR, endpoints: [endpointOf('db-0')] }),
      ],
      findings: [
        {
          reason: 'vanishedPodsMirrored',
          message: ['1 endpoint in ext-abcde (mirrored from the Endpoints ext) points as ready'],
          pods: ['db-0'],
          fix: 'ext-abcde is a copy the mirroring controller makes of the Endpoints ext: update that instead: kubectl edit endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'selector removed: the left-over Endpoints and its mirrored slice are one finding, the mirror is not called hand-made (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#endpointslice-mirroring, #91072)',
      objects: [
        ext(),
        pod('other-1', { labels: { app: 'other' } }),
        endpoints('ext', {
          labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' },
          subsets: [{ addresses: [addressOf('web-1'), addressOf('web-2')], ports: [{ name: 'http', port: 8080 }] }],
        }),
        slice('ext', { name: 'ext-ctrl', endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
        slice('ext', { name: 'ext-mirror', managedBy: MIRROR, endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
      findings: [
        {
          reason: 'leftoverSlices',
          message: [
            '1 EndpointSlice managed by endpointslice-controller.k8s.io remains (ext-ctrl, 2 endpoints)',
            'the Endpoints ext (endpoints.kubernetes.io/managed-by=endpoint-controller) is left over too, and the mirroring controller copies it into ext-mirror (2 endpoints)',
          ],
          fix: 'kubectl delete endpointslice ext-ctrl -n shop && kubectl delete endpoints ext -n shop (the mirroring controller then deletes its copy ext-mirror',
        },
      ],
    },
    {
      name: 'selector removed, left-over slice already deleted: the mirror of the left-over Endpoints is not hand-made (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        ext(),
        pod('other-1', { labels: { app: 'other' } }),
        endpoints('ext', {
          labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' },
          subsets: [{ addresses: [addressOf('web-1')], ports: [{ name: 'http', port: 8080 }] }],
        }),
        slice('ext', { name: 'ext-mirror', managedBy: MIRROR, endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'vanishedPodsMirrored',
          pods: ['web-1'],
          fix: 'which the Endpoints controller left behind when the selector was removed: kubectl delete endpoints ext -n shop',
        },
      ],
    },
    {
      name: "dual stack: the IPv6 endpoint no longer matches the pod's IPv6 address (docs/kubernetes-semantics.md#one-slice-set-per-address-family)",
      objects: [
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        pod('web-1', { ips: ['10.244.7.1', 'fd00::7:2'] }),
        slice('web', { name: 'web-v4', endpoints: [endpointOf('web-1', { ip: '10.244.7.1' })] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' })] }),
      ],
      findings: [
        {
          reason: 'vanishedPods',
          message: ['in web-v6'],
          pods: ['web-1'],
          causes: { 'web-1': 'still lists fd00::7:1' },
        },
      ],
    },
  ],
});
