import { selectorNoMatch } from '../../src/checks/selector-no-match.js';
import { pod, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

ruleTester(selectorNoMatch, {
  valid: [
    { name: 'a pod carries every selector label (§1.1: AND of equalities)', objects: [service('web'), pod('web-1')] },
    {
      name: 'extra pod labels do not matter',
      objects: [service('web'), pod('web-1', { labels: { app: 'web', tier: 'fe', version: 'v2' } })],
    },
    {
      name: 'a finished pod still carries the labels: no-ready-endpoints explains it, not this check',
      objects: [service('web'), pod('web-1', { phase: 'Succeeded', ready: false })],
    },
    { name: 'selector {} is selectorless, not "matches nothing" (§1.1)', objects: [service('ext', { selector: {} })] },
    { name: 'no selector at all: selectorless', objects: [service('ext', { selector: null })] },
    {
      name: 'ExternalName ignores its selector (§5.1)',
      objects: [service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } })],
    },
  ],
  invalid: [
    {
      name: 'no pod in the namespace has the labels',
      objects: [service('web', { selector: { app: 'web' } }), pod('api-1', { labels: { app: 'api' } })],
      findings: [
        {
          message: ['selector app=web matches no pod in namespace shop'],
          pods: ['api-1'],
          causes: { 'api-1': 'has app=api, selector wants app=web' },
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
          message: ['2 pods match all but tier', 'they have tier=frontend, not fe'],
          pods: ['web-1', 'web-2', 'web-3'],
          causes: { 'web-3': 'lacks label tier' },
          fix: '"tier":"frontend"',
        },
      ],
    },
    {
      name: 'pods with all labels in another namespace never count (§1.1: own namespace only)',
      objects: [service('web'), pod('web-1', { ns: 'other' })],
      findings: [{ message: ['in namespace other'], pods: ['web-1'], causes: { 'web-1': 'in namespace other' } }],
    },
    {
      name: 'an empty namespace: says no pod carries the labels',
      objects: [service('web')],
      findings: [
        { message: ['no pod there carries these labels'], pods: [], fix: 'kubectl get pods -n shop --show-labels' },
      ],
    },
  ],
});
