import { selectorNoMatch } from '../../src/checks/selector-no-match.js';
import { ownedPod, pod, service, workload } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(selectorNoMatch, {
  valid: [
    {
      name: 'a pod carries every selector label (docs/kubernetes-semantics.md#which-services-get-controller-slices: AND of equalities)',
      objects: [service('web'), pod('web-1')],
    },
    {
      name: 'extra pod labels do not matter',
      objects: [service('web'), pod('web-1', { labels: { app: 'web', tier: 'fe', version: 'v2' } })],
    },
    {
      name: 'a finished pod still carries the labels: no-ready-endpoints explains it, not this check',
      objects: [service('web'), pod('web-1', { phase: 'Succeeded', ready: false })],
    },
    {
      name: 'selector {} is selectorless, not "matches nothing" (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [service('ext', { selector: {} })],
    },
    { name: 'no selector at all: selectorless', objects: [service('ext', { selector: null })] },
    {
      name: 'ExternalName ignores its selector (docs/kubernetes-semantics.md#externalname-services)',
      objects: [service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } })],
    },
    {
      name: 'the Deployment behind the selector is scaled to 0: no typo, workload-scaled-to-zero says so (docs/kubernetes-semantics.md#replicas-pausing-and-daemonset-placement)',
      objects: [service('web'), workload('Deployment', 'web', { replicas: 0 })],
    },
    {
      name: 'the Deployment behind the selector cannot create its pods: workload-cannot-create-pods says so (docs/kubernetes-semantics.md#when-a-controller-cannot-create-pods)',
      objects: [
        service('web'),
        workload('Deployment', 'web', {
          replicas: 2,
          status: { replicas: 0, availableReplicas: 0 },
          conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' }],
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'a scaled-down Deployment, but not every workload kind was read: the checks that would explain it are skipped, so this one still says the template matches',
      objects: [service('web'), workload('Deployment', 'web', { replicas: 0 })],
      coverage: { statefulSets: false },
      findings: [
        {
          reason: 'templateWithoutPods',
          message: ['it matches the pod template of Deployment web, which wants 0 and has none'],
        },
      ],
    },
    {
      name: "the selector matches a workload's template that wants pods, and nothing in the input says why none exist: no typo to hunt",
      objects: [
        service('web'),
        workload('StatefulSet', 'web', { replicas: 3, status: { replicas: 0, readyReplicas: 0 } }),
        pod('api-1', { labels: { app: 'api' } }),
      ],
      findings: [
        {
          reason: 'templateWithoutPods',
          message: [
            'selector app=web matches no pod in namespace shop, but it matches the pod template of StatefulSet web, which wants 3 and has none',
          ],
          pods: [],
          fix: 'kubectl describe statefulset/web -n shop',
        },
      ],
    },
    {
      name: 'two workloads behind the selector, one scaled to 0 (workload-scaled-to-zero says so), one wanting pods with nothing to say why it has none: that one is named',
      objects: [
        service('web'),
        workload('Deployment', 'web', { replicas: 0 }),
        workload('StatefulSet', 'web-cache', { replicas: 2, status: { replicas: 0, readyReplicas: 0 } }),
      ],
      findings: [{ reason: 'templateWithoutPods', message: ['StatefulSet web-cache, which wants 2 and has none'] }],
    },
    {
      name: "no pod is alike (the workload runs none), but a Deployment's template misses by one label: the template is the near miss",
      objects: [
        service('web', { selector: { app: 'web', tier: 'frontend' } }),
        workload('Deployment', 'web', { labels: { app: 'web', tier: 'fe' }, selector: { app: 'web' }, replicas: 0 }),
      ],
      findings: [
        {
          reason: 'templateNearMiss',
          message: ["no pod is alike, but a pod template is: Deployment web's template has tier=fe, not frontend"],
          pods: [],
          fix: `'{"spec":{"selector":{"tier":"fe"}}}'; or set tier=frontend in the pod template of deployment/web (kubectl edit deployment/web -n shop)`,
        },
      ],
    },
    {
      name: 'templates of several workloads miss in different ways: which one the Service is for is not guessed',
      objects: [
        service('web', { selector: { app: 'web', tier: 'frontend' } }),
        workload('Deployment', 'web', { labels: { app: 'web', tier: 'fe' }, replicas: 0 }),
        workload('StatefulSet', 'cache', { labels: { app: 'cache', tier: 'frontend' }, replicas: 0 }),
      ],
      findings: [
        {
          reason: 'templateNearMiss',
          message: [
            "StatefulSet cache's template has app=cache, not web",
            "Deployment web's template has tier=fe, not frontend",
          ],
          fix: 'decide which workload the Service is for, then correct the selector or its pod template: kubectl get deployments,statefulsets,daemonsets -n shop -o wide',
        },
      ],
    },
    {
      name: "pods miss by a label their Deployment's template gives them: the fix names the template to edit, not a pod",
      objects: [
        service('web', { selector: { app: 'web', tier: 'frontend' } }),
        workload('Deployment', 'web', { labels: { app: 'web', tier: 'fe' }, selector: { app: 'web' } }),
        workload('ReplicaSet', 'web-7f9c', {
          labels: { app: 'web', tier: 'fe', 'pod-template-hash': '7f9c' },
          owner: { kind: 'Deployment', name: 'web' },
        }),
        ownedPod(
          'web-7f9c-a',
          { kind: 'ReplicaSet', name: 'web-7f9c' },
          { labels: { app: 'web', tier: 'fe', 'pod-template-hash': '7f9c' } },
        ),
      ],
      findings: [
        {
          reason: 'nearMissOtherValue',
          message: [
            "1 pod matches all but tier: it has tier=fe, not frontend (Deployment web's pod template makes them so)",
          ],
          pods: ['web-7f9c-a'],
          fix: 'or set tier=frontend in the pod template of deployment/web (kubectl edit deployment/web -n shop)',
        },
      ],
    },
    {
      name: "a template label the workload's own selector uses cannot change (apps/v1, docs/kubernetes-semantics.md#owner-references-and-template-labels): only the Service is offered",
      objects: [
        service('web', { selector: { app: 'web', tier: 'frontend' } }),
        workload('Deployment', 'web', { labels: { app: 'web', tier: 'fe' } }),
        ownedPod('web-7f9c-a', { kind: 'ReplicaSet', name: 'web-7f9c' }, { labels: { app: 'web', tier: 'fe' } }),
      ],
      findings: [
        {
          reason: 'nearMissOtherValue',
          fix: `point the selector at the pods: kubectl patch service web -n shop -p '{"spec":{"selector":{"tier":"fe"}}}' (the workload's own selector uses tier, so its template cannot change it)`,
        },
      ],
    },
    {
      name: "another application's pods (app=api, nothing like web) are no near miss of a one-label selector",
      objects: [service('web', { selector: { app: 'web' } }), pod('api-1', { labels: { app: 'api' } })],
      findings: [
        {
          reason: 'noPodAlike',
          message: [
            'selector app=web matches no pod in namespace shop',
            'no pod there carries these labels, or anything alike',
          ],
          pods: [],
        },
      ],
    },
    {
      name: 'one-label selector, the pods carry its value under another key (name=nginx-ingress vs app=nginx-ingress; syncService lists by labels.Set(selector))',
      objects: [
        service('ingress', { selector: { name: 'nginx-ingress' } }),
        pod('ingress-1', { labels: { app: 'nginx-ingress' } }),
        pod('ingress-2', { labels: { app: 'nginx-ingress' } }),
        pod('web-1', { labels: { app: 'web' } }),
      ],
      findings: [
        {
          reason: 'nearMissOtherKey',
          message: ['2 pods carry the value under another key: app=nginx-ingress, not name=nginx-ingress'],
          pods: ['ingress-1', 'ingress-2'],
          causes: { 'ingress-1': 'has app=nginx-ingress, selector wants name=nginx-ingress' },
          fix: `'{"spec":{"selector":{"name":null,"app":"nginx-ingress"}}}'`,
        },
      ],
    },
    {
      name: 'one-label selector, the pods have the key with an alike value (a typo)',
      docsExample: true,
      objects: [
        service('ingress', { selector: { app: 'nginx-ingres' } }),
        pod('ingress-1', { labels: { app: 'nginx-ingress' } }),
      ],
      findings: [
        {
          reason: 'nearMissOtherValue',
          message: ['1 pod matches all but app: it has app=nginx-ingress, not nginx-ingres'],
          pods: ['ingress-1'],
          fix: `'{"spec":{"selector":{"app":"nginx-ingress"}}}'`,
        },
      ],
    },
    {
      name: 'one-label selector with a flag value: other keys set to "true" say nothing about the application',
      objects: [service('web', { selector: { enabled: 'true' } }), pod('mesh-1', { labels: { injected: 'true' } })],
      findings: [{ reason: 'noPodAlike', message: ['no pod there carries these labels, or anything alike'], pods: [] }],
    },
    {
      name: 'two groups each miss by one label, as many pods each: the tie is listed and no group is picked for the fix',
      objects: [
        service('web', { selector: { app: 'web', tier: 'fe' } }),
        pod('web-1', { labels: { app: 'web', tier: 'backend' } }),
        pod('api-1', { labels: { app: 'api', tier: 'fe' } }),
      ],
      findings: [
        {
          reason: 'nearMissTie',
          message: [
            '2 groups of pods miss it equally, so which the Service is for is not clear',
            '1 pod matches all but app: it has app=api, not web',
            '1 pod matches all but tier: it has tier=backend, not fe',
          ],
          pods: ['web-1', 'api-1'],
          fix: 'decide which pods the Service is for, then correct the selector or their pod template: kubectl get pods -n shop --show-labels',
        },
      ],
    },
    {
      name: 'a tie on the same label: what the groups agree on is said, no value is picked',
      objects: [
        service('web', { selector: { app: 'web', tier: 'fe' } }),
        pod('web-1', { labels: { app: 'web', tier: 'backend' } }),
        pod('web-2', { labels: { app: 'web', tier: 'canary' } }),
      ],
      findings: [
        {
          reason: 'nearMissTie',
          message: ['2 groups of pods miss it equally'],
          fix: "every group has another tier than the selector's fe (backend or canary)",
        },
      ],
    },
    {
      name: 'near miss: pods match all but one label, named with the value they have',
      objects: [
        service('web', { selector: { app: 'web', tier: 'fe' } }),
        pod('web-1', { labels: { app: 'web', tier: 'frontend' } }),
        pod('web-2', { labels: { app: 'web', tier: 'frontend' } }),
        pod('web-3', { labels: { app: 'web' } }),
        pod('db-1', { labels: { app: 'db', tier: 'be' } }),
      ],
      findings: [
        {
          reason: 'nearMissOtherValue',
          message: ['2 pods match all but tier', 'they have tier=frontend, not fe'],
          pods: ['web-1', 'web-2', 'web-3'],
          causes: { 'web-3': 'lacks label tier' },
          fix: '"tier":"frontend"',
        },
      ],
    },
    {
      name: 'near miss: a pod lacks one selector label, and a pod with every label runs in another namespace',
      objects: [
        service('web', { selector: { app: 'web', tier: 'fe' } }),
        pod('web-1', { labels: { app: 'web' } }),
        pod('web-9', { ns: 'other', labels: { app: 'web', tier: 'fe' } }),
      ],
      findings: [
        {
          reason: 'nearMissLacksLabel',
          message: ['1 pod matches all but tier: it lacks it (want tier=fe)', '; 1 matching pod is in namespace other'],
          pods: ['web-1', 'web-9'],
          fix: 'add the label tier=fe to the pod template',
        },
      ],
    },
    {
      name: 'pods with all labels in another namespace never count (docs/kubernetes-semantics.md#which-services-get-controller-slices: own namespace only)',
      objects: [service('web'), pod('web-1', { ns: 'other' })],
      findings: [
        {
          reason: 'podsInOtherNamespace',
          message: ['in namespace other'],
          pods: ['web-1'],
          causes: { 'web-1': 'in namespace other' },
        },
      ],
    },
    {
      name: 'an empty namespace: says no pod carries the labels',
      objects: [service('web')],
      findings: [
        {
          reason: 'noPodAlike',
          message: ['no pod there carries these labels'],
          pods: [],
          fix: 'kubectl get pods -n shop --show-labels',
        },
      ],
    },
  ],
});
