import { dataplaneServiceMissing } from '../../src/checks/dataplane-service-missing.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';
import { requiredObject } from '../support/required-fields.js';

const web = [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
const programmed = rules('web', { endpoints: eps(`${ipFor('web-1')}:8080`) });

dataplaneTester(dataplaneServiceMissing, {
  valid: [
    { name: 'the node programs the Service port', objects: web, dataplane: dataplane([programmed]) },
    {
      name: 'IPVS: the virtual server names no Service but its frontend is the cluster IP (mapped by address)',
      objects: web,
      dataplane: dataplane([rules('web', { anonymous: true, endpoints: eps(`${ipFor('web-1')}:8080`) })], 'ipvs'),
    },
    {
      name: 'headless Services get no rules (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        service('db', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('db', { endpoints: [endpointOf('web-1')] }),
      ],
      dataplane: dataplane([]),
    },
    {
      name: 'ExternalName Services get no rules (docs/kubernetes-semantics.md#externalname-services)',
      objects: [service('ext', { type: 'ExternalName', spec: { externalName: 'example.com' } })],
      dataplane: dataplane([]),
    },
    {
      name: 'a Service another proxy claims (service-proxy-name label) gets no kube-proxy rules (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [
        service('web', { labels: { 'service.kubernetes.io/service-proxy-name': 'mesh' } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      dataplane: dataplane([]),
    },
    {
      name: 'a ClusterIP Service labelled service.kubernetes.io/headless: kube-proxy lists Services without it only (cmd/kube-proxy/app/server.go ProxyServer.Run)',
      objects: [
        service('web', { labels: { 'service.kubernetes.io/headless': '' } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      dataplane: dataplane([]),
    },
    {
      name: 'no usable endpoint: the issue is the Service, not the node (the REJECT is not asked for here)',
      objects: [
        service('web'),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: false })] }),
      ],
      dataplane: dataplane([]),
    },
    {
      name: 'an IPv6-only Service on a node whose dataplane was read for IPv4 only',
      objects: [
        service('web', { spec: { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] } }),
        slice('web', { addressType: 'IPv6', endpoints: [{ ip: 'fd00:10::5', node: 'node-a' }] }),
      ],
      dataplane: dataplane([]),
    },
  ],
  invalid: [
    {
      name: 'a ready endpoint and no rules at all for the port',
      objects: web,
      dataplane: dataplane([]),
      findings: [
        {
          reason: 'noRules',
          port: 'http 80/TCP',
          message: ['node node-a has no rules for 10.96.0.10:80/TCP', '1 endpoint is usable'],
        },
      ],
    },
    {
      name: 'rules exist for another port of the Service only',
      objects: [
        service('web', {
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
            { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
          ],
        }),
        pod('web-1'),
        slice('web', {
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, protocol: 'TCP' },
          ],
          endpoints: [endpointOf('web-1')],
        }),
      ],
      dataplane: dataplane([programmed]),
      findings: [{ reason: 'noRules', port: 'metrics 9090/TCP' }],
    },
    {
      name: 'the Service was created seconds before the rules were read: said, at info',
      objects: [
        {
          ...service('web'),
          metadata: { ...requiredObject(service('web'), 'metadata'), creationTimestamp: '2026-11-25T11:59:50Z' },
        },
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      dataplane: dataplane([]),
      findings: [
        { reason: 'noRulesYet', severity: 'info', message: ['changed 10s before the rules were read', 'probe again'] },
      ],
    },
  ],
});
