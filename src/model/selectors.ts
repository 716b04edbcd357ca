// Service selectors are plain maps: a pod matches when it carries every key with the same
// value (AND of equalities, no set-based expressions).

import type { Labels } from './types.js';

export function matchesSelector(labels: Labels, selector: Labels): boolean {
  for (const [key, value] of Object.entries(selector)) {
    if (labels[key] !== value) return false;
  }
  return true;
}

export function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Index key for one label pair; NUL cannot occur in label keys or values. */
export function labelPairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}
