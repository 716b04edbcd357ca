// The workloads behind the pods (apps/v1 Deployments, ReplicaSets, StatefulSets, DaemonSets):
// their selector, their pod template's labels, the pods they want and what their status says,
// and written back for the snapshot. The pod template's spec (containers, env, volumes) is never
// kept: the pods themselves say what runs.

import type {
  DaemonSet,
  Deployment,
  ObjectMeta,
  ReplicaSet,
  StatefulSet,
  WorkloadCondition,
} from '../../core/objects.js';
import {
  bool,
  checked,
  fields,
  int,
  labelSelector,
  list,
  nonEmpty,
  rawLabelSelector,
  slimMeta,
  str,
  stringMap,
  type Raw,
} from './fields.js';

/** What every workload kind has: metadata, selector and pod template labels. */
function slimWorkload(raw: Raw, keepOwner: boolean) {
  const meta: ObjectMeta = slimMeta(raw, true, false, keepOwner);
  const spec = fields(raw.spec, 'spec');
  const template = fields(fields(spec.template, 'spec.template').metadata, 'spec.template.metadata');
  return {
    meta,
    spec,
    status: fields(raw.status, 'status'),
    selector: labelSelector(spec.selector, 'spec.selector') ?? { matchLabels: {}, matchExpressions: [] },
    templateLabels: stringMap(template.labels, 'spec.template.metadata.labels'),
  };
}

/** The condition types the checks read; their reason and message only while they do not hold as wanted. */
const CONDITIONS = new Set(['Available', 'Progressing', 'ReplicaFailure']);

function slimConditions(value: unknown): WorkloadCondition[] {
  const out: WorkloadCondition[] = [];
  list(value, 'status.conditions', (c) => {
    const type = str(c.type, 'type') ?? '';
    if (!CONDITIONS.has(type)) return;
    const status = str(c.status, 'status') ?? 'Unknown';
    // ReplicaFailure explains itself when True; Available and Progressing when they are not.
    const explained = type === 'ReplicaFailure' ? status === 'True' : status !== 'True';
    out.push({
      type,
      status,
      reason: explained ? str(c.reason, 'reason') : undefined,
      message: explained ? str(c.message, 'message') : undefined,
    });
  });
  return out;
}

/** spec.replicas; absent is 1, as the API server defaults it for Deployments, ReplicaSets and StatefulSets. */
function replicas(spec: Raw): number {
  return int(spec.replicas, 'spec.replicas') ?? 1;
}

function replicaStatus(status: Raw) {
  return {
    replicas: int(status.replicas, 'status.replicas') ?? 0,
    readyReplicas: int(status.readyReplicas, 'status.readyReplicas') ?? 0,
    availableReplicas: int(status.availableReplicas, 'status.availableReplicas') ?? 0,
  };
}

export const slimDeployment = checked(function slimDeployment(raw: Raw): Deployment {
  const { meta, spec, status, selector, templateLabels } = slimWorkload(raw, false);
  return {
    kind: 'Deployment',
    meta,
    selector,
    templateLabels,
    replicas: replicas(spec),
    paused: bool(spec.paused, 'spec.paused') === true,
    status: replicaStatus(status),
    conditions: slimConditions(status.conditions),
  };
});

export const slimReplicaSet = checked(function slimReplicaSet(raw: Raw): ReplicaSet {
  const { meta, spec, status, selector, templateLabels } = slimWorkload(raw, true);
  return {
    kind: 'ReplicaSet',
    meta,
    selector,
    templateLabels,
    replicas: replicas(spec),
    status: replicaStatus(status),
    conditions: slimConditions(status.conditions),
  };
});

export const slimStatefulSet = checked(function slimStatefulSet(raw: Raw): StatefulSet {
  const { meta, spec, status, selector, templateLabels } = slimWorkload(raw, false);
  return {
    kind: 'StatefulSet',
    meta,
    selector,
    templateLabels,
    replicas: replicas(spec),
    serviceName: str(spec.serviceName, 'spec.serviceName'),
    status: replicaStatus(status),
  };
});

export const slimDaemonSet = checked(function slimDaemonSet(raw: Raw): DaemonSet {
  const { meta, status, selector, templateLabels } = slimWorkload(raw, false);
  return {
    kind: 'DaemonSet',
    meta,
    selector,
    templateLabels,
    status: {
      desiredNumberScheduled: int(status.desiredNumberScheduled, 'status.desiredNumberScheduled') ?? 0,
      numberReady: int(status.numberReady, 'status.numberReady') ?? 0,
      numberAvailable: int(status.numberAvailable, 'status.numberAvailable') ?? 0,
    },
  };
});

function rawTemplate(labels: Record<string, string>): Raw {
  return { metadata: { labels: Object.keys(labels).length > 0 ? labels : undefined } };
}

function rawConditions(conditions: WorkloadCondition[]): Raw[] | undefined {
  return nonEmpty(conditions.map((c) => ({ ...c })));
}

export function rawDeployment(d: Deployment): Raw {
  return {
    spec: {
      replicas: d.replicas,
      paused: d.paused || undefined,
      selector: rawLabelSelector(d.selector),
      template: rawTemplate(d.templateLabels),
    },
    status: { ...d.status, conditions: rawConditions(d.conditions) },
  };
}

export function rawReplicaSet(r: ReplicaSet): Raw {
  return {
    spec: { replicas: r.replicas, selector: rawLabelSelector(r.selector), template: rawTemplate(r.templateLabels) },
    status: { ...r.status, conditions: rawConditions(r.conditions) },
  };
}

export function rawStatefulSet(s: StatefulSet): Raw {
  return {
    spec: {
      replicas: s.replicas,
      serviceName: s.serviceName,
      selector: rawLabelSelector(s.selector),
      template: rawTemplate(s.templateLabels),
    },
    status: { ...s.status },
  };
}

export function rawDaemonSet(d: DaemonSet): Raw {
  return {
    spec: { selector: rawLabelSelector(d.selector), template: rawTemplate(d.templateLabels) },
    status: { ...d.status },
  };
}
