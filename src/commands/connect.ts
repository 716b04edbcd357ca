// --connect: the flags that make the diagnosis connect to each Service's endpoints and cluster IPs
// from a vantage point, and the run that does it (targets from the model, answers from the
// vantage point, paired back for the connect checks). Only `local` exists so far: other vantage
// points (a pod's debug container, a node) will answer through the same Vantage interface.

import type { Command } from 'commander';
import type { ConnectCheck } from '../checks/types.js';
import { UsageError } from '../core/errors.js';
import type { ClusterModel } from '../model/cluster.js';
import { attemptOf, connectTargets, pairAnswers, type PortConnectivity } from '../model/connect-targets.js';
import { viewService } from '../model/service-view.js';
import type { Service } from '../core/objects.js';
import type { ConnectInput } from '../report/diagnosis.js';
import { LOCAL_VANTAGE } from '../sources/connect/local.js';
import { connectAll, CONNECT_CONCURRENCY, CONNECT_DEADLINE_MS, DEADLINE_PASSED } from '../sources/connect/run.js';
import type { Vantage } from '../sources/connect/types.js';
import { parseGoDuration } from './config-flags.js';
import type { IOStreams } from './streams.js';

export interface ConnectFlags {
  connect?: boolean;
  connectFrom?: string;
  connectTimeout?: string;
  connectHttp?: string;
}

export interface ConnectOptions {
  vantage: Vantage;
  timeoutMs: number;
  httpPath?: string;
  checks: ConnectCheck[];
}

const DEFAULT_TIMEOUT = '2s';

export const CONNECT_FROM_VALUES = ['local\tthis machine (creates nothing)'];

export function addConnectFlags(command: Command): Command {
  return command
    .option(
      '--connect',
      "also connect to each Service's endpoints and cluster IP, and judge the answers (nothing else is contacted)",
    )
    .option('--connect-from <where>', 'where --connect connects from: local (this machine; the only one so far)')
    .option(
      '--connect-timeout <duration>',
      `each connection of --connect gives up after this long (default ${DEFAULT_TIMEOUT})`,
    )
    .option(
      '--connect-http <path>',
      '--connect: GET this path on ports that say http or https, and show the status line',
    );
}

/** --connect-timeout: a Go duration with its unit, more than 0. */
function parseConnectTimeout(text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) {
    const hint = /^\d+(\.\d*)?$/.test(text) ? `needs a unit (${text}s, ${text}ms...)` : 'is not a duration above 0';
    throw new UsageError(`--connect-timeout "${text}" ${hint}: e.g. 2s, 500ms`);
  }
  return ms;
}

/** --connect-http: an absolute path, one request-target of printable characters (nothing that could end the request line). */
function parseHttpPath(text: string): string {
  if (!/^\/[\x21-\x7e]*$/.test(text)) {
    throw new UsageError(
      `--connect-http "${text}" is not a path: it starts with / and holds no spaces or control characters`,
    );
  }
  return text;
}

function parseVantage(text: string | undefined): Vantage {
  if (text === undefined || text === 'local') return LOCAL_VANTAGE;
  if (/^(pod|po|pods|node|no|nodes)\//.test(text)) {
    throw new UsageError(
      `--connect-from ${text} is not available yet: only local (this machine) is; pod/NAME and node/NAME are to come`,
    );
  }
  throw new UsageError(`--connect-from "${text}" is not local (the only vantage point so far)`);
}

/**
 * The --connect options, or undefined without --connect; the --connect-* flags without it are a
 * usage error (they would do nothing). `checks`: the connect checks --only/--disable leave.
 */
export function completeConnect(flags: ConnectFlags, checks: ConnectCheck[]): ConnectOptions | undefined {
  if (!flags.connect) {
    const alone = [
      flags.connectFrom !== undefined && '--connect-from',
      flags.connectTimeout !== undefined && '--connect-timeout',
      flags.connectHttp !== undefined && '--connect-http',
    ].filter((f): f is string => typeof f === 'string');
    if (alone.length > 0)
      throw new UsageError(`${alone.join(', ')} ${alone.length === 1 ? 'goes' : 'go'} with --connect`);
    return undefined;
  }
  return {
    vantage: parseVantage(flags.connectFrom),
    timeoutMs: parseConnectTimeout(flags.connectTimeout ?? DEFAULT_TIMEOUT),
    ...(flags.connectHttp !== undefined ? { httpPath: parseHttpPath(flags.connectHttp) } : {}),
    checks,
  };
}

/** Connects to every target of these Services from the vantage point: the connect checks' input, and notes on what was not tried. */
export async function connectServices(
  model: ClusterModel,
  services: Service[],
  options: ConnectOptions,
  streams: IOStreams,
): Promise<{ input: ConnectInput; notes: string[] }> {
  const ports = services.flatMap((s) => connectTargets(viewService(model, s)));
  const attempts = ports.flatMap((p) => p.targets.map((t) => attemptOf(p, t)));
  // Progress only on a terminal: redirected stderr gets no carriage-return noise.
  const terminal = streams.errOut.isTTY === true;
  const answers = await connectAll(options.vantage, attempts, {
    timeoutMs: options.timeoutMs,
    ...(options.httpPath !== undefined ? { httpPath: options.httpPath } : {}),
    concurrency: CONNECT_CONCURRENCY,
    deadlineMs: CONNECT_DEADLINE_MS,
    ...(terminal
      ? { onProgress: (done: number, total: number) => streams.errOut.write(`\rconnecting: ${done}/${total}`) }
      : {}),
  });
  if (terminal && attempts.length > 0) streams.errOut.write('\r\x1b[K');
  let next = 0;
  const paired: PortConnectivity[] = ports.map((p) => {
    const slice = answers.slice(next, next + p.targets.length);
    next += p.targets.length;
    return pairAnswers(p, options.vantage.name, slice);
  });
  const notes: string[] = [];
  // Never a verdict on endpoints nobody listed: without slices only the cluster IPs were tried.
  if (!model.coverage.endpointSlices)
    notes.push('--connect: the input has no EndpointSlices: only cluster IPs were tried');
  const notTcp = ports.filter((p) => p.speaks === 'udp' && p.targets.length > 0).length;
  if (notTcp > 0) notes.push(`--connect: ${notTcp} UDP or SCTP Service ports were not tried (no connect)`);
  const late = answers.filter((a) => a.result === 'skipped' && a.detail === DEADLINE_PASSED).length;
  if (late > 0) {
    notes.push(`--connect: ${late} targets were not tried: the run's deadline (${CONNECT_DEADLINE_MS / 1000}s) passed`);
  }
  return { input: { ports: paired, checks: options.checks }, notes };
}
