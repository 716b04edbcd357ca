import { serviceAddressFails } from '../../src/checks/service-address-fails.js';
import { connectTester, open, refused, timedOut } from '../support/connectivity.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const web = service('web');
const at = (podName: string) => `${ipFor(podName)}:8080`;
const objects = [web, pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
const CLUSTER_IP = '10.96.0.10:80';

/** A NodePort Service; from node-a, its node port is tried at node-a's InternalIP. */
const nodePortWeb = (policy: 'Cluster' | 'Local' = 'Cluster') =>
  service('web', {
    type: 'NodePort',
    ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }],
    spec: { externalTrafficPolicy: policy },
  });
const NODE_A = { name: 'node-a', addresses: ['192.168.0.10'] };

/** internalTrafficPolicy Local, its one endpoint on node-a, and client pods on node-a and node-b. */
const localInternal = [
  service('web', { spec: { internalTrafficPolicy: 'Local' } }),
  pod('web-1', { node: 'node-a' }),
  pod('client-a', { node: 'node-a', labels: { app: 'client' } }),
  pod('client-b', { node: 'node-b', labels: { app: 'client' } }),
  slice('web', { endpoints: [endpointOf('web-1', { node: 'node-a' })] }),
];
const NODE_PORT = '192.168.0.10:30080';
const nodePortObjects = [nodePortWeb(), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];

connectTester(serviceAddressFails, {
  valid: [
    {
      name: 'endpoint and cluster IP both answer (docs/kubernetes-semantics.md#what-is-contacted)',
      objects,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open() },
    },
    {
      name: 'no endpoint answers either: the cluster IP cannot be blamed (docs/kubernetes-semantics.md#what-is-contacted)',
      objects,
      answers: { [at('web-1')]: refused(), [CLUSTER_IP]: refused() },
    },
    {
      name: 'a headless Service has no cluster IP to try (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      answers: { [at('web-1')]: open() },
    },
    {
      name: 'from a node, the endpoint, the cluster IP and the NodePort all answer (docs/kubernetes-semantics.md#nodeport-services)',
      objects: nodePortObjects,
      node: NODE_A,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open(), [NODE_PORT]: open() },
    },
    {
      name: 'from a node, no endpoint answers either: the NodePort cannot be blamed (docs/kubernetes-semantics.md#nodeport-services)',
      objects: nodePortObjects,
      node: NODE_A,
      answers: { [at('web-1')]: timedOut(), [CLUSTER_IP]: timedOut(), [NODE_PORT]: timedOut() },
    },
    {
      name: 'externalTrafficPolicy Local and no endpoint on the vantage node: its NodePort may drop by design (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        nodePortWeb('Local'),
        pod('web-1', { node: 'node-b' }),
        slice('web', { endpoints: [endpointOf('web-1', { node: 'node-b' })] }),
      ],
      node: NODE_A,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open(), [NODE_PORT]: timedOut() },
    },
    {
      name: 'internalTrafficPolicy Local, from a pod on a node without an endpoint: the cluster IP drops by design (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: localInternal,
      vantage: 'pod/shop/client-b',
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: timedOut() },
    },
    {
      name: 'internalTrafficPolicy Local, from a pod whose node is unknown, and the cluster IP answers: nothing to say (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: localInternal,
      vantage: 'pod/shop/elsewhere',
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open() },
    },
  ],
  invalid: [
    {
      name: 'internalTrafficPolicy Local, from this machine, whose node is unknown: not judged, and said so (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: localInternal,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: refused() },
      findings: [
        {
          reason: 'clusterIPNotJudged',
          severity: 'info',
          message: [
            `endpoints accept connections from local (${at('web-1')}) and the cluster IP does not (10.96.0.10:80 refused (ECONNREFUSED)), but with internalTrafficPolicy Local it leads only to the endpoints on the client's own node, and the node of local is not known: not judged`,
          ],
          fix: 'kubectl endpoints-doctor -n shop web --connect --connect-from node/node-a',
        },
      ],
    },
    {
      name: 'internalTrafficPolicy Local, from a pod the input does not hold: its node is unknown, not judged, and said so (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: localInternal,
      vantage: 'pod/shop/elsewhere',
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: timedOut() },
      findings: [
        { reason: 'clusterIPNotJudged', severity: 'info', message: ['the node of pod/shop/elsewhere is not known'] },
      ],
    },
    {
      name: "internalTrafficPolicy Local, from a pod on the endpoint's node: the cluster IP must answer there (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)",
      objects: localInternal,
      vantage: 'pod/shop/client-a',
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: timedOut() },
      findings: [{ reason: 'clusterIPFails', message: ['from pod/shop/client-a'] }],
    },
    {
      name: "internalTrafficPolicy Local, from the endpoint's node itself (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)",
      objects: localInternal,
      node: NODE_A,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: refused() },
      findings: [{ reason: 'clusterIPFails', message: ['from node/node-a'] }],
    },
    {
      name: 'the endpoint accepts, the cluster IP times out from a pod: the service proxy fails (docs/kubernetes-semantics.md#what-is-contacted)',
      objects,
      // A vantage point inside the cluster (a pod's debug container, to come): the cluster IP must answer there.
      vantage: 'pod/shop/client',
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: timedOut() },
      findings: [
        {
          reason: 'clusterIPFails',
          port: 'http 80/TCP',
          message: [
            `endpoints accept connections from pod/shop/client (${at('web-1')}) but the cluster IP does not: 10.96.0.10:80 timed out`,
          ],
          fix: 'kubectl endpoints-doctor probe -n shop web --nodes-with-endpoints',
        },
      ],
    },
    {
      name: 'from this machine the cluster IP may not be routed at all: a warning (docs/kubernetes-semantics.md#what-is-contacted)',
      objects,
      docsExample: true,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: refused() },
      findings: [{ reason: 'clusterIPFailsFromOutside', severity: 'warning', message: ['only if it is a node'] }],
    },
    {
      name: 'from a node, the endpoint and the cluster IP accept, the NodePort on that node refuses (docs/kubernetes-semantics.md#nodeport-services)',
      objects: nodePortObjects,
      node: NODE_A,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open(), [NODE_PORT]: refused() },
      findings: [
        {
          reason: 'nodePortFails',
          port: 'http 80/TCP',
          message: [
            `endpoints accept connections from node/node-a (${at('web-1')}) but the NodePort on node node-a does not: 192.168.0.10:30080 refused (ECONNREFUSED)`,
          ],
          fix: 'kubectl endpoints-doctor probe -n shop web --node node-a',
        },
      ],
    },
    {
      name: 'externalTrafficPolicy Local with an endpoint on the vantage node that accepts: its NodePort must answer (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [nodePortWeb('Local'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      node: NODE_A,
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: timedOut(), [NODE_PORT]: timedOut() },
      findings: [
        { reason: 'clusterIPFails', message: ['from node/node-a', '10.96.0.10:80 timed out'] },
        { reason: 'nodePortFails', message: ['on node node-a does not: 192.168.0.10:30080 timed out'] },
      ],
    },
  ],
});
