// probe end to end: the built CLI against the test API server, whose pods/exec runs the probe's
// commands inside a network namespace holding rules the project's generator wrote for the
// cluster's Services and slices, so `probe --node` reads a real "node". Broken rules must give
// the matching finding; healthy rules none.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from '../support/cli.js';
import { generateKubeProxyRules, type Breakage } from '../support/kube-proxy-rules.js';
import { canUseNetns, createNetns, deleteNetns, mustRunInNetns, runInNetns } from '../support/netns.js';
import { endpointOf, ipFor, node, pod, service, slice, type Raw } from '../support/objects.js';
import { startTestServer, type ExecHandler, type TestServer } from '../server/index.js';
import type { Report } from '../../src/report/report.js';

const web = service('web', { ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
const api = service('api', {
  selector: { app: 'api' },
  spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ipFamilies: ['IPv4'] },
});
const webPods = [pod('web-1', { node: 'node-a' }), pod('web-2', { node: 'node-b' })];
const webSlice = slice('web', {
  endpoints: [endpointOf('web-1', { node: 'node-a' }), endpointOf('web-2', { node: 'node-b' })],
});
const apiSlice = slice('api', { ports: [], endpoints: [] });
/** Objects created long ago: a change seconds old would be reported as kube-proxy's sync delay instead. */
const aged = (o: Raw): Raw => ({
  ...o,
  metadata: { ...(o.metadata as Raw), creationTimestamp: '2026-01-01T00:00:00Z' },
});
/** The probe's -o json report, which always has its dataplane section. */
const reportOf = (stdout: string) => JSON.parse(stdout) as Required<Report>;
const shop = [web, api, ...webPods, webSlice, apiSlice, node('node-a'), node('node-b')].map(aged);

function configMap(name: string, namespace: string, data: Record<string, string>): Raw {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

const kubeProxyPod = pod('kube-proxy-x7k2p', {
  ns: 'kube-system',
  labels: { 'k8s-app': 'kube-proxy' },
  node: 'node-a',
  containers: [
    {
      name: 'kube-proxy',
      image: 'registry.k8s.io/kube-proxy:v1.32.0',
      command: [
        '/usr/local/bin/kube-proxy',
        '--config=/var/lib/kube-proxy/config.conf',
        '--hostname-override=$(NODE_NAME)',
      ],
    },
  ],
});
const kubeProxyConfig = (mode: string) =>
  configMap('kube-proxy', 'kube-system', {
    'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "${mode}"\n`,
  });

function generated(breakages: Breakage[] = [], staleServices: Raw[] = []) {
  return generateKubeProxyRules({
    services: [web, api],
    slices: [webSlice, apiSlice],
    nodeName: 'node-a',
    breakages,
    staleServices,
  });
}

const skipReason = canUseNetns(['ip', 'iptables-nft-restore', 'iptables-nft-save', 'iptables-legacy-save', 'nft']);
if (skipReason) console.warn(`skipping probe end-to-end tests: ${skipReason}`);

describe.skipIf(!!skipReason)('probe against the test server, rules in a network namespace', () => {
  let netns = '';
  let server: TestServer;
  const execs: string[][] = [];
  const inNetns: ExecHandler = ({ command, stdout, stderr }) => {
    execs.push(command);
    const result = runInNetns(netns, command);
    stdout.write(result.stdout);
    stderr.write(result.stderr);
    return result.status;
  };

  beforeAll(async () => {
    netns = createNetns();
    server = await startTestServer({ objects: [...shop, kubeProxyPod, kubeProxyConfig('')], exec: inNetns });
  });
  afterAll(async () => {
    await server?.close();
    if (netns) deleteNetns(netns);
  });

  const loadIptables = (breakages: Breakage[] = [], staleServices: Raw[] = []) => {
    mustRunInNetns(netns, ['nft', 'flush', 'ruleset']);
    mustRunInNetns(netns, ['iptables-nft-restore'], generated(breakages, staleServices).iptables.IPv4);
  };
  const probe = (...args: string[]) =>
    runCliAsync(['probe', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, ...args]);

  it('healthy iptables rules: each Service port as the node programs it, no findings', async () => {
    loadIptables();
    execs.length = 0;
    const result = await probe('--node', 'node-a');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'node node-a: kube-proxy, iptables mode (nft backend), IPv4; read by exec in pod kube-system/kube-proxy-x7k2p',
    );
    expect(result.stdout).toMatch(
      /10\.96\.0\.10:80\/TCP → 2 endpoints: 10\.244\.\d+\.\d+:8080 \(p=0\.50\), 10\.244\.\d+\.\d+:8080 \(p=0\.50\)/,
    );
    expect(result.stdout).toContain('10.96.0.11:80/TCP → REJECT (no endpoints)');
    // The configured mode (config.conf mode "" = iptables) limits the commands to iptables ones.
    expect(execs.map((c) => c[0])).toEqual([
      'iptables-nft-save',
      'iptables-legacy-save',
      'ip6tables-nft-save',
      'ip6tables-legacy-save',
    ]);
  });

  it('-o json: the report with its dataplane section, rules only with --raw', async () => {
    loadIptables();
    const plain = reportOf((await probe('--node', 'node-a', '-o', 'json')).stdout);
    expect(plain.apiVersion).toBe('endpoints-doctor/v1');
    expect(plain.findings).toEqual([]);
    expect(plain.dataplane[0]).toMatchObject({
      node: 'node-a',
      proxy: 'kube-proxy',
      mode: 'iptables',
      backend: 'nft',
      families: ['IPv4'],
    });
    const webPort = plain.dataplane[0].servicePorts?.find((p) => p.service?.name === 'web');
    expect(webPort?.endpoints).toHaveLength(2);
    expect(webPort?.rules).toBeUndefined();
    const raw = reportOf((await probe('--node', 'node-a', '-o', 'json', '--raw')).stdout);
    expect(raw.dataplane[0].servicePorts?.find((p) => p.service?.name === 'web')?.rules?.join('\n')).toContain(
      'KUBE-SVC-',
    );
  });

  it('an endpoint missing from the rules: dataplane-endpoint-missing, exit 1', async () => {
    loadIptables([{ kind: 'drop-endpoint', service: 'shop/web', ip: ipFor('web-2') }]);
    const result = await probe('--node', 'node-a', '-o', 'json');
    expect(result.code).toBe(1);
    const findings = reportOf(result.stdout).findings;
    expect(findings.map((f) => [f.check, f.service, f.node])).toEqual([
      ['dataplane-endpoint-missing', 'web', 'node-a'],
    ]);
    expect(findings[0].pods?.map((p) => p.name)).toEqual(['web-2']);
    expect(findings[0].fix).toContain('kubectl -n kube-system logs kube-proxy-x7k2p');
  });

  it('a stale endpoint in the rules: dataplane-endpoint-stale', async () => {
    loadIptables([{ kind: 'stale-endpoint', service: 'shop/web', ip: '10.244.77.7', port: 8080 }]);
    const result = await probe('--node', 'node-a', '-o', 'json');
    expect(result.code).toBe(1);
    const findings = reportOf(result.stdout).findings;
    expect(findings.map((f) => f.check)).toEqual(['dataplane-endpoint-stale']);
    expect(findings[0].message).toContain('10.244.77.7:8080 (in no EndpointSlice)');
  });

  it('REJECT although endpoints are ready: dataplane-rejects', async () => {
    loadIptables([{ kind: 'reject-despite-endpoints', service: 'shop/web' }]);
    const result = await probe('--node', 'node-a');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('dataplane-rejects');
    expect(result.stdout).toMatch(
      /node node-a rejects connections to 10\.96\.0\.10:80\/TCP\s+although 2 endpoints are usable/,
    );
  });

  it('rules of a deleted Service: dataplane-stale-service for the namespace, not judged when Services are named', async () => {
    const old = service('old', { spec: { clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'], ipFamilies: ['IPv4'] } });
    loadIptables([], [old]);
    const namespace = await probe('--node', 'node-a', '-o', 'json');
    expect(namespace.code).toBe(0);
    const findings = reportOf(namespace.stdout).findings;
    expect(findings.map((f) => [f.check, f.severity, f.service])).toEqual([
      ['dataplane-stale-service', 'warning', 'old'],
    ]);
    expect(findings[0].message).toContain('Service shop/old (10.96.0.99:80/TCP), which does not exist');
    const named = await probe('--node', 'node-a', '-o', 'json', 'web');
    expect(reportOf(named.stdout).findings).toEqual([]);
  });

  it('--nodes-with-endpoints: every node hosting an endpoint; one without a kube-proxy pod is not compared (note, exit 3)', async () => {
    loadIptables();
    const result = await probe('--nodes-with-endpoints', '-o', 'json');
    expect(result.code).toBe(3);
    const report = reportOf(result.stdout);
    expect(report.dataplane.map((d) => [d.node, d.proxy, d.mode])).toEqual([
      ['node-a', 'kube-proxy', 'iptables'],
      ['node-b', 'unknown', undefined],
    ]);
    expect(report.dataplane[1].statement).toContain('no kube-proxy pod runs on node node-b');
    expect(report.notes).toEqual(['node node-b was not compared: its rules were not read (see its statement)']);
  });

  it('--local: the same commands on this machine (here: run inside the namespace)', () => {
    loadIptables([{ kind: 'drop-endpoint', service: 'shop/web', ip: ipFor('web-1') }]);
    const dir = mkdtempSync(join(tmpdir(), 'probe-local-'));
    const snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shop }));
    const result = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        netns,
        process.execPath,
        BIN,
        'probe',
        '-A',
        '--snapshot',
        snapshot,
        '--local',
        '--node',
        'node-a',
        '-o',
        'json',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } },
    );
    expect(result.stderr).toBe('');
    const report = reportOf(result.stdout);
    expect(report.dataplane[0]).toMatchObject({
      node: 'node-a',
      mode: 'iptables',
      backend: 'nft',
      source: 'on this machine',
    });
    expect(report.findings.map((f) => f.check)).toEqual(['dataplane-endpoint-missing']);
    expect(result.status).toBe(1);
  });

  it('-o tree: a Dataplane/NODE branch under each Service', async () => {
    loadIptables();
    const result = await probe('--node', 'node-a', '-o', 'tree', 'web');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/└─Dataplane\/node-a\s+-\s+iptables \(nft\)/);
    expect(result.stdout).toMatch(/10\.96\.0\.10:80\/TCP → 2 endpoints/);
  });

  it('nftables mode (from the ConfigMap): reads nft -j list table ip/ip6 kube-proxy', async () => {
    const nftServer = await startTestServer({
      objects: [...shop, kubeProxyPod, kubeProxyConfig('nftables')],
      exec: inNetns,
    });
    try {
      mustRunInNetns(netns, ['nft', 'flush', 'ruleset']);
      mustRunInNetns(
        netns,
        ['nft', '-f', '-'],
        generated([{ kind: 'drop-endpoint', service: 'shop/web', ip: ipFor('web-1') }]).nft.IPv4,
      );
      execs.length = 0;
      const result = await runCliAsync([
        'probe',
        '-n',
        'shop',
        '--kubeconfig',
        nftServer.kubeconfigPath,
        '--node',
        'node-a',
        '-o',
        'json',
      ]);
      const report = reportOf(result.stdout);
      expect(report.dataplane[0]).toMatchObject({ mode: 'nftables', families: ['IPv4'] });
      expect(report.findings.map((f) => f.check)).toEqual(['dataplane-endpoint-missing']);
      expect(execs.every((c) => c[0] === 'nft')).toBe(true);
    } finally {
      await nftServer.close();
    }
  });
});

describe('probe without kube-proxy, and offline', () => {
  let server: TestServer;
  afterAll(async () => server?.close());

  it('a cluster whose Services Cilium proxies: said plainly (not as missing rules); nothing compared, so exit 3 and no OK', async () => {
    server = await startTestServer({
      objects: [...shop, configMap('cilium-config', 'kube-system', { 'kube-proxy-replacement': 'true' })],
    });
    for (const output of ['text', 'json']) {
      const args = ['probe', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--node', 'node-a', '-o', output];
      const result = await runCliAsync(args);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^error: node node-a runs no kube-proxy: Cilium replaces it .*cilium-dbg service list/,
      );
      expect(result.stderr).not.toMatch(/rules found|missing/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--rules-file with --snapshot: no cluster at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-offline-'));
    const snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shop }));
    const rules = join(dir, 'node-a.iptables');
    writeFileSync(rules, generated([{ kind: 'reject-despite-endpoints', service: 'shop/web' }]).iptables.IPv4);
    const result = await runCliAsync([
      'probe',
      '-A',
      '--snapshot',
      snapshot,
      '--node',
      'node-a',
      '--rules-file',
      rules,
      '-o',
      'json',
    ]);
    expect(result.stderr).toBe('');
    const report = reportOf(result.stdout);
    expect(report.dataplane[0]).toMatchObject({ mode: 'iptables', source: `from ${rules}` });
    expect(report.findings.map((f) => f.check)).toEqual(['dataplane-rejects']);
    expect(result.code).toBe(1);
  });

  it('--rules-file with IPVS state (/proc/net/ip_vs and ipset save): virtual servers mapped to Services by address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-offline-'));
    const snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shop }));
    const rules = generated([{ kind: 'stale-endpoint', service: 'shop/web', ip: '10.244.77.7', port: 8080 }]);
    const ipVs = join(dir, 'ip_vs');
    const ipset = join(dir, 'ipset');
    writeFileSync(ipVs, rules.procIpVs);
    writeFileSync(ipset, rules.ipsetSave);
    const result = await runCliAsync([
      'probe',
      '-A',
      '--snapshot',
      snapshot,
      '--node',
      'node-a',
      '--rules-file',
      ipVs,
      '--rules-file',
      ipset,
      '-o',
      'json',
    ]);
    expect(result.stderr).toBe('');
    const report = reportOf(result.stdout);
    expect(report.dataplane[0]).toMatchObject({ mode: 'ipvs' });
    expect(report.dataplane[0].servicePorts?.find((p) => p.frontends[0].ip === '10.96.0.10')?.service).toEqual({
      namespace: 'shop',
      name: 'web',
      portName: 'http',
    });
    expect(report.findings.map((f) => [f.check, f.service])).toEqual([['dataplane-endpoint-stale', 'web']]);
  });

  it('--rules-file with content that is no rule dump: exit 2 with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-offline-'));
    const snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shop }));
    const rules = join(dir, 'empty.txt');
    writeFileSync(rules, 'hello\n');
    const result = await runCliAsync([
      'probe',
      '-A',
      '--snapshot',
      snapshot,
      '--node',
      'node-a',
      '--rules-file',
      rules,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      `${rules} is not iptables-save, nft -j, /proc/net/ip_vs, ipvsadm or ipset save output`,
    );
  });
});
