import { selectorNoMatch } from '../../src/checks/selector-no-match.js';
import { pod, service } from '../support/objects.js';
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
  ],
  invalid: [
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
