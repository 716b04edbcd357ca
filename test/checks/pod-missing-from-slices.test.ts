import { podMissingFromSlices } from '../../src/checks/pod-missing-from-slices.js';
import { endpointOf, node, pod, service, slice, type PodOptions, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';
import { requiredObject } from '../support/required-fields.js';

const nodeA = node('node-a');
const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

/** A ready pod whose Ready condition turned True at `since`. */
function readySince(name: string, since: string, o: PodOptions = {}): Raw {
  return pod(name, {
    ...o,
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: since },
      { type: 'Ready', status: 'True', lastTransitionTime: since },
    ],
  });
}

const syncedAt = (time: string, endpoints = [endpointOf('web-1')]) =>
  slice('web', { annotations: { [TRIGGER]: time }, endpoints });

ruleTester(podMissingFromSlices, {
  valid: [
    {
      name: 'a consistent snapshot: every eligible pod is in a slice (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
    },
    {
      name: 'controller lag: the pod became Ready after the slices were last written (docs/kubernetes-semantics.md#labels-and-annotations-on-slices)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        readySince('web-2', '2026-11-01T10:00:05Z'),
        syncedAt('2026-11-01T10:00:00Z'),
      ],
    },
    {
      name: 'only ready pods are judged: a new unready pod may simply not be synced yet',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'pods that are not endpoints: finished, no IP, Node gone (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-done', { phase: 'Succeeded', ready: true }),
        pod('web-new', { ip: null }),
        pod('web-lost', { node: 'node-gone' }),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'an IPv4-only pod has no place in the slices of an IPv6 Service (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] } }),
        pod('web-1', { ips: ['10.9.2.1'] }),
        slice('web', { addressType: 'IPv6', ports: [], endpoints: [] }),
      ],
    },
    {
      name: 'dual-stack: a pod listed in the IPv6 slice only is in a slice (docs/kubernetes-semantics.md#one-slice-set-per-address-family)',
      objects: [
        nodeA,
        service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
        pod('web-1', { ips: ['fd00::21'] }),
        slice('web', { name: 'web-v4', ports: [], endpoints: [] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::21', pod: 'web-1' }] }),
      ],
    },
    {
      name: 'an endpoint without targetRef is matched by address',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { ip: '10.9.2.9' }),
        slice('web', { endpoints: [{ ip: '10.9.2.9' }] }),
      ],
    },
    {
      name: 'a terminating pod stays in the slices: listed as terminating (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { terminating: true }),
        slice('web', { endpoints: [endpointOf('web-1', { ready: false, terminating: true })] }),
      ],
    },
    {
      name: 'no EndpointSlices in the input: the check needs them and is skipped',
      objects: [nodeA, service('web'), pod('web-1')],
      coverage: { endpointSlices: false },
    },
    {
      name: 'a Service being deleted gets no slices (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)',
      objects: [
        nodeA,
        {
          ...service('web'),
          metadata: { ...requiredObject(service('web'), 'metadata'), deletionTimestamp: '2026-11-01T00:00:00Z' },
        },
        pod('web-1'),
        slice('other'),
      ],
    },
    {
      name: 'ExternalName and selectorless Services have no controller slices (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [
        nodeA,
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
        service('ext', { selector: null }),
        pod('web-1'),
        slice('other'),
      ],
    },
  ],
  invalid: [
    {
      name: 'a pod Ready before the slices were last written is missing from them',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        readySince('web-2', '2026-11-01T09:00:00Z'),
        syncedAt('2026-11-01T10:00:00Z'),
      ],
      findings: [
        {
          reason: 'readyPodsUnlisted',
          message: ['1 ready pod matching app=web is in no EndpointSlice', 'no Service traffic'],
          pods: ['web-2'],
          causes: { 'web-2': 'Ready with IP' },
          fix: 'kubectl get endpointslices -n shop -l kubernetes.io/service-name=web -o yaml',
        },
      ],
    },
    {
      name: 'an endpoint naming a same-named pod of another namespace does not list this one',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        (() => {
          const s = slice('web', { endpoints: [{ ip: '10.9.2.10', pod: 'web-1' }] });
          requiredObject(s, 'endpoints', 0, 'targetRef').namespace = 'other';
          return s;
        })(),
      ],
      findings: [
        {
          reason: 'readyPodsUnlisted',
          message: ['1 ready pod matching app=web is in no EndpointSlice'],
          pods: ['web-1'],
        },
      ],
    },
    {
      name: 'without a trigger time, lag cannot be ruled out and the message says so',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1')] })],
      findings: [{ reason: 'readyPodsUnlisted', message: ['controller lag cannot be ruled out'], pods: ['web-2'] }],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [
        nodeA,
        service('web'),
        pod('web-00'),
        ...many.map((name) => pod(name)),
        slice('web', { endpoints: [endpointOf('web-00')] }),
      ],
      findings: [
        {
          reason: 'readyPodsUnlisted',
          message: ['25 ready pods matching app=web are in no EndpointSlice', 'ruled out (first 20 listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
    {
      name: 'the Service has no slice at all, not even the placeholder (docs/kubernetes-semantics.md#slice-size-placeholder-and-owner)',
      objects: [nodeA, service('web'), pod('web-1'), slice('other')],
      findings: [{ reason: 'readyPodsUnlisted', message: ['not even the empty placeholder'], pods: ['web-1'] }],
    },
    {
      name: 'Nodes not read: the cause says a gone Node would explain it (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1')] })],
      coverage: { nodes: false },
      findings: [{ reason: 'readyPodsUnlisted', pods: ['web-2'], causes: { 'web-2': 'Nodes were not read' } }],
    },
    {
      name: 'publishNotReadyAddresses does not change it: a ready pod belongs in the slices (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [
        nodeA,
        service('web', { spec: { publishNotReadyAddresses: true } }),
        pod('web-1'),
        slice('web', { ports: [], endpoints: [] }),
      ],
      findings: [{ reason: 'readyPodsUnlisted', pods: ['web-1'] }],
    },
  ],
});
