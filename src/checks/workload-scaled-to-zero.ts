// The selector matches no pod because the workload whose pod template it matches wants none:
// scaled to 0 replicas, a paused Deployment that never rolled out, or a DaemonSet that wants a
// pod on no node (docs/kubernetes-semantics.md#workloads-behind-the-pods). The selector is right;
// selector-no-match stays quiet about such a Service, so that nobody hunts for a typo.

import { formatLabels } from '../core/selectors.js';
import { workloadName, workloadRef } from '../model/workloads.js';
import { kubectl, workloadsWithoutPods } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

const PICKS = 'selector {{selector}} matches no pod, but it matches the pod template of {{workload}}';

export const workloadScaledToZero: Check = {
  id: 'workload-scaled-to-zero',
  severity: 'error',
  title: 'The workload behind the selector wants no pods',
  explanation:
    "No pod carries the selector's labels, but the pod template of a Deployment, ReplicaSet, StatefulSet or " +
    'DaemonSet in the namespace does: the selector is right, and the workload runs no pod because it is asked for ' +
    'none. spec.replicas is 0 (kubectl scale --replicas=0, an autoscaler that scales to zero such as KEDA, a ' +
    'GitOps value); or the Deployment is paused and has no available replica (a paused Deployment creates no new ' +
    'ReplicaSet, so one created or changed while paused never gets pods); or a DaemonSet wants a pod on no node ' +
    '(no node fits its node selector, affinity and tolerations).',
  fix:
    'Scale the workload up (kubectl scale deployment/NAME -n NS --replicas=N), resume the Deployment (kubectl rollout ' +
    'resume), or correct the DaemonSet placement. A Service scaled to zero on purpose: endpoints-doctor/ignore.',
  messages: {
    scaledToZero: `${PICKS}, which is scaled to 0 replicas`,
    pausedWithoutPods: `${PICKS}, which is paused with no available replica ({{replicas}} wanted): a paused Deployment rolls out no new ReplicaSet`,
    noNodeWanted: `${PICKS}, which wants a pod on no node (desiredNumberScheduled 0): no node fits its node selector, affinity and tolerations`,
  },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods', 'deployments', 'replicaSets', 'statefulSets', 'daemonSets'],
  appliesTo: (view) => view.matched.length === 0,
  run(view, model) {
    const { namespace } = view.service.meta;
    const selector = formatLabels(view.service.selector!);
    const drafts: FindingDraft[] = [];
    for (const { workload: w, why } of workloadsWithoutPods(view, model)) {
      if (!why || why.cause === 'cannotCreate') continue;
      const data = { selector, workload: workloadName(w) };
      const ref = workloadRef(w);
      if (why.cause === 'scaledToZero') {
        const scale = kubectl('scale', ref, '-n', namespace, '--replicas=N');
        drafts.push({
          reason: 'scaledToZero',
          data,
          fix: `scale it to the number of pods it should run: ${scale} (an autoscaler that scales to zero, such as KEDA, does this on purpose)`,
        });
      } else if (why.cause === 'pausedWithoutPods') {
        drafts.push({
          reason: 'pausedWithoutPods',
          data: { ...data, replicas: w.kind === 'Deployment' ? w.replicas : 0 },
          fix: `resume its rollout: ${kubectl('rollout', 'resume', ref, '-n', namespace)}`,
        });
      } else {
        drafts.push({
          reason: 'noNodeWanted',
          data,
          fix:
            `compare its nodeSelector, affinity and tolerations with the nodes' labels and taints: ` +
            `${kubectl('get', ref, '-n', namespace, '-o', 'yaml')}; ${kubectl('get', 'nodes', '--show-labels')}`,
        });
      }
    }
    return drafts;
  },
};
