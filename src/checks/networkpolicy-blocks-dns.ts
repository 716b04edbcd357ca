// With --from: the client is isolated for egress and no rule lets it reach the cluster DNS on
// port 53, so it cannot resolve the Service's name before any connection is tried
// (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies).

import { kubectl, POLICY_NOTES } from './helpers.js';
import type { FindingDraft, FromCheck } from './types.js';

export const networkpolicyBlocksDns: FromCheck = {
  id: 'networkpolicy-blocks-dns',
  severity: 'error',
  title: 'NetworkPolicies keep the client from the cluster DNS',
  explanation:
    'A pod that some NetworkPolicy of its namespace selects with Egress in its policyTypes is isolated for egress: ' +
    'it can send only what a rule of one of those policies admits. Pods resolve Service names through the cluster ' +
    'DNS, the pods behind Service kube-system/kube-dns, on port 53: over UDP, and over TCP when an answer is too ' +
    'large for UDP. A client whose egress rules admit neither reaches no Service by name, whatever the Service ' +
    "and its backends' policies allow; one whose rules admit UDP alone fails on large answers. Enforcement is the " +
    'network plugin’s: a plugin without NetworkPolicy support ignores them all.',
  fix:
    'Add an egress rule admitting UDP and TCP port 53 to the DNS pods (namespaceSelector ' +
    'kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns) to one of the policies that ' +
    'select the client, or in a new policy that selects it.',
  messages: {
    dnsBlocked:
      '{{client}} cannot resolve names: it is isolated for egress by {{policies}}, and no rule admits {{blocked}} to ' +
      '{{servers}}, so looking up {{service}} fails before any connection',
    tcpDnsBlocked:
      '{{client}} reaches the cluster DNS over UDP only: it is isolated for egress by {{policies}}, and no rule ' +
      'admits TCP 53 to {{servers}}, so answers too large for UDP (truncated) cannot be fetched',
  },
  severities: { tcpDnsBlocked: 'warning' },
  notes: { ifEnforced: POLICY_NOTES.ifEnforced },
  input: 'from',
  run(reachability, service, model) {
    const { dns } = reachability;
    if (!dns || dns.verdict !== 'blocked') return [];
    const udpBlocked = dns.udp === 'blocked';
    const finding: FindingDraft = {
      reason: udpBlocked ? 'dnsBlocked' : 'tcpDnsBlocked',
      data: {
        client: reachability.client,
        policies: `${dns.policies.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${dns.policies.join(', ')}`,
        blocked: dns.tcp === 'blocked' ? 'UDP 53 or TCP 53' : 'UDP 53',
        servers: dns.servers,
        service: `${service.meta.name}.${service.meta.namespace}.svc`,
      },
      notes: model.enforcingPlugin ? [] : ['ifEnforced'],
      ...(reachability.clientNamespace
        ? { fix: kubectl('describe', 'networkpolicy', '-n', reachability.clientNamespace, ...dns.policies) }
        : {}),
    };
    return [finding];
  },
};
