import { webhookServiceUnavailable } from '../../src/checks/webhook-service-unavailable.js';
import {
  endpointOf,
  externalNameService,
  pod,
  service,
  slice,
  webhookConfiguration,
  type Raw,
} from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const HTTPS = [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }];
const CONTAINERS = [{ name: 'webhook', image: 'policy:1', ports: [{ name: 'https', containerPort: 8443 }] }];
const SLICE_PORTS = [{ name: 'https', port: 8443, protocol: 'TCP' }];

const policyService = service('policy', { ns: 'platform', selector: { app: 'policy' }, ports: HTTPS });
const policyPod = (o: { ready?: boolean } = {}) =>
  pod('policy-1', { ns: 'platform', labels: { app: 'policy' }, containers: CONTAINERS, ...o });
const policySlice = (ready = true) =>
  slice('policy', { ns: 'platform', ports: SLICE_PORTS, endpoints: [endpointOf('policy-1', { ready })] });

/** A healthy webhook backend: the Service, its ready pod and its slice. */
const healthy: Raw[] = [policyService, policyPod(), policySlice()];
const unready: Raw[] = [policyService, policyPod({ ready: false }), policySlice(false)];

const validating = (o: Partial<Parameters<typeof webhookConfiguration>[1][number]> = {}) =>
  webhookConfiguration('policy', [
    { name: 'pods.policy.example.com', service: { ns: 'platform', name: 'policy' }, ...o },
  ]);

ruleTester(webhookServiceUnavailable, {
  valid: [
    {
      name: 'the Service has a ready endpoint on port 443, the default (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [...healthy, validating()],
    },
    {
      name: 'a webhook called by URL names no Service (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [webhookConfiguration('external', [{ name: 'url.example.com' }])],
    },
    {
      name: 'an ExternalName Service is called at its external name, which has no endpoints to judge (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        externalNameService({ ns: 'platform' }),
        webhookConfiguration('external', [{ name: 'db.example.com', service: { ns: 'platform', name: 'db' } }]),
      ],
    },
    {
      name: 'without EndpointSlices or Pods the endpoints are not known: nothing is guessed (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [policyService, validating()],
      coverage: { endpointSlices: false, pods: false },
    },
    {
      name: 'a port named by number is the Service port, not the targetPort (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [...healthy, validating({ service: { ns: 'platform', name: 'policy', port: 443 } })],
    },
  ],
  invalid: [
    {
      name: 'failurePolicy Fail (the v1 default) and no ready endpoint: every write it intercepts is rejected (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        ...unready,
        validating({
          operations: ['CREATE', 'UPDATE'],
          resources: [
            ['', 'pods'],
            ['apps', 'deployments'],
          ],
        }),
      ],
      findings: [
        {
          reason: 'noReadyEndpoint',
          severity: 'error',
          port: 'https 443/TCP',
          message: [
            'the API server rejects every CREATE, UPDATE request for pods, deployments.apps that ValidatingWebhookConfiguration policy webhook pods.policy.example.com (failurePolicy Fail) intercepts: it calls Service platform/policy port https 443/TCP, which has no ready endpoint',
          ],
          fix: 'its own findings say why it has no ready endpoint: kubectl endpoints-doctor policy -n platform',
        },
      ],
    },
    {
      name: 'failurePolicy Ignore: the requests go through without the webhook, a warning (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [...unready, validating({ failurePolicy: 'Ignore', operations: ['*'] })],
      findings: [
        {
          reason: 'noReadyEndpointIgnored',
          severity: 'warning',
          message: [
            'requests for pods go through without ValidatingWebhookConfiguration policy webhook pods.policy.example.com (failurePolicy Ignore): it calls',
          ],
        },
      ],
    },
    {
      name: 'the Service does not exist (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [validating()],
      findings: [
        {
          reason: 'serviceMissing',
          severity: 'error',
          message: ['calls Service platform/policy, which does not exist'],
          fix: 'kubectl edit validatingwebhookconfiguration policy',
        },
      ],
    },
    {
      name: 'a missing Service behind an Ignore mutating webhook, narrowed by a namespaceSelector (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        webhookConfiguration(
          'inject',
          [
            {
              name: 'sidecar.example.com',
              service: { ns: 'platform', name: 'injector' },
              failurePolicy: 'Ignore',
              operations: ['CREATE'],
              namespaceSelector: { matchLabels: { inject: 'true' } },
              objectSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
            },
          ],
          'MutatingWebhookConfiguration',
        ),
      ],
      findings: [
        {
          reason: 'serviceMissingIgnored',
          severity: 'warning',
          message: [
            'CREATE requests for pods go through without MutatingWebhookConfiguration inject webhook sidecar.example.com (failurePolicy Ignore): it calls Service platform/injector, which does not exist',
            '; narrowed by its namespaceSelector and objectSelector',
          ],
          fix: 'kubectl edit mutatingwebhookconfiguration inject',
        },
      ],
    },
    {
      name: 'the Service has no port of that number: kube-apiserver finds no Service port to call (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [...healthy, validating({ service: { ns: 'platform', name: 'policy', port: 8443 } })],
      findings: [
        {
          reason: 'portMissing',
          message: ['calls port 8443 of Service platform/policy, which has no such port (its ports: https 443/TCP)'],
        },
      ],
    },
    {
      name: 'port 443 by default, which the Service lacks; with Ignore a warning (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        service('policy', { ns: 'platform', selector: { app: 'policy' } }),
        validating({ failurePolicy: 'Ignore' }),
      ],
      findings: [{ reason: 'portMissingIgnored', severity: 'warning', message: ['calls port 443 of Service'] }],
    },
    {
      name: 'a headless Service cannot be called: kube-apiserver routes to a ClusterIP (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        service('policy', {
          ns: 'platform',
          selector: { app: 'policy' },
          ports: HTTPS,
          spec: { clusterIP: 'None', clusterIPs: ['None'] },
        }),
        policyPod(),
        policySlice(),
        validating(),
      ],
      findings: [{ reason: 'headless', message: ['which is headless'] }],
    },
    {
      name: 'headless behind an Ignore webhook (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        service('policy', {
          ns: 'platform',
          selector: { app: 'policy' },
          ports: HTTPS,
          spec: { clusterIP: 'None', clusterIPs: ['None'] },
        }),
        validating({ failurePolicy: 'Ignore' }),
      ],
      findings: [{ reason: 'headlessIgnored', severity: 'warning' }],
    },
    {
      name: "ready pods whose slice lacks the webhook's port are no endpoint of it: the targetPort resolves on no pod (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)",
      objects: [
        policyService,
        policyPod(),
        slice('policy', { ns: 'platform', ports: [], endpoints: [endpointOf('policy-1')] }),
        validating(),
      ],
      findings: [{ reason: 'noReadyEndpoint', port: 'https 443/TCP' }],
    },
  ],
});
