// Service selectors are plain maps: a pod matches when it carries every key with the same
// value (AND of equalities, no set-based expressions).

import type { LabelSelector, Labels, NetworkPolicyPeer } from './objects.js';

/**
 * The label the API server sets on every Namespace to its name, overwriting any other value
 * (SetDefaults_Namespace, kubernetes/kubernetes pkg/apis/core/v1/defaults.go;
 * https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name):
 * a namespaceSelector on it alone needs no other labels.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Whether a NetworkPolicy peer needs the Namespaces' labels to be matched: a namespaceSelector on
 * more than the name label (an empty one selects every namespace; one on the name label alone is
 * judged from the pod's namespace).
 */
export function needsNamespaceLabels(peer: NetworkPolicyPeer): boolean {
  const selector = peer.namespaceSelector;
  if (!selector) return false;
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e) => e.key)];
  return keys.some((k) => k !== NAMESPACE_NAME_LABEL);
}

/**
 * The value of a label, or undefined when the object does not carry it. Only own keys count:
 * `constructor` is a valid label key, a snapshot may hold `__proto__`, and a plain object inherits both.
 */
export function labelValue(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

export function hasLabel(labels: Labels, key: string): boolean {
  return Object.hasOwn(labels, key);
}

export function matchesSelector(labels: Labels, selector: Labels): boolean {
  for (const [key, value] of Object.entries(selector)) {
    if (labelValue(labels, key) !== value) return false;
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

// kubectl-style label selectors (-l, and the API's labelSelector): equality and set-based.

class SelectorError extends Error {}

export interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';
  values: string[];
}

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';

/** Splits on commas outside parentheses: "a in (x,y),b" has two requirements. */
function splitTopLevel(text: string): string[] {
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
  return parts.map((p) => p.trim());
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  if (text.trim() === '') return [];
  return splitTopLevel(text).map((part) => {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^!\\s*(${KEY})$`).exec(part))) return { key: m[1], op: '!exists', values: [] };
    if ((m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\((.*)\\)$`).exec(part))) {
      const values = m[4].split(',').map((v) => v.trim());
      if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v)))
        throw new SelectorError(`unable to parse requirement: invalid value in "${part}"`);
      return { key: m[1], op: m[3] as 'in' | 'notin', values };
    }
    if ((m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(part))) {
      return { key: m[1], op: m[3] === '!=' ? 'notin' : 'in', values: [m[4]] };
    }
    if ((m = new RegExp(`^(${KEY})\\s*([<>])\\s*(\\d+)$`).exec(part))) {
      return { key: m[1], op: m[3] === '>' ? 'gt' : 'lt', values: [m[4]] };
    }
    if ((m = new RegExp(`^(${KEY})$`).exec(part))) return { key: m[1], op: 'exists', values: [] };
    throw new SelectorError(
      `unable to parse requirement: found '${part}', expected: key, !key, key=value, key!=value, key in (...), key notin (...)`,
    );
  });
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every(({ key, op, values }) => {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key);
    const value = has ? String(labels[key]) : undefined;
    switch (op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && values.includes(value!);
      case 'notin':
        return !has || !values.includes(value!);
      case 'gt':
        return has && Number(value) > Number(values[0]);
      case 'lt':
        return has && Number(value) < Number(values[0]);
    }
  });
}

/**
 * A LabelSelector as kubectl's -l spells it, which is also the API's labelSelector query
 * ("app=web,tier in (a,b),!f"); "" for `{}`.
 */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    if (operator === 'In') parts.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator} (${values.join(',')})`);
  }
  return parts.join(',');
}
