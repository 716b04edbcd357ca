// probe --debug-pod against the test server: the pod it creates (pinned to the node, host
// network, NET_ADMIN and NET_RAW), the commands exec'd in it, and its deletion afterwards, also
// when the commands fail and when exec is refused. The exec handler answers with canned text.

import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCliAsync } from '../support/cli.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { endpointOf, node, pod, service, slice, type Raw } from '../support/objects.js';
import { startTestServer, type ExecHandler, type TestServer } from '../server/index.js';
import { resourceNamed } from '../server/store.js';

const aged = (o: Raw): Raw => ({ ...o, metadata: { ...o.metadata, creationTimestamp: '2026-01-01T00:00:00Z' } });
const web = service('web');
const webSlice = slice('web', { endpoints: [endpointOf('web-1', { node: 'node-a' })] });
const objects = [web, pod('web-1'), webSlice, node('node-a')].map(aged);
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

describe('probe --debug-pod', () => {
  let server: TestServer;
  const created: Raw[] = [];
  let startPods = true;
  beforeEach(async () => {
    created.length = 0;
    startPods = true;
    server = await startTestServer({ objects, exec: canned });
    // No kubelet here: the test starts the pod as soon as it is created.
    server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || e.resource.plural !== 'pods' || e.object.metadata.namespace !== 'kube-system') return;
      created.push(e.object);
      if (startPods) setImmediate(() => server.store.update({ ...e.object, status: { phase: 'Running' } }));
    });
  });
  afterEach(async () => server.close());

  const probe = (...args: string[]) =>
    runCliAsync([
      'probe',
      '-n',
      'shop',
      '--kubeconfig',
      server.kubeconfigPath,
      '--node',
      'node-a',
      '--debug-pod',
      ...args,
    ]);
  const podRequests = () =>
    server.requests.filter((r) => r.resource === 'pods' && (r.method === 'POST' || r.method === 'DELETE'));

  it('creates a netadmin pod on the node, reads the rules in it, then deletes it', async () => {
    const result = await probe('-o', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.dataplane[0]).toMatchObject({ node: 'node-a', mode: 'iptables', backend: 'nft' });
    expect(report.dataplane[0].source).toBe('through a debug pod (registry.k8s.io/kube-proxy:v1.32.0)');

    expect(created).toHaveLength(1);
    const spec = created[0]!.spec;
    expect(spec.nodeName).toBe('node-a');
    expect(spec.hostNetwork).toBe(true);
    expect(spec.containers[0].image).toBe('registry.k8s.io/kube-proxy:v1.32.0');
    expect(spec.containers[0].securityContext.capabilities.add).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(spec.containers[0].securityContext.privileged).toBeUndefined();

    const name = created[0]!.metadata.name;
    expect(podRequests().map((r) => `${r.method} ${r.name ?? ''}`)).toEqual(['POST ', `DELETE ${name}`]);
    expect(server.requests.some((r) => r.resource === 'pods/exec' && r.name === name)).toBe(true);
    expect(server.store.get(resourceNamed('pods')!, 'kube-system', name)).toBeUndefined();
  });

  it('--image picks the image', async () => {
    const result = await probe('--image', 'example.com/tools:1');
    expect(result.code).toBe(0);
    expect(created[0]!.spec.containers[0].image).toBe('example.com/tools:1');
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

  it('Ctrl-C while the pod starts: the pod is deleted, exit 130', async () => {
    startPods = false;
    const child = spawn(
      process.execPath,
      [BIN, 'probe', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--node', 'node-a', '--debug-pod'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' },
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (created.length === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(podRequests().map((r) => r.method)).toEqual(['POST', 'DELETE']);
    expect(server.store.get(resourceNamed('pods')!, 'kube-system', created[0]!.metadata.name)).toBeUndefined();
  });
});
