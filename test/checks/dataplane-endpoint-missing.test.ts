import { dataplaneEndpointMissing } from '../../src/checks/dataplane-endpoint-missing.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, node, pod, service, slice } from '../support/objects.js';

const [a, b] = [`${ipFor('web-1')}:8080`, `${ipFor('web-2')}:8080`];
const pods = [pod('web-1'), pod('web-2', { node: 'node-b' })];
const twoReady = slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b' })] });
const itpLocal = service('web', { spec: { internalTrafficPolicy: 'Local' } });
const nodePortEtpLocal = service('web', {
  type: 'NodePort',
  ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
  spec: { externalTrafficPolicy: 'Local' },
});
const nodePortFrontends = [
  { kind: 'cluster-ip' as const, ip: '10.96.0.10', port: 80, protocol: 'TCP' as const },
  { kind: 'node-port' as const, port: 30080, protocol: 'TCP' as const },
];

dataplaneTester(dataplaneEndpointMissing, {
  valid: [
    {
      name: 'every ready endpoint is programmed',
      objects: [service('web'), ...pods, twoReady],
      dataplane: dataplane([rules('web', { endpoints: eps(a, b) })]),
    },
    {
      name: 'not-ready endpoints are not programmed while others are ready (CategorizeEndpoints, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web'),
        ...pods,
        slice('web', {
          endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b', ready: false, serving: false })],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'a serving terminating endpoint is not used while a ready one exists',
      objects: [
        service('web'),
        ...pods,
        slice('web', {
          endpoints: [
            endpointOf('web-1'),
            endpointOf('web-2', { node: 'node-b', ready: false, serving: true, terminating: true }),
          ],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'internalTrafficPolicy Local: only this node’s endpoints are programmed for the cluster IP',
      objects: [itpLocal, ...pods, twoReady],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'externalTrafficPolicy Local: cluster IP to all, node port to the local ones',
      objects: [nodePortEtpLocal, ...pods, twoReady],
      dataplane: dataplane([
        rules('web', { frontends: nodePortFrontends, endpoints: eps(a, b), externalEndpoints: eps(a) }),
      ]),
    },
    {
      name: 'topology hints: the node programs the endpoints hinted for its zone (PreferSameZone)',
      objects: [
        service('web'),
        ...pods,
        node('node-a', { zone: 'z1' }),
        slice('web', {
          endpoints: [
            endpointOf('web-1', { zone: 'z1', hints: ['z1'] }),
            endpointOf('web-2', { node: 'node-b', zone: 'z2', hints: ['z2'] }),
          ],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'a REJECT rule: the rejects check judges it, not this one',
      objects: [service('web'), ...pods, twoReady],
      dataplane: dataplane([rules('web', { verdicts: [{ frontend: 'cluster-ip', verdict: 'reject' }] })]),
    },
    {
      name: 'IPVS without ipsets: a node-port virtual server read as a cluster IP is known by its port (Local: local endpoint only)',
      objects: [nodePortEtpLocal, ...pods, twoReady],
      dataplane: dataplane(
        [
          rules('web', { anonymous: true, frontends: [nodePortFrontends[0]], endpoints: eps(a, b) }),
          rules('web', {
            anonymous: true,
            frontends: [{ kind: 'cluster-ip', ip: '192.168.0.2', port: 30080, protocol: 'TCP' }],
            endpoints: eps(a),
          }),
        ],
        'ipvs',
      ),
    },
    {
      name: 'IPVS node-port virtual server with the local endpoint only, for externalTrafficPolicy Local',
      objects: [nodePortEtpLocal, ...pods, twoReady],
      dataplane: dataplane(
        [
          rules('web', { anonymous: true, frontends: [nodePortFrontends[0]], endpoints: eps(a, b) }),
          rules('web', {
            anonymous: true,
            frontends: [{ kind: 'node-port', ip: '192.168.0.2', port: 30080, protocol: 'TCP' }],
            endpoints: eps(a),
          }),
        ],
        'ipvs',
      ),
    },
  ],
  invalid: [
    {
      name: 'one of two ready endpoints is not programmed',
      objects: [service('web'), ...pods, twoReady],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
      findings: [
        {
          reason: 'endpointsNotProgrammed',
          port: 'http 80/TCP',
          message: ['does not send cluster-IP traffic for 10.96.0.10:80/TCP', b],
          pods: ['web-2'],
        },
      ],
    },
    {
      name: 'no ready endpoint anywhere: the serving terminating ones must be programmed (fallback, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web'),
        ...pods,
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: true, terminating: true })] }),
      ],
      dataplane: dataplane([rules('web', { endpoints: [] })]),
      findings: [{ reason: 'endpointsNotProgrammed', message: ['1 usable endpoint', a] }],
    },
    {
      name: 'externalTrafficPolicy Local: the node port misses the local endpoint',
      objects: [nodePortEtpLocal, ...pods, twoReady],
      dataplane: dataplane([
        rules('web', { frontends: nodePortFrontends, endpoints: eps(a, b), externalEndpoints: eps(b) }),
      ]),
      findings: [{ reason: 'endpointsNotProgrammed', message: ['does not send external traffic', a] }],
    },
    {
      name: 'IPVS: a real server at weight 0 takes no new connections',
      objects: [service('web'), ...pods, twoReady],
      dataplane: dataplane(
        [rules('web', { anonymous: true, endpoints: [...eps(a), { ...eps(b)[0], weight: 0 }] })],
        'ipvs',
      ),
      findings: [{ reason: 'endpointsNotProgrammed', message: [b] }],
    },
    {
      name: 'the endpoint became ready seconds before the rules were read: info, with the lag said',
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2', {
          node: 'node-b',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-25T11:59:55Z' }],
        }),
        twoReady,
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
      findings: [
        { reason: 'endpointsNotProgrammedYet', severity: 'info', message: ['changed 5s before the rules were read'] },
      ],
    },
  ],
});
