import { endpointRefusesConnections } from '../../src/checks/endpoint-refuses-connections.js';
import { connectTester, open, refused, timedOut } from '../support/connectivity.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const web = service('web');
const at = (podName: string) => `${ipFor(podName)}:8080`;
const twoPods = [pod('web-1'), pod('web-2')];
const twoEndpoints = slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] });
const CLUSTER_IP = '10.96.0.10:80';

/** web-1 alone, its container declaring 8080, as the slice lists it. */
const declaring8080 = [
  web,
  pod('web-1', { containers: [{ name: 'app', image: 'shop/app:1', ports: [{ containerPort: 8080 }] }] }),
  slice('web', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
];

connectTester(endpointRefusesConnections, {
  valid: [
    {
      name: 'every ready endpoint accepts (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [web, ...twoPods, twoEndpoints],
      answers: { [at('web-1')]: open(), [at('web-2')]: open(), [CLUSTER_IP]: open() },
    },
    {
      name: 'a not-ready endpoint that refuses is why it is not ready, not news (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      answers: { [at('web-1')]: open(), [at('web-2')]: refused(), [CLUSTER_IP]: open() },
    },
    {
      name: 'a timeout is no refusal: nothing says whether anything listens (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [web, ...twoPods, twoEndpoints],
      answers: { [at('web-1')]: timedOut(), [at('web-2')]: timedOut(), [CLUSTER_IP]: timedOut() },
    },
    {
      name: 'a refused cluster IP is another check’s (service-address-fails)',
      objects: [web, ...twoPods, twoEndpoints],
      answers: { [at('web-1')]: open(), [at('web-2')]: open(), [CLUSTER_IP]: refused() },
    },
  ],
  invalid: [
    {
      name: 'every ready endpoint refuses: nothing listens on the targetPort (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [
        web,
        pod('web-1', { containers: [{ name: 'app', image: 'shop/app:1', ports: [{ containerPort: 3000 }] }] }),
        slice('web', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
      ],
      answers: { [at('web-1')]: refused(), [CLUSTER_IP]: refused() },
      findings: [
        {
          reason: 'allRefuse',
          port: 'http 80/TCP',
          message: [`every ready endpoint refuses connections from local: ${at('web-1')}`],
          pods: ['web-1'],
          causes: { 'web-1': `${at('web-1')} refused (ECONNREFUSED); its containers declare 3000/TCP` },
          fix: 'kubectl get service web -n shop -o yaml',
        },
      ],
    },
    {
      name: 'connecting from the refusing pod itself: what it listens on, read from its network namespace (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: declaring8080,
      vantage: 'pod/shop/web-1',
      answers: { [at('web-1')]: { ...refused(), listening: ['127.0.0.1:8080'] }, [CLUSTER_IP]: refused() },
      findings: [
        {
          reason: 'allRefuse',
          message: [`every ready endpoint refuses connections from pod/shop/web-1: ${at('web-1')}`],
          causes: {
            'web-1': `${at('web-1')} refused (ECONNREFUSED); it listens on 127.0.0.1:8080; its containers declare 8080/TCP`,
          },
        },
      ],
    },
    {
      name: 'a pod listening on many sockets: those on the refused port, then the loopback-only ones, come first',
      objects: declaring8080,
      vantage: 'pod/shop/web-1',
      answers: {
        [at('web-1')]: {
          ...refused(),
          listening: ['0.0.0.0:9000', '0.0.0.0:9001', '0.0.0.0:9002', '0.0.0.0:9003', '127.0.0.1:3000', '[::1]:8080'],
        },
        [CLUSTER_IP]: refused(),
      },
      findings: [
        {
          reason: 'allRefuse',
          message: [`every ready endpoint refuses connections from pod/shop/web-1: ${at('web-1')}`],
          causes: {
            'web-1': `${at('web-1')} refused (ECONNREFUSED); it listens on [::1]:8080, 127.0.0.1:3000, 0.0.0.0:9000, 0.0.0.0:9001, 0.0.0.0:9002 and 1 more; its containers declare 8080/TCP`,
          },
        },
      ],
    },
    {
      name: 'one of two ready endpoints refuses: a warning (docs/kubernetes-semantics.md#what-a-connection-tells)',
      objects: [web, ...twoPods, twoEndpoints],
      answers: { [at('web-1')]: open(), [at('web-2')]: refused(), [CLUSTER_IP]: open() },
      findings: [
        {
          reason: 'someRefuse',
          severity: 'warning',
          message: [`1 of 2 ready endpoints refuse connections from local: ${at('web-2')}`],
          pods: ['web-2'],
        },
      ],
    },
  ],
});
