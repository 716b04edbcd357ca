// What the snapshot command writes: a List header whose annotation names the kinds read, then
// every object written back as Kubernetes JSON, kind by kind in the table's order (kubectl get's),
// so that --snapshot reads the same model back.

import type { ClusterObject } from '../core/objects.js';
import type { LiveResult } from './live.js';
import { READ_KINDS_ANNOTATION } from './objects.js';
import { rawAs, SOURCE_KINDS, type SourceKind } from './slim.js';

type Raw = Record<string, unknown>;

export interface SnapshotList {
  /** The List without its items. */
  header: Raw;
  /** Its items, made as they are written. */
  items: Iterable<Raw>;
}

export function snapshotList(
  read: Pick<LiveResult, 'objects' | 'missing'>,
  kinds: readonly SourceKind[] = SOURCE_KINDS,
): SnapshotList {
  // Which kinds were read, so that a kind with no object in scope reads back as "none", not "not read".
  const readKinds = kinds.filter((kind) => !(kind.coverage && kind.coverage in read.missing));
  const header = {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { annotations: { [READ_KINDS_ANNOTATION]: readKinds.map((kind) => kind.kind).join(',') } },
  };
  return { header, items: rawItems(read.objects, kinds) };
}

/** Each kind's objects in the order read. */
function* rawItems(objects: ClusterObject[], kinds: readonly SourceKind[]): Generator<Raw> {
  const byKind = new Map<string, ClusterObject[]>(kinds.map((kind) => [kind.kind, []]));
  for (const object of objects) byKind.get(object.kind)!.push(object);
  for (const kind of kinds) for (const object of byKind.get(kind.kind)!) yield rawAs(kind, object);
}
