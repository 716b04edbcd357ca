// The probe run in this process, fully offline (--snapshot and --rules-file): the comparison on
// stdout and its exit code, and usage errors, on streams in memory.

import { describe, expect, it } from 'vitest';
import { probeCommand } from '../../src/commands/probe.js';
import type { ProbeFlags } from '../../src/commands/probe-options.js';
import { parseReport, writeTemp } from '../support/cli.js';
import { withControllers } from '../support/controller.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { node, pod, service } from '../support/objects.js';
import { runInProcess } from '../support/streams.js';

const flags = (given: Partial<ProbeFlags> = {}): ProbeFlags => ({
  output: 'text',
  failOn: 'error',
  color: true,
  debugNamespace: 'kube-system',
  requestTimeout: '30s',
  ...given,
});

const objects = withControllers([node('node-a'), service('web'), pod('web-1'), pod('web-2')]);
const snapshot = writeTemp('cluster.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
const rulesOf = (breakage?: { kind: 'reject-despite-endpoints'; service: string }) =>
  generateKubeProxyRules({
    services: objects.filter((o) => o.kind === 'Service'),
    slices: objects.filter((o) => o.kind === 'EndpointSlice'),
    nodeName: 'node-a',
    breakages: breakage ? [breakage] : [],
  }).iptables.IPv4;

describe('probe in process', () => {
  it('rules that match the slices: each Service port on stdout, no finding, exit 0', async () => {
    const rules = writeTemp('node-a.iptables', rulesOf());
    const result = await runInProcess(probeCommand, [], flags({ snapshot, node: 'node-a', rulesFile: [rules] }));
    expect(result.stdout).toContain(`node node-a: kube-proxy, iptables mode, IPv4; read from ${rules}\n`);
    expect(result.stdout).toMatch(/^ {2}shop\/web http 80\/TCP\n {4}10\.96\.0\.10:80\/TCP → 2 endpoints: /m);
    expect(result.stdout).toMatch(/^1 Service: 1 ok, 0 error, 0 warning, 0 info$/m);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('rules that reject a Service with endpoints: the finding, exit 1', async () => {
    const rules = writeTemp('node-a.iptables', rulesOf({ kind: 'reject-despite-endpoints', service: 'shop/web' }));
    const result = await runInProcess(
      probeCommand,
      [],
      flags({ snapshot, node: 'node-a', rulesFile: [rules], output: 'json' }),
    );
    const report = parseReport(result.stdout);
    expect(report.dataplane?.[0]).toMatchObject({ node: 'node-a', mode: 'iptables', source: `from ${rules}` });
    expect(report.findings.map((f) => f.check)).toEqual(['dataplane-rejects']);
    expect(result.code).toBe(1);
  });

  it.each([
    [{}, 'say which node to probe: --node NODE, --all-nodes or --nodes-with-endpoints'],
    [{ node: 'node-a' }, 'with --snapshot there is no cluster to read rules from: add --rules-file FILE or --local'],
    [{ node: 'node-a', local: true, debugPod: true }, 'use one of --debug-pod, --local, not several'],
    [{ node: 'node-a', mode: 'userspace' }, '--mode "userspace" is not one of iptables, nftables, ipvs'],
  ] as [Partial<ProbeFlags>, string][])('%j: a usage error, one line on stderr, exit 2', async (given, message) => {
    const result = await runInProcess(probeCommand, [], flags({ snapshot, ...given }));
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n` });
  });
});
