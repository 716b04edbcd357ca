import { workloadScaledToZero } from '../../src/checks/workload-scaled-to-zero.js';
import { ownedPod, pod, service, workload } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const REPLICA_FAILURE = {
  type: 'ReplicaFailure',
  status: 'True',
  reason: 'FailedCreate',
  message: 'pods "web-7f9c-x" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=4, limited: cpu=4',
};

ruleTester(workloadScaledToZero, {
  valid: [
    {
      name: 'the Deployment runs pods that match: the selector matches, nothing is missing',
      objects: [
        service('web'),
        workload('Deployment', 'web'),
        ownedPod('web-7f9c-a', { kind: 'ReplicaSet', name: 'web-7f9c' }),
      ],
    },
    {
      name: 'a scaled-down Deployment whose template the selector does not match says nothing about the Service',
      objects: [service('web'), workload('Deployment', 'api', { labels: { app: 'api' }, replicas: 0 })],
    },
    {
      name: 'pods of another workload match: an idle canary at 0 replicas leaves the Service served',
      objects: [
        service('web'),
        workload('Deployment', 'web'),
        workload('Deployment', 'web-canary', { labels: { app: 'web', track: 'canary' }, replicas: 0 }),
        pod('web-1'),
      ],
    },
    {
      name: 'spec.replicas left out is 1, not 0 (docs/kubernetes-semantics.md#replicas-pausing-and-daemonset-placement)',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: null, status: { replicas: 0, availableReplicas: 0 } }),
      ],
    },
    {
      name: 'a Deployment that wants pods but cannot create them is workload-cannot-create-pods, not this check',
      objects: [
        service('web'),
        workload('Deployment', 'web', {
          replicas: 3,
          status: { replicas: 0, availableReplicas: 0 },
          conditions: [REPLICA_FAILURE],
        }),
      ],
    },
    {
      name: 'a workload in another namespace is not behind the Service (a Service selects only in its namespace)',
      objects: [service('web'), workload('Deployment', 'web', { ns: 'other', replicas: 0 })],
    },
    {
      name: 'a paused Deployment with available replicas: pausing stops rollouts, not pods',
      objects: [service('web', { selector: { app: 'api' } }), workload('Deployment', 'web', { paused: true })],
    },
    {
      name: 'workloads not read: the check is skipped, not passed',
      objects: [service('web'), workload('Deployment', 'web', { replicas: 0 })],
      coverage: { daemonSets: false },
    },
  ],
  invalid: [
    {
      name: 'the Deployment whose template the selector matches is scaled to 0 (docs/kubernetes-semantics.md#replicas-pausing-and-daemonset-placement)',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 0, status: {} }),
        workload('ReplicaSet', 'web-7f9c', {
          labels: { app: 'web', 'pod-template-hash': '7f9c' },
          replicas: 0,
          owner: { kind: 'Deployment', name: 'web' },
        }),
      ],
      findings: [
        {
          reason: 'scaledToZero',
          message: ['selector app=web matches no pod', 'pod template of Deployment web, which is scaled to 0 replicas'],
          fix: 'kubectl scale deployment/web -n shop --replicas=N',
        },
      ],
    },
    {
      name: 'a StatefulSet at 0 replicas, and a ReplicaSet at 0 with no Deployment over it',
      objects: [
        service('db', { selector: { app: 'db' } }),
        workload('StatefulSet', 'db', { labels: { app: 'db' }, replicas: 0 }),
        workload('ReplicaSet', 'db-legacy', { labels: { app: 'db', gen: 'old' }, replicas: 0 }),
      ],
      findings: [
        {
          reason: 'scaledToZero',
          message: ['StatefulSet db'],
          fix: 'kubectl scale statefulset/db -n shop --replicas=N',
        },
        { reason: 'scaledToZero', message: ['ReplicaSet db-legacy'], fix: 'kubectl scale replicaset/db-legacy' },
      ],
    },
    {
      name: 'a Deployment created paused has no ReplicaSet and no pod (docs/kubernetes-semantics.md#replicas-pausing-and-daemonset-placement)',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 3, paused: true, status: { replicas: 0, availableReplicas: 0 } }),
      ],
      findings: [
        {
          reason: 'pausedWithoutPods',
          message: ['Deployment web, which is paused with no available replica (3 wanted)'],
          fix: 'kubectl rollout resume deployment/web -n shop',
        },
      ],
    },
    {
      name: 'a DaemonSet that wants a pod on no node (desiredNumberScheduled 0)',
      objects: [
        service('agent', { selector: { app: 'agent' } }),
        workload('DaemonSet', 'agent', { labels: { app: 'agent' }, replicas: 0 }),
      ],
      findings: [
        {
          reason: 'noNodeWanted',
          message: ['DaemonSet agent, which wants a pod on no node'],
          fix: 'kubectl get daemonset/agent -n shop -o yaml',
        },
      ],
    },
    {
      name: 'names from the cluster are shell-quoted in the command',
      objects: [service('web', { ns: 'team a' }), workload('Deployment', "web's", { ns: 'team a', replicas: 0 })],
      findings: [{ reason: 'scaledToZero', fix: `kubectl scale 'deployment/web'\\''s' -n 'team a' --replicas=N` }],
    },
  ],
});
