// The runner's bounds, with a vantage point that answers when the test says so: no socket.

import { describe, expect, it } from 'vitest';
import { connectAll, DEADLINE_PASSED } from '../../src/sources/connect/run.js';
import type { Attempt, ConnectAnswer, Vantage } from '../../src/sources/connect/types.js';

const attempt = (address: string, o: Partial<Attempt> = {}): Attempt => ({
  address,
  port: 80,
  speaks: 'tcp',
  serverNames: ['web.shop.svc'],
  ...o,
});

/** Holds every attempt until release(); counts how many are in flight at once. */
function heldVantage() {
  const waiting: (() => void)[] = [];
  const tried: string[] = [];
  let inFlight = 0;
  let most = 0;
  const vantage: Vantage = {
    name: 'test',
    attempt: async (a) => {
      tried.push(a.address);
      most = Math.max(most, ++inFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight--;
      return { result: 'open', latencyMs: 1 } satisfies ConnectAnswer;
    },
  };
  return {
    vantage,
    tried,
    most: () => most,
    waiting: () => waiting.length,
    releaseAll: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

describe('connectAll', () => {
  it('at most `concurrency` attempts at a time, every answer in the order of the attempts', async () => {
    const held = heldVantage();
    const attempts = Array.from({ length: 40 }, (_, i) => attempt(`10.0.0.${i + 1}`));
    const run = connectAll(held.vantage, attempts, { timeoutMs: 1000, concurrency: 16 });
    // Release each batch once the runner has started as many as it may (a bounded number of turns).
    for (let turn = 0; turn < 1000 && (held.tried.length < attempts.length || held.waiting() > 0); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      held.releaseAll();
    }
    const answers = await run;
    expect(held.most()).toBeLessThanOrEqual(16);
    expect(held.most()).toBeGreaterThan(1);
    expect(answers).toHaveLength(40);
    expect(answers.every((a) => a.result === 'open')).toBe(true);
  });

  it('the same address, port and protocol named by two Service ports is tried once', async () => {
    const held = heldVantage();
    const run = connectAll(held.vantage, [attempt('10.0.0.1'), attempt('10.0.0.1'), attempt('10.0.0.2')], {
      timeoutMs: 1000,
    });
    for (let turn = 0; turn < 1000 && held.waiting() < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    held.releaseAll();
    expect((await run).map((a) => a.result)).toEqual(['open', 'open', 'open']);
    expect(held.tried).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('a target that is no IP address (a name in a hand-written snapshot) is never tried: it would be looked up', async () => {
    const held = heldVantage();
    const answers = await connectAll(held.vantage, [attempt('db.example.com')], { timeoutMs: 1000 });
    expect(held.tried).toEqual([]);
    expect(answers).toEqual([{ result: 'skipped', detail: 'not an IP address: not tried' }]);
  });

  it('UDP is not tried; past the deadline nothing more is started, and each says why', async () => {
    const held = heldVantage();
    const answers = await connectAll(held.vantage, [attempt('10.0.0.1', { speaks: 'udp' }), attempt('10.0.0.2')], {
      timeoutMs: 1000,
      deadlineMs: 0,
    });
    expect(held.tried).toEqual([]);
    expect(answers).toEqual([
      { result: 'skipped', detail: 'UDP and SCTP have no connect: not tried' },
      { result: 'skipped', detail: DEADLINE_PASSED },
    ]);
  });
});
