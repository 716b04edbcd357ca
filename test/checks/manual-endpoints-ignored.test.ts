import { manualEndpointsIgnored } from '../../src/checks/manual-endpoints-ignored.js';
import { addressOf, apiserverObjects, endpointOf, endpoints, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const MIRROR = 'endpointslicemirroring-controller.k8s.io';
const ports = [{ name: 'http', port: 8080 }];
const web = () => service('web', { labels: { team: 'shop' } });
const controllerSlice = (...pods: string[]) => slice('web', { endpoints: pods.map((p) => endpointOf(p)) });

ruleTester(manualEndpointsIgnored, {
  valid: [
    {
      name: 'the Endpoints the controller wrote: pod targetRefs, Service labels (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        web(),
        pod('web-1'),
        endpoints('web', { labels: { team: 'shop' }, subsets: [{ addresses: [addressOf('web-1')], ports }] }),
        controllerSlice('web-1'),
      ],
    },
    {
      name: 'v1.33+ controller Endpoints, labelled endpoints.kubernetes.io/managed-by (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        web(),
        pod('web-1'),
        endpoints('web', {
          labels: { team: 'shop', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' },
          subsets: [{ addresses: [addressOf('web-1')], ports }],
        }),
      ],
    },
    {
      name: 'controller Endpoints with a not-ready pod (docs/kubernetes-semantics.md#the-legacy-endpoints-controller: notReadyAddresses carry targetRefs too)',
      objects: [
        web(),
        pod('web-1', { ready: false }),
        endpoints('web', { subsets: [{ notReadyAddresses: [addressOf('web-1')], ports }] }),
      ],
    },
    {
      name: 'controller Endpoints naming a pod deleted since: that is lag, not a hand edit (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [web(), endpoints('web', { subsets: [{ addresses: [addressOf('web-gone')], ports }] })],
    },
    {
      name: "the controller's empty Endpoints when no pod matches (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)",
      objects: [web(), endpoints('web')],
    },
    {
      name: 'a leader-election lock sharing the name is not service endpoints (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [
        web(),
        endpoints('web', {
          annotations: { 'control-plane.alpha.kubernetes.io/leader': '{"holderIdentity":"x"}' },
          subsets: [{ addresses: [{ ip: '192.0.2.1' }] }],
        }),
      ],
    },
    {
      name: 'selectorless Service: hand-made Endpoints are the way to go (docs/kubernetes-semantics.md#endpointslice-mirroring, kube-linter #746)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
      ],
    },
    {
      name: 'selector {} is selectorless: hand-made Endpoints are mirrored, not ignored (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        service('ext', { selector: {} }),
        endpoints('ext', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
      ],
    },
    {
      name: 'ExternalName: nothing is proxied (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
        endpoints('db', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
      ],
    },
    {
      name: "the controller's own slices, one per family (docs/kubernetes-semantics.md#one-slice-set-per-address-family)",
      objects: [
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
        pod('web-1', { ips: ['10.244.7.1', 'fd00::7:1'] }),
        slice('web', { name: 'web-v4', endpoints: [endpointOf('web-1', { ip: '10.244.7.1' })] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' })] }),
      ],
    },
    {
      name: "a mirrored slice left for a moment after a selector was added is the mirroring controller's to delete (docs/kubernetes-semantics.md#endpointslice-mirroring, PR #105997)",
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-mirror', managedBy: MIRROR, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
    },
    {
      name: 'a foreign FQDN slice is ignored by kube-proxy (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-dns', managedBy: 'me', addressType: 'FQDN', endpoints: [{ ip: 'x.example.com' }] }),
      ],
    },
    {
      name: "a foreign slice repeating the pods' addresses adds nothing (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices: deduplicated)",
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-copy', managedBy: 'mesh', endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'an empty foreign slice adds nothing (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-empty', managedBy: 'me', endpoints: [] }),
      ],
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'hand-made Endpoints on a selector Service: overwritten, never mirrored (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: [
        web(),
        pod('web-1'),
        endpoints('web', { subsets: [{ addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }], ports }] }),
        controllerSlice('web-1'),
      ],
      findings: [
        {
          reason: 'endpointsOverwritten',
          message: [
            'Endpoints web lists 2 addresses the Endpoints controller did not write',
            '192.0.2.10, 192.0.2.11',
            'overwrites',
          ],
          fix: '"path":"/spec/selector"',
        },
      ],
    },
    {
      name: "a hand-added address beside the controller's pod addresses (docs/kubernetes-semantics.md#the-legacy-endpoints-controller)",
      objects: [
        web(),
        pod('web-1'),
        endpoints('web', {
          labels: { team: 'shop' },
          subsets: [{ addresses: [addressOf('web-1'), { ip: '192.0.2.10' }], ports }],
        }),
      ],
      findings: [{ reason: 'endpointsOverwritten', message: ['1 address', '192.0.2.10'] }],
    },
    {
      name: "a targetRef to something other than a Pod is not the controller's (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)",
      objects: [
        web(),
        endpoints('web', {
          subsets: [{ addresses: [{ ip: '192.0.2.10', targetRef: { kind: 'Node', name: 'node-a' } }], ports }],
        }),
      ],
      findings: [{ reason: 'endpointsOverwritten', message: ['192.0.2.10'] }],
    },
    {
      name: 'a foreign slice without managed-by adds endpoints kube-proxy merges (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-extra', managedBy: null, endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [
        {
          reason: 'extraSliceEndpoints',
          message: [
            'EndpointSlice web-extra (without the endpointslice.kubernetes.io/managed-by label) adds 1 address',
            '192.0.2.10',
            'merges every slice',
          ],
          fix: 'kubectl delete endpointslice web-extra -n shop',
        },
      ],
    },
    {
      name: 'a slice managed by a third party adds endpoints (docs/kubernetes-semantics.md#labels-and-annotations-on-slices, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        web(),
        pod('web-1'),
        controllerSlice('web-1'),
        slice('web', { name: 'web-legacy', managedBy: 'ops-team', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [{ reason: 'extraSliceEndpoints', message: ['managed by ops-team'] }],
    },
    {
      name: 'a foreign slice is merged even when no pod matches the selector (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        web(),
        slice('web', { endpoints: [] }),
        slice('web', { name: 'web-extra', managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [{ reason: 'extraSliceEndpoints', message: ['adds 1 address'] }],
    },
    {
      name: 'IPv6 addresses compare in canonical form: only the truly extra one is reported (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        service('web', { spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00::10', clusterIPs: ['fd00::10'] } }),
        pod('web-1', { ips: ['fd00::7:1'] }),
        slice('web', { addressType: 'IPv6', endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' })] }),
        slice('web', {
          name: 'web-extra',
          managedBy: 'me',
          addressType: 'IPv6',
          endpoints: [{ ip: 'FD00:0:0:0:0:0:7:1' }, { ip: 'fd00::99' }],
        }),
      ],
      findings: [
        { reason: 'extraSliceEndpoints', message: ['adds 1 address the selector does not produce (fd00::99)'] },
      ],
    },
    {
      name: 'both: hand-made Endpoints and a foreign slice (docs/kubernetes-semantics.md#the-legacy-endpoints-controller, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        web(),
        endpoints('web', { subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports }] }),
        slice('web', { name: 'web-extra', managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }] }),
      ],
      findings: [
        { reason: 'endpointsOverwritten', message: ['Endpoints web'] },
        { reason: 'extraSliceEndpoints', message: ['EndpointSlice web-extra'] },
      ],
    },
  ],
});
