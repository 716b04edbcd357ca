// The kinds the diagnosis reads, declared once: where the API serves them, whether a run goes on
// without them, which coverage flag says the input held them, and what a run naming Services
// reads of them. The live fetch and the watch, the snapshot reader and writer, the completion,
// deploy/rbac.yaml's ClusterRole and the README's RBAC lines (both tested) follow this table.
// Adding a kind is an entry here, its slim type in core/objects.ts, its slimming function in
// sources/slim/<kind>.ts (registered in sources/slim.ts, which does not compile without it), and
// its index in model/cluster.ts for the checks to find it; test/deploy.test.ts and
// test/kinds.test.ts then say what deploy/, the README and the test API server lack.

import type { ClusterObject } from './objects.js';
import { needsNamespaceLabels } from './selectors.js';

type Verb = 'get' | 'list' | 'watch';

export interface KindSpec {
  readonly kind: string;
  /** The API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** The resource as URLs and RBAC rules name it. */
  readonly resource: string;
  readonly namespaced: boolean;
  /**
   * A required kind that cannot be read fails the run (exit code 3). An optional one that the
   * server forbids or does not serve leaves a note ("Nodes could not be read (forbidden): " and
   * `whenMissing`), and the checks that need it are skipped.
   */
  readonly optional: boolean;
  /** What a run does without an optional kind, as its note ends. */
  readonly whenMissing?: string;
  /**
   * Its InputCoverage flag, which checks name in `requires`. Services have none: without them
   * there is nothing to diagnose.
   */
  readonly coverage?: string;
  /** A snapshot without any object of it says so in a note ("the snapshot holds no Nodes"). */
  readonly notedWhenAbsent?: boolean;
  /**
   * Kinds read as one (the four workload kinds, which `kubectl get all` lists together too): a
   * snapshot holding an object of any of them counts as having read them all, since a namespace
   * without DaemonSets gives kubectl nothing of them to write.
   */
  readonly readWith?: string;
  /**
   * Kinds of one readWith group refused alike (not served, or forbidden) get one note naming them
   * all ("HTTPRoutes, GRPCRoutes and ReferenceGrants could not be read (not served by this
   * server): ..."), with the first one's whenMissing: a cluster without the Gateway API's CRDs
   * serves none of them.
   */
  readonly refusedAsOne?: boolean;
  /** How notes and texts name its objects. */
  readonly label: string;
  /**
   * What a run that names Services reads of it: `named`, the objects of the Services' names;
   * `labelled`, those whose kubernetes.io/service-name label names one; `selected`, the pods the
   * selectors pick (and, for near misses and pods that endpoints name, whole namespaces); `all`,
   * every one in the namespace, or in the cluster for a cluster-scoped kind.
   */
  readonly whenServicesNamed: 'named' | 'labelled' | 'selected' | 'all';
  /** What the ClusterRole grants on it: get and list read it, watch follows it (--watch, -i, wait). */
  readonly verbs: readonly Verb[];
  /**
   * The fieldSelector of every list and watch of it: what the server leaves out before sending
   * (Events: only Warnings, a small part of the largest list in most clusters).
   */
  readonly fieldSelector?: string;
  /**
   * A kind whose objects refer to Services (model/references.ts): the TYPE names `--for TYPE/NAME`
   * takes for it, as kubectl names the resource (singular, plural, short name), the first the one
   * texts use. `--for` then diagnoses the Services that object names.
   */
  readonly forNames?: readonly string[];
  /**
   * An optional kind that only some objects of other kinds need: whether `objects` (the rest of
   * the input) hold one. When none does, the kind refused (or absent from a snapshot) leaves no
   * note and its coverage flag holds, since nothing would read it.
   */
  readonly neededBy?: (objects: readonly ClusterObject[]) => boolean;
}

const READ_AND_WATCH = ['get', 'list', 'watch'] as const;
/** Kinds only ever listed, never read by name. */
const LIST_AND_WATCH = ['list', 'watch'] as const;

/**
 * The workloads behind the pods: optional, read whole in the namespace even when Services are
 * named (`all`): which workload a selector picks is decided by its pod template's labels, which
 * no server-side selector can filter on, and a namespace holds far fewer workloads than pods.
 */
const WORKLOAD = {
  group: 'apps',
  version: 'v1',
  namespaced: true,
  optional: true,
  whenMissing: 'checks that need them were skipped',
  readWith: 'workloads',
  whenServicesNamed: 'all',
  verbs: LIST_AND_WATCH,
} as const;

/** Webhook configurations and APIServices: optional, cluster-scoped, listed whole and watched. */
const CLUSTER_REFERRER = {
  version: 'v1',
  namespaced: false,
  optional: true,
  whenMissing: 'the Services of their webhooks were not checked',
  whenServicesNamed: 'all',
  verbs: LIST_AND_WATCH,
} as const;

/**
 * The Gateway API kinds: optional, listed whole in the namespace (which route names a Service is
 * in its spec), read as one group.
 */
const GATEWAY_ROUTE = {
  group: 'gateway.networking.k8s.io',
  namespaced: true,
  optional: true,
  whenMissing: 'Gateway API routes were not checked',
  readWith: 'gateway',
  refusedAsOne: true,
  whenServicesNamed: 'all',
  verbs: LIST_AND_WATCH,
} as const;

/** Whether the input holds a Gateway API route, whose Gateways' addresses may show their data plane. */
function holdsRoutes(objects: readonly ClusterObject[]): boolean {
  return objects.some(
    (o) =>
      o.kind === 'HTTPRoute' ||
      o.kind === 'GRPCRoute' ||
      o.kind === 'TCPRoute' ||
      o.kind === 'TLSRoute' ||
      o.kind === 'UDPRoute',
  );
}

/** Whether some NetworkPolicy has a peer that selects namespaces by labels other than their name's. */
function policiesSelectNamespaces(objects: readonly ClusterObject[]): boolean {
  return objects.some(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.ingress.some((r) => r.peers.some(needsNamespaceLabels)) ||
        o.egress.some((r) => r.peers.some(needsNamespaceLabels))),
  );
}

const KIND_TABLE = [
  {
    kind: 'Service',
    group: '',
    version: 'v1',
    resource: 'services',
    namespaced: true,
    optional: false,
    label: 'Services',
    whenServicesNamed: 'named',
    verbs: READ_AND_WATCH,
  },
  {
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    resource: 'endpoints',
    namespaced: true,
    optional: true,
    whenMissing: 'diagnosed from EndpointSlices alone',
    coverage: 'endpoints',
    notedWhenAbsent: true,
    label: 'Endpoints (v1)',
    whenServicesNamed: 'named',
    verbs: READ_AND_WATCH,
  },
  {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    namespaced: true,
    optional: false,
    coverage: 'endpointSlices',
    notedWhenAbsent: true,
    label: 'EndpointSlices',
    whenServicesNamed: 'labelled',
    verbs: READ_AND_WATCH,
  },
  {
    kind: 'Pod',
    group: '',
    version: 'v1',
    resource: 'pods',
    namespaced: true,
    optional: false,
    // Pods were read: always live; a snapshot only when it holds a Pod or says it read them.
    // Which namespaces that covers is ClusterModel.podsReadIn's question. A snapshot without
    // Pods has no note of its own: the skipped checks' notes say what it lacks.
    coverage: 'pods',
    label: 'Pods',
    whenServicesNamed: 'selected',
    verbs: READ_AND_WATCH,
  },
  {
    kind: 'Node',
    group: '',
    version: 'v1',
    resource: 'nodes',
    namespaced: false,
    optional: true,
    whenMissing: 'checks that need them were skipped',
    coverage: 'nodes',
    notedWhenAbsent: true,
    label: 'Nodes',
    whenServicesNamed: 'all',
    verbs: READ_AND_WATCH,
  },
  {
    kind: 'Event',
    group: '',
    version: 'v1',
    resource: 'events',
    namespaced: true,
    optional: true,
    whenMissing: 'findings carry no event evidence, and the checks that need them were skipped',
    coverage: 'events',
    label: 'Events',
    // A run naming Services reads the namespace's Warning events: one paginated list, filtered on
    // the server, rather than a list per pod, slice and Service (whose pods are known only once
    // their selectors were read, a second round of requests).
    whenServicesNamed: 'all',
    // Never read by name: list, and watch for --watch.
    verbs: ['list', 'watch'],
    fieldSelector: 'type=Warning',
  },
  { ...WORKLOAD, kind: 'Deployment', resource: 'deployments', coverage: 'deployments', label: 'Deployments' },
  { ...WORKLOAD, kind: 'ReplicaSet', resource: 'replicasets', coverage: 'replicaSets', label: 'ReplicaSets' },
  { ...WORKLOAD, kind: 'StatefulSet', resource: 'statefulsets', coverage: 'statefulSets', label: 'StatefulSets' },
  { ...WORKLOAD, kind: 'DaemonSet', resource: 'daemonsets', coverage: 'daemonSets', label: 'DaemonSets' },
  // Objects that refer to Services (model/references.ts): read whole in the namespace when
  // Services are named, since which ones name a Service is in their spec, which no server-side
  // selector filters on.
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    namespaced: true,
    optional: true,
    whenMissing: 'Ingress backends were not checked',
    coverage: 'ingresses',
    label: 'Ingresses',
    whenServicesNamed: 'all',
    verbs: LIST_AND_WATCH,
    forNames: ['ingress', 'ingresses', 'ing'],
  },
  // Admission webhooks and aggregated APIs: cluster-scoped, read whole (a run naming Services
  // reads them all, as it reads Nodes); their Services may be in any namespace.
  {
    ...CLUSTER_REFERRER,
    kind: 'ValidatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingwebhookconfigurations',
    coverage: 'validatingWebhooks',
    label: 'ValidatingWebhookConfigurations',
    forNames: ['validatingwebhookconfiguration', 'validatingwebhookconfigurations'],
  },
  {
    ...CLUSTER_REFERRER,
    kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    resource: 'mutatingwebhookconfigurations',
    coverage: 'mutatingWebhooks',
    label: 'MutatingWebhookConfigurations',
    forNames: ['mutatingwebhookconfiguration', 'mutatingwebhookconfigurations'],
  },
  {
    ...CLUSTER_REFERRER,
    kind: 'APIService',
    group: 'apiregistration.k8s.io',
    resource: 'apiservices',
    whenMissing: 'the Services of aggregated APIs were not checked',
    coverage: 'apiServices',
    label: 'APIServices',
    forNames: ['apiservice', 'apiservices'],
  },
  // Gateway API (gateway.networking.k8s.io), a set of CRDs a cluster may not have installed: the
  // routes whose backendRefs name Services, the ReferenceGrants that let a route name a Service of
  // another namespace, and the Gateways whose status addresses show which Service carries their
  // routes' traffic. TCPRoute, TLSRoute and UDPRoute are served only where the experimental
  // channel is installed. Read as one (readWith), and noted as one when refused.
  {
    ...GATEWAY_ROUTE,
    kind: 'HTTPRoute',
    version: 'v1',
    resource: 'httproutes',
    coverage: 'httpRoutes',
    label: 'HTTPRoutes',
    forNames: ['httproute', 'httproutes'],
  },
  {
    ...GATEWAY_ROUTE,
    kind: 'GRPCRoute',
    version: 'v1',
    resource: 'grpcroutes',
    coverage: 'grpcRoutes',
    label: 'GRPCRoutes',
    forNames: ['grpcroute', 'grpcroutes'],
  },
  {
    ...GATEWAY_ROUTE,
    kind: 'TCPRoute',
    version: 'v1alpha2',
    resource: 'tcproutes',
    coverage: 'tcpRoutes',
    label: 'TCPRoutes',
    forNames: ['tcproute', 'tcproutes'],
  },
  {
    ...GATEWAY_ROUTE,
    kind: 'TLSRoute',
    version: 'v1alpha2',
    resource: 'tlsroutes',
    coverage: 'tlsRoutes',
    label: 'TLSRoutes',
    forNames: ['tlsroute', 'tlsroutes'],
  },
  {
    ...GATEWAY_ROUTE,
    kind: 'UDPRoute',
    version: 'v1alpha2',
    resource: 'udproutes',
    coverage: 'udpRoutes',
    label: 'UDPRoutes',
    forNames: ['udproute', 'udproutes'],
  },
  {
    ...GATEWAY_ROUTE,
    kind: 'ReferenceGrant',
    version: 'v1beta1',
    resource: 'referencegrants',
    whenMissing: 'cross-namespace backendRefs were not checked',
    coverage: 'referenceGrants',
    label: 'ReferenceGrants',
  },
  // Only routes read it (for the pods that carry their traffic, model/referrer-pods.ts): without
  // a route, refused or absent, it leaves no note.
  {
    ...GATEWAY_ROUTE,
    kind: 'Gateway',
    version: 'v1',
    resource: 'gateways',
    whenMissing: "routes' Gateways were known only by the labels on their Services",
    coverage: 'gateways',
    label: 'Gateways',
    neededBy: holdsRoutes,
  },
  // What decides whether a backend admits traffic (issue 17): the NetworkPolicies of the namespace,
  // read whole (which pods a policy selects is in its spec), and the Namespaces, whose labels
  // policies' namespaceSelectors match. Both optional: namespace-scoped users are often refused
  // Namespaces, a cluster-scoped kind, which only a policy selecting namespaces needs.
  {
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    namespaced: true,
    optional: true,
    whenMissing: 'NetworkPolicies were not evaluated',
    coverage: 'networkPolicies',
    label: 'NetworkPolicies',
    whenServicesNamed: 'all',
    verbs: LIST_AND_WATCH,
  },
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    resource: 'namespaces',
    namespaced: false,
    optional: true,
    whenMissing: 'NetworkPolicy peers that select namespaces by label were not evaluated',
    coverage: 'namespaces',
    label: 'Namespaces',
    whenServicesNamed: 'all',
    verbs: LIST_AND_WATCH,
    neededBy: policiesSelectNamespaces,
  },
] as const satisfies readonly KindSpec[];

type KindEntry = (typeof KIND_TABLE)[number];
export type KnownKind = KindEntry['kind'];
export type CoverageKey = Extract<KindEntry, { coverage: string }>['coverage'];

/** An entry of the table. */
export interface KnownKindSpec extends KindSpec {
  readonly kind: KnownKind;
  readonly coverage?: CoverageKey;
}

/** In the order `kubectl get services,endpoints,endpointslices,pods,nodes,events,deployments,...,ingresses` lists them, as the snapshot writes them. */
export const KINDS: readonly KnownKindSpec[] = KIND_TABLE;

export function kindSpec(kind: KnownKind): KnownKindSpec {
  return KINDS.find((k) => k.kind === kind)!;
}

/** "v1", "discovery.k8s.io/v1". */
export function apiVersionOf(kind: KindSpec): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** The URL of the kind's objects in `namespace`; in every namespace when it is undefined or the kind is cluster-scoped. */
export function collectionPath(kind: KindSpec, namespace?: string): string {
  const root = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return kind.namespaced && namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`
    : `${root}/${kind.resource}`;
}

/** How `kubectl get -o name` names a kind's resource: "service", "ingress.networking.k8s.io". */
export function resourceOfKind(kind: string): string {
  const spec = KINDS.find((k) => k.kind === kind);
  const singular = kind.toLowerCase();
  return spec?.group ? `${singular}.${spec.group}` : singular;
}
