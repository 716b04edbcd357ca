// `wait svc/NAME --for ready=N|all-ready [--port NAME] --timeout 2m`: the gate after a deploy.
// Watches the Service's namespace (the watch source, not polling) and exits 0 as soon as the
// condition holds, or 1 at the timeout with the diagnosis of why not.

import type { Command } from 'commander';
import { CHECKS } from '../checks/index.js';
import { EXIT, UsageError } from '../core/errors.js';
import { buildModel, type ClusterModel } from '../model/cluster.js';
import { viewService } from '../model/service-view.js';
import { describeWaitFor, judgeWait, type WaitFor, type WaitProgress } from '../model/wait-condition.js';
import { colourWanted, palette } from '../render/colour.js';
import { terminalText } from '../core/terminal-text.js';
import { renderText } from '../render/text.js';
import { diagnoseServices } from '../report/diagnosis.js';
import { connect, missingNotes } from '../sources/live.js';
import { ClusterWatch } from '../sources/watch.js';
import type { CommandSteps } from './command.js';
import {
  addConfigFlags,
  completeConfig,
  LONGEST_TIMER_MS,
  parseGoDuration,
  type ConfigFlags,
  type ConfigOptions,
} from './config-flags.js';
import { serviceName } from './scope.js';
import type { IOStreams } from './streams.js';

export interface WaitFlags extends ConfigFlags {
  for: string;
  port?: string;
  timeout: string;
}

interface WaitOptions {
  config: ConfigOptions;
  /** The Service's name (without svc/). */
  service: string;
  want: WaitFor;
  port?: string;
  timeoutMs: number;
  /** --timeout as typed, for the message at the timeout. */
  timeoutText: string;
}

export function addWaitFlags(command: Command): Command {
  return addConfigFlags(
    command
      .option('--for <condition>', 'ready=N (at least N ready endpoints) or all-ready (every matched pod)', 'ready=1')
      .option('--port <name>', 'count only endpoints that carry this Service port (by name)')
      .option('--timeout <duration>', 'how long to wait (e.g. 30s, 2m; 0 checks once, negative waits a week)', '30s'),
  ).addHelpText(
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

function completeWait([service]: string[], flags: WaitFlags, streams: IOStreams): WaitOptions {
  const name = serviceName(service);
  const config = completeConfig(flags, streams);
  return {
    config,
    service: name,
    want: parseWaitFor(flags.for),
    port: flags.port,
    timeoutMs: parseWaitTimeout(flags.timeout),
    timeoutText: flags.timeout,
  };
}

function validateWait(): void {
  // Every flag of wait stands alone: completing them checked them all.
}

async function runWait(options: WaitOptions, streams: IOStreams): Promise<number> {
  const { service: name, want, port } = options;
  const deadline = Date.now() + options.timeoutMs;
  const conn = await connect(options.config);
  const namespace = options.config.namespace ?? conn.defaultNamespace;
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
        if (problem && problem !== trouble) streams.errOut.write(`warning: ${terminalText(problem)}\n`);
        trouble = problem;
      },
      debug: options.config.debug,
    },
  );
  const judge = (): WaitProgress & { model: ClusterModel } => {
    const model = buildModel(watch.objects(), watch.coverage(), watch.policyEnvironment);
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
    streams.out.write(`svc/${name}: ${result.summary}\n`);
    return EXIT.ok;
  }
  // What the Service cannot give (a port it does not have...) is not waited for.
  if (result.impossible) throw new UsageError(`svc/${name} in namespace "${namespace}": ${result.summary}`);
  const service = result.model.service(namespace, name);
  if (service) {
    const { report, checks } = diagnoseServices(result.model, [service], CHECKS, [
      ...missingNotes(watch.missing),
      ...watch.policyEnvironment.notes,
    ]);
    streams.out.write(renderText(report, checks, palette(colourWanted(streams.out, false))));
  }
  streams.errOut.write(
    `timed out after ${options.timeoutText} waiting for svc/${name} (${describeWaitFor(want, port)}): ${terminalText(result.summary)}\n`,
  );
  return EXIT.findings;
}

export const waitCommand: CommandSteps<WaitFlags, WaitOptions> = {
  complete: completeWait,
  validate: validateWait,
  run: runWait,
};
