// `wait svc/NAME --for ready=N|all-ready [--port NAME] --timeout 2m`: the gate after a deploy.
// Watches the Service's namespace (the watch source, not polling) and exits 0 as soon as the
// condition holds, or 1 at the timeout with the diagnosis of why not.

import type { Command } from 'commander';
import { CHECKS } from '../checks/index.js';
import { EXIT, UsageError } from '../core/errors.js';
import { ClusterModel } from '../model/cluster.js';
import { viewService } from '../model/service-view.js';
import { describeWaitFor, judgeWait, type WaitFor, type WaitProgress } from '../model/wait-condition.js';
import { colourWanted, palette } from '../render/colour.js';
import { terminalText } from '../core/terminal-text.js';
import { renderText } from '../render/text.js';
import { diagnose } from '../report/diagnosis.js';
import { connect } from '../sources/live.js';
import { ClusterWatch } from '../sources/watch.js';
import { LONGEST_TIMER_MS, namespaceFlag, parseGoDuration, parseRequestTimeout, serviceName } from './scope.js';

export interface WaitFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout: string;
  debug?: boolean;
  for: string;
  port?: string;
  timeout: string;
}

export function addWaitFlags(command: Command): Command {
  return command
    .option('--for <condition>', 'ready=N (at least N ready endpoints) or all-ready (every matched pod)', 'ready=1')
    .option('--port <name>', 'count only endpoints that carry this Service port (by name)')
    .option('--timeout <duration>', 'how long to wait (e.g. 30s, 2m; 0 checks once, negative waits a week)', '30s')
    .option('--kubeconfig <file>', 'path to the kubeconfig file')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <ns>', "namespace of the Service (default: the context's namespace, else default)")
    .option('--request-timeout <duration>', 'how long to wait for each API request', '30s')
    .option('--debug', 'print requests and full error details on stderr')
    .addHelpText(
      'after',
      '\nExit codes:\n  0  the Service has what --for asks\n  1  timed out (the diagnosis says why)\n' +
        '  2  usage error, or what --for asks the Service can never give (no such --port...)\n  3  the cluster could not be reached, or refused a required read',
    );
}

export function parseWaitFor(text: string): WaitFor {
  if (text === 'all-ready') return { kind: 'all-ready' };
  const m = /^ready=(\d+)$/.exec(text);
  if (m && Number(m[1]) >= 1) return { kind: 'ready', count: Number(m[1]) };
  throw new UsageError(`--for "${text}" is not ready=N (N ≥ 1) or all-ready`);
}

const A_WEEK_MS = 7 * 24 * 3_600_000;

/**
 * --timeout as kubectl wait reads it: a Go duration, so a number needs its unit ("30" is
 * refused, as Go's time.ParseDuration refuses it); 0 checks once, a negative one waits a week.
 */
export function parseWaitTimeout(text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    const hint = /^\d+(\.\d*)?$/.test(text) ? `needs a unit (${text}s, ${text}m...)` : 'is not a duration';
    throw new UsageError(`--timeout "${text}" ${hint}: e.g. 30s, 2m, 1h30m; 0 checks once`);
  }
  return ms < 0 ? A_WEEK_MS : ms;
}

export async function runWait(arg: string, flags: WaitFlags): Promise<number> {
  const name = serviceName(arg);
  const namespaceGiven = namespaceFlag(flags.namespace);
  const want = parseWaitFor(flags.for);
  const timeoutMs = parseWaitTimeout(flags.timeout);
  const requestTimeoutMs = parseRequestTimeout(flags.requestTimeout);
  const deadline = Date.now() + timeoutMs;
  const debug = flags.debug ? (line: string) => process.stderr.write(`debug: ${line}\n`) : () => {};
  const port = flags.port;

  const conn = await connect({ kubeconfig: flags.kubeconfig, context: flags.context, requestTimeoutMs, debug });
  const namespace = namespaceGiven ?? conn.defaultNamespace;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  let trouble: string | undefined;
  const watch = new ClusterWatch(
    conn,
    { namespace },
    {
      onChange: () => {
        const now = judge();
        if (now.met || now.impossible) settle();
      },
      onTrouble: (problem) => {
        if (problem && problem !== trouble) process.stderr.write(`warning: ${terminalText(problem)}\n`);
        trouble = problem;
      },
      debug,
    },
  );
  const judge = (): WaitProgress & { model: ClusterModel } => {
    const model = new ClusterModel(watch.objects(), watch.coverage());
    const service = model.service(namespace, name);
    if (!service) return { met: false, summary: `service "${name}" does not exist in namespace "${namespace}"`, model };
    return { ...judgeWait(viewService(model, service), want, port), model };
  };

  await watch.start();
  let timer: NodeJS.Timeout | undefined;
  const armTimer = () => {
    const left = deadline - Date.now();
    timer = left > LONGEST_TIMER_MS ? setTimeout(armTimer, LONGEST_TIMER_MS) : setTimeout(settle, Math.max(0, left));
  };
  armTimer();
  const first = judge();
  if (first.met || first.impossible) settle();
  await settled;
  clearTimeout(timer);
  await watch.stop();

  const result = judge();
  if (result.met) {
    process.stdout.write(`svc/${name}: ${result.summary}\n`);
    return EXIT.ok;
  }
  // What the Service cannot give (a port it does not have...) is not waited for.
  if (result.impossible) throw new UsageError(`svc/${name} in namespace "${namespace}": ${result.summary}`);
  const service = result.model.service(namespace, name);
  if (service) {
    const { report, checks } = diagnose(result.model, [service], CHECKS, Object.values(watch.missing));
    process.stdout.write(renderText(report, checks, palette(colourWanted(process.stdout, false))));
  }
  process.stderr.write(
    `timed out after ${flags.timeout} waiting for svc/${name} (${describeWaitFor(want, port)}): ${terminalText(result.summary)}\n`,
  );
  return EXIT.findings;
}
