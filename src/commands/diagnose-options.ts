// The default command's flags and options (diagnose, tree, and their --watch and --interactive
// views): what commander gives, completed into the checks, the scope and the output to render,
// then validated together before anything is read.

import { Option, type Command } from 'commander';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, findCheck, FROM_CHECKS } from '../checks/index.js';
import type { Check, ConnectCheck, FromCheck } from '../checks/types.js';
import { UsageError } from '../core/errors.js';
import { SEVERITIES, type Severity } from '../core/findings.js';
import { colourWanted } from '../render/colour.js';
import { OUTPUTS, TEMPLATE_OUTPUTS, type Output, type OutputOptions } from '../render/output.js';
import { parseColumns, parseTemplate } from '../render/jsonpath.js';
import { parseSortBy } from '../render/sort-by.js';
import { closestMatch } from '../model/similar.js';
import { KINDS } from '../core/kinds.js';
import { addScopeFlags, completeScope, type Scope, type ScopeFlags } from './scope.js';
import type { IOStreams } from './streams.js';
import { addConnectFlags, completeConnect, type ConnectFlags, type ConnectOptions } from './connect.js';
import { addFromFlag, parseFrom, type FromFlags, type FromOptions } from './from.js';

export interface DiagnoseFlags extends ScopeFlags, ConnectFlags, FromFlags {
  output: string;
  ascii?: boolean;
  showEndpoints?: boolean;
  explain?: boolean;
  /** false with --no-headers. */
  headers?: boolean;
  /** false with --show-ok=false (--no-show-ok). */
  showOk?: boolean;
  sortBy?: string;
  failOn: string;
  disable?: string;
  only?: string;
  color: boolean;
  watch?: boolean;
  interactive?: boolean;
}

export interface DiagnoseOptions {
  scope: Scope;
  checks: Check[];
  output: OutputOptions;
  /** Colours in text and tree output: stdout is a terminal, and neither --no-color nor NO_COLOR. */
  colour: boolean;
  watch: boolean;
  interactive: boolean;
  /** Which of stdin and stdout are terminals: -i needs both, --watch redraws on one. */
  terminal: { stdin: boolean; stdout: boolean };
  /** --connect: where from, how long each connection may take, and the connect checks chosen. */
  connect?: ConnectOptions;
  /** --from: the client, and the --from checks chosen. */
  from?: FromOptions & { checks: FromCheck[] };
}

export function addDiagnoseFlags(command: Command): Command {
  addScopeFlags(command)
    .option(
      '-o, --output <format>',
      `output format: ${OUTPUTS.join(', ')}, jsonpath=TEMPLATE, custom-columns=SPEC (junit: test results for CI; markdown: CI job summaries, PR comments)`,
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
    .option('-v, --explain', 'text output: why each check matters, and more of the pods involved')
    .option('--no-headers', 'text and wide output: no head row in the table')
    .option(
      '--sort-by <field>',
      'text, wide and name output: order Services by a field of their report entry: .status (worst first), .metadata.name, .endpoints.ready...',
    )
    .option(
      '--show-ok',
      'text and wide output: list healthy Services in the table (the default; --show-ok=false hides them)',
      true,
    )
    .addOption(new Option('--no-show-ok').hideHelp())
    .option('--ascii', 'tree output with ASCII instead of box-drawing characters')
    .option('--show-endpoints', 'tree output: add the legacy Endpoints (v1) object as a branch')
    .option('--for <type/name>', `diagnose the Services one object names, reading only what they need: ${FOR_TYPES}`)
    .option('-w, --watch', 'keep watching: redraw on a terminal, else print one line per change')
    .option('-i, --interactive', 'browse Services in a terminal view (keys: ? for help)');
  return addFromFlag(addConnectFlags(command));
}

/** The TYPEs --for takes, as its help lists them: "ingress/NAME (also ingresses/, ing/), apiservice/NAME (also apiservices/)". */
const FOR_TYPES = KINDS.flatMap(({ forNames }) =>
  forNames
    ? [
        `${forNames[0]}/NAME (also ${forNames
          .slice(1)
          .map((n) => `${n}/`)
          .join(', ')})`,
      ]
    : [],
).join(', ');

/** -o, as diagnose and the probe check it. */
export function parseOutput<T extends string>(text: string, outputs: readonly T[]): T {
  if (!(outputs as readonly string[]).includes(text)) {
    throw new UsageError(`-o/--output "${text}" is not one of ${outputs.join(', ')}`);
  }
  return text as T;
}

/** --fail-on, as diagnose and the probe check it. */
export function parseFailOn(text: string): Severity | 'never' {
  if (text !== 'never' && !SEVERITIES.includes(text as Severity)) {
    throw new UsageError(`--fail-on "${text}" is not one of error, warning, info, never`);
  }
  return text as Severity | 'never';
}

/** A check id that is none, with the one it most likely meant. */
export function unknownCheck(id: string): string {
  const meant = closestMatch(
    id,
    [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS].map((c) => c.id),
  );
  return `unknown check "${id}" (${meant ? `did you mean ${meant}? ` : ''}kubectl endpoints-doctor checks lists them)`;
}

/** The checks a list of ids names: the diagnosis's, and (with --connect, --from) theirs. */
function checkList(flag: string, text: string, connect: boolean, from: boolean): (Check | ConnectCheck | FromCheck)[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => {
      const check = findCheck(id) ?? CONNECT_CHECKS.find((c) => c.id === id) ?? FROM_CHECKS.find((c) => c.id === id);
      if (!check && DATAPLANE_CHECKS.some((c) => c.id === id)) {
        throw new UsageError(`${flag}: ${id} compares a node's rules: kubectl endpoints-doctor probe runs it`);
      }
      if (!check) throw new UsageError(`${flag}: ${unknownCheck(id)}`);
      if (!connect && CONNECT_CHECKS.some((c) => c === check)) {
        throw new UsageError(`${flag}: ${id} judges connections: it runs only with --connect`);
      }
      if (!from && FROM_CHECKS.some((c) => c === check)) {
        throw new UsageError(`${flag}: ${id} judges a client's view: it runs only with --from`);
      }
      return check;
    });
}

function chooseChecks(
  only: string | undefined,
  disable: string | undefined,
  connect: boolean,
  from: boolean,
): { checks: Check[]; connectChecks: ConnectCheck[]; fromChecks: FromCheck[] } {
  if (only !== undefined && disable !== undefined) throw new UsageError('use --only or --disable, not both');
  let keep: (check: Check | ConnectCheck | FromCheck) => boolean;
  if (only !== undefined) {
    const chosen = new Set(checkList('--only', only, connect, from));
    keep = (check) => chosen.has(check);
  } else {
    const disabled = new Set(disable !== undefined ? checkList('--disable', disable, connect, from) : []);
    keep = (check) => !disabled.has(check);
  }
  return {
    checks: CHECKS.filter(keep),
    connectChecks: connect ? CONNECT_CHECKS.filter(keep) : [],
    fromChecks: from ? FROM_CHECKS.filter(keep) : [],
  };
}

/** -o for diagnose: a format, or jsonpath=TEMPLATE / custom-columns=SPEC with the template parsed. */
function parseDiagnoseOutput(text: string): Pick<OutputOptions, 'output' | 'template' | 'columns'> {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (name === 'jsonpath' || name === 'custom-columns') {
    if (eq < 0) {
      const example =
        name === 'jsonpath' ? "jsonpath='{.services[*].name}'" : 'custom-columns=NAME:.name,STATUS:.status';
      throw new UsageError(`-o ${name} needs a template: -o ${example}`);
    }
    const value = text.slice(eq + 1);
    return name === 'jsonpath'
      ? { output: name, template: parseTemplate(value) }
      : { output: name, columns: parseColumns(value) };
  }
  if (!(OUTPUTS as readonly string[]).includes(text)) {
    throw new UsageError(
      `-o/--output "${text}" is not one of ${OUTPUTS.join(', ')}, ${TEMPLATE_OUTPUTS.map((o) => `${o}=...`).join(', ')}`,
    );
  }
  return { output: text as Output };
}

export function completeDiagnose(args: string[], flags: DiagnoseFlags, streams: IOStreams): DiagnoseOptions {
  const parsedOutput = parseDiagnoseOutput(flags.output);
  const failOn = parseFailOn(flags.failOn);
  const { checks, connectChecks, fromChecks } = chooseChecks(
    flags.only,
    flags.disable,
    flags.connect === true,
    flags.from !== undefined,
  );
  const connect = completeConnect(flags, connectChecks);
  const from = flags.from !== undefined ? { ...parseFrom(flags.from), checks: fromChecks } : undefined;
  return {
    scope: completeScope(flags, args, streams),
    checks,
    output: {
      ...parsedOutput,
      failOn,
      checksChosen: checks.length + connectChecks.length + fromChecks.length,
      ascii: flags.ascii === true,
      showEndpoints: flags.showEndpoints === true,
      explain: flags.explain === true,
      noHeaders: flags.headers === false,
      hideOk: flags.showOk === false,
      sortBy: flags.sortBy === undefined ? undefined : parseSortBy(flags.sortBy),
    },
    colour: colourWanted(streams.out, !flags.color),
    watch: flags.watch === true,
    interactive: flags.interactive === true,
    terminal: { stdin: streams.in.isTTY === true, stdout: streams.out.isTTY === true },
    ...(connect ? { connect } : {}),
    ...(from ? { from } : {}),
  };
}

/** The -o formats --watch keeps up to date; junit, markdown and name are reports of one run. */
const WATCH_OUTPUTS: readonly Output[] = ['text', 'wide', 'tree', 'json', 'yaml'];
/** -i draws its own list and trees. */
const INTERACTIVE_OUTPUTS: readonly Output[] = ['text', 'tree'];

/** What --watch and --interactive cannot do, refused before anything is read. */
export function validateDiagnose({
  watch,
  interactive,
  output: { output },
  scope,
  terminal,
  connect,
}: DiagnoseOptions): void {
  if (watch && interactive) throw new UsageError('use --watch or --interactive, not both');
  if (connect && watch) throw new UsageError('--connect runs once: --watch does not take it yet');
  if (watch && !WATCH_OUTPUTS.includes(output)) {
    throw new UsageError(
      `--watch prints ${WATCH_OUTPUTS.join(', ')}: -o ${output} is the report of one run (drop --watch)`,
    );
  }
  if (interactive && !INTERACTIVE_OUTPUTS.includes(output)) {
    throw new UsageError(`--interactive draws its own view: -o ${output} is for a run without -i`);
  }
  if (watch && scope.snapshot) {
    throw new UsageError('--watch needs a live cluster: a --snapshot never changes (use -i to browse a snapshot)');
  }
  // A live watch follows a namespace, not the Services an object names (which may be in others):
  // refused rather than watching a scope the flag did not ask for.
  if (scope.referrer && (watch || (interactive && !scope.snapshot))) {
    throw new UsageError(
      `--for follows one object's Services in one run: ${watch ? '--watch' : '--interactive on a live cluster'} does not take it yet (name the Services instead: svc/NAME...)`,
    );
  }
  if (interactive && !(terminal.stdout && terminal.stdin)) {
    throw new UsageError(
      '--interactive needs a terminal (stdin and stdout are not both a TTY); use --watch for one line per change, or neither flag',
    );
  }
}
