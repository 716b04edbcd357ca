// The workloads behind the pods, end to end: the CLI against the test API server reads the four
// apps/v1 kinds, reports a Service whose Deployment is scaled to zero or cannot create its pods
// (and no typo for it), goes on with a note when a kind is forbidden or not served, writes them in
// its snapshot, and follows them with --watch's ClusterWatch.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterWatch } from '../src/sources/watch.js';
import { connect } from '../src/sources/live.js';
import { startTestServer, type TestServer } from './server/index.js';
import { parseReport, runCliAsync, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, ownedPod, service, workload } from './support/objects.js';
import { eventually } from './support/watching.js';

const TIMEOUT = 120_000;
const NO_STACK = /\n\s+at /;
const QUOTA = 'pods "api-7f9c-x" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=4, limited: cpu=4';

const scaledDown = workload('Deployment', 'web', { replicas: 0 });
const objects = [
  ...withControllers([
    node('node-a'),
    service('web'),
    service('api', { selector: { app: 'api' } }),
    // The StatefulSet's governing Service: headless, as statefulset-service-missing wants it.
    service('db', { selector: { app: 'db' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
    ownedPod('db-0', { kind: 'StatefulSet', name: 'db' }, { labels: { app: 'db' } }),
    ownedPod('db-1', { kind: 'StatefulSet', name: 'db' }, { labels: { app: 'db' } }),
  ]),
  scaledDown,
  workload('ReplicaSet', 'web-5d4c', {
    labels: { app: 'web', 'pod-template-hash': '5d4c' },
    replicas: 0,
    owner: { kind: 'Deployment', name: 'web' },
  }),
  workload('Deployment', 'api', {
    labels: { app: 'api' },
    replicas: 2,
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  }),
  workload('ReplicaSet', 'api-7f9c', {
    labels: { app: 'api', 'pod-template-hash': '7f9c' },
    replicas: 2,
    owner: { kind: 'Deployment', name: 'api' },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
    conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: QUOTA }],
  }),
  workload('StatefulSet', 'db', { labels: { app: 'db' }, replicas: 2, spec: { serviceName: 'db' } }),
];

describe('workloads, live', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects });
  });
  afterAll(() => server?.close());
  afterEach(() => server.faults.clear());

  const doctor = async (...args: string[]) => {
    const run = await runCliAsync(['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json', ...args]);
    expect(run.stderr).not.toMatch(NO_STACK);
    return { ...run, report: parseReport(run.stdout) };
  };

  it('a Deployment scaled to zero and one that cannot create its pods: their checks, not a typo hunt', async () => {
    for (const named of [[], ['web', 'api', 'db']]) {
      const { code, report } = await doctor(...named);
      expect(code, named.join()).toBe(1);
      expect(report.notes).toEqual([]);
      const found = report.findings.map((f) => `${f.service} ${f.check} ${f.reason}`).sort();
      expect(found, named.join()).toEqual([
        'api workload-cannot-create-pods replicaFailure',
        'web workload-scaled-to-zero scaledToZero',
      ]);
      const cannot = report.findings.find((f) => f.service === 'api')!;
      expect(cannot.message).toContain(`ReplicaSet api-7f9c has the ReplicaFailure condition FailedCreate: "${QUOTA}"`);
      expect(report.findings.find((f) => f.service === 'web')?.fix).toContain(
        'kubectl scale deployment/web -n shop --replicas=N',
      );
      expect(report.services.find((s) => s.name === 'db')?.status).toBe('ok');
    }
  });

  it('Deployments forbidden: a note, the run goes on, and what the rest shows is said without guessing', async () => {
    server.faults.forbid({ resource: 'deployments' });
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.notes).toEqual([
      'Deployments could not be read (forbidden): checks that need them were skipped',
      'check workload-cannot-create-pods skipped: the input has no Deployments',
      'check workload-scaled-to-zero skipped: the input has no Deployments',
    ]);
    // The ReplicaSets still show the selector is no typo; nothing is judged OK on a guess.
    const web = report.findings.find((f) => f.service === 'web');
    expect(web?.check).toBe('selector-no-match');
    expect(web?.reason).toBe('templateWithoutPods');
    expect(web?.message).toContain('the pod template of ReplicaSet web-5d4c');
    const skipped = report.services.find((s) => s.name === 'web')?.skippedChecks?.map((s) => s.check);
    expect(skipped).toEqual(['workload-cannot-create-pods', 'workload-scaled-to-zero']);
    expect(report.services.find((s) => s.name === 'db')?.status).toBe('ok');
  });

  it('apps/v1 not served at all: the same notes for the four kinds, and the pods are still diagnosed', async () => {
    for (const resource of ['deployments', 'replicasets', 'statefulsets', 'daemonsets'])
      server.faults.unserve(resource);
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.notes.filter((n) => n.includes('not served'))).toEqual([
      'Deployments could not be read (not served by this server): checks that need them were skipped',
      'ReplicaSets could not be read (not served by this server): checks that need them were skipped',
      'StatefulSets could not be read (not served by this server): checks that need them were skipped',
      'DaemonSets could not be read (not served by this server): checks that need them were skipped',
    ]);
    // Without workloads, a selector matching nothing is selector-no-match's, as before.
    expect(report.findings.map((f) => `${f.service} ${f.check} ${f.reason}`).sort()).toEqual([
      'api selector-no-match noPodAlike',
      'web selector-no-match noPodAlike',
    ]);
  });

  it('the snapshot command writes them, and --snapshot reads back the same report', async () => {
    const written = await runCliAsync(['snapshot', '--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json']);
    expect(written.code).toBe(0);
    const kinds = (JSON.parse(written.stdout) as { items: { kind: string }[] }).items.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'Deployment' || k === 'ReplicaSet' || k === 'StatefulSet')).toHaveLength(5);
    const file = writeTemp('workloads.json', written.stdout);
    const fromFile = await runCliAsync(['--snapshot', file, '-n', 'shop', '-o', 'json']);
    expect(parseReport(fromFile.stdout)).toEqual((await doctor()).report);
  });

  it('--watch follows them: the Deployment scaled up is seen', async () => {
    const conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
    const watch = new ClusterWatch(
      conn,
      { namespace: 'shop' },
      { onChange: () => {}, debounceMs: 10, debug: () => {} },
    );
    const replicasOfWeb = () => {
      const web = watch.objects().find((o) => o.kind === 'Deployment' && o.meta.name === 'web');
      return web?.kind === 'Deployment' ? web.replicas : undefined;
    };
    try {
      await watch.start();
      expect(replicasOfWeb()).toBe(0);
      expect(watch.coverage()).toMatchObject({ deployments: true, replicaSets: true, daemonSets: true });
      server.store.apply(workload('Deployment', 'web', { replicas: 3 }));
      await eventually('the scaled Deployment seen', () => replicasOfWeb() === 3);
    } finally {
      await watch.stop();
      server.store.apply(scaledDown);
    }
  });
});
