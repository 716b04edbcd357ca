import { dataplaneEndpointStale } from '../../src/checks/dataplane-endpoint-stale.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, node, pod, service, slice } from '../support/objects.js';
import { requiredObject } from '../support/required-fields.js';

const [a, b] = [`${ipFor('web-1')}:8080`, `${ipFor('web-2')}:8080`];
const gone = '10.244.99.9:8080';
const web1Only = slice('web', { endpoints: [endpointOf('web-1')] });

dataplaneTester(dataplaneEndpointStale, {
  valid: [
    {
      name: 'the programmed endpoint is ready in a slice',
      objects: [service('web'), pod('web-1'), web1Only],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'topology hints: an endpoint outside the node’s zone is still usable (hints never make one stale)',
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b' }),
        node('node-a', { zone: 'z1' }),
        slice('web', {
          endpoints: [endpointOf('web-1', { hints: ['z1'] }), endpointOf('web-2', { node: 'node-b', hints: ['z2'] })],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a, b) })]),
    },
    {
      name: 'nothing ready: the serving terminating endpoint is the fallback (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web'),
        pod('web-1', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: true, terminating: true })] }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'IPVS: a real server at weight 0 is being drained on purpose (graceful termination, docs/kubernetes-semantics.md#the-legacy-endpoints-controller)',
      objects: [service('web'), pod('web-1'), web1Only],
      dataplane: dataplane(
        [
          rules('web', {
            anonymous: true,
            endpoints: [...eps(a), { ip: '10.244.99.9', port: 8080, share: 0, weight: 0 }],
          }),
        ],
        'ipvs',
      ),
    },
    {
      name: 'publishNotReadyAddresses: the controller marks unready pods ready, so they are programmed',
      objects: [
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: true, serving: false })] }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a) })]),
    },
    {
      name: 'selectorless Service: its hand-made slice is what kube-proxy uses (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('ext-db', { selector: null, ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }] }),
        slice('ext-db', {
          managedBy: 'staff',
          ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
          endpoints: [{ ip: '192.168.5.5' }],
        }),
      ],
      dataplane: dataplane([
        rules('ext-db', {
          portName: 'pg',
          frontends: [{ kind: 'cluster-ip', ip: '10.96.0.10', port: 5432, protocol: 'TCP' }],
          endpoints: eps('192.168.5.5:5432'),
        }),
      ]),
    },
  ],
  invalid: [
    {
      name: 'an endpoint in no slice is still programmed',
      objects: [service('web'), pod('web-1'), web1Only],
      dataplane: dataplane([rules('web', { endpoints: eps(a, gone) })]),
      findings: [
        { reason: 'unusableEndpointsProgrammed', port: 'http 80/TCP', message: [`${gone} (in no EndpointSlice)`] },
      ],
    },
    {
      name: 'a not-ready endpoint is still programmed while another is ready',
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b', waiting: 'CrashLoopBackOff' }),
        slice('web', {
          endpoints: [endpointOf('web-1'), endpointOf('web-2', { node: 'node-b', ready: false, serving: false })],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a, b) })]),
      findings: [
        {
          reason: 'unusableEndpointsProgrammed',
          message: [`${b} (not ready in EndpointSlice web-abcde)`],
          pods: ['web-2'],
        },
      ],
    },
    {
      name: 'a terminating endpoint is still programmed while another is ready',
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2', { node: 'node-b', terminating: true }),
        slice('web', {
          endpoints: [
            endpointOf('web-1'),
            endpointOf('web-2', { node: 'node-b', ready: false, serving: true, terminating: true }),
          ],
        }),
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a, b) })]),
      findings: [{ reason: 'unusableEndpointsProgrammed', message: ['terminating in EndpointSlice'] }],
    },
    {
      name: 'a stale endpoint in the external (Local) chain is found too',
      objects: [
        service('web', {
          type: 'NodePort',
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
          spec: { externalTrafficPolicy: 'Local' },
        }),
        pod('web-1'),
        web1Only,
      ],
      dataplane: dataplane([
        rules('web', {
          frontends: [
            { kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' },
            { kind: 'node-port', port: 30080, protocol: 'TCP' },
          ],
          endpoints: eps(a),
          externalEndpoints: eps(a, gone),
        }),
      ]),
      findings: [{ reason: 'unusableEndpointsProgrammed', message: [gone] }],
    },
    {
      name: 'the pod was deleted seconds before the rules were read: info, with the lag said',
      objects: [
        service('web'),
        pod('web-1'),
        {
          ...pod('web-9', { ip: '10.244.99.9' }),
          metadata: { ...requiredObject(pod('web-9'), 'metadata'), deletionTimestamp: '2026-11-25T11:59:58Z' },
        },
        web1Only,
      ],
      dataplane: dataplane([rules('web', { endpoints: eps(a, gone) })]),
      findings: [
        { reason: 'unusableEndpointsProgrammedYet', severity: 'info', message: ['changed 2s before'], pods: ['web-9'] },
      ],
    },
  ],
});
