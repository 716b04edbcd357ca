// The cluster's own Services: the API server's, DNS, and the ingress controller.

import { apiserverObjects } from '../../test/support/objects.js';
import { requiredObject, requiredObjects, requiredString } from '../../test/support/required-fields.js';
import { CLUSTER_CREATED, uid } from './ids.js';
import { nodeDef, nodeIP } from './nodes.js';
import { type PodTemplate, replicaSetPods } from './pods.js';
import { buildService, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** default/kubernetes, as the kube-apiserver writes it. */
export function kubernetesService({ add }: Shop): void {
  for (const o of apiserverObjects(nodeIP(nodeDef('cp-1')))) {
    const kind = requiredString(o, 'kind');
    Object.assign(requiredObject(o, 'metadata'), {
      uid: uid(`${kind}/default/kubernetes`),
      creationTimestamp: CLUSTER_CREATED,
    });
    if (kind === 'Service') requiredObject(o, 'spec').ipFamilyPolicy = 'SingleStack';
    if (kind === 'EndpointSlice') for (const e of requiredObjects(o, 'endpoints')) e.conditions = { ready: true };
    add(o);
  }
}

/** kube-system/kube-dns: topology-aware routing on 2 CoreDNS replicas in 3 zones. */
export function kubeDns({ workload }: Shop): void {
  // Turned on to keep DNS traffic in the zone. The EndpointSlice controller needs at least one
  // endpoint per zone, so it removes every hint and kube-proxy routes cluster-wide.
  const coredns: PodTemplate = {
    ns: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.12.1',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
        probe: { path: '/ready', port: 8181 },
      },
    ],
  };
  workload(
    buildService({
      ns: 'kube-system',
      name: 'kube-dns',
      created: CLUSTER_CREATED,
      clusterIP: '10.96.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: {
        'prometheus.io/port': '9153',
        'prometheus.io/scrape': 'true',
        'service.kubernetes.io/topology-mode': 'Auto',
      },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    }),
    replicaSetPods('coredns', '1', coredns, [
      { node: 'worker-a1', created: '2026-11-20T06:41:07Z' },
      { node: 'worker-b1', created: '2026-11-20T06:41:07Z' },
    ]),
  );
}

/** ingress-nginx: NodePort, externalTrafficPolicy Local, controllers on 2 of 4 nodes. */
/**
 * The controller Service's ClusterIP, which the controller (--publish-service, a NodePort Service
 * without externalIPs) publishes in the status of every Ingress it serves.
 */
export const INGRESS_NGINX_ADDRESS = '10.98.210.178';

export function ingressNginx({ workload, alsoSelects }: Shop): void {
  // The external HAProxy spreads connections over the NodePorts of every node; Local keeps the
  // client source IP for the shop's rate limits.
  const ingress = {
    'app.kubernetes.io/component': 'controller',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/name': 'ingress-nginx',
  };
  const ingressPods = replicaSetPods(
    'ingress-nginx-controller',
    '1.12.1',
    {
      ns: 'ingress-nginx',
      labels: ingress,
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.12.1',
          ports: [
            { name: 'http', containerPort: 80 },
            { name: 'https', containerPort: 443 },
            { name: 'webhook', containerPort: 8443 },
          ],
          probe: { path: '/healthz', port: 10254 },
        },
      ],
    },
    [
      { node: 'worker-a1', created: '2026-11-20T07:14:00Z' },
      { node: 'worker-b1', created: '2026-11-20T07:14:00Z' },
    ],
  );
  workload(
    buildService({
      ns: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      created: '2025-03-10T11:20:00Z',
      type: 'NodePort',
      clusterIP: INGRESS_NGINX_ADDRESS,
      selector: ingress,
      labels: ingress,
      ports: [
        port('http', 80, 'http', { appProtocol: 'http', nodePort: 30080 }),
        port('https', 443, 'https', { appProtocol: 'https', nodePort: 30443 }),
      ],
      spec: { externalTrafficPolicy: 'Local' },
    }),
    ingressPods,
  );
  // The admission webhook's Service, as the chart installs it: healthy.
  alsoSelects(
    buildService({
      ns: 'ingress-nginx',
      name: 'ingress-nginx-controller-admission',
      created: '2025-03-10T11:20:00Z',
      selector: ingress,
      labels: ingress,
      ports: [port('https-webhook', 443, 'webhook', { appProtocol: 'https' })],
    }),
    ingressPods,
  );
}
