// What the runner makes of a check's declared texts and scope: the message from the reason's
// template and the notes, the severity from the reason, a refusal of anything undeclared, and
// only the Services of the check's scope judged.

import { describe, expect, it } from 'vitest';
import type { Check, FindingDraft, ServiceScope } from '../../src/checks/types.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { addressOf, backendsOf } from '../../src/model/services.js';
import { checkService, runChecks } from '../../src/report/run-checks.js';
import { service } from '../support/objects.js';

/** A check that returns the given drafts on every Service of its scope. */
function fictional(drafts: FindingDraft[], appliesToServices: ServiceScope = { backends: ['selector'] }): Check {
  return {
    id: 'fictional',
    severity: 'error',
    title: 'A check made up for the test',
    explanation: 'none',
    fix: 'none',
    messages: { broken: '{{what}} is broken', brokenSoftly: '{{what}} is a little broken' },
    notes: { since: '; since {{since}}', detail: ' ({{detail}})' },
    severities: { brokenSoftly: 'info' },
    appliesToServices,
    run: () => drafts,
  };
}

const model = modelFromRaw([service('web')]);
const web = model.service('shop', 'web')!;

describe('a finding from its check’s texts', () => {
  it('is the reason’s template filled from the data, then each note in order', () => {
    const check = fictional([
      { reason: 'broken', data: { what: 'web', since: 'Monday', detail: 'twice' }, notes: ['since', 'detail'] },
    ]);
    expect(checkService(check, model, web)).toEqual([
      {
        check: 'fictional',
        severity: 'error',
        reason: 'broken',
        namespace: 'shop',
        service: 'web',
        message: 'web is broken; since Monday (twice)',
      },
    ]);
  });

  it('has its reason’s severity', () => {
    const [finding] = checkService(fictional([{ reason: 'brokenSoftly', data: { what: 'web' } }]), model, web);
    expect(finding).toMatchObject({ reason: 'brokenSoftly', severity: 'info', message: 'web is a little broken' });
  });

  it('takes data as text, never as a template', () => {
    const [finding] = checkService(fictional([{ reason: 'broken', data: { what: '{{since}}' } }]), model, web);
    expect(finding?.message).toBe('{{since}} is broken');
  });

  it('is refused when the reason is not one of the check’s messages', () => {
    expect(() => checkService(fictional([{ reason: 'nope', data: { what: 'web' } }]), model, web)).toThrow(
      'check fictional: reason "nope" is not one of its messages',
    );
  });

  it('is refused when a note is not one of the check’s notes', () => {
    const check = fictional([{ reason: 'broken', data: { what: 'web' }, notes: ['nope'] }]);
    expect(() => checkService(check, model, web)).toThrow('check fictional: note "nope" is not one of its notes');
  });

  it('is refused when a placeholder has no data', () => {
    expect(() => checkService(fictional([{ reason: 'broken' }]), model, web)).toThrow(
      'check fictional, message broken: no data for {{what}}',
    );
    const check = fictional([{ reason: 'broken', data: { what: 'web' }, notes: ['since'] }]);
    expect(() => checkService(check, model, web)).toThrow('check fictional, note since: no data for {{since}}');
  });
});

describe('the Services a check judges (appliesToServices)', () => {
  const kinds = modelFromRaw([
    service('selected'),
    service('by-hand', { selector: null }),
    service('cname', { type: 'ExternalName', spec: { externalName: 'db.example.com' } }),
    service('peers', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
    service('other-proxy', { labels: { 'service.kubernetes.io/service-proxy-name': 'mesh' } }),
    service('no-cluster-ip', { spec: { clusterIP: undefined, clusterIPs: undefined } }),
  ]);

  it('are of one kind of backends each, and all but ExternalName of one kind of address', () => {
    expect(kinds.services.map((s) => [s.meta.name, backendsOf(s), addressOf(s)])).toEqual([
      ['by-hand', 'selectorless', 'proxied'],
      ['cname', 'externalName', undefined],
      ['no-cluster-ip', 'selector', 'unproxied'],
      ['other-proxy', 'selector', 'unproxied'],
      ['peers', 'selector', 'headless'],
      ['selected', 'selector', 'proxied'],
    ]);
  });

  const judged = (scope: ServiceScope) => {
    const check = fictional([{ reason: 'broken', data: { what: 'it' } }], scope);
    return runChecks(kinds, kinds.services, [check]).findings.map((f) => f.service);
  };

  it('are those of its backends, whatever their address when it names none', () => {
    expect(judged({ backends: ['selector'] })).toEqual(['no-cluster-ip', 'other-proxy', 'peers', 'selected']);
    expect(judged({ backends: ['selectorless', 'externalName'] })).toEqual(['by-hand', 'cname']);
  });

  it('are, among those, the ones with an address it names; an ExternalName Service has none to ask about', () => {
    expect(judged({ backends: ['selector', 'selectorless'], addresses: ['proxied'] })).toEqual(['by-hand', 'selected']);
    expect(judged({ backends: ['selector', 'externalName'], addresses: ['headless', 'unproxied'] })).toEqual([
      'cname',
      'no-cluster-ip',
      'other-proxy',
      'peers',
    ]);
  });
});
