// The probe's check runner: findings carry their node, and a Service's ignore annotation
// silences a dataplane check as it silences diagnose's (counted, not reported).

import { describe, expect, it } from 'vitest';
import { viewService } from '../../src/model/service-view.js';
import { buildNodeProbe } from '../../src/model/node-comparison.js';
import { runDataplaneChecks } from '../../src/report/dataplane-checks.js';
import { dataplane, READ_AT, rules } from '../support/dataplane.js';
import { endpointOf, pod, service, slice } from '../support/objects.js';
import { modelFromRaw } from '../../src/model/from-raw.js';

function run(annotations?: Record<string, string>) {
  const model = modelFromRaw([
    service('web', { annotations }),
    pod('web-1'),
    slice('web', { endpoints: [endpointOf('web-1')] }),
  ]);
  const views = model.services.map((s) => viewService(model, s));
  const reject = dataplane([rules('web', { verdicts: [{ frontend: 'cluster-ip', verdict: 'reject' }] })]);
  const probes = ['node-a', 'node-b'].map((node) =>
    buildNodeProbe({ node, dataplane: reject, views, model, readAt: new Date(READ_AT) }),
  );
  return runDataplaneChecks(probes, model);
}

describe('runDataplaneChecks', () => {
  it('reports each node’s findings with the node', () => {
    const { findings, suppressed } = run();
    expect(findings.map((f) => [f.check, f.node])).toEqual([
      ['dataplane-rejects', 'node-a'],
      ['dataplane-rejects', 'node-b'],
    ]);
    expect(suppressed.size).toBe(0);
  });

  it('endpoints-doctor/ignore on the Service silences the check and counts what it silenced', () => {
    const { findings, suppressed } = run({ 'endpoints-doctor/ignore': 'dataplane-rejects' });
    expect(findings).toEqual([]);
    expect(suppressed.get('shop/web')).toBe(2);
  });
});
