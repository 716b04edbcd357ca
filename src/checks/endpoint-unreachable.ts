// Connections to a ready endpoint time out or find no route: something on the way drops them
// (docs/kubernetes-semantics.md#what-a-connection-tells).

import type { ClusterModel } from '../model/cluster.js';
import type { PortConnectivity, TargetAnswer } from '../model/connect-targets.js';
import { admitsEverySource } from '../model/network-policy.js';
import { ingressAdmission } from '../model/service-policies.js';
import { connectPods, kubectl, listSome, targetText, triedEndpoints } from './helpers.js';
import type { PortConnectCheck } from './types.js';

/**
 * What the NetworkPolicies say of the endpoints that did not answer: the policies that isolate
 * their pods for ingress on that port without admitting every source (they may drop this vantage
 * point's connections: whether they admit it depends on where it is), or that no policy isolates
 * any of them. Nothing when the policies or a pod are unknown (docs/kubernetes-semantics.md#networkpolicy).
 */
function policyNote(
  port: PortConnectivity,
  failing: TargetAnswer[],
  model: ClusterModel,
): { note: string; data: Record<string, string> } | undefined {
  const isolating = new Set<string>();
  for (const t of failing) {
    const ref = t.targetRef;
    const pod = ref?.kind === 'Pod' ? model.pod(ref.namespace ?? port.service.meta.namespace, ref.name) : undefined;
    if (!pod) return undefined;
    const admission = ingressAdmission(model, pod, t.port, port.port.protocol);
    if (admission.state === 'unread') return undefined;
    if (admission.state === 'isolated' && !admitsEverySource(admission)) {
      for (const policy of admission.policies) isolating.add(policy.meta.name);
    }
  }
  if (isolating.size === 0) return { note: 'policiesAdmit', data: {} };
  return { note: 'policiesIsolate', data: { policies: listSome([...isolating].sort()) } };
}

export const endpointUnreachable: PortConnectCheck = {
  id: 'endpoint-unreachable',
  severity: 'warning',
  title: 'Connections to a ready endpoint time out or find no route',
  explanation:
    'A connect that gets no answer within the timeout was dropped on the way: a NetworkPolicy enforced by dropping, ' +
    'a firewall, or a node that is down; one that ends with "no route to host" or "network unreachable" found no ' +
    'way to the address at all. Either way the endpoint, although Ready, does not answer from where the check ran. ' +
    'From a machine outside the cluster network, pod addresses may simply not be routed there. When the ' +
    "NetworkPolicies were read, a timeout's finding says whether any isolates the pods for ingress on that port " +
    'without admitting every source (whether it admits the vantage point depends on where that is), or that none does.',
  fix:
    "Check the NetworkPolicies that select the endpoint's pods (kubectl get networkpolicy -n NAMESPACE), the " +
    'node it runs on, and whether the vantage point is on the cluster network; from outside it, try again from a ' +
    'pod with --connect-from pod/NAME.',
  notes: {
    policiesIsolate:
      '; NetworkPolicies {{policies}} isolate them for ingress on that port and admit only some sources: they may drop these connections',
    policiesAdmit: '; no NetworkPolicy keeps any source from them on that port: look at the network and the nodes',
  },
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
      // A policy drops: it may explain a timeout, never a missing route.
      const policies = reason === 'timesOut' ? policyNote(port, failing, model) : undefined;
      return [
        {
          reason,
          data: {
            count: failing.length,
            ready: ready.length,
            vantage: port.vantage,
            targets: listSome(failing.map(targetText)),
            ...policies?.data,
          },
          notes: policies ? [policies.note] : [],
          pods: connectPods(port, failing, model),
          fix: kubectl('get', 'networkpolicy', '-n', namespace),
        },
      ];
    });
  },
};
