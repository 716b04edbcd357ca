// probe --debug-pod against the test server: the pod it creates (pinned to the node, host
// network, NET_ADMIN and NET_RAW and nothing more, the node's own kube-proxy image), the commands
// exec'd in it, and its deletion afterwards, also when the commands fail, when exec is refused,
// and when the process gets SIGINT, SIGTERM or SIGHUP; and the next probe deleting the pods a
// killed one left behind. The exec handler answers with canned text.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BIN, runCliAsync } from '../support/cli.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { endpointOf, node, pod, service, slice, type Raw } from '../support/objects.js';
import { startTestServer, type ExecHandler, type TestServer } from '../server/index.js';
import { resourceNamed } from '../server/store.js';
import { stringAt } from '../../src/core/json-value.js';
import type { Report } from '../../src/report/report.js';

const aged = (o: Raw): Raw => ({
  ...o,
  metadata: { ...(o.metadata as Raw), creationTimestamp: '2026-01-01T00:00:00Z' },
});
const web = service('web');
const webSlice = slice('web', { endpoints: [endpointOf('web-1', { node: 'node-a' })] });
const objects = [web, pod('web-1'), webSlice, node('node-a'), node('node-b')].map(aged);
/** A kube-proxy pod on node-a, its image from an air-gapped mirror. */
const MIRRORED_IMAGE = 'mirror.example.com/kube-proxy:v1.31.4';
const KUBE_PROXY_A = 'kube-proxy-a1b2c';
const kubeProxyA = pod(KUBE_PROXY_A, {
  ns: 'kube-system',
  labels: { 'k8s-app': 'kube-proxy' },
  node: 'node-a',
  containers: [{ name: 'kube-proxy', image: MIRRORED_IMAGE, command: ['/usr/local/bin/kube-proxy'] }],
});
/** A debug pod an earlier probe left, `ageSeconds` old. */
function leftover(
  name: string,
  ageSeconds: number,
  labels = { 'app.kubernetes.io/created-by': 'endpoints-doctor-probe' },
) {
  const created = new Date(Date.now() - ageSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const p = pod(name, { ns: 'kube-system', labels, node: 'node-a', phase: 'Failed' });
  return {
    ...p,
    metadata: { ...(p.metadata as Raw), creationTimestamp: created },
    spec: { ...(p.spec as Raw), activeDeadlineSeconds: 600 },
  };
}
const savedRules = generateKubeProxyRules({ services: [web], slices: [webSlice], nodeName: 'node-a' }).iptables.IPv4;

/** iptables-nft-save answers with the rules; every other tool is "not in the image". */
const canned: ExecHandler = ({ command, stdout, stderr }) => {
  if (command[0] === 'iptables-nft-save') {
    stdout.write(savedRules);
    return 0;
  }
  stderr.write(`exec: "${command[0]}": executable file not found in $PATH\n`);
  return 127;
};

/** What these tests read of a debug pod the probe created. */
interface DebugPod {
  metadata: { name: string };
  spec: {
    nodeName: string;
    hostNetwork: boolean;
    automountServiceAccountToken: boolean;
    containers: { image: string; imagePullPolicy: string; securityContext: { privileged?: boolean }; resources: Raw }[];
  };
}

describe('probe --debug-pod', () => {
  let server: TestServer;
  const created: DebugPod[] = [];
  let startPods = true;
  beforeEach(async () => {
    created.length = 0;
    startPods = true;
    server = await startTestServer({ objects, exec: canned });
    // No kubelet here: the test starts the pod as soon as it is created.
    server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || e.resource.plural !== 'pods') return;
      if (!stringAt(e.object, 'metadata', 'name')?.startsWith('endpoints-doctor-probe-')) return;
      created.push(e.object as DebugPod);
      if (startPods) setImmediate(() => server.store.update({ ...e.object, status: { phase: 'Running' } }));
    });
  });
  afterEach(async () => server.close());

  const probeOn = (node: string, ...args: string[]) =>
    runCliAsync(['probe', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--node', node, '--debug-pod', ...args]);
  const probe = (...args: string[]) => probeOn('node-a', ...args);
  const podRequests = () =>
    server.requests.filter((r) => r.resource === 'pods' && (r.method === 'POST' || r.method === 'DELETE'));

  it('creates a netadmin pod on the node, reads the rules in it, then deletes it', async () => {
    const result = await probe('-o', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Required<Report>;
    expect(report.dataplane[0]).toMatchObject({ node: 'node-a', mode: 'iptables', backend: 'nft' });
    expect(report.dataplane[0].source).toBe('through a debug pod (registry.k8s.io/kube-proxy:v1.32.0)');

    expect(created).toHaveLength(1);
    const spec = created[0].spec;
    expect(spec.nodeName).toBe('node-a');
    expect(spec.hostNetwork).toBe(true);
    expect(spec.containers[0].image).toBe('registry.k8s.io/kube-proxy:v1.32.0');
    expect(spec.containers[0].securityContext.privileged).toBeUndefined();
    // No more privilege than reading the rules takes (Pod Security Standards' restricted
    // controls, bar the host network and the two capabilities the commands need).
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].resources).toEqual({
      requests: { cpu: '10m', memory: '32Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(spec.containers[0].imagePullPolicy).toBe('IfNotPresent');

    const name = created[0].metadata.name;
    expect(podRequests().map((r) => `${r.method} ${r.name ?? ''}`)).toEqual(['POST ', `DELETE ${name}`]);
    expect(server.requests.some((r) => r.resource === 'pods/exec' && r.name === name)).toBe(true);
    expect(server.store.get(resourceNamed('pods')!, 'kube-system', name)).toBeUndefined();
  });

  it("the image: the node's own kube-proxy image, else the cluster version's, else --image", async () => {
    server.store.apply(aged(kubeProxyA));
    const onA = await probe('-o', 'json');
    expect(onA.code, onA.stderr).toBe(0);
    expect(created.at(-1)!.spec.containers[0].image).toBe(MIRRORED_IMAGE);
    expect((JSON.parse(onA.stdout) as Required<Report>).dataplane[0].source).toBe(
      `through a debug pod (${MIRRORED_IMAGE})`,
    );

    // node-b has no kube-proxy pod: registry.k8s.io/kube-proxy of the server's version.
    const onB = await probeOn('node-b');
    expect(onB.code, onB.stderr).toBe(0);
    expect(created.at(-1)!.spec.containers[0].image).toBe('registry.k8s.io/kube-proxy:v1.32.0');

    expect((await probe('--image', 'example.com/tools:1')).code).toBe(0);
    expect(created.at(-1)!.spec.containers[0].image).toBe('example.com/tools:1');
  });

  it('every command failing in the pod: no rules read, exit 3 with one line, the pod deleted', async () => {
    server.setExecHandler(() => {
      throw new Error('container runtime exploded');
    });
    const result = await probe();
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: no kube-proxy rules found on node node-a through a debug pod \(registry.k8s.io\/kube-proxy:v1.32.0\) \(no KUBE-SERVICES chain.*\); iptables-nft-save: exit/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(podRequests().map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('deletes the pod when exec is forbidden, and says what RBAC is missing (exit 3)', async () => {
    server.setRules([
      {
        resources: ['pods', 'services', 'endpointslices', 'endpoints', 'nodes', 'configmaps', 'namespaces'],
        verbs: ['*'],
      },
    ]);
    const result = await probe();
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^error: forbidden: cannot exec in pod kube-system\/endpoints-doctor-probe-node-a-\w+ \(needs create on pods\/exec/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(podRequests().map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });

  it('without create on pods: exit 3, nothing left behind', async () => {
    server.setRules([
      {
        resources: ['pods', 'services', 'endpointslices', 'endpoints', 'nodes', 'configmaps', 'namespaces'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    const result = await probe();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('forbidden: cannot create the debug pod in namespace kube-system');
    expect(created).toHaveLength(0);
  });

  /** The CLI as a process of its own, to send signals to. */
  function spawnProbe() {
    const child = spawn(
      process.execPath,
      [BIN, 'probe', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--node', 'node-a', '--debug-pod'],
      { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((r) => setTimeout(r, 20));
  };
  const podGone = (name: string) => server.store.get(resourceNamed('pods')!, 'kube-system', name) === undefined;

  // A closed terminal sends SIGHUP; a stopped job or container SIGTERM.
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s while the pod starts: the pod is deleted, exit %i', async (signal, code) => {
    startPods = false;
    const probeRun = spawnProbe();
    await until(() => created.length > 0);
    probeRun.child.kill(signal);
    expect(await probeRun.exited).toBe(code);
    expect(podRequests().map((r) => r.method)).toEqual(['POST', 'DELETE']);
    expect(podGone(created[0].metadata.name)).toBe(true);
    expect(probeRun.stderr()).toBe('');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s while a command runs in the pod: the pod is deleted, exit %i, no report', async (signal, code) => {
    let execStarted = false;
    server.setExecHandler(({ signal: gone }) => {
      execStarted = true;
      return new Promise<number>((resolve) => gone.addEventListener('abort', () => resolve(0)));
    });
    const probeRun = spawnProbe();
    let stdout = '';
    probeRun.child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    await until(() => execStarted);
    probeRun.child.kill(signal);
    expect(await probeRun.exited).toBe(code);
    expect(podGone(created[0].metadata.name)).toBe(true);
    expect(stdout).toBe('');
  });

  it('the next probe deletes the debug pods left behind past their deadline, and says so', async () => {
    const [stale, young, other] = [
      'endpoints-doctor-probe-node-a-0a1b2',
      'endpoints-doctor-probe-node-a-3c4d5',
      'other-tool-pod',
    ];
    server.store.apply(leftover(stale, 3600));
    server.store.apply(leftover(young, 60));
    server.store.apply(leftover(other, 3600, { 'app.kubernetes.io/created-by': 'someone-else' }));
    const result = await probe();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^note: deleted the debug pod kube-system\/endpoints-doctor-probe-node-a-0a1b2 an earlier probe left behind \(created \S+, past its 600s deadline\)\n$/,
    );
    expect(podGone(stale)).toBe(true);
    // A younger one may be another probe's, running now; another tool's pod is not ours.
    expect(podGone(young)).toBe(false);
    expect(podGone(other)).toBe(false);
    expect(podRequests().map((r) => `${r.method} ${r.name ?? ''}`)).toEqual([
      `DELETE ${stale}`,
      'POST ',
      `DELETE ${created.at(-1)!.metadata.name}`,
    ]);
  });

  it('the exec into pods and the debug pod send what the reads send: an exec plugin runs once, an IP server name warns not', async () => {
    server.store.apply(aged(kubeProxyA));
    const dir = mkdtempSync(join(tmpdir(), 'epd-plugin-'));
    const plugin = join(dir, 'credential-plugin');
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: server.token },
    };
    writeFileSync(plugin, `#!/bin/sh\necho run >> "${join(dir, 'runs')}"\necho '${JSON.stringify(credential)}'\n`, {
      mode: 0o755,
    });
    const config = parse(server.kubeconfig) as { clusters: { cluster: Raw }[]; users: Raw[] };
    config.clusters[0].cluster['tls-server-name'] = '127.0.0.1';
    config.users = [
      {
        name: 'test-token',
        user: { exec: { apiVersion: credential.apiVersion, command: plugin, interactiveMode: 'Never' } },
      },
    ];
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, stringify(config));
    for (const via of [[], ['--debug-pod']]) {
      writeFileSync(join(dir, 'runs'), '');
      const args = ['probe', '-n', 'shop', '--kubeconfig', kubeconfig, '--node', 'node-a', ...via];
      const result = await runCliAsync(args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('run\n');
    }
    const execs = server.requests.filter((r) => r.resource === 'pods/exec');
    expect(new Set(execs.map((r) => r.name))).toEqual(new Set([KUBE_PROXY_A, created.at(-1)!.metadata.name]));
    expect(new Set(server.requests.map((r) => r.user))).toEqual(new Set([server.user]));
  });

  it('without list on pods in the debug namespace: the tidying is skipped with a warning, the probe runs', async () => {
    server.faults.forbid({ resource: 'pods', verb: 'list', namespace: 'probes' });
    const result = await probe('--debug-namespace', 'probes');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'warning: cannot look for debug pods earlier probes left in namespace probes: forbidden to list pods there\n',
    );
    expect(podRequests().map((r) => r.method)).toEqual(['POST', 'DELETE']);
  });
});
