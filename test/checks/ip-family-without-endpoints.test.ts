import { ipFamilyWithoutEndpoints } from '../../src/checks/ip-family-without-endpoints.js';
import { endpointOf, ipFor, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const dualV4First = {
  ipFamilyPolicy: 'PreferDualStack',
  ipFamilies: ['IPv4', 'IPv6'],
  clusterIPs: ['10.96.0.10', 'fd00::10'],
};
const dualV6First = {
  ipFamilyPolicy: 'RequireDualStack',
  ipFamilies: ['IPv6', 'IPv4'],
  clusterIP: 'fd00::10',
  clusterIPs: ['fd00::10', '10.96.0.10'],
};
const v6Placeholder = slice('web', { name: 'web-v6', addressType: 'IPv6', ports: [], endpoints: [] });

ruleTester(ipFamilyWithoutEndpoints, {
  valid: [
    {
      name: 'single-stack Service: one slice set, one family (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
    },
    {
      name: 'single-stack IPv6 Service with IPv6 endpoints only',
      objects: [
        service('web', { spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00::10', clusterIPs: ['fd00::10'] } }),
        pod('web-1', { ips: ['fd00:10:244::5'] }),
        slice('web', { addressType: 'IPv6', endpoints: [{ ip: 'fd00:10:244::5', pod: 'web-1' }] }),
      ],
    },
    {
      name: 'dual-stack Service with dual-stack pods: ready endpoints in both families',
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1', { ips: [ipFor('web-1'), 'fd00:10:244::5'] }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00:10:244::5', pod: 'web-1' }] }),
      ],
    },
    {
      name: 'dual-stack with no ready endpoint in either family: an outage for another check, not a family gap',
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
        v6Placeholder,
      ],
    },
    {
      name: 'dual-stack selector matching nothing: both families hold only placeholders (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)',
      objects: [service('web', { spec: dualV4First }), slice('web', { endpoints: [] }), v6Placeholder],
    },
    {
      name: 'ExternalName has no families and no endpoints (docs/kubernetes-semantics.md#externalname-services)',
      objects: [service('db', { type: 'ExternalName', selector: null, spec: { externalName: 'db.example.com' } })],
    },
    {
      name: 'a headless dual-stack Service has no ClusterIP and kube-proxy skips it (pkg/proxy/util ShouldSkipService): no family gap',
      objects: [
        service('db', { spec: { ...dualV4First, clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('db', { endpoints: [endpointOf('web-1')] }),
        slice('db', { name: 'db-v6', addressType: 'IPv6', ports: [], endpoints: [] }),
      ],
    },
    {
      name: 'a selectorless headless Service gets both families even on a single-stack cluster (alloc.go initIPFamilyFields): no family gap',
      objects: [
        service('peers', {
          selector: null,
          spec: {
            clusterIP: 'None',
            clusterIPs: ['None'],
            ipFamilyPolicy: 'RequireDualStack',
            ipFamilies: ['IPv4', 'IPv6'],
          },
        }),
        slice('peers', { managedBy: 'staff', endpoints: [{ ip: '192.168.1.5' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'dual-stack Service over IPv4-only pods: the IPv6 family keeps the empty placeholder slice (docs/kubernetes-semantics.md#one-slice-set-per-address-family) and its ClusterIP rejects',
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1'),
        pod('web-2'),
        node('node-a'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
        v6Placeholder,
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          message: [
            '2 ready IPv4 endpoints but no ready IPv6 one',
            'rejects connections to its IPv6 ClusterIP fd00::10',
            'placeholder',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'has no IPv6 address' },
          fix: `kubectl patch service web -n shop -p '{"spec":{"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"clusterIPs":["10.96.0.10"]}}'`,
        },
      ],
    },
    {
      name: 'no pod anywhere has an IPv6 address: the pod network is single-stack, so the fix is a dual-stack pod network (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1'),
        pod('api-1', { labels: { app: 'api' } }),
        node('node-a'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        v6Placeholder,
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          pods: ['web-1'],
          fix: 'give the pods IPv6 addresses (dual-stack pod network), or drop the family',
        },
      ],
    },
    {
      name: 'a newer pod of the Service has both families, the older one only IPv4 (docs/kubernetes-semantics.md#one-slice-set-per-address-family: pods keep the IPs they were created with): recreate the old pod',
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1'),
        pod('web-2', { ips: ['10.244.50.2', 'fd00:10:244::52'], ready: false }),
        node('node-a'),
        slice('web', {
          endpoints: [endpointOf('web-1'), { ip: '10.244.50.2', pod: 'web-2', node: 'node-a', ready: false }],
        }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00:10:244::52', pod: 'web-2', node: 'node-a', ready: false }],
        }),
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          message: [
            'no ready IPv6 one',
            '1 of its pods already has an IPv6 address (web-2) but is not a ready endpoint, the other 1 pod has none',
          ],
          pods: ['web-1'],
          fix: 'the pod network already hands out IPv6 addresses: recreate the 1 pod without one so it gets both families (restart their workload with kubectl rollout restart; the owner is: kubectl get pod web-1 -n shop',
        },
      ],
    },
    {
      name: "other pods of the cluster have IPv6 addresses: the network is dual-stack, the Service's pods predate it (docs/kubernetes-semantics.md#one-slice-set-per-address-family): recreate them",
      objects: [
        service('web', { spec: dualV4First }),
        pod('web-1'),
        pod('web-2'),
        pod('api-1', { ns: 'api', labels: { app: 'api' }, ips: ['10.244.60.1', 'fd00:10:244::61'] }),
        node('node-a'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
        v6Placeholder,
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          message: ['other pods already get IPv6 addresses (e.g. api/api-1)'],
          pods: ['web-1', 'web-2'],
          fix: 'the pod network already hands out IPv6 addresses: recreate the 2 pods without one so they get both families',
        },
      ],
    },
    {
      name: 'selectorless: the hand-made slices need the missing family, not the pods (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null, spec: dualV4First }),
        slice('ext', { managedBy: 'staff', endpoints: [{ ip: '192.168.1.5' }] }),
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          fix: 'EndpointSlice of addressType IPv6 labelled kubernetes.io/service-name=ext',
        },
      ],
    },
    {
      name: 'IPv6-primary Service without IPv6 endpoints: the primary family cannot be dropped, so no SingleStack patch is offered',
      objects: [
        service('web', { type: 'NodePort', spec: dualV6First }),
        pod('web-1'),
        node('node-a'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
        v6Placeholder,
      ],
      findings: [
        {
          reason: 'familyWithoutEndpoints',
          message: ['no ready IPv6 one', 'IPv6 ClusterIP fd00::10 and NodePorts'],
          pods: ['web-1'],
          fix: 'cannot be removed',
        },
      ],
    },
    {
      name: 'a selectorless dual-stack Service whose hand-made slices are IPv4 only (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices: the user supplies every family)',
      objects: [
        service('ext', { selector: null, spec: dualV4First }),
        slice('ext', { managedBy: 'staff', endpoints: [{ ip: '192.168.1.5' }] }),
      ],
      findings: [
        { reason: 'familyWithoutEndpoints', message: ['1 ready IPv4 endpoint but no ready IPv6 one'], pods: [] },
      ],
    },
    {
      name: 'IPv6 endpoints present but none ready while IPv4 ones are ready still leaves IPv6 without ready endpoints',
      objects: [
        service('ext', { selector: null, spec: dualV4First }),
        slice('ext', { managedBy: 'staff', endpoints: [{ ip: '192.168.1.5' }] }),
        slice('ext', {
          name: 'ext-v6',
          managedBy: 'staff',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::5', ready: false }],
        }),
      ],
      findings: [{ reason: 'familyWithoutEndpoints', message: ['no ready IPv6 one'] }],
    },
  ],
});
