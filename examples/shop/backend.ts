// The shop's backend Services, each with its own trouble: crashing, stuck rollouts, ports,
// readiness gates, a lost node, a cluster that cannot bootstrap, an Endpoints over capacity.

import { handMadeSlice } from './endpoints.js';
import { C2_UNKNOWN_SINCE } from './nodes.js';
import { app, appLabels, type PodInstance, REGISTRY, replicaSetPods, statefulSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** shop/checkout: a bad config change, the pod is in CrashLoopBackOff. */
export function checkout({ workload }: Shop): void {
  const crashLoop = (node: string, created: string): PodInstance => ({
    node,
    created,
    state: {
      waiting: 'CrashLoopBackOff',
      message: 'back-off 5m0s restarting failed container=checkout',
      restarts: 12,
      lastState: {
        terminated: {
          exitCode: 1,
          finishedAt: '2026-11-27T10:12:31Z',
          message: 'config: payment.provider.timeout: cannot parse "30 s" as a duration',
          reason: 'Error',
          startedAt: '2026-11-27T10:12:30Z',
        },
      },
    },
    notReady: { since: created },
  });
  workload(
    buildService({ name: 'checkout', created: '2025-04-02T10:12:03Z', ports: [HTTP] }),
    replicaSetPods('checkout', 'config-2026-11-27', app('checkout', '5.0.3'), [
      crashLoop('worker-b1', '2026-11-27T09:31:12Z'),
    ]),
  );
}

/** shop/cart: the v2.4.0 rollout is stuck: the registry has 2.4.0, not v2.4.0. */
export function cart({ workload }: Shop): void {
  const badImage = `${REGISTRY}/cart:v2.4.0`;
  workload(buildService({ name: 'cart', created: '2025-04-02T10:12:03Z', ports: [HTTP] }), [
    ...replicaSetPods('cart', '2.3.4', app('cart', '2.3.4'), [
      { node: 'worker-a1', created: '2026-11-24T10:02:44Z' },
      { node: 'worker-c1', created: '2026-11-24T10:02:44Z' },
    ]),
    // The new version listens on 9090.
    ...replicaSetPods('cart', '2.4.0', app('cart', 'v2.4.0', 9090), [
      {
        node: 'worker-b1',
        created: '2026-11-27T09:58:03Z',
        phase: 'Pending',
        state: {
          waiting: 'ImagePullBackOff',
          message: `Back-off pulling image "${badImage}": ErrImagePull: failed to pull and unpack image "${badImage}": failed to resolve reference "${badImage}": ${badImage}: not found`,
        },
        notReady: { since: '2026-11-27T09:58:03Z' },
      },
    ]),
  ]);
}

/** shop/resolver: Unbound; the UDP port targets "dns", declared without protocol: UDP. */
export function resolver({ workload }: Shop): void {
  workload(
    buildService({
      name: 'resolver',
      created: '2026-11-26T09:12:40Z',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns' },
      ],
    }),
    replicaSetPods(
      'resolver',
      '1',
      {
        labels: appLabels('resolver'),
        // The manifest left protocol out; the API server defaulted it to TCP.
        containers: [
          {
            name: 'unbound',
            image: 'registry.example.com/mirror/unbound:1.22.0',
            ports: [{ name: 'dns', containerPort: 5353 }],
            readinessProbe: { tcpSocket: { port: 'dns' }, periodSeconds: 10 },
          },
        ],
      },
      [
        { node: 'worker-a1', created: '2026-11-26T09:12:41Z' },
        { node: 'worker-c1', created: '2026-11-26T09:12:41Z' },
      ],
    ),
  );
}

/** shop/search: gated pods, and the VM the migration's EndpointSlice still points at. */
export function search({ add, workload }: Shop): void {
  // The Helm values were copied from the EKS cluster, where the AWS Load Balancer Controller
  // injects this readiness gate and sets it once the target is healthy. Nothing sets it here.
  const gate = 'target-health.elbv2.k8s.aws/k8s-shop-search-5c2e1b9a4d';
  const gated = (created: string, node: string): PodInstance => ({
    node,
    created,
    notReady: {
      since: created,
      reason: 'ReadinessGatesNotReady',
      message: `corresponding condition of pod readiness gate "${gate}" does not exist.`,
      containersReady: true,
    },
  });
  const search = buildService({ name: 'search', created: '2025-06-11T09:00:00Z', ports: [HTTP] });
  workload(
    search,
    replicaSetPods('search', '3.1.0', { ...app('search', '3.1.0'), readinessGates: [gate] }, [
      gated('2026-11-20T16:12:09Z', 'worker-a1'),
      gated('2026-11-20T16:12:09Z', 'worker-b1'),
    ]),
  );
  add(
    handMadeSlice(search, 'search-vm', '2026-10-28T07:45:00Z', {
      managedBy: 'staff',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      addresses: ['10.10.20.31'],
    }),
  );
}

/** shop/orders: one ready pod never made it into the EndpointSlices. */
export function orders({ workload }: Shop): void {
  // orders-…-2 restarted at 09:44 (liveness probe); that was the slices' last update, 15 minutes
  // after the third pod became ready. The Endpoints controller did list it.
  const orders = replicaSetPods('orders', '9.4.2', app('orders', '9.4.2'), [
    { node: 'worker-a1', created: '2026-11-26T13:05:00Z' },
    {
      node: 'worker-b1',
      created: '2026-11-26T13:05:00Z',
      readySince: '2026-11-27T09:44:17Z',
      state: {
        running: true,
        ready: true,
        restarts: 1,
        since: '2026-11-27T09:44:08Z',
        lastState: {
          terminated: {
            exitCode: 137,
            finishedAt: '2026-11-27T09:44:06Z',
            reason: 'Error',
            startedAt: '2026-11-26T13:05:03Z',
          },
        },
      },
    },
    { node: 'worker-c1', created: '2026-11-27T09:29:40Z' },
  ]);
  workload(buildService({ name: 'orders', created: '2025-04-02T10:12:03Z', ports: [HTTP] }), orders, {
    slicePods: orders.slice(0, 2),
  });
}

/** shop/pricing: worker-c2 stopped reporting and took one of the two pods with it. */
export function pricing({ workload }: Shop): void {
  // The node lifecycle controller marked the pod not ready; ContainersReady is the kubelet's last
  // word. The pod is evicted 300s after the node became unreachable.
  workload(
    buildService({ name: 'pricing', created: '2025-04-02T10:12:03Z', ports: [HTTP] }),
    replicaSetPods('pricing', '3.2.0', app('pricing', '3.2.0'), [
      { node: 'worker-b1', created: '2026-11-25T08:10:00Z' },
      {
        node: 'worker-c2',
        created: '2026-11-25T08:10:00Z',
        notReady: { since: C2_UNKNOWN_SINCE, containersReady: true },
      },
    ]),
  );
}

/** shop/elasticsearch: a new cluster that cannot bootstrap. */
export function elasticsearch({ workload }: Shop): void {
  // Recreated this morning with a hand-written governing Service. discovery.seed_hosts lists
  // elasticsearch-N.elasticsearch, names that resolve only once a pod is ready, and no pod gets
  // ready before the masters have found each other.
  const esStarting = (created: string, node: string): PodInstance => ({
    node,
    created,
    state: { running: true, ready: false },
    notReady: { since: created },
  });
  workload(
    buildService({
      name: 'elasticsearch',
      created: '2026-11-27T09:49:30Z',
      ip: 'headless',
      ports: [port('http', 9200, 'http'), port('transport', 9300, 'transport')],
    }),
    statefulSetPods(
      'elasticsearch',
      'elasticsearch',
      {
        labels: appLabels('elasticsearch'),
        containers: [
          {
            name: 'elasticsearch',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.3',
            ports: [
              { name: 'http', containerPort: 9200 },
              { name: 'transport', containerPort: 9300 },
            ],
            // As Elastic's Helm chart probes: a script that asks the local node for the cluster's health.
            readinessProbe: {
              exec: { command: ['bash', '-c', 'curl -sS --fail "http://127.0.0.1:9200/_cluster/health?local=true"'] },
              periodSeconds: 10,
            },
          },
        ],
      },
      [
        esStarting('2026-11-27T09:50:02Z', 'worker-a1'),
        esStarting('2026-11-27T09:50:02Z', 'worker-b1'),
        esStarting('2026-11-27T09:50:02Z', 'worker-c1'),
      ],
    ),
  );
}

/** shop/image-resizer: the v1 Endpoints is over capacity (trimmed, see the top). */
export function imageResizer({ workload }: Shop): void {
  workload(
    buildService({ name: 'image-resizer', created: '2026-09-15T12:00:00Z', ports: [HTTP] }),
    replicaSetPods('image-resizer', '0.9.7', app('image-resizer', '0.9.7'), [
      { node: 'worker-b1', created: '2026-11-27T06:58:31Z' },
      { node: 'worker-c1', created: '2026-11-27T06:58:31Z' },
    ]),
    { overCapacity: true },
  );
}
