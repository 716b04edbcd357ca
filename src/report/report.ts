// The versioned report: the JSON/YAML contract documented in docs/report.md. Every renderer
// works from this object, so text, JSON and YAML always say the same thing.

import type { CheckRun, SkippedCheck } from './run-checks.js';
import { pushTo } from '../core/multimap.js';
import type { InputCoverage } from '../core/coverage.js';
import { KINDS, type KindSpec } from '../core/kinds.js';
import { SEVERITIES, type Finding, type ServiceStatus, type Severity } from '../core/findings.js';
import type { DataplaneNodeReport } from './dataplane-report.js';
import type { PortConnectivityReport, LookupReport } from './connect-checks.js';
import type { ServiceReachability } from '../model/reachability.js';
import type { Labels, ServicePort } from '../core/objects.js';
import type { ServiceUser } from '../core/findings.js';

export const REPORT_API_VERSION = 'endpoints-doctor/v1';

/** A check that applies to a Service but could not run: the note `check CHECK skipped: ...` says why. */
export interface SkippedCheckSummary {
  check: string;
  /** The most severe finding the check could have made: the --fail-on levels an unknown status fails. */
  severity: Severity;
  /** The check ran (its findings stand) but could not clear the Service. */
  partly?: true;
  /** The kinds the input lacks: EndpointSlice, Endpoints, Node. */
  missing: string[];
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  type: string;
  clusterIP?: string;
  /** The Service's selector; absent for a selectorless Service. */
  selector?: Labels;
  /** The Service's ports, as its spec declares them (targetPort defaulted to port). */
  ports: ServicePort[];
  /** Distinct endpoint addresses from the Service's slices; null for ExternalName Services. */
  endpoints: { ready: number; total: number } | null;
  status: ServiceStatus;
  findings: number;
  suppressed: number;
  /** Checks that apply to the Service but could not run; absent when every one that applies ran. */
  skippedChecks?: SkippedCheckSummary[];
  /** The objects of the input that refer to the Service (Ingress backends), where and by which port; absent when none does. */
  usedBy?: ServiceUser[];
  /** With --connect: per Service port, what each endpoint and cluster IP answered from the vantage point. */
  connectivity?: PortConnectivityReport[];
  /** With --connect: the lookup of the Service's own name from the vantage point (none for ExternalName). */
  dns?: LookupReport;
  /** With --from: the Service as that client sees it, per port and ready backend (model/reachability.ts). */
  reachability?: ServiceReachability;
}

export interface Report {
  apiVersion: typeof REPORT_API_VERSION;
  kind: 'Report';
  summary: {
    services: number;
    /** Services per status: ok, the worst severity among their findings, or unknown. */
    ok: number;
    error: number;
    warning: number;
    info: number;
    unknown: number;
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

/** The Service's status from its findings and the checks that could not judge it. */
function serviceStatus(findings: Finding[], skipped: readonly SkippedCheck[]): ServiceStatus {
  const worst = findings.reduce<Severity | undefined>(
    (w, f) => (!w || RANK[f.severity] > RANK[w] ? f.severity : w),
    undefined,
  );
  const worstRank = worst ? RANK[worst] : 0;
  if (skipped.some((s) => RANK[s.severity] > worstRank)) return 'unknown';
  return worst ?? 'ok';
}

/** Each input a check may lack, by coverage flag: its kind (skippedChecks[].missing) and label (how notes name it). */
const INPUTS = Object.fromEntries(KINDS.flatMap((k) => (k.coverage ? [[k.coverage, k]] : []))) as Record<
  keyof InputCoverage,
  KindSpec
>;
const LABEL_OF_KIND = new Map<string, string>(KINDS.map((k) => [k.kind, k.label]));

/**
 * The checks that could not judge a Service, grouped by what the input lacks, in the words of
 * the notes: "not judged by pod-missing-from-slices, stale-endpoints (the input has no EndpointSlices)".
 */
export function describeSkippedChecks(skipped: SkippedCheckSummary[]): string {
  const byMissing = new Map<string, string[]>();
  for (const s of skipped) pushTo(byMissing, s.missing.map((k) => LABEL_OF_KIND.get(k) ?? k).join(' and '), s.check);
  return `not judged by ${[...byMissing].map(([missing, checks]) => `${checks.join(', ')} (the input has no ${missing})`).join('; ')}`;
}

export function severityRank(severity: Severity | 'never'): number {
  return severity === 'never' ? Infinity : RANK[severity];
}

export function buildReport(run: CheckRun, notes: string[]): Report {
  const byService = new Map<string, Finding[]>();
  for (const f of run.findings) {
    const key = `${f.namespace}/${f.service}`;
    pushTo(byService, key, f);
  }
  const services: ServiceSummary[] = run.services.map(({ service, counts, skippedChecks, usedBy }) => {
    const key = `${service.meta.namespace}/${service.meta.name}`;
    const findings = byService.get(key) ?? [];
    return {
      namespace: service.meta.namespace,
      name: service.meta.name,
      type: service.clusterIP === 'None' ? `${service.type} (headless)` : service.type,
      ...(service.clusterIP && service.clusterIP !== 'None' ? { clusterIP: service.clusterIP } : {}),
      ...(service.selector ? { selector: service.selector } : {}),
      ports: service.ports,
      endpoints: service.type === 'ExternalName' ? null : { ready: counts.ready, total: counts.total },
      status: serviceStatus(findings, skippedChecks),
      findings: findings.length,
      suppressed: run.suppressed.get(key) ?? 0,
      ...(skippedChecks.length > 0
        ? {
            skippedChecks: skippedChecks.map((s) => ({
              check: s.check,
              severity: s.severity,
              ...(s.partly ? { partly: true as const } : {}),
              missing: s.missing.map((m) => INPUTS[m].kind),
            })),
          }
        : {}),
      ...(usedBy ? { usedBy: [...usedBy] } : {}),
    };
  });
  const findingCounts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of run.findings) findingCounts[f.severity]++;
  const count = (status: ServiceStatus) => services.filter((s) => s.status === status).length;
  const skipNotes = run.skipped.map((s) => {
    const missing = `the input has no ${s.missing.map((m) => INPUTS[m].label).join(' and ')}`;
    return s.partly
      ? `check ${s.check} can only confirm, not clear: ${missing} (what it finds stands; a Service it finds nothing on is not judged by it)`
      : `check ${s.check} skipped: ${missing}`;
  });
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'Report',
    summary: {
      services: services.length,
      ok: count('ok'),
      error: count('error'),
      warning: count('warning'),
      info: count('info'),
      unknown: count('unknown'),
      findings: findingCounts,
      suppressed: [...run.suppressed.values()].reduce((a, b) => a + b, 0),
    },
    notes: [...notes, ...skipNotes],
    services,
    findings: run.findings,
  };
}

/**
 * Whether the run fails --fail-on: a finding at or above it, or a Service whose status is unknown
 * because a check that could have reported at or above it did not judge it (a CI gate must not
 * pass on input it could not judge). --fail-on never never fails.
 */
export function failsAt(report: Report, failOn: Severity | 'never'): boolean {
  if (failOn === 'never') return false;
  const threshold = severityRank(failOn);
  return (
    report.findings.some((f) => RANK[f.severity] >= threshold) || report.services.some((s) => unknownFailsAt(s, failOn))
  );
}

/**
 * The Services that fail --fail-on, as "namespace/name": one of their findings is at or above it,
 * or their unknown status does (unknownFailsAt). This is what "failing" means everywhere: the exit
 * code, -o name, Markdown's table and -i's header.
 */
export function failingServices(report: Report, failOn: Severity | 'never'): Set<string> {
  const failing = new Set<string>();
  if (failOn === 'never') return failing;
  const threshold = severityRank(failOn);
  for (const f of report.findings) if (RANK[f.severity] >= threshold) failing.add(`${f.namespace}/${f.service}`);
  for (const s of report.services) if (unknownFailsAt(s, failOn)) failing.add(`${s.namespace}/${s.name}`);
  return failing;
}

/** Whether a Service's unknown status fails --fail-on: some check left out could have reported at or above it. */
export function unknownFailsAt(service: ServiceSummary, failOn: Severity | 'never'): boolean {
  if (service.status !== 'unknown' || failOn === 'never') return false;
  const threshold = severityRank(failOn);
  return (service.skippedChecks ?? []).some((s) => RANK[s.severity] >= threshold);
}
