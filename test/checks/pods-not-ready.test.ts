import { podsNotReady } from '../../src/checks/pods-not-ready.js';
import { endpointOf, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

ruleTester(podsNotReady, {
  valid: [
    {
      name: 'every matched pod is a ready endpoint (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
    },
    {
      name: "no ready endpoint at all is no-ready-endpoints' finding, not this one",
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
    },
    {
      name: 'a terminating pod during a rollout is on its way out, not lost capacity (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-old', { terminating: true, ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-old', { ready: false, terminating: true })] }),
      ],
    },
    {
      name: 'finished pods (a completed Job pod, an evicted pod) are never endpoints and not capacity (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-job', { phase: 'Succeeded', ready: false }),
        pod('web-evicted', { phase: 'Failed', ready: false, status: { reason: 'Evicted' } }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'publishNotReadyAddresses: an unready pod is still a ready endpoint (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: true, serving: false })] }),
      ],
    },
    {
      name: 'ExternalName (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        nodeA,
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
        pod('web-1', { ready: false }),
      ],
    },
    {
      name: 'selectorless: nothing is matched (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [nodeA, service('ext', { selector: {} }), pod('web-1', { ready: false })],
    },
  ],
  invalid: [
    {
      name: 'one pod in CrashLoopBackOff next to a ready one (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'somePodsUnready',
          message: ['1 of 2 pods matching app=web is not ready', 'CrashLoopBackOff', '1 ready endpoint left'],
          pods: ['web-2'],
          causes: { 'web-2': 'container app waiting: CrashLoopBackOff' },
          fix: 'kubectl logs web-2 -n shop -c app --previous',
        },
      ],
    },
    {
      name: 'an unscheduled pod is not an endpoint at all (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', {
          node: null,
          ip: null,
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available: 2 node(s) had untolerated taint.',
            },
          ],
        }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'somePodsUnready',
          pods: ['web-2'],
          causes: { 'web-2': 'unscheduled: 0/2 nodes are available' },
          fix: 'kubectl describe pod web-2 -n shop',
        },
      ],
    },
    {
      name: 'a readiness gate that is not True keeps the pod out of ready endpoints (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', {
          readinessGates: ['target-health.elbv2.k8s.aws/tg'],
          conditions: [
            { type: 'ContainersReady', status: 'True' },
            { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' },
          ],
        }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'somePodsUnready',
          causes: { 'web-2': 'readiness gate target-health.elbv2.k8s.aws/tg has no condition yet' },
        },
      ],
    },
    {
      name: 'a pod on a NotReady node: the fix looks at the node (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        node('node-b', { ready: 'Unknown' }),
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b', ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b', ready: false })] }),
      ],
      findings: [
        {
          reason: 'somePodsUnready',
          causes: { 'web-2': 'node node-b is unreachable' },
          fix: 'kubectl describe node node-b',
        },
      ],
    },
    {
      name: 'publishNotReadyAddresses does not list a pod without IP (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1'),
        pod('web-2', { ip: null, waiting: 'ContainerCreating' }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [{ reason: 'somePodsUnready', pods: ['web-2'], causes: { 'web-2': 'no IP yet' } }],
    },
    {
      name: 'dual-stack: the ready pod has two endpoints but is one backend (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.1.1', 'fd00::11'] }),
        pod('web-2', { ips: ['10.9.1.2', 'fd00::12'], waiting: 'CrashLoopBackOff' }),
        slice('web', {
          name: 'web-v4',
          endpoints: [
            { ip: '10.9.1.1', pod: 'web-1' },
            { ip: '10.9.1.2', pod: 'web-2', ready: false },
          ],
        }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [
            { ip: 'fd00::11', pod: 'web-1' },
            { ip: 'fd00::12', pod: 'web-2', ready: false },
          ],
        }),
      ],
      findings: [{ reason: 'somePodsUnready', message: ['1 of 2 pods', '1 ready endpoint left'], pods: ['web-2'] }],
    },
    {
      name: 'no EndpointSlices in the input: judged from the pods (fallback)',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2', { waiting: 'ImagePullBackOff' })],
      coverage: { endpointSlices: false },
      findings: [{ reason: 'somePodsUnready', pods: ['web-2'], causes: { 'web-2': 'ImagePullBackOff' } }],
    },
  ],
});
