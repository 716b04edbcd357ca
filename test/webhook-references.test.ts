// Admission webhooks and APIServices through a whole run: findings about the referring object
// (subject), a Service they call that has no ready endpoint made an error whatever its own
// findings' severities (report/run-checks.ts), which references a run judges as missing, the
// outputs, and --for on a snapshot.

import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { modelFromRaw } from '../src/model/from-raw.js';
import { palette } from '../src/render/colour.js';
import { renderOutput, type OutputOptions } from '../src/render/output.js';
import { diagnoseServices, type Diagnosis } from '../src/report/diagnosis.js';
import type { DanglingReferences } from '../src/report/run-checks.js';
import { failsAt } from '../src/report/report.js';
import { parseReport, runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import {
  apiService,
  endpointOf,
  node,
  pod,
  READ_EVENTS_WORKLOADS_AND_POLICIES,
  service,
  slice,
  webhookConfiguration,
  type Raw,
} from './support/objects.js';

const HTTPS = [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }];
const CONTAINERS = [{ name: 'app', image: 'app:1', ports: [{ name: 'https', containerPort: 8443 }] }];
const SLICE_PORTS = [{ name: 'https', port: 8443, protocol: 'TCP' }];

/** A Service whose one pod is terminating but still serving: kube-proxy falls back to it (a warning of its own). */
function terminatingBackend(name: string): Raw[] {
  return [
    service(name, { ns: 'platform', selector: { app: name }, ports: HTTPS }),
    pod(`${name}-1`, {
      ns: 'platform',
      labels: { app: name },
      containers: CONTAINERS,
      ready: false,
      terminating: true,
    }),
    slice(name, {
      ns: 'platform',
      ports: SLICE_PORTS,
      endpoints: [endpointOf(`${name}-1`, { ready: false, serving: true, terminating: true })],
    }),
  ];
}

/** `dangling` "none": a run that read only some Services. */
function diagnose(objects: Raw[], dangling: DanglingReferences | 'none' = { namespace: 'platform' }): Diagnosis {
  const model = modelFromRaw([node('node-a'), ...objects]);
  return diagnoseServices(model, model.services, CHECKS, [], dangling === 'none' ? undefined : dangling);
}

const hook = (name: string, service: string, failurePolicy: 'Fail' | 'Ignore') =>
  webhookConfiguration(name, [
    { name: `${name}.example.com`, service: { ns: 'platform', name: service }, failurePolicy },
  ]);

describe('a Service a webhook or an APIService calls', () => {
  it('the checks that raise declare reasons of their own', () => {
    for (const check of CHECKS) {
      for (const reason of check.noReadyEndpointReasons ?? []) expect(check.messages, check.id).toHaveProperty(reason);
    }
  });

  it('alone, a terminating-but-serving backend is a warning (kube-proxy falls back to it)', () => {
    const { report } = diagnose(terminatingBackend('policy'));
    const own = report.findings.filter((f) => f.check === 'no-ready-endpoints');
    expect(own.map((f) => [f.reason, f.severity])).toEqual([['allPodsUnreadyFallback', 'warning']]);
  });

  it('called by a Fail webhook: its own no-ready-endpoint finding is an error, its status and the exit code follow', () => {
    const { report } = diagnose([...terminatingBackend('policy'), hook('policy', 'policy', 'Fail')]);
    const own = report.findings.find((f) => f.check === 'no-ready-endpoints')!;
    expect([own.reason, own.severity]).toEqual(['allPodsUnreadyFallback', 'error']);
    expect(own.usedBy).toEqual([
      {
        kind: 'ValidatingWebhookConfiguration',
        name: 'policy',
        detail: 'webhook policy.example.com (failurePolicy Fail)',
        port: '443 (default)',
      },
    ]);
    expect(report.services[0].status).toBe('error');
    expect(failsAt(report, 'error')).toBe(true);
    // And the webhook's own finding, about the configuration.
    const about = report.findings.find((f) => f.check === 'webhook-service-unavailable')!;
    expect([about.reason, about.severity, about.subject]).toEqual([
      'noReadyEndpoint',
      'error',
      { kind: 'ValidatingWebhookConfiguration', name: 'policy' },
    ]);
  });

  it('called by an APIService: an error too', () => {
    const { report } = diagnose([
      ...terminatingBackend('metrics'),
      apiService('v1beta1.metrics.k8s.io', { service: { ns: 'platform', name: 'metrics' } }),
    ]);
    expect(report.findings.find((f) => f.check === 'no-ready-endpoints')?.severity).toBe('error');
    expect(report.findings.find((f) => f.check === 'apiservice-unavailable')?.severity).toBe('error');
  });

  it('called only by an Ignore webhook: its own severities stand, the webhook finding is a warning', () => {
    const { report } = diagnose([...terminatingBackend('policy'), hook('policy', 'policy', 'Ignore')]);
    expect(report.findings.map((f) => [f.check, f.severity])).toEqual([
      ['no-ready-endpoints', 'warning'],
      ['webhook-service-unavailable', 'warning'],
    ]);
  });

  it('only a finding on the port the webhook calls is raised', () => {
    const objects = terminatingBackend('policy');
    const twoPorts = service('policy', {
      ns: 'platform',
      selector: { app: 'policy' },
      ports: [...HTTPS, { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }],
    });
    const { report } = diagnose([twoPorts, ...objects.slice(1), hook('policy', 'policy', 'Fail')]);
    // no-ready-endpoints is about the whole Service: the webhook reaches it.
    expect(report.findings.find((f) => f.check === 'no-ready-endpoints')?.severity).toBe('error');
  });

  it('a selectorless Service with no endpoint behind a Fail webhook is an error', () => {
    const { report } = diagnose([
      service('policy', { ns: 'platform', selector: null, ports: HTTPS }),
      hook('policy', 'policy', 'Fail'),
    ]);
    expect(report.findings.map((f) => [f.check, f.reason, f.severity])).toEqual([
      ['selectorless-no-endpoints', 'noBackend', 'error'],
      ['webhook-service-unavailable', 'noReadyEndpoint', 'error'],
    ]);
  });
});

describe('which references a run judges as naming no Service', () => {
  const objects = [hook('policy', 'gone', 'Fail')];

  it("a run that read every Service of the webhook's Service namespace: the configuration's finding", () => {
    const { report } = diagnose(objects, { namespace: 'platform' });
    expect(report.findings.map((f) => [f.check, f.reason, f.namespace, f.service])).toEqual([
      ['webhook-service-unavailable', 'serviceMissing', 'platform', 'gone'],
    ]);
  });

  it('a run of another namespace does not say a Service of platform is missing', () => {
    expect(diagnose(objects, { namespace: 'shop' }).report.findings).toEqual([]);
    expect(diagnose(objects, 'none').report.findings).toEqual([]);
  });
});

describe('outputs', () => {
  const diagnosis = diagnose([
    ...terminatingBackend('policy'),
    hook('policy', 'policy', 'Fail'),
    apiService('v1beta1.metrics.k8s.io', {
      service: { ns: 'platform', name: 'metrics-server' },
      available: { status: 'False', reason: 'ServiceNotFound', message: 'no \u001b[31mservice' },
    }),
  ]);
  const render = (output: OutputOptions['output'], explain = false) =>
    renderOutput(
      diagnosis,
      { output, failOn: 'error', checksChosen: CHECKS.length, ascii: true, showEndpoints: false, explain },
      palette(false),
    );

  it('text: the webhook under the finding it raised, the APIService with its Available condition, escaped', () => {
    const text = render('text');
    expect(text).toContain('- used by ValidatingWebhookConfiguration policy webhook policy.example.com (failurePolicy');
    expect(text).toContain('platform/metrics-server (no such Service)');
    expect(text).not.toContain('\u001b');
    // -v shows the message whole.
    const whole = render('text', true).replace(/\n\s+/g, ' ');
    expect(whole).toContain('its Available condition is False (ServiceNotFound): "no \\x1b[31mservice"');
    expect(whole).not.toContain('\u001b');
  });

  it('-o name names a cluster-scoped subject whose Service does not exist as kubectl does', () => {
    expect(render('name').split('\n')).toEqual([
      'service/policy',
      'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io',
      '',
    ]);
  });

  it('the tree draws the webhook above the Service it calls', () => {
    const lines = render('tree').split('\n');
    const at = lines.findIndex((l) => l.includes('Service/policy '));
    expect(lines[at - 1]).toMatch(/ValidatingWebhookConfiguration\/policy ->\s+-\s+webhook policy.example.com/);
  });

  it('JSON, JUnit and Markdown carry the findings about the configuration and the APIService', () => {
    const json = JSON.parse(render('json')) as { findings: { check: string; subject?: unknown }[] };
    expect(json.findings.filter((f) => f.subject).map((f) => f.check)).toEqual([
      'webhook-service-unavailable',
      'apiservice-unavailable',
    ]);
    expect(render('junit')).toContain('apiservice-unavailable');
    expect(render('markdown')).toContain('webhook-service-unavailable');
  });
});

describe('--for on a snapshot', { timeout: 60_000 }, () => {
  const file = writeTemp(
    'webhooks.json',
    JSON.stringify({
      ...READ_EVENTS_WORKLOADS_AND_POLICIES,
      items: withControllers([
        ...terminatingBackend('policy'),
        hook('policy', 'policy', 'Fail'),
        hook('other', 'policy', 'Ignore'),
        apiService('v1beta1.metrics.k8s.io', { service: { ns: 'kube-system', name: 'metrics-server' } }),
      ]),
    }),
  );

  it('a cluster-scoped object by name, whatever -n says: its Services, its findings only', async () => {
    const run = await runCliAsync(['--snapshot', file, '-o', 'json', '--for', 'validatingwebhookconfiguration/policy']);
    const report = parseReport(run.stdout);
    expect(run.code).toBe(1);
    expect(report.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['platform/policy']);
    expect(report.findings.filter((f) => f.subject).map((f) => f.subject)).toEqual([
      { kind: 'ValidatingWebhookConfiguration', name: 'policy' },
    ]);
  });

  it('an APIService whose Service is missing', async () => {
    const run = await runCliAsync(['--snapshot', file, '-o', 'json', '--for', 'apiservices/v1beta1.metrics.k8s.io']);
    const report = parseReport(run.stdout);
    expect(report.services).toEqual([]);
    expect(report.findings.map((f) => [f.check, f.reason, f.namespace, f.service])).toEqual([
      ['apiservice-unavailable', 'serviceMissing', 'kube-system', 'metrics-server'],
    ]);
  });
});
