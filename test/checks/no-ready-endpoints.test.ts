import { noReadyEndpoints } from '../../src/checks/no-ready-endpoints.js';
import { endpointOf, endpoints, node, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

function crashLooping(name: string): Raw {
  return pod(name, {
    ready: false,
    status: {
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    },
  });
}

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

ruleTester(noReadyEndpoints, {
  valid: [
    {
      name: 'a ready pod with a ready endpoint (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [nodeA, service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
    },
    {
      name: 'one ready endpoint among unready ones is enough; kube-proxy merges every slice (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        slice('web', { name: 'web-a', endpoints: [endpointOf('web-2', { ready: false })] }),
        slice('web', { name: 'web-b', endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'publishNotReadyAddresses: every included endpoint is ready, even of an unready pod (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: true, serving: false })] }),
      ],
    },
    {
      name: 'an endpoint without conditions is ready (docs/kubernetes-semantics.md#endpoint-conditions-and-fields: nil ready means true)',
      objects: [nodeA, service('web'), pod('web-1'), { ...slice('web'), endpoints: [{ addresses: ['10.99.0.1'] }] }],
    },
    {
      name: 'ExternalName Services get no endpoints by design (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        nodeA,
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
        pod('web-1', { ready: false }),
      ],
    },
    {
      name: 'selectorless with one ready hand-made endpoint among unready ones (CategorizeEndpoints uses the ready one)',
      objects: [
        nodeA,
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1', ready: false }, { ip: '192.0.2.2' }] }),
      ],
    },
    {
      name: "selectorless without any endpoint is selectorless-no-endpoints' finding, not this one",
      objects: [nodeA, service('ext', { selector: null }), slice('ext', { managedBy: 'me', endpoints: [] })],
    },
    {
      name: 'no EndpointSlices in the input, Endpoints with a ready address: mirrored as ready (endpointslicemirroring addressToEndpoint)',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', {
          subsets: [{ addresses: [{ ip: '192.0.2.1' }], notReadyAddresses: [{ ip: '192.0.2.2' }], ports: [] }],
        }),
      ],
      coverage: { endpointSlices: false },
    },
    {
      name: "a selector that matches nothing is selector-no-match's finding (docs/kubernetes-semantics.md#which-services-get-controller-slices)",
      objects: [nodeA, service('web', { selector: { app: 'nothing' } }), pod('web-1'), slice('web')],
    },
    {
      name: 'no EndpointSlices in the input: a ready pod counts as a ready endpoint (fallback)',
      objects: [nodeA, service('web'), pod('web-1')],
      coverage: { endpointSlices: false },
    },
    {
      name: 'dual-stack: ready endpoints in the IPv4 and IPv6 slices (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.0.1', 'fd00::1'] }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.0.1', pod: 'web-1' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1', pod: 'web-1' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'CrashLoopBackOff: cause with the last exit, fix reads the previous logs (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        crashLooping('web-1'),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: [
            'no ready endpoint',
            'the pod matching app=web is not a ready endpoint',
            'CrashLoopBackOff',
            'kube-proxy rejects',
          ],
          pods: ['web-1'],
          causes: { 'web-1': 'container app waiting: CrashLoopBackOff, last exit: Error (code 1)' },
          fix: 'kubectl logs web-1 -n shop -c app --previous',
        },
      ],
    },
    {
      name: 'ImagePullBackOff on every pod, counted in the message (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { waiting: 'ImagePullBackOff' }),
        pod('web-2', { waiting: 'ImagePullBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false }), endpointOf('web-2', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['none of the 2 pods', '2× container app waiting: ImagePullBackOff'],
          pods: ['web-1', 'web-2'],
          causes: { 'web-2': 'ImagePullBackOff' },
          fix: 'kubectl describe pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'readiness probe failing: running but not ready (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          ready: false,
          containers: [
            {
              name: 'app',
              image: 'a',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { port: 'http' } },
            },
          ],
        }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          pods: ['web-1'],
          causes: { 'web-1': 'readiness probe failing' },
          fix: 'kubectl describe pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'readiness gate not True: containers ready, pod not Ready (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          readinessGates: ['target-health.elbv2.k8s.aws/web-tg'],
          conditions: [
            { type: 'ContainersReady', status: 'True' },
            { type: 'target-health.elbv2.k8s.aws/web-tg', status: 'False' },
            { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' },
          ],
        }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [
        { reason: 'allPodsUnready', causes: { 'web-1': 'readiness gate target-health.elbv2.k8s.aws/web-tg is False' } },
      ],
    },
    {
      name: 'unscheduled pods have no IP and are not endpoints: the placeholder slice is empty (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          node: null,
          ip: null,
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
            },
          ],
        }),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['unscheduled: 0/3 nodes are available'],
          causes: { 'web-1': 'unscheduled: 0/3 nodes are available: 3 Insufficient cpu.' },
          fix: 'kubectl describe pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'a pod without IP yet on its node (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { ip: null, waiting: 'ContainerCreating' }),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [
        { reason: 'allPodsUnready', causes: { 'web-1': 'no IP yet on node node-a (app: ContainerCreating)' } },
      ],
    },
    {
      name: 'node NotReady: the pod was marked not ready, the fix looks at the node (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        node('node-b', { ready: 'False' }),
        service('web'),
        pod('web-1', { node: 'node-b', ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, node: 'node-b' })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          causes: { 'web-1': 'node node-b is NotReady' },
          fix: 'kubectl describe node node-b',
        },
      ],
    },
    {
      name: 'a pod whose Node object is gone is skipped by the controller (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [nodeA, service('web'), pod('web-1', { node: 'node-gone' }), slice('web', { ports: [], endpoints: [] })],
      findings: [{ reason: 'allPodsUnready', causes: { 'web-1': 'node node-gone does not exist' } }],
    },
    {
      name: 'terminating pods stay in slices not ready; none still serving: error (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { terminating: true, ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: false, terminating: true })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          severity: 'error',
          causes: { 'web-1': 'terminating' },
          message: ['kube-proxy rejects'],
        },
      ],
    },
    {
      name: 'only terminating endpoints that still serve: kube-proxy falls back to them, a warning (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { terminating: true }),
        pod('web-2', { ready: false }),
        slice('web', {
          endpoints: [
            endpointOf('web-1', { ready: false, serving: true, terminating: true }),
            endpointOf('web-2', { ready: false }),
          ],
        }),
      ],
      findings: [
        {
          reason: 'allPodsUnreadyFallback',
          severity: 'warning',
          message: ['falls back to 1 terminating endpoint still serving'],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'still serving', 'web-2': 'running but not ready' },
        },
      ],
    },
    {
      name: 'finished pods are never endpoints (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { phase: 'Succeeded', ready: false }),
        pod('web-2', { phase: 'Failed', ready: false, status: { reason: 'Evicted' } }),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['2× finished'],
          causes: { 'web-1': 'finished (phase Succeeded)', 'web-2': 'Failed: Evicted' },
        },
      ],
    },
    {
      name: 'publishNotReadyAddresses does not help pods without an IP (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { ip: null, waiting: 'ContainerCreating' }),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [{ reason: 'allPodsUnready', causes: { 'web-1': 'no IP yet' } }],
    },
    {
      name: 'headless: cluster DNS has no address to return (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [{ reason: 'allPodsUnready', severity: 'error', message: ['cluster DNS returns no address'] }],
    },
    {
      name: 'no EndpointSlices in the input: judged from the pods (fallback)',
      objects: [nodeA, service('web'), crashLooping('web-1')],
      coverage: { endpointSlices: false },
      findings: [{ reason: 'allPodsUnready', pods: ['web-1'], causes: { 'web-1': 'CrashLoopBackOff' } }],
    },
    {
      name: 'a Ready pod whose endpoint is still ready=false: the slices lag, and kube-proxy goes by the slices (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      findings: [{ reason: 'allPodsUnready', causes: { 'web-1': 'Ready but listed ready=false in the slices' } }],
    },
    {
      name: 'dual-stack: not-ready endpoints in both families, the pod listed once (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.0.2', 'fd00::2'], waiting: 'CrashLoopBackOff' }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.0.2', pod: 'web-1', ready: false }] }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::2', pod: 'web-1', ready: false }],
        }),
      ],
      findings: [{ reason: 'allPodsUnready', pods: ['web-1'], message: ['the pod matching app=web'] }],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [
        nodeA,
        service('web'),
        ...many.map((n) => pod(n, { waiting: 'CrashLoopBackOff' })),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [
        { reason: 'allPodsUnready', message: ['none of the 25 pods', 'first 20 listed'], pods: many.slice(0, 20) },
      ],
    },
    {
      name: 'selectorless, hand-made endpoints none ready nor serving-terminating: kube-proxy rejects (pkg/proxy/topology.go CategorizeEndpoints)',
      objects: [
        nodeA,
        service('ext', { selector: null }),
        slice('ext', {
          name: 'ext-1',
          managedBy: 'me',
          endpoints: [
            { ip: '192.0.2.1', ready: false, serving: false },
            { ip: '192.0.2.2', ready: false, serving: false },
          ],
        }),
      ],
      findings: [
        {
          reason: 'allEndpointsUnready',
          message: [
            'none of the 2 endpoints in EndpointSlice ext-1 is ready (ready=false, serving=false: 192.0.2.1, 192.0.2.2)',
            'kube-proxy rejects connections to the Service',
          ],
          fix: 'kubectl edit endpointslice ext-1 -n shop',
        },
      ],
    },
    {
      name: 'selectorless, hand-made endpoints serving and terminating: the fallback carries the traffic, a warning (CategorizeEndpoints)',
      objects: [
        nodeA,
        service('ext', { selector: null }),
        slice('ext', {
          managedBy: 'me',
          endpoints: [{ ip: '192.0.2.1', ready: false, serving: true, terminating: true }],
        }),
      ],
      findings: [
        {
          reason: 'allEndpointsUnreadyFallback',
          severity: 'warning',
          message: ['ready=false, serving=true, terminating', 'falls back to 1 terminating'],
        },
      ],
    },
    {
      name: 'selectorless, Endpoints notReadyAddresses mirrored as ready=false (endpointslicemirroring addressToEndpoint): kube-proxy rejects',
      objects: [
        nodeA,
        service('ext', { selector: null }),
        endpoints('ext', {
          subsets: [
            { notReadyAddresses: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }], ports: [{ name: 'http', port: 8080 }] },
          ],
        }),
        slice('ext', {
          name: 'ext-mirror',
          managedBy: 'endpointslicemirroring-controller.k8s.io',
          endpoints: [
            { ip: '192.0.2.1', ready: false, serving: true },
            { ip: '192.0.2.2', ready: false, serving: true },
          ],
        }),
      ],
      findings: [
        {
          reason: 'allEndpointsUnready',
          message: ['(ready=false, serving=true: 192.0.2.1, 192.0.2.2)', 'kube-proxy rejects'],
          fix: 'not notReadyAddresses: kubectl edit endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'selectorless, no EndpointSlices in the input: the Endpoints lists only notReadyAddresses, which mirror as ready=false',
      objects: [
        service('ext', { selector: null }),
        endpoints('ext', {
          subsets: [
            { notReadyAddresses: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }], ports: [{ name: 'http', port: 8080 }] },
          ],
        }),
      ],
      coverage: { endpointSlices: false },
      findings: [
        {
          reason: 'allAddressesNotReady',
          message: ['the Endpoints ext lists 2 addresses', 'all under notReadyAddresses', 'kube-proxy rejects'],
          fix: 'kubectl edit endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'headless selectorless, no EndpointSlices in the input: only notReadyAddresses, so cluster DNS has no address (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        service('peers', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        endpoints('peers', {
          subsets: [{ notReadyAddresses: [{ ip: '192.0.2.1' }], ports: [{ name: 'http', port: 8080 }] }],
        }),
      ],
      coverage: { endpointSlices: false },
      findings: [
        {
          reason: 'allAddressesNotReadyHeadless',
          message: ['the Endpoints peers lists 1 address', 'cluster DNS returns no address for this headless Service'],
        },
      ],
    },
    {
      name: 'headless selectorless with no ready endpoint: cluster DNS returns nothing (CoreDNS answers with ready endpoints only)',
      objects: [
        service('peers', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        slice('peers', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1', ready: false }] }),
      ],
      findings: [
        { reason: 'allEndpointsUnready', message: ['cluster DNS returns no address for this headless Service'] },
      ],
    },
    {
      name: 'the only ready endpoint points at a pod recreated with another IP: no ready backend, and kube-proxy sends the traffic there rather than rejecting it',
      objects: [
        nodeA,
        service('web'),
        pod('web-0', { ip: '10.244.99.9', ready: false }),
        slice('web', { endpoints: [endpointOf('web-0')] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          severity: 'error',
          message: [
            'kube-proxy still sends its connections to 1 endpoint listed as ready whose pod is gone or has another IP',
          ],
          pods: ['web-0'],
        },
      ],
    },
    {
      name: 'headless: the only ready endpoint points at a pod recreated with another IP, and cluster DNS still answers with it (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-0', { ip: '10.244.99.9', ready: false }),
        slice('web', { endpoints: [endpointOf('web-0')] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['cluster DNS still answers for this headless Service with 1 address whose pod is gone'],
          pods: ['web-0'],
        },
      ],
    },
    {
      name: 'Ready pods in no slice are summarised by what is wrong with them, not as "Ready" (the controller lists every eligible pod, reconciler.go)',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [] })],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['(2× Ready but in no EndpointSlice of the Service)'],
          causes: { 'web-1': 'Ready but in no EndpointSlice of the Service (controller lag' },
        },
      ],
    },
    {
      name: 'Ready pods listed ready=false are summarised by that, next to the other causes',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false }), endpointOf('web-2', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'allPodsUnready',
          message: ['container app waiting: CrashLoopBackOff', 'Ready but listed ready=false in the slices'],
        },
      ],
    },
  ],
});
