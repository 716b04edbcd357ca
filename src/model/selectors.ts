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

/** One requirement of a kubectl-style label selector (`-l`): equality or set-based. */
export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/**
 * Parses `app=web,tier!=db,env in (a,b),!legacy` as kubectl's -l does. Throws an Error
 * with a readable message on bad syntax.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') {
      if (parts.length === 1) return [];
      throw new Error(`empty requirement in label selector "${text}"`);
    }
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(part))) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      requirements.push({ key: m[1]!, operator: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part))) {
      requirements.push({ key: m[1]!, operator: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(part))) {
      requirements.push({ key: m[1]!, operator: '!exists', values: [] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(part))) {
      requirements.push({ key: m[1]!, operator: 'exists', values: [] });
    } else {
      throw new Error(`cannot parse "${part}" in label selector "${text}"`);
    }
  }
  return requirements;
}

export function matchesRequirements(labels: Labels, requirements: LabelRequirement[]): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}
