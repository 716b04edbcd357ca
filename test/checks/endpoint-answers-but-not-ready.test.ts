import { endpointAnswersButNotReady } from '../../src/checks/endpoint-answers-but-not-ready.js';
import { connectTester, open, refused } from '../support/connectivity.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const web = service('web');
const at = (podName: string) => `${ipFor(podName)}:8080`;
const CLUSTER_IP = '10.96.0.10:80';

connectTester(endpointAnswersButNotReady, {
  valid: [
    {
      name: 'a not-ready endpoint that refuses: the app is not up yet (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false })] }),
      ],
      answers: { [at('web-1')]: refused(), [CLUSTER_IP]: refused() },
    },
    {
      name: 'a terminating endpoint that still accepts is draining (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: true, terminating: true })] }),
      ],
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open() },
    },
    {
      name: 'ready endpoints that accept are what the Service wants',
      objects: [web, pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open() },
    },
  ],
  invalid: [
    {
      name: 'a not-ready endpoint accepts: readiness keeps it out (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      answers: { [at('web-1')]: open(), [at('web-2')]: open(), [CLUSTER_IP]: open() },
      findings: [
        {
          reason: 'answersButNotReady',
          port: 'http 80/TCP',
          message: [`1 not-ready endpoint accepts connections from local (${at('web-2')})`],
          pods: ['web-2'],
        },
      ],
    },
  ],
});
