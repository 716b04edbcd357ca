// Seeded randomness for the synthetic cluster, and the names, uids and times drawn from it.

/** mulberry32: small, fast, good enough for synthetic data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const chance = (r: Rand, p: number): boolean => r() < p;

export function hex(r: Rand, n: number): string {
  let s = '';
  while (s.length < n)
    s += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, n);
}

export function uuid(r: Rand): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function podSuffix(r: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[Math.floor(r() * NAME_ALPHABET.length)];
  return s;
}

const BASE_TIME = Date.parse('2026-03-01T12:00:00Z');
export function timeAgo(r: Rand, maxDays: number): string {
  return new Date(BASE_TIME - Math.floor(r() * maxDays * 86_400_000)).toISOString().replace(/\.\d+Z$/, 'Z');
}
