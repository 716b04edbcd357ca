import { dataplaneRejects } from '../../src/checks/dataplane-rejects.js';
import { dataplane, dataplaneTester, eps, rules } from '../support/dataplane.js';
import { endpointOf, ipFor, pod, service, slice } from '../support/objects.js';

const reject = [{ frontend: 'cluster-ip' as const, verdict: 'reject' as const }];

dataplaneTester(dataplaneRejects, {
  valid: [
    {
      name: 'REJECT for a Service without endpoints is what kube-proxy programs (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web'),
        pod('web-1', { waiting: 'CrashLoopBackOff' }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: false })] }),
      ],
      dataplane: dataplane([rules('web', { verdicts: reject })]),
    },
    {
      name: 'REJECT for a Service whose selector matches nothing (empty placeholder slice)',
      objects: [service('web'), slice('web', { ports: [], endpoints: [] })],
      dataplane: dataplane([rules('web', { verdicts: reject })]),
    },
    {
      name: 'endpoints programmed, no verdict',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      dataplane: dataplane([rules('web', { endpoints: eps(`${ipFor('web-1')}:8080`) })]),
    },
  ],
  invalid: [
    {
      name: 'the node rejects although an endpoint is ready',
      objects: [service('web'), pod('web-1'), slice('web', { endpoints: [endpointOf('web-1')] })],
      dataplane: dataplane([rules('web', { verdicts: reject })]),
      findings: [
        {
          reason: 'rejectsWithEndpoints',
          fix: 'kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=node-a',
          port: 'http 80/TCP',
          message: ['node node-a rejects connections to 10.96.0.10:80/TCP although 1 endpoint is usable'],
        },
      ],
    },
    {
      name: 'the node rejects although a serving terminating endpoint is the fallback',
      objects: [
        service('web'),
        pod('web-1', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, serving: true, terminating: true })] }),
      ],
      dataplane: dataplane([rules('web', { verdicts: reject })]),
      findings: [{ reason: 'rejectsWithEndpoints' }],
    },
    {
      name: 'the endpoint’s slice changed seconds before: info, with the lag said',
      objects: [
        service('web'),
        pod('web-1'),
        slice('web', {
          endpoints: [endpointOf('web-1')],
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-11-25T11:59:40Z' },
        }),
      ],
      dataplane: dataplane([rules('web', { verdicts: reject })]),
      findings: [{ reason: 'rejectsWithEndpointsYet', severity: 'info', message: ['changed 20s before'] }],
    },
  ],
});
