// Runs a vantage point's attempts, bounded: at most `concurrency` at a time, each connection
// within its timeout, and none started after the run's deadline (those are skipped, and say so).
// The same address, port and protocol is tried once however many Service ports name it.

import { isIP } from 'node:net';
import type { Attempt, AttemptOptions, ConnectAnswer, Vantage } from './types.js';

export const CONNECT_CONCURRENCY = 16;
/** The whole run's bound: attempts not started by then are skipped. */
export const CONNECT_DEADLINE_MS = 120_000;

/** The detail of an attempt the deadline left untried. */
export const DEADLINE_PASSED = "not tried: the run's deadline passed";

export interface ConnectRunOptions extends AttemptOptions {
  concurrency?: number;
  deadlineMs?: number;
  /** Called after each distinct attempt ends. */
  onProgress?: (done: number, total: number) => void;
}

function attemptKey(a: Attempt): string {
  return `${a.speaks} ${a.address} ${a.port} ${a.serverNames.join(',')}`;
}

/** The answers, one per attempt, in the order of the attempts. */
export async function connectAll(
  vantage: Vantage,
  attempts: Attempt[],
  options: ConnectRunOptions,
): Promise<ConnectAnswer[]> {
  const distinct = new Map<string, Attempt>();
  for (const a of attempts) if (!distinct.has(attemptKey(a))) distinct.set(attemptKey(a), a);
  const queue = [...distinct.values()];
  const answers = new Map<string, ConnectAnswer>();
  const deadline = Date.now() + (options.deadlineMs ?? CONNECT_DEADLINE_MS);
  const notTried = (attempt: Attempt): ConnectAnswer | undefined => {
    if (attempt.speaks === 'udp') return { result: 'skipped', detail: 'UDP and SCTP have no connect: not tried' };
    // An input file may hold anything: a name would be looked up, and only addresses are contacted.
    if (isIP(attempt.address) === 0) return { result: 'skipped', detail: 'not an IP address: not tried' };
    if (Date.now() >= deadline) return { result: 'skipped', detail: DEADLINE_PASSED };
    return undefined;
  };
  if ('attemptAll' in vantage) {
    const tried = queue.filter((a) => notTried(a) === undefined);
    const got = await vantage.attemptAll(tried, { ...options, deadline });
    tried.forEach((a, i) => answers.set(attemptKey(a), got[i] ?? { result: 'skipped', detail: DEADLINE_PASSED }));
    for (const a of queue) if (!answers.has(attemptKey(a))) answers.set(attemptKey(a), notTried(a)!);
    return attempts.map((a) => answers.get(attemptKey(a))!);
  }
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const attempt = queue[next++];
      const answer = notTried(attempt) ?? (await vantage.attempt(attempt, options));
      answers.set(attemptKey(attempt), answer);
      options.onProgress?.(++done, queue.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? CONNECT_CONCURRENCY, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return attempts.map((a) => answers.get(attemptKey(a))!);
}
