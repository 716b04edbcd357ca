// A headless Service is resolved by cluster DNS, which builds records only from endpoints with
// ready: true (docs/kubernetes-semantics.md#headless-services). Without publishNotReadyAddresses, a pod that is not
// ready has no record, including its per-pod name <hostname>.<service>.<namespace>.svc: peers
// of a StatefulSet that must find each other before they turn ready (cluster bootstrap, quorum)
// cannot. Only pods that have such a per-pod name are reported: for a headless Service used for
// client-side load balancing, leaving unready pods out of DNS is exactly what is wanted.

import type { MatchedPod } from '../model/service-view.js';
import type { Service } from '../core/objects.js';
import { agree, MAX_PODS, listSome, patchService, plural } from './helpers.js';
import type { Check } from './types.js';
import type { FindingPod } from '../core/findings.js';

const MAX_NAMES = 3;

/** ShouldSetHostname (docs/kubernetes-semantics.md#endpoint-conditions-and-fields): the endpoint carries a hostname, so DNS has a per-pod name for it. */
function perPodName(m: MatchedPod, service: Service): string | undefined {
  const { pod } = m;
  if (!pod.hostname || pod.subdomain !== service.meta.name || pod.meta.namespace !== service.meta.namespace)
    return undefined;
  return `${pod.hostname}.${service.meta.name}.${service.meta.namespace}.svc`;
}

export const headlessUnreadyDns: Check = {
  id: 'headless-unready-dns',
  severity: 'info',
  title: 'Unready pods of a headless Service have no DNS records',
  explanation:
    'Cluster DNS (CoreDNS) answers for a headless Service only with endpoints whose ready condition is true. A pod ' +
    'that is not ready, StatefulSet peers included, cannot be resolved by its per-pod name until it is ready, unless ' +
    'the Service sets publishNotReadyAddresses: true, which marks every endpoint ready. Members that must discover ' +
    'each other before they pass readiness (etcd, ZooKeeper, Cassandra, Elasticsearch bootstrap) wait for each other.',
  fix:
    'If peers must find each other before they are ready, set publishNotReadyAddresses: true on the governing ' +
    'headless Service (or give them a separate headless Service for discovery with it) and keep a normal Service for ' +
    'clients. Otherwise make the pods ready.',
  messages: {
    unreadyPodsUnresolvable:
      'headless Service without publishNotReadyAddresses: {{unready}} of {{withNames}} pods with per-pod DNS names ' +
      '{{is}} not ready and cannot be resolved ({{names}}); peers that discover each other through DNS before turning ' +
      'ready will wait',
  },
  notes: {
    onDownNodes:
      '; {{onDownNodes}} on NotReady or unreachable nodes {{downIs}} left out: publishing {{its}} address would ' +
      'not help',
  },
  appliesToServices: { backends: ['selector'], addresses: ['headless'] },
  requires: ['pods'],
  appliesTo: (view) => !view.service.publishNotReadyAddresses,
  run(view, model) {
    const { service } = view;
    if (service.publishNotReadyAddresses) return [];
    // Terminating pods are leaving: dropping their records is intended. Pods that are no endpoint at
    // all (no IP yet, finished) would not be published by publishNotReadyAddresses either.
    const candidates = view.matched
      .filter((m) => m.state.shouldBeListed && !m.state.ready && !m.state.terminating)
      .map((m) => ({ m, dns: perPodName(m, service) }))
      .filter((x): x is { m: MatchedPod; dns: string } => x.dns !== undefined);
    // A pod on a NotReady or unreachable node is not ready because the node is down (docs/kubernetes-semantics.md#pod-readiness
    // MarkPodsNotReady): publishNotReadyAddresses would hand out an address nobody answers.
    const onDeadNode = (m: MatchedPod) => {
      const node = m.pod.nodeName ? model.node(m.pod.nodeName) : undefined;
      return node !== undefined && node.ready !== 'True';
    };
    const unready = candidates.filter((x) => !onDeadNode(x.m));
    const deadNode = candidates.length - unready.length;
    if (unready.length === 0) return [];

    const withNames = view.matched.filter((m) => perPodName(m, service) !== undefined).length;
    const dnsNames = listSome(
      unready.map((x) => x.dns),
      MAX_NAMES,
    );
    const pods: FindingPod[] = unready.slice(0, MAX_PODS).map(({ m, dns }) => ({
      name: m.pod.meta.name,
      cause: `${dns} does not resolve: ${m.state.cause ?? 'not ready'}`,
    }));
    return [
      {
        reason: 'unreadyPodsUnresolvable',
        data: {
          unready: unready.length,
          withNames,
          is: agree(unready.length, 'is', 'are'),
          names: dnsNames,
          onDownNodes: plural(deadNode, 'more pod'),
          downIs: agree(deadNode, 'is', 'are'),
          its: agree(deadNode, 'its', 'their'),
        },
        notes: deadNode > 0 ? ['onDownNodes'] : [],
        pods,
        fix:
          'if peers must resolve each other before they are ready: ' +
          patchService(service, { spec: { publishNotReadyAddresses: true } }),
      },
    ];
  },
};
