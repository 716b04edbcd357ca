// The versioned report: the JSON/YAML contract documented in docs/report.md. Every renderer
// works from this object, so text, JSON and YAML always say the same thing.

import { SEVERITIES, type Finding, type Severity } from '../checks/types.js';
import type { DataplaneNodeReport } from '../probe/render.js';
import type { CheckRun } from './run-checks.js';
import { pushTo } from '../model/multimap.js';

export const REPORT_API_VERSION = 'endpoints-doctor/v1';

export type ServiceStatus = 'ok' | Severity;

export interface ServiceSummary {
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  /** Distinct endpoint addresses from the Service's slices; null for ExternalName Services. */
  endpoints: { ready: number; total: number } | null;
  status: ServiceStatus;
  findings: number;
  suppressed: number;
}

export interface Report {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'Report';
  summary: {
    services: number;
    /** Services per status: ok, or the worst severity among their findings. */
    ok: number;
    error: number;
    warning: number;
    info: number;
    /** Findings per severity. */
    findings: Record<Severity, number>;
    suppressed: number;
  };
  /** What the input lacked or what was skipped, each said once. */
  notes: string[];
  services: ServiceSummary[];
  findings: Finding[];
  /** kubectl endpoints-doctor probe: what each probed node's service proxy programmed. */
  dataplane?: DataplaneNodeReport[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function severityRank(severity: Severity | 'never'): number {
  return severity === 'never' ? Infinity : RANK[severity];
}

export function buildReport(run: CheckRun, notes: string[]): Report {
  const byService = new Map<string, Finding[]>();
  for (const f of run.findings) {
    const key = `${f.namespace}/${f.service}`;
    pushTo(byService, key, f);
  }
  const services: ServiceSummary[] = run.services.map(({ service, counts }) => {
    const key = `${service.meta.namespace}/${service.meta.name}`;
    const findings = byService.get(key) ?? [];
    const worst = findings.reduce<Severity | undefined>(
      (w, f) => (!w || RANK[f.severity] > RANK[w] ? f.severity : w),
      undefined,
    );
    return {
      namespace: service.meta.namespace,
      name: service.meta.name,
      type: service.clusterIP === 'None' ? `${service.type} (headless)` : service.type,
      ...(service.clusterIP && service.clusterIP !== 'None' ? { clusterIP: service.clusterIP } : {}),
      endpoints: service.type === 'ExternalName' ? null : { ready: counts.ready, total: counts.total },
      status: worst ?? 'ok',
      findings: findings.length,
      suppressed: run.suppressed.get(key) ?? 0,
    };
  });
  const findingCounts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of run.findings) findingCounts[f.severity]++;
  const count = (status: ServiceStatus) => services.filter((s) => s.status === status).length;
  const skipNotes = run.skipped.map(
    (s) => `check ${s.check} skipped: the input has no ${s.missing.map(describeInput).join(' and ')}`,
  );
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'Report',
    summary: {
      services: services.length,
      ok: count('ok'),
      error: count('error'),
      warning: count('warning'),
      info: count('info'),
      findings: findingCounts,
      suppressed: [...run.suppressed.values()].reduce((a, b) => a + b, 0),
    },
    notes: [...notes, ...skipNotes],
    services,
    findings: run.findings,
  };
}

function describeInput(input: string): string {
  return input === 'endpoints' ? 'Endpoints (v1)' : input === 'endpointSlices' ? 'EndpointSlices' : 'Nodes';
}

/** Whether any finding is at or above the --fail-on threshold. */
export function failsAt(report: Report, failOn: Severity | 'never'): boolean {
  const threshold = severityRank(failOn);
  return report.findings.some((f) => RANK[f.severity] >= threshold);
}
