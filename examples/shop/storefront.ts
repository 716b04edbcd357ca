// The storefront: the web application and the Services around it, its Redis, recommendations.

import { app, appLabels, replicaSetPods, statefulSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** shop/web: the storefront, dual-stack, healthy. */
export function web({ workload, alsoSelects }: Shop): void {
  // web 4.2 follows the Prometheus convention and calls its metrics port http-metrics.
  const webTemplate = app('web', '4.2.1');
  webTemplate.containers[0].ports!.push({ name: 'http-metrics', containerPort: 9102 });
  const web = replicaSetPods('web', '4.2.1', webTemplate, [
    { node: 'worker-a1', created: '2026-11-25T14:03:22Z' },
    { node: 'worker-c1', created: '2026-11-25T14:03:51Z' },
  ]);
  workload(buildService({ name: 'web', created: '2025-04-02T10:11:45Z', ip: 'dual', ports: [HTTP] }), web);

  // --- shop/web-metrics: Prometheus scrapes it; it still targets the old port name -----------
  alsoSelects(
    buildService({
      name: 'web-metrics',
      created: '2025-04-02T10:11:45Z',
      selector: appLabels('web'),
      labels: { ...appLabels('web'), 'app.kubernetes.io/component': 'metrics' },
      ports: [port('metrics', 9102, 'metrics')],
    }),
    web,
  );

  // --- shop/web-external: exposed in a hurry last night -------------------------------------
  // No MetalLB or other load-balancer implementation runs on this bare-metal cluster, and the
  // storefront listens on 8080, not 80.
  alsoSelects(
    buildService({
      name: 'web-external',
      created: '2026-11-26T22:48:13Z',
      type: 'LoadBalancer',
      selector: appLabels('web'),
      ports: [port('http', 80, 80, { nodePort: 31380 })],
      spec: { allocateLoadBalancerNodePorts: true },
    }),
    web,
  );
}

/** shop/redis-headless and shop/redis. */
export function redis({ workload, alsoSelects }: Shop): void {
  // The StatefulSet's headless Service publishes not-ready addresses for Sentinel: healthy. The
  // client Service was made dual-stack with the cluster last week, but the Redis pods were
  // created before the pod network had IPv6 and never restarted since.
  const redis = statefulSetPods(
    'redis',
    'redis-headless',
    {
      labels: appLabels('redis'),
      containers: [
        {
          name: 'redis',
          image: 'registry.example.com/mirror/redis:7.4.2',
          ports: [{ name: 'redis', containerPort: 6379 }],
          readinessProbe: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 },
        },
      ],
    },
    [
      { node: 'worker-a1', created: '2026-10-14T08:30:00Z' },
      { node: 'worker-b1', created: '2026-10-14T08:30:45Z' },
    ],
  );
  workload(
    buildService({
      name: 'redis-headless',
      created: '2025-05-14T08:29:51Z',
      selector: appLabels('redis'),
      labels: appLabels('redis'),
      ip: 'headless',
      ports: [port('redis', 6379, 'redis')],
      spec: { publishNotReadyAddresses: true },
    }),
    redis,
  );
  alsoSelects(
    buildService({ name: 'redis', created: '2025-05-14T08:29:51Z', ip: 'dual', ports: [port('redis', 6379, 'redis')] }),
    redis,
  );
}

/** shop/recommendations: the selector says tier: frontend, the pod template tier: fe. */
export function recommendations({ workload }: Shop): void {
  const recommendations = app('recommendations', '1.0.0');
  recommendations.labels = { ...recommendations.labels, tier: 'fe' };
  workload(
    buildService({
      name: 'recommendations',
      created: '2026-11-26T11:47:02Z',
      selector: { ...appLabels('recommendations'), tier: 'frontend' },
      ports: [HTTP],
    }),
    replicaSetPods('recommendations', '1', recommendations, [{ node: 'worker-b1', created: '2026-11-26T11:48:30Z' }]),
  );
}
