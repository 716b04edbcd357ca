// The bench's child processes: the API server (bench/server.ts) and the analysis (bench/analysis.ts),
// forked TypeScript modules that answer one message with one message.

import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ClusterSize } from '../generate.js';

/** bench/, where the children's modules are. */
const BENCH = resolve(import.meta.dirname, '..');

/** A forked TypeScript module speaking the request/answer protocol of bench/server.ts and bench/analysis.ts. */
export class Child<Ready, Answer> {
  private waiting: ((m: Answer) => void)[] = [];
  readonly ready: Promise<Ready>;
  private readonly exited: Promise<unknown>;

  constructor(
    private readonly child: ChildProcess,
    what: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    this.ready = new Promise<Ready>((resolve, reject) => {
      child.once('message', (m: Ready) => {
        child.on('message', (a: Answer) => this.waiting.shift()?.(a));
        resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    });
  }

  /** `args` follow the size on the child's command line (bench/analysis.ts: the checks to run). */
  static fork<R, A>(module: string, size: ClusterSize, args: readonly string[] = []): Child<R, A> {
    const child = fork(join(BENCH, module), [JSON.stringify(size), ...args], {
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=16384'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child<R, A>(child, module);
  }

  ask(message: object): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(message);
    });
  }

  async stop(message?: object): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (message && this.child.connected) this.child.send(message);
      else this.child.kill();
    }
    await this.exited;
  }
}
