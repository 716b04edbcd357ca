// The workloads behind the pods (apps/v1), as `kubectl get deployments,replicasets,statefulsets,
// daemonsets -A -o yaml` prints them: those of the shop's running pods, derived from the pods'
// ownerReferences once every story has added its pods, and the promo namespace's two stories,
// whose Services have no pod at all.

import type { Raw } from '../../test/support/objects.js';
import { requiredObject, requiredObjects, requiredString } from '../../test/support/required-fields.js';
import { plus, token, uid } from './ids.js';
import { app, appLabels } from './pods.js';
import { buildService, HTTP } from './services.js';
import type { Shop } from './shop-builder.js';

/** Labels the controllers add per pod, which no template carries. */
const PER_POD_LABELS = [
  'apps.kubernetes.io/pod-index',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
];

/** Deployments the file keeps fewer pods of than they run (examples/shop.ts says why): how many they run. */
const RUNNING = new Map([['shop/image-resizer', 1200]]);

function withoutKeys(labels: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !keys.includes(k)));
}

function controllerRef(kind: string, ns: string, name: string): Raw {
  return {
    apiVersion: 'apps/v1',
    blockOwnerDeletion: true,
    controller: true,
    kind,
    name,
    uid: uid(`${kind}/${ns}/${name}`),
  };
}

interface WorkloadDef {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet';
  ns: string;
  name: string;
  created: string;
  replicas: number;
  /** The workload's own spec.selector.matchLabels. */
  selector: Record<string, string>;
  templateLabels: Record<string, string>;
  ready: number;
  owner?: Raw;
  spec?: Raw;
  conditions?: Raw[];
}

function buildWorkload(d: WorkloadDef): Raw {
  return {
    apiVersion: 'apps/v1',
    kind: d.kind,
    metadata: {
      creationTimestamp: d.created,
      name: d.name,
      namespace: d.ns,
      uid: uid(`${d.kind}/${d.ns}/${d.name}`),
      ...(d.owner ? { ownerReferences: [d.owner] } : {}),
    },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      template: { metadata: { labels: d.templateLabels } },
      ...d.spec,
    },
    status: {
      availableReplicas: d.ready,
      readyReplicas: d.ready,
      replicas: d.replicas,
      ...(d.conditions ? { conditions: d.conditions } : {}),
    },
  };
}

const isReady = (pod: Raw) =>
  requiredObjects(pod, 'status', 'conditions').some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * A ReplicaSet for each ReplicaSet that owns pods, a Deployment over each, and a StatefulSet for
 * each StatefulSet, with replicas and ready counts from the pods. A Deployment selects by
 * app.kubernetes.io/name alone where its pods carry it, as Helm charts do.
 */
export function workloadsOfPods(objects: Raw[]): Raw[] {
  const groups = new Map<string, { kind: string; ns: string; name: string; pods: Raw[] }>();
  for (const o of objects) {
    if (o.kind !== 'Pod') continue;
    const meta = requiredObject(o, 'metadata');
    const owner = (meta.ownerReferences as Raw[] | undefined)?.[0];
    if (!owner) continue;
    const ns = requiredString(o, 'metadata', 'namespace');
    const key = `${String(owner.kind)}/${ns}/${String(owner.name)}`;
    const group = groups.get(key) ?? { kind: String(owner.kind), ns, name: String(owner.name), pods: [] };
    group.pods.push(o);
    groups.set(key, group);
  }
  const out: Raw[] = [];
  const deployments = new Map<string, { ns: string; name: string; sets: Raw[]; labels: Record<string, string> }>();
  for (const { kind, ns, name, pods } of groups.values()) {
    const labels = requiredObject(pods[0], 'metadata').labels as Record<string, string>;
    const created = plus(pods.map((p) => requiredString(p, 'metadata', 'creationTimestamp')).sort()[0], -2);
    const ready = pods.filter(isReady).length;
    const byName = labels['app.kubernetes.io/name'];
    if (kind === 'StatefulSet') {
      const templateLabels = withoutKeys(labels, PER_POD_LABELS);
      const subdomain = requiredObject(pods[0], 'spec').subdomain as string;
      out.push(
        buildWorkload({
          kind,
          ns,
          name,
          created,
          replicas: pods.length,
          ready,
          selector: byName ? { 'app.kubernetes.io/name': byName } : templateLabels,
          templateLabels,
          spec: { serviceName: subdomain },
        }),
      );
      continue;
    }
    const hash = labels['pod-template-hash'];
    const deployment = name.slice(0, -(hash.length + 1));
    const selector = byName ? { 'app.kubernetes.io/name': byName } : withoutKeys(labels, ['pod-template-hash']);
    const set = buildWorkload({
      kind: 'ReplicaSet',
      ns,
      name,
      created,
      replicas: pods.length,
      ready,
      selector: { ...selector, 'pod-template-hash': hash },
      templateLabels: labels,
      owner: controllerRef('Deployment', ns, deployment),
    });
    out.push(set);
    const key = `${ns}/${deployment}`;
    const entry = deployments.get(key) ?? { ns, name: deployment, sets: [], labels: {} };
    entry.sets.push(set);
    // The newest ReplicaSet's template is the Deployment's.
    if (entry.sets.length === 1 || created > requiredString(entry.sets[0], 'metadata', 'creationTimestamp'))
      entry.labels = withoutKeys(labels, ['pod-template-hash']);
    deployments.set(key, entry);
  }
  for (const { ns, name, sets, labels } of deployments.values()) {
    const counts = sets.map((s) => requiredObject(s, 'status') as { replicas: number; readyReplicas: number });
    const running = RUNNING.get(`${ns}/${name}`);
    const byName = labels['app.kubernetes.io/name'];
    out.push(
      buildWorkload({
        kind: 'Deployment',
        ns,
        name,
        created: plus(sets.map((s) => requiredString(s, 'metadata', 'creationTimestamp')).sort()[0], -1),
        replicas: running ?? counts.reduce((n, c) => (c.replicas > n ? c.replicas : n), 0),
        ready: running ?? counts.reduce((n, c) => n + c.readyReplicas, 0),
        selector: byName ? { 'app.kubernetes.io/name': byName } : labels,
        templateLabels: labels,
      }),
    );
  }
  return out;
}

/**
 * The promo namespace's Black Friday campaign. promo/banner: the on-call engineer scaled the
 * banner Deployment to zero at 02:00 to stop an error storm and went back to bed
 * → workload-scaled-to-zero. promo/coupons: today's release raised the CPU limits, and the new
 * ReplicaSet's pods no longer fit the namespace's ResourceQuota; the old ReplicaSet was scaled
 * down by the rollout before the failure showed → workload-cannot-create-pods.
 */
export function promotions({ add, workload }: Shop): void {
  const ns = 'promo';
  const deployment = (name: string, created: string, replicas: number, ready: number, conditions?: Raw[]) =>
    buildWorkload({
      kind: 'Deployment',
      ns,
      name,
      created,
      replicas,
      ready,
      selector: appLabels(name),
      templateLabels: app(name, '1').labels,
      conditions,
    });
  const replicaSet = (name: string, revision: string, created: string, replicas: number, conditions?: Raw[]) => {
    const hash = token(`rs/${ns}/${name}/${revision}`, 10);
    return buildWorkload({
      kind: 'ReplicaSet',
      ns,
      name: `${name}-${hash}`,
      created,
      replicas,
      ready: 0,
      selector: { ...appLabels(name), 'pod-template-hash': hash },
      templateLabels: { ...appLabels(name), 'pod-template-hash': hash },
      owner: controllerRef('Deployment', ns, name),
      conditions,
    });
  };

  workload(buildService({ ns, name: 'banner', created: '2026-11-20T09:00:00Z', ports: [HTTP] }), []);
  add(deployment('banner', '2026-11-20T09:00:10Z', 0, 0), replicaSet('banner', '1.4.0', '2026-11-20T09:00:10Z', 0));

  const quota = (pod: string) =>
    `pods "${pod}" is forbidden: exceeded quota: promo-quota, requested: limits.cpu=2, ` +
    'used: limits.cpu=8, limited: limits.cpu=8';
  const newHash = token(`rs/${ns}/coupons/2.0.0`, 10);
  const failed = {
    lastTransitionTime: '2026-11-27T09:41:07Z',
    message: quota(`coupons-${newHash}-${token('pod/promo/coupons/new', 5)}`),
    reason: 'FailedCreate',
    status: 'True',
    type: 'ReplicaFailure',
  };
  workload(buildService({ ns, name: 'coupons', created: '2026-11-20T09:00:00Z', ports: [HTTP] }), []);
  add(
    deployment('coupons', '2026-11-20T09:00:12Z', 3, 0, [
      {
        lastTransitionTime: '2026-11-27T09:41:05Z',
        message: 'Deployment does not have minimum availability.',
        reason: 'MinimumReplicasUnavailable',
        status: 'False',
        type: 'Available',
      },
      failed,
    ]),
    replicaSet('coupons', '1.9.0', '2026-11-20T09:00:12Z', 0),
    replicaSet('coupons', '2.0.0', '2026-11-27T09:41:05Z', 3, [failed]),
  );
}
