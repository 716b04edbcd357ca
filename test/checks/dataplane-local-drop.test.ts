import { dataplaneLocalDrop } from '../../src/checks/dataplane-local-drop.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const b = `${ipFor('web-2')}:8080`;
const onNodeB = [
  pod('web-2', { node: 'node-b' }),
  slice('web', { endpoints: [endpointOf('web-2', { node: 'node-b' })] }),
];
/** The same, the slice written 20s before the rules were read: within the sync period. */
const onNodeBJustNow = [
  pod('web-2', { node: 'node-b' }),
  slice('web', {
    endpoints: [endpointOf('web-2', { node: 'node-b' })],
    annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-11-25T11:59:40Z' },
  }),
];
const noUsableEndpoint = [
  pod('web-2', { node: 'node-b', ready: false }),
  slice('web', { endpoints: [endpointOf('web-2', { node: 'node-b', ready: false, serving: false })] }),
];
const itpLocal = service('web', { spec: { internalTrafficPolicy: 'Local' } });
const dropClusterIP = [{ frontend: 'cluster-ip' as const, verdict: 'drop' as const }];
const nodePort = { kind: 'node-port' as const, port: 30080, protocol: 'TCP' as const };

dataplaneTester(dataplaneLocalDrop, {
  valid: [
    {
      name: 'Cluster policy, endpoints elsewhere: the node forwards (no DROP)',
      objects: [service('web'), ...onNodeB],
      dataplane: dataplane([rules('web', { endpoints: eps(b) })]),
    },
    {
      name: 'internalTrafficPolicy Local on the node that has the endpoint',
      objects: [itpLocal, ...onNodeB],
      node: 'node-b',
      dataplane: dataplane([rules('web', { endpoints: eps(b) })]),
    },
    {
      name: 'IPVS, Cluster policy: a virtual server with real servers',
      objects: [service('web'), ...onNodeB],
      dataplane: dataplane([rules('web', { anonymous: true, endpoints: eps(b) })], 'ipvs'),
    },
  ],
  invalid: [
    {
      name: 'internalTrafficPolicy Local, no local endpoint: the node drops its pods’ connections (by design, warning)',
      objects: [itpLocal, ...onNodeB],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        {
          reason: 'internalPolicyDrops',
          severity: 'warning',
          message: ['internalTrafficPolicy Local and node node-a has no usable local endpoint', '10.96.0.10:80/TCP'],
        },
      ],
    },
    {
      name: 'externalTrafficPolicy Local, no local endpoint: node-port traffic is dropped',
      objects: [
        service('web', {
          type: 'NodePort',
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
          spec: { externalTrafficPolicy: 'Local' },
        }),
        ...onNodeB,
      ],
      dataplane: dataplane([
        rules('web', {
          frontends: [{ kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' }, nodePort],
          endpoints: eps(b),
          verdicts: [{ frontend: 'node-port', verdict: 'drop' }],
        }),
      ]),
      findings: [
        {
          reason: 'externalPolicyDrops',
          severity: 'warning',
          message: ['externalTrafficPolicy Local', 'node port 30080/TCP'],
        },
      ],
    },
    {
      name: 'IPVS, internalTrafficPolicy Local, no local endpoint: the virtual server has no real server',
      objects: [itpLocal, ...onNodeB],
      dataplane: dataplane([rules('web', { anonymous: true, endpoints: [] })], 'ipvs'),
      findings: [{ reason: 'internalPolicyDrops', severity: 'warning' }],
    },
    {
      name: 'a DROP although the policy is Cluster: a left-over rule (error)',
      objects: [service('web'), ...onNodeB],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        { reason: 'dropsUnderClusterPolicy', severity: 'error', message: ['although the traffic policy is Cluster'] },
      ],
    },
    {
      name: 'a DROP although the node has a ready local endpoint (error)',
      objects: [itpLocal, ...onNodeB],
      node: 'node-b',
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        {
          reason: 'dropsWithLocalEndpoints',
          severity: 'error',
          message: ['although the node has 1 usable local endpoint'],
        },
      ],
    },
    {
      name: 'a DROP although the Service has no usable endpoint anywhere: kube-proxy should reject (error)',
      objects: [service('web'), ...noUsableEndpoint],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        {
          reason: 'dropsWithoutEndpoints',
          severity: 'error',
          message: ['although the Service has no usable endpoint anywhere, so kube-proxy should reject instead'],
        },
      ],
    },
    {
      name: 'the same, the endpoints changed seconds before the rules were read: info, with the lag said',
      objects: [
        service('web'),
        pod('web-2', { node: 'node-b', ready: false }),
        slice('web', {
          endpoints: [endpointOf('web-2', { node: 'node-b', ready: false, serving: false })],
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-11-25T11:59:40Z' },
        }),
      ],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [{ reason: 'dropsWithoutEndpointsYet', severity: 'info', message: ['changed 20s before'] }],
    },
    {
      name: 'a DROP under a Cluster policy, the endpoints changed seconds before: info, with the lag said',
      objects: [service('web'), ...onNodeBJustNow],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        {
          reason: 'dropsUnderClusterPolicyYet',
          severity: 'info',
          message: ['although the traffic policy is Cluster; the endpoints changed 20s before the rules were read'],
        },
      ],
    },
    {
      name: 'a DROP although the node has a local endpoint that became ready seconds before: info, with the lag said',
      objects: [itpLocal, ...onNodeBJustNow],
      node: 'node-b',
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [
        {
          reason: 'dropsWithLocalEndpointsYet',
          severity: 'info',
          message: ['although the node has 1 usable local endpoint(s); the endpoints changed 20s before'],
        },
      ],
    },
  ],
});
