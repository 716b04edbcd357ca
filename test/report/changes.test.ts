// The change lines of --watch: which Services count as added, changed or removed between two
// reports, and the line each becomes.

import { describe, expect, it } from 'vitest';
import { compareReports, describeChange, formatChange } from '../../src/report/changes.js';
import type { Report, ServiceSummary } from '../../src/report/report.js';
import type { Finding } from '../../src/core/findings.js';
import type { ServiceStatus } from '../../src/core/findings.js';

function summary(name: string, status: ServiceStatus, ready: number, total: number): ServiceSummary {
  return {
    namespace: 'shop',
    name,
    type: 'ClusterIP',
    ports: [],
    endpoints: { ready, total },
    status,
    findings: 0,
    suppressed: 0,
  };
}

function finding(service: string, check: string): Finding {
  return { check, severity: 'error', reason: 'handMade', namespace: 'shop', service, message: '' };
}

function report(services: ServiceSummary[], findings: Finding[] = []): Report {
  return { services, findings } as unknown as Report;
}

/** A --from verdict on each backend of one port, and the DNS verdict. */
function reachable(verdicts: ('allowed' | 'blocked' | 'unknown')[], dns: 'allowed' | 'blocked' = 'allowed') {
  return {
    from: 'pod/client',
    client: 'pod shop/client',
    notes: [],
    enforcement: 'if your network plugin enforces NetworkPolicy',
    dns: { verdict: dns, udp: dns, tcp: dns, servers: 'kube-system/kube-dns', policies: [], reason: '' },
    ports: [
      {
        port: 'http 80/TCP',
        backends: verdicts.map((verdict, i) => ({
          pod: `web-${i}`,
          targetPort: 8080,
          verdict,
          ingress: { verdict, policies: [] },
          reason: '',
        })),
      },
    ],
  };
}

describe('compareReports', () => {
  const before = report(
    [summary('api', 'ok', 2, 2), summary('web', 'error', 0, 1), summary('old', 'ok', 1, 1)],
    [finding('web', 'no-ready-endpoints')],
  );

  it('with nothing before, every Service is added, with its findings', () => {
    expect(compareReports(undefined, before).map(describeChange)).toEqual([
      'shop/api added status=ok endpoints=2/2',
      'shop/web added status=error endpoints=0/1 findings=+no-ready-endpoints',
      'shop/old added status=ok endpoints=1/1',
    ]);
  });

  it('reports status, endpoint and finding changes; unchanged Services are left out; removed ones come last', () => {
    const after = report(
      [summary('api', 'ok', 2, 2), summary('web', 'warning', 1, 2), summary('new', 'ok', 1, 1)],
      [finding('web', 'pods-not-ready')],
    );
    expect(compareReports(before, after).map(describeChange)).toEqual([
      'shop/web changed status=error->warning endpoints=0/1->1/2 findings=+pods-not-ready,-no-ready-endpoints',
      'shop/new added status=ok endpoints=1/1',
      'shop/old removed status=ok endpoints=1/1',
    ]);
  });

  it('a change of endpoints alone is a change; the same report is none', () => {
    const after = report(
      [summary('api', 'ok', 3, 3), summary('web', 'error', 0, 1), summary('old', 'ok', 1, 1)],
      [finding('web', 'no-ready-endpoints')],
    );
    expect(compareReports(before, after).map(describeChange)).toEqual([
      'shop/api changed status=ok endpoints=2/2->3/3',
    ]);
    expect(compareReports(before, before)).toEqual([]);
  });

  it('an ExternalName Service has no endpoint count: "-"', () => {
    const external = { ...summary('ext', 'ok', 0, 0), endpoints: null };
    expect(compareReports(undefined, report([external])).map(describeChange)).toEqual([
      'shop/ext added status=ok endpoints=-',
    ]);
  });
});

describe('compareReports: Services that findings name but that do not exist', () => {
  const named = (service: string, check: string, severity: Finding['severity']): Finding => ({
    ...finding(service, check),
    severity,
  });
  const api = summary('api', 'ok', 2, 2);

  it('one is added when findings first name it, with their worst severity, and removed when none does', () => {
    const first = report(
      [api],
      [named('gone', 'statefulset-service-missing', 'warning'), named('gone', 'ingress-backend-missing', 'error')],
    );
    expect(compareReports(undefined, first).map(describeChange)).toEqual([
      'shop/api added status=ok endpoints=2/2',
      'shop/gone added status=error endpoints=- exists=false findings=+ingress-backend-missing,+statefulset-service-missing',
    ]);
    const fewer = report([api], [named('gone', 'statefulset-service-missing', 'warning')]);
    expect(compareReports(first, fewer).map(describeChange)).toEqual([
      'shop/gone changed status=error->warning endpoints=- exists=false findings=-ingress-backend-missing',
    ]);
    expect(compareReports(fewer, report([api])).map(describeChange)).toEqual([
      'shop/gone removed status=warning endpoints=- exists=false findings=-statefulset-service-missing',
    ]);
  });

  it('a Service deleted while findings name it, or created, changes: exists= says which', () => {
    const withDb = report([api, summary('db', 'ok', 1, 1)]);
    const dbGone = report([api], [named('db', 'statefulset-service-missing', 'warning')]);
    expect(compareReports(withDb, dbGone).map(describeChange)).toEqual([
      'shop/db changed status=ok->warning endpoints=1/1->- exists=true->false findings=+statefulset-service-missing',
    ]);
    const [created] = compareReports(dbGone, withDb);
    expect(describeChange(created)).toBe(
      'shop/db changed status=warning->ok endpoints=-->1/1 exists=false->true findings=-statefulset-service-missing',
    );
    expect(created).toMatchObject({ namespace: 'shop', name: 'db', exists: { before: false, after: true } });
  });
});

describe('formatChange', () => {
  it('prefixes the UTC time to the second', () => {
    const [change] = compareReports(undefined, report([summary('api', 'ok', 2, 2)]));
    expect(formatChange(change, new Date('2026-11-25T22:34:57.123Z'))).toBe(
      '2026-11-25T22:34:57Z shop/api added status=ok endpoints=2/2',
    );
  });

  it('with --from, a flip of one verdict alone is a change, and the line says what the client reaches', () => {
    const withReach = (verdicts: ('allowed' | 'blocked' | 'unknown')[], dns?: 'allowed' | 'blocked') =>
      report([{ ...summary('web', 'ok', 2, 2), reachability: reachable(verdicts, dns) }]);
    expect(compareReports(undefined, withReach(['allowed', 'allowed'])).map(describeChange)).toEqual([
      'shop/web added status=ok endpoints=2/2 reachable=allowed:2,blocked:0,unknown:0,dns:allowed',
    ]);
    expect(compareReports(withReach(['allowed', 'allowed']), withReach(['allowed', 'allowed']))).toEqual([]);
    expect(
      compareReports(withReach(['allowed', 'allowed']), withReach(['allowed', 'blocked'])).map(describeChange),
    ).toEqual([
      'shop/web changed status=ok endpoints=2/2 reachable=allowed:2,blocked:0,unknown:0,dns:allowed->allowed:1,blocked:1,unknown:0,dns:allowed',
    ]);
    expect(
      compareReports(withReach(['allowed', 'allowed']), withReach(['allowed', 'allowed'], 'blocked')).map(
        describeChange,
      ),
    ).toEqual([
      'shop/web changed status=ok endpoints=2/2 reachable=allowed:2,blocked:0,unknown:0,dns:allowed->allowed:2,blocked:0,unknown:0,dns:blocked',
    ]);
    // Without --from the line has no reachable field.
    expect(compareReports(undefined, report([summary('web', 'ok', 2, 2)])).map(describeChange)).toEqual([
      'shop/web added status=ok endpoints=2/2',
    ]);
  });
});
