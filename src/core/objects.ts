// The slim objects the checks work on. Sources (live API, snapshot files) convert raw
// Kubernetes JSON into these as soon as it arrives, so no raw object outlives its page.
// Every field here is read by some check, renderer or index; add fields only with a reader.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type Labels = Record<string, string>;

export interface ObjectMeta {
  namespace: string;
  name: string;
  uid?: string;
  labels: Labels;
  /** Kept for Services, EndpointSlices and Endpoints; always empty for Pods, Nodes and workloads. */
  annotations: Labels;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** The controller among metadata.ownerReferences (the workload that made it); kept for Pods and ReplicaSets. */
  owner?: OwnerRef;
}

/** An ownerReference with controller: true, as the tree and the workload checks follow it. */
export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
}

export interface ServicePort {
  /** "" when the port is unnamed (kube-proxy and slices key unnamed ports by ""). */
  name: string;
  port: number;
  protocol: Protocol;
  /** Defaulted to `port` when omitted, as the API server does. */
  targetPort: number | string;
  nodePort?: number;
  /** spec.ports[].appProtocol: what the port speaks ("https", "kubernetes.io/h2c"); absent when unset. */
  appProtocol?: string;
}

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface Service {
  kind: 'Service';
  meta: ObjectMeta;
  type: ServiceType;
  /** null when absent or `{}`: both mean selectorless (the API cannot tell them apart). */
  selector: Labels | null;
  clusterIP?: string;
  clusterIPs: string[];
  ipFamilies: ('IPv4' | 'IPv6')[];
  ports: ServicePort[];
  externalName?: string;
  externalIPs: string[];
  publishNotReadyAddresses: boolean;
  internalTrafficPolicy: 'Cluster' | 'Local';
  externalTrafficPolicy: 'Cluster' | 'Local';
  loadBalancerClass?: string;
  loadBalancerIngress: LoadBalancerIngress[];
  trafficDistribution?: string;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/**
 * What a container's readiness probe runs and where (docs/kubernetes-semantics.md#readiness-probes):
 * enough to resolve its port as the kubelet does and to name it in a finding. Never an exec
 * command, header or query string: those may hold secrets and no check reads them.
 */
export type ReadinessProbe =
  | {
      handler: 'httpGet';
      /** A number, or the name of one of this container's ports. */
      port: number | string;
      /** Without its query string (kept as "?…"): a query may carry a token. */
      path?: string;
      /** HTTP (the default) or HTTPS. */
      scheme: string;
    }
  | { handler: 'tcpSocket'; port: number | string }
  | { handler: 'grpc'; port: number; service?: string }
  | { handler: 'exec' }
  /** A probe without a handler the input shows (a snapshot written before handlers were kept). */
  | { handler: 'unknown' };

export interface Container {
  name: string;
  ports: ContainerPort[];
  /** Absent when the container has no readiness probe. */
  readinessProbe?: ReadinessProbe;
  hasStartupProbe: boolean;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  /** waiting or terminated reason, e.g. CrashLoopBackOff, ImagePullBackOff, Completed. */
  reason?: string;
  message?: string;
  exitCode?: number;
  /** Reason of the last termination, e.g. Error or OOMKilled, shown with CrashLoopBackOff. */
  lastTerminationReason?: string;
  lastExitCode?: number;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  /** RFC 3339; compared with a slice's last-change-trigger-time to allow for controller lag (docs/kubernetes-semantics.md#labels-and-annotations-on-slices). */
  lastTransitionTime?: string;
}

export interface Pod {
  kind: 'Pod';
  meta: ObjectMeta;
  nodeName?: string;
  /**
   * spec.hostNetwork: the pod uses its node's network. How NetworkPolicies treat it is left to the
   * network plugin (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods).
   */
  hostNetwork: boolean;
  hostname?: string;
  subdomain?: string;
  containers: Container[];
  /** initContainers with restartPolicy: Always (native sidecars); ordinary init containers are not kept. */
  sidecars: Container[];
  /** Names of all init containers in order, for "init container X is still running" causes. */
  initContainerNames: string[];
  readinessGates: string[];
  phase: string;
  /** status.reason, e.g. Evicted or NodeLost. */
  reason?: string;
  podIPs: string[];
  conditions: PodCondition[];
  containerStatuses: ContainerStatus[];
  initContainerStatuses: ContainerStatus[];
}

/** With the discovery/v1 defaults applied when slimmed: an unset ready or serving is true, an unset terminating false. */
export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: EndpointConditions;
  nodeName?: string;
  zone?: string;
  hintZones: string[];
  targetRef?: ObjectRef;
}

export interface SlicePort {
  /** null when the slice port has no name; kube-proxy ignores such ports. */
  name: string | null;
  port?: number;
  protocol: Protocol;
}

export interface EndpointSlice {
  kind: 'EndpointSlice';
  meta: ObjectMeta;
  addressType: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
  /** Value of the kubernetes.io/service-name label, if any. */
  serviceName?: string;
  /** Value of the endpointslice.kubernetes.io/managed-by label, if any. */
  managedBy?: string;
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef?: ObjectRef;
}

interface EndpointsPort {
  name: string;
  port: number;
  protocol: Protocol;
}

interface EndpointSubset {
  addresses: EndpointAddress[];
  notReadyAddresses: EndpointAddress[];
  ports: EndpointsPort[];
}

export interface Endpoints {
  kind: 'Endpoints';
  meta: ObjectMeta;
  subsets: EndpointSubset[];
}

interface Taint {
  key: string;
  effect: string;
}

export interface Node {
  kind: 'Node';
  meta: ObjectMeta;
  /** Status of the Ready condition: True, False or Unknown ("Unknown" when missing). */
  ready: string;
  taints: Taint[];
  /** status.allocatable.cpu in millicores; undefined when absent or unparseable (topology hints need it, docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution). */
  allocatableCpuMillis?: number;
}

/**
 * A core/v1 Event (or an events.k8s.io/v1 one, read into the same fields): what a controller or
 * the kubelet reported about one object. Only Warning events are read live.
 */
export interface Event {
  kind: 'Event';
  /** Namespace and name of the Event itself; no labels or annotations are kept. */
  meta: ObjectMeta;
  /** involvedObject (regarding): the object it is about, attributed only by kind, namespace, name and uid. */
  involvedObject: ObjectRef;
  /** Warning or Normal. */
  type: string;
  reason: string;
  message: string;
  /** How many times it happened (series.count, count): at least 1. */
  count: number;
  /** When it last happened (series.lastObservedTime, lastTimestamp, eventTime), RFC 3339; undefined when the event says nothing. */
  lastSeen?: string;
  /** Who reported it: reportingController, else source.component (kubelet, service-controller...). */
  source?: string;
}

// The workloads behind the pods (apps/v1): what their pod template is labelled, how many pods
// they want, and what their controller says when it cannot make them.

/**
 * A metav1.LabelSelector as written: every matchLabels pair and every matchExpression must hold;
 * `{}` selects everything. A workload's spec.selector, a NetworkPolicy's podSelector and its
 * peers' selectors. Operators: In, NotIn, Exists, DoesNotExist.
 */
export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

/** A status condition, with its reason and message only when it does not hold (ReplicaFailure, Available...). */
export interface WorkloadCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface WorkloadFields {
  meta: ObjectMeta;
  selector: LabelSelector;
  /** spec.template.metadata.labels: what the pods it makes carry. */
  templateLabels: Labels;
}

export interface Deployment extends WorkloadFields {
  kind: 'Deployment';
  /** spec.replicas, 1 when absent (the API server's default). */
  replicas: number;
  paused: boolean;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
  conditions: WorkloadCondition[];
}

export interface ReplicaSet extends WorkloadFields {
  kind: 'ReplicaSet';
  replicas: number;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
  conditions: WorkloadCondition[];
}

export interface StatefulSet extends WorkloadFields {
  kind: 'StatefulSet';
  replicas: number;
  /** spec.serviceName: the headless Service that governs its pods' DNS names. */
  serviceName?: string;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}

export interface DaemonSet extends WorkloadFields {
  kind: 'DaemonSet';
  /** status.desiredNumberScheduled: the nodes the controller wants a pod on. */
  status: { desiredNumberScheduled: number; numberReady: number; numberAvailable: number };
}

export type Workload = Deployment | ReplicaSet | StatefulSet | DaemonSet;

export type ClusterObject =
  | Service
  | Pod
  | EndpointSlice
  | Endpoints
  | Node
  | Event
  | Workload
  | Ingress
  | WebhookConfiguration
  | APIService
  | GatewayRoute
  | Gateway
  | ReferenceGrant
  | NetworkPolicy
  | Namespace;

/** An Ingress backend's Service (networking.k8s.io/v1 IngressServiceBackend): its name and port, by name or number. */
export interface IngressServiceBackend {
  service: string;
  /** `port.name` or `port.number`; absent when the backend names neither (the API server rejects that). */
  port?: string | number;
}

/** One path of an Ingress rule; the host is its rule's. */
interface IngressPath {
  host?: string;
  /** "/" when the path is absent, as the API server defaults it for pathType Prefix. */
  path: string;
  /** Undefined for a resource backend (spec.rules[].http.paths[].backend.resource), which names no Service. */
  backend?: IngressServiceBackend;
}

export interface Ingress {
  kind: 'Ingress';
  meta: ObjectMeta;
  /**
   * status.loadBalancer.ingress: the addresses its controller published for it, which controllers
   * take from their own Service (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service).
   */
  loadBalancerIngress: { ip?: string; hostname?: string }[];
  /** spec.ingressClassName, else the legacy kubernetes.io/ingress.class annotation. */
  ingressClassName?: string;
  /** Whether the class comes from the legacy annotation. */
  legacyClassAnnotation: boolean;
  defaultBackend?: IngressServiceBackend;
  paths: IngressPath[];
}

// Cluster-scoped objects whose outage is cluster-wide: admission webhooks and aggregated APIs
// (docs/kubernetes-semantics.md#admission-webhooks, docs/kubernetes-semantics.md#aggregated-apis).

/** A Service in another object's spec (clientConfig.service, spec.service): its port is 443 when absent. */
export interface ServiceRef {
  namespace: string;
  name: string;
  port?: number;
}

/** What a webhook's rules intercept, summarised: the operations and the resources ("pods", "deployments.apps"). */
export interface WebhookRules {
  operations: string[];
  resources: string[];
}

/** One webhook of a Validating- or MutatingWebhookConfiguration. */
export interface AdmissionWebhook {
  name: string;
  /** clientConfig.service; absent for a webhook called by URL (clientConfig.url), which names no Service. */
  service?: ServiceRef;
  /** Fail (the v1 default) or Ignore. */
  failurePolicy: 'Fail' | 'Ignore';
  rules: WebhookRules;
  /** Whether a namespaceSelector or objectSelector narrows what it intercepts (not evaluated). */
  namespaceSelector: boolean;
  objectSelector: boolean;
}

interface WebhookConfigurationFields {
  /** Cluster-scoped: namespace "". */
  meta: ObjectMeta;
  webhooks: AdmissionWebhook[];
}

export interface ValidatingWebhookConfiguration extends WebhookConfigurationFields {
  kind: 'ValidatingWebhookConfiguration';
}

export interface MutatingWebhookConfiguration extends WebhookConfigurationFields {
  kind: 'MutatingWebhookConfiguration';
}

export type WebhookConfiguration = ValidatingWebhookConfiguration | MutatingWebhookConfiguration;

/** A status condition as the object reports it. */
export interface StatusCondition {
  status: string;
  reason?: string;
  message?: string;
}

/**
 * A backendRef of a Gateway API route rule (gateway.networking.k8s.io BackendRef): the object it
 * names, the port and the share of the rule's traffic it gets.
 */
export interface RouteBackendRef {
  /** "" (the core group) unless the ref names another. */
  group: string;
  /** "Service" unless the ref names another. */
  kind: string;
  /** Absent: the route's own namespace. */
  namespace?: string;
  name: string;
  /** The Service port (its number); required for a Service, so absent only on a ref the API should have refused. */
  port?: number;
  /** Absent: 1. A ref of weight 0 gets no traffic. */
  weight?: number;
}

/** A route rule: what a reader needs to find it (its name, its first match) and its backendRefs. */
export interface RouteRule {
  /** rules[].name, where the route gives one. */
  name?: string;
  /** HTTPRoute: the first match's path value. */
  path?: string;
  /** GRPCRoute: the first match's method ("service/method", either part may be absent). */
  grpcMethod?: { service?: string; method?: string };
  backendRefs: RouteBackendRef[];
}

/** A route's parentRef to a Gateway (group gateway.networking.k8s.io, kind Gateway: the defaults). */
export interface ParentGateway {
  /** The route's own namespace when the parentRef names none. */
  namespace: string;
  name: string;
}

interface GatewayRouteFields {
  meta: ObjectMeta;
  rules: RouteRule[];
  /** spec.parentRefs that name a Gateway; refs to other parent kinds are left out. */
  parentGateways: ParentGateway[];
  /** The ResolvedRefs condition its Gateways' controller set, if any. */
  resolvedRefs?: StatusCondition;
}

interface HTTPRoute extends GatewayRouteFields {
  kind: 'HTTPRoute';
}
interface GRPCRoute extends GatewayRouteFields {
  kind: 'GRPCRoute';
}
interface TCPRoute extends GatewayRouteFields {
  kind: 'TCPRoute';
}
interface TLSRoute extends GatewayRouteFields {
  kind: 'TLSRoute';
}
interface UDPRoute extends GatewayRouteFields {
  kind: 'UDPRoute';
}

export type GatewayRoute = HTTPRoute | GRPCRoute | TCPRoute | TLSRoute | UDPRoute;

/**
 * An address a Gateway's implementation bound it to (status.addresses[], GatewayStatusAddress):
 * IPAddress and Hostname only, the types whose value can be compared with a Service's addresses
 * (docs/kubernetes-semantics.md#the-services-of-a-gateway).
 */
export interface GatewayAddress {
  type: 'IPAddress' | 'Hostname';
  value: string;
}

/** A Gateway (gateway.networking.k8s.io/v1): what finds its data plane's Service when no label does. */
export interface Gateway {
  kind: 'Gateway';
  /** Name, namespace and uid: its labels and annotations are the user's, and nothing reads them. */
  meta: ObjectMeta;
  gatewayClassName: string;
  /** status.addresses of type IPAddress (the default) and Hostname; other types are left out. */
  addresses: GatewayAddress[];
}

/**
 * A ReferenceGrant (gateway.networking.k8s.io/v1beta1): the objects of other namespaces (`from`)
 * allowed to refer to objects of its own namespace (`to`).
 */
export interface ReferenceGrant {
  kind: 'ReferenceGrant';
  meta: ObjectMeta;
  from: { group: string; kind: string; namespace: string }[];
  /** `name` absent: every object of that group and kind. */
  to: { group: string; kind: string; name?: string }[];
}

export interface APIService {
  kind: 'APIService';
  /** Cluster-scoped; named VERSION.GROUP (v1beta1.metrics.k8s.io). */
  meta: ObjectMeta;
  /** spec.service; absent for an API served by kube-apiserver itself (Local), which names no Service. */
  service?: ServiceRef;
  /** The Available condition; absent when the aggregator has not set it. */
  available?: StatusCondition;
}

/** A Namespace: its labels are what a NetworkPolicy's namespaceSelector matches (kubernetes.io/metadata.name included). */
export interface Namespace {
  kind: 'Namespace';
  /** Cluster-scoped: namespace is "". */
  meta: ObjectMeta;
}

/**
 * One port of a NetworkPolicy rule (networking.k8s.io/v1 NetworkPolicyPort). `port` absent: every
 * port of the protocol; a name is resolved against the destination pod's container ports;
 * `endPort` makes a numeric port the start of a range.
 */
export interface NetworkPolicyPort {
  /** Defaulted to TCP, as the API server does. */
  protocol: Protocol;
  port?: number | string;
  endPort?: number;
}

/**
 * One peer of a rule's from (ingress) or to (egress). podSelector alone: pods of the policy's
 * namespace; namespaceSelector alone: every pod of the matching namespaces; both: the pods they
 * both select (AND); ipBlock: addresses in cidr and in none of except.
 */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
}

/** A rule admits traffic that matches one of its peers and one of its ports; an empty list matches everything. */
export interface NetworkPolicyRule {
  peers: NetworkPolicyPeer[];
  ports: NetworkPolicyPort[];
}

/** A NetworkPolicy (networking.k8s.io/v1): which pods it isolates, in which directions, and what it admits. */
export interface NetworkPolicy {
  kind: 'NetworkPolicy';
  meta: ObjectMeta;
  /** The pods of its namespace it applies to; `{}` selects them all. */
  podSelector: LabelSelector;
  /**
   * spec.policyTypes, defaulted as the API server does when absent: Ingress, plus Egress when the
   * policy has egress rules.
   */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: NetworkPolicyRule[];
  egress: NetworkPolicyRule[];
}
