// Exit codes (the documented contract) and the errors that map onto them. Each error's
// message is the one line printed on stderr: what went wrong, where, and what to do.

export const EXIT = {
  ok: 0,
  /** Findings at or above --fail-on. */
  findings: 1,
  /** Bad flags or arguments, unreadable or malformed input. */
  usage: 2,
  /** The cluster could not be reached, or refused a required read. */
  cluster: 3,
} as const;

export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

export class InputError extends Error {
  readonly exitCode = EXIT.usage;
}

export class ClusterError extends Error {
  readonly exitCode = EXIT.cluster;
  constructor(
    message: string,
    /** Underlying detail shown with --debug. */
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export type DoctorError = UsageError | InputError | ClusterError;

export function isDoctorError(e: unknown): e is DoctorError {
  return e instanceof UsageError || e instanceof InputError || e instanceof ClusterError;
}
