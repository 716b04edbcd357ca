// The readers every kind's slimming function is made of, one field each, and the writers that
// turn a slim object's metadata back into Kubernetes JSON. Slimming applies the API server's
// defaults (protocol TCP, targetPort = port, type ClusterIP...) so that checks see what the
// cluster sees, and throws SlimError for objects no check can use: no name, or a field the
// checks read with the wrong type.

import type { LabelSelector, Labels, ObjectMeta, ObjectRef, OwnerRef, Protocol } from '../../core/objects.js';

/**
 * An object no check can use: a field the checks read has the wrong type, or the name is
 * missing. `object` names it ("Service shop/web") when its metadata allows; `problem` says what
 * is wrong ("spec.selector must be a map of strings, got string").
 */
export class SlimError extends Error {
  constructor(
    readonly problem: string,
    readonly object?: string,
  ) {
    super(object ? `${object}: ${problem}` : problem);
  }
}

/**
 * A field of the wrong type, `field` relative to where it was read: lists prefix their index on
 * the way up, so the happy path builds no path strings. Kubernetes decodes objects into typed Go
 * structs, where such a field is a decoding error (kubectl and the API server reject it), not a
 * default: here too it is bad input, never coerced.
 */
export class FieldError extends Error {
  constructor(
    public field: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super();
  }
}

export type Raw = Record<string, unknown>;

/** A slimming step whose FieldErrors become the SlimError callers see. */
export function checked<T>(slim: (raw: Raw) => T): (raw: Raw) => T {
  return (raw) => {
    try {
      return slim(raw);
    } catch (e) {
      if (e instanceof FieldError) throw new SlimError(`${e.field} must be ${e.expected}, got ${e.got}`);
      throw e;
    }
  };
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : typeof value;
}

// Readers of one field each. An absent field (undefined, or null as Kubernetes' JSON decoding
// reads it) gets the default; a present one of another type throws a FieldError.

export const EMPTY: Raw = Object.freeze({});

export function fields(value: unknown, field: string): Raw {
  if (value === undefined || value === null) return EMPTY;
  if (typeof value !== 'object' || Array.isArray(value)) throw new FieldError(field, 'a map', typeName(value));
  return value as Raw;
}

export function list<T>(value: unknown, field: string, each: (item: Raw) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, 'a list', typeName(value));
  let i = 0;
  try {
    // map allocates the result at its length; push grows a backing store to 17 slots for one item,
    // which over a cluster's hundreds of thousands of short lists (ports, addresses, conditions)
    // is tens of MB kept for the whole run.
    return value.map((item: unknown, index) => {
      i = index;
      if (item === null || typeof item !== 'object' || Array.isArray(item))
        throw new FieldError('', 'a map', typeName(item));
      return each(item as Raw);
    });
  } catch (e) {
    if (e instanceof FieldError) e.field = e.field ? `${field}[${i}].${e.field}` : `${field}[${i}]`;
    throw e;
  }
}

/** A string; "" reads as absent, as Kubernetes' omitempty writes it. */
export function str(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'a string', typeName(value));
}

export function strings(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, 'a list of strings', typeName(value));
  let empties = 0;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw new FieldError(`${field}[${i}]`, 'a string', typeName(item));
    if (item === '') empties++;
  }
  // A copy at its length (see list), not the parsed array itself, which its caller may still hold.
  return empties === 0 ? (value as string[]).slice() : (value as string[]).filter((item) => item !== '');
}

/**
 * Strings that repeat across a cluster's objects (namespaces, node names, label values, condition
 * types) as one string each: JSON.parse makes a new string for every occurrence, and over 50,000
 * pods the copies weigh tens of MB for the whole run. Bounded, so that a long --watch keeps no
 * more than INTERNED_MAX of them.
 */
const interning = new Map<string, string>();
const INTERNED_MAX = 50_000;

export function interned(value: string): string;
export function interned(value: string | undefined): string | undefined;
export function interned(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = interning.get(value);
  if (known !== undefined) return known;
  if (interning.size >= INTERNED_MAX) interning.clear();
  interning.set(value, value);
  return value;
}

export function int(value: unknown, field: string): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'an integer', typeof value === 'number' ? 'a fraction' : typeName(value));
}

export function bool(value: unknown, field: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return undefined;
  throw new FieldError(field, 'true or false', typeName(value));
}

/**
 * Sets a key as own data, "__proto__" included (assigning it would set the prototype, or do
 * nothing). Maps keep Object's prototype: objects without one are dictionaries to V8, and the
 * checks' label lookups over 100,000 pods ran 6% slower on them; readers use Object.hasOwn.
 */
export function setOwnKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** A map of strings (labels, annotations, a selector): every key own data, "constructor" and "__proto__" too. */
export function stringMap(value: unknown, field: string): Labels {
  const out: Labels = {};
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new FieldError(field, 'a map of strings', typeName(value));
  for (const key of Object.keys(value)) {
    const v = (value as Raw)[key];
    if (typeof v === 'string') setOwnKey(out, key, interned(v));
    else if (v === null) setOwnKey(out, key, '');
    else throw new FieldError(`${field}.${key}`, 'a string', typeName(v));
  }
  return out;
}

/** A string that must be one of `allowed`; undefined when absent. */
export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  const s = str(value, field);
  if (s === undefined || (allowed as readonly string[]).includes(s)) return s as T | undefined;
  throw new FieldError(field, allowed.join(' or '), JSON.stringify(s));
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const satisfies readonly Protocol[];

/**
 * A port's protocol, TCP when absent (the API server's default); any other value is refused as
 * the API server refuses it, so that a snapshot's typo is never read as TCP.
 */
export function protocol(value: unknown, field: string): Protocol {
  return oneOf(value, field, PROTOCOLS) ?? 'TCP';
}

/** A metav1.LabelSelector (a workload's, a NetworkPolicy's and its peers'); undefined when absent. */
export function labelSelector(value: unknown, field: string): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  const s = fields(value, field);
  return {
    matchLabels: stringMap(s.matchLabels, `${field}.matchLabels`),
    matchExpressions: list(s.matchExpressions, `${field}.matchExpressions`, (e) => ({
      key: str(e.key, 'key') ?? '',
      operator: str(e.operator, 'operator') ?? '',
      values: strings(e.values, 'values'),
    })),
  };
}

/** A label selector written back, without its empty parts: `{}` when it selects everything. */
export function rawLabelSelector(selector: LabelSelector): Raw {
  return {
    matchLabels: Object.keys(selector.matchLabels).length > 0 ? selector.matchLabels : undefined,
    matchExpressions: nonEmpty(selector.matchExpressions.map((e) => ({ ...e, values: nonEmpty(e.values) }))),
  };
}

/**
 * The labels or annotations of an object whose own are not kept: Pods and Nodes are the bulk of a
 * cluster and no check reads their annotations; a Gateway's labels are read by nothing.
 */
export const NO_LABELS: Labels = Object.freeze({});

/**
 * `keepOwner`: the controller ownerReference is kept (Pods and ReplicaSets, for the workload
 * behind a pod); the property is set either way, so that every ObjectMeta has one shape.
 */
export function slimMeta(raw: Raw, namespaced: boolean, keepAnnotations = true, keepOwner = false): ObjectMeta {
  const m = fields(raw.metadata, 'metadata');
  const name = str(m.name, 'metadata.name');
  if (!name) throw new SlimError('metadata.name is missing');
  return {
    namespace: namespaced ? interned(str(m.namespace, 'metadata.namespace') ?? 'default') : '',
    name,
    uid: str(m.uid, 'metadata.uid'),
    labels: stringMap(m.labels, 'metadata.labels'),
    annotations: keepAnnotations ? stringMap(m.annotations, 'metadata.annotations') : NO_LABELS,
    creationTimestamp: str(m.creationTimestamp, 'metadata.creationTimestamp'),
    deletionTimestamp: str(m.deletionTimestamp, 'metadata.deletionTimestamp'),
    owner: keepOwner ? controllerOf(m.ownerReferences) : undefined,
  };
}

/** The ownerReference with controller: true (at most one, as the API server validates). */
function controllerOf(value: unknown): OwnerRef | undefined {
  const owners = list(value, 'metadata.ownerReferences', (r) => ({
    controller: bool(r.controller, 'controller') === true,
    kind: str(r.kind, 'kind') ?? '',
    name: str(r.name, 'name') ?? '',
    uid: str(r.uid, 'uid'),
  }));
  const owner = owners.find((o) => o.controller && o.name !== '');
  return owner && { kind: interned(owner.kind), name: owner.name, uid: owner.uid };
}

export function slimRef(value: unknown, field: string): ObjectRef | undefined {
  const r = fields(value, field);
  const name = str(r.name, `${field}.name`);
  if (!name) return undefined;
  return {
    kind: interned(str(r.kind, `${field}.kind`) ?? ''),
    namespace: interned(str(r.namespace, `${field}.namespace`)),
    name,
    uid: str(r.uid, `${field}.uid`),
  };
}

export function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

// Writing back: absent and empty fields are left out (undefined is not written), as the API
// server's JSON does.

export function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function nonEmptyMap(map: Labels): Labels | undefined {
  for (const _ in map) return map;
  return undefined;
}

export function rawMeta(meta: ObjectMeta): Raw {
  return {
    name: meta.name,
    namespace: meta.namespace || undefined,
    uid: meta.uid,
    labels: nonEmptyMap(meta.labels),
    annotations: nonEmptyMap(meta.annotations),
    creationTimestamp: meta.creationTimestamp,
    deletionTimestamp: meta.deletionTimestamp,
    ownerReferences: meta.owner && [
      { kind: meta.owner.kind, name: meta.owner.name, uid: meta.owner.uid, controller: true },
    ],
  };
}

export function rawRef(ref: ObjectRef | undefined): Raw | undefined {
  return ref && { kind: ref.kind || undefined, namespace: ref.namespace, name: ref.name, uid: ref.uid };
}
