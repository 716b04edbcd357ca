// Never OK on a guess: when the input lacks a kind (EndpointSlices, Endpoints, Nodes), the checks
// needing it are skipped, and a Service that one of them applies to gets the status `unknown`
// unless its findings are already as severe as that check could be. Every format shows it, and
// the run fails at every --fail-on but never; not choosing the check is the way to accept it.

import { readFileSync } from 'node:fs';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECKS } from '../../src/checks/index.js';
import { viewService } from '../../src/model/service-view.js';
import { palette } from '../../src/render/colour.js';
import { renderOutput, type Output } from '../../src/render/output.js';
import { compareReports, describeChange } from '../../src/report/changes.js';
import { diagnoseServices, type Diagnosis } from '../../src/report/diagnosis.js';
import {
  buildReport,
  failsAt,
  type Report,
  type ServiceSummary,
  type SkippedCheckSummary,
} from '../../src/report/report.js';
import { checkService, type CheckRun } from '../../src/report/run-checks.js';
import { Interactive } from '../../src/ui/interactive.js';
import { runCli, writeTemp } from '../support/cli.js';
import { withControllers } from '../support/controller.js';
import { EVENTS_AND_POLICIES_READ, node, pod, service, slice, type Raw } from '../support/objects.js';
import type { InputCoverage } from '../../src/core/coverage.js';
import { stringAt } from '../../src/core/json-value.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import type { Finding } from '../../src/core/findings.js';
import { requiredObject } from '../support/required-fields.js';

// web: healthy; api: its selector matches nothing (an error); ext: ExternalName.
const cluster: Raw[] = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  pod('web-2'),
  service('api', { selector: { app: 'api' } }),
  service('ext', { type: 'ExternalName', selector: null, spec: { externalName: 'db.example.com' } }),
]);
const without = (kind: string) => cluster.filter((o) => o.kind !== kind);

function diagnosisOf(objects: Raw[], coverage: Partial<InputCoverage>, checks = CHECKS): Diagnosis {
  // Events read, none recent: only the kind the case leaves out is missing.
  const model = modelFromRaw(objects, { events: true, ...coverage });
  return diagnoseServices(model, model.services, checks, []);
}

const serviceOf = (report: Report, name: string) => report.services.find((s) => s.name === name)!;

/**
 * What cannot judge shop/web without EndpointSlices, in check order: three checks skipped, and
 * no-ready-endpoints, which judges the pods then: it can find an outage but not clear one.
 */
const WEB_SKIPPED: SkippedCheckSummary[] = [
  { check: 'no-ready-endpoints', severity: 'error', partly: true, missing: ['EndpointSlice'] },
  { check: 'stale-endpoints', severity: 'warning', missing: ['EndpointSlice'] },
  { check: 'pod-missing-from-slices', severity: 'warning', missing: ['EndpointSlice'] },
  { check: 'slices-endpoints-disagree', severity: 'info', missing: ['EndpointSlice'] },
];
const WEB_NOT_JUDGED =
  'not judged by no-ready-endpoints, stale-endpoints, pod-missing-from-slices, slices-endpoints-disagree (the input has no EndpointSlices)';

describe('a Service judged without a kind it needs', () => {
  // kube-proxy programs what the EndpointSlices hold (pkg/proxy/endpointslicecache.go); without
  // them the endpoints are counted from the pods, a guess of what it got.
  it('without EndpointSlices: a Service with no error finding is unknown, not ok', () => {
    const { report } = diagnosisOf(without('EndpointSlice'), { endpointSlices: false });
    const web = serviceOf(report, 'web');
    expect(web.status).toBe('unknown');
    expect(web.skippedChecks).toEqual(WEB_SKIPPED);
    // The Service-level field points at the notes that say what was missing.
    for (const s of web.skippedChecks!)
      expect(report.notes).toContain(
        s.partly
          ? `check ${s.check} can only confirm, not clear: the input has no EndpointSlices (what it finds stands; a Service it finds nothing on is not judged by it)`
          : `check ${s.check} skipped: the input has no EndpointSlices`,
      );
    expect(serviceOf(report, 'api').status).toBe('error'); // an error is an error, whatever else could be found
    expect(serviceOf(report, 'ext').status).toBe('info'); // no skipped check applies to an ExternalName Service
    expect(serviceOf(report, 'ext').skippedChecks).toBeUndefined();
    expect(report.summary).toMatchObject({ services: 3, ok: 0, error: 1, info: 1, unknown: 1 });
  });

  it('without Nodes: only Services with endpoints on nodes, or a Local traffic policy, are unknown', () => {
    const objects = withControllers([
      node('node-a'),
      service('web'),
      pod('web-1'),
      pod('web-2'),
      // Hand-made endpoints that name no node: no node can be down under them.
      service('legacy', { selector: null }),
      slice('legacy', { managedBy: 'me', endpoints: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }] }),
    ]);
    const { report } = diagnosisOf(
      objects.filter((o) => o.kind !== 'Node'),
      { nodes: false },
    );
    expect(serviceOf(report, 'web')).toMatchObject({
      status: 'unknown',
      skippedChecks: [{ check: 'endpoint-on-unready-node', missing: ['Node'] }],
    });
    expect(serviceOf(report, 'legacy').status).toBe('ok');
    expect(serviceOf(report, 'legacy').skippedChecks).toBeUndefined();
  });

  it('without Endpoints: endpoints-over-capacity applies only past 1000 endpoints', () => {
    const { run } = diagnosisOf(without('Endpoints'), { endpoints: false });
    const web = run.services.find((s) => s.service.meta.name === 'web')!;
    expect(web.skippedChecks.map((s) => s.check)).not.toContain('endpoints-over-capacity');
    expect(web.skippedChecks.map((s) => s.check)).toContain('slices-endpoints-disagree');
  });

  // The EndpointSlice controller lists the pods the selector matches (pkg/controller/endpointslice,
  // syncService): without Pods in the input, no selector can be judged to match nothing, and the
  // slices are all that shows whether anything is ready.
  it('without Pods: selector checks are skipped, not fired; slices still show an outage', () => {
    const objects = withControllers([
      node('node-a'),
      service('web'),
      pod('web-1'),
      service('api', { selector: { app: 'api' } }),
      pod('api-1', { labels: { app: 'api' }, ready: false }),
    ]).filter((o) => o.kind !== 'Pod');
    const { report } = diagnosisOf(objects, { pods: false });
    expect(report.findings.map((f) => f.check)).not.toContain('selector-no-match');
    expect(serviceOf(report, 'web').status).toBe('unknown');
    expect(serviceOf(report, 'web').skippedChecks?.map((s) => s.check)).toContain('selector-no-match');
    const api = serviceOf(report, 'api');
    expect(api.status).toBe('error');
    const apiFinding = report.findings.find((f) => f.service === 'api');
    expect(apiFinding?.check).toBe('no-ready-endpoints');
    expect(apiFinding?.message).toContain('is not ready (ready=false');
    expect(apiFinding?.fix).toContain('kubectl get pods -n shop -l app=api');
  });

  it('a Service whose findings are as severe as the skipped checks could be keeps its status', () => {
    const run: CheckRun = {
      services: (['warned', 'quiet', 'risky'] as const).map((name) => ({
        service: modelFromRaw([service(name)]).services[0],
        counts: { ready: 1, total: 1, source: 'pods' },
        skippedChecks: [
          { check: 'stale-endpoints', severity: 'warning', missing: ['endpointSlices'] },
          ...(name === 'risky'
            ? [{ check: 'selectorless-no-endpoints', severity: 'error' as const, missing: ['endpointSlices' as const] }]
            : []),
        ],
      })),
      findings: (['warned', 'risky'] as const).map((name): Finding => ({
        check: 'pods-not-ready',
        severity: 'warning',
        reason: 'somePodsUnready',
        namespace: 'shop',
        service: name,
        message: '1 of 2 pods is not ready',
      })),
      suppressed: new Map(),
      skipped: [],
    };
    const report = buildReport(run, []);
    // A skipped warning check cannot make a warning worse; it can make ok, or a warning, an error.
    expect(report.services.map((s) => [s.name, s.status])).toEqual([
      ['warned', 'warning'],
      ['quiet', 'unknown'],
      ['risky', 'unknown'],
    ]);
    expect(report.services[0].skippedChecks).toEqual([
      { check: 'stale-endpoints', severity: 'warning', missing: ['EndpointSlice'] },
    ]);
  });

  it("not choosing the checks, or the Service's ignore annotation, accepts the missing kind", () => {
    const skipped = WEB_SKIPPED.map((s) => s.check);
    const chosen = CHECKS.filter((c) => !skipped.includes(c.id));
    expect(
      serviceOf(diagnosisOf(without('EndpointSlice'), { endpointSlices: false }, chosen).report, 'web').status,
    ).toBe('ok');
    const ignoring = without('EndpointSlice').map((o) =>
      o.kind === 'Service' && stringAt(o, 'metadata', 'name') === 'web'
        ? {
            ...o,
            metadata: {
              ...requiredObject(o, 'metadata'),
              annotations: { 'endpoints-doctor/ignore': skipped.join(', ') },
            },
          }
        : o,
    );
    const web = serviceOf(diagnosisOf(ignoring, { endpointSlices: false }).report, 'web');
    expect(web.status).toBe('ok');
    expect(web.skippedChecks).toBeUndefined();
  });

  // slices-endpoints-disagree reports at most info: had it run, it could not have failed --fail-on
  // error or warning, so its absence (Endpoints forbidden, say) fails only --fail-on info.
  it('an unknown status fails only the --fail-on levels a check left out could have reached', () => {
    const { report } = diagnosisOf(without('Endpoints'), { endpoints: false });
    const web = serviceOf(report, 'web');
    expect(web.status).toBe('unknown');
    expect(web.skippedChecks).toEqual([
      { check: 'slices-endpoints-disagree', severity: 'info', missing: ['Endpoints'] },
    ]);
    const unknownOnly: Report = { ...report, findings: [], services: [web] };
    expect((['error', 'warning', 'info', 'never'] as const).map((f) => failsAt(unknownOnly, f))).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it('fails the run at every --fail-on but never when an error check did not judge it', () => {
    const { report } = diagnosisOf(without('EndpointSlice'), { endpointSlices: false }, CHECKS);
    const unknownOnly: Report = { ...report, findings: [], services: [serviceOf(report, 'web')] };
    expect((['error', 'warning', 'info', 'never'] as const).map((f) => failsAt(unknownOnly, f))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

// Every check that says where it applies must say so wherever it finds something: the example
// shop makes every check fire, with every kind in the input. Its image-resizer keeps two of the
// 1000 pods behind its over-capacity Endpoints (examples/shop.ts says why), so that check gets a
// cluster of the real size.
describe('appliesTo never says no where its check finds something', () => {
  const shop = parse(readFileSync(new URL('../../examples/shop.yaml', import.meta.url), 'utf8')) as Raw;
  const overCapacity = withControllers([
    node('node-a'),
    service('big'),
    ...Array.from({ length: 1001 }, (_, i) =>
      pod(`big-${i}`, { labels: { app: 'web' }, ip: `10.1.${i >> 8}.${i & 255}` }),
    ),
  ]);
  for (const check of CHECKS.filter((c) => c.appliesTo !== undefined)) {
    it(check.id, () => {
      const model = modelFromRaw(check.id === 'endpoints-over-capacity' ? overCapacity : [shop]);
      const found = model.services.filter((s) => checkService(check, model, s).length > 0);
      expect(found.length).toBeGreaterThan(0);
      for (const s of found) expect(check.appliesTo!(viewService(model, s), model), s.meta.name).toBe(true);
    });
  }

  it('endpoints-over-capacity does not apply at 1000 endpoints or fewer', () => {
    const model = modelFromRaw(withControllers([node('node-a'), service('web'), pod('web-1'), pod('web-2')]));
    const over = CHECKS.find((c) => c.id === 'endpoints-over-capacity')!;
    expect(over.appliesTo!(viewService(model, model.services[0]), model)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const noSlices = diagnosisOf(without('EndpointSlice'), { endpointSlices: false });
const renderAs = (output: Output, failOn: 'error' | 'never' = 'error') =>
  renderOutput(
    noSlices,
    { output, failOn, checksChosen: CHECKS.length, ascii: false, showEndpoints: false },
    palette(false),
  );

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

describe('every format shows unknown next to what was missing', () => {
  it('text: the table, the counts, and what unknown means', () => {
    const out = renderAs('text');
    expect(out).toMatch(/^shop\s+web\s+ClusterIP\s+2\/2\s+UNKNOWN\s+-$/m);
    expect(out).toMatch(/^3 Services: 0 ok, 1 error, 0 warning, 1 info, 1 unknown$/m);
    expect(out).toMatch(
      /^unknown: a check that applies to this Service could not run .* every --fail-on the checks left out could have reached fails on it/m,
    );
    expect(out).toMatch(/^note: check pod-missing-from-slices skipped: the input has no EndpointSlices$/m);
    // It fails --fail-on error without a finding: its block says what could not judge it.
    expect(out).toMatch(/^shop\/web \(ClusterIP[^\n]*\n\s+not judged by no-ready-endpoints/m);
  });

  it('tree: the Service row and a line under it', () => {
    const out = renderAs('tree');
    expect(out).toMatch(/^shop\s+Service\/web\s+2\/2\s+UNKNOWN/m);
    expect(out).toContain(`UNKNOWN ${WEB_NOT_JUDGED}`);
  });

  it('json and yaml: status, summary.unknown and skippedChecks', () => {
    for (const report of [JSON.parse(renderAs('json')), parse(renderAs('yaml'))] as Report[]) {
      expect(report.summary.unknown).toBe(1);
      expect(serviceOf(report, 'web')).toMatchObject<Partial<ServiceSummary>>({
        status: 'unknown',
        skippedChecks: WEB_SKIPPED,
      });
    }
  });

  it('junit: a failure of type unknown, as the exit code fails; none at --fail-on never', () => {
    const out = renderAs('junit');
    expect(out).toContain(
      `<testcase classname="shop" name="web">\n      <failure message="unknown: ${WEB_NOT_JUDGED}" type="unknown">`,
    );
    expect(out).toMatch(/<testsuites name="endpoints-doctor" tests="3" failures="2" errors="0" skipped="0">/);
    expect(renderAs('junit', 'never')).not.toContain('type="unknown"');
  });

  it('markdown: the status cell, the headline and the counts', () => {
    const out = renderAs('markdown');
    expect(out).toContain('| shop | web | ClusterIP | 2/2 | ❌ unknown |');
    expect(out).toContain('❌ 2 of 3 Services with findings at or above error or unknown');
    expect(out).toMatch(/1 info, 1 unknown \(a check that applies to it could not run/);
    expect(renderAs('markdown', 'never')).toContain('| shop | web | ClusterIP | 2/2 | ❓ unknown |');
  });

  it('-i: the row, and the details pane says what could not judge it', () => {
    view = render(
      createElement(Interactive, {
        diagnosis: noSlices,
        source: 'snapshot x.yaml',
        rows: 40,
        columns: 160,
        colour: false,
        failOn: 'error',
        now: new Date(),
      }),
    );
    const frame = view.lastFrame() ?? '';
    // Failing as the exit code, JUnit and Markdown count it: at or above --fail-on error.
    expect(frame).toContain('3 Services, 2 failing');
    expect(frame).toMatch(/UNKNOWN\s+shop\/web\s+2\/2/);
    // shop/api, selected first: an error, and what could not judge it.
    expect(frame).toContain(
      'not judged by no-ready-endpoints, stale-endpoints, slices-endpoints-disagree (the input has no Endp',
    );
  });

  it('--watch: a change line says status=unknown', () => {
    const ok = diagnosisOf(cluster, {}).report;
    const lines = compareReports(ok, noSlices.report).map(describeChange);
    expect(lines).toContain('shop/web changed status=ok->unknown endpoints=2/2');
  });
});

describe('exit codes', () => {
  const file = writeTemp(
    'no-slices.json',
    JSON.stringify({ kind: 'List', metadata: EVENTS_AND_POLICIES_READ, items: without('EndpointSlice') }),
  );
  const webOnly = ['--snapshot', file, '-n', 'shop', 'web'];

  it('1 at every --fail-on but never when a Service is unknown', () => {
    for (const failOn of ['error', 'warning', 'info'])
      expect(runCli([...webOnly, '--fail-on', failOn]).code, failOn).toBe(1);
    const never = runCli([...webOnly, '--fail-on', 'never', '-o', 'json']);
    expect(never.code).toBe(0);
    expect((JSON.parse(never.stdout) as Report).services[0].status).toBe('unknown');
  });

  it('0 when the checks that need the missing kind are not chosen', () => {
    expect(runCli([...webOnly, '--disable', WEB_SKIPPED.map((s) => s.check).join(',')]).code).toBe(0);
    expect(runCli([...webOnly, '--only', 'selector-no-match,pods-not-ready']).code).toBe(0);
  });
});
