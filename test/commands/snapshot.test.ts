// `snapshot` run in this process against the test API server: the List on stdout, the reminder
// on stderr, the exit code; and a usage error before anything is read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { stringAt } from '../../src/core/json-value.js';
import { snapshotCommand, type SnapshotFlags } from '../../src/commands/snapshot.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { withControllers } from '../support/controller.js';
import { node, pod, service } from '../support/objects.js';
import { runInProcess } from '../support/streams.js';

const flags = (given: Partial<SnapshotFlags> = {}): SnapshotFlags => ({
  output: 'yaml',
  requestTimeout: '30s',
  ...given,
});

describe('snapshot in process', { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: withControllers([node('node-a'), service('web'), pod('web-1')]) });
  });
  afterAll(() => server.close());

  it('writes the objects the diagnosis reads to the stdout it is handed, and the secrets reminder to stderr', async () => {
    const result = await runInProcess(
      snapshotCommand,
      ['web'],
      flags({ kubeconfig: server.kubeconfigPath, namespace: 'shop' }),
    );
    const [list, ...objects] = parseAllDocuments(result.stdout).map((d) => d.toJS() as unknown);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', items: [] });
    expect(objects.map((o) => `${stringAt(o, 'kind')}/${stringAt(o, 'metadata', 'name')}`)).toEqual(
      expect.arrayContaining(['Service/web', 'Pod/web-1', 'Node/node-a']),
    );
    expect(result.stderr).toMatch(/^note: the snapshot keeps annotation values .* --redact blanks them\n$/);
    expect(result.code).toBe(0);
  });

  it('--snapshot is refused: snapshot reads a live cluster', async () => {
    const result = await runInProcess(snapshotCommand, [], flags({ snapshot: 'cluster.yaml' }));
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: snapshot reads a live cluster; --snapshot is for diagnosing a file\n',
    });
  });
});
