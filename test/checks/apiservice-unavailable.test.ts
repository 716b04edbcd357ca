import { apiserviceUnavailable } from '../../src/checks/apiservice-unavailable.js';
import { apiService, endpointOf, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const HTTPS = [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }];
const CONTAINERS = [
  { name: 'metrics-server', image: 'metrics-server:1', ports: [{ name: 'https', containerPort: 10250 }] },
];
const SLICE_PORTS = [{ name: 'https', port: 10250, protocol: 'TCP' }];

const metricsService = service('metrics-server', {
  ns: 'kube-system',
  selector: { app: 'metrics-server' },
  ports: HTTPS,
});
const metricsPod = (ready = true) =>
  pod('metrics-server-1', { ns: 'kube-system', labels: { app: 'metrics-server' }, containers: CONTAINERS, ready });
const metricsSlice = (ready = true) =>
  slice('metrics-server', {
    ns: 'kube-system',
    ports: SLICE_PORTS,
    endpoints: [endpointOf('metrics-server-1', { ready })],
  });
const healthy: Raw[] = [metricsService, metricsPod(), metricsSlice()];

const metrics = (available?: { status: string; reason?: string; message?: string }, port?: number) =>
  apiService('v1beta1.metrics.k8s.io', {
    service: { ns: 'kube-system', name: 'metrics-server', ...(port ? { port } : {}) },
    ...(available ? { available } : {}),
  });

ruleTester(apiserviceUnavailable, {
  valid: [
    {
      name: 'the Service has a ready endpoint on port 443, the default (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [...healthy, metrics({ status: 'True', reason: 'Passed' })],
    },
    {
      name: 'an APIService without spec.service is served by kube-apiserver itself (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [apiService('v1.apps', { available: { status: 'True', reason: 'Local' } })],
    },
    {
      name: 'without EndpointSlices or Pods the endpoints are not known: nothing is guessed (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [metricsService, metrics()],
      coverage: { endpointSlices: false, pods: false },
    },
  ],
  invalid: [
    {
      name: 'the Service does not exist; the Available condition is quoted (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [
        metrics({
          status: 'False',
          reason: 'ServiceNotFound',
          message: 'service/metrics-server in "kube-system" is not present',
        }),
      ],
      findings: [
        {
          reason: 'serviceMissing',
          severity: 'error',
          message: [
            'every request to APIService v1beta1.metrics.k8s.io fails, and discovery is incomplete: it names Service kube-system/metrics-server, which does not exist',
            '; its Available condition is False (ServiceNotFound): "service/metrics-server in "kube-system" is not present"',
          ],
          fix: 'kubectl edit apiservice v1beta1.metrics.k8s.io',
        },
      ],
    },
    {
      name: 'no ready endpoint on the port (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [
        metricsService,
        metricsPod(false),
        metricsSlice(false),
        metrics({
          status: 'False',
          reason: 'MissingEndpoints',
          message: 'endpoints for service/metrics-server in "kube-system" have no addresses',
        }),
      ],
      findings: [
        {
          reason: 'noReadyEndpoint',
          port: 'https 443/TCP',
          message: [
            'names Service kube-system/metrics-server port https 443/TCP, which has no ready endpoint',
            'False (MissingEndpoints)',
          ],
          fix: 'its own findings say why it has no ready endpoint: kubectl endpoints-doctor metrics-server -n kube-system',
        },
      ],
    },
    {
      name: 'a port the Service lacks; no Available condition yet (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [...healthy, metrics(undefined, 4443)],
      findings: [
        {
          reason: 'portMissing',
          message: [
            'names port 4443 of Service kube-system/metrics-server, which has no such port (its ports: https 443/TCP)',
          ],
        },
      ],
    },
    {
      name: 'a headless Service cannot be proxied to (docs/kubernetes-semantics.md#aggregated-apis)',
      objects: [
        service('metrics-server', {
          ns: 'kube-system',
          selector: { app: 'metrics-server' },
          ports: HTTPS,
          spec: { clusterIP: 'None', clusterIPs: ['None'] },
        }),
        metricsPod(),
        metricsSlice(),
        metrics(),
      ],
      findings: [{ reason: 'headless', message: ['which is headless'] }],
    },
  ],
});
