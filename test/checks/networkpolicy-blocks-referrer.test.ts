import { networkpolicyBlocksReferrer } from '../../src/checks/networkpolicy-blocks-referrer.js';
import {
  endpointOf,
  gateway as gatewayObject,
  httpRoute,
  ingress,
  networkPolicy,
  pod,
  service,
  slice,
  webhookConfiguration,
  type Raw,
} from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

/** Service web of namespace shop (port 80, targetPort http = 8080 on the pods), ready backends web-1 and web-2. */
const web: Raw[] = [
  service('web'),
  pod('web-1'),
  pod('web-2'),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
];

const CONTROLLER = { 'app.kubernetes.io/name': 'ingress-nginx' };
const LB_IP = '203.0.113.10';

/** An ingress controller: its LoadBalancer Service in namespace ingress-nginx, answering on LB_IP, and its ready pod. */
function controller(o: { hostNetwork?: boolean; status?: Raw; podInInput?: boolean } = {}): Raw[] {
  return [
    service('ingress-nginx-controller', {
      ns: 'ingress-nginx',
      type: 'LoadBalancer',
      selector: CONTROLLER,
      spec: { clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'] },
      status: o.status ?? { loadBalancer: { ingress: [{ ip: LB_IP }] } },
    }),
    ...(o.podInInput === false
      ? []
      : [
          pod('controller-1', {
            ns: 'ingress-nginx',
            labels: CONTROLLER,
            ...(o.hostNetwork ? { spec: { hostNetwork: true } } : {}),
          }),
        ]),
    slice('ingress-nginx-controller', { ns: 'ingress-nginx', endpoints: [endpointOf('controller-1')] }),
  ];
}

/** Ingress front of namespace shop sending / to web:80, with the addresses its controller published. */
const front = (loadBalancer: { ip?: string; hostname?: string }[] = [{ ip: LB_IP }]) =>
  ingress('front', { paths: [{ service: 'web', port: 80 }], loadBalancer });

const GATEWAY_LABEL = { 'gateway.networking.k8s.io/gateway-name': 'shop-gateway' };
/** The Service and pod an in-cluster implementation made for Gateway gateway/shop-gateway, labelled as GEP-1762 asks. */
const gateway: Raw[] = [
  service('shop-gateway-istio', { ns: 'gateway', labels: GATEWAY_LABEL, selector: GATEWAY_LABEL }),
  pod('gateway-1', { ns: 'gateway', labels: GATEWAY_LABEL }),
  slice('shop-gateway-istio', { ns: 'gateway', endpoints: [endpointOf('gateway-1')] }),
];
const PROXY = { app: 'envoy' };
const PROXY_IP = '203.0.113.20';
/**
 * Gateway gateway/shop-gateway of an implementation that does not label its Service: the proxy
 * Service in a namespace of its own, answering on PROXY_IP, which the Gateway's status publishes.
 */
const unlabelledGateway = (addresses: { type?: string; value: string }[] = [{ value: PROXY_IP }]): Raw[] => [
  service('envoy-shop', {
    ns: 'envoy-gateway-system',
    type: 'LoadBalancer',
    selector: PROXY,
    status: { loadBalancer: { ingress: [{ ip: PROXY_IP }] } },
  }),
  pod('envoy-1', { ns: 'envoy-gateway-system', labels: PROXY }),
  slice('envoy-shop', { ns: 'envoy-gateway-system', endpoints: [endpointOf('envoy-1')] }),
  gatewayObject('shop-gateway', { addresses }),
];
/** HTTPRoute front of namespace shop, attached to Gateway gateway/shop-gateway, sending / to web:80. */
const route = httpRoute('front', { rules: [{ path: '/', backendRefs: [{ name: 'web', port: 80 }] }] });

const denyAll = networkPolicy('deny-all', {});
const allowFrom = (peer: Raw, ports?: Raw[]) =>
  networkPolicy('allow-web', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [peer], ...(ports ? { ports } : {}) }],
  });
const fromIngressNginx = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
/** The controller's egress isolated, with DNS only allowed. */
const controllerLockdown = networkPolicy(
  'lockdown',
  {
    podSelector: { matchLabels: CONTROLLER },
    policyTypes: ['Egress'],
    egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
  },
  { ns: 'ingress-nginx' },
);

ruleTester(networkpolicyBlocksReferrer, {
  valid: [
    {
      name: 'no NetworkPolicy selects the backends or the controller: every connection is allowed (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web, ...controller(), front()],
    },
    {
      name: "a rule admits the controller's namespace by its name label, which needs no Namespace read (docs/kubernetes-semantics.md#rules-and-peers)",
      objects: [...web, ...controller(), front(), denyAll, allowFrom(fromIngressNginx)],
    },
    {
      name: "a rule admits the controller's pods on the targetPort 8080, after the Service's DNAT (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)",
      objects: [
        ...web,
        ...controller(),
        front(),
        denyAll,
        allowFrom({ ...fromIngressNginx, podSelector: { matchLabels: CONTROLLER } }, [{ port: 8080 }]),
      ],
    },
    {
      name: 'the controller egress is isolated but admits the backends (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        ...web,
        ...controller(),
        front(),
        networkPolicy(
          'lockdown',
          {
            podSelector: { matchLabels: CONTROLLER },
            policyTypes: ['Egress'],
            egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }],
          },
          { ns: 'ingress-nginx' },
        ),
      ],
    },
    {
      name: 'one backend admits the controller: not every connection is dropped (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        service('web'),
        pod('web-1'),
        pod('web-2', { labels: { app: 'web', open: 'true' } }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
        ...controller(),
        front(),
        denyAll,
        networkPolicy('open', { podSelector: { matchLabels: { open: 'true' } }, ingress: [{}] }),
      ],
    },
    {
      name: 'an Ingress whose status holds no address: its controller is not known, never guessed by name (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)',
      objects: [...web, ...controller(), front([]), denyAll],
    },
    {
      name: 'an address no Service of the input answers on (a cloud load balancer of its own, or a namespace not read): unknown (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)',
      objects: [...web, ...controller(), front([{ ip: '198.51.100.7' }]), denyAll],
    },
    {
      name: 'a controller Service endpoint whose pod the input lacks: some senders unknown (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)',
      objects: [...web, ...controller({ podInInput: false }), front(), denyAll],
    },
    {
      name: 'a hostNetwork controller: whether selectors see its traffic as its own is undefined (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods)',
      objects: [...web, ...controller({ hostNetwork: true }), front(), denyAll],
    },
    {
      name: 'a rule admitting namespaces by a label, with Namespaces not read: unknown, never a guess (docs/kubernetes-semantics.md#rules-and-peers)',
      objects: [
        ...web,
        ...controller(),
        front(),
        denyAll,
        allowFrom({ namespaceSelector: { matchLabels: { role: 'ingress' } } }),
      ],
      coverage: { namespaces: false },
    },
    {
      name: 'NetworkPolicies not read: skipped, never a guess (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web, ...controller(), front(), denyAll],
      coverage: { networkPolicies: false },
    },
    {
      name: 'a route whose Gateway has no labelled Service in the input: its pods are not known (docs/kubernetes-semantics.md#the-services-of-a-gateway)',
      objects: [...web, route, denyAll],
    },
    {
      name: "a route whose Gateway's status addresses are no Service's of the input: its pods are not known, never guessed (docs/kubernetes-semantics.md#the-services-of-a-gateway)",
      objects: [...web, ...unlabelledGateway([{ value: '198.51.100.9' }]), route, denyAll],
    },
    {
      name: 'a route whose Gateway has no labelled Service, with Gateways not read: unknown (docs/kubernetes-semantics.md#the-services-of-a-gateway)',
      objects: [...web, ...unlabelledGateway().filter((o) => o.kind !== 'Gateway'), route, denyAll],
      coverage: { gateways: false },
    },
    {
      name: 'a webhook is called by kube-apiserver, which is no pod: out of scope (docs/kubernetes-semantics.md#admission-webhooks)',
      objects: [
        ...web,
        webhookConfiguration('policy', [{ name: 'w.example.com', service: { ns: 'shop', name: 'web', port: 80 } }]),
        denyAll,
      ],
    },
  ],
  invalid: [
    {
      name: "a default-deny of the backends' namespace drops the controller's connections (docs/kubernetes-semantics.md#isolation-and-policytypes)",
      objects: [...web, ...controller(), front(), denyAll],
      docsExample: true,
      findings: [
        {
          reason: 'ingress',
          port: 'http 80/TCP',
          message: [
            'Ingress shop/front rule path / is served by 1 pod (controller-1) behind Service ingress-nginx/ingress-nginx-controller',
            'the ready backends of http 80/TCP are isolated for ingress by NetworkPolicy deny-all of namespace shop with no rule admitting any of those pods on 8080/TCP',
            'this holds if your network plugin enforces NetworkPolicy',
          ],
          pods: ['controller-1'],
          causes: {
            'controller-1': 'carries the requests of Ingress shop/front rule path /; admitted to no ready backend',
          },
          fix: 'admit the controller pods with a from peer: namespaceSelector kubernetes.io/metadata.name=ingress-nginx with podSelector app.kubernetes.io/name=ingress-nginx; kubectl describe networkpolicy -n shop deny-all',
        },
      ],
    },
    {
      name: "a podSelector alone admits pods of the policy's own namespace, not the controller's (docs/kubernetes-semantics.md#rules-and-peers)",
      objects: [...web, ...controller(), front(), allowFrom({ podSelector: { matchLabels: CONTROLLER } })],
      findings: [{ reason: 'ingress', message: ['NetworkPolicy allow-web of namespace shop'] }],
    },
    {
      name: 'a rule admitting the controller on the Service port 80, not the targetPort 8080 (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
      objects: [...web, ...controller(), front(), allowFrom(fromIngressNginx, [{ port: 80 }])],
      findings: [{ reason: 'ingress', message: ['with no rule admitting any of those pods on 8080/TCP'] }],
    },
    {
      name: "the controller's own egress is isolated and admits no backend (docs/kubernetes-semantics.md#isolation-and-policytypes)",
      objects: [...web, ...controller(), front(), controllerLockdown],
      findings: [
        {
          reason: 'egress',
          message: ['those pods are isolated for egress by NetworkPolicy lockdown of namespace ingress-nginx'],
          fix: 'kubectl describe networkpolicy -n ingress-nginx lockdown',
        },
      ],
    },
    {
      name: 'both ends refuse: a connection needs the egress and the ingress to allow it (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web, ...controller(), front(), denyAll, controllerLockdown],
      findings: [
        {
          reason: 'both',
          message: [
            'the backends are isolated for ingress by NetworkPolicy deny-all of namespace shop and those pods for egress by NetworkPolicy lockdown of namespace ingress-nginx',
          ],
          fix: 'kubectl describe networkpolicy -n shop deny-all; kubectl describe networkpolicy -n ingress-nginx lockdown',
        },
      ],
    },
    {
      name: "the controller published its load balancer's hostname (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)",
      objects: [
        ...web,
        ...controller({ status: { loadBalancer: { ingress: [{ hostname: 'lb-123.elb.example.com' }] } } }),
        front([{ hostname: 'LB-123.elb.example.com' }]),
        denyAll,
      ],
      findings: [{ reason: 'ingress', pods: ['controller-1'] }],
    },
    {
      name: "the controller published its Service's ClusterIP (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service)",
      objects: [...web, ...controller({ status: { loadBalancer: {} } }), front([{ ip: '10.96.5.5' }]), denyAll],
      findings: [{ reason: 'ingress', pods: ['controller-1'] }],
    },
    {
      name: "a route's Gateway pods, behind the Service labelled with the Gateway's name (docs/kubernetes-semantics.md#the-services-of-a-gateway)",
      objects: [...web, ...gateway, route, denyAll],
      findings: [
        {
          reason: 'ingress',
          message: [
            'HTTPRoute shop/front rule 1 path / is served by 1 pod (gateway-1) behind Service gateway/shop-gateway-istio',
          ],
          pods: ['gateway-1'],
          fix: 'namespaceSelector kubernetes.io/metadata.name=gateway with podSelector gateway.networking.k8s.io/gateway-name=shop-gateway',
        },
      ],
    },
    {
      name: "a route's Gateway pods, behind the Service answering on an address of the Gateway's status, unlabelled and in another namespace (docs/kubernetes-semantics.md#the-services-of-a-gateway)",
      objects: [...web, ...unlabelledGateway(), route, denyAll],
      findings: [
        {
          reason: 'ingress',
          message: [
            'HTTPRoute shop/front rule 1 path / is served by 1 pod (envoy-1) behind Service envoy-gateway-system/envoy-shop',
          ],
          pods: ['envoy-1'],
          fix: 'namespaceSelector kubernetes.io/metadata.name=envoy-gateway-system with podSelector app=envoy',
        },
      ],
    },
    {
      name: 'other policy kinds in the cluster are named, not evaluated (docs/kubernetes-semantics.md#what-is-not-evaluated)',
      objects: [...web, ...controller(), front(), denyAll],
      policyContext: { otherPolicyKinds: ['CiliumNetworkPolicy'] },
      findings: [{ reason: 'ingress', message: ['the cluster also has CiliumNetworkPolicy objects'] }],
    },
  ],
});
