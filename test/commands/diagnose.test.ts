// The default command (and tree, --watch, -i) run in this process on streams in memory: stdout,
// stderr and the exit code, with no process spawned.

import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { execute } from '../../src/commands/command.js';
import { diagnoseCommand, treeCommand, type TreeFlags } from '../../src/commands/diagnose.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { parseReport, writeTemp } from '../support/cli.js';
import { withControllers } from '../support/controller.js';
import { EVENTS_AND_POLICIES_READ, node, pod, service } from '../support/objects.js';
import { diagnoseFlags as flags } from '../support/diagnose-flags.js';
import { memoryStreams, runInProcess } from '../support/streams.js';
import { applyWithControllers, eventually } from '../support/watching.js';

const objects = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  pod('web-2'),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
]);
const asList = (items: unknown[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: EVENTS_AND_POLICIES_READ, items });
const snapshot = writeTemp('shop.json', asList(objects));

describe('diagnose in process', () => {
  it('a snapshot file: the summary and findings on stdout, exit 1 for an error finding, nothing on stderr', async () => {
    const result = await runInProcess(diagnoseCommand, [], flags({ snapshot, allNamespaces: true }));
    expect(result.stdout).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+ENDPOINTS\s+STATUS\s+FINDINGS$/m);
    expect(result.stdout).toMatch(/^shop\s+api\s+ClusterIP\s+0\/1\s+ERROR\s+no-ready-endpoints/m);
    expect(result.stdout).toMatch(/^shop\s+web\s+ClusterIP\s+2\/2\s+OK\s+-$/m);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  it('--snapshot - reads the stdin it is handed', async () => {
    const result = await runInProcess(
      diagnoseCommand,
      ['web'],
      flags({ snapshot: '-', namespace: 'shop', output: 'json' }),
      { stdin: asList(objects) },
    );
    expect(parseReport(result.stdout).summary).toMatchObject({ services: 1, ok: 1 });
    expect(result.code).toBe(0);
  });

  it('a named Service that is missing: the others reported, one line on stderr, exit 2', async () => {
    const result = await runInProcess(diagnoseCommand, ['web', 'nope'], flags({ snapshot, namespace: 'shop' }));
    expect(result.stdout).toMatch(/^shop\s+web\s+/m);
    expect(result.stderr).toBe('error: service "nope" not found in namespace "shop" in the snapshot\n');
    expect(result.code).toBe(2);
  });

  it('a usage error: one line on stderr, exit 2, nothing read or written', async () => {
    const result = await runInProcess(diagnoseCommand, [], flags({ snapshot: '/nonexistent', output: 'nope' }));
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: -o/--output "nope" is not one of text, wide, json, yaml, name, tree, junit, markdown, jsonpath=..., custom-columns=...\n',
    });
  });

  describe('colours follow the stdout handed in', () => {
    afterEach(() => vi.unstubAllEnvs());

    it('a terminal gets colours, unless --no-color; a pipe never', async () => {
      vi.stubEnv('NO_COLOR', undefined);
      const ansi = /\u001b\[/;
      const onTerminal = await runInProcess(diagnoseCommand, [], flags({ snapshot }), { terminal: true });
      expect(onTerminal.stdout).toMatch(ansi);
      const noColor = await runInProcess(diagnoseCommand, [], flags({ snapshot, color: false }), { terminal: true });
      expect(noColor.stdout).not.toMatch(ansi);
      const onPipe = await runInProcess(diagnoseCommand, [], flags({ snapshot }));
      expect(onPipe.stdout).not.toMatch(ansi);
    });
  });

  it('--interactive on streams that are not both terminals is refused before anything is read', async () => {
    const refusal =
      'error: --interactive needs a terminal (stdin and stdout are not both a TTY); use --watch for one line per change, or neither flag\n';
    const onPipe = await runInProcess(diagnoseCommand, [], flags({ snapshot, interactive: true }));
    expect(onPipe).toEqual({ code: 2, stdout: '', stderr: refusal });
    // A terminal on stdout only: stdin (the keys) is still a pipe.
    const stdoutOnly = await runInProcess(diagnoseCommand, [], flags({ snapshot, interactive: true }), {
      terminal: true,
    });
    expect(stdoutOnly).toEqual({ code: 2, stdout: '', stderr: refusal });
  });
});

describe('tree in process', () => {
  const treeFlags = (given: Partial<TreeFlags> = {}): TreeFlags => ({ ...flags(), outputGiven: false, ...given });

  it('draws the Services as trees', async () => {
    const result = await runInProcess(treeCommand, ['web'], treeFlags({ snapshot, namespace: 'shop', ascii: true }));
    expect(result.stdout).toMatch(/^shop\s+Service\/web\s+2\/2\s+OK/m);
    expect(result.stdout).toMatch(/^shop\s+`-EndpointSlice\/web-\S+\s+2\/2/m);
    expect(result.stdout).toMatch(/^shop\s+`-Pod\/web-2\s+1\/1\s+Running/m);
    expect(result.code).toBe(0);
  });

  it('-o typed as anything but tree is a usage error', async () => {
    const result = await runInProcess(treeCommand, [], treeFlags({ snapshot, output: 'json', outputGiven: true }));
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: the tree subcommand draws trees: for -o json, run kubectl endpoints-doctor without "tree"\n',
    });
  });
});

describe('--watch in process', { timeout: 60_000 }, () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('-o json: the report, then a ServiceChange per change, until the reader of stdout goes away', async () => {
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), pod('web-1', { ready: false })]),
    });
    const memory = memoryStreams();
    const documents = () => memory.out.text.split('\n').filter(Boolean);
    const run = execute(
      diagnoseCommand,
      [],
      flags({ kubeconfig: server.kubeconfigPath, namespace: 'shop', watch: true, output: 'json' }),
      memory.streams,
    );
    await eventually('the report', () => documents().length >= 1);
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    await eventually('the change of web', () => documents().length >= 2);
    // A reader that leaves (EPIPE) ends the watch as Ctrl-C does.
    memory.out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await run).toBe(0);

    const [report, change] = documents().map((line) => JSON.parse(line) as unknown);
    expect(report).toMatchObject({ kind: 'Report', summary: { services: 1, error: 1 } });
    expect(change).toMatchObject({ kind: 'ServiceChange', change: 'changed', name: 'web' });
    expect(memory.errOut.text).toBe('');
  });
});
