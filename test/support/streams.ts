// Commands run in this process, on streams held in memory: what kubectl's tests do with
// genericiooptions.NewTestIOStreams. The spawn-based tests (support/cli.ts) prove the real
// process wiring; these prove that a command is its flags, its streams and its exit code.

import { Readable, Writable } from 'node:stream';
import { execute, reportFailure, type CommandSteps } from '../../src/commands/command.js';
import type { IOStreams } from '../../src/commands/streams.js';

/** Text written to it, kept; a terminal of the given size when asked to pass for one. */
class MemoryOutput extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
    readonly rows?: number,
  ) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface MemoryStreamOptions {
  /** What stdin holds (ended after it). */
  stdin?: string;
  /** stdout passes for a terminal (80×24). */
  terminal?: boolean;
  /** stderr passes for a terminal (where progress is drawn). */
  stderrTerminal?: boolean;
}

export interface MemoryStreams {
  streams: IOStreams;
  out: MemoryOutput;
  errOut: MemoryOutput;
}

export function memoryStreams(options: MemoryStreamOptions = {}): MemoryStreams {
  const out = options.terminal ? new MemoryOutput(true, 80, 24) : new MemoryOutput(false);
  const errOut = new MemoryOutput(options.stderrTerminal === true);
  const input = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  return { streams: { in: input, out, errOut }, out, errOut };
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command as the CLI does (complete, validate, run; a failure is one line on stderr), in this process. */
export async function runInProcess<Flags, Options>(
  command: CommandSteps<Flags, Options>,
  args: string[],
  flags: Flags,
  options: MemoryStreamOptions = {},
): Promise<InProcessResult> {
  const memory = memoryStreams(options);
  let code: number;
  try {
    code = await execute(command, args, flags, memory.streams);
  } catch (e) {
    code = reportFailure(e, memory.streams, false);
  }
  return { code, stdout: memory.out.text, stderr: memory.errOut.text };
}
