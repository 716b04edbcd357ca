// The test server's object store: which resources it serves, the objects themselves with a
// cluster-wide resourceVersion like etcd's, the event history that watches replay, list
// snapshots behind continue tokens, and label/field selectors as the API server parses them.

import { randomUUID } from 'node:crypto';
import { isJsonArray, isJsonObject, valueAt, type JsonObject } from './json-value.js';
import { matchesLabels, SelectorError, type LabelRequirement } from './label-selector.js';

/** The metadata of a stored object: the name and namespace it is stored under and the resourceVersion it was stored at; the rest as received. */
interface StoredMetadata extends JsonObject {
  name: string;
  /** Set for namespaced kinds, absent for cluster-scoped ones. */
  namespace?: string;
  resourceVersion: string;
}

/** An API object as the store holds it: as received, its kind, apiVersion and metadata filled in. */
export interface StoredObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMetadata;
  /** As received, unread: a test casts the object to its own declared view of what it reads. */
  spec?: unknown;
  status?: unknown;
}

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Fields a fieldSelector may name besides metadata.name and metadata.namespace (the real per-kind sets, trimmed). */
  fields?: Record<string, (o: StoredObject) => unknown>;
  /**
   * Defined by a CustomResourceDefinition: served only once one is installed (ObjectStore.install),
   * as on a cluster where the CRD was applied.
   */
  crd?: true;
  /** The defaults the API server fills in on every write (its SetDefaults_<Kind> functions), applied to the stored copy. */
  defaults?: (o: JsonObject) => void;
}

/**
 * The label kubernetes.io/metadata.name, set to the name whatever the object says
 * (SetDefaults_Namespace, https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/v1/defaults.go).
 */
function defaultNamespace(o: JsonObject): void {
  const metadata = isJsonObject(o.metadata) ? o.metadata : (o.metadata = {});
  const labels = isJsonObject(metadata.labels) ? metadata.labels : (metadata.labels = {});
  labels['kubernetes.io/metadata.name'] = metadata.name;
}

/**
 * policyTypes, when absent or empty: Ingress, plus Egress when there are egress rules; a port's
 * protocol, when absent: TCP (SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort,
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/v1/defaults.go).
 */
function defaultNetworkPolicy(o: JsonObject): void {
  const spec = isJsonObject(o.spec) ? o.spec : (o.spec = {});
  const egress = isJsonArray(spec.egress) ? spec.egress : [];
  if (!isJsonArray(spec.policyTypes) || spec.policyTypes.length === 0)
    spec.policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...(isJsonArray(spec.ingress) ? spec.ingress : []), ...egress]) {
    if (!isJsonObject(rule) || !isJsonArray(rule.ports)) continue;
    for (const port of rule.ports) if (isJsonObject(port) && port.protocol === undefined) port.protocol = 'TCP';
  }
}

/** A policy kind a CRD defines: served once installed. */
function policyCrdKind(
  group: string,
  version: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): ResourceType {
  const singular = kind.toLowerCase();
  return {
    group,
    version,
    plural: `${singular.replace(/y$/, 'ie')}s`,
    singular,
    kind,
    namespaced,
    ...(shortNames ? { shortNames } : {}),
    crd: true,
  };
}

/** A Gateway API kind (gateway.networking.k8s.io), served once its CRD is installed. */
function gatewayKind(kind: string, version: string, shortNames?: string[]): ResourceType {
  const singular = kind.toLowerCase();
  return {
    group: 'gateway.networking.k8s.io',
    version,
    plural: `${singular}s`,
    singular,
    kind,
    namespaced: true,
    ...(shortNames ? { shortNames } : {}),
    crd: true,
  };
}

export const RESOURCES: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    fields: {
      'spec.nodeName': (o) => valueAt(o, 'spec', 'nodeName'),
      'spec.restartPolicy': (o) => valueAt(o, 'spec', 'restartPolicy'),
      'spec.serviceAccountName': (o) => valueAt(o, 'spec', 'serviceAccountName'),
      'status.phase': (o) => valueAt(o, 'status', 'phase'),
      'status.podIP': (o) => valueAt(o, 'status', 'podIP'),
    },
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    fields: { 'spec.unschedulable': (o) => fieldText(valueAt(o, 'spec', 'unschedulable') ?? false) },
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    fields: { 'status.phase': (o) => valueAt(o, 'status', 'phase') },
    defaults: defaultNamespace,
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    // pkg/registry/core/event/strategy.go ToSelectableFields, trimmed.
    fields: {
      'involvedObject.kind': (o) => valueAt(o, 'involvedObject', 'kind'),
      'involvedObject.namespace': (o) => valueAt(o, 'involvedObject', 'namespace'),
      'involvedObject.name': (o) => valueAt(o, 'involvedObject', 'name'),
      'involvedObject.uid': (o) => valueAt(o, 'involvedObject', 'uid'),
      reason: (o) => valueAt(o, 'reason'),
      source: (o) => valueAt(o, 'source', 'component'),
      type: (o) => valueAt(o, 'type'),
    },
  },
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    defaults: defaultNetworkPolicy,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    singular: 'validatingwebhookconfiguration',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    singular: 'mutatingwebhookconfiguration',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  {
    group: 'apiregistration.k8s.io',
    version: 'v1',
    plural: 'apiservices',
    singular: 'apiservice',
    kind: 'APIService',
    namespaced: false,
  },
  // The Gateway API CRDs' names (config/crd of kubernetes-sigs/gateway-api): ReferenceGrant and Gateway have short names.
  gatewayKind('HTTPRoute', 'v1'),
  gatewayKind('GRPCRoute', 'v1'),
  gatewayKind('TCPRoute', 'v1alpha2'),
  gatewayKind('TLSRoute', 'v1alpha2'),
  gatewayKind('UDPRoute', 'v1alpha2'),
  gatewayKind('ReferenceGrant', 'v1beta1', ['refgrant']),
  gatewayKind('Gateway', 'v1', ['gtw']),
  // Policy kinds the doctor does not evaluate, only notices (src/sources/policy-environment.ts),
  // with their CRDs' names. Calico's namespaced NetworkPolicy is left out: it shares its kind with
  // networking.k8s.io's, which the store tells objects apart by.
  policyCrdKind('policy.networking.k8s.io', 'v1alpha1', 'AdminNetworkPolicy', false, ['anp']),
  policyCrdKind('policy.networking.k8s.io', 'v1alpha1', 'BaselineAdminNetworkPolicy', false, ['banp']),
  policyCrdKind('cilium.io', 'v2', 'CiliumNetworkPolicy', true, ['cnp', 'ciliumnp']),
  policyCrdKind('cilium.io', 'v2', 'CiliumClusterwideNetworkPolicy', false, ['ccnp']),
  policyCrdKind('crd.projectcalico.org', 'v1', 'GlobalNetworkPolicy', false),
];

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "pods", "endpointslices" or "endpointslices.discovery.k8s.io". */
export function resourceNamed(name: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.plural === name || `${r.plural}.${r.group}` === name);
}

export function resourceOfKind(kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

// ---------------------------------------------------------------------------------------------
// Selectors

export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

/**
 * The fieldSelector query parameter as apimachinery's fields.ParseSelector reads it: terms split at
 * commas not escaped with a backslash, empty terms skipped, each split at its first "!=", "==" or
 * "=" (nothing trimmed), the value unescaped (a backslash may escape "\\", "," or "=", which
 * otherwise may not stand in a value); then, as the API server does, a field the resource does not
 * index is refused.
 * https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apimachinery/pkg/fields/selector.go
 */
export function parseFieldSelector(text: string, resource: ResourceType): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitFieldTerms(text)) {
    if (term === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({ field: m[1], equal: m[2] !== '!=', value: unescapeFieldValue(m[3]) });
  }
  for (const { field } of requirements)
    if (!fieldGetter(field, resource)) throw new SelectorError(`field label not supported: ${field}`);
  return requirements;
}

function splitFieldTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function unescapeFieldValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === ',' || ch === '=')
      throw new SelectorError(`invalid field selector: unescaped character in value: ${ch}`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next !== '\\' && next !== ',' && next !== '=')
      throw new SelectorError(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
    out += next;
  }
  return out;
}

function fieldGetter(field: string, resource: ResourceType): ((o: StoredObject) => unknown) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata.name;
  if (field === 'metadata.namespace') return (o) => o.metadata.namespace;
  return resource.fields?.[field];
}

/** A field's value as a selector compares it: a scalar as text, an absent field (or a map or list, which no selectable field is) as ''. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function matchesFields(requirements: FieldRequirement[], object: StoredObject, resource: ResourceType): boolean {
  return requirements.every(({ field, equal, value }) => {
    const actual = fieldGetter(field, resource)!(object);
    return (fieldText(actual) === value) === equal;
  });
}

export interface ListFilter {
  namespace?: string;
  name?: string;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
}

export function matchesFilter(filter: ListFilter, object: StoredObject, resource: ResourceType): boolean {
  const meta = object.metadata;
  if (filter.namespace !== undefined && meta.namespace !== filter.namespace) return false;
  if (filter.name !== undefined && meta.name !== filter.name) return false;
  if (filter.labels && !matchesLabels(filter.labels, isJsonObject(meta.labels) ? meta.labels : undefined)) return false;
  if (filter.fields && !matchesFields(filter.fields, object, resource)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Objects

export class StoreError extends Error {
  constructor(
    message: string,
    readonly reason: 'NotFound' | 'AlreadyExists' | 'BadRequest',
  ) {
    super(message);
  }
}

export type StoreEvent =
  | {
      type: 'ADDED' | 'MODIFIED' | 'DELETED';
      rv: number;
      resource: ResourceType;
      object: StoredObject;
      previous?: StoredObject;
    }
  | { type: 'BOOKMARK'; rv: number };

/** A list taken at one resourceVersion, paged through by continue tokens. */
export interface ListSnapshot {
  rv: number;
  items: StoredObject[];
}

/** Flattens decoded documents (single objects, List, PodList...) into objects, as kubectl's output nests them. */
export function flattenObjects(values: unknown[]): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (doc: unknown, itemKind?: string) => {
    if (!isJsonObject(doc)) return;
    const kind = typeof doc.kind === 'string' ? doc.kind : itemKind;
    if (kind && kind.endsWith('List') && isJsonArray(doc.items)) {
      // Items of a typed list (PodList) carry no kind of their own, as the API server sends them.
      const inner = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of doc.items) visit(item, inner);
      return;
    }
    out.push(kind && doc.kind !== kind ? { ...doc, kind } : doc);
  };
  values.forEach((v) => visit(v));
  return out;
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  private readonly history: StoreEvent[] = [];
  /** Events at or below this resourceVersion are gone, as after an etcd compaction. */
  private compactedRV = 0;
  private rv = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly snapshots = new Map<string, ListSnapshot>();

  /** The CRD-defined resources installed, as "plural.group". */
  private readonly installed = new Set<string>();

  constructor(private readonly historyLimit = 1000) {
    this.ensureNamespace('default');
  }

  /**
   * Installs the resource a CustomResourceDefinition defines (spec.group and spec.names.plural),
   * when it is one of RESOURCES: from now on it is served. Returns whether it was one.
   */
  install(crd: JsonObject): boolean {
    const spec = isJsonObject(crd.spec) ? crd.spec : {};
    const names = isJsonObject(spec.names) ? spec.names : {};
    const resource = RESOURCES.find((r) => r.crd && r.group === spec.group && r.plural === names.plural);
    if (resource) this.installed.add(`${resource.plural}.${resource.group}`);
    return resource !== undefined;
  }

  /** Whether the resource is served: built in, or a CRD's that was installed. */
  serves(resource: ResourceType): boolean {
    return !resource.crd || this.installed.has(`${resource.plural}.${resource.group}`);
  }

  /** The latest resourceVersion, as list metadata reports it. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** How many objects the store holds. */
  get size(): number {
    return this.objects.size;
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestWatchableRV(): number {
    return this.compactedRV;
  }

  create(object: JsonObject): StoredObject {
    const identity = this.identify(object);
    const { resource, name, namespace, key } = identity;
    if (this.objects.has(key)) throw new StoreError(`${resource.plural} "${name}" already exists`, 'AlreadyExists');
    if (resource.namespaced) this.ensureNamespace(namespace);
    const stored = this.stamp(identity, object, undefined);
    this.objects.set(key, stored);
    this.emit({ type: 'ADDED', rv: this.rv, resource, object: stored });
    return structuredClone(stored);
  }

  /** Replaces an existing object whole, as a PUT does. */
  update(object: JsonObject): StoredObject {
    const identity = this.identify(object);
    const { resource, name, key } = identity;
    const previous = this.objects.get(key);
    if (!previous) throw new StoreError(`${resource.plural} "${name}" not found`, 'NotFound');
    const stored = this.stamp(identity, object, previous);
    this.objects.set(key, stored);
    this.emit({ type: 'MODIFIED', rv: this.rv, resource, object: stored, previous });
    return structuredClone(stored);
  }

  /** Creates the object, or replaces it when it exists. */
  apply(object: JsonObject): StoredObject {
    const { key } = this.identify(object);
    return this.objects.has(key) ? this.update(object) : this.create(object);
  }

  /** Deletes by kind, namespace and name: the object itself or just { kind, metadata: { namespace, name } }. */
  delete(object: JsonObject): StoredObject {
    const { resource, name, key } = this.identify(object);
    const previous = this.objects.get(key);
    if (!previous) throw new StoreError(`${resource.plural} "${name}" not found`, 'NotFound');
    this.objects.delete(key);
    this.rv++;
    // The DELETED event carries the object at the deletion's resourceVersion, as the real server's does.
    const gone = structuredClone(previous);
    gone.metadata.resourceVersion = String(this.rv);
    this.emit({ type: 'DELETED', rv: this.rv, resource, object: gone, previous });
    return structuredClone(gone);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.objects.get(objectKey(resource, resource.namespaced ? (namespace ?? 'default') : '', name));
    return found && structuredClone(found);
  }

  /** Objects of one resource matching the filter, ordered by namespace then name like etcd keys. */
  list(resource: ResourceType, filter: ListFilter = {}): StoredObject[] {
    return this.listShared(resource, filter).map((o) => structuredClone(o));
  }

  /**
   * As list, but the stored objects themselves, not copies: what the routes serialize. The
   * store never changes a stored object in place (an update stores a new one), so a list
   * snapshot of them stays as it was taken. Callers must not modify them. Copying every
   * object on each list's first page cost more than serializing them (~0.3 ms per realistic
   * pod), enough for a 50,000-pod list to outlast a 30 s client timeout.
   */
  listShared(resource: ResourceType, filter: ListFilter = {}): StoredObject[] {
    const prefix = `${resource.group}/${resource.plural}/`;
    return [...this.objects.entries()]
      .filter(([key, o]) => key.startsWith(prefix) && matchesFilter(filter, o, resource))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  /** Events after `rv`, or undefined when some of them were compacted away. */
  eventsAfter(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRV) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a BOOKMARK at the current resourceVersion to watches that asked for bookmarks. */
  bookmark(): void {
    for (const l of this.listeners) l({ type: 'BOOKMARK', rv: this.rv });
  }

  /** Forgets the event history and list snapshots, like an etcd compaction: older watches get 410, continue tokens expire. */
  compact(): void {
    this.history.length = 0;
    this.compactedRV = this.rv;
    this.expireSnapshots();
  }

  saveSnapshot(snapshot: ListSnapshot): string {
    const id = randomUUID();
    this.snapshots.set(id, snapshot);
    // Keep memory bounded; an evicted snapshot's token answers 410 like an expired one.
    if (this.snapshots.size > 100) this.snapshots.delete(this.snapshots.keys().next().value!);
    return id;
  }

  snapshot(id: string): ListSnapshot | undefined {
    return this.snapshots.get(id);
  }

  expireSnapshots(): void {
    this.snapshots.clear();
  }

  /**
   * Namespaces come into being with their first object: kubectl asks for the namespace after
   * a 404 to tell "no such pod" from "no such namespace".
   */
  private ensureNamespace(name: string): void {
    if (this.objects.has(`/namespaces//${name}`)) return;
    this.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  private identify(object: JsonObject): Identity {
    const kind = object.kind;
    const resource = typeof kind === 'string' ? resourceOfKind(kind) : undefined;
    if (!resource) throw new StoreError(`the test server does not serve kind ${String(kind)}`, 'BadRequest');
    const name = valueAt(object, 'metadata', 'name');
    if (typeof name !== 'string' || name === '')
      throw new StoreError(`${resource.kind} without metadata.name`, 'BadRequest');
    let namespace = '';
    if (resource.namespaced) {
      const given = valueAt(object, 'metadata', 'namespace') ?? 'default';
      if (typeof given !== 'string')
        throw new StoreError(`${resource.kind} ${name} with a metadata.namespace that is not a string`, 'BadRequest');
      namespace = given;
    }
    return { resource, name, namespace, key: objectKey(resource, namespace, name) };
  }

  /** The stored form: defaults the server fills in, and the next resourceVersion. */
  private stamp(
    { resource, name, namespace }: Identity,
    object: JsonObject,
    previous: StoredObject | undefined,
  ): StoredObject {
    const copy = structuredClone(object);
    this.rv++;
    // Fields the received metadata lacks follow its own in the order the server adds them,
    // resourceVersion last.
    const received = isJsonObject(copy.metadata) ? copy.metadata : {};
    const metadata: StoredMetadata = {
      ...received,
      name,
      namespace,
      uid: received.uid ?? previous?.metadata.uid ?? randomUUID(),
      creationTimestamp:
        received.creationTimestamp ??
        previous?.metadata.creationTimestamp ??
        new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      resourceVersion: String(this.rv),
    };
    if (!resource.namespaced) delete metadata.namespace;
    const stored: StoredObject = { ...copy, apiVersion: apiVersionOf(resource), kind: resource.kind, metadata };
    resource.defaults?.(stored);
    return stored;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRV = dropped[dropped.length - 1].rv;
    }
    for (const l of this.listeners) l(event);
  }
}

/** Which object a request names: its resource, name, namespace ('' for cluster-scoped kinds) and key in the store. */
interface Identity {
  resource: ResourceType;
  name: string;
  namespace: string;
  key: string;
}

function objectKey(resource: ResourceType, namespace: string, name: string): string {
  return `${resource.group}/${resource.plural}/${namespace}/${name}`;
}
