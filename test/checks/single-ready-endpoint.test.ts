import { singleReadyEndpoint } from '../../src/checks/single-ready-endpoint.js';
import { endpointOf, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

ruleTester(singleReadyEndpoint, {
  valid: [
    {
      name: 'two ready endpoints',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] })],
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
      name: 'two ready endpoints in two slices: kube-proxy merges every slice (§5.8)',
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
      name: 'dual-stack: two pods with four addresses are two endpoints (§1.5)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.4.1', 'fd00::41'] }),
        pod('web-2', { ips: ['10.9.4.2', 'fd00::42'] }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.4.1', pod: 'web-1' }, { ip: '10.9.4.2', pod: 'web-2' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::41', pod: 'web-1' }, { ip: 'fd00::42', pod: 'web-2' }] }),
      ],
    },
    {
      name: 'no ready endpoint is no-ready-endpoints\' finding',
      objects: [nodeA, service('web'), pod('web-1', { ready: false }), slice('web', { endpoints: [endpointOf('web-1', { ready: false })] })],
    },
    {
      name: 'selectorless: one hand-managed external address is usually on purpose (§5.3)',
      objects: [service('ext', { selector: null }), slice('ext', { managedBy: 'me', endpoints: [{ ip: '192.0.2.1' }] })],
    },
    {
      name: 'ExternalName (§5.1)',
      objects: [service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } })],
    },
    {
      name: 'FQDN slices are ignored by kube-proxy and do not count (§1.5)',
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
          severity: 'info',
          message: ['only one ready endpoint (web-1', 'no redundancy'],
          pods: ['web-1'],
          fix: 'kubectl get pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'unready endpoints do not count; the message says how many other pods are not ready (§1.3)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { waiting: 'CrashLoopBackOff' }),
        pod('web-3', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false }), endpointOf('web-3', { ready: false, terminating: true })] }),
      ],
      findings: [{ message: ['2 other matching pods are not ready'], pods: ['web-1'] }],
    },
    {
      name: 'dual-stack: one pod with an IPv4 and an IPv6 endpoint is still one endpoint (§1.5)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['10.9.5.1', 'fd00::51'] }),
        slice('web', { name: 'web-v4', endpoints: [{ ip: '10.9.5.1', pod: 'web-1' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::51', pod: 'web-1' }] }),
      ],
      findings: [{ message: ['10.9.5.1', 'fd00::51'], pods: ['web-1'] }],
    },
    {
      name: 'the same address in two slices is one endpoint (§5.8)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        slice('web', { name: 'web-a', endpoints: [endpointOf('web-1')] }),
        slice('web', { name: 'web-b', managedBy: 'me', endpoints: [endpointOf('web-1')] }),
      ],
      findings: [{ pods: ['web-1'] }],
    },
    {
      name: 'publishNotReadyAddresses: the one unready pod is a ready endpoint, and the only one (§1.3)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: true, serving: false })] }),
      ],
      findings: [{ pods: ['web-1'] }],
    },
    {
      name: 'headless with one ready pod: DNS returns one address (§5.2)',
      objects: [nodeA, service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      findings: [{ pods: ['web-1'] }],
    },
    {
      name: 'no EndpointSlices in the input: judged from the pods (fallback)',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2', { ready: false }), pod('web-3', { phase: 'Succeeded', ready: false })],
      coverage: { endpointSlices: false },
      findings: [{ pods: ['web-1'], message: ['1 other matching pod is not ready'] }],
    },
  ],
});
