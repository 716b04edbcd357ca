// An Event: what it is about, its reason, message, count and when it last happened; read from
// core/v1 (involvedObject, count, lastTimestamp) or events.k8s.io/v1 (regarding, note,
// series), and written back as core/v1 for the snapshot.

import type { Event, Labels } from '../../core/objects.js';
import { checked, fields, int, rawRef, slimRef, SlimError, str, type Raw } from './fields.js';

/** Events carry no label or annotation any reader needs: one frozen empty map for all of them. */
const NONE: Labels = Object.freeze({});

export const slimEvent = checked(function slimEvent(raw: Raw): Event {
  const m = fields(raw.metadata, 'metadata');
  const name = str(m.name, 'metadata.name');
  if (!name) throw new SlimError('metadata.name is missing');
  const namespace = str(m.namespace, 'metadata.namespace') ?? 'default';
  const involvedObject =
    raw.involvedObject !== undefined && raw.involvedObject !== null
      ? slimRef(raw.involvedObject, 'involvedObject')
      : slimRef(raw.regarding, 'regarding');
  const series = fields(raw.series, 'series');
  const source = fields(raw.source ?? raw.deprecatedSource, raw.source ? 'source' : 'deprecatedSource');
  const count =
    int(series.count, 'series.count') ?? int(raw.count, 'count') ?? int(raw.deprecatedCount, 'deprecatedCount');
  return {
    kind: 'Event',
    meta: { namespace, name, labels: NONE, annotations: NONE },
    // An event about nothing nameable is attributed to nothing.
    involvedObject: involvedObject ?? { kind: '', name: '' },
    type: str(raw.type, 'type') ?? 'Normal',
    reason: str(raw.reason, 'reason') ?? '',
    message: str(raw.message, 'message') ?? str(raw.note, 'note') ?? '',
    count: count !== undefined && count > 0 ? count : 1,
    lastSeen:
      str(series.lastObservedTime, 'series.lastObservedTime') ??
      str(raw.lastTimestamp, 'lastTimestamp') ??
      str(raw.deprecatedLastTimestamp, 'deprecatedLastTimestamp') ??
      str(raw.eventTime, 'eventTime') ??
      str(raw.firstTimestamp, 'firstTimestamp') ??
      str(m.creationTimestamp, 'metadata.creationTimestamp'),
    source: str(raw.reportingController, 'reportingController') ?? str(source.component, 'source.component'),
  };
});

export function rawEvent(e: Event): Raw {
  return {
    involvedObject: e.involvedObject.name ? rawRef(e.involvedObject) : undefined,
    type: e.type,
    reason: e.reason || undefined,
    message: e.message || undefined,
    count: e.count,
    lastTimestamp: e.lastSeen,
    source: e.source ? { component: e.source } : undefined,
  };
}
