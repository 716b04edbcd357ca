import { readinessProbeMissing } from '../../src/checks/readiness-probe-missing.js';
import { externalNameService, node, pod, service, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

const readyz = { httpGet: { path: '/readyz', port: 'http' } };

/** A pod of app=web whose container "app" has this readiness probe. */
function withProbe(name: string, probe: Raw, o: Record<string, unknown> = {}): Raw {
  return pod(name, {
    containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: probe }],
    ...o,
  });
}

/** A pod of app=web whose container "app" has no probe of any kind. */
const bare = (name: string, o: Record<string, unknown> = {}) =>
  pod(name, { containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }], ...o });

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

ruleTester(readinessProbeMissing, {
  valid: [
    {
      name: 'every pod has a readiness probe (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), withProbe('web-1', readyz), withProbe('web-2', { exec: { command: ['true'] } })],
    },
    {
      name: 'the probe is on a native sidecar only: the pod is not Ready before it passes (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        bare('web-1', {
          initContainers: [
            {
              name: 'proxy',
              image: 'p',
              restartPolicy: 'Always',
              readinessProbe: { httpGet: { path: '/ready', port: 15021 } },
            },
          ],
        }),
      ],
    },
    {
      name: 'one of two containers has a probe: it holds the pod back (docs/kubernetes-semantics.md#ready-and-containersready)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          containers: [
            { name: 'app', image: 'a', readinessProbe: readyz, ports: [{ name: 'http', containerPort: 8080 }] },
            { name: 'log', image: 'l' },
          ],
        }),
      ],
    },
    {
      name: 'a probe whose handler the input does not show still counts (a snapshot of an older version)',
      objects: [nodeA, service('web'), withProbe('web-1', {})],
    },
    {
      name: 'pods with a readiness gate wait for it (docs/kubernetes-semantics.md#readiness-gates)',
      objects: [nodeA, service('web'), bare('web-1', { readinessGates: ['target-health.elbv2.k8s.aws/web-tg'] })],
    },
    {
      name: 'terminating and finished pods are on their way out (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        withProbe('web-1', readyz),
        bare('web-old', { terminating: true }),
        bare('web-done', { phase: 'Succeeded', ready: false }),
      ],
    },
    {
      name: 'publishNotReadyAddresses: readiness decides nothing for the Service (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [nodeA, service('web', { spec: { publishNotReadyAddresses: true } }), bare('web-1')],
    },
    {
      name: 'no pod matches: selector-no-match says so',
      objects: [nodeA, service('web'), bare('other-1', { labels: { app: 'other' } })],
    },
    {
      name: 'selectorless: its backends are not pods the selector picks (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [nodeA, service('web', { selector: null }), bare('web-1')],
    },
    {
      name: 'ExternalName: no backends at all (docs/kubernetes-semantics.md#externalname-services)',
      objects: [nodeA, externalNameService(), bare('web-1', { labels: { app: 'db' } })],
    },
  ],
  invalid: [
    {
      name: 'no container has a readiness probe: ready as soon as they run (docs/kubernetes-semantics.md#readiness-probes)',
      docsExample: true,
      objects: [nodeA, service('web'), bare('web-1'), bare('web-2')],
      findings: [
        {
          reason: 'noReadinessProbe',
          severity: 'info',
          message: [
            '2 of 2 pods matching app=web have no readiness probe and no readiness gate',
            'they get traffic as soon as their containers run',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'no readiness probe on container app' },
          fix: 'add a readinessProbe to the pod template of their owner: kubectl get pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'mid-rollout, the new pods dropped the probe',
      objects: [nodeA, service('web'), withProbe('web-old', readyz), bare('web-new')],
      findings: [
        {
          reason: 'noReadinessProbe',
          message: [
            '1 of 2 pods matching app=web has no readiness probe',
            'it gets traffic as soon as its containers run',
          ],
          pods: ['web-new'],
        },
      ],
    },
    {
      name: 'a startup probe delays only the first Ready (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          containers: [
            { name: 'app', image: 'a', startupProbe: { tcpSocket: { port: 8080 } } },
            { name: 'log', image: 'l' },
          ],
        }),
      ],
      findings: [
        {
          reason: 'noReadinessProbe',
          causes: {
            'web-1': 'no readiness probe on containers app, log; the startup probe of app delays only the first Ready',
          },
        },
      ],
    },
    {
      name: 'an ordinary init container is never probed for readiness: its probe does not count (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        bare('web-1', { initContainers: [{ name: 'migrate', image: 'm', readinessProbe: readyz }] }),
      ],
      findings: [{ reason: 'noReadinessProbe', pods: ['web-1'] }],
    },
    {
      name: 'headless: DNS answers with the pods as soon as they run (docs/kubernetes-semantics.md#headless-services)',
      objects: [nodeA, service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }), bare('web-1')],
      findings: [{ reason: 'noReadinessProbe', pods: ['web-1'] }],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [nodeA, service('web'), ...many.map((name) => bare(name))],
      findings: [
        { reason: 'noReadinessProbe', message: ['25 of 25 pods', ' (first 20 listed)'], pods: many.slice(0, 20) },
      ],
    },
  ],
});
