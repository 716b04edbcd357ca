// Running a command in a pod through pods/exec (WebSocket, client-node's Exec), or on this
// machine: both give the probe the same RunCommand. Output is collected whole; the exit code
// comes from the Status the kubelet sends on the error channel.

import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { clientNode } from '../client-node.js';
import { ClusterError } from '../../core/errors.js';
import type { CommandResult, RunCommand } from './dump-commands.js';

/** Rules dumps of big clusters run to tens of megabytes. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The exit code a Status reports: 0 for Success, the ExitCode cause for NonZeroExitCode. */
function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (!status) return undefined;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && cause?.message) return Number(cause.message);
  return undefined;
}

export interface PodTarget {
  namespace: string;
  name: string;
  container: string;
}

/** pods/exec in one container; `timeoutMs` 0 waits forever. */
export async function podRunner(kubeConfig: KubeConfig, pod: PodTarget, timeoutMs: number): Promise<RunCommand> {
  const { Exec } = await clientNode();
  const exec = new Exec(kubeConfig);
  const where = `pod ${pod.namespace}/${pod.name}`;
  return (argv) =>
    new Promise<CommandResult>((resolve, reject) => {
      const out = collector();
      const err = collector();
      let status: V1Status | undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer =
        timeoutMs > 0
          ? setTimeout(
              () =>
                finish(() =>
                  reject(
                    new ClusterError(`exec in ${where} did not finish within ${timeoutMs / 1000}s: ${argv.join(' ')}`),
                  ),
                ),
              timeoutMs,
            )
          : undefined;
      exec
        .exec(pod.namespace, pod.name, pod.container, argv, out.stream, err.stream, null, false, (s) => (status = s))
        .then((ws) => {
          ws.on('close', () =>
            finish(() => {
              const code = exitCodeOf(status);
              if (code !== undefined) return resolve({ code, stdout: out.text(), stderr: err.text() });
              // A Failure that is no exit code: the command could not start (not in the image...).
              const message = status?.message ?? 'the connection closed without a status';
              resolve({ code: 127, stdout: out.text(), stderr: message });
            }),
          );
          ws.on('error', (e: Error) => finish(() => reject(execError(where, argv, e))));
        })
        .catch((e: unknown) => finish(() => reject(execError(where, argv, e))));
    });
}

/** client-node rejects a refused upgrade with the HTTP status in the message, or with an ErrorEvent. */
function execError(where: string, argv: string[], e: unknown): ClusterError {
  const text = e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e);
  if (/\b403\b|forbidden/i.test(text)) {
    return new ClusterError(
      `forbidden: cannot exec in ${where} (needs create on pods/exec in that namespace); use --local on the node or --rules-file instead`,
      e,
    );
  }
  return new ClusterError(`exec in ${where} failed (${text.split('\n')[0]}) running ${argv.join(' ')}`, e);
}

/** Runs commands on this machine (probe --local: run on the node itself, as root). */
export const localRunner: RunCommand = (argv) =>
  new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const e = error as NodeJS.ErrnoException & { code?: number | string };
      if (e.code === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: `${argv[0]}: command not found` });
      resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr: stderr || e.message });
    });
  });
