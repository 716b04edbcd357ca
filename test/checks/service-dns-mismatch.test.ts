import { serviceDnsMismatch } from '../../src/checks/service-dns-mismatch.js';
import { lookupTester } from '../support/connectivity.js';
import { endpointOf, externalNameService, ipFor, pod, service, slice } from '../support/objects.js';

const web = service('web');
const headless = service('peers', { spec: { clusterIP: 'None', clusterIPs: ['None'] } });
const peers = [pod('web-1'), pod('web-2', { ready: false })];
const peerSlice = slice('peers', {
  endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })],
});
const DNS = '10.96.0.53';
const dualStack = service('web', {
  spec: { clusterIPs: ['10.96.0.10', 'fd00::10'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' },
});

lookupTester(serviceDnsMismatch, {
  valid: [
    {
      name: 'the name resolves to the cluster IP (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      answer: { result: 'answered', server: DNS, addresses: ['10.96.0.10'] },
    },
    {
      name: 'a dual-stack Service resolves to both cluster IPs, A and AAAA (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [dualStack],
      answer: { result: 'answered', server: DNS, addresses: ['fd00:0:0:0:0:0:0:10', '10.96.0.10'] },
    },
    {
      name: 'a headless Service resolves to its ready endpoints only (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [headless, ...peers, peerSlice],
      answer: { result: 'answered', server: DNS, addresses: [ipFor('web-1')] },
    },
    {
      name: 'a headless Service without ready endpoints has no record: NXDOMAIN is right (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [
        headless,
        pod('web-2', { ready: false }),
        slice('peers', { endpoints: [endpointOf('web-2', { ready: false })] }),
      ],
      answer: { result: 'nxdomain', server: DNS },
    },
    {
      name: 'NXDOMAIN for kubernetes.default.svc.cluster.local too: the cluster domain may be another, nothing is judged (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      answer: { result: 'nxdomain', server: DNS },
      domainInDoubt: true,
    },
    {
      name: "this machine's own resolver need not know the cluster domain: its NXDOMAIN or silence is not judged (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)",
      objects: [web],
      answer: { result: 'nxdomain', server: 'system' },
    },
    {
      name: 'not asked (no nslookup in the image): nothing to judge, a note says so (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      vantage: 'pod/shop/client',
      answer: { result: 'skipped', server: 'resolv.conf', detail: 'the image has no nslookup: not asked' },
    },
    {
      name: 'an ExternalName Service is a CNAME: not looked up (docs/kubernetes-semantics.md#externalname-services)',
      objects: [externalNameService()],
      answer: { result: 'nxdomain', server: DNS },
    },
  ],
  invalid: [
    {
      name: 'the cluster DNS says the name does not exist (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      answer: { result: 'nxdomain', server: DNS },
      findings: [
        {
          reason: 'noSuchName',
          message: [
            'web.shop.svc.cluster.local does not exist for the DNS asked from local (10.96.0.53: NXDOMAIN), though the Service does',
          ],
          fix: 'kubectl get pods -n kube-system -l k8s-app=kube-dns',
        },
      ],
    },
    {
      name: 'the name resolves to another address than the cluster IP (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      vantage: 'pod/shop/client',
      answer: { result: 'answered', server: 'resolv.conf', addresses: ['10.96.0.99'] },
      findings: [
        {
          reason: 'wrongAddresses',
          message: [
            'web.shop.svc.cluster.local resolves from pod/shop/client (resolv.conf) to 10.96.0.99, not to the cluster IP 10.96.0.10',
          ],
        },
      ],
    },
    {
      name: "this machine's resolver answering with other addresses is judged: it is what clients here get (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)",
      objects: [dualStack],
      answer: { result: 'answered', server: 'system', addresses: ['10.96.0.10'] },
      findings: [
        {
          reason: 'wrongAddresses',
          message: ["from local (this machine's resolver) to 10.96.0.10, not to the cluster IP 10.96.0.10, fd00::10"],
        },
      ],
    },
    {
      name: 'a headless Service resolves to an endpoint that is not ready: DNS lags the endpoints, a warning (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [headless, ...peers, peerSlice],
      answer: { result: 'answered', server: DNS, addresses: [ipFor('web-1'), ipFor('web-2')] },
      findings: [
        {
          reason: 'wrongEndpoints',
          message: [`to ${ipFor('web-1')}, ${ipFor('web-2')}; the ready endpoints are ${ipFor('web-1')}`],
        },
      ],
    },
    {
      name: 'the cluster DNS does not answer: a warning (docs/kubernetes-semantics.md#what-a-services-name-resolves-to)',
      objects: [web],
      answer: { result: 'timeout', server: DNS, detail: 'no answer in 2000 ms' },
      findings: [
        {
          reason: 'noAnswer',
          message: [
            'the DNS asked from local (10.96.0.53) did not answer for web.shop.svc.cluster.local: no answer in 2000 ms',
          ],
        },
      ],
    },
  ],
});
