// How the renderers word the Warning events a finding carries as evidence, and ages as kubectl
// prints them. Event text is the cluster's: callers put each line through terminalText.

import type { Evidence } from '../core/findings.js';

/** Said for a pod whose events were read and are none: they expire (an hour after the last, by default). */
export const NO_RECENT_EVENTS = 'no recent events';

/** kubectl's short ages: 45s, 12m, 5h, 3d, 2y. */
export function age(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '-';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(timestamp)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 730 * 86400) return `${Math.floor(seconds / 86400)}d`;
  return `${Math.floor(seconds / (365 * 86400))}y`;
}

/**
 * "event Unhealthy ×42, 3m ago: Readiness probe failed: ...", with "on EndpointSlice web-x7k2p"
 * for a finding's own. Without `now` (files read later: JUnit, Markdown), when it was last seen.
 */
export function evidenceLine(e: Evidence, now?: Date): string {
  let when = '';
  if (now) {
    const ago = age(e.lastSeen, now);
    if (ago !== '-') when = `${ago} ago`;
  } else if (e.lastSeen) when = `last ${e.lastSeen}`;
  const seen = [e.count > 1 ? `×${e.count}` : '', when].filter(Boolean).join(', ');
  return `event ${e.reason || '(no reason)'}${e.object ? ` on ${e.object}` : ''}${seen ? ` ${seen}` : ''}: ${e.message}`;
}

/** The newest event among `pods` (each pod's evidence is newest first) that `shown` lets through, and whose it is. */
export function newestEvidence<P extends { name: string; evidence?: Evidence[] }>(
  pods: readonly P[],
  shown: (e: Evidence) => boolean = () => true,
): { pod: P; evidence: Evidence } | undefined {
  let newest: { pod: P; evidence: Evidence; at: number } | undefined;
  for (const pod of pods) {
    const first = pod.evidence?.find(shown);
    if (!first) continue;
    const parsed = first.lastSeen === undefined ? NaN : Date.parse(first.lastSeen);
    const at = Number.isNaN(parsed) ? -Infinity : parsed;
    if (!newest || at > newest.at) newest = { pod, evidence: first, at };
  }
  return newest && { pod: newest.pod, evidence: newest.evidence };
}
