import { headlessUnreadyDns } from '../../src/checks/headless-unready-dns.js';
import { node, pod, service, type PodOptions } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const headless = (spec: Record<string, unknown> = {}, ports?: Record<string, unknown>[]) =>
  service('db', { selector: { app: 'db' }, ports, spec: { clusterIP: 'None', clusterIPs: ['None'], ...spec } });
/** A StatefulSet pod of the "db" set: hostname = pod name, subdomain = the governing Service. */
const member = (name: string, o: PodOptions = {}) =>
  pod(name, { labels: { app: 'db' }, ...o, spec: { hostname: name, subdomain: 'db', ...o.spec } });
const nodeA = node('node-a');

ruleTester(headlessUnreadyDns, {
  valid: [
    {
      name: 'every StatefulSet member is ready: all have DNS records (docs/kubernetes-semantics.md#headless-services)',
      objects: [headless(), member('db-0'), member('db-1'), nodeA],
    },
    {
      name: 'publishNotReadyAddresses: true marks every endpoint ready (docs/kubernetes-semantics.md#endpoint-conditions-and-fields), so DNS publishes unready members (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        headless({ publishNotReadyAddresses: true }),
        member('db-0'),
        member('db-1', { waiting: 'CrashLoopBackOff' }),
        nodeA,
      ],
    },
    {
      name: 'a ClusterIP Service is reached through kube-proxy, not per-pod DNS: not this check',
      objects: [service('db', { selector: { app: 'db' } }), member('db-0'), member('db-1', { ready: false }), nodeA],
    },
    {
      name: 'headless over Deployment pods (no per-pod names): leaving unready pods out of DNS is the intended load balancing',
      objects: [
        headless(),
        pod('api-1', { labels: { app: 'db' } }),
        pod('api-2', { labels: { app: 'db' }, ready: false }),
        nodeA,
      ],
    },
    {
      name: 'a hostname whose subdomain names another Service gives no per-pod name here (docs/kubernetes-semantics.md#endpoint-conditions-and-fields ShouldSetHostname)',
      objects: [headless(), member('db-0'), member('db-1', { ready: false, spec: { subdomain: 'db-peers' } }), nodeA],
    },
    {
      name: 'a terminating member is leaving: dropping its record is intended',
      objects: [headless(), member('db-0'), member('db-1', { terminating: true, ready: false }), nodeA],
    },
    {
      name: 'a member without an IP is in no slice (docs/kubernetes-semantics.md#which-pods-become-endpoints): publishNotReadyAddresses would not publish it either',
      objects: [headless(), member('db-0'), member('db-1', { ip: null, ready: false }), nodeA],
    },
    {
      name: 'a finished member is never an endpoint (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [headless(), member('db-0'), member('db-1', { phase: 'Failed', ready: false }), nodeA],
    },
    {
      name: 'selectorless headless Services have no matched pods (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [
        service('db', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        member('db-1', { ready: false }),
        nodeA,
      ],
    },
    {
      name: 'the only unready member is on an unreachable node (docs/kubernetes-semantics.md#pod-readiness MarkPodsNotReady): publishNotReadyAddresses would publish a dead address',
      objects: [
        headless(),
        member('db-0'),
        member('db-1', { node: 'node-b', ready: false }),
        nodeA,
        node('node-b', { ready: 'Unknown' }),
      ],
    },
    {
      name: 'unready members on a NotReady node (docs/kubernetes-semantics.md#pod-readiness): not a DNS bootstrap problem',
      objects: [
        headless(),
        member('db-0', { node: 'node-b', ready: false }),
        member('db-1', { node: 'node-b', ready: false }),
        node('node-b', { ready: 'False' }),
      ],
    },
    {
      name: 'ExternalName Services have no endpoints (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('db', { type: 'ExternalName', selector: { app: 'db' }, spec: { externalName: 'db.example.com' } }),
        member('db-1', { ready: false }),
        nodeA,
      ],
    },
  ],
  invalid: [
    {
      name: 'unready StatefulSet members have no DNS records without publishNotReadyAddresses (docs/kubernetes-semantics.md#headless-services CoreDNS serves ready endpoints only)',
      objects: [
        headless(),
        member('db-0'),
        member('db-1', { waiting: 'CrashLoopBackOff' }),
        member('db-2', { ready: false }),
        nodeA,
      ],
      findings: [
        {
          reason: 'unreadyPodsUnresolvable',
          message: [
            'headless Service without publishNotReadyAddresses',
            '2 of 3 pods',
            'db-1.db.shop.svc, db-2.db.shop.svc',
          ],
          pods: ['db-1', 'db-2'],
          causes: {
            'db-1': 'db-1.db.shop.svc does not resolve: container app waiting: CrashLoopBackOff',
            'db-2': 'not ready',
          },
          fix: `kubectl patch service db -n shop -p '{"spec":{"publishNotReadyAddresses":true}}'`,
        },
      ],
    },
    {
      name: 'a headless Service without ports still gets slices and DNS records (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping, docs/kubernetes-semantics.md#headless-services)',
      objects: [headless({}, []), member('db-0', { ready: false }), nodeA],
      findings: [{ reason: 'unreadyPodsUnresolvable', message: ['1 of 1 pods', 'is not ready'], pods: ['db-0'] }],
    },
    {
      name: 'a Pending member with an IP (init containers running) is an unready endpoint (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        headless(),
        member('db-0'),
        member('db-1', {
          phase: 'Pending',
          ready: false,
          initContainers: [{ name: 'init', image: 'busybox' }],
          status: { initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { running: {} } }] },
        }),
        nodeA,
      ],
      findings: [
        {
          reason: 'unreadyPodsUnresolvable',
          pods: ['db-1'],
          causes: { 'db-1': 'init container init is still running' },
        },
      ],
    },
    {
      name: 'a member on an unreachable node is left out, the one failing its probe on a healthy node stays (docs/kubernetes-semantics.md#headless-services, docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        headless(),
        member('db-0'),
        member('db-1', { ready: false }),
        member('db-2', { node: 'node-b', ready: false }),
        nodeA,
        node('node-b', { ready: 'Unknown' }),
      ],
      findings: [
        {
          reason: 'unreadyPodsUnresolvable',
          message: ['1 of 3 pods', 'db-1.db.shop.svc)', '1 more pod on NotReady or unreachable nodes is left out'],
          pods: ['db-1'],
        },
      ],
    },
    {
      name: 'the DNS name list is capped, the pods list is complete',
      objects: [headless(), ...['db-0', 'db-1', 'db-2', 'db-3', 'db-4'].map((n) => member(n, { ready: false })), nodeA],
      findings: [
        {
          reason: 'unreadyPodsUnresolvable',
          message: ['5 of 5 pods', 'db-2.db.shop.svc and 2 more'],
          pods: ['db-0', 'db-1', 'db-2', 'db-3', 'db-4'],
        },
      ],
    },
  ],
});
