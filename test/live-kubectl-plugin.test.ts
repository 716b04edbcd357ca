// The real kubectl as the plugin host: `kubectl endpoints-doctor ...` finds
// kubectl-endpoints_doctor on PATH and passes every flag through to it.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server/index.js';
import { BIN, parseReport, parseSnapshot, runCli, runCliAsync, type CliResult } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';

// Each test runs CLI processes; on a loaded machine a few of them take a while.
const TIMEOUT = 120_000;
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlFound) console.warn('live-kubectl-plugin tests skipped: no kubectl on PATH');

const objects = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
  service('web', { ns: 'other' }),
  pod('web-1', { ns: 'other' }),
]);

/** A PATH entry holding the plugin, as `npm install -g` or krew would put it there. */
function pluginDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-plugin-'));
  const plugin = join(dir, 'kubectl-endpoints_doctor');
  writeFileSync(plugin, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(plugin, 0o755);
  return dir;
}

/** Runs kubectl asynchronously: the server answers from this process. */
function kubectl(args: string[], path: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, {
      env: { PATH: path, HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe.skipIf(!kubectlFound)('kubectl endpoints-doctor, run by kubectl', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  let path: string;
  beforeAll(async () => {
    server = await startTestServer({ objects });
    path = [pluginDir(), process.env.PATH ?? ''].join(delimiter);
  });
  afterAll(() => server?.close());

  it('kubectl plugin list finds it; --version and --help pass through', async () => {
    const run = await kubectl(['plugin', 'list'], path);
    expect(run.stdout).toContain('kubectl-endpoints_doctor');
    const version = await kubectl(['endpoints-doctor', '--version'], path);
    expect(version).toEqual({ code: 0, stdout: `${runCli(['--version']).stdout}`, stderr: '' });
    const help = await kubectl(['endpoints-doctor', '--help'], path);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubectl endpoints-doctor /);
  });

  it('kubectl passes --kubeconfig, -n and -o through: the report the plugin gives by itself', async () => {
    const args = ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json'];
    const viaKubectl = await kubectl(['endpoints-doctor', ...args], path);
    expect(viaKubectl.stderr).toBe('');
    expect(viaKubectl.code).toBe(1); // api's CrashLoopBackOff pod is an error finding
    const report = parseReport(viaKubectl.stdout);
    expect(report.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['shop/api', 'shop/web']);
    const direct = await runCliAsync(args);
    expect(report).toEqual(parseReport(direct.stdout));
    expect(server.requests.some((r) => r.namespace === 'other')).toBe(false);
  });

  it('a subcommand and Service names pass through too; so does the exit code of a failure', async () => {
    const snapshot = await kubectl(
      ['endpoints-doctor', 'snapshot', '--kubeconfig', server.kubeconfigPath, '-n', 'other', 'web', '-o', 'json'],
      path,
    );
    expect(snapshot.code).toBe(0);
    const kinds = parseSnapshot(snapshot.stdout).items.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toContain('Service/web');
    expect(kinds).toContain('Pod/web-1');

    const missing = await kubectl(
      ['endpoints-doctor', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'nope'],
      path,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('service "nope" not found in namespace "shop"');
  });
});
