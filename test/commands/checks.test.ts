// `checks` and `explain` run in this process: their text on stdout, and an unknown check as a
// usage error on stderr.

import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../../src/checks/index.js';
import { checksCommand, explainCommand } from '../../src/commands/checks.js';
import { parse as parseYaml } from 'yaml';
import { runInProcess } from '../support/streams.js';

describe('checks and explain in process', () => {
  it('checks: a table of every check, diagnose’s and the probe’s, exit 0', async () => {
    const result = await runInProcess(checksCommand, [], { output: 'text' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+TITLE$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(
      [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS].map((c) => c.id),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('checks -o json and -o yaml: every check as data, with why, fix, the command that runs it and its reasons', async () => {
    const json = await runInProcess(checksCommand, [], { output: 'json' });
    const list = JSON.parse(json.stdout) as {
      apiVersion: string;
      kind: string;
      items: { id: string; command: string; reasons: string[]; explanation: string }[];
    };
    expect(list).toMatchObject({ apiVersion: 'endpoints-doctor/v1', kind: 'CheckList' });
    expect(list.items.map((c) => c.id)).toEqual(
      [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS].map((c) => c.id),
    );
    expect(list.items.find((c) => c.id === 'no-ready-endpoints')).toMatchObject({
      command: 'diagnose',
      severity: 'error',
      reasons: Object.keys(CHECKS.find((c) => c.id === 'no-ready-endpoints')!.messages),
    });
    expect(list.items.find((c) => c.id === 'dataplane-rejects')?.command).toBe('probe');
    expect(list.items.find((c) => c.id === 'networkpolicy-blocks-dns')?.command).toBe('diagnose --from');
    const yaml = await runInProcess(checksCommand, [], { output: 'yaml' });
    expect(parseYaml(yaml.stdout)).toEqual(list);
    const wrong = await runInProcess(checksCommand, [], { output: 'wide' });
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toBe('error: -o/--output "wide" is not one of text, json, yaml\n');
  });

  it('explain: the check’s text, exit 0', async () => {
    const result = await runInProcess(explainCommand, ['no-ready-endpoints'], {});
    expect(result.stdout).toMatch(/^no-ready-endpoints: No endpoint of the Service is ready\n/);
    expect(result.stdout).toContain('- Default severity: error\n');
    expect(result.stdout).toContain('\nWhy it matters:\n');
    expect(result.stdout).toContain('\nHow to fix it:\n');
    expect(result.stdout).toContain('endpoints-doctor/ignore=no-ready-endpoints\n');
    expect(result.code).toBe(0);
  });

  it('explain of an unknown check: one line on stderr, exit 2; a typo gets the check it most likely meant', async () => {
    const result = await runInProcess(explainCommand, ['nope'], {});
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: unknown check "nope" (kubectl endpoints-doctor checks lists them)\n',
    });
    const typo = await runInProcess(explainCommand, ['selector-nomatch'], {});
    expect(typo.stderr).toBe(
      'error: unknown check "selector-nomatch" (did you mean selector-no-match? kubectl endpoints-doctor checks lists them)\n',
    );
  });
});
