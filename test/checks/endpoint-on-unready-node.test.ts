import { endpointOnUnreadyNode } from '../../src/checks/endpoint-on-unready-node.js';
import { endpointOf, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');
const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);
const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

ruleTester(endpointOnUnreadyNode, {
  valid: [
    {
      name: 'every endpoint is on a Ready node',
      objects: [
        nodeA,
        node('node-b'),
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b' })] }),
      ],
    },
    {
      name: 'Nodes not in the input: the check needs them and is skipped',
      objects: [
        service('web'),
        pod('web-1', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1', { node: 'node-b' })] }),
      ],
      coverage: { nodes: false },
    },
    {
      name: 'an endpoint naming a node the input lacks proves nothing about that node',
      objects: [
        nodeA,
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1', node: 'node-x' }] }),
      ],
    },
    {
      name: 'a not-ready taint on a Ready node is taint lag, not a down node (docs/kubernetes-semantics.md#node-failure)',
      objects: [
        nodeA,
        node('node-b', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }),
        service('web'),
        pod('web-1', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1', { node: 'node-b' })] }),
      ],
    },
    {
      name: 'ExternalName has no endpoints (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        node('node-b', { ready: 'False' }),
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
      ],
    },
  ],
  invalid: [
    {
      name: 'NotReady node, endpoint still ready: traffic goes there until the pod is marked not ready (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        nodeA,
        node('node-b', { ready: 'False' }),
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b' })] }),
      ],
      findings: [
        {
          reason: 'stillReady',
          message: ['1 endpoint is on node node-b (NotReady)', 'still marked ready'],
          pods: ['web-2'],
          causes: { 'web-2': 'on node node-b (NotReady); endpoint still ready' },
          fix: 'kubectl describe node node-b',
        },
      ],
    },
    {
      name: 'Ready=Unknown: unreachable; pods already marked not ready stay listed (docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        node('node-b', { ready: 'Unknown' }),
        service('web'),
        pod('web-1', { node: 'node-b', ready: false }),
        pod('web-2', { node: 'node-b', ready: false, terminating: true }),
        slice('web', {
          endpoints: [
            endpointOf('web-1', { node: 'node-b', ready: false }),
            endpointOf('web-2', { node: 'node-b', ready: false, terminating: true }),
          ],
        }),
      ],
      findings: [
        {
          reason: 'notReadyAnyMore',
          message: [
            '2 endpoints are on node node-b (unreachable, Ready=Unknown)',
            'none is ready any more but stay listed until the pods are evicted',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-2': 'not ready, terminating' },
        },
      ],
    },
    {
      name: 'Ready=Unknown (docs/kubernetes-semantics.md#node-failure unreachable): one level of parentheses in the message and the pod cause',
      objects: [
        node('node-b', { ready: 'Unknown' }),
        service('web'),
        pod('web-1', { node: 'node-b', ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { node: 'node-b', ready: false })] }),
      ],
      findings: [
        {
          reason: 'notReadyAnyMore',
          message: ['1 endpoint is on node node-b (unreachable, Ready=Unknown); it is not ready any more'],
          pods: ['web-1'],
          causes: { 'web-1': 'on node node-b (unreachable, Ready=Unknown); endpoint not ready' },
        },
      ],
    },
    {
      name: 'tainted node.kubernetes.io/unreachable while Ready still says True (docs/kubernetes-semantics.md#node-failure)',
      objects: [
        node('node-b', { taints: [unreachable] }),
        service('web'),
        pod('web-1', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1', { node: 'node-b' })] }),
      ],
      findings: [{ reason: 'stillReady', message: ['tainted node.kubernetes.io/unreachable'], pods: ['web-1'] }],
    },
    {
      name: 'dual-stack: one pod with an IPv4 and an IPv6 endpoint is one endpoint here (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        node('node-b', { ready: 'False' }),
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { node: 'node-b', ips: ['10.9.3.1', 'fd00::31'] }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.3.1', pod: 'web-1', node: 'node-b' }] }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::31', pod: 'web-1', node: 'node-b' }],
        }),
      ],
      findings: [{ reason: 'stillReady', message: ['1 endpoint is on node node-b'], pods: ['web-1'] }],
    },
    {
      name: 'selectorless Service with a hand-made slice: named by address',
      objects: [
        node('node-b', { ready: 'False' }),
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.7', node: 'node-b' }] }),
      ],
      findings: [{ reason: 'stillReady', pods: ['192.0.2.7'] }],
    },
    {
      name: 'no EndpointSlices in the input: judged from the pods the controller would list (fallback)',
      objects: [
        node('node-b', { ready: 'False' }),
        service('web'),
        pod('web-1', { node: 'node-b' }),
        pod('web-done', { node: 'node-b', phase: 'Succeeded', ready: false }),
      ],
      coverage: { endpointSlices: false },
      findings: [{ reason: 'stillReady', pods: ['web-1'] }],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [
        node('node-b', { ready: 'False' }),
        service('web'),
        ...many.map((name) => pod(name, { node: 'node-b' })),
        slice('web', { endpoints: many.map((name) => endpointOf(name, { node: 'node-b' })) }),
      ],
      findings: [
        {
          reason: 'stillReady',
          message: ['25 endpoints are on node node-b (NotReady); all are still marked ready', '(first 20 listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
  ],
});
