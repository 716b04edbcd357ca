// The warehouse team's namespace, inventory: readiness probes, one that can never pass and one
// that is not there.

import { appLabels, type PodInstance, REGISTRY, replicaSetPods, type PodTemplate } from './pods.js';
import { buildService, HTTP } from './services.js';
import type { Shop } from './shop-builder.js';

const NS = 'inventory';

/** The stock service's pod template: a version, the container's ports and the readiness probe's port. */
function stockTemplate(tag: string, ports: { name: string; containerPort: number }[]): PodTemplate {
  return {
    ns: NS,
    labels: appLabels('stock'),
    containers: [
      { name: 'stock', image: `${REGISTRY}/stock:${tag}`, ports, probe: { path: '/ready', port: 'health' } },
    ],
  };
}

/** inventory/stock: chart 3.0 serves /ready on the main port and dropped the port named health; the probe still names it. */
export function stock({ workload }: Shop): void {
  // The Deployment rolls out one pod at a time; the new one never gets ready, so the rollout
  // stalls with the two old pods serving.
  const neverReady = (created: string, node: string): PodInstance => ({
    node,
    created,
    state: { running: true, ready: false },
    notReady: { since: created },
  });
  workload(buildService({ ns: NS, name: 'stock', created: '2025-08-04T13:20:00Z', ports: [HTTP] }), [
    ...replicaSetPods(
      'stock',
      '2.9.1',
      stockTemplate('2.9.1', [
        { name: 'http', containerPort: 8080 },
        { name: 'health', containerPort: 8081 },
      ]),
      [
        { node: 'worker-a1', created: '2026-11-18T10:40:12Z' },
        { node: 'worker-c1', created: '2026-11-18T10:40:12Z' },
      ],
    ),
    ...replicaSetPods('stock', '3.0.0', stockTemplate('3.0.0', [{ name: 'http', containerPort: 8080 }]), [
      neverReady('2026-11-27T08:05:37Z', 'worker-b1'),
    ]),
  ]);
}

/** inventory/label-printer: added last week, without a readiness probe. */
export function labelPrinter({ workload }: Shop): void {
  workload(
    buildService({ ns: NS, name: 'label-printer', created: '2026-11-19T15:02:00Z', ports: [HTTP] }),
    replicaSetPods(
      'label-printer',
      '0.3.0',
      {
        ns: NS,
        labels: appLabels('label-printer'),
        containers: [
          {
            name: 'label-printer',
            image: `${REGISTRY}/label-printer:0.3.0`,
            ports: [{ name: 'http', containerPort: 8080 }],
          },
        ],
      },
      [
        { node: 'worker-b1', created: '2026-11-19T15:02:10Z' },
        { node: 'worker-c1', created: '2026-11-19T15:02:10Z' },
      ],
    ),
  );
}
