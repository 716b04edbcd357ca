// The built CLI as a process on a readiness probe that can never pass: the finding in every
// output format, the exit code it gives, and the unready pod's cause naming the probe.

import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { withControllers } from './support/controller.js';
import { parseReport, runCli, writeTemp } from './support/cli.js';
import { node, pod, service } from './support/objects.js';

/** Two pods whose readiness probe names "health", a port their container does not declare. */
const stuck = (name: string) =>
  pod(name, {
    ready: false,
    containers: [
      {
        name: 'app',
        image: 'shop/app:2',
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/ready', port: 'health' } },
      },
    ],
  });
const objects = withControllers([node('node-a'), service('web'), stuck('web-1'), stuck('web-2')]);
const file = writeTemp('stuck.yaml', stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
const only = ['--snapshot', file, '-A', '--only', 'readiness-probe-port-unresolved,no-ready-endpoints'];

describe('readiness-probe-port-unresolved, from a snapshot file', () => {
  it('json: an error finding naming the container, the probe and the port; exit 1', () => {
    const r = runCli([...only, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout);
    const finding = report.findings.find((f) => f.check === 'readiness-probe-port-unresolved');
    expect(finding).toMatchObject({ severity: 'error', reason: 'noPodCanBecomeReady', service: 'web' });
    expect(finding?.message).toContain(
      'the readiness probe of container app (httpGet :health/ready, HTTP) names port "health", which the container does not declare',
    );
    expect(finding?.pods?.map((p) => p.name)).toEqual(['web-1', 'web-2']);
    // no-ready-endpoints says why each pod is not ready: the same probe, and why it cannot pass.
    const unready = report.findings.find((f) => f.check === 'no-ready-endpoints');
    expect(unready?.pods?.[0].cause).toBe(
      'container app running but not ready: readiness probe can never pass (httpGet :health/ready, HTTP; container app declares no port named "health")',
    );
    const yaml: unknown = parseYaml(runCli([...only, '-o', 'yaml']).stdout);
    expect(yaml).toEqual(report);
  });

  it('text, markdown, JUnit and tree carry it; --disable silences it', () => {
    expect(runCli(only).stdout).toContain(
      'ERROR   readiness-probe-port-unresolved: the readiness probe of container app',
    );
    expect(runCli([...only, '-o', 'markdown']).stdout).toContain('`readiness-probe-port-unresolved`');
    expect(runCli([...only, '-o', 'junit']).stdout).toContain(
      '<failure message="readiness-probe-port-unresolved: A readiness probe names a port its container does not declare" type="error">error readiness-probe-port-unresolved: the readiness probe of container app',
    );
    expect(runCli([...only, '-o', 'tree']).stdout).toContain('ERROR readiness-probe-port-unresolved:');
    const disabled = runCli(['--snapshot', file, '-A', '--disable', 'readiness-probe-port-unresolved']);
    expect(disabled.stdout).toContain('ERROR   no-ready-endpoints:');
    expect(disabled.stdout).not.toContain('readiness-probe-port-unresolved');
  });
});
