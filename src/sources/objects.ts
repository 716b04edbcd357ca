// Turns decoded Kubernetes JSON (single objects or Lists, from a file or the API) into the
// model, remembering which kinds the input held so that checks needing absent ones are skipped.

import { InputError } from '../core/errors.js';
import { dns1123LabelError, dns1123SubdomainError, labelKeyError, labelValueError } from '../core/names.js';
import type { ClusterObject, Labels } from '../core/objects.js';
import { coverageFrom, type InputCoverage } from '../core/coverage.js';
import { quoteName, slimAs, SlimError, SOURCE_KINDS, type SourceKind } from './slim.js';

/**
 * On a List written by the snapshot command: the kinds it read, comma-separated. A kind read but
 * empty in scope (no Endpoints at all, say) then counts as read, as it did in the live run.
 */
export const READ_KINDS_ANNOTATION = 'endpoints-doctor/read-kinds';

/** kubectl never nests Lists; a few levels are read, deeper ones are refused rather than recursed into. */
const MAX_LIST_NESTING = 4;

export interface CollectorOptions {
  /**
   * Check names, namespaces, label keys and label values against Kubernetes' syntax, as the API
   * server does: a file may hold what no cluster would have accepted.
   */
  checkNames?: boolean;
  /** The kinds to read: the table's unless a test adds one. */
  kinds?: readonly SourceKind[];
}

export class ObjectCollector {
  readonly objects: ClusterObject[] = [];
  /** Kinds the input holds objects of, or declares it read. */
  readonly kinds = new Set<string>();
  /** Objects of kinds the doctor does not read, counted per kind. */
  readonly skippedKinds = new Map<string, number>();
  /** Objects met again (same kind, namespace and name), left out; and the first of them, where it was met again. */
  duplicates = 0;
  firstDuplicate?: { object: string; where: string };
  private readonly seen = new Set<string>();
  private readonly known: readonly SourceKind[];
  private readonly knownByName: ReadonlyMap<string, SourceKind>;

  constructor(private readonly options: CollectorOptions = {}) {
    this.known = options.kinds ?? SOURCE_KINDS;
    this.knownByName = new Map(this.known.map((kind) => [kind.kind, kind]));
  }

  /** Adds one decoded document; `where` names it in error messages (file, document number). */
  add(raw: unknown, where: string, depth = 0): void {
    if (raw === null || raw === undefined) return; // an empty YAML document
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new InputError(
        `${where}: expected a Kubernetes object or List, found ${Array.isArray(raw) ? 'an array' : typeof raw}`,
      );
    }
    const doc = raw as Record<string, unknown>;
    const kind = doc.kind;
    if (typeof kind !== 'string' || kind === '') {
      throw new InputError(`${where}: object has no "kind"; expected output of kubectl get -o json or -o yaml`);
    }
    if (kind === 'List' || kind.endsWith('List')) {
      if (!Array.isArray(doc.items)) throw new InputError(`${where}: ${kind} has no "items" array`);
      if (depth >= MAX_LIST_NESTING) {
        throw new InputError(`${where}: Lists nested more than ${MAX_LIST_NESTING} deep; kubectl writes one List`);
      }
      this.addListHeader(doc);
      doc.items.forEach((item, i) => this.addItem(item, kind, `${where}, item ${i + 1}`, depth + 1));
      return;
    }
    this.addObject(kind, doc, where);
  }

  /** A List without its items (they are added one by one with addItem): the kinds it declares read. */
  addListHeader(list: Record<string, unknown>): void {
    const annotations = (list.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
    const read = annotations?.[READ_KINDS_ANNOTATION];
    if (typeof read === 'string') for (const k of read.split(',')) if (this.knownByName.has(k)) this.kinds.add(k);
  }

  /** An item of a List of kind `listKind`. */
  addItem(item: unknown, listKind: string, where: string, depth = 1): void {
    this.add(withItemKind(item, listKind), where, depth);
  }

  /** Objects met more than once, for the report's notes; undefined when there were none. */
  duplicatesNote(): string | undefined {
    if (!this.firstDuplicate) return undefined;
    const { object, where } = this.firstDuplicate;
    const count = this.duplicates === 1 ? 'an object appears' : `${this.duplicates} objects appear`;
    return `${count} more than once in the snapshot (the first: ${object}, again at ${where}); each was read once, as first met`;
  }

  private addObject(kind: string, raw: Record<string, unknown>, where: string): void {
    const known = this.knownByName.get(kind);
    if (!known) {
      this.skippedKinds.set(kind, (this.skippedKinds.get(kind) ?? 0) + 1);
      return;
    }
    let object: ClusterObject;
    try {
      object = slimAs(known, raw);
    } catch (e) {
      if (e instanceof SlimError) throw new InputError(`${where} (${e.object ?? kind}): ${e.problem}`);
      throw e;
    }
    const { namespace, name } = object.meta;
    const described = () => `${kind} ${namespace ? `${quoteName(namespace)}/` : ''}${quoteName(name)}`;
    if (this.options.checkNames) {
      const problem = nameProblem(object, known);
      if (problem) throw new InputError(`${where} (${described()}): ${problem}`);
    }
    const key = `${kind}/${namespace}/${name}`;
    if (this.seen.has(key)) {
      this.duplicates++;
      this.firstDuplicate ??= { object: described(), where };
      return;
    }
    this.seen.add(key);
    this.objects.push(object);
    this.kinds.add(kind);
  }

  /**
   * Coverage as the input shows it: a kind counts as read when an object of it is present, or a
   * List says so, or nothing in the input needs it (KindSpec.neededBy).
   */
  coverage(): InputCoverage {
    const readGroups = new Set(this.known.flatMap((k) => (k.readWith && this.kinds.has(k.kind) ? [k.readWith] : [])));
    return coverageFrom(
      (kind) =>
        this.kinds.has(kind.kind) ||
        (kind.readWith !== undefined && readGroups.has(kind.readWith)) ||
        (kind.neededBy !== undefined && !kind.neededBy(this.objects)),
      this.known,
    );
  }
}

/** The items of a typed list (PodList) carry no kind of their own, as the API server sends them. */
export function withItemKind(item: unknown, listKind: string): unknown {
  const itemKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
  return itemKind && item && typeof item === 'object' && !('kind' in item) ? { ...item, kind: itemKind } : item;
}

/** The first name, namespace, label or selector of `object` that Kubernetes' validation would refuse. */
function nameProblem(object: ClusterObject, kind: SourceKind): string | undefined {
  const { meta } = object;
  // ValidateServiceName, ValidateNamespaceName: DNS labels; the other kinds' names: DNS subdomains.
  const nameError = object.kind === 'Service' ? dns1123LabelError(meta.name) : dns1123SubdomainError(meta.name);
  if (nameError) return `metadata.name ${JSON.stringify(meta.name)} ${nameError}`;
  const namespaceError = kind.namespaced ? dns1123LabelError(meta.namespace) : undefined;
  if (namespaceError) return `metadata.namespace ${JSON.stringify(meta.namespace)} ${namespaceError}`;
  // ValidateLabels, for an object's labels and (ValidateService) for a Service's selector.
  return (
    labelsProblem(meta.labels, 'metadata.labels') ??
    (object.kind === 'Service' && object.selector ? labelsProblem(object.selector, 'spec.selector') : undefined)
  );
}

function labelsProblem(labels: Labels, field: string): string | undefined {
  for (const key of Object.keys(labels)) {
    const keyError = labelKeyError(key);
    if (keyError) return `${field} key ${JSON.stringify(key)} ${keyError}`;
    const valueError = labelValueError(labels[key]);
    if (valueError) return `${field}.${key} value ${JSON.stringify(labels[key])} ${valueError}`;
  }
  return undefined;
}
