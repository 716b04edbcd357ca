// The probe's flags and its place among the commands: usage errors are one line and exit 2,
// before anything is read; checks and explain know the probe's checks.

import { describe, expect, it } from 'vitest';
import { runCli, writeTemp } from '../support/cli.js';

const snapshot = writeTemp('cluster.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));

describe('probe usage errors', () => {
  it.each([
    [['probe', '--snapshot', snapshot, '--rules-file', snapshot], 'say which node to probe'],
    [
      ['probe', '--snapshot', snapshot, '--node', 'a', '--all-nodes'],
      'use one of --node, --all-nodes, --nodes-with-endpoints',
    ],
    [['probe', '--snapshot', snapshot, '--node', 'a'], 'with --snapshot there is no cluster to read rules from'],
    [['probe', '--snapshot', snapshot, '--node', 'a', '--image', 'x'], '--image goes with --debug-pod'],
    [['probe', '--snapshot', snapshot, '--node', 'a', '--local', '--debug-pod'], 'not several'],
    [
      ['probe', '--snapshot', snapshot, '--node', 'a', '--rules-file', snapshot, '--mode', 'userspace'],
      '--mode "userspace" is not one of',
    ],
    [['probe', '--snapshot', snapshot, '--all-nodes', '--rules-file', snapshot], '--rules-file reads one node'],
    [['probe', '--snapshot', snapshot, '--node', 'a', '--rules-file', snapshot, '-o', 'wide'], '-o/--output "wide"'],
    [['--only', 'dataplane-rejects', '--snapshot', snapshot], 'dataplane-rejects compares a node'],
  ])('%j', (args, message) => {
    const result = runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the probe among the commands', () => {
  it('checks lists the dataplane checks, explain explains them', () => {
    const list = runCli(['checks']);
    for (const id of [
      'dataplane-service-missing',
      'dataplane-endpoint-missing',
      'dataplane-endpoint-stale',
      'dataplane-rejects',
      'dataplane-local-drop',
      'dataplane-stale-service',
    ]) {
      expect(list.stdout).toContain(id);
    }
    const explain = runCli(['explain', 'dataplane-local-drop']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('Run by: kubectl endpoints-doctor probe');
  });

  it('--help says that only --debug-pod creates anything', () => {
    const help = runCli(['probe', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--debug-pod\s+the ONLY flag that creates anything/);
  });
});
