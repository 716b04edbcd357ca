import { singleReadyEndpoint } from '../../src/checks/single-ready-endpoint.js';
import { endpointOf, ipFor, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

ruleTester(singleReadyEndpoint, {
  valid: [
    {
      name: 'two ready endpoints',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      ],
    },
    {
      name: 'popeye POP-1109: one slice (subset) with three ready addresses is three endpoints, not one',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        pod('web-3'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2'), endpointOf('web-3')] }),
      ],
    },
    {
      name: 'two ready endpoints in two slices: kube-proxy merges every slice (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { name: 'web-a', endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-b', endpoints: [endpointOf('web-2')] }),
      ],
    },
    {
      name: 'dual-stack: two pods with four addresses are two endpoints (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.4.1', 'fd00::41'] }),
        pod('web-2', { ips: ['10.9.4.2', 'fd00::42'] }),
        slice('web', {
          name: 'web-v4',
          endpoints: [
            { ip: '10.9.4.1', pod: 'web-1' },
            { ip: '10.9.4.2', pod: 'web-2' },
          ],
        }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [
            { ip: 'fd00::41', pod: 'web-1' },
            { ip: 'fd00::42', pod: 'web-2' },
          ],
        }),
      ],
    },
    {
      name: "no ready endpoint is no-ready-endpoints' finding",
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
    },
    {
      name: 'selectorless: one hand-managed external address is usually on purpose (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1' }] }),
      ],
    },
    {
      name: 'ExternalName (docs/kubernetes-semantics.md#externalname-services)',
      objects: [service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } })],
    },
    {
      name: 'FQDN slices are ignored by kube-proxy and do not count (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { name: 'web-a', endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
        slice('web', { name: 'web-f', addressType: 'FQDN', managedBy: 'me', endpoints: [{ ip: 'db.example.com' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'exactly one ready endpoint: no redundancy',
      objects: [nodeA, service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          severity: 'info',
          message: ['only one ready endpoint (web-1', 'no redundancy'],
          pods: ['web-1'],
          fix: 'kubectl get pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'unready endpoints do not count; the message says how many other pods are not ready (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        pod('web-3', { terminating: true }),
        slice('web', {
          endpoints: [
            endpointOf('web-1'),
            endpointOf('web-2', { ready: false }),
            endpointOf('web-3', { ready: false, terminating: true }),
          ],
        }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', message: ['2 other matching pods are not ready'], pods: ['web-1'] }],
    },
    {
      name: 'the other pod is terminating: not ready, and said to be on its way out (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false, terminating: true })] }),
      ],
      findings: [
        { reason: 'oneReadyEndpoint', message: ['; 1 other matching pod is not ready (terminating)'], pods: ['web-1'] },
      ],
    },
    {
      name: 'an endpoint listed ready whose pod is gone is no second backend, and kube-proxy still sends it traffic (stale-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-gone')] }),
      ],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          message: ['1 more endpoint is listed ready, but its pod is gone or has another IP (see stale-endpoints)'],
          pods: ['web-1'],
        },
      ],
    },
    {
      name: 'dual-stack: one pod with an IPv4 and an IPv6 endpoint is still one endpoint (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.5.1', 'fd00::51'] }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.5.1', pod: 'web-1' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::51', pod: 'web-1' }] }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', message: ['10.9.5.1', 'fd00::51'], pods: ['web-1'] }],
    },
    {
      name: 'the same address in two slices is one endpoint (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        slice('web', { name: 'web-a', endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-b', managedBy: 'me', endpoints: [endpointOf('web-1')] }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', pods: ['web-1'] }],
    },
    {
      name: 'publishNotReadyAddresses: the one unready pod is a ready endpoint, and the only one (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: true, serving: false })] }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', pods: ['web-1'] }],
    },
    {
      name: 'headless with one ready pod: DNS returns one address (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', pods: ['web-1'] }],
    },
    {
      name: 'no EndpointSlices in the input: judged from the pods (fallback)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { ready: false }),
        pod('web-3', { phase: 'Succeeded', ready: false }),
      ],
      coverage: { endpointSlices: false },
      findings: [{ reason: 'oneReadyEndpoint', pods: ['web-1'], message: ['1 other matching pod is not ready'] }],
    },
    {
      name: 'a Ready pod the slices do not list is not called "not ready": it is Ready but in no EndpointSlice (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1')] })],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          message: ['1 other matching pod is Ready but in no EndpointSlice of the Service (web-2)'],
          pods: ['web-1'],
          fix: 'kubectl get endpointslices -n shop -l kubernetes.io/service-name=web',
        },
      ],
    },
    {
      name: 'a Ready pod whose endpoint is still ready=false in the slices is Ready, not "not ready" (controller lag, docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          message: ['1 other matching pod is Ready but still listed not ready in the slices (web-2)'],
        },
      ],
    },
    {
      name: '2 replicas, one on a NotReady node (docs/kubernetes-semantics.md#pod-readiness MarkPodsNotReady): make that pod ready, do not advise scaling to 2',
      objects: [
        nodeA,
        node('node-b', { ready: 'Unknown' }),
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b', ready: false }),
        slice('web', {
          endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b', ready: false, serving: false })],
        }),
      ],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          message: ['1 other matching pod is not ready'],
          pods: ['web-1'],
          fix: 'the selector already matches another pod, web-2: make it ready rather than adding replicas: kubectl describe node node-b',
        },
      ],
    },
    {
      name: 'the only ready endpoint is a hand-made VM address (docs/kubernetes-semantics.md#how-kube-proxy-merges-slices merges every slice): make the matched pods ready',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { ready: false }),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false }), endpointOf('web-2', { ready: false })] }),
        slice('web', { name: 'web-vm', managedBy: 'staff', endpoints: [{ ip: '10.10.20.31' }] }),
      ],
      findings: [
        {
          reason: 'oneReadyEndpoint',
          message: ['only one ready endpoint (10.10.20.31)', '2 other matching pods are not ready'],
          pods: [],
          fix: 'the selector already matches 2 other pods: make them ready rather than adding replicas, starting with web-1: kubectl describe pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'a hand-made endpoint without targetRef carrying the pod\'s own IP is that pod, not "another" one (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        slice('web', { managedBy: 'staff', endpoints: [{ ip: ipFor('web-1') }] }),
      ],
      findings: [{ reason: 'oneReadyEndpoint', message: ['only one ready endpoint'], fix: 'scale its workload' }],
    },
  ],
});
