// One story per endpoint: every check runs on the same model, and none may call an endpoint
// ready, healthy or "the only ready endpoint" while stale-endpoints says its pod is gone. kube-proxy
// still programs such an endpoint (pkg/proxy/endpointslicecache.go reads only the slice), so the
// dataplane sends it traffic; the report counts it as no ready backend and says where that traffic goes.

import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { readyBackends, viewService } from '../../src/model/service-view.js';
import { runChecks } from '../../src/report/run-checks.js';
import { endpointOf, ipFor, node, pod, service, slice, type Raw } from '../support/objects.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import type { Finding } from '../../src/core/findings.js';

const nodes = [node('node-a', { zone: 'a' }), node('node-b', { zone: 'b' })];

function runAll(objects: Raw[], serviceName = 'web') {
  const model = modelFromRaw([...nodes, ...objects]);
  const findings = runChecks(model, model.services, CHECKS).findings;
  const view = viewService(model, model.service('shop', serviceName)!);
  return { findings, view };
}

/** What stale-endpoints says is gone, and every other finding's words about those endpoints. */
function expectOneStory(findings: Finding[], gone: { pod: string; address: string }[]) {
  const stale = findings.filter((f) => f.check === 'stale-endpoints');
  for (const { pod: name } of gone) {
    expect(
      stale.some((f) => f.pods?.some((p) => p.name === name && /no longer exists|another IP|recreated/.test(p.cause))),
      `stale-endpoints names ${name}`,
    ).toBe(true);
  }
  const readyWords = /\bready endpoint\b|only ready|the only|still ready\b|is ready\b/;
  for (const f of findings.filter((x) => x.check !== 'stale-endpoints')) {
    for (const { pod: name, address } of gone) {
      // A pod recreated under the name may be listed for what it is now, never as the ready endpoint.
      for (const p of f.pods ?? []) {
        if (p.name === name) expect(p.cause, `${f.check} on ${name}`).not.toMatch(readyWords);
      }
      // A message that names the endpoint says what stale-endpoints says about it.
      if (f.message.includes(name) || f.message.includes(address)) {
        expect(f.message, `${f.check} names ${name}`).toMatch(/gone|no longer exists|another IP/);
      }
    }
  }
}

describe('every check tells the same story about an endpoint whose pod is gone', () => {
  it('one live and one vanished ready endpoint: one ready backend, and single-ready-endpoint names only the live one', () => {
    const { findings, view } = runAll([
      service('web'),
      pod('web-1'),
      slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-gone', { node: 'node-b' })] }),
    ]);
    expect(view.counts).toEqual({ ready: 1, total: 2, source: 'slices' });
    expect(readyBackends(view)).toEqual({ pods: ['web-1'], addresses: [ipFor('web-1')] });
    const single = findings.find((f) => f.check === 'single-ready-endpoint');
    expect(single?.pods).toEqual([{ name: 'web-1', cause: 'the only ready endpoint' }]);
    expect(single?.message).toContain('1 more endpoint is listed ready, but its pod is gone');
    expectOneStory(findings, [{ pod: 'web-gone', address: ipFor('web-gone') }]);
  });

  it('the only ready endpoint points at a pod recreated with another IP: no check calls it ready, the outage is an error', () => {
    const { findings, view } = runAll([
      service('web'),
      pod('web-0', { ip: '10.244.99.9', ready: false }),
      slice('web', { endpoints: [endpointOf('web-0')] }),
    ]);
    expect(view.counts.ready).toBe(0);
    expect(findings.find((f) => f.check === 'single-ready-endpoint')).toBeUndefined();
    const outage = findings.find((f) => f.check === 'no-ready-endpoints');
    expect(outage?.severity).toBe('error');
    expect(outage?.message).not.toContain('rejects');
    expectOneStory(findings, [{ pod: 'web-0', address: ipFor('web-0') }]);
  });

  it("the last pod of the namespace is gone: the hand-made slice's endpoint is no ready backend of the selectorless Service", () => {
    const { findings, view } = runAll(
      [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'me', endpoints: [{ ip: ipFor('db-0'), pod: 'db-0', node: 'node-a' }] }),
      ],
      'ext',
    );
    expect(view.counts).toEqual({ ready: 0, total: 1, source: 'slices' });
    expect(findings.find((f) => f.check === 'no-ready-endpoints')?.message).toContain(
      'kube-proxy still sends its connections to 1 endpoint listed as ready whose pod is gone',
    );
    expectOneStory(findings, [{ pod: 'db-0', address: ipFor('db-0') }]);
  });

  it('dual stack, the IPv6 endpoint of a recreated pod is stale: no family gap is claimed over it', () => {
    const { findings } = runAll([
      service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] } }),
      pod('web-1', { ips: ['10.244.7.1', 'fd00::7:2'] }),
      pod('web-2', { ips: ['10.244.7.3', 'fd00::7:3'] }),
      slice('web', {
        name: 'web-v4',
        endpoints: [endpointOf('web-1', { ip: '10.244.7.1' }), endpointOf('web-2', { ip: '10.244.7.3' })],
      }),
      slice('web', {
        name: 'web-v6',
        addressType: 'IPv6',
        endpoints: [endpointOf('web-1', { ip: 'fd00::7:1' }), endpointOf('web-2', { ip: 'fd00::7:3' })],
      }),
    ]);
    expect(findings.find((f) => f.check === 'ip-family-without-endpoints')).toBeUndefined();
    expectOneStory(findings, [{ pod: 'web-1', address: 'fd00::7:1' }]);
  });
});
