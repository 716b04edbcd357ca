// The test server's object store: which resources it serves, the objects themselves with a
// cluster-wide resourceVersion like etcd's, the event history that watches replay, list
// snapshots behind continue tokens, and label/field selectors as the API server parses them.

import { randomUUID } from 'node:crypto';
import { matchesLabels, SelectorError, type LabelRequirement } from './label-selector.js';

export type Raw = Record<string, any>;

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
  fields?: Record<string, (o: Raw) => unknown>;
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
      'spec.nodeName': (o) => o.spec?.nodeName,
      'spec.restartPolicy': (o) => o.spec?.restartPolicy,
      'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
      'status.phase': (o) => o.status?.phase,
      'status.podIP': (o) => o.status?.podIP,
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
    fields: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    fields: { 'status.phase': (o) => o.status?.phase },
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
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
  },
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

function fieldGetter(field: string, resource: ResourceType): ((o: Raw) => unknown) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata?.name;
  if (field === 'metadata.namespace') return (o) => o.metadata?.namespace;
  return resource.fields?.[field];
}

function matchesFields(requirements: FieldRequirement[], object: Raw, resource: ResourceType): boolean {
  return requirements.every(({ field, equal, value }) => {
    const actual = fieldGetter(field, resource)!(object);
    return (String(actual ?? '') === value) === equal;
  });
}

export interface ListFilter {
  namespace?: string;
  name?: string;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
}

export function matchesFilter(filter: ListFilter, object: Raw, resource: ResourceType): boolean {
  const meta = object.metadata ?? {};
  if (filter.namespace !== undefined && meta.namespace !== filter.namespace) return false;
  if (filter.name !== undefined && meta.name !== filter.name) return false;
  if (filter.labels && !matchesLabels(filter.labels, meta.labels)) return false;
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
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; rv: number; resource: ResourceType; object: Raw; previous?: Raw }
  | { type: 'BOOKMARK'; rv: number };

/** A list taken at one resourceVersion, paged through by continue tokens. */
export interface ListSnapshot {
  rv: number;
  items: Raw[];
}

/** Flattens decoded documents (single objects, List, PodList...) into objects, as kubectl's output nests them. */
export function flattenObjects(values: unknown[]): Raw[] {
  const out: Raw[] = [];
  const visit = (value: unknown, itemKind?: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const doc = value as Raw;
    const kind = typeof doc.kind === 'string' ? doc.kind : itemKind;
    if (kind && kind.endsWith('List') && Array.isArray(doc.items)) {
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
  private readonly objects = new Map<string, Raw>();
  private readonly history: StoreEvent[] = [];
  /** Events at or below this resourceVersion are gone, as after an etcd compaction. */
  private compactedRV = 0;
  private rv = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly snapshots = new Map<string, ListSnapshot>();

  constructor(private readonly historyLimit = 1000) {
    this.ensureNamespace('default');
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

  create(object: Raw): Raw {
    const { resource, key } = this.identify(object);
    if (this.objects.has(key))
      throw new StoreError(`${resource.plural} "${object.metadata.name}" already exists`, 'AlreadyExists');
    if (resource.namespaced) this.ensureNamespace(object.metadata.namespace ?? 'default');
    const stored = this.stamp(resource, object, undefined);
    this.objects.set(key, stored);
    this.emit({ type: 'ADDED', rv: this.rv, resource, object: stored });
    return structuredClone(stored);
  }

  /** Replaces an existing object whole, as a PUT does. */
  update(object: Raw): Raw {
    const { resource, key } = this.identify(object);
    const previous = this.objects.get(key);
    if (!previous) throw new StoreError(`${resource.plural} "${object.metadata.name}" not found`, 'NotFound');
    const stored = this.stamp(resource, object, previous);
    this.objects.set(key, stored);
    this.emit({ type: 'MODIFIED', rv: this.rv, resource, object: stored, previous });
    return structuredClone(stored);
  }

  /** Creates the object, or replaces it when it exists. */
  apply(object: Raw): Raw {
    const { key } = this.identify(object);
    return this.objects.has(key) ? this.update(object) : this.create(object);
  }

  /** Deletes by kind, namespace and name: the object itself or just { kind, metadata: { namespace, name } }. */
  delete(object: Raw): Raw {
    const { resource, key } = this.identify(object);
    const previous = this.objects.get(key);
    if (!previous) throw new StoreError(`${resource.plural} "${object.metadata.name}" not found`, 'NotFound');
    this.objects.delete(key);
    this.rv++;
    // The DELETED event carries the object at the deletion's resourceVersion, as the real server's does.
    const gone = structuredClone(previous);
    gone.metadata.resourceVersion = String(this.rv);
    this.emit({ type: 'DELETED', rv: this.rv, resource, object: gone, previous });
    return structuredClone(gone);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): Raw | undefined {
    const found = this.objects.get(objectKey(resource, resource.namespaced ? (namespace ?? 'default') : '', name));
    return found && structuredClone(found);
  }

  /** Objects of one resource matching the filter, ordered by namespace then name like etcd keys. */
  list(resource: ResourceType, filter: ListFilter = {}): Raw[] {
    return this.listShared(resource, filter).map((o) => structuredClone(o));
  }

  /**
   * As list, but the stored objects themselves, not copies: what the routes serialize. The
   * store never changes a stored object in place (an update stores a new one), so a list
   * snapshot of them stays as it was taken. Callers must not modify them. Copying every
   * object on each list's first page cost more than serializing them (~0.3 ms per realistic
   * pod), enough for a 50,000-pod list to outlast a 30 s client timeout.
   */
  listShared(resource: ResourceType, filter: ListFilter = {}): Raw[] {
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

  private identify(object: Raw): { resource: ResourceType; key: string } {
    const resource = resourceOfKind(object?.kind);
    if (!resource) throw new StoreError(`the test server does not serve kind ${String(object?.kind)}`, 'BadRequest');
    const name = object.metadata?.name;
    if (typeof name !== 'string' || name === '')
      throw new StoreError(`${object.kind} without metadata.name`, 'BadRequest');
    const namespace = resource.namespaced ? (object.metadata.namespace ?? 'default') : '';
    return { resource, key: objectKey(resource, namespace, name) };
  }

  /** The stored form: defaults the server fills in, and the next resourceVersion. */
  private stamp(resource: ResourceType, object: Raw, previous: Raw | undefined): Raw {
    const copy = structuredClone(object);
    this.rv++;
    copy.apiVersion = apiVersionOf(resource);
    copy.kind = resource.kind;
    const meta: Raw = (copy.metadata = { ...copy.metadata });
    if (resource.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    meta.uid ??= previous?.metadata.uid ?? randomUUID();
    meta.creationTimestamp ??= previous?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.resourceVersion = String(this.rv);
    return copy;
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

function objectKey(resource: ResourceType, namespace: string, name: string): string {
  return `${resource.group}/${resource.plural}/${namespace}/${name}`;
}
