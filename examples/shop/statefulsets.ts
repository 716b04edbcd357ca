// The data team's namespace, reporting: a ClickHouse StatefulSet whose spec.serviceName names its
// client Service, which is not headless, so its replicas have no DNS names to find each other by.

import { appLabels, REGISTRY, statefulSetPods } from './pods.js';
import { buildService, port } from './services.js';
import type { Shop } from './shop-builder.js';

const NS = 'reporting';

/**
 * reporting/clickhouse: the chart's 2.0 rewrite dropped its headless Service clickhouse-headless
 * and set serviceName to the client Service, a ClusterIP one. The replicas run and serve queries
 * through it, but clickhouse-0.clickhouse.reporting.svc, the name each replica's remote_servers
 * lists for the other, does not resolve: replication stops (statefulset-service-missing).
 */
export function clickhouse({ workload }: Shop): void {
  workload(
    buildService({
      ns: NS,
      name: 'clickhouse',
      created: '2026-11-24T14:10:00Z',
      ports: [port('http', 8123, 'http'), port('native', 9000, 'native')],
    }),
    statefulSetPods(
      'clickhouse',
      'clickhouse',
      {
        ns: NS,
        labels: appLabels('clickhouse'),
        containers: [
          {
            name: 'clickhouse',
            image: `${REGISTRY}/clickhouse-server:25.8`,
            ports: [
              { name: 'http', containerPort: 8123 },
              { name: 'native', containerPort: 9000 },
            ],
            probe: { path: '/ping', port: 'http' },
          },
        ],
      },
      [
        { node: 'worker-a1', created: '2026-11-24T14:10:30Z' },
        { node: 'worker-c1', created: '2026-11-24T14:11:05Z' },
      ],
    ),
  );
}
