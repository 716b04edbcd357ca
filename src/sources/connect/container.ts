// The container the connect program (program.ts) runs in, whichever vantage point makes it (an
// ephemeral container in a pod, pod.ts; a debug pod on a node, node.ts): its default image, its
// privileges (none: a TCP connect needs none), how long it lives, and the exec of the program in
// it, a batch of targets at a time.

import type { KubeConfig, V1SecurityContext } from '@kubernetes/client-node';
import { ClusterError } from '../../core/errors.js';
import { podRunner, type PodTarget } from '../node/exec.js';
import { canonicalIP } from '../../core/ip.js';
import { NO_TOOL, parseListening, parseProgramOutput, programArgv } from './program.js';
import { CONNECT_DEADLINE_MS } from './run.js';
import type { Attempt, AttemptOptions, ConnectAnswer } from './types.js';

/**
 * busybox 1.36.1, pinned by the digest of its multi-platform index on Docker Hub (the digest
 * several public projects pin busybox:1.36.1 to): small, and its nc has -z.
 */
export const CONNECT_IMAGE =
  'docker.io/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662';

/** How long the container lives: the run's deadline and time to start, then its sleep ends. */
export const CONTAINER_LIFETIME_SECONDS = CONNECT_DEADLINE_MS / 1000 + 60;

/** Targets per exec: the addresses travel as the exec's command parameters, in its URL. */
const TARGETS_PER_EXEC = 256;

/**
 * No privilege at all: not root, no capabilities, no privilege escalation, a read-only root
 * filesystem and the runtime's default seccomp profile (Pod Security Standards' restricted
 * profile: a TCP connect needs none of these).
 */
export const NO_PRIVILEGES: V1SecurityContext = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A running container to exec the program in, and how errors name it. */
export interface ProgramContainer {
  kubeConfig: KubeConfig;
  target: PodTarget;
  image: string;
  /** "the ephemeral container X of pod NS/NAME", "the debug pod NS/NAME on node N". */
  where: string;
  /** What a refused exec says is needed: "--connect-from pod needs create on pods/exec ...". */
  execNeeds: string;
  /** The flag that made the container, for the image's refusal: "--connect-from pod". */
  flag: string;
}

/**
 * The answers to the attempts, one exec of the program per batch, in the attempts' order;
 * undefined for those the deadline left untried (the run reports them skipped). `own`: the
 * addresses of the container's own pod, whose answers carry what it listens on.
 */
export async function runProgram(
  c: ProgramContainer,
  attempts: Attempt[],
  { own = new Set(), ...options }: AttemptOptions & { deadline: number; own?: ReadonlySet<string> },
): Promise<(ConnectAnswer | undefined)[]> {
  // The program takes whole seconds.
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  const answers: (ConnectAnswer | undefined)[] = [];
  for (let start = 0; start < attempts.length; start += TARGETS_PER_EXEC) {
    const batch = attempts.slice(start, start + TARGETS_PER_EXEC);
    const left = options.deadline - Date.now();
    if (left <= 0) break;
    answers.push(...(await runBatch(c, batch, { seconds, httpPath: options.httpPath, own }, left)));
  }
  return answers;
}

/**
 * One exec of the connect program over these attempts; a batch the deadline cut short answers
 * none (skipped, as the run says). When the pod is itself among the targets (`own`: its
 * addresses), what it listens on goes with the answers of its own addresses.
 */
async function runBatch(
  c: ProgramContainer,
  batch: Attempt[],
  { own, ...options }: { seconds: number; httpPath?: string | undefined; own: ReadonlySet<string> },
  timeoutMs: number,
): Promise<(ConnectAnswer | undefined)[]> {
  const run = await podRunner(c.kubeConfig, c.target, timeoutMs);
  const isOwn = (a: Attempt) => own.has(canonicalIP(a.address));
  const argv = programArgv(batch, { ...options, readListening: batch.some(isOwn) });
  let result;
  try {
    result = await run(argv);
  } catch (e) {
    if (e instanceof ClusterError && /did not finish within/.test(e.message)) return batch.map(() => undefined);
    // podRunner's own hint is the probe's: say what this needs instead.
    if (e instanceof ClusterError && e.message.startsWith('forbidden'))
      throw new ClusterError(`forbidden: cannot exec in ${c.where}; ${c.execNeeds}`, e);
    throw e;
  }
  if (result.stdout.includes(NO_TOOL))
    throw new ClusterError(
      `the image ${c.image} has neither nc nor bash: ${c.flag} needs one of them (pick another with --image)`,
    );
  if (result.code !== 0 && result.stdout.trim() === '')
    throw new ClusterError(
      `the connect program did not run in ${c.where} (exit ${result.code}): ${result.stderr.split('\n')[0]}`,
    );
  const answers = parseProgramOutput(result.stdout, batch);
  const listening = parseListening(result.stdout);
  if (listening === undefined) return answers;
  return answers.map((answer, i) => (answer && isOwn(batch[i]) ? { ...answer, listening } : answer));
}
