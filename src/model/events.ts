// Warning events as evidence: each is attributed to the object it is about only when kind,
// namespace, name and uid all agree (an event of an earlier pod of the same name, of another
// namespace or of a deleted object is no evidence about this one), then deduplicated by reason
// and message, the most recent first (docs/kubernetes-semantics.md#event-attribution,
// docs/kubernetes-semantics.md#event-lifetime).

import type { Evidence } from '../core/findings.js';
import { pushTo } from '../core/multimap.js';
import type { Event, Service } from '../core/objects.js';
import type { ClusterModel } from './cluster.js';

/** The most distinct events kept per object: the newest say what is wrong now. */
const MAX_EVIDENCE = 5;

function seenAt(lastSeen: string | undefined): number {
  const time = lastSeen === undefined ? NaN : Date.parse(lastSeen);
  return Number.isNaN(time) ? -Infinity : time;
}

/** The most recent first; events that do not say when, last. */
function newestFirst(a: number, b: number): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

/**
 * Events as evidence: one entry per reason and message (counts added up, the latest time kept),
 * the most recent first, at most `limit`. `object` names what they are about on a finding's own
 * evidence.
 */
export function summarizeEvents(events: readonly Event[], limit = MAX_EVIDENCE, object?: string): Evidence[] {
  const byText = new Map<string, Evidence & { at: number }>();
  for (const e of events) {
    const key = `${e.reason}\n${e.message}`;
    const at = seenAt(e.lastSeen);
    const known = byText.get(key);
    if (!known) {
      byText.set(key, {
        reason: e.reason,
        message: e.message,
        count: e.count,
        ...(e.lastSeen !== undefined ? { lastSeen: e.lastSeen } : {}),
        ...(object !== undefined ? { object } : {}),
        at,
      });
      continue;
    }
    known.count += e.count;
    if (at > known.at) {
      known.at = at;
      known.lastSeen = e.lastSeen;
    }
  }
  return [...byText.values()]
    .sort((a, b) => newestFirst(a.at, b.at) || compareText(a.reason, b.reason) || compareText(a.message, b.message))
    .slice(0, limit)
    .map(({ at: _, ...evidence }) => evidence);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Warning event about a Service or one of its EndpointSlices or its Endpoints, and which ("EndpointSlice web-x7k2p"). */
export interface ServiceEvent {
  event: Event;
  object: string;
}

/**
 * The Warning events about the Service, its EndpointSlices (whoever manages them) and its
 * Endpoints; undefined when Events were not read in its namespace or it has no uid.
 */
export function serviceEvents(model: ClusterModel, service: Service): ServiceEvent[] | undefined {
  const own = model.warningEventsAbout('Service', service.meta);
  if (own === undefined) return undefined;
  const found: ServiceEvent[] = own.map((event) => ({ event, object: `Service ${service.meta.name}` }));
  for (const slice of model.slicesFor(service)) {
    for (const event of model.warningEventsAbout('EndpointSlice', slice.meta) ?? [])
      found.push({ event, object: `EndpointSlice ${slice.meta.name}` });
  }
  const endpoints = model.endpointsFor(service);
  for (const event of (endpoints && model.warningEventsAbout('Endpoints', endpoints.meta)) ?? [])
    found.push({ event, object: `Endpoints ${service.meta.name}` });
  return found;
}

/** Service events as evidence: each object's summarized on its own, then the most recent first, at most `limit`. */
export function serviceEvidence(events: readonly ServiceEvent[], limit = MAX_EVIDENCE): Evidence[] {
  const byObject = new Map<string, Event[]>();
  for (const { event, object } of events) pushTo(byObject, object, event);
  return [...byObject]
    .flatMap(([object, list]) => summarizeEvents(list, limit, object))
    .sort((a, b) => newestFirst(seenAt(a.lastSeen), seenAt(b.lastSeen)))
    .slice(0, limit);
}
