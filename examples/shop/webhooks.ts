// The platform team's admission webhooks and aggregated APIs, in namespace platform (and
// kube-system's metrics-server, which is gone): the cluster-wide outages a Service causes when the
// API server itself calls it.

import { apiService, webhookConfiguration, type Raw } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { uid } from './ids.js';
import { appLabels, REGISTRY, replicaSetPods, type PodTemplate } from './pods.js';
import { buildService, port } from './services.js';
import type { Shop } from './shop-builder.js';

const HTTPS = port('https', 443, 'https');

/** A webhook server: one container serving HTTPS on 8443, ready when /readyz answers. */
function webhookServer(name: string, tag: string): PodTemplate {
  return {
    ns: 'platform',
    labels: appLabels(name),
    containers: [
      {
        name,
        image: `${REGISTRY}/${name}:${tag}`,
        ports: [{ name: 'https', containerPort: 8443 }],
        probe: { path: '/readyz', port: 'https' },
      },
    ],
  };
}

/** A cluster-scoped object created at `created`, with the uid the example derives from its kind and name. */
function created(raw: Raw, at: string): Raw {
  const metadata = requiredObject(raw, 'metadata');
  Object.assign(metadata, { uid: uid(`${String(raw.kind)}/${String(metadata.name)}`), creationTimestamp: at });
  return raw;
}

/**
 * platform/policy-webhook: its one pod crash-loops on a bad policy bundle, and ValidatingWebhookConfiguration
 * policy (failurePolicy Fail) intercepts every CREATE and UPDATE of pods and Deployments: no
 * such write succeeds anywhere (webhook-service-unavailable; the Service's no-ready-endpoints, an
 * error). platform/sidecar-injector: healthy, behind MutatingWebhookConfiguration sidecar-injector
 * (failurePolicy Ignore). APIService v1beta1.metrics.k8s.io names kube-system/metrics-server,
 * uninstalled last week: kubectl top fails and discovery is incomplete (apiservice-unavailable,
 * Available=False). v1beta1.custom.metrics.k8s.io is served by platform/custom-metrics: healthy.
 * The ingress-nginx chart's own validating webhook calls its healthy admission Service.
 */
export function platform({ add, workload }: Shop): void {
  const crashLoop = {
    node: 'worker-a1',
    created: '2026-11-27T08:02:10Z',
    state: {
      waiting: 'CrashLoopBackOff',
      message: 'back-off 5m0s restarting failed container=policy-webhook',
      restarts: 9,
      lastState: {
        terminated: {
          exitCode: 1,
          finishedAt: '2026-11-27T10:09:51Z',
          message: 'load bundle: policies/pods.rego:14: rego_parse_error: unexpected } token',
          reason: 'Error',
          startedAt: '2026-11-27T10:09:50Z',
        },
      },
    },
    notReady: { since: '2026-11-27T08:02:10Z' },
  };
  workload(
    buildService({ ns: 'platform', name: 'policy-webhook', created: '2025-09-15T14:00:00Z', ports: [HTTPS] }),
    replicaSetPods('policy-webhook', '2026-11-27', webhookServer('policy-webhook', '2.8.0'), [crashLoop]),
  );
  workload(
    buildService({ ns: 'platform', name: 'sidecar-injector', created: '2025-09-15T14:05:00Z', ports: [HTTPS] }),
    replicaSetPods('sidecar-injector', '1.21.0', webhookServer('sidecar-injector', '1.21.0'), [
      { node: 'worker-b1', created: '2026-11-20T07:30:00Z' },
      { node: 'worker-c1', created: '2026-11-20T07:30:12Z' },
    ]),
  );
  workload(
    buildService({ ns: 'platform', name: 'custom-metrics', created: '2025-09-15T14:10:00Z', ports: [HTTPS] }),
    replicaSetPods('custom-metrics', '0.12.0', webhookServer('custom-metrics', '0.12.0'), [
      { node: 'worker-b1', created: '2026-11-20T07:31:00Z' },
    ]),
  );
  add(
    created(
      webhookConfiguration('policy', [
        {
          name: 'pods.policy.platform.example.com',
          service: { ns: 'platform', name: 'policy-webhook' },
          failurePolicy: 'Fail',
          operations: ['CREATE', 'UPDATE'],
          resources: [
            ['', 'pods'],
            ['apps', 'deployments'],
          ],
        },
      ]),
      '2025-09-15T14:00:30Z',
    ),
    created(
      webhookConfiguration('ingress-nginx-admission', [
        {
          name: 'validate.nginx.ingress.kubernetes.io',
          service: { ns: 'ingress-nginx', name: 'ingress-nginx-controller-admission' },
          failurePolicy: 'Fail',
          operations: ['CREATE', 'UPDATE'],
          resources: [['networking.k8s.io', 'ingresses']],
        },
      ]),
      '2025-03-10T11:20:00Z',
    ),
    created(
      webhookConfiguration(
        'sidecar-injector',
        [
          {
            name: 'inject.sidecar.platform.example.com',
            service: { ns: 'platform', name: 'sidecar-injector' },
            failurePolicy: 'Ignore',
            operations: ['CREATE'],
            namespaceSelector: { matchLabels: { 'sidecar-injection': 'enabled' } },
          },
        ],
        'MutatingWebhookConfiguration',
      ),
      '2025-09-15T14:05:30Z',
    ),
    created(
      apiService('v1beta1.metrics.k8s.io', {
        service: { ns: 'kube-system', name: 'metrics-server' },
        available: {
          status: 'False',
          reason: 'ServiceNotFound',
          message: 'service/metrics-server in "kube-system" is not present',
        },
      }),
      '2025-03-10T11:30:00Z',
    ),
    created(
      apiService('v1beta1.custom.metrics.k8s.io', {
        service: { ns: 'platform', name: 'custom-metrics' },
        available: { status: 'True', reason: 'Passed', message: 'all checks passed' },
      }),
      '2025-09-15T14:10:30Z',
    ),
    // Served by kube-apiserver itself: no Service to call.
    created(apiService('v1.apps', { available: { status: 'True', reason: 'Local' } }), '2025-03-10T11:00:00Z'),
  );
}
