import { workloadCannotCreatePods } from '../../src/checks/workload-cannot-create-pods.js';
import { event, ownedPod, service, workload } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const failure = (message: string) => ({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message });
const QUOTA = 'pods "web-7f9c-x" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=4, limited: cpu=4';
const NOTHING_RUNS = { replicas: 0, readyReplicas: 0, availableReplicas: 0 };
const PSA =
  'pods "db-0" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "db")';
const rs = workload('ReplicaSet', 'web-7f9c', {
  labels: { app: 'web', 'pod-template-hash': '7f9c' },
  replicas: 3,
  owner: { kind: 'Deployment', name: 'web' },
  status: NOTHING_RUNS,
});
/** A StatefulSet wanting 3 pods and running none: it sets no condition, only FailedCreate events say why. */
const db = workload('StatefulSet', 'db', { labels: { app: 'web' }, replicas: 3, status: NOTHING_RUNS });

/** A Deployment wanting 3 pods, with its ReplicaSet that failed to create them. */
function failing(message: string, onDeployment = true) {
  return [
    workload('Deployment', 'web', {
      replicas: 3,
      status: NOTHING_RUNS,
      conditions: onDeployment ? [failure(message)] : [],
    }),
    workload('ReplicaSet', 'web-7f9c', {
      labels: { app: 'web', 'pod-template-hash': '7f9c' },
      replicas: 3,
      owner: { kind: 'Deployment', name: 'web' },
      status: NOTHING_RUNS,
      conditions: [failure(message)],
    }),
  ];
}

ruleTester(workloadCannotCreatePods, {
  valid: [
    {
      name: 'pods exist: whatever the condition says, the selector matches (the check is about Services without pods)',
      objects: [service('web'), ...failing(QUOTA), ownedPod('web-7f9c-a', { kind: 'ReplicaSet', name: 'web-7f9c' })],
    },
    {
      name: 'ReplicaFailure False is no failure (the controller removes or clears it once a create succeeds)',
      objects: [
        service('web'),
        workload('Deployment', 'web', {
          replicas: 3,
          status: NOTHING_RUNS,
          conditions: [{ type: 'ReplicaFailure', status: 'False' }],
        }),
      ],
    },
    {
      name: 'an old ReplicaSet its Deployment scaled to 0 is asked for no pods: its failure is history',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 3, status: NOTHING_RUNS }),
        workload('ReplicaSet', 'web-old', {
          labels: { app: 'web', 'pod-template-hash': 'old' },
          replicas: 0,
          owner: { kind: 'Deployment', name: 'web' },
          conditions: [failure(QUOTA)],
        }),
      ],
    },
    {
      name: 'scaled to 0 it wants nothing: workload-scaled-to-zero says so',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 0, status: NOTHING_RUNS, conditions: [failure(QUOTA)] }),
      ],
    },
    {
      name: 'a failing workload the selector does not pick',
      objects: [
        service('web'),
        workload('Deployment', 'api', { labels: { app: 'api' }, replicas: 2, conditions: [failure(QUOTA)] }),
      ],
    },
    {
      name: 'a FailedCreate event of an earlier StatefulSet of the same name (another uid) is no evidence about this one',
      objects: [
        service('web'),
        db,
        event(db, 'FailedCreate', `create Pod db-0 in StatefulSet db failed error: ${PSA}`, {
          uid: 'uid-statefulset-db-before',
        }),
      ],
    },
    {
      name: 'a Normal event is no failure',
      objects: [
        service('web'),
        db,
        event(db, 'SuccessfulCreate', 'create Pod db-0 in StatefulSet db successful', { type: 'Normal' }),
      ],
    },
    {
      name: 'ReplicaSets not read: skipped, never passed on a guess',
      objects: [service('web'), ...failing(QUOTA)],
      coverage: { replicaSets: false },
    },
  ],
  invalid: [
    {
      name: "quota exceeded: the ReplicaSet controller's ReplicaFailure, copied to the Deployment, quoted (docs/kubernetes-semantics.md#when-a-controller-cannot-create-pods)",
      objects: [service('web'), ...failing(QUOTA)],
      findings: [
        {
          reason: 'replicaFailure',
          message: [
            'pod template of Deployment web, which wants 3 and cannot create them',
            `it has the ReplicaFailure condition FailedCreate: "${QUOTA}"`,
          ],
          fix: 'kubectl describe resourcequota -n shop',
        },
      ],
    },
    {
      name: "the Deployment's copy lags a sync behind: its ReplicaSet's condition is the evidence",
      objects: [
        service('web'),
        ...failing(
          'pods "web-7f9c-" is forbidden: error looking up service account shop/web: serviceaccount "web" not found',
          false,
        ),
      ],
      findings: [
        {
          reason: 'replicaFailure',
          message: [
            'ReplicaSet web-7f9c has the ReplicaFailure condition FailedCreate',
            'serviceaccount "web" not found',
          ],
          fix: 'kubectl get serviceaccounts -n shop',
        },
      ],
    },
    {
      name: 'Pod Security admission refuses the pods of a ReplicaSet alone',
      objects: [
        service('web'),
        workload('ReplicaSet', 'web', {
          replicas: 1,
          status: NOTHING_RUNS,
          conditions: [
            failure(
              'pods "web-x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
            ),
          ],
        }),
      ],
      findings: [
        {
          reason: 'replicaFailure',
          message: ['ReplicaSet web, which wants 1'],
          fix: 'kubectl get namespace shop --show-labels',
        },
      ],
    },
    {
      name: 'an admission webhook denies them; a long message is cut to one line',
      objects: [
        service('web'),
        ...failing(`admission webhook "policy.example.com" denied the request:\n${'x'.repeat(400)} end`),
      ],
      findings: [
        {
          reason: 'replicaFailure',
          message: ['admission webhook "policy.example.com" denied the request: xxx', 'xx…xx', 'xxx end"'],
          fix: 'the webhook named in the message refused the pod',
        },
      ],
    },
    {
      name: "a StatefulSet sets no condition: its controller's FailedCreate event is the evidence (docs/kubernetes-semantics.md#when-a-controller-cannot-create-pods)",
      objects: [
        service('web'),
        db,
        event(db, 'FailedCreate', `create Pod db-0 in StatefulSet db failed error: ${PSA}`),
      ],
      findings: [
        {
          reason: 'replicaFailure',
          message: [
            'pod template of StatefulSet db, which wants 3',
            `it has the Warning event FailedCreate: "create Pod db-0`,
          ],
          fix: 'kubectl get namespace shop --show-labels',
        },
      ],
    },
    {
      name: "a Deployment's ReplicaSet with a FailedCreate event and no condition: the event is the evidence",
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 3, status: NOTHING_RUNS }),
        rs,
        event(rs, 'FailedCreate', `Error creating: ${QUOTA}`),
      ],
      findings: [
        {
          reason: 'replicaFailure',
          message: ['ReplicaSet web-7f9c has the Warning event FailedCreate: "Error creating: pods'],
          fix: 'kubectl describe resourcequota -n shop',
        },
      ],
    },
    {
      name: 'any other refusal: describe the workload',
      objects: [service('web'), ...failing('Internal error occurred: etcdserver: request timed out')],
      findings: [{ reason: 'replicaFailure', fix: 'kubectl describe deployment/web -n shop' }],
    },
  ],
});
