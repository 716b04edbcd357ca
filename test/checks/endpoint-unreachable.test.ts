import { endpointUnreachable } from '../../src/checks/endpoint-unreachable.js';
import { connectTester, open, refused, timedOut, unreachable } from '../support/connectivity.js';
import { endpointOf, ipFor, networkPolicy, pod, service, slice } from '../support/objects.js';

const web = service('web');
const at = (podName: string) => `${ipFor(podName)}:8080`;
const objects = [
  web,
  pod('web-1'),
  pod('web-2'),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
];
const CLUSTER_IP = '10.96.0.10:80';

connectTester(endpointUnreachable, {
  valid: [
    {
      name: 'every ready endpoint answers, refusing or accepting (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects,
      answers: { [at('web-1')]: open(), [at('web-2')]: refused(), [CLUSTER_IP]: open() },
    },
    {
      name: 'a not-ready endpoint that does not answer gets no traffic anyway (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      answers: { [at('web-1')]: open(), [at('web-2')]: timedOut(), [CLUSTER_IP]: open() },
    },
  ],
  invalid: [
    {
      name: 'connections to a ready endpoint time out: dropped on the way (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects,
      answers: { [at('web-1')]: open(), [at('web-2')]: timedOut(), [CLUSTER_IP]: open() },
      findings: [
        {
          reason: 'timesOut',
          port: 'http 80/TCP',
          message: [
            `1 of 2 ready endpoints do not answer from local (${at('web-2')})`,
            'no NetworkPolicy keeps any source from them on that port: look at the network and the nodes',
          ],
          pods: ['web-2'],
          fix: 'kubectl get networkpolicy -n shop',
        },
      ],
    },
    {
      name: 'a policy isolates the pod and admits only some sources: it may explain the timeout (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        ...objects,
        networkPolicy('web-from-frontend', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
        }),
      ],
      answers: { [at('web-1')]: timedOut(), [at('web-2')]: timedOut(), [CLUSTER_IP]: timedOut() },
      findings: [
        {
          reason: 'timesOut',
          message: [
            'NetworkPolicies web-from-frontend isolate them for ingress on that port and admit only some sources',
          ],
        },
      ],
    },
    {
      name: 'NetworkPolicies not read: nothing said of them, never a guess (docs/kubernetes-semantics.md#networkpolicy)',
      objects,
      lacks: ['networkPolicies'],
      answers: { [at('web-1')]: timedOut(), [at('web-2')]: open(), [CLUSTER_IP]: open() },
      findings: [{ reason: 'timesOut', message: ['1 of 2 ready endpoints do not answer from local'] }],
    },
    {
      name: 'no route to an endpoint (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects,
      answers: { [at('web-1')]: unreachable(), [at('web-2')]: unreachable(), [CLUSTER_IP]: open() },
      findings: [{ reason: 'noRoute', message: ['2 of 2 ready endpoints are unreachable'], pods: ['web-1', 'web-2'] }],
    },
  ],
});
