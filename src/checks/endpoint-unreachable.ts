// Connections to a ready endpoint time out or find no route: something on the way drops them
// (docs/kubernetes-semantics.md#what-a-connection-tells).

import { connectPods, kubectl, listSome, targetText, triedEndpoints } from './helpers.js';
import type { ConnectCheck } from './types.js';

export const endpointUnreachable: ConnectCheck = {
  id: 'endpoint-unreachable',
  severity: 'warning',
  title: 'Connections to a ready endpoint time out or find no route',
  explanation:
    'A connect that gets no answer within the timeout was dropped on the way: a NetworkPolicy enforced by dropping, ' +
    'a firewall, or a node that is down; one that ends with "no route to host" or "network unreachable" found no ' +
    'way to the address at all. Either way the endpoint, although Ready, does not answer from where the check ran. ' +
    'From a machine outside the cluster network, pod addresses may simply not be routed there.',
  fix:
    "Check the NetworkPolicies that select the endpoint's pods (kubectl get networkpolicy -n NAMESPACE), the " +
    'node it runs on, and whether the vantage point is on the cluster network; try again from a pod with ' +
    '--connect-from once that is available.',
  messages: {
    timesOut:
      '{{count}} of {{ready}} ready endpoints do not answer from {{vantage}} ({{targets}}): connections time out',
    noRoute: '{{count}} of {{ready}} ready endpoints are unreachable from {{vantage}} ({{targets}}): no route',
  },
  input: 'connect',
  run(port, model) {
    const ready = triedEndpoints(port, true);
    const namespace = port.service.meta.namespace;
    const reasons = [
      { reason: 'timesOut', result: 'timeout' },
      { reason: 'noRoute', result: 'unreachable' },
    ] as const;
    return reasons.flatMap(({ reason, result }) => {
      const failing = ready.filter((e) => e.answer.result === result);
      if (failing.length === 0) return [];
      return [
        {
          reason,
          data: {
            count: failing.length,
            ready: ready.length,
            vantage: port.vantage,
            targets: listSome(failing.map(targetText)),
          },
          pods: connectPods(port, failing, model),
          fix: kubectl('get', 'networkpolicy', '-n', namespace),
        },
      ];
    });
  },
};
