import { networkpolicyBlocksBackends } from '../../src/checks/networkpolicy-blocks-backends.js';
import { endpointOf, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

/** Service web (port 80, targetPort http = 8080 on the pods) with ready backends web-1 and web-2. */
function web(pods: Raw[] = [pod('web-1'), pod('web-2')]): Raw[] {
  const names = pods.map((p) => (p.metadata as { name: string }).name);
  return [service('web'), ...pods, slice('web', { endpoints: names.map((n) => endpointOf(n)) })];
}
const denyAll = networkPolicy('deny-all', {});
const allow = (ports: Raw[], name = 'allow-web') =>
  networkPolicy(name, { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports }] });

ruleTester(networkpolicyBlocksBackends, {
  valid: [
    {
      name: 'no NetworkPolicy selects the pods: they accept everything (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: web(),
    },
    {
      name: 'a default-deny and a rule admitting the targetPort 8080: additive (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), denyAll, allow([{ port: 8080 }])],
    },
    {
      name: "a rule admitting the container port's name (docs/kubernetes-semantics.md#ports-and-protocols)",
      objects: [...web(), denyAll, allow([{ port: 'http' }])],
    },
    {
      name: 'a rule admitting a range holding 8080 (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), denyAll, allow([{ port: 8000, endPort: 8100 }])],
    },
    {
      name: 'a rule admitting from some sources only: not shut, networkpolicy-restricts-sources names them (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        networkPolicy('from-front', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }],
        }),
      ],
    },
    {
      name: 'an egress-only policy does not isolate ingress (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), networkPolicy('egress', { policyTypes: ['Egress'] })],
    },
    {
      name: 'a default-deny of another namespace does nothing here (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), networkPolicy('deny-all', {}, { ns: 'other' })],
    },
    {
      name: 'a policy selecting other pods (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), networkPolicy('deny-db', { podSelector: { matchLabels: { app: 'db' } } })],
    },
    {
      name: 'only one of two backends shut: networkpolicy-blocks-some-backends reports it (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [
        ...web([pod('web-1'), pod('web-2', { labels: { app: 'web', canary: 'true' } })]),
        networkPolicy('deny-canary', { podSelector: { matchLabels: { canary: 'true' } } }),
      ],
    },
    {
      name: 'a hostNetwork backend gets no verdict (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods)',
      objects: [...web([pod('web-1', { spec: { hostNetwork: true } })]), denyAll],
    },
    {
      name: 'NetworkPolicies not read: skipped, never a guess (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web(), denyAll],
      coverage: { networkPolicies: false },
    },
  ],
  invalid: [
    {
      name: 'a default-deny with no allow rule shuts every backend (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), denyAll],
      findings: [
        {
          reason: 'shut',
          port: 'http 80/TCP',
          message: [
            'every ready backend of http 80/TCP (2 pods) is isolated for ingress by NetworkPolicy deny-all, and no rule admits 8080/TCP from any source: the port is unreachable',
            'this holds if your network plugin enforces NetworkPolicy',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'isolated for ingress by NetworkPolicy deny-all; no rule admits 8080/TCP' },
          fix: 'kubectl describe networkpolicy -n shop deny-all',
        },
      ],
    },
    {
      name: 'the rule admits the Service port 80, not the targetPort 8080 the pods are reached on (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
      objects: [...web(), allow([{ port: 80 }])],
      findings: [{ reason: 'shut', message: ['isolated for ingress by NetworkPolicy allow-web', 'admits 8080/TCP'] }],
    },
    {
      name: 'a UDP rule does not admit the TCP port (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), allow([{ port: 8080, protocol: 'UDP' }])],
      findings: [{ reason: 'shut' }],
    },
    {
      name: 'a named port the pods do not declare admits nothing (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), denyAll, allow([{ port: 'web' }])],
      findings: [{ reason: 'shut', message: ['NetworkPolicies allow-web, deny-all'] }],
    },
    {
      name: 'ingress rules under policyTypes [Egress] do nothing, and a default-deny still shuts the pods (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web(), denyAll, networkPolicy('ignored', { policyTypes: ['Egress'], ingress: [{}], egress: [{}] })],
      findings: [{ reason: 'shut', message: ['NetworkPolicy deny-all,'] }],
    },
  ],
});
