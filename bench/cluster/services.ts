// Services of the synthetic cluster, some broken on purpose, and the EndpointSlices and Endpoints
// the controllers write for them dressed as the API server returns them.

import { isJsonObject, stringAt } from '../../src/core/json-value.js';
import type { Labels } from '../../src/core/objects.js';
import type { Raw } from '../../test/support/objects.js';
import { fieldSet, managedEntry } from './managed-fields.js';
import { chance, hex, int, pick, timeAgo, uuid, type Rand } from './random.js';
import type { Breakage, Workload } from './workloads.js';

export interface ServicePlan {
  name: string;
  workload?: Workload;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  headless: boolean;
  breakage?: Breakage;
  metricsPort: boolean;
  numericTarget: boolean;
}

function typoOf(value: string, taken: Set<string>): string {
  // The kinds of slips people make: a swapped pair, a dropped letter, a stale suffix.
  const candidates = [
    value.length > 4 ? value.slice(0, 2) + value[3] + value[2] + value.slice(4) : `${value}x`,
    value.slice(0, -1),
    `${value}-v2`,
    `${value}s`,
  ];
  return candidates.find((c) => c !== value && !taken.has(c)) ?? `${value}-typo`;
}

/** A generated Service, with the fields generate.ts reads back typed. */
export interface GeneratedService extends Raw {
  metadata: Raw & { creationTimestamp: string };
  spec: Raw & { selector?: Labels };
}

export function makeService(
  r: Rand,
  plan: ServicePlan,
  ns: string,
  clusterIP: string,
  taken: Set<string>,
): GeneratedService {
  const created = timeAgo(r, 200);
  const w = plan.workload;
  const labels: Record<string, string> = w
    ? {
        'app.kubernetes.io/name': w.name,
        'app.kubernetes.io/instance': w.labels['app.kubernetes.io/instance'],
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${w.name}-1.${int(r, 0, 30)}.0`,
      }
    : { 'app.kubernetes.io/name': plan.name };
  const annotations: Record<string, string> = w
    ? { 'meta.helm.sh/release-name': w.labels['app.kubernetes.io/instance'], 'meta.helm.sh/release-namespace': ns }
    : {};
  let spec: GeneratedService['spec'];
  if (plan.type === 'ExternalName') {
    spec = {
      type: 'ExternalName',
      externalName: `${plan.name}.${pick(r, ['rds.amazonaws.com', 'partner.example.com', 'legacy.corp.example.net'])}`,
      sessionAffinity: 'None',
    };
  } else {
    const selector = { ...w!.selector };
    if (plan.breakage === 'selector-typo') {
      const key = Object.keys(selector)[0];
      selector[key] = typoOf(selector[key], taken);
    }
    let target: string | number = plan.numericTarget ? w!.mainPort.port : w!.mainPort.name;
    if (plan.breakage === 'named-port-mismatch') target = w!.mainPort.name === 'http' ? 'web' : 'http';
    if (plan.breakage === 'numeric-port-undeclared') target = w!.mainPort.port + 1;
    const ports: Raw[] = [
      {
        name: plan.headless ? w!.mainPort.name : 'http',
        port: plan.headless ? w!.mainPort.port : 80,
        protocol: 'TCP',
        targetPort: target,
      },
    ];
    if (plan.metricsPort) ports.push({ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' });
    if (plan.type !== 'ClusterIP') for (const p of ports) p.nodePort = int(r, 30000, 32767);
    const local = plan.type === 'LoadBalancer' && chance(r, 0.4);
    spec = {
      clusterIP: plan.headless ? 'None' : clusterIP,
      clusterIPs: [plan.headless ? 'None' : clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports,
      ...(plan.headless && chance(r, 0.5) ? { publishNotReadyAddresses: true } : {}),
      selector,
      sessionAffinity: 'None',
      type: plan.type,
      ...(plan.type !== 'ClusterIP' ? { externalTrafficPolicy: local ? 'Local' : 'Cluster' } : {}),
      ...(local ? { healthCheckNodePort: int(r, 30000, 32767) } : {}),
      ...(plan.type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
    };
    if (plan.type === 'LoadBalancer') {
      annotations['service.beta.kubernetes.io/aws-load-balancer-type'] = 'external';
      annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type'] = 'ip';
      annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] = 'internet-facing';
    }
  }
  const status: Raw =
    plan.type === 'LoadBalancer' && plan.breakage !== 'lb-pending'
      ? {
          loadBalancer: {
            ingress: [
              { hostname: `k8s-${ns.slice(0, 8)}-${plan.name.slice(0, 8)}-${hex(r, 10)}.elb.us-east-1.amazonaws.com` },
            ],
          },
        }
      : { loadBalancer: {} };
  const metadata: GeneratedService['metadata'] = {
    name: plan.name,
    namespace: ns,
    uid: uuid(r),
    creationTimestamp: created,
    labels,
    annotations,
  };
  metadata.managedFields = [
    managedEntry('helm', created, {
      'f:metadata': fieldSet(metadata, ['name', 'namespace', 'uid', 'creationTimestamp']),
      'f:spec': fieldSet(spec, ['clusterIP', 'clusterIPs', 'ipFamilies']),
    }),
    ...(plan.type === 'LoadBalancer'
      ? [managedEntry('aws-load-balancer-controller', created, { 'f:status': fieldSet(status) }, 'status')]
      : []),
  ];
  return { apiVersion: 'v1', kind: 'Service', metadata, spec, status };
}

/** What the controllers write, dressed as the server returns it (uid, timestamps, managedFields). */
export function dressControllerObject(r: Rand, o: Raw, created: string): Raw {
  const meta = o.metadata;
  if (!isJsonObject(meta)) throw new Error('the controllers wrote an object without metadata');
  meta.uid = uuid(r);
  meta.creationTimestamp = created;
  if (o.kind === 'EndpointSlice')
    meta.generateName = `${stringAt(meta, 'labels', 'kubernetes.io/service-name') ?? ''}-`;
  meta.annotations = {
    ...(isJsonObject(meta.annotations) ? meta.annotations : {}),
    'endpoints.kubernetes.io/last-change-trigger-time': '2026-03-01T11:30:00Z',
  };
  const body =
    o.kind === 'EndpointSlice' ? { 'f:addressType': {}, 'f:endpoints': {}, 'f:ports': {} } : { 'f:subsets': {} };
  const controllerEntry = managedEntry('kube-controller-manager', created, {
    'f:metadata': fieldSet(meta, ['name', 'namespace', 'uid', 'creationTimestamp']),
    ...body,
  });
  if (o.kind === 'EndpointSlice') controllerEntry.apiVersion = 'discovery.k8s.io/v1';
  meta.managedFields = [controllerEntry];
  return o;
}
