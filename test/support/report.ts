// Hand-made reports for the renderers' tests: Services and findings given directly, the
// summary counted from them as buildReport counts it.

import { REPORT_API_VERSION, type Report, type ServiceSummary } from '../../src/report/report.js';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../../src/checks/index.js';
import { describeChecks, type Finding, type Severity } from '../../src/core/findings.js';

function summary(namespace: string, name: string, findings: Finding[]): ServiceSummary {
  const mine = findings.filter((f) => f.namespace === namespace && f.service === name);
  const rank = { error: 3, warning: 2, info: 1 };
  const worst = mine.reduce<Severity | undefined>(
    (w, f) => (!w || rank[f.severity] > rank[w] ? f.severity : w),
    undefined,
  );
  return {
    namespace,
    name,
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    selector: { app: name },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
    endpoints: { ready: 0, total: 1 },
    status: worst ?? 'ok',
    findings: mine.length,
    suppressed: 0,
  };
}

export function report(services: [string, string][], findings: Finding[], notes: string[] = []): Report {
  const list = services.map(([ns, name]) => summary(ns, name, findings));
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const status = (s: string) => list.filter((x) => x.status === s).length;
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'Report',
    summary: {
      services: list.length,
      ok: status('ok'),
      error: status('error'),
      warning: status('warning'),
      info: status('info'),
      unknown: status('unknown'),
      findings: bySeverity,
      suppressed: 0,
    },
    notes,
    services: list,
    findings,
  };
}

export const finding = (
  ns: string,
  service: string,
  check: string,
  severity: Severity,
  message = 'broken',
): Finding => ({
  check,
  severity,
  reason: 'handMade',
  namespace: ns,
  service,
  message,
  fix: 'do something',
});

/** Every check's description, as a diagnosis hands them to the renderers. */
export const ALL_CHECKS = describeChecks([...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS]);
