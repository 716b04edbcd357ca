// --sort-by, as kubectl get takes it: a JSONPath-like field of each row's object, here a Service's
// entry in the report (`.name`, `.endpoints.ready`), with kubectl's `.metadata.name` and
// `.metadata.namespace` understood as the entry's name and namespace.

import { UsageError } from '../core/errors.js';
import type { ServiceSummary } from '../report/report.js';

type SortValue = string | number;

/** The field's value in an entry: numbers sort as numbers, the status by severity (the worst first). */
const SORT_KEYS: Record<string, (s: ServiceSummary) => SortValue> = {
  '.name': (s) => s.name,
  '.namespace': (s) => s.namespace,
  '.type': (s) => s.type,
  '.clusterIP': (s) => s.clusterIP ?? '',
  '.status': (s) => STATUS_RANK[s.status],
  '.endpoints.ready': (s) => s.endpoints?.ready ?? -1,
  '.endpoints.total': (s) => s.endpoints?.total ?? -1,
  '.findings': (s) => s.findings,
};

const ALIASES: Record<string, string> = { '.metadata.name': '.name', '.metadata.namespace': '.namespace' };

const STATUS_RANK: Record<ServiceSummary['status'], number> = { error: 0, unknown: 1, warning: 2, info: 3, ok: 4 };

export type ServiceOrder = (a: ServiceSummary, b: ServiceSummary) => number;

/** The worst status first: the order of --sort-by .status and of the text output's blocks. */
export const BY_STATUS: ServiceOrder = (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status];

/** --sort-by's expression (`.status`, `{.metadata.name}`) as an order; a usage error names the fields it takes. */
export function parseSortBy(expression: string): ServiceOrder {
  const path = expression.trim().replace(/^\{(.*)\}$/, '$1');
  const key = SORT_KEYS[ALIASES[path] ?? path];
  if (!key) {
    throw new UsageError(
      `--sort-by "${expression}" is not a field of a Service's entry: use one of ${[...Object.keys(SORT_KEYS), ...Object.keys(ALIASES)].join(', ')}`,
    );
  }
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
