// The default command: `kubectl endpoints-doctor [SERVICE...]` diagnoses Services and exits
// 0, or 1 when a finding is at or above --fail-on.

import type { Command } from 'commander';
import { CHECKS, findCheck } from '../checks/index.js';
import { SEVERITIES, type Check, type Severity } from '../checks/types.js';
import { EXIT, UsageError } from '../errors.js';
import { colourWanted, palette } from '../render/colour.js';
import { renderJson, renderYaml } from '../render/structured.js';
import { renderText } from '../render/text.js';
import { renderTree } from '../render/tree.js';
import { buildReport, failsAt } from '../report/report.js';
import { runChecks } from '../report/run-checks.js';
import { addScopeFlags, completeScope, loadInput, type ScopeFlags } from './scope.js';

export const OUTPUTS = ['text', 'json', 'yaml', 'tree'] as const;
type Output = (typeof OUTPUTS)[number];

export interface DiagnoseFlags extends ScopeFlags {
  output: string;
  ascii?: boolean;
  showEndpoints?: boolean;
  failOn: string;
  disable?: string;
  only?: string;
  color: boolean;
}

export function addDiagnoseFlags(command: Command): Command {
  return addScopeFlags(command)
    .option('-o, --output <format>', `output format: ${OUTPUTS.join(', ')}`, 'text')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: error, warning, info, never', 'error')
    .option('--disable <checks>', 'comma-separated check ids not to run')
    .option('--only <checks>', 'comma-separated check ids to run, and no other')
    .option('--no-color', 'no colours in text and tree output (NO_COLOR is respected too)')
    .option('--ascii', 'tree output with ASCII instead of box-drawing characters')
    .option('--show-endpoints', 'tree output: add the legacy Endpoints (v1) object as a branch');
}

function checkList(flag: string, text: string): Check[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => {
      const check = findCheck(id);
      if (!check) throw new UsageError(`${flag}: unknown check "${id}" (kubectl endpoints-doctor checks lists them)`);
      return check;
    });
}

export function chooseChecks(only?: string, disable?: string): Check[] {
  if (only !== undefined && disable !== undefined) throw new UsageError('use --only or --disable, not both');
  if (only !== undefined) {
    const chosen = new Set(checkList('--only', only));
    return CHECKS.filter((c) => chosen.has(c));
  }
  const disabled = new Set(disable !== undefined ? checkList('--disable', disable) : []);
  return CHECKS.filter((c) => !disabled.has(c));
}

export async function runDiagnose(args: string[], flags: DiagnoseFlags): Promise<number> {
  // Complete and validate every flag before touching the cluster.
  if (!OUTPUTS.includes(flags.output as Output)) {
    throw new UsageError(`-o/--output "${flags.output}" is not one of ${OUTPUTS.join(', ')}`);
  }
  if (flags.failOn !== 'never' && !SEVERITIES.includes(flags.failOn as Severity)) {
    throw new UsageError(`--fail-on "${flags.failOn}" is not one of error, warning, info, never`);
  }
  const checks = chooseChecks(flags.only, flags.disable);
  const scope = completeScope(flags, args, (line) => process.stderr.write(`debug: ${line}\n`));

  const input = await loadInput(scope);
  const run = runChecks(input.model, input.services, checks);
  const report = buildReport(run, input.notes);

  const output = flags.output as Output;
  const colours = palette(colourWanted(process.stdout, !flags.color));
  if (output === 'json') process.stdout.write(renderJson(report));
  else if (output === 'yaml') process.stdout.write(renderYaml(report));
  else if (output === 'tree') {
    const options = { ascii: flags.ascii === true, showEndpoints: flags.showEndpoints === true, now: new Date() };
    process.stdout.write(renderTree(run.views, input.model, report, colours, options));
    for (const note of report.notes) process.stderr.write(`note: ${note}\n`);
  } else process.stdout.write(renderText(report, colours));
  return failsAt(report, flags.failOn as Severity | 'never') ? EXIT.findings : EXIT.ok;
}
