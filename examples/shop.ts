// Generates examples/shop.yaml, the snapshot that `npm run demo` diagnoses:
//
//   npm run example        (npx tsx examples/shop.ts > examples/shop.yaml)
//
// A small online shop on a bare-metal, dual-stack cluster (kubeadm, Kubernetes v1.34, one control
// plane and four workers in three zones), as `kubectl get services,endpoints,endpointslices,pods,
// nodes,deployments,replicasets,statefulsets,daemonsets -A -o yaml` prints it on Black Friday
// morning. Objects come from the raw builders of
// test/support/objects.ts. For Services with a selector, the EndpointSlices and Endpoints come from
// test/support/controller.ts (exactly what the controllers write), except where a story needs them
// out of step. Names, uids, IPs and times derive from fixed seeds, so regenerating gives the same
// file. To keep the file readable, objects carry the fields a reader or a check looks at; for example,
// pods list two conditions, not five, and there are no resourceVersions or managedFields.
//
// What is wrong, by Service, and the checks that should say so:
//
//   healthy (no finding): default/kubernetes as the kube-apiserver writes it; shop/web (Deployment,
//   dual-stack); shop/redis-headless (StatefulSet, headless, publishNotReadyAddresses);
//   payments/psp-egress (selectorless, correct hand-made EndpointSlice); ingress-nginx/
//   ingress-nginx-controller-admission.
//
//   shop/recommendations   the selector says tier: frontend, the pod template tier: fe
//                          → selector-no-match
//   shop/checkout          a bad config change: its pod is in CrashLoopBackOff → no-ready-endpoints
//   shop/cart              the v2.4.0 rollout is stuck on an image tag that does not exist, and the
//                          new version moves the port from 8080 to 9090
//                          → pods-not-ready, target-port-inconsistent
//   shop/web-metrics       web 4.2 renamed its container port metrics → http-metrics
//                          → target-port-unresolved
//   shop/resolver          the UDP DNS port targets a container port declared without protocol: UDP
//                          → target-port-unresolved
//   shop/web-external      exposed in a hurry: type LoadBalancer on bare metal with no load-balancer
//                          implementation, and targetPort 80 where the app listens on 8080
//                          → loadbalancer-pending, target-port-not-declared
//   shop/search            the new pods carry an AWS load-balancer readiness gate (Helm values
//                          copied from the EKS cluster) that nothing here sets, so they never get
//                          ready, and nobody noticed: a hand-made EndpointSlice left from the VM
//                          migration sends every request to the old VM
//                          → pods-not-ready, manual-endpoints-ignored, single-ready-endpoint
//   shop/orders            a ready pod never made it into the EndpointSlices; the Endpoints has it
//                          → pod-missing-from-slices, slices-endpoints-disagree
//   shop/pricing           node worker-c2 stopped reporting and took one of the two pods with it
//                          → pods-not-ready, endpoint-on-unready-node, single-ready-endpoint
//   shop/elasticsearch     a new cluster cannot bootstrap: its masters find each other by per-pod
//                          DNS names, which the headless Service publishes only for ready pods
//                          → no-ready-endpoints, headless-unready-dns
//   shop/redis             made dual-stack, but the Redis pods predate the cluster's IPv6
//                          → ip-family-without-endpoints
//   kube-system/kube-dns   topology-aware routing on 2 CoreDNS replicas in 3 zones
//                          → topology-hints-missing
//   shop/image-resizer     its v1 Endpoints is truncated at 1000 addresses (see below)
//                          → endpoints-over-capacity
//   ingress-nginx/ingress-nginx-controller
//                          NodePort with externalTrafficPolicy: Local, controllers on 2 of 4 nodes
//                          → traffic-policy-local-gaps
//   shop/notifications     the selector was removed; the controllers' slice and Endpoints stay behind,
//                          still routing to the pods of the deleted Deployment
//                          → stale-endpoints, no-ready-endpoints
//   shop/erp               an Endpoints copied from default/kubernetes, skip-mirror label included
//                          → endpoints-not-mirrored
//   shop/orders-db         a hand-made EndpointSlice whose port has no name
//                          → manual-endpoints-port-mismatch
//   payments/bank-gateway  a hand-made EndpointSlice of addressType FQDN, which kube-proxy ignores
//                          → selectorless-no-endpoints
//   payments/ledger-db     an ExternalName Service pointing at an IP address
//                          → externalname-invalid, externalname-no-endpoints
//   payments/hsm           labelled for multus-proxy, which this cluster does not run
//                          → ignored-by-kube-proxy
//   inventory/stock        chart 3.0 dropped the container port named health, but its readiness
//                          probe still names it: the new pod can never become ready and the
//                          rollout stalls on the two old pods
//                          → readiness-probe-port-unresolved, pods-not-ready
//   inventory/label-printer
//                          a new service without a readiness probe
//                          → readiness-probe-missing
//   payments/fraud-score   a grpc port added last night, and the namespace's ResourceQuota refuses
//                          the EndpointSlice for it: only the EndpointSlice controller's Warning
//                          events say so → service-warning-events
//   promo/banner           its Deployment was scaled to zero in the night → workload-scaled-to-zero
//   promo/coupons          the new ReplicaSet's pods exceed the namespace's ResourceQuota
//                          → workload-cannot-create-pods
//   marketing/comments     its Ingress names port 8080, the pods' port, not the Service's 80
//                          → ingress-backend-port-unknown (marketing/blog, behind the same
//                          controller, is healthy)
//   marketing/blog-api     deleted, but Ingress marketing/www still sends /api to it
//                          → ingress-backend-missing
//   reporting/clickhouse   the StatefulSet's serviceName names this client Service, which is not
//                          headless: its replicas get no DNS names to find each other by
//                          → statefulset-service-missing
//   platform/policy-webhook  its pod crash-loops, and ValidatingWebhookConfiguration policy
//                          (failurePolicy Fail) calls it for every CREATE and UPDATE of pods and
//                          Deployments → webhook-service-unavailable, and its no-ready-endpoints
//                          is an error (platform/sidecar-injector, behind an Ignore webhook, and
//                          platform/custom-metrics, behind an APIService, are healthy)
//   kube-system/metrics-server  uninstalled, but APIService v1beta1.metrics.k8s.io still names it
//                          (Available=False) → apiservice-unavailable
//   loyalty/points         its HTTPRoute's /admin rule names port 8080, the pods' port, not the
//                          Service's 80 → route-backend-port-unknown
//   loyalty/vouchers       retired, but HTTPRoute loyalty/rewards still sends /rewards to it
//                          → route-backend-missing
//   members/sessions       HTTPRoute loyalty/account sends /sessions to it, and the members team's
//                          ReferenceGrant allows only members/profile → route-backend-not-permitted
//                          (members/profile, through the same route, is healthy)
//
//   secure/vault           the security team's default-deny, and an allow policy for port 80, the
//                          Service's port, where the pods are reached on 8080
//                          → networkpolicy-blocks-backends, networkpolicy-port-mismatch
//   secure/ledger          the allow policy selects track=stable; the canary added since is shut
//                          → networkpolicy-blocks-some-backends
//   secure/statements      admitted from namespace ingress-nginx only → networkpolicy-restricts-sources
//                          (secure/audit, admitted from everywhere, is healthy)
//                          (Deployment secure/teller, ledger's client, may reach ledger's pods and
//                          nothing else, not even the cluster DNS: try --from deployment/teller)
//   secure/portal          admitted from the namespace's own pods only, while Ingress secure/portal
//                          sends it requests through the ingress-nginx controller's pods
//                          → networkpolicy-blocks-referrer, networkpolicy-restricts-sources
//
// The last hour's Warning events (examples/shop/events.ts) are the evidence under the pods: the
// kubelet's BackOff for checkout, Unhealthy readiness probes for elasticsearch (and one about the
// elasticsearch-0 of before this morning's recreation, another uid, which is no evidence), the
// failed image pulls of the cart rollout.
//
// Over capacity: a truncated Endpoints really lists 1000 addresses of a Service with more than 1000
// pods (image-resizer, scaled out for the catalogue import). That would make this file tens of
// thousands of lines long, so image-resizer keeps two of its pods and the annotation the Endpoints
// controller sets, which is all the check reads.
//
// The stories are in examples/shop/, by what they are about: the cluster's own Services, the
// storefront, the backend, and Services without a selector; the builders of nodes, pods, Services
// and endpoints beside them.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Document } from 'yaml';
import { stringAt } from '../src/core/json-value.js';
import type { Raw } from '../test/support/objects.js';
import { cart, checkout, elasticsearch, imageResizer, orders, pricing, resolver, search } from './shop/backend.js';
import { ingressNginx, kubeDns, kubernetesService } from './shop/cluster.js';
import { labelPrinter, stock } from './shop/inventory.js';
import { fraudScore, warningEvents } from './shop/events.js';
import { marketing } from './shop/ingresses.js';
import { platform } from './shop/webhooks.js';
import { loyalty } from './shop/routes.js';
import { namespacesOf, secure } from './shop/policies.js';
import { requiredString } from '../test/support/required-fields.js';
import { NODES } from './shop/nodes.js';
import { resetPodAddresses } from './shop/pods.js';
import { bankGateway, erp, hsm, ledgerDb, notifications, ordersDb, pspEgress } from './shop/selectorless.js';
import { shopAddingTo } from './shop/shop-builder.js';
import { recommendations, redis, web } from './shop/storefront.js';
import { clickhouse } from './shop/statefulsets.js';
import { promotions, workloadsOfPods } from './shop/workloads.js';

/** Every object of the example, in no particular order. */
export function shopObjects(): Raw[] {
  resetPodAddresses();
  const objects: Raw[] = [...NODES.map((n) => structuredClone(n))];
  const shop = shopAddingTo(objects);
  // In this order: each node hands out pod addresses in the order the stories build their pods.
  kubernetesService(shop);
  kubeDns(shop);
  web(shop);
  redis(shop);
  pspEgress(shop);
  recommendations(shop);
  checkout(shop);
  cart(shop);
  resolver(shop);
  search(shop);
  orders(shop);
  pricing(shop);
  elasticsearch(shop);
  imageResizer(shop);
  ingressNginx(shop);
  notifications(shop);
  erp(shop);
  ordersDb(shop);
  bankGateway(shop);
  ledgerDb(shop);
  hsm(shop);
  stock(shop);
  labelPrinter(shop);
  fraudScore(shop);
  promotions(shop);
  marketing(shop);
  clickhouse(shop);
  platform(shop);
  loyalty(shop);
  secure(shop);
  objects.push(...workloadsOfPods(objects));
  // What the kubelet and the controllers said about the objects above.
  objects.push(...warningEvents(objects));
  // The namespaces, whose labels NetworkPolicies' namespaceSelectors match.
  objects.push(...namespacesOf(objects));
  return objects;
}

// ---------------------------------------------------------------------------------------------
// Output

/** The order of `kubectl get services,endpoints,endpointslices,pods,nodes,events,deployments,replicasets,statefulsets,daemonsets,ingresses,validatingwebhookconfigurations,mutatingwebhookconfigurations,apiservices -A`. */
const KIND_ORDER = [
  'Service',
  'Endpoints',
  'EndpointSlice',
  'Pod',
  'Node',
  'Event',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Ingress',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'NetworkPolicy',
  'Namespace',
];

const HEADER = [
  ' Generated by `npm run example` from examples/shop.ts: edit that file, not this one.',
  ' A broken online shop, as `kubectl get services,endpoints,endpointslices,pods,nodes,deployments,',
  ' replicasets,statefulsets,daemonsets,ingresses,validatingwebhookconfigurations,mutatingwebhookconfigurations,',
  ' apiservices,networkpolicies,namespaces -A -o yaml` and `kubectl get events -A --field-selector type=Warning -o yaml` print it.',
  ' `npm run demo` diagnoses it; examples/shop.ts says what is wrong where.',
].join('\n');

/** The object's namespace; '' for Nodes, which have none. */
const namespaceOf = (o: Raw): string => stringAt(o, 'metadata', 'namespace') ?? '';

/** The text of examples/shop.yaml. */
export function shopYaml(): string {
  const items = shopObjects().sort(
    (a, b) =>
      KIND_ORDER.indexOf(requiredString(a, 'kind')) - KIND_ORDER.indexOf(requiredString(b, 'kind')) ||
      namespaceOf(a).localeCompare(namespaceOf(b)) ||
      requiredString(a, 'metadata', 'name').localeCompare(requiredString(b, 'metadata', 'name')),
  );
  // kubectl prints keys sorted, lists unindented, and quotes what YAML 1.1 would misread ("True", times).
  const doc = new Document(
    { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } },
    { aliasDuplicateObjects: false, sortMapEntries: true, version: '1.1' },
  );
  doc.commentBefore = HEADER;
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

const invokedAs = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : '';
if (import.meta.url === invokedAs) process.stdout.write(shopYaml());
