// client-node is loaded through src/sources/client-node.ts, which drops Node.js 24's DEP0169
// warning (url.parse, called by node-fetch 2 inside client-node) and no other: run by the Node.js
// 24 that the standalone builds embed (fetched by npm run fetch-runtimes, as .ci/run does), on the
// built dist/, so that the warning a user would see is really emitted and really dropped.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeBinary, STANDALONE_TARGETS } from '../../scripts/runtimes.js';

const ROOT = join(import.meta.dirname, '../..');
const node24 = runtimeBinary(STANDALONE_TARGETS.find((t) => t.os === 'linux' && t.arch === 'amd64')!.base);
const runnable = process.platform === 'linux' && process.arch === 'x64';
if (!runnable) console.warn('client-node test skipped: the fetched Node.js 24 is a linux x64 binary');

/** A script run by a node: loads client-node through the module (or not), then calls url.parse and warns once more. */
const script = (throughModule: boolean) => `
  ${throughModule ? `const { clientNode } = await import(${JSON.stringify(join(ROOT, 'dist/sources/client-node.js'))}); await clientNode();` : ''}
  (await import('node:url')).parse('http://example.invalid/');
  process.emitWarning('another deprecation', 'DeprecationWarning', 'DEP0001');
  process.emitWarning('an object form', { type: 'DeprecationWarning', code: 'DEP0169' });
`;

const run = (node: string, throughModule: boolean) =>
  spawnSync(node, ['--input-type=module', '-e', script(throughModule)], { encoding: 'utf8' });

describe.skipIf(!runnable)('client-node under Node.js 24', () => {
  it('url.parse warns DEP0169 without the module (the warning is real), and not once client-node is loaded through it', () => {
    expect(existsSync(node24), `${node24}: run npm run fetch-runtimes`).toBe(true);
    const bare = run(node24, false);
    expect(bare.status).toBe(0);
    expect(bare.stderr).toMatch(/\[DEP0169\]/);
    const loaded = run(node24, true);
    expect(loaded.status).toBe(0);
    expect(loaded.stderr).not.toMatch(/DEP0169/);
    // Every other warning still shows.
    expect(loaded.stderr).toMatch(/\[DEP0001\] DeprecationWarning: another deprecation/);
  });

  it('the same under the Node.js running the tests', () => {
    const loaded = run(process.execPath, true);
    expect(loaded.status).toBe(0);
    expect(loaded.stderr).not.toMatch(/DEP0169/);
    expect(loaded.stderr).toMatch(/\[DEP0001\]/);
  });
});
