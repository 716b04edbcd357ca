// `checks` and `explain` run in this process: their text on stdout, and an unknown check as a
// usage error on stderr.

import { describe, expect, it } from 'vitest';
import { CHECKS, DATAPLANE_CHECKS } from '../../src/checks/index.js';
import { checksCommand, explainCommand } from '../../src/commands/checks.js';
import { runInProcess } from '../support/streams.js';

describe('checks and explain in process', () => {
  it('checks: a table of every check, diagnose’s and the probe’s, exit 0', async () => {
    const result = await runInProcess(checksCommand, [], {});
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+TITLE$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(
      [...CHECKS, ...DATAPLANE_CHECKS].map((c) => c.id),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
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

  it('explain of an unknown check: one line on stderr, exit 2', async () => {
    const result = await runInProcess(explainCommand, ['nope'], {});
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: unknown check "nope" (kubectl endpoints-doctor checks lists them)\n',
    });
  });
});
