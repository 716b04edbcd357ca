// References to Services from other objects: an Ingress path's backend, a StatefulSet's
// serviceName, an admission webhook's clientConfig.service, an APIService's spec.service, Gateway
// API routes' backendRefs. Each referrer kind contributes its references in one place (REFERRERS
// below); the model indexes them by the Service they name, once, so that "who uses this Service"
// is a lookup.
// A reference resolves to a Service port as the referrer's controller does it: by name, or by
// the Service port's number (an Ingress's service.port.number is the Service's port, not its
// targetPort: docs/kubernetes-semantics.md#ingress-backends; a route's backendRef port likewise:
// docs/kubernetes-semantics.md#gateway-api-backendrefs).

import type {
  AdmissionWebhook,
  APIService,
  ClusterObject,
  GatewayRoute,
  Ingress,
  IngressServiceBackend,
  Protocol,
  RouteRule,
  ServicePort,
  StatefulSet,
  StatusCondition,
  WebhookConfiguration,
} from '../core/objects.js';

/** The kinds whose objects refer to Services; a new one is an entry of REFERRERS. */
export type ReferrerKind =
  | 'Ingress'
  | 'StatefulSet'
  | 'ValidatingWebhookConfiguration'
  | 'MutatingWebhookConfiguration'
  | 'APIService'
  | GatewayRoute['kind'];

/** The object that holds a reference: its kind, namespace (absent for a cluster-scoped kind) and name. */
interface Referrer {
  kind: ReferrerKind;
  namespace?: string;
  name: string;
}

export interface ServiceReference {
  referrer: Referrer;
  /** Where in the referrer: "rule shop.example.com path /api", "default backend". */
  detail: string;
  /**
   * The Service port as the referrer names it: its name or its number; absent when the referrer
   * names none and its kind has no default (a malformed Ingress backend).
   */
  port?: string | number;
  /** The port a kind uses when it names none (webhooks and APIServices: 443); absent for kinds without one. */
  defaultPort?: number;
  /**
   * What the referrer sends to the port, where its kind says (a UDPRoute: UDP; the other routes:
   * TCP); absent: TCP, or the one protocol of a number the Service has only once.
   */
  protocol?: Protocol;
  /** The Service it names. */
  target: { namespace: string; name: string };
  /**
   * It names the Service for its name, not to send traffic through it (a StatefulSet's
   * serviceName, its pods' DNS domain): a user of the Service, never one its findings break.
   */
  nameOnly?: true;
  /** A webhook's reference: the webhook, with its failure policy and what it intercepts. */
  webhook?: AdmissionWebhook;
  /** An APIService's reference: its Available condition as the aggregator last set it (absent when unset). */
  available?: StatusCondition;
}

type ObjectOf<K extends ReferrerKind> = Extract<ClusterObject, { kind: K }>;

/** "rule shop.example.com path /api", or "rule path /api" without a host (any host). */
function ingressPathDetail(host: string | undefined, path: string): string {
  return `rule ${host ? `${host} ` : ''}path ${path}`;
}

function ingressReferences(ingress: Ingress): ServiceReference[] {
  const referrer: Referrer = { kind: 'Ingress', namespace: ingress.meta.namespace, name: ingress.meta.name };
  const reference = (backend: IngressServiceBackend, detail: string): ServiceReference => ({
    referrer,
    detail,
    ...(backend.port !== undefined ? { port: backend.port } : {}),
    // An Ingress backend is always in the Ingress's own namespace.
    target: { namespace: ingress.meta.namespace, name: backend.service },
  });
  const references: ServiceReference[] = [];
  for (const p of ingress.paths) {
    if (p.backend) references.push(reference(p.backend, ingressPathDetail(p.host, p.path)));
  }
  if (ingress.defaultBackend) references.push(reference(ingress.defaultBackend, 'default backend'));
  return references;
}

/** "webhook pods.policy.example.com (failurePolicy Fail)": the policy says what its outage does. */
function webhookDetail(webhook: AdmissionWebhook): string {
  return `webhook ${webhook.name} (failurePolicy ${webhook.failurePolicy})`;
}

/** Each webhook called through a Service (clientConfig.service; a URL names none), on port 443 unless it says. */
function webhookReferences(configuration: WebhookConfiguration): ServiceReference[] {
  const referrer: Referrer = { kind: configuration.kind, name: configuration.meta.name };
  return configuration.webhooks.flatMap((webhook) =>
    webhook.service
      ? [
          {
            referrer,
            detail: webhookDetail(webhook),
            ...(webhook.service.port !== undefined ? { port: webhook.service.port } : {}),
            defaultPort: 443,
            target: { namespace: webhook.service.namespace, name: webhook.service.name },
            webhook,
          },
        ]
      : [],
  );
}

/** An aggregated API's Service (spec.service; a Local APIService, served by kube-apiserver itself, names none). */
function apiServiceReferences(apiService: APIService): ServiceReference[] {
  if (!apiService.service) return [];
  const { namespace, name, port } = apiService.service;
  return [
    {
      referrer: { kind: 'APIService', name: apiService.meta.name },
      detail: 'spec.service',
      ...(port !== undefined ? { port } : {}),
      defaultPort: 443,
      target: { namespace, name },
      ...(apiService.available ? { available: apiService.available } : {}),
    },
  ];
}

/**
 * Whether the referrer stops part of the API when the Service has no ready endpoint: a webhook with
 * failurePolicy Fail rejects the writes it intercepts, an APIService's group stops answering
 * (docs/kubernetes-semantics.md#admission-webhooks, docs/kubernetes-semantics.md#aggregated-apis).
 */
export function breaksTheApiWhenDown(reference: ServiceReference): boolean {
  return reference.webhook?.failurePolicy === 'Fail' || reference.referrer.kind === 'APIService';
}

/**
 * A StatefulSet's spec.serviceName: the Service that governs its pods' DNS names, in its own
 * namespace, named without a port (docs/kubernetes-semantics.md#statefulset-servicename). None
 * when it is empty, which the API allows.
 */
function statefulSetReferences(statefulSet: StatefulSet): ServiceReference[] {
  const { namespace, name } = statefulSet.meta;
  if (!statefulSet.serviceName) return [];
  return [
    {
      referrer: { kind: 'StatefulSet', namespace, name },
      detail: 'spec.serviceName',
      target: { namespace, name: statefulSet.serviceName },
      nameOnly: true,
    },
  ];
}

/** "rule 2 path /api", "rule 1 (canary) method shop.Cart/Get", "rule 1": a route rule as a reader finds it, counted from 1. */
function routeRuleDetail(rule: RouteRule, index: number): string {
  const name = rule.name !== undefined ? ` (${rule.name})` : '';
  const method = rule.grpcMethod && [rule.grpcMethod.service ?? '*', rule.grpcMethod.method ?? '*'].join('/');
  const match = rule.path !== undefined ? ` path ${rule.path}` : method !== undefined ? ` method ${method}` : '';
  return `rule ${index + 1}${name}${match}`;
}

/**
 * A route's backendRefs that name a Service (group "" and kind Service, the defaults; any other
 * kind is a backend of its implementation's own), in the namespace the ref names or the route's.
 */
function routeReferences(route: GatewayRoute): ServiceReference[] {
  const referrer: Referrer = { kind: route.kind, namespace: route.meta.namespace, name: route.meta.name };
  const references: ServiceReference[] = [];
  route.rules.forEach((rule, index) => {
    for (const ref of rule.backendRefs) {
      if (ref.group !== '' || ref.kind !== 'Service') continue;
      references.push({
        referrer,
        detail: routeRuleDetail(rule, index),
        ...(ref.port !== undefined ? { port: ref.port } : {}),
        // A UDPRoute's Gateway sends datagrams, the others' TCP: the Service port of that number
        // and protocol is the one it lands on.
        protocol: route.kind === 'UDPRoute' ? 'UDP' : 'TCP',
        target: { namespace: ref.namespace ?? route.meta.namespace, name: ref.name },
      });
    }
  });
  return references;
}

/**
 * Each referrer kind, how the model finds its objects among the input's, and the references
 * each object holds, in the order the object lists them. The only place a kind is registered.
 */
const REFERRERS: { [K in ReferrerKind]: (object: ObjectOf<K>) => ServiceReference[] } = {
  Ingress: ingressReferences,
  StatefulSet: statefulSetReferences,
  ValidatingWebhookConfiguration: webhookReferences,
  MutatingWebhookConfiguration: webhookReferences,
  APIService: apiServiceReferences,
  HTTPRoute: routeReferences,
  GRPCRoute: routeReferences,
  TCPRoute: routeReferences,
  TLSRoute: routeReferences,
  UDPRoute: routeReferences,
};

function isReferrer(object: ClusterObject): object is ObjectOf<ReferrerKind> {
  return Object.hasOwn(REFERRERS, object.kind);
}

/** The references an object holds; none for an object of a kind that refers to no Service. */
export function referencesOf(object: ClusterObject): ServiceReference[] {
  if (!isReferrer(object)) return [];
  // The table pairs each kind with its own function; TypeScript cannot follow that through a union of kinds.
  const collect = REFERRERS[object.kind] as (object: ObjectOf<ReferrerKind>) => ServiceReference[];
  return collect(object);
}

/** "Ingress shop/web", "APIService v1beta1.metrics.k8s.io": how texts name a referrer. */
export function describeReferrer(referrer: Referrer): string {
  return `${referrer.kind} ${referrer.namespace ? `${referrer.namespace}/` : ''}${referrer.name}`;
}

/** "Ingress shop/web rule shop.example.com path /api". */
export function describeReference(reference: ServiceReference): string {
  return `${describeReferrer(reference.referrer)} ${reference.detail}`;
}

/** The port as the reference names it: "http", "8080", or "443 (default)". */
export function describeReferencePort(reference: ServiceReference): string | undefined {
  if (reference.port !== undefined) return String(reference.port);
  return reference.defaultPort !== undefined ? `${reference.defaultPort} (default)` : undefined;
}

/**
 * The Service port a reference lands on: by name, or by number (the Service's port, not its
 * targetPort). A port name is unique in a Service whatever its protocol. Of two ports with one
 * number (TCP and UDP), the one of the protocol the reference sends: UDP for a UDPRoute, whose
 * datagrams never reach a TCP port, TCP for the other routes, and for a kind that does not say
 * (an Ingress) TCP, else the one there is. Undefined
 * when the Service has no such port or the reference names none.
 */
export function referencedPort(reference: ServiceReference, ports: readonly ServicePort[]): ServicePort | undefined {
  const wanted = reference.port ?? reference.defaultPort;
  if (wanted === undefined) return undefined;
  if (typeof wanted === 'string') return ports.find((p) => p.name === wanted);
  const matches = ports.filter((p) => p.port === wanted);
  if (reference.protocol !== undefined) return matches.find((p) => p.protocol === reference.protocol);
  return matches.find((p) => p.protocol === 'TCP') ?? matches[0];
}

/** The route kinds (Gateway API), whose references the route-backend-* checks judge. */
export const GATEWAY_ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'] as const;
