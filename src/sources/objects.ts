// Turns decoded Kubernetes JSON (single objects or Lists, from a file or the API) into the
// model, remembering which kinds the input held so that checks needing absent ones are skipped.

import { InputError } from '../errors.js';
import { ClusterModel, type InputCoverage } from '../model/cluster.js';
import type { ClusterObject } from '../model/types.js';
import { isKnownKind, slimObject, SlimError, type KnownKind } from './slim.js';

/**
 * On a List written by the snapshot command: the kinds it read, comma-separated. A kind read but
 * empty in scope (no Endpoints at all, say) then counts as read, as it did in the live run.
 */
export const READ_KINDS_ANNOTATION = 'endpoints-doctor/read-kinds';

export class ObjectCollector {
  readonly objects: ClusterObject[] = [];
  /** Kinds the input holds objects of, or declares it read. */
  readonly kinds = new Set<KnownKind>();
  /** Objects of kinds the doctor does not read, counted per kind. */
  readonly skippedKinds = new Map<string, number>();

  /** Adds one decoded document; `where` names it in error messages (file, document number). */
  add(raw: unknown, where: string): void {
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
      const annotations = (doc.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
      const read = annotations?.[READ_KINDS_ANNOTATION];
      if (typeof read === 'string') for (const k of read.split(',')) if (isKnownKind(k)) this.kinds.add(k);
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      doc.items.forEach((item, i) => {
        const withKind =
          itemKind && item && typeof item === 'object' && !('kind' in item) ? { ...item, kind: itemKind } : item;
        this.add(withKind, `${where}, item ${i + 1}`);
      });
      return;
    }
    this.addObject(kind, doc, where);
  }

  private addObject(kind: string, raw: Record<string, unknown>, where: string): void {
    if (!isKnownKind(kind)) {
      this.skippedKinds.set(kind, (this.skippedKinds.get(kind) ?? 0) + 1);
      return;
    }
    try {
      this.objects.push(slimObject(kind, raw));
      this.kinds.add(kind);
    } catch (e) {
      if (e instanceof SlimError) throw new InputError(`${where}: ${e.message}`);
      throw e;
    }
  }

  /** Coverage as the input shows it: a kind counts as read when an object of it is present, or a List says so. */
  coverage(): InputCoverage {
    return {
      endpoints: this.kinds.has('Endpoints'),
      endpointSlices: this.kinds.has('EndpointSlice'),
      nodes: this.kinds.has('Node'),
      pods: this.kinds.has('Pod'),
    };
  }
}

/** A model from decoded objects, all inputs taken as read unless `coverage` says otherwise. */
export function modelFromRaw(docs: unknown[], coverage: Partial<InputCoverage> = {}): ClusterModel {
  const collector = new ObjectCollector();
  docs.forEach((d, i) => collector.add(d, `object ${i + 1}`));
  return new ClusterModel(collector.objects, { endpoints: true, endpointSlices: true, nodes: true, pods: true, ...coverage });
}
