// What changed for each Service between two reports of a watch: added, removed, or a change
// of status, ready endpoints or the checks that found something. One line per change, in a
// stable key=value form that scripts can grep: `TIME NS/NAME changed status=error->ok ...`.

import { terminalText } from '../core/terminal-text.js';
import type { Report, ServiceSummary } from './report.js';
import type { ServiceStatus } from '../core/findings.js';

export interface ServiceChange {
  /** "namespace/name" */
  service: string;
  kind: 'added' | 'removed' | 'changed';
  status: { before?: ServiceStatus; after?: ServiceStatus };
  endpoints: { before?: string; after?: string };
  /** Check ids that found something after but not before, and the reverse. */
  findingsAdded: string[];
  findingsRemoved: string[];
}

function endpointsText(s: ServiceSummary): string {
  return s.endpoints ? `${s.endpoints.ready}/${s.endpoints.total}` : '-';
}

function checksByService(report: Report): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    const ids = map.get(key) ?? new Set<string>();
    ids.add(f.check);
    map.set(key, ids);
  }
  return map;
}

/** Changes from `before` (undefined: nothing known yet, so every Service is added) to `after`, in report order. */
export function compareReports(before: Report | undefined, after: Report): ServiceChange[] {
  const key = (s: ServiceSummary) => `${s.namespace}/${s.name}`;
  const old = new Map((before?.services ?? []).map((s) => [key(s), s]));
  const oldChecks = before ? checksByService(before) : new Map<string, Set<string>>();
  const newChecks = checksByService(after);
  const changes: ServiceChange[] = [];
  for (const s of after.services) {
    const k = key(s);
    const was = old.get(k);
    const had = oldChecks.get(k) ?? new Set<string>();
    const has = newChecks.get(k) ?? new Set<string>();
    const findingsAdded = [...has].filter((id) => !had.has(id)).sort();
    const findingsRemoved = [...had].filter((id) => !has.has(id)).sort();
    if (!was) {
      changes.push({
        service: k,
        kind: 'added',
        status: { after: s.status },
        endpoints: { after: endpointsText(s) },
        findingsAdded,
        findingsRemoved: [],
      });
      continue;
    }
    if (
      was.status === s.status &&
      endpointsText(was) === endpointsText(s) &&
      !findingsAdded.length &&
      !findingsRemoved.length
    )
      continue;
    changes.push({
      service: k,
      kind: 'changed',
      status: { before: was.status, after: s.status },
      endpoints: { before: endpointsText(was), after: endpointsText(s) },
      findingsAdded,
      findingsRemoved,
    });
  }
  const now = new Set(after.services.map(key));
  for (const [k, was] of old) {
    if (now.has(k)) continue;
    changes.push({
      service: k,
      kind: 'removed',
      status: { before: was.status },
      endpoints: { before: endpointsText(was) },
      findingsAdded: [],
      findingsRemoved: [...(oldChecks.get(k) ?? [])].sort(),
    });
  }
  return changes;
}

/** `status=error->ok`, or just `status=ok` when it did not change (or is only known on one side). */
function field(name: string, before: string | undefined, after: string | undefined): string {
  if (before === undefined) return `${name}=${after}`;
  if (after === undefined || before === after) return `${name}=${before}`;
  return `${name}=${before}->${after}`;
}

/** The change without its timestamp: `shop/web changed status=error->ok endpoints=0/1->1/1 findings=-no-ready-endpoints`. */
export function describeChange(c: ServiceChange): string {
  const parts = [terminalText(c.service), c.kind, field('status', c.status.before, c.status.after)];
  parts.push(field('endpoints', c.endpoints.before, c.endpoints.after));
  const findings = [...c.findingsAdded.map((id) => `+${id}`), ...c.findingsRemoved.map((id) => `-${id}`)];
  if (findings.length) parts.push(`findings=${findings.join(',')}`);
  return parts.join(' ');
}

/** RFC 3339 UTC to the second, as the change lines and events give it. */
export function formatTime(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** One line per change event, for a stdout that is not a terminal. */
export function formatChange(c: ServiceChange, at: Date): string {
  return `${formatTime(at)} ${describeChange(c)}`;
}
