// The connect checks' findings join the diagnosis's: they set the Service's status, a Service's
// ignore annotation silences them (counted as suppressed), and each Service carries its answers
// and the lookup of its name.

import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS } from '../../src/checks/index.js';
import { connectTargets, pairAnswers, serviceLookup } from '../../src/model/connect-targets.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { viewService } from '../../src/model/service-view.js';
import { diagnoseServices } from '../../src/report/diagnosis.js';
import { refused } from '../support/connectivity.js';
import { endpointOf, node, pod, service, slice, type Raw } from '../support/objects.js';

function diagnose(objects: Raw[]) {
  const model = modelFromRaw(objects);
  const ports = model.services.flatMap((s) =>
    connectTargets(viewService(model, s)).map((p) => pairAnswers(p, 'local', p.targets.map(refused))),
  );
  // The cluster DNS does not know the name.
  const lookups = model.services.flatMap((s) => {
    const lookup = serviceLookup(viewService(model, s));
    return lookup
      ? [{ ...lookup, vantage: 'local', answer: { result: 'nxdomain' as const, server: '10.96.0.53' } }]
      : [];
  });
  return diagnoseServices(model, model.services, CHECKS, [], undefined, { ports, lookups, checks: CONNECT_CHECKS });
}

const objects = (annotations?: Record<string, string>) => [
  node('node-a'),
  service('web', annotations ? { annotations } : {}),
  pod('web-1'),
  pod('web-2'),
  slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
];

describe('diagnoseServices with --connect answers', () => {
  it('a refusing Service is an error, and its entry lists each target’s answer', () => {
    const { report } = diagnose(objects());
    expect(report.findings.map((f) => `${f.check} ${f.reason}`)).toEqual([
      'endpoint-refuses-connections allRefuse',
      'service-dns-mismatch noSuchName',
    ]);
    // A lookup's finding is the Service's, of no port.
    expect(report.findings[1].port).toBeUndefined();
    const [web] = report.services;
    expect(web.status).toBe('error');
    expect(web.connectivity?.[0].targets.map((t) => `${t.kind} ${t.pod ?? '-'} ${t.result}`)).toEqual([
      'endpoint web-1 refused',
      'endpoint web-2 refused',
      'cluster-ip - refused',
    ]);
    expect(web.dns).toEqual({
      name: 'web.shop.svc.cluster.local',
      vantage: 'local',
      expected: ['10.96.0.10'],
      result: 'nxdomain',
      server: '10.96.0.53',
    });
  });

  it("the Service's ignore annotation silences a connect check, and counts what it silenced", () => {
    const { report } = diagnose(
      objects({ 'endpoints-doctor/ignore': 'endpoint-refuses-connections,service-dns-mismatch' }),
    );
    expect(report.findings).toEqual([]);
    expect(report.services[0].suppressed).toBe(2);
  });
});
