import { serviceAddressFails } from '../../src/checks/service-address-fails.js';
import { connectTester, open, refused, timedOut } from '../support/connectivity.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const web = service('web');
const at = (podName: string) => `${ipFor(podName)}:8080`;
const objects = [web, pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
const CLUSTER_IP = '10.96.0.10:80';

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
  ],
  invalid: [
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
  ],
});
