// The built CLI as a process: output formats, exit codes, flags, and one-line errors.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { withControllers } from './support/controller.js';
import { parseGoDuration, parseRequestTimeout } from '../src/commands/config-flags.js';
import { parseWaitTimeout } from '../src/commands/wait.js';
import { BIN, parseReport, runCli, writeTemp } from './support/cli.js';
import { node, pod, READ_EVENTS_WORKLOADS_AND_POLICIES, service } from './support/objects.js';

const healthy = withControllers([node('node-a'), service('web'), pod('web-1'), pod('web-2', { node: 'node-a' })]);
const broken = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  pod('web-2'),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
  service('ghost', { selector: { app: 'ghost' }, annotations: { 'endpoints-doctor/ignore': 'selector-no-match' } }),
]);
// Files that say they read Events and the workload kinds too (none here), as the snapshot command
// writes them: ghost, whose selector matches nothing, is then judged (no workload wants pods for it), not unknown.
const asList = (items: unknown[]) => JSON.stringify({ ...READ_EVENTS_WORKLOADS_AND_POLICIES, items });
const healthyFile = writeTemp('healthy.json', asList(healthy));
const brokenFile = writeTemp('broken.json', asList(broken));

describe('output formats', () => {
  it('text: the summary table, then findings with the fix (and with -v, why they matter)', () => {
    const r = runCli(['--snapshot', brokenFile, '-A']);
    expect(r.stdout).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+ENDPOINTS\s+STATUS\s+FINDINGS$/m);
    expect(r.stdout).toMatch(/^shop\s+api\s+ClusterIP\s+0\/1\s+ERROR\s+no-ready-endpoints/m);
    expect(r.stdout).toMatch(/^shop\s+web\s+ClusterIP\s+2\/2\s+OK\s+-$/m);
    expect(r.stdout).toContain('api-1: container app waiting: CrashLoopBackOff');
    expect(r.stdout).not.toMatch(/why: /);
    expect(runCli(['--snapshot', brokenFile, '-A', '-v']).stdout).toMatch(/why: /);
    expect(r.stdout).toMatch(/fix: /);
    expect(r.stdout).toMatch(/3 Services: 2 ok, 1 error, 0 warning, 0 info; 1 finding suppressed by annotation/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });

  it('json: the versioned report', () => {
    const r = runCli(['--snapshot', brokenFile, '-A', '-o', 'json']);
    const report = parseReport(r.stdout);
    expect(report.apiVersion).toBe('endpoints-doctor/v1');
    expect(report.kind).toBe('Report');
    expect(report.summary).toMatchObject({ services: 3, ok: 2, error: 1, suppressed: 1 });
    const finding = report.findings.find((f) => f.check === 'no-ready-endpoints');
    expect(finding).toMatchObject({ severity: 'error', namespace: 'shop', service: 'api' });
    expect(finding?.pods?.[0].name).toBe('api-1');
    expect(typeof finding?.message).toBe('string');
    expect(typeof finding?.fix).toBe('string');
    expect(report.services.find((s) => s.name === 'ghost')).toMatchObject({
      status: 'ok',
      suppressed: 1,
    });
  });

  it('yaml says the same as json', () => {
    const json = parseReport(runCli(['--snapshot', brokenFile, '-A', '-o', 'json']).stdout);
    const yaml: unknown = parseYaml(runCli(['--snapshot', brokenFile, '-A', '-o', 'yaml']).stdout);
    expect(yaml).toEqual(json);
  });

  it('reads the snapshot from stdin with --snapshot -', () => {
    const r = runCli(['--snapshot', '-', '-A', '-o', 'json'], { input: asList(healthy) });
    expect(r.code).toBe(0);
    expect(parseReport(r.stdout).summary.services).toBe(1);
  });
});

describe('exit codes', () => {
  it('0 when nothing is at or above --fail-on', () => {
    expect(runCli(['--snapshot', healthyFile, '-A']).code).toBe(0);
    expect(runCli(['--snapshot', brokenFile, '-A', '--fail-on', 'never']).code).toBe(0);
  });

  it('1 when a finding is at or above --fail-on', () => {
    expect(runCli(['--snapshot', brokenFile, '-A']).code).toBe(1);
  });

  it('--fail-on warning fails on a warning that error would pass', () => {
    const rollout = writeTemp(
      'w.json',
      asList(
        withControllers([node('node-a'), service('web'), pod('web-1'), pod('web-2', { waiting: 'ImagePullBackOff' })]),
      ),
    );
    expect(runCli(['--snapshot', rollout, '-A']).code).toBe(0);
    expect(runCli(['--snapshot', rollout, '-A', '--fail-on', 'warning']).code).toBe(1);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown flag', ['--snapshot', healthyFile, '--frobnicate'], /unknown option '--frobnicate'/],
    [
      'a bad output format',
      ['--snapshot', healthyFile, '-o', 'xml'],
      /-o\/--output "xml" is not one of text, wide, json, yaml, name, tree, junit, markdown, jsonpath=..., custom-columns=.../,
    ],
    ['a bad --fail-on', ['--snapshot', healthyFile, '--fail-on', 'fatal'], /--fail-on "fatal"/],
    ['an unknown check in --only', ['--snapshot', healthyFile, '--only', 'nope'], /--only: unknown check "nope"/],
    ['a missing snapshot file', ['--snapshot', '/nonexistent.yaml'], /no such file or folder/],
    ['a malformed snapshot', ['--snapshot', writeTemp('bad.yaml', 'kind: [')], /bad\.yaml: malformed YAML at line 1/],
    [
      'a Service not in the snapshot',
      ['--snapshot', healthyFile, 'svc/nope'],
      /service "nope" not found in the snapshot/,
    ],
    ['a bad Service argument', ['--snapshot', healthyFile, 'deploy/web'], /"deploy\/web" is not a Service/],
    [
      'a bad label selector',
      ['--snapshot', healthyFile, '-l', 'a in (b'],
      /-l\/--selector: unable to parse requirement/,
    ],
    ['naming a Service with -A', ['--snapshot', healthyFile, '-A', 'web'], /cannot be named across all namespaces/],
    ['a bad --request-timeout', ['--snapshot', healthyFile, '--request-timeout', 'soon'], /--request-timeout "soon"/],
  ];
  for (const [name, args, pattern] of usage) {
    it(`2 for ${name}, with one line on stderr`, () => {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('3 when the cluster cannot be reached', () => {
    const kubeconfig = writeTemp(
      'kubeconfig',
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: u, user: {token: secret-token-value}}]',
        'contexts: [{name: ctx, context: {cluster: c, user: u, namespace: shop}}]',
        'current-context: ctx',
      ].join('\n'),
    );
    const r = runCli(['--kubeconfig', kubeconfig]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1 \(connection refused\)/);
    expect(r.stderr).not.toContain('secret-token-value');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('2 when there is no kubeconfig at all', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no kubeconfig found/);
  });
});

describe('scope and check selection', () => {
  it('names Services as NAME or svc/NAME', () => {
    const r = runCli(['--snapshot', brokenFile, '-n', 'shop', 'svc/api', 'web', '-o', 'json']);
    expect(parseReport(r.stdout).services.map((s) => s.name)).toEqual(['api', 'web']);
  });

  it('flags may come before the subcommand, as with kubectl', () => {
    const r = runCli(['--snapshot', brokenFile, '-n', 'shop', 'tree', 'api']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^shop\s+Service\/api\s+0\/1\s+ERROR/m);
  });

  it('a Service named like a subcommand is reachable as svc/NAME', () => {
    const named = writeTemp('t.json', asList([service('tree', { selector: null })]));
    const r = runCli(['--snapshot', named, '-n', 'shop', 'svc/tree', '-o', 'json']);
    expect(parseReport(r.stdout).services.map((s) => s.name)).toEqual(['tree']);
  });

  it('one missing Service among several: the others are reported, the missing one named on stderr and in notes, exit 2', () => {
    for (const failOn of ['error', 'never']) {
      const named = ['web', 'nope', 'svc/api'];
      const r = runCli(['--snapshot', brokenFile, '-n', 'shop', ...named, '-o', 'json', '--fail-on', failOn]);
      expect(r.code).toBe(2);
      const report = parseReport(r.stdout);
      expect(report.services.map((s) => s.name)).toEqual(['api', 'web']);
      expect(report.findings.length).toBeGreaterThan(0); // api's error is still reported
      expect(report.notes).toContain('service "nope" not found in namespace "shop" in the snapshot');
      expect(r.stderr).toBe('error: service "nope" not found in namespace "shop" in the snapshot\n');
    }
    const text = runCli(['--snapshot', brokenFile, '-n', 'shop', 'nope', 'web', 'gone']);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^shop\s+web\s+ClusterIP\s+2\/2\s+OK/m);
    expect(text.stderr).toBe(
      'error: service "nope" not found in namespace "shop" in the snapshot\n' +
        'error: service "gone" not found in namespace "shop" in the snapshot\n',
    );
  });

  it('-l filters Services by their labels', () => {
    const labelled = writeTemp(
      'l.json',
      asList([service('a', { labels: { team: 'x' } }), service('b', { labels: { team: 'y' } })]),
    );
    const r = runCli(['--snapshot', labelled, '-A', '-l', 'team in (x)', '-o', 'json']);
    expect(parseReport(r.stdout).services.map((s) => s.name)).toEqual(['a']);
  });

  it('-n limits to one namespace', () => {
    const r = runCli(['--snapshot', brokenFile, '-n', 'other', '-o', 'json']);
    expect(parseReport(r.stdout).summary.services).toBe(0);
  });

  it('--disable and --only choose the checks', () => {
    const disabled = parseReport(
      runCli(['--snapshot', brokenFile, '-A', '-o', 'json', '--disable', 'no-ready-endpoints']).stdout,
    );
    expect(disabled.findings.map((f) => f.check)).not.toContain('no-ready-endpoints');
    const only = parseReport(
      runCli(['--snapshot', brokenFile, '-A', '-o', 'json', '--only', 'selector-no-match']).stdout,
    );
    expect(new Set(only.findings.map((f) => f.check))).toEqual(new Set());
  });
});

describe('flags as kubectl (spf13/pflag) parses them', () => {
  const servicesOf = (args: string[]) => {
    const r = runCli(['--snapshot', brokenFile, ...args]);
    return { code: r.code, names: parseReport(r.stdout).services.map((s) => s.name) };
  };

  // pflag's parseSingleShortArg: `-n=shop` is the value "shop", `-nshop` too; `--namespace=shop` as usual.
  it.each([['-n=shop'], ['-nshop'], ['--namespace=shop'], ['-n', 'shop']])(
    '%s names the namespace shop, and its findings fail --fail-on info',
    (...flag) => {
      expect(servicesOf([...flag, '--fail-on', 'info', '-o', 'json'])).toEqual({
        code: 1,
        names: ['api', 'ghost', 'web'],
      });
    },
  );

  it('-o=json, -l=KEY=VALUE and --output=json take the value after the first "="', () => {
    const labelled = writeTemp(
      'l.json',
      asList([service('a', { labels: { team: 'x' } }), service('b', { labels: { team: 'y' } })]),
    );
    for (const args of [
      ['-o=json', '-l=team=x'],
      ['--output=json', '--selector=team=x'],
    ]) {
      const r = runCli(['--snapshot', labelled, '-A', ...args]);
      expect(parseReport(r.stdout).services.map((s) => s.name)).toEqual(['a']);
    }
  });

  it('a boolean flag takes true or false after "=", as Go parses them', () => {
    expect(servicesOf(['-A=true', '-o', 'json']).names).toEqual(['api', 'ghost', 'web']);
    expect(servicesOf(['-n', 'other', '--all-namespaces=false', '-o=json']).names).toEqual([]);
    expect(servicesOf(['-n', 'other', '-A=1', '-o=json']).names).toEqual(['api', 'ghost', 'web']);
    const r = runCli(['--snapshot', brokenFile, '-A=maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: invalid value "maybe" for -A/--all-namespaces: use true or false\n');
  });

  it('grouped shorthands: -An=other is -A and -n other; a shorthand with a value takes the rest', () => {
    expect(servicesOf(['-An=other', '-o', 'json'])).toEqual({ code: 1, names: ['api', 'ghost', 'web'] });
    const r = runCli(['--snapshot', brokenFile, '-on=json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: -o\/--output "n=json" is not one of/);
  });

  it('--context=NAME and -n=NS before the subcommand run the subcommand with those values', () => {
    const kubeconfig = writeTemp(
      'kubeconfig',
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: a, cluster: {server: "https://127.0.0.1:1"}}, {name: b, cluster: {server: "https://127.0.0.1:2"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: dev, context: {cluster: a, user: u}}, {name: prod, context: {cluster: b, user: u}}]',
        'current-context: dev',
      ].join('\n'),
    );
    const r = runCli(['--kubeconfig', kubeconfig, '--context=prod', '-n=shop', 'snapshot', 'web']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:2 /);
  });

  const badNamespaces: [string, string][] = [
    ['-n=Shop', 'Shop'],
    ['-n=', '='],
    ['--namespace=', ''],
    ['-nshop_1', 'shop_1'],
    [`-n=${'a'.repeat(64)}`, 'a'.repeat(64)],
  ];
  const commands = [[], ['tree'], ['snapshot'], ['wait', 'web'], ['probe', '--all-nodes']];
  const cases = commands.flatMap((command) =>
    (command.length === 0 ? badNamespaces : badNamespaces.slice(0, 1)).map(([flag, value]) => ({
      name: command[0] ?? 'diagnose',
      command,
      flag,
      value,
    })),
  );
  it.each(cases)('$name $flag: not a namespace name, exit 2 before any read', ({ command, flag, value }) => {
    // The kubeconfig points at nothing: a read would exit 3, not 2.
    const kubeconfig = writeTemp(
      'kubeconfig',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const r = runCli([...command, '--kubeconfig', kubeconfig, flag]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: -n/--namespace ${JSON.stringify(value)} is not a namespace name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit\n`,
    );
  });
});

describe('checks and explain', () => {
  it('checks lists every check with severity and title', () => {
    const r = runCli(['checks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+SEVERITY\s+TITLE$/m);
    expect(r.stdout).toMatch(/^selector-no-match\s+error\s+/m);
  });

  it("explain prints the check's page as text, its example included", () => {
    const r = runCli(['explain', 'selector-no-match']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^selector-no-match: The selector matches no pod/);
    expect(r.stdout).toContain('Why it matters:\n');
    expect(r.stdout).toContain('How to fix it:\n');
    expect(r.stdout).toContain('must-fire case of test/checks/selector-no-match.test.ts: ');
    expect(r.stdout).toContain('    - check: selector-no-match\n');
  });

  it('explain lists the check’s reasons, each with its severity and message', () => {
    const lines = runCli(['explain', 'no-ready-endpoints']).stdout.split('\n');
    expect(lines.filter((l) => /^- \w+ \((error|warning|info)[^)]*\): /.test(l)).map((l) => l.split(':')[0])).toEqual([
      '- allPodsUnready (error)',
      '- allPodsUnreadyFallback (warning; error when a Fail webhook or an APIService calls the Service)',
      '- allEndpointsUnready (error)',
      '- allEndpointsUnreadyFallback (warning; error when a Fail webhook or an APIService calls the Service)',
      '- allAddressesNotReady (error)',
      '- allAddressesNotReadyHeadless (error)',
    ]);
  });

  it('explain says a probe check runs in probe', () => {
    const r = runCli(['explain', 'dataplane-rejects']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- Run by: kubectl endpoints-doctor probe');
  });

  it('explain of an unknown check is a usage error', () => {
    expect(runCli(['explain', 'nope']).code).toBe(2);
  });

  it('--version and --help exit 0', () => {
    // test/version.test.ts says what the commit is.
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+( \(commit [0-9a-f]{12}(-dirty)?\))?$/);
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
  });
});

describe('durations as kubectl reads them', () => {
  it('Go durations (time.ParseDuration): a unit on every number but a bare 0', () => {
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('.5m')).toBe(30_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('2us')).toBeCloseTo(0.002);
    expect(parseGoDuration('2µs')).toBeCloseTo(0.002);
    expect(parseGoDuration('-2m')).toBe(-120_000);
    expect(parseGoDuration('+2m')).toBe(120_000);
    for (const bad of ['', '30', '1.5', 's', '.s', '1d', '1h 30m', '--1s', '1s-', 'soon']) {
      expect(parseGoDuration(bad), bad).toBeUndefined();
    }
  });

  it('--request-timeout: bare seconds or a Go duration (client-go clientcmd.ParseTimeout), never negative', () => {
    expect(parseRequestTimeout('30')).toBe(30_000);
    expect(parseRequestTimeout('0')).toBe(0);
    expect(parseRequestTimeout('1m')).toBe(60_000);
    expect(() => parseRequestTimeout('-1s')).toThrow(/--request-timeout "-1s" is not a duration/);
    // Node's timers fire at once beyond 2^31-1 ms: a longer timeout is held to that.
    expect(parseRequestTimeout('1000h')).toBe(2 ** 31 - 1);
  });

  it("wait --timeout: a Go duration (kubectl wait's DurationVar); negative waits a week, as kubectl wait does", () => {
    expect(parseWaitTimeout('2m')).toBe(120_000);
    expect(parseWaitTimeout('0')).toBe(0);
    expect(parseWaitTimeout('-1s')).toBe(7 * 24 * 3_600_000);
    expect(() => parseWaitTimeout('30')).toThrow(/--timeout "30" needs a unit/);
  });
});

describe('help', () => {
  it("the top-level help is the default command's: its arguments and flags, then the subcommands", () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubectl endpoints-doctor \[\[svc\/\]NAME\.\.\.\] \[flags\]$/m);
    expect(help.stdout).toMatch(/^ {7}kubectl endpoints-doctor COMMAND \[flags\]$/m);
    const flags = help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.indexOf('Commands:'));
    for (const flag of [
      '-n, --namespace <ns>',
      '-A, --all-namespaces',
      '-l, --selector <selector>',
      '-o, --output <format>',
      '--fail-on <severity>',
      '--snapshot <file>',
      '--context <name>',
      '--kubeconfig <file>',
      '-w, --watch',
      '--version',
      '-h, --help',
    ]) {
      expect(flags).toContain(`  ${flag}`);
    }
    expect(flags.match(/-h, --help/g)).toHaveLength(1);
    for (const command of ['diagnose', 'tree', 'snapshot', 'wait', 'probe', 'checks', 'explain']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it("a subcommand's help is its own", () => {
    const help = runCli(['wait', '--help']);
    expect(help.stdout).toMatch(/^Usage: kubectl endpoints-doctor wait \[options\] <service>$/m);
    expect(help.stdout).toContain('--for <condition>');
    expect(help.stdout).not.toContain('--fail-on');
    expect(help.stdout).not.toContain('Commands:');
  });
});

describe('a reader that goes away', () => {
  it('stdout closed early (| head): no stack trace, the usual exit code', async () => {
    const services = Array.from({ length: 3000 }, (_, i) => service(`svc-${i}`, { selector: { app: `none-${i}` } }));
    const file = writeTemp('many.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: services }));
    const child = spawn(process.execPath, [BIN, '--snapshot', file, '-o', 'json'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Like `| head -c 1`: read one chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(1); // every Service has an error finding (no pods match)
  });
});
