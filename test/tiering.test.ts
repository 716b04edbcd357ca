// delayOptimization: V8 told only when it knows the flag (an unknown one is a line on stderr).

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { delayOptimization } from '../src/core/tiering.js';

/** delayOptimization run in a node of its own: its answer, and what V8 wrote on stderr. */
function runIn(v8Version: string): { told: string; stderr: string } {
  const script = `import { delayOptimization } from './src/core/tiering.ts';
process.stdout.write(String(delayOptimization(${JSON.stringify(v8Version)}, process.execArgv)));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
  });
  expect(child.status).toBe(0);
  return { told: child.stdout, stderr: child.stderr };
}

describe('delayOptimization', () => {
  it('tells V8 11 (Node 20 and 21), and nothing else', () => {
    expect(delayOptimization('13.6.233.17-node.44', [])).toBe(false);
    expect(delayOptimization('12.4.254.21-node.33', [])).toBe(false);
  });

  it('leaves a budget given to node as it is', () => {
    expect(delayOptimization('11.3.244.8-node.33', ['--interrupt-budget=67584'])).toBe(false);
    expect(delayOptimization('11.3.244.8-node.33', ['--max-old-space-size=512', '--interrupt_budget', '9000'])).toBe(
      false,
    );
    expect(delayOptimization('11.3.244.8-node.33', ['--interrupt-budget-for-feedback-allocation=940'])).toBe(true);
  });

  it("this node's V8 takes it without a word on stderr", () => {
    const { told, stderr } = runIn(process.versions.v8);
    expect(told).toBe(String(process.versions.v8.startsWith('11.')));
    expect(stderr).toBe('');
  });
});
