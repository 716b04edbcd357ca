// The text a person reads at a terminal, and kubectl's output options, through the built CLI:
// a concise default (one line per finding, a few pods, the fix; the worst Services first), the
// explanations behind -v/--explain, -o name, --no-headers, --show-ok=false, --sort-by, and an empty
// result that says where it looked.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { withControllers } from './support/controller.js';
import { parseReport, runCli, runCliAsync, writeTemp } from './support/cli.js';
import { EVENTS_AND_POLICIES_READ, node, pod, service } from './support/objects.js';
import { startTestServer, type TestServer } from './server/index.js';
import { SUBCOMMANDS } from '../src/commands/command.js';

const SHOP = resolve(import.meta.dirname, '../examples/shop.yaml');

const WAITING = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'RunContainerError',
];

/**
 * Five crash-looping pods and five pods waiting for five reasons (errors), a Service with one
 * ready endpoint of two (a warning), and a healthy one.
 */
const objects = withControllers([
  node('node-a'),
  service('api', { selector: { app: 'api' } }),
  ...[1, 2, 3, 4, 5].map((i) => pod(`api-${i}`, { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' })),
  service('mixed', { selector: { app: 'mixed' } }),
  ...WAITING.map((waiting, i) => pod(`mixed-${i + 1}`, { labels: { app: 'mixed' }, waiting })),
  service('web'),
  pod('web-1'),
  pod('web-2', { ready: false }),
  service('zeta', { selector: { app: 'zeta' } }),
  pod('zeta-1', { labels: { app: 'zeta' } }),
  pod('zeta-2', { labels: { app: 'zeta' } }),
]);
const file = writeTemp(
  'terminal-output.json',
  JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: EVENTS_AND_POLICIES_READ, items: objects }),
);
const run = (...args: string[]) => runCli(['--snapshot', file, '-n', 'shop', ...args]);

/** The Service blocks under the table, in order: their "namespace/name (TYPE ...)" lines. */
const blocks = (stdout: string) => [...stdout.matchAll(/^(shop\/[a-z]+) \(/gm)].map((m) => m[1]);

describe('text output', () => {
  it('by default: each finding on its line, up to three causes with their pods, the fix, and no explanations', () => {
    const { stdout, code } = run();
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/why: /);
    expect(stdout).toMatch(/^ {2}ERROR {3}no-ready-endpoints: no ready endpoint: none of the 5 pods/m);
    expect(stdout).toMatch(/fix: /);
    // Pods with one cause share a line; three causes are shown, and how many pods are not.
    expect(stdout).toContain('- api-1, api-2, api-3 (+2): container app waiting: CrashLoopBackOff');
    expect(stdout).toContain('- mixed-3: container app waiting: ErrImagePull');
    expect(stdout).not.toContain('mixed-4');
    expect(stdout).toContain('… and 2 more (-o json lists them all)');
  });

  it('only the findings at or above --fail-on, on the Services that fail it, the worst first; the rest are counted', () => {
    const concise = run().stdout;
    expect(blocks(concise)).toEqual(['shop/api', 'shop/mixed']);
    expect(concise).toMatch(
      /^\d+ findings? below --fail-on error \(1 more Service\) (?:is|are) named in the table; -v shows/m,
    );
    expect(blocks(run('--fail-on', 'warning').stdout)).toEqual(['shop/api', 'shop/mixed', 'shop/web']);
    expect(blocks(run('--fail-on', 'never').stdout)).toEqual(['shop/api', 'shop/mixed', 'shop/web']);
  });

  it('-v and --explain add why each check matters, once per check, and more of the pods', () => {
    for (const flag of ['-v', '--explain']) {
      const { stdout } = run(flag);
      expect(stdout.match(/why: /g)?.length, flag).toBe(new Set(stdout.match(/^ {2}\S+ +[a-z-]+$/gm)).size);
      expect(stdout).toContain('api-5: container app waiting: CrashLoopBackOff');
      expect(stdout).toContain('mixed-5: container app waiting: RunContainerError');
      expect(blocks(stdout), flag).toEqual(['shop/api', 'shop/mixed', 'shop/web']);
    }
  });

  it('the demo reads in one screen by default, and in full with -v', () => {
    const concise = runCli(['--snapshot', SHOP, '-n', 'shop']).stdout.split('\n').length;
    const full = runCli(['--snapshot', SHOP, '-n', 'shop', '-v']).stdout.split('\n').length;
    // 65 lines (the trailing newline ends the last): 17 Services, 7 failing, with their events.
    expect(concise).toBeLessThanOrEqual(66);
    expect(full).toBeGreaterThan(2 * concise);
  });

  it("a finding's message takes two lines at most, leaving to the pods' lines the evidence they repeat; -v shows it whole", () => {
    const concise = runCli(['--snapshot', SHOP, '-n', 'shop']).stdout;
    const full = runCli(['--snapshot', SHOP, '-n', 'shop', '-v']).stdout;
    // Cut after two lines, with a mark that there is more.
    expect(concise).toMatch(/manual-endpoints-port-mismatch: no hand-made endpoint port pairs with .*\n.* …\n/);
    expect(full).toMatch(/EndpointSlice orders-db-1 has \(no name\) 5432\/TCP/);
    // The parenthesis after "is ready" names the pods' cause, which their line below gives.
    expect(concise).toMatch(/notifications-9cskl, notifications-slfz8 is ready\n {10}- notifications-/);
    expect(full).toMatch(/is ready \(listed ready, but its pod no\s+longer exists/);
    // The port once, in the message that names it, not also after the check.
    expect(concise).toMatch(/^ {2}ERROR {3}target-port-unresolved: targetPort "dns" of dns 53\/UDP/m);
    expect(full).toMatch(/^ {2}ERROR {3}target-port-unresolved {2}dns 53\/UDP$/m);
  });

  it('--no-headers: the table without its head row', () => {
    const { stdout } = run('--no-headers');
    expect(stdout).not.toMatch(/^NAMESPACE/m);
    expect(stdout).toMatch(/^shop\s+api\s+ClusterIP\s+0\/5\s+ERROR/m);
  });

  it('--show-ok=false hides the healthy Services from the table; --show-ok=true and the default show them', () => {
    expect(run('--show-ok=false').stdout).not.toMatch(/^shop\s+zeta\s/m);
    expect(run('--show-ok=false').stdout).toMatch(/^shop\s+web\s/m);
    expect(run('--show-ok=true').stdout).toMatch(/^shop\s+zeta\s+ClusterIP\s+2\/2\s+OK/m);
    expect(run().stdout).toMatch(/^shop\s+zeta\s/m);
  });

  it('--sort-by orders the table by a field of the report entry; kubectl spellings work; a wrong field is a usage error', () => {
    const names = (stdout: string) => [...stdout.matchAll(/^shop\s+(\S+)\s/gm)].map((m) => m[1]);
    expect(names(run().stdout)).toEqual(['api', 'mixed', 'web', 'zeta']);
    expect(names(run('--sort-by', '.endpoints.ready').stdout)).toEqual(['api', 'mixed', 'web', 'zeta']);
    expect(names(run('--sort-by', '{.metadata.name}').stdout)).toEqual(['api', 'mixed', 'web', 'zeta']);
    expect(names(run('--sort-by=.status').stdout)).toEqual(['api', 'mixed', 'web', 'zeta']);
    expect(names(run('--sort-by', '.status', '--fail-on', 'never').stdout)).toEqual(['api', 'mixed', 'web', 'zeta']);
    expect(names(run('--sort-by', '.endpoints.total', '--show-ok=false').stdout)).toEqual(['web', 'api', 'mixed']);
    const wrong = run('--sort-by', '.spec.nope');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--sort-by "\.spec\.nope" is not a field .*\.status/);
  });
});

describe('-o name', () => {
  it('service/NAME per Service that fails --fail-on, and nothing else', () => {
    expect(run('-o', 'name').stdout).toBe('service/api\nservice/mixed\n');
    expect(run('-o', 'name', '--fail-on', 'warning').stdout).toBe('service/api\nservice/mixed\nservice/web\n');
    expect(run('-o', 'name', '--fail-on', 'never').stdout).toBe('');
    expect(run('-o', 'name', '--fail-on', 'warning', '--sort-by', '.endpoints.total').stdout).toBe(
      'service/web\nservice/api\nservice/mixed\n',
    );
  });

  it('is the report of one run: --watch refuses it', () => {
    const r = runCli(['-o', 'name', '--watch', '-n', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--watch prints text, wide, tree, json, yaml/);
  });
});

describe('an empty result says where it looked', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: [...objects, pod('lonely', { ns: 'empty' })] });
  });
  afterAll(() => server?.close());

  it('a snapshot: the namespace, in the snapshot', () => {
    expect(runCli(['--snapshot', file, '-n', 'nope']).stdout).toMatch(
      /^No Services found in namespace nope in the snapshot\.$/m,
    );
  });

  it('live: a namespace that does not exist says so; one without Services does not', async () => {
    const nope = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'nope']);
    expect(nope.stdout).toMatch(/^No Services found in namespace nope \(the namespace does not exist\)\.$/m);
    const empty = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'empty']);
    expect(empty.stdout).toMatch(/^No Services found in namespace empty\.$/m);
    const labelled = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-l', 'team=none']);
    expect(labelled.stdout).toMatch(/^No Services found in namespace shop matching -l team=none\.$/m);
  });
});

describe('a mistyped subcommand', () => {
  it('reads as a Service name; when no such Service exists and a subcommand is one edit away, says which', () => {
    const typo = run('prbe');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error: service "prbe" not found in namespace "shop" in the snapshot');
    expect(typo.stderr).toContain('error: unknown command "prbe" for "kubectl endpoints-doctor": did you mean probe?');
    // Two edits away, or a Service of that name: no such line.
    expect(run('prbb').stderr).not.toContain('unknown command');
    expect(run('web').stderr).not.toContain('unknown command');
  });

  it('the subcommands it knows are the ones --help lists', () => {
    const help = runCli(['--help']).stdout;
    const listed = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
    expect(listed.filter((name) => name !== 'diagnose' && name !== 'help')).toEqual([...SUBCOMMANDS]);
  });
});

describe('-o wide', () => {
  const nodePort = writeTemp(
    'wide.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      metadata: EVENTS_AND_POLICIES_READ,
      items: withControllers([
        node('node-a'),
        service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }] }),
        pod('web-1'),
        pod('web-2'),
        service('legacy', { selector: null }),
      ]),
    }),
  );

  it('adds the cluster IP, the ports and the selector as kubectl get -o wide prints them; the JSON entry carries them', () => {
    const { stdout } = runCli(['--snapshot', nodePort, '-n', 'shop', '-o', 'wide']);
    expect(stdout).toMatch(
      /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+PORT\(S\)\s+SELECTOR\s+ENDPOINTS\s+USED BY\s+STATUS\s+FINDINGS$/m,
    );
    // USED BY: how many objects of the input name the Service (none here: the file holds no Ingress).
    expect(stdout).toMatch(/^shop\s+web\s+NodePort\s+\S+\s+80:30080\/TCP\s+app=web\s+2\/2\s+0\s+OK\s+-$/m);
    expect(stdout).toMatch(/^shop\s+legacy\s+ClusterIP\s+\S+\s+\S+\s+<none>\s/m);
    const report = parseReport(runCli(['--snapshot', nodePort, '-n', 'shop', '-o', 'json']).stdout);
    const web = report.services.find((s) => s.name === 'web');
    expect(web?.selector).toEqual({ app: 'web' });
    expect(web?.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 30080 }]);
    expect(report.services.find((s) => s.name === 'legacy')).not.toHaveProperty('selector');
  });
});

describe('-o jsonpath and -o custom-columns', () => {
  it('jsonpath: kubectl templates over the whole JSON report: paths, quoted text, range and filters', () => {
    expect(run('-o', 'jsonpath={.services[*].name}').stdout).toBe('api mixed web zeta');
    expect(run('-o=jsonpath={.summary.services}').stdout).toBe('4');
    expect(run('-o', 'jsonpath={range .services[*]}{.name}{"\\t"}{.status}{"\\n"}{end}').stdout).toBe(
      'api\terror\nmixed\terror\nweb\twarning\nzeta\tok\n',
    );
    expect(run('-o', 'jsonpath={.services[?(@.status=="ok")].name}').stdout).toBe('zeta');
    expect(run('-o', 'jsonpath={.services[0].endpoints}').stdout).toBe('{"ready":0,"total":5}');
    expect(run('-o', 'jsonpath={.nothing.here}').stdout).toBe('');
  });

  it('custom-columns: one row per Service entry, kubectl headers, <none> for what is missing, --no-headers and --sort-by', () => {
    const { stdout } = run(
      '-o',
      'custom-columns=NAME:.name,STATUS:.status,READY:.endpoints.ready,IP:.clusterIP,X:.nope',
    );
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+READY\s+IP\s+X$/);
    expect(stdout).toMatch(/^api\s+error\s+0\s+10\.96\.0\.10\s+<none>$/m);
    const sorted = run('-o', 'custom-columns=NAME:{.name}', '--no-headers', '--sort-by', '.endpoints.total');
    expect(sorted.stdout).toBe('web\nzeta\napi\nmixed\n');
  });

  it('a template that does not parse, or none, is a usage error before anything is read', () => {
    for (const args of [
      ['-o', 'jsonpath={.services[*].name'],
      ['-o', 'jsonpath={range .services[*]}{.name}'],
      ['-o', 'jsonpath'],
      ['-o', 'custom-columns=NAME'],
      ['-o', 'custom-columns='],
    ]) {
      const r = runCli(['--snapshot', '/nonexistent', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: -o (jsonpath|custom-columns)/);
      expect(r.stderr).not.toContain('/nonexistent');
    }
  });

  it('cluster text reaches the terminal escaped', () => {
    const hostile = writeTemp(
      'hostile-jsonpath.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: withControllers([service('web'), pod('web-1', { waiting: 'Crash\u001b]52;c;aGk=\u0007Loop' })]),
      }),
    );
    const r = runCli(['--snapshot', hostile, '-A', '-o', 'jsonpath={.findings[*].pods[*].cause}']);
    expect(r.stdout).not.toMatch(/[\u0007\u001b]/);
    expect(r.stdout).toContain('\\x1b]52;c;');
  });
});
