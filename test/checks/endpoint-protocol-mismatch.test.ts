import { endpointProtocolMismatch } from '../../src/checks/endpoint-protocol-mismatch.js';
import { connectTester, open } from '../support/connectivity.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const at = (podName: string, port = 8080) => `${ipFor(podName)}:${port}`;
const CLUSTER_IP = '10.96.0.10:80';
const CLUSTER_IP_TLS = '10.96.0.10:443';
const tlsPort = { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' };
const tlsSlice = () =>
  slice('web', { ports: [{ name: 'https', port: 8443, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] });
const tls = (certificateNames: string[], covers: string[]) => ({ spoke: 'tls' as const, certificateNames, covers });
const plain = { spoke: 'plain' as const, error: 'the server answered, not in TLS' };
const SVC_NAMES = ['web.shop.svc', 'web.shop.svc.cluster.local'];

connectTester(endpointProtocolMismatch, {
  valid: [
    {
      name: 'an http port that answers in plain text (docs/kubernetes-semantics.md#application-protocol)',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      answers: { [at('web-1')]: open({ tls: plain }), [CLUSTER_IP]: open({ tls: plain }) },
    },
    {
      name: 'an https port whose certificate names the Service (docs/kubernetes-semantics.md#service-dns-names)',
      objects: [service('web', { ports: [tlsPort] }), pod('web-1'), tlsSlice()],
      answers: {
        [at('web-1', 8443)]: open({ tls: tls(SVC_NAMES, SVC_NAMES) }),
        [CLUSTER_IP_TLS]: open({ tls: tls(['*.shop.svc'], ['web.shop.svc']) }),
      },
    },
    {
      name: 'a port that says nothing of its protocol is not judged (docs/kubernetes-semantics.md#application-protocol)',
      objects: [
        service('web', { ports: [{ name: 'db', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
        pod('web-1'),
        slice('web', { ports: [{ name: 'db', port: 8080, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
      ],
      answers: { [at('web-1')]: open(), [CLUSTER_IP]: open() },
    },
  ],
  invalid: [
    {
      name: 'a TLS listener behind a port named http (docs/kubernetes-semantics.md#application-protocol)',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      answers: { [at('web-1')]: open({ tls: tls(['web'], []) }), [CLUSTER_IP]: open({ tls: tls(['web'], []) }) },
      findings: [
        {
          reason: 'tlsOnHttpPort',
          port: 'http 80/TCP',
          message: [`the port says name http but ${at('web-1')}, 10.96.0.10:80 answer with a TLS handshake`],
        },
      ],
    },
    {
      name: 'appProtocol https on a plain listener (docs/kubernetes-semantics.md#application-protocol)',
      objects: [
        service('web', { ports: [{ ...tlsPort, name: 'web', appProtocol: 'https' }] }),
        pod('web-1'),
        slice('web', { ports: [{ name: 'web', port: 8443, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
      ],
      answers: { [at('web-1', 8443)]: open({ tls: plain }), [CLUSTER_IP_TLS]: open({ tls: plain }) },
      findings: [{ reason: 'plainOnTlsPort', port: 'web 443/TCP', message: ['do not speak TLS'] }],
    },
    {
      name: "a certificate that names neither of the Service's DNS names (docs/kubernetes-semantics.md#service-dns-names)",
      objects: [service('web', { ports: [tlsPort] }), pod('web-1'), tlsSlice()],
      answers: {
        [at('web-1', 8443)]: open({ tls: tls(['localhost'], []) }),
        [CLUSTER_IP_TLS]: open({ tls: tls(['localhost'], []) }),
      },
      findings: [
        {
          reason: 'certificateNames',
          message: ['names localhost, and neither web.shop.svc nor web.shop.svc.cluster.local'],
        },
      ],
    },
  ],
});
