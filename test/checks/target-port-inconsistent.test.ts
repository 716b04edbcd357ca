import { targetPortInconsistent } from '../../src/checks/target-port-inconsistent.js';
import { node, pod, service, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

function http(name: string, containerPort: number, o: Record<string, unknown> = {}): Raw {
  return pod(name, { containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort }] }], ...o });
}

ruleTester(targetPortInconsistent, {
  valid: [
    {
      name: 'every pod maps the name to the same number',
      objects: [nodeA, service('web'), http('web-1', 8080), http('web-2', 8080)],
    },
    {
      name: 'a pod where the name does not resolve is not a second number (target-port-unresolved)',
      objects: [
        nodeA,
        service('web'),
        http('web-1', 8080),
        pod('web-2', { containers: [{ name: 'app', image: 'a' }] }),
      ],
    },
    {
      name: 'a numeric targetPort is the same number everywhere (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
        http('web-1', 8080),
        http('web-2', 9090),
      ],
    },
    {
      name: 'a finished pod from an old template does not count (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        http('web-1', 8080),
        http('web-old', 9090, { phase: 'Succeeded', ready: false }),
      ],
    },
    {
      name: 'headless: targetPort is ignored for clusterIP None (docs/kubernetes-semantics.md#targetport-defaulting-and-validation)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        http('web-1', 8080),
        http('web-2', 9090),
      ],
    },
  ],
  invalid: [
    {
      name: 'mid-rollout renumbered port: the controller splits the pods into slices per number (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: [
        nodeA,
        service('web'),
        http('web-1', 8080),
        http('web-2', 8080),
        http('web-3', 8080),
        http('web-4', 9090),
        http('web-5', 9090),
      ],
      findings: [
        {
          reason: 'resolvesToSeveralNumbers',
          severity: 'info',
          port: 'http 80/TCP',
          message: ['resolves to 2 different numbers', '8080 on 3 pods, 9090 on 2 pods', 'its own slices'],
          pods: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5'],
          causes: { 'web-4': '"http" → 9090/TCP', 'web-1': '"http" → 8080/TCP' },
          fix: 'kubectl get pods -n shop -l app=web',
        },
      ],
    },
    {
      name: 'a not-ready pod is still eligible and resolved (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: [nodeA, service('web'), http('web-1', 8080), http('web-2', 8081, { waiting: 'CrashLoopBackOff' })],
      findings: [{ reason: 'resolvesToSeveralNumbers', message: ['8080 on 1 pod, 8081 on 1 pod'] }],
    },
    {
      name: 'a pod where the name does not resolve, listed first, does not hide the two numbers after it',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { containers: [{ name: 'app', image: 'a' }] }),
        http('web-2', 8080),
        http('web-3', 9090),
      ],
      findings: [
        {
          reason: 'resolvesToSeveralNumbers',
          message: ['resolves to 2 different numbers', '8080 on 1 pod, 9090 on 1 pod'],
          pods: ['web-2', 'web-3'],
        },
      ],
    },
    {
      name: 'long pod lists are capped at 20, the message gives every group',
      objects: [nodeA, service('web'), ...many.map((name, i) => http(name, i < 15 ? 8080 : 9090))],
      findings: [
        {
          reason: 'resolvesToSeveralNumbers',
          message: ['8080 on 15 pods, 9090 on 10 pods', 'its own slices (first 20 pods listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
  ],
});
