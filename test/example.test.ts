// examples/shop.yaml, the snapshot behind README's first command (`npm run demo`): it is what
// examples/shop.ts generates, and the built CLI finds every check in it as well as healthy Services.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopYaml } from '../examples/shop.js';
import { CHECKS, findCheck } from '../src/checks/index.js';
import type { Report } from '../src/report/report.js';
import { runCli, type CliResult } from './support/cli.js';
import { documentedReasons } from './support/report-doc.js';

const EXAMPLE = resolve(import.meta.dirname, '../examples/shop.yaml');

describe('examples/shop.yaml', () => {
  it('is what examples/shop.ts generates (regenerate with npm run example)', () => {
    expect(shopYaml()).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  let result: CliResult;
  let report: Report;
  beforeAll(() => {
    result = runCli(['--snapshot', EXAMPLE, '-A', '-o', 'json']);
    report = JSON.parse(result.stdout) as Report;
  });

  it('makes every check fire on at least one Service', () => {
    const fired = new Set(report.findings.map((f) => f.check));
    expect(CHECKS.map((c) => c.id).filter((id) => !fired.has(id))).toEqual([]);
    // The one note: a file cannot show the network plugin nor the other policy kinds that decide
    // with the demo's NetworkPolicies (namespace secure).
    expect(report.notes).toEqual([expect.stringMatching(/^a snapshot does not show which network plugin/)]);
  });

  it('gives every finding a reason its check declares and docs/report.md documents', () => {
    const documented = new Set(documentedReasons().map((d) => `${d.check} ${d.reason}`));
    const undocumented = report.findings.filter(
      (f) => !Object.hasOwn(findCheck(f.check)?.messages ?? {}, f.reason) || !documented.has(`${f.check} ${f.reason}`),
    );
    expect(report.findings.length).toBeGreaterThan(0);
    expect(undocumented.map((f) => `${f.namespace}/${f.service} ${f.check} ${f.reason}`)).toEqual([]);
  });

  it('has healthy Services without any finding', () => {
    const ok = report.services.filter((s) => s.status === 'ok').map((s) => `${s.namespace}/${s.name}`);
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(ok).toEqual(
      expect.arrayContaining([
        'default/kubernetes',
        'shop/web',
        'shop/redis-headless',
        'payments/psp-egress',
        'ingress-nginx/ingress-nginx-controller-admission',
        'marketing/blog',
        'platform/sidecar-injector',
        'members/profile',
      ]),
    );
  });

  it('tells the readiness probe stories of namespace inventory, and finds a readiness probe on every other pod', () => {
    const checksOf = (namespace: string, name: string) =>
      report.findings
        .filter((f) => f.namespace === namespace && f.service === name)
        .map((f) => `${f.check} ${f.severity}`)
        .sort();
    expect(checksOf('inventory', 'stock')).toEqual([
      'pods-not-ready warning',
      'readiness-probe-port-unresolved warning',
    ]);
    expect(checksOf('inventory', 'label-printer')).toEqual(['readiness-probe-missing info']);
    const missing = report.findings.filter((f) => f.check === 'readiness-probe-missing');
    expect(missing.map((f) => `${f.namespace}/${f.service}`)).toEqual(['inventory/label-printer']);
    const stuck = report.findings.find((f) => f.check === 'pods-not-ready' && f.service === 'stock');
    expect(stuck?.pods?.[0].cause).toContain(
      'readiness probe can never pass (httpGet :health/ready, HTTP; container stock declares no port named "health")',
    );
  });

  it("marketing's Ingresses: a healthy backend, one naming a Service that is gone, one naming the pods' port", () => {
    const about = (check: string) =>
      report.findings.filter((f) => f.check === check).map((f) => [`${f.namespace}/${f.service}`, f.subject]);
    expect(about('ingress-backend-missing')).toEqual([
      ['marketing/blog-api', { kind: 'Ingress', namespace: 'marketing', name: 'www' }],
    ]);
    expect(about('ingress-backend-port-unknown')).toEqual([
      ['marketing/comments', { kind: 'Ingress', namespace: 'marketing', name: 'comments' }],
    ]);
    const blog = report.services.find((s) => s.namespace === 'marketing' && s.name === 'blog');
    expect(blog?.usedBy).toEqual([
      {
        kind: 'Ingress',
        namespace: 'marketing',
        name: 'www',
        detail: 'rule blog.shop.example.com path /',
        port: 'http',
      },
    ]);
    expect(report.services.some((s) => s.name === 'blog-api')).toBe(false);
  });

  it("secure/portal's Ingress goes through controller pods its policy does not admit: found when the run reads the controller's namespace", () => {
    const found = report.findings.filter((f) => f.check === 'networkpolicy-blocks-referrer');
    expect(found.map((f) => [`${f.namespace}/${f.service}`, f.reason, f.subject])).toEqual([
      ['secure/portal', 'ingress', { kind: 'Ingress', namespace: 'secure', name: 'portal' }],
    ]);
    expect(found[0].pods?.map((p) => p.namespace)).toEqual(['ingress-nginx', 'ingress-nginx']);
    // A run of namespace secure reads no Service of ingress-nginx, live or from the file: unjudged, never guessed.
    const scoped = JSON.parse(runCli(['--snapshot', EXAMPLE, '-n', 'secure', '-o', 'json']).stdout) as Report;
    expect(scoped.findings.filter((f) => f.check === 'networkpolicy-blocks-referrer')).toEqual([]);
  });

  it("reporting's StatefulSet names its client Service, which is not headless: a warning about the StatefulSet", () => {
    const found = report.findings.filter((f) => f.check === 'statefulset-service-missing');
    expect(found.map((f) => [`${f.namespace}/${f.service}`, f.reason, f.severity, f.subject])).toEqual([
      [
        'reporting/clickhouse',
        'notHeadless',
        'warning',
        { kind: 'StatefulSet', namespace: 'reporting', name: 'clickhouse' },
      ],
    ]);
    const clickhouse = report.services.find((s) => s.namespace === 'reporting' && s.name === 'clickhouse');
    expect(clickhouse).toMatchObject({
      status: 'warning',
      usedBy: [{ kind: 'StatefulSet', namespace: 'reporting', name: 'clickhouse', detail: 'spec.serviceName' }],
    });
    // The shop's own StatefulSets name their headless Services: nothing to say.
    expect(report.services.find((s) => s.name === 'redis-headless')?.usedBy).toEqual([
      { kind: 'StatefulSet', namespace: 'shop', name: 'redis', detail: 'spec.serviceName' },
    ]);
  });

  it("platform's webhooks and the APIServices: a Fail webhook and an APIService whose Services cannot answer", () => {
    const about = (check: string) =>
      report.findings
        .filter((f) => f.check === check)
        .map((f) => [`${f.namespace}/${f.service}`, f.reason, f.severity, f.subject]);
    expect(about('webhook-service-unavailable')).toEqual([
      [
        'platform/policy-webhook',
        'noReadyEndpoint',
        'error',
        { kind: 'ValidatingWebhookConfiguration', name: 'policy' },
      ],
    ]);
    expect(about('apiservice-unavailable')).toEqual([
      ['kube-system/metrics-server', 'serviceMissing', 'error', { kind: 'APIService', name: 'v1beta1.metrics.k8s.io' }],
    ]);
    const policy = report.services.find((s) => s.namespace === 'platform' && s.name === 'policy-webhook');
    expect(policy?.status).toBe('error');
    expect(policy?.usedBy?.map((u) => `${u.kind}/${u.name} ${u.detail}`)).toEqual([
      'ValidatingWebhookConfiguration/policy webhook pods.policy.platform.example.com (failurePolicy Fail)',
    ]);
    // The healthy ones: an Ignore webhook's, an APIService's, the ingress-nginx chart's own webhook's.
    const usedBy = (ns: string, name: string) =>
      report.services.find((s) => s.namespace === ns && s.name === name)?.usedBy?.map((u) => u.kind);
    expect(usedBy('platform', 'sidecar-injector')).toEqual(['MutatingWebhookConfiguration']);
    expect(usedBy('platform', 'custom-metrics')).toEqual(['APIService']);
    expect(usedBy('ingress-nginx', 'ingress-nginx-controller-admission')).toEqual(['ValidatingWebhookConfiguration']);
  });

  it("loyalty's HTTPRoutes: healthy backendRefs, one naming a Service that is gone, one naming the pods' port, one another namespace's grant does not allow", () => {
    const about = (check: string) =>
      report.findings.filter((f) => f.check === check).map((f) => [`${f.namespace}/${f.service}`, f.subject]);
    expect(about('route-backend-missing')).toEqual([
      ['loyalty/vouchers', { kind: 'HTTPRoute', namespace: 'loyalty', name: 'rewards' }],
    ]);
    expect(about('route-backend-port-unknown')).toEqual([
      ['loyalty/points', { kind: 'HTTPRoute', namespace: 'loyalty', name: 'points' }],
    ]);
    expect(about('route-backend-not-permitted')).toEqual([
      ['members/sessions', { kind: 'HTTPRoute', namespace: 'loyalty', name: 'account' }],
    ]);
    const profile = report.services.find((s) => s.namespace === 'members' && s.name === 'profile');
    expect(profile?.usedBy).toEqual([
      { kind: 'HTTPRoute', namespace: 'loyalty', name: 'account', detail: 'rule 1 path /profile', port: '80' },
    ]);
    const points = report.services.find((s) => s.namespace === 'loyalty' && s.name === 'points');
    expect(points?.usedBy?.map((u) => `${u.detail} (port ${u.port})`)).toEqual([
      'rule 1 path / (port 80)',
      'rule 2 path /admin (port 8080)',
    ]);
  });

  it('exits 1 with the default --fail-on, 0 with --fail-on never (as npm run demo runs it)', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const demo = runCli(['--snapshot', EXAMPLE, '-A', '--fail-on', 'never']);
    expect(demo.code).toBe(0);
    expect(demo.stderr).toBe('');
  });
});
