// The selector matches the pod template of a workload that wants pods, but its controller
// cannot create them: the create call is refused (quota exceeded, an admission webhook or pod
// security denying it, a missing ServiceAccount) and the controller says so
// (docs/kubernetes-semantics.md#workloads-behind-the-pods). Its words are quoted. The evidence, the
// ReplicaFailure condition or a FailedCreate event, comes from model/workloads.ts's createFailure.

import { formatLabels } from '../core/selectors.js';
import { messageExcerpt } from '../model/pod-state.js';
import { desiredPods, workloadName, workloadRef, type CreateFailure } from '../model/workloads.js';
import { kubectl, workloadsWithoutPods } from './helpers.js';
import type { Check } from './types.js';

/** What to look at next, by what the controller's message says refused the pods. */
function failureFix(failure: CreateFailure, namespace: string): string {
  const message = failure.message ?? '';
  const describe = kubectl('describe', workloadRef(failure.on), '-n', namespace);
  if (/exceeded quota/i.test(message))
    return `raise the quota or lower the requests: ${kubectl('describe', 'resourcequota', '-n', namespace)}`;
  if (/violates PodSecurity/i.test(message))
    return `make the pod template meet the namespace's Pod Security level, or change the level: ${kubectl('get', 'namespace', namespace, '--show-labels')}`;
  if (/admission webhook/i.test(message))
    return `the webhook named in the message refused the pod: correct the template or the webhook's policy; ${describe}`;
  if (/serviceaccount/i.test(message))
    return `create the ServiceAccount the pod template names, or correct the name: ${kubectl('get', 'serviceaccounts', '-n', namespace)}`;
  return `read the controller's full message: ${describe}`;
}

export const workloadCannotCreatePods: Check = {
  id: 'workload-cannot-create-pods',
  severity: 'error',
  title: 'The workload behind the selector cannot create its pods',
  explanation:
    "No pod carries the selector's labels, and the Deployment or ReplicaSet whose pod template does wants pods " +
    'but its controller cannot create them: the API server refuses the create call (a ResourceQuota exceeded, an ' +
    'admission webhook or Pod Security admission denying the pod, a missing ServiceAccount), and the ReplicaSet ' +
    'controller sets the ReplicaFailure condition with the error, which the deployment controller copies to the ' +
    'Deployment. StatefulSets and DaemonSets set no condition: their controllers, like the ReplicaSet controller, ' +
    "record a FailedCreate Warning event on the workload. The controller's message is quoted.",
  fix:
    'Remove what refuses the pods: raise the quota or lower the requests, make the template meet the admission ' +
    "policy, create the ServiceAccount. `kubectl describe` on the ReplicaSet shows the controller's events.",
  messages: {
    replicaFailure:
      'selector {{selector}} matches no pod, but it matches the pod template of {{workload}}, which wants ' +
      '{{replicas}} and cannot create them: {{failedOn}} has the {{source}} {{reason}}: "{{message}}"',
  },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods', 'deployments', 'replicaSets'],
  appliesTo: (view) => view.matched.length === 0,
  run(view, model) {
    const { namespace } = view.service.meta;
    const selector = formatLabels(view.service.selector!);
    // Asked for no pods, a workload fails nothing (workload-scaled-to-zero says so): whyNoPods decides which.
    return workloadsWithoutPods(view, model).flatMap(({ workload: w, why }) => {
      if (why?.cause !== 'cannotCreate') return [];
      const { failure } = why;
      return [
        {
          reason: 'replicaFailure',
          data: {
            selector,
            workload: workloadName(w),
            replicas: desiredPods(w),
            failedOn: failure.on === w ? 'it' : workloadName(failure.on),
            source: failure.source,
            reason: failure.reason ?? '(no reason)',
            message: messageExcerpt(failure.message ?? ''),
          },
          fix: failureFix(failure, namespace),
        },
      ];
    });
  },
};
