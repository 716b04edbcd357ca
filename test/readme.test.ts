// README promises: its two commands at the top, and a row per check with the right severity.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../src/checks/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the demo command and the test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm run demo\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('lists every check with its default severity and title, linked to its page', () => {
    const rows = readme
      .split('\n')
      .filter((line) => line.startsWith('| ['))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    for (const check of [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS]) {
      expect(rows).toContainEqual([`[\`${check.id}\`](docs/checks/${check.id}.md)`, check.severity, check.title]);
    }
  });

  it('.ci/run runs the test command README gives', () => {
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/^npm test$/m);
  });
});
