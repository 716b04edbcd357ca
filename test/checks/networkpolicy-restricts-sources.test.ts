import { networkpolicyRestrictsSources } from '../../src/checks/networkpolicy-restricts-sources.js';
import { endpointOf, namespace, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

function web(pods: Raw[] = [pod('web-1'), pod('web-2')]): Raw[] {
  const names = pods.map((p) => (p.metadata as { name: string }).name);
  return [service('web'), ...pods, slice('web', { endpoints: names.map((n) => endpointOf(n)) })];
}
const onWeb = { matchLabels: { app: 'web' } };
const fromFront = { podSelector: { matchLabels: { app: 'front' } } };
const fromIngress = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

ruleTester(networkpolicyRestrictsSources, {
  valid: [
    {
      name: 'no policy: every source (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: web(),
    },
    {
      name: 'a rule without peers admits every source (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [...web(), networkPolicy('all', { podSelector: onWeb, ingress: [{ ports: [{ port: 8080 }] }] })],
    },
    {
      name: 'a peer-limited rule and a rule without peers on the same port: every source (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        ...web(),
        networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront] }] }),
        networkPolicy('all', { podSelector: onWeb, ingress: [{}] }),
      ],
    },
    {
      name: 'the peer-limited rule admits another port: on 8080 the pods are shut, not restricted (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront], ports: [{ port: 9090 }] }] }),
      ],
    },
    {
      name: 'NetworkPolicies not read (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web(), networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront] }] })],
      coverage: { networkPolicies: false },
    },
  ],
  invalid: [
    {
      name: 'pods of one label and a namespace by name (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        networkPolicy('web-sources', {
          podSelector: onWeb,
          ingress: [{ from: [fromFront, fromIngress], ports: [{ port: 'http' }] }],
        }),
      ],
      findings: [
        {
          reason: 'restricted',
          port: 'http 80/TCP',
          message: [
            'http 80/TCP is admitted on the pods (8080/TCP) only from every pod of namespace ingress-nginx, pods app=front of namespace shop, by NetworkPolicy web-sources: connections from anywhere else are dropped',
            'if your network plugin enforces NetworkPolicy',
          ],
          fix: 'kubectl describe networkpolicy -n shop web-sources',
        },
      ],
    },
    {
      name: 'both selectors in one peer, and an ipBlock (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        networkPolicy('mixed', {
          podSelector: onWeb,
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { team: 'pay' } }, podSelector: { matchLabels: { app: 'api' } } },
                { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } },
              ],
            },
          ],
        }),
      ],
      findings: [
        {
          reason: 'restricted',
          message: ['only from 203.0.113.0/24 except 203.0.113.128/25, pods app=api of namespaces team=pay'],
        },
      ],
    },
    {
      name: 'a namespaceSelector by label names the namespaces that carry it (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        namespace('payments', { team: 'pay' }),
        namespace('billing', { team: 'pay' }),
        namespace('shop'),
        networkPolicy('pay', {
          podSelector: onWeb,
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }] }],
        }),
      ],
      findings: [{ reason: 'restricted', message: ['only from every pod of namespaces team=pay (billing, payments)'] }],
    },
    {
      name: 'a namespaceSelector no namespace matches: the classic wrong label on the ingress controller namespace (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        namespace('ingress-nginx'),
        networkPolicy('from-ingress', {
          podSelector: onWeb,
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'ingress-nginx' } } }] }],
        }),
      ],
      findings: [
        {
          reason: 'restricted',
          message: ['only from every pod of namespaces name=ingress-nginx (no namespace has these labels)'],
        },
      ],
    },
    {
      name: 'Namespaces not read: the namespaces a label selector matches are not known, and the finding says so (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web(),
        networkPolicy('pay', {
          podSelector: onWeb,
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'pay' } } }] }],
        }),
      ],
      coverage: { namespaces: false },
      findings: [
        {
          reason: 'restricted',
          message: ['only from every pod of namespaces team=pay, by', 'Namespaces were not read, so which namespaces'],
        },
      ],
    },
    {
      name: 'other policy kinds in the cluster are named, not evaluated (docs/kubernetes-semantics.md#what-is-not-evaluated)',
      objects: [...web(), networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront] }] })],
      policyContext: { otherPolicyKinds: ['CiliumNetworkPolicy', 'AdminNetworkPolicy'] },
      findings: [
        { reason: 'restricted', message: ['the cluster also has AdminNetworkPolicy, CiliumNetworkPolicy objects'] },
      ],
    },
    {
      name: 'one backend is not isolated: other clients still reach it (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        ...web([pod('web-1'), pod('web-2', { labels: { app: 'web', locked: 'yes' } })]),
        networkPolicy('locked', { podSelector: { matchLabels: { locked: 'yes' } }, ingress: [{ from: [fromFront] }] }),
      ],
      findings: [{ reason: 'restricted', message: ['1 of the 2 ready backends admit every source'] }],
    },
  ],
});
