import { dataplaneLocalDrop } from '../../src/checks/dataplane-local-drop.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const b = `${ipFor('web-2')}:8080`;
const onNodeB = [
  pod('web-2', { node: 'node-b' }),
  slice('web', { endpoints: [endpointOf('web-2', { node: 'node-b' })] }),
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
      findings: [{ severity: 'warning', message: ['externalTrafficPolicy Local', 'node port 30080/TCP'] }],
    },
    {
      name: 'IPVS, internalTrafficPolicy Local, no local endpoint: the virtual server has no real server',
      objects: [itpLocal, ...onNodeB],
      dataplane: dataplane([rules('web', { anonymous: true, endpoints: [] })], 'ipvs'),
      findings: [{ severity: 'warning' }],
    },
    {
      name: 'a DROP although the policy is Cluster: a left-over rule (error)',
      objects: [service('web'), ...onNodeB],
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [{ severity: 'error', message: ['although the traffic policy is Cluster'] }],
    },
    {
      name: 'a DROP although the node has a ready local endpoint (error)',
      objects: [itpLocal, ...onNodeB],
      node: 'node-b',
      dataplane: dataplane([rules('web', { verdicts: dropClusterIP })]),
      findings: [{ severity: 'error', message: ['although the node has 1 usable local endpoint'] }],
    },
  ],
});
