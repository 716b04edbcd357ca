// The default command: `kubectl endpoints-doctor [SERVICE...]` diagnoses Services and exits
// 0, or 1 when a finding is at or above --fail-on or a Service's status is unknown.

import type { Command } from 'commander';
import { CHECKS, DATAPLANE_CHECKS, findCheck } from '../checks/index.js';
import { type Check } from '../checks/types.js';
import { EXIT, UsageError } from '../core/errors.js';
import { colourWanted, palette } from '../render/colour.js';
import { OUTPUTS, renderOutput, type Output, type OutputOptions } from '../render/output.js';
import { terminalText } from '../core/terminal-text.js';
import { diagnose } from '../report/diagnosis.js';
import { failsAt } from '../report/report.js';
import { refuseLiveView, runLiveView } from './live-views.js';
import { addScopeFlags, completeScope, loadInput, type ScopeFlags } from './scope.js';
import { SEVERITIES, type Severity } from '../core/findings.js';

export interface DiagnoseFlags extends ScopeFlags {
  output: string;
  ascii?: boolean;
  showEndpoints?: boolean;
  failOn: string;
  disable?: string;
  only?: string;
  color: boolean;
  watch?: boolean;
  interactive?: boolean;
}

export function addDiagnoseFlags(command: Command): Command {
  return addScopeFlags(command)
    .option(
      '-o, --output <format>',
      `output format: ${OUTPUTS.join(', ')} (junit: test results for CI; markdown: CI job summaries, PR comments)`,
      'text',
    )
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: error, warning, info, never (also fails on a Service whose status is unknown because a check that could have reached it did not run)',
      'error',
    )
    .option('--disable <checks>', 'comma-separated check ids not to run')
    .option('--only <checks>', 'comma-separated check ids to run, and no other')
    .option('--no-color', 'no colours in text and tree output (NO_COLOR is respected too)')
    .option('--ascii', 'tree output with ASCII instead of box-drawing characters')
    .option('--show-endpoints', 'tree output: add the legacy Endpoints (v1) object as a branch')
    .option('-w, --watch', 'keep watching: redraw on a terminal, else print one line per change')
    .option('-i, --interactive', 'browse Services in a terminal view (keys: ? for help)');
}

function checkList(flag: string, text: string): Check[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => {
      const check = findCheck(id);
      if (!check && DATAPLANE_CHECKS.some((c) => c.id === id)) {
        throw new UsageError(`${flag}: ${id} compares a node's rules: kubectl endpoints-doctor probe runs it`);
      }
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
  if (flags.watch || flags.interactive) {
    refuseLiveView(flags, flags.output as Output, scope);
    return runLiveView(flags, outputOptions(flags, checks), scope, checks);
  }

  // A named Service that is missing does not hide the others (as with kubectl get a b c).
  const input = await loadInput(scope, undefined, 'report');
  const diagnosis = diagnose(input.model, input.services, checks, input.notes);
  const failOn = flags.failOn as Severity | 'never';
  const colours = palette(colourWanted(process.stdout, !flags.color));
  process.stdout.write(renderOutput(diagnosis, outputOptions(flags, checks), colours));
  // The tree has no place for notes; the other formats carry them.
  const notFound = new Set(input.notFound);
  if (flags.output === 'tree') {
    for (const note of diagnosis.report.notes)
      if (!notFound.has(note)) process.stderr.write(`note: ${terminalText(note)}\n`);
  }
  for (const line of input.notFound) process.stderr.write(`error: ${terminalText(line)}\n`);
  // Asked about a Service that is not there, a run never passes, whatever --fail-on says.
  if (input.notFound.length > 0) return EXIT.usage;
  return failsAt(diagnosis.report, failOn) ? EXIT.findings : EXIT.ok;
}

/** The tree subcommand: `-o tree` by another name, so -o can say nothing else. */
export function runTree(args: string[], flags: DiagnoseFlags, outputGiven: boolean): Promise<number> {
  if (outputGiven && flags.output !== 'tree') {
    throw new UsageError(
      `the tree subcommand draws trees: for -o ${flags.output}, run kubectl endpoints-doctor without "tree"`,
    );
  }
  return runDiagnose(args, { ...flags, output: 'tree' });
}

export function outputOptions(flags: DiagnoseFlags, checks: Check[]): OutputOptions {
  return {
    output: flags.output as Output,
    failOn: flags.failOn as Severity | 'never',
    checksChosen: checks.length,
    ascii: flags.ascii === true,
    showEndpoints: flags.showEndpoints === true,
  };
}
