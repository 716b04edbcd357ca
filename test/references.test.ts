// References to Services (model/references.ts) through a whole run: the model's index, the
// checks of references and their subject, usedBy on the Services and on their own findings,
// which references a run judges, and how every output shows them.

import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { modelFromRaw } from '../src/model/from-raw.js';
import { palette } from '../src/render/colour.js';
import { renderOutput, type OutputOptions } from '../src/render/output.js';
import { diagnoseServices } from '../src/report/diagnosis.js';
import { failsAt } from '../src/report/report.js';
import { withControllers } from './support/controller.js';
import { httpRoute, ingress, node, pod, route, service, workload, type Raw } from './support/objects.js';

const objects: Raw[] = [
  ...withControllers([
    node('node-a'),
    service('web', { ns: 'store', selector: { app: 'web' } }),
    pod('web-1', { ns: 'store', labels: { app: 'web' } }),
    // No pod: no ready endpoint.
    service('api', { ns: 'store', selector: { app: 'api' } }),
  ]),
  ingress('front', {
    ns: 'store',
    paths: [
      { host: 'store.example.com', path: '/', service: 'web', port: 'http' },
      { host: 'store.example.com', path: '/api', service: 'api', port: 80 },
      { host: 'store.example.com', path: '/cart', service: 'cart', port: 'http' },
      { host: 'store.example.com', path: '/admin', service: 'web', port: 'admin' },
    ],
  }),
];

function diagnose(dangling = true) {
  const model = modelFromRaw(objects);
  return diagnoseServices(model, model.services, CHECKS, [], dangling ? { namespace: 'store' } : undefined);
}

const render = (output: OutputOptions['output'], extra: Partial<OutputOptions> = {}) =>
  renderOutput(
    diagnose(),
    { output, failOn: 'error', checksChosen: CHECKS.length, ascii: true, showEndpoints: false, ...extra },
    palette(false),
  );

describe('references to Services', () => {
  it('the model indexes them by the Service named, existing or not', () => {
    const model = modelFromRaw(objects);
    expect(model.referencesTo('store', 'web').map((r) => r.detail)).toEqual([
      'rule store.example.com path /',
      'rule store.example.com path /admin',
    ]);
    expect(model.referencesTo('store', 'cart').map((r) => r.port)).toEqual(['http']);
    expect(model.referencesTo('other', 'web')).toEqual([]);
  });

  it('each Service lists what uses it; its own findings name the users on their port', () => {
    const { report } = diagnose();
    const api = report.services.find((s) => s.name === 'api')!;
    expect(api.usedBy).toEqual([
      { kind: 'Ingress', namespace: 'store', name: 'front', detail: 'rule store.example.com path /api', port: '80' },
    ]);
    const own = report.findings.filter((f) => f.service === 'api' && f.subject === undefined);
    expect(own.length).toBeGreaterThan(0);
    // no-ready-endpoints is about the whole Service; the Ingress path fails with it, said on it, not in a finding of its own.
    for (const f of own) expect(f.usedBy?.map((u) => u.detail)).toEqual(['rule store.example.com path /api']);
    expect(report.findings.filter((f) => f.service === 'api' && f.subject)).toEqual([]);
  });

  it('a backend naming a missing Service or port is a finding about the Ingress, and fails the run', () => {
    const { report } = diagnose();
    const subjects = report.findings.filter((f) => f.subject);
    expect(subjects.map((f) => [f.check, f.namespace, f.service, f.subject])).toEqual([
      ['ingress-backend-port-unknown', 'store', 'web', { kind: 'Ingress', namespace: 'store', name: 'front' }],
      ['ingress-backend-missing', 'store', 'cart', { kind: 'Ingress', namespace: 'store', name: 'front' }],
    ]);
    // web serves, but an Ingress uses it through a port it lacks: it fails that Ingress.
    expect(report.services.find((s) => s.name === 'web')?.status).toBe('error');
    expect(report.services.map((s) => s.name)).not.toContain('cart');
    expect(report.summary.findings.error).toBeGreaterThanOrEqual(2);
    expect(failsAt(report, 'error')).toBe(true);
  });

  it('a run that did not read every Service of the namespace does not call one missing', () => {
    const { report } = diagnose(false);
    expect(report.findings.filter((f) => f.check === 'ingress-backend-missing')).toEqual([]);
    expect(report.findings.filter((f) => f.check === 'ingress-backend-port-unknown')).toHaveLength(1);
  });

  it('text: a USED BY column, the users under a finding, a block for the Service that does not exist', () => {
    const text = render('text');
    const [head, ...rows] = text.split('\n');
    expect(head).toMatch(/ENDPOINTS\s+USED BY\s+STATUS/);
    expect(rows.find((r) => r.includes(' web '))).toMatch(/1\/1\s+2\s+ERROR/);
    expect(text).toContain('- used by Ingress store/front rule store.example.com path /api (port 80)');
    expect(text).toContain('store/cart (no such Service)');
    expect(text).toContain('2 Services: 0 ok, 2 error, 0 warning, 0 info; 1 Service named but not found');
    expect(text).toMatch(/ERROR\s+ingress-backend-missing: Ingress store\/front rule store.example.com path \/cart/);
    expect(render('wide').split('\n')[0]).toContain('USED BY');
  });

  it('-o name, junit and markdown keep the finding about a Service that does not exist', () => {
    expect(render('name').split('\n')).toEqual(['service/api', 'service/web', 'ingress.networking.k8s.io/front', '']);
    const junit = render('junit');
    expect(junit).toContain('name="cart (no such Service)"');
    expect(junit).toContain('ingress-backend-missing');
    expect(render('markdown')).toContain('store/cart · no such Service');
  });

  it('JSON carries usedBy and subject', () => {
    const json = JSON.parse(render('json')) as {
      services: { usedBy?: unknown[] }[];
      findings: { subject?: unknown }[];
    };
    expect(json.services.filter((s) => s.usedBy).length).toBe(2);
    expect(json.findings.filter((f) => f.subject).length).toBe(2);
  });
});

describe('the tree', () => {
  it('draws the objects that refer to a Service above it, and a Service that does not exist with its findings', () => {
    const tree = render('tree');
    const lines = tree.split('\n');
    const web = lines.findIndex((l) => l.includes('Service/web '));
    expect(lines[web - 1]).toMatch(
      /^store\s+Ingress\/front ->\s+-\s+rule store.example.com path \/ \(port http\), rule store.example.com path \/admin \(port admin\)/,
    );
    const cart = lines.findIndex((l) => l.includes('Service/cart'));
    expect(lines[cart]).toMatch(/Service\/cart\s+-\s+NOT FOUND/);
    expect(lines[cart - 1]).toMatch(/Ingress\/front ->/);
    expect(lines[cart + 1]).toContain(
      'ERROR ingress-backend-missing: Ingress store/front rule store.example.com path /cart',
    );
  });
});

describe('a reference followed down to the pods', () => {
  it('Ingress path → Service port → targetPort → no container port of that name: one chain', () => {
    const raws = [
      ...withControllers([
        node('node-a'),
        service('web', {
          ns: 'store',
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
            { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
          ],
        }),
        pod('web-1', { ns: 'store', labels: { app: 'web' } }),
      ]),
      ingress('front', {
        ns: 'store',
        paths: [
          { path: '/', service: 'web', port: 'http' },
          { path: '/metrics', service: 'web', port: 9090 },
        ],
      }),
    ];
    const model = modelFromRaw(raws);
    const d = diagnoseServices(model, model.services, CHECKS, [], { namespace: 'store' });
    const unresolved = d.report.findings.find((f) => f.check === 'target-port-unresolved')!;
    expect(unresolved.port).toBe('metrics 9090/TCP');
    // Only the path through that port, named by number, is broken by it.
    expect(unresolved.usedBy).toEqual([
      { kind: 'Ingress', namespace: 'store', name: 'front', detail: 'rule path /metrics', port: '9090' },
    ]);
    const text = renderOutput(
      d,
      { output: 'text', failOn: 'error', checksChosen: CHECKS.length, ascii: true, showEndpoints: false },
      palette(false),
    );
    expect(text).toContain('targetPort "metrics" of metrics 9090/TCP matches no container port');
    // Wrapped at 100 columns: compared with the line breaks and their indent as one space.
    expect(text.replace(/\n\s+/g, ' ')).toContain(
      '- used by Ingress store/front rule path /metrics (port 9090) → Service port metrics 9090/TCP - web-1: no container port named "metrics"',
    );
    expect(text).toContain('web-1: no container port named "metrics"');
  });
});

describe("a StatefulSet's serviceName", () => {
  const headless = (selector: Record<string, string>) =>
    service('db-hl', { ns: 'data', selector, spec: { clusterIP: 'None', clusterIPs: ['None'] } });
  const db = workload('StatefulSet', 'db', { ns: 'data', labels: { app: 'db' }, spec: { serviceName: 'db-hl' } });
  const run = (...extra: Raw[]) => {
    const model = modelFromRaw([node('node-a'), db, ...extra]);
    return diagnoseServices(model, model.services, CHECKS, [], { namespace: 'data' }).report;
  };

  it("is a use of the Service without a port: in its usedBy, never under its findings (it names the Service's name, sends no traffic)", () => {
    // The selector matches no pod (none runs): selector-no-match, a finding about no port.
    const report = run(headless({ app: 'db' }));
    expect(report.services[0].usedBy).toEqual([
      { kind: 'StatefulSet', namespace: 'data', name: 'db', detail: 'spec.serviceName' },
    ]);
    const noMatch = report.findings.find((f) => f.check === 'selector-no-match');
    expect(noMatch).toBeDefined();
    expect(noMatch).not.toHaveProperty('usedBy');
    expect(report.findings.map((f) => f.check)).not.toContain('statefulset-service-missing');
  });

  it('naming no Service is a warning about the StatefulSet, on the Service it names', () => {
    const report = run();
    expect(report.services).toEqual([]);
    expect(report.findings).toMatchObject([
      {
        check: 'statefulset-service-missing',
        severity: 'warning',
        reason: 'serviceMissing',
        namespace: 'data',
        service: 'db-hl',
        subject: { kind: 'StatefulSet', namespace: 'data', name: 'db' },
      },
    ]);
  });
});

describe('Gateway API routes as users of a Service', () => {
  // A UDP port and a TCP one of one number: the UDPRoute lands on the UDP one, the HTTPRoute on the TCP one.
  const raws = [
    ...withControllers([
      node('node-a'),
      service('dns', {
        ns: 'store',
        selector: { app: 'dns' },
        ports: [
          { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp', protocol: 'TCP' },
          { name: 'dns-udp', port: 53, targetPort: 'dns-udp', protocol: 'UDP' },
        ],
      }),
      // It declares the TCP port only: the UDP one resolves on no pod.
      pod('dns-1', {
        ns: 'store',
        labels: { app: 'dns' },
        containers: [{ name: 'dns', ports: [{ name: 'dns-tcp', containerPort: 5353 }] }],
      }),
      // No pod: no ready endpoint.
      service('api', { ns: 'store', selector: { app: 'api' } }),
    ]),
    httpRoute('front', {
      ns: 'store',
      rules: [
        { path: '/api', backendRefs: [{ name: 'api', port: 80, weight: 90 }] },
        { path: '/dns', backendRefs: [{ name: 'dns', port: 53 }] },
      ],
    }),
    route('UDPRoute', 'resolver', { ns: 'store', rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] }),
  ];
  const model = modelFromRaw(raws);
  const d = diagnoseServices(model, model.services, CHECKS, [], { namespace: 'store' });

  it('a broken Service lists the routes that use it on its own finding, not in a finding of theirs', () => {
    const own = d.report.findings.filter((f) => f.service === 'api' && f.subject === undefined);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) {
      expect(f.usedBy).toEqual([
        { kind: 'HTTPRoute', namespace: 'store', name: 'front', detail: 'rule 1 path /api', port: '80' },
      ]);
    }
    expect(d.report.findings.filter((f) => f.subject)).toEqual([]);
  });

  it("a UDPRoute resolves to the Service's UDP port, the HTTPRoute to its TCP one: a finding on a port names its users", () => {
    const unresolved = d.report.findings.filter((f) => f.service === 'dns' && f.check === 'target-port-unresolved');
    expect(unresolved.map((f) => [f.port, f.usedBy?.map((u) => u.kind)])).toEqual([['dns-udp 53/UDP', ['UDPRoute']]]);
  });

  it('tree and text: the route above the Service, and under its finding', () => {
    const options = { failOn: 'error', checksChosen: CHECKS.length, ascii: true, showEndpoints: false } as const;
    const lines = renderOutput(d, { output: 'tree', ...options }, palette(false)).split('\n');
    const api = lines.findIndex((l) => l.includes('Service/api '));
    expect(lines[api - 1]).toMatch(/^store\s+HTTPRoute\/front ->\s+-\s+rule 1 path \/api \(port 80\)/);
    const text = renderOutput(d, { output: 'text', ...options }, palette(false));
    expect(text.replace(/\n\s+/g, ' ')).toContain('- used by HTTPRoute store/front rule 1 path /api (port 80)');
  });
});
