import { dataplaneStaleService } from '../../src/checks/dataplane-stale-service.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const a = `${ipFor('web-1')}:8080`;
const web = [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })];
const oldFrontend = [{ kind: 'cluster-ip' as const, ip: '10.96.0.99', port: 80, protocol: 'TCP' as const }];

dataplaneTester(dataplaneStaleService, {
  valid: [
    {
      name: 'rules for an existing Service port',
      objects: web,
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'rules for a Service in a namespace whose Services were not all read (named Services): not judged',
      objects: web,
      completeNamespaces: [],
      dataplane: dataplane([rules('old', { frontends: oldFrontend, endpoints: eps('10.244.9.9:80') })]),
    },
    {
      name: 'IPVS virtual server mapped to an existing Service by its cluster IP',
      objects: web,
      dataplane: dataplane([rules('web', { anonymous: true, endpoints: eps(a) })], 'ipvs'),
    },
    {
      name: 'IPVS without ipsets: a node-port virtual server on a node address belongs to the Service with that node port',
      objects: [
        service('web', {
          type: 'NodePort',
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
        }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      dataplane: dataplane(
        [
          rules('x', {
            anonymous: true,
            frontends: [{ kind: 'cluster-ip', ip: '192.168.0.2', port: 30080, protocol: 'TCP' }],
            endpoints: eps(a),
          }),
        ],
        'ipvs',
      ),
    },
    {
      name: 'IPVS virtual server of unknown owner when not every namespace was read: not judged',
      objects: web,
      completeNamespaces: ['shop'],
      dataplane: dataplane([rules('x', { anonymous: true, frontends: oldFrontend })], 'ipvs'),
    },
  ],
  invalid: [
    {
      name: 'rules for a Service that does not exist',
      objects: web,
      dataplane: dataplane([
        rules('web', { endpoints: eps(a) }),
        rules('old', { frontends: oldFrontend, endpoints: eps('10.244.9.9:80') }),
      ]),
      findings: [
        {
          reason: 'serviceGone',
          service: 'old',
          message: ['Service shop/old (10.96.0.99:80/TCP), which does not exist', 'still sends it to 10.244.9.9:80'],
        },
      ],
    },
    {
      name: 'rules for a port the Service no longer has',
      objects: web,
      dataplane: dataplane([
        rules('web', { endpoints: eps(a) }),
        rules('web', { portName: 'admin', endpoints: eps(a) }),
      ]),
      findings: [
        { reason: 'portGone', service: 'web', message: ['port "admin"/TCP of Service shop/web', 'no longer has'] },
      ],
    },
    {
      name: 'rules for a Service that is headless now (kube-proxy ignores headless Services, docs/kubernetes-semantics.md#headless-services)',
      objects: [service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } })],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
      findings: [{ reason: 'serviceNotProxied', message: ['no longer programs'] }],
    },
    {
      name: 'IPVS virtual server whose address belongs to no Service, every namespace read',
      objects: web,
      dataplane: dataplane([rules('x', { anonymous: true, frontends: oldFrontend })], 'ipvs'),
      findings: [
        {
          reason: 'orphanVirtualServer',
          service: '',
          message: ['IPVS virtual server (10.96.0.99:80/TCP) that belongs to no Service', 'sends it nowhere'],
        },
      ],
    },
  ],
});
