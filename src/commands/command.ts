// A command as kubectl writes one (Flags → Options → Complete/Validate/Run): the flags as the
// parser gives them are completed into options (each value parsed, defaults filled in), the
// options are validated together, and only then does the command run, writing to the streams it
// is handed. Nothing here touches the process: the CLI passes its streams in and turns the
// returned code, or a thrown error, into the exit code.

import { inspect } from 'node:util';
import { EXIT, isDoctorError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';
import type { IOStreams } from './streams.js';

/** The subcommands, as cli.ts registers them (test/cli.test.ts holds the two together). */
export const SUBCOMMANDS = ['tree', 'snapshot', 'wait', 'probe', 'checks', 'explain'] as const;

export interface CommandSteps<Flags, Options> {
  /** Flags and positional arguments into options; a value that does not parse is a UsageError. */
  complete(args: string[], flags: Flags, streams: IOStreams): Options;
  /** Options that parse but do not go together (or not with these streams) are a UsageError. */
  validate(options: Options): void;
  /** Does the work; resolves to the exit code. */
  run(options: Options, streams: IOStreams): Promise<number>;
}

export function execute<Flags, Options>(
  command: CommandSteps<Flags, Options>,
  args: string[],
  flags: Flags,
  streams: IOStreams,
): Promise<number> {
  const options = command.complete(args, flags, streams);
  command.validate(options);
  return command.run(options, streams);
}

/**
 * A failure as the CLI reports it: one line on stderr (with --debug, the detail or stack after
 * it) and the documented exit code.
 */
export function reportFailure(e: unknown, streams: IOStreams, debug: boolean): number {
  if (isDoctorError(e)) {
    streams.errOut.write(`error: ${terminalText(e.message)}\n`);
    if (debug && 'detail' in e && e.detail) streams.errOut.write(`${detailText(e.detail)}\n`);
    return e.exitCode;
  }
  streams.errOut.write(
    `error: unexpected failure: ${terminalText((e as Error)?.message ?? String(e))} (rerun with --debug for details)\n`,
  );
  if (debug) streams.errOut.write(`${(e as Error)?.stack ?? ''}\n`);
  return EXIT.usage;
}

/** A failure's detail for --debug: an error's stack, else the value as util.inspect shows it. */
function detailText(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? String(detail);
  return typeof detail === 'string' ? detail : inspect(detail);
}
