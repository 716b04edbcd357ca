// Deterministic names, uids and times: everything derives from fixed seeds, so regenerating the
// example gives the same file.

import { createHash } from 'node:crypto';

/** The characters of generated name suffixes (no vowels, no 0, 1, 3). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** A suffix like those of ReplicaSets, pods and slices: "7c9d8f6b5d", "x2k9p". */
export function token(seed: string, length: number): string {
  const d = digest(`token/${seed}`);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[d[i] % ALPHABET.length];
  return out;
}

export function uid(seed: string): string {
  const h = digest(`uid/${seed}`).toString('hex');
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The snapshot was taken on Black Friday at 10:15 UTC. */
export const NOW = '2026-11-27T10:15:00Z';
export const CLUSTER_CREATED = '2025-03-10T09:02:11Z';
/** The pod network became dual-stack: pods created before then have an IPv4 address only. */
export const DUAL_STACK_SINCE = '2026-11-20T06:00:00Z';

/** The RFC 3339 time `seconds` after `time`. */
export function plus(time: string, seconds: number): string {
  return new Date(Date.parse(time) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function latest(times: string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
