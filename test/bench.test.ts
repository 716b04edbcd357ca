// `npm run bench` is not part of npm test (it takes minutes at its sizes), but it must keep
// running: once a build option it passed had gone, and nothing noticed. Run here at a tiny size
// with one run of each command; what is asserted is that it completes and what it compares
// agrees (the CLI's report and the in-process analysis's), never how fast anything was.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const timeFound = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
if (!kubectlFound || !timeFound)
  console.warn(
    `bench test skipped: ${kubectlFound ? '' : 'no kubectl on PATH '}${timeFound ? '' : 'no GNU time at /usr/bin/time'}`,
  );

describe.skipIf(!kubectlFound || !timeFound)('npm run bench at a tiny size', () => {
  it('measures every command and the policy-dense namespace, and (a) and (d) report the same', () => {
    const run = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'bench/run.ts',
        ...['--services', '40', '--pods', '400', '--namespaces', '4', '--nodes', '8', '--scales', '1'],
        ...['--runs', '1', '--analysis-scale', '0', '--dense-pods', '200', '--dense-policies', '30', '--no-write'],
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const report = run.stdout;
    expect(report).toContain('## Targets');
    expect(report).toContain("(a)'s report and (d)'s agree");
    // The dense namespace holds what was asked for: the generator tops its policies up to the count.
    expect(report).toMatch(/one namespace of 200 Pods, 10 Services and 30 NetworkPolicies/);
    expect(report).toMatch(/\| 200 Pods, 30 NetworkPolicies, 10 Services: cold \d+ ms/);
  }, 600_000);

  it('splits the analysis between the checks of a commit and those added since', () => {
    // At HEAD every check of the analysis is one of the commit's: the second set holds them all, the third none.
    const run = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['bench/analysis-split.ts', '--since', 'HEAD', '--scale', '0.004', '--processes', '1', '--runs', '1'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const rows = [
      ...run.stdout.matchAll(/^\| (every check|the checks of HEAD|the checks added since) \| (\d+) \| \d+ ms/gm),
    ];
    expect(rows.map((r) => r[1])).toEqual(['every check', 'the checks of HEAD', 'the checks added since']);
    const [every, then, since] = rows.map((r) => Number(r[2]));
    expect(every).toBeGreaterThan(20);
    expect([then, since]).toEqual([every, 0]);
  }, 120_000);
});
