import { networkpolicyBlocksDns } from '../../src/checks/networkpolicy-blocks-dns.js';
import { fromTester } from '../support/from-tester.js';
import { clusterDns, endpointOf, namespace, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';

/**
 * Service web with backend web-1, client pod frontend, and the cluster DNS as kubeadm sets it up
 * (clusterDns: Service kube-system/kube-dns, pod coredns-1 labelled k8s-app=kube-dns).
 */
const DNS: Raw[] = clusterDns();
const WORLD: Raw[] = [
  service('web'),
  pod('web-1'),
  slice('web', { endpoints: [endpointOf('web-1')] }),
  pod('frontend', { labels: { app: 'frontend' } }),
  namespace('shop'),
  namespace('kube-system'),
  ...DNS,
];
const egress = (rules: Raw[] | undefined) =>
  networkPolicy('frontend-egress', {
    podSelector: { matchLabels: { app: 'frontend' } },
    policyTypes: ['Egress'],
    ...(rules ? { egress: rules } : {}),
  });
const toDns = (
  protocols: string[],
  peer: Raw = { namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
) => ({
  to: [peer],
  ports: protocols.map((protocol) => ({ port: 53, protocol })),
});

fromTester(networkpolicyBlocksDns, {
  valid: [
    {
      name: 'the client is not isolated for egress: it reaches the DNS (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: WORLD,
      from: 'pod/frontend',
    },
    {
      name: 'an egress rule admits UDP and TCP 53 to the kube-dns pods (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies)',
      objects: [...WORLD, egress([toDns(['UDP', 'TCP'])])],
      from: 'pod/frontend',
    },
    {
      name: "a rule naming the DNS pods' container ports dns and dns-tcp admits them (docs/kubernetes-semantics.md#ports-and-protocols)",
      objects: [
        ...WORLD,
        egress([
          {
            to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: 'dns', protocol: 'UDP' },
              { port: 'dns-tcp', protocol: 'TCP' },
            ],
          },
        ]),
      ],
      from: 'pod/frontend',
    },
    {
      name: 'an egress rule with no peers and no ports admits everything, DNS too (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [...WORLD, egress([{}])],
      from: 'pod/frontend',
    },
    {
      name: 'a client outside the cluster (cidr) has no egress policy and does not use the cluster DNS (docs/kubernetes-semantics.md#a-clients-view)',
      objects: [...WORLD, networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
      from: 'cidr/203.0.113.0/24',
    },
    {
      name: 'NetworkPolicies not read: unknown, no finding (a note says so) (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...WORLD, egress(undefined)],
      from: 'pod/frontend',
      lacks: ['networkPolicies'],
    },
    {
      name: 'a rule to port 53 of kube-system with the DNS pods not in the input: unknown, not blocked (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies)',
      objects: [
        ...WORLD.filter((o) => (o.metadata as { namespace?: string }).namespace !== 'kube-system'),
        egress([
          toDns(['UDP', 'TCP'], {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          }),
        ]),
      ],
      from: 'pod/frontend',
    },
    {
      name: 'other policy kinds in the cluster may admit what NetworkPolicies do not: unknown (docs/kubernetes-semantics.md#what-is-not-evaluated)',
      objects: [...WORLD, egress(undefined)],
      from: 'pod/frontend',
      policyContext: { otherPolicyKinds: ['CiliumNetworkPolicy'] },
    },
  ],
  invalid: [
    {
      name: 'the client is isolated for egress with no rule: neither UDP nor TCP 53 reaches the DNS (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies)',
      objects: [
        ...WORLD,
        egress([{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }]),
      ],
      from: 'pod/frontend',
      findings: [
        {
          reason: 'dnsBlocked',
          message: [
            'pod shop/frontend cannot resolve names: it is isolated for egress by NetworkPolicy frontend-egress, and no rule admits UDP 53 or TCP 53 to the pods of Service kube-system/kube-dns (coredns-1), so looking up web.shop.svc fails before any connection',
            'this holds if your network plugin enforces NetworkPolicy',
          ],
          fix: 'kubectl describe networkpolicy -n shop frontend-egress',
        },
      ],
    },
    {
      name: 'UDP 53 admitted, TCP 53 not: answers too large for UDP fail (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies)',
      objects: [...WORLD, egress([toDns(['UDP'])])],
      from: 'pod/frontend',
      findings: [{ reason: 'tcpDnsBlocked', message: ['reaches the cluster DNS over UDP only'] }],
    },
    {
      name: 'a rule to port 53 of the wrong pods: the kube-dns pods are not admitted (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [...WORLD, egress([toDns(['UDP', 'TCP'], { podSelector: { matchLabels: { app: 'dns' } } })])],
      from: 'pod/frontend',
      findings: [{ reason: 'dnsBlocked' }],
    },
    {
      name: "namespace/NAME: a namespace's default-deny egress shuts a pod with no labels out of DNS (docs/kubernetes-semantics.md#a-clients-view)",
      objects: [...WORLD, networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
      from: 'namespace/shop',
      findings: [{ reason: 'dnsBlocked', message: ['a pod with no labels in namespace shop cannot resolve names'] }],
    },
    {
      name: 'the DNS pods not in the input, and no rule admits port 53 to anything: blocked whatever they are (docs/kubernetes-semantics.md#cluster-dns-and-egress-policies)',
      objects: [
        ...WORLD.filter((o) => (o.metadata as { namespace?: string }).namespace !== 'kube-system'),
        egress(undefined),
      ],
      from: 'pod/frontend',
      findings: [{ reason: 'dnsBlocked', message: ['to the pods k8s-app=kube-dns of kube-system: none in the input'] }],
    },
  ],
});
