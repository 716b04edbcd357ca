// What changed for each Service between two reports of a watch: added, removed, or a change
// of status, ready endpoints, the checks that found something or, with --from, what the client
// reaches; a Service that findings name
// but that does not exist counts as one. One line per change, in a stable key=value form that
// scripts can grep: `TIME NS/NAME changed status=error->ok ...`.

import { terminalText } from '../core/terminal-text.js';
import type { Report, ServiceSummary } from './report.js';
import { SEVERITIES, type ServiceStatus } from '../core/findings.js';

export interface ServiceChange {
  /** "namespace/name" */
  service: string;
  namespace: string;
  name: string;
  kind: 'added' | 'removed' | 'changed';
  status: { before?: ServiceStatus; after?: ServiceStatus };
  endpoints: { before?: string; after?: string };
  /** Check ids that found something after but not before, and the reverse. */
  findingsAdded: string[];
  findingsRemoved: string[];
  /** With --from: the verdicts on the client's connections (reachableText), on each side that has them. */
  reachable?: { before?: string; after?: string };
  /**
   * Whether the Service exists on each side, set when on one side it does not and findings name
   * it (an Ingress backend or a StatefulSet's serviceName naming a Service that does not exist).
   */
  exists?: { before?: boolean; after?: boolean };
}

/** What one report says of a Service: its entry, or, for one that does not exist, its findings' worst severity. */
interface Side {
  namespace: string;
  name: string;
  /** Absent for a Service that findings name but the report has no entry for. */
  summary?: ServiceSummary;
  status: ServiceStatus;
  checks: Set<string>;
  /** With --from: what the client reaches (reachableText); undefined without. */
  reachable?: string;
}

/** Every Service of the report, then those its findings name that it has no entry for, in findings order. */
function sides(report: Report): Map<string, Side> {
  const map = new Map<string, Side>();
  for (const s of report.services) {
    map.set(`${s.namespace}/${s.name}`, {
      namespace: s.namespace,
      name: s.name,
      summary: s,
      status: s.status,
      checks: new Set(),
      reachable: reachableText(s),
    });
  }
  const severities = new Map<string, Set<string>>();
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    let side = map.get(key);
    if (!side) {
      side = { namespace: f.namespace, name: f.service, status: 'ok', checks: new Set() };
      map.set(key, side);
    }
    side.checks.add(f.check);
    if (!side.summary) severities.set(key, (severities.get(key) ?? new Set()).add(f.severity));
  }
  for (const [key, found] of severities) map.get(key)!.status = SEVERITIES.find((s) => found.has(s))!;
  return map;
}

/**
 * With --from, the client's verdicts on one line: `allowed:2,blocked:1,unknown:0,dns:blocked`,
 * backends counted over every port; undefined without --from. A flip of one backend's verdict
 * changes it, so that a watch of a client's view shows the change.
 */
function reachableText(summary: ServiceSummary): string | undefined {
  const { reachability } = summary;
  if (!reachability) return undefined;
  const counts = { allowed: 0, blocked: 0, unknown: 0 };
  for (const port of reachability.ports) for (const b of port.backends) counts[b.verdict]++;
  const dns = reachability.unknown ? 'unknown' : (reachability.dns?.verdict ?? 'none');
  return `allowed:${counts.allowed},blocked:${counts.blocked},unknown:${counts.unknown},dns:${dns}`;
}

function endpointsText(side: Side): string {
  const endpoints = side.summary?.endpoints;
  return endpoints ? `${endpoints.ready}/${endpoints.total}` : '-';
}

/**
 * Changes from `before` (undefined: nothing known yet, so every Service is added) to `after`, in
 * report order, removed ones last. A Service that findings name but that does not exist counts
 * as one (one-shot output lists it too): it is added when findings first name it, changes when
 * it is created or deleted while they do, and is removed when none does any more.
 */
export function compareReports(before: Report | undefined, after: Report): ServiceChange[] {
  const old = before ? sides(before) : new Map<string, Side>();
  const now = sides(after);
  const changes: ServiceChange[] = [];
  const existence = (was: Side | undefined, is: Side | undefined) =>
    (was && !was.summary) || (is && !is.summary)
      ? {
          exists: {
            ...(was ? { before: was.summary !== undefined } : {}),
            ...(is ? { after: is.summary !== undefined } : {}),
          },
        }
      : {};
  for (const [key, is] of now) {
    const was = old.get(key);
    const findingsAdded = [...is.checks].filter((id) => !was?.checks.has(id)).sort();
    const findingsRemoved = [...(was?.checks ?? [])].filter((id) => !is.checks.has(id)).sort();
    const place = { service: key, namespace: is.namespace, name: is.name };
    if (!was) {
      changes.push({
        ...place,
        kind: 'added',
        status: { after: is.status },
        endpoints: { after: endpointsText(is) },
        findingsAdded,
        findingsRemoved: [],
        ...(is.reachable !== undefined ? { reachable: { after: is.reachable } } : {}),
        ...existence(was, is),
      });
      continue;
    }
    const reachable =
      was.reachable !== undefined || is.reachable !== undefined
        ? { reachable: { before: was.reachable, after: is.reachable } }
        : {};
    if (
      was.status === is.status &&
      endpointsText(was) === endpointsText(is) &&
      was.reachable === is.reachable &&
      (was.summary === undefined) === (is.summary === undefined) &&
      !findingsAdded.length &&
      !findingsRemoved.length
    )
      continue;
    changes.push({
      ...place,
      kind: 'changed',
      status: { before: was.status, after: is.status },
      endpoints: { before: endpointsText(was), after: endpointsText(is) },
      findingsAdded,
      findingsRemoved,
      ...reachable,
      ...existence(was, is),
    });
  }
  for (const [key, was] of old) {
    if (now.has(key)) continue;
    changes.push({
      service: key,
      namespace: was.namespace,
      name: was.name,
      kind: 'removed',
      status: { before: was.status },
      endpoints: { before: endpointsText(was) },
      findingsAdded: [],
      findingsRemoved: [...was.checks].sort(),
      ...existence(was, undefined),
    });
  }
  return changes;
}

const text = (value: boolean | undefined) => (value === undefined ? undefined : String(value));

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
  if (c.exists) parts.push(field('exists', text(c.exists.before), text(c.exists.after)));
  if (c.reachable) parts.push(field('reachable', c.reachable.before, c.reachable.after));
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
