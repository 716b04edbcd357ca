import { networkpolicyRestrictsSources } from '../../src/checks/networkpolicy-restricts-sources.js';
import {
  endpointOf,
  httpRoute,
  ingress,
  namespace,
  networkPolicy,
  pod,
  service,
  slice,
  type Raw,
} from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

function web(pods: Raw[] = [pod('web-1'), pod('web-2')]): Raw[] {
  const names = pods.map((p) => (p.metadata as { name: string }).name);
  return [service('web'), ...pods, slice('web', { endpoints: names.map((n) => endpointOf(n)) })];
}
const onWeb = { matchLabels: { app: 'web' } };
const fromFront = { podSelector: { matchLabels: { app: 'front' } } };
const fromIngress = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
const onlyFromFront = networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront] }] });

const CONTROLLER = { 'app.kubernetes.io/name': 'ingress-nginx' };
const LB_IP = '203.0.113.10';
/** An ingress controller's LoadBalancer Service, answering on LB_IP, and its ready pod (on the host network or not). */
function controller(hostNetwork = false): Raw[] {
  return [
    service('ingress-nginx-controller', {
      ns: 'ingress-nginx',
      type: 'LoadBalancer',
      selector: CONTROLLER,
      status: { loadBalancer: { ingress: [{ ip: LB_IP }] } },
    }),
    pod('controller-1', {
      ns: 'ingress-nginx',
      labels: CONTROLLER,
      ...(hostNetwork ? { spec: { hostNetwork: true } } : {}),
    }),
    slice('ingress-nginx-controller', { ns: 'ingress-nginx', endpoints: [endpointOf('controller-1')] }),
  ];
}
/** Ingress front of namespace shop sending / to web:80, with the addresses its controller published. */
const front = (loadBalancer: { ip?: string }[] = [{ ip: LB_IP }]) =>
  ingress('front', { paths: [{ service: 'web', port: 80 }], loadBalancer });

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
    {
      name: 'an Ingress whose controller pods the cluster does not show (no address in its status): named as not judged (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)',
      objects: [...web(), onlyFromFront, ...controller(), front([])],
      findings: [
        {
          reason: 'restricted',
          message: [
            'only from pods app=front of namespace shop',
            'the pods that carry the requests of Ingress shop/front are not known: no Service of the input answers',
            'is not judged',
          ],
        },
      ],
    },
    {
      name: 'a route whose Gateway is not in the input and has no labelled Service: named as not judged (docs/kubernetes-semantics.md#the-services-of-a-gateway)',
      objects: [
        ...web(),
        onlyFromFront,
        httpRoute('front', { rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] }),
      ],
      findings: [{ reason: 'restricted', message: ['the pods that carry the requests of HTTPRoute shop/front'] }],
    },
    {
      name: "an Ingress whose controller pods share their node's network: named as not judged (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods)",
      objects: [...web(), onlyFromFront, ...controller(true), front()],
      findings: [
        {
          reason: 'restricted',
          message: ["the pods that carry the requests of Ingress shop/front share their node's network"],
          notInMessage: ['are not known'],
        },
      ],
    },
    {
      name: 'an Ingress whose controller pods are known: networkpolicy-blocks-referrer judges it, no note (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)',
      objects: [...web(), onlyFromFront, ...controller(), front()],
      findings: [{ reason: 'restricted', notInMessage: ['not judged'] }],
    },
    {
      name: 'an Ingress naming another port of the Service: not this port, no note (docs/kubernetes-semantics.md#ingress-backends)',
      objects: [
        ...web(),
        onlyFromFront,
        ingress('front', { paths: [{ service: 'web', port: 9090 }], loadBalancer: [] }),
      ],
      findings: [{ reason: 'restricted', notInMessage: ['not judged'] }],
    },
  ],
});
