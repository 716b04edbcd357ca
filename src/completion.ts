// Shell completion for `kubectl endpoints-doctor <TAB>`. kubectl 1.26+ runs the executable
// kubectl_complete-endpoints_doctor with the words after the plugin name (the last one is the
// word being completed, "" for a new word) and expects cobra's __complete answer: one
// candidate per line (optionally "candidate<TAB>description"), then a ":<directive>" line.
// Subcommands and flags come from the commander program itself, so they cannot drift.

import { Command, type Option } from 'commander';
import { findOption, goBool, takesValue } from './argv.js';
import { CHECKS } from './checks/index.js';
import { CONNECT_FROM_VALUES } from './commands/connect.js';
import { FROM_TYPES } from './commands/from.js';
import { addConfigFlags, kubeconfigOptions, type ClusterFlags } from './commands/config-flags.js';
import { PROBE_OUTPUTS } from './commands/probe-options.js';
import { SNAPSHOT_OUTPUTS } from './commands/snapshot.js';
import { OUTPUTS } from './render/output.js';
import { markStdinUnavailable } from './sources/exec-credential.js';
import { connect } from './sources/live.js';
import { kubeconfigNames } from './sources/kubeconfig.js';
import { SEVERITIES } from './core/findings.js';
import { isJsonArray, stringAt, valueAt } from './core/json-value.js';
import { collectionPath, KINDS, kindSpec, type KnownKind } from './core/kinds.js';

/** cobra's ShellCompDirective bits. */
const DIRECTIVE = { fileCompletion: 0, noSpace: 2, noFileCompletion: 4 } as const;

interface Completion {
  /** "candidate" or "candidate\tdescription". */
  candidates: string[];
  directive: number;
}

/** What completion looks up: in the cluster the typed flags point at, or in the kubeconfig. */
type Lookup = (what: LookupKind, flags: ClusterFlags) => Promise<string[]>;
/** What is looked up; a kind of the table that refers to Services (forNames): its objects, for --for TYPE/. */
type LookupKind = 'services' | 'namespaces' | 'nodes' | 'contexts' | 'clusters' | 'users' | KnownKind;

/**
 * A slow or unreachable cluster gives no Service names, quietly, rather than a stuck shell.
 * Credentials get longer: an exec plugin (cloud token helpers) can take seconds.
 */
const CREDENTIALS_DEADLINE_MS = 10_000;
const REQUEST_TIMEOUT_MS = 3000;
const LIST_DEADLINE_MS = 5000;
const SERVICE_PREFIX = /^(svc|service|services)\//;

/** The connection flags (every command's): the words typed so far say with them where to find Services, and as whom. */
const CLUSTER_OPTIONS = addConfigFlags(new Command()).options.filter(
  (o) => o.long !== '--request-timeout' && o.long !== '--debug',
);

/** A connection flag's value kept as commander gives it (--as-group collects, a boolean is true or false). */
function keepClusterFlag(flags: ClusterFlags, option: Option, value: string | boolean): void {
  if (!CLUSTER_OPTIONS.some((o) => o.long === option.long)) return;
  const kept = flags as Record<string, unknown>;
  const name = option.attributeName();
  kept[name] = typeof value === 'string' && option.parseArg ? option.parseArg(value, kept[name]) : value;
}

function optionNames(option: Option): string[] {
  return [option.long, option.short].filter((n): n is string => Boolean(n));
}

interface Typed {
  command: Command;
  positionals: string[];
  flags: ClusterFlags;
  allNamespaces: boolean;
  /** The flag whose value is being completed (`-o <TAB>`), if any. */
  pendingValueOf?: Option;
  /** No subcommand typed: subcommand names are candidates, and --version is a flag. */
  rootLevel: boolean;
}

/**
 * Reads the words typed so far: the command (the first bare word naming one, as argv.ts's
 * subcommandFirst does, else diagnose, the default), the positionals and the cluster flags.
 */
function readTyped(program: Command, words: string[]): Typed {
  let command: Command | undefined;
  let pendingValueOf: Option | undefined;
  const positionals: string[] = [];
  const flags: ClusterFlags = {};
  let allNamespaces = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('-') && word !== '-') {
      const eq = word.indexOf('=');
      const flag = eq > 0 ? word.slice(0, eq) : word;
      // Flags may come before the subcommand: look in every command for one that knows it.
      const option =
        (command && findOption(command, flag)) ?? program.commands.map((c) => findOption(c, flag)).find(Boolean);
      if (!option) continue;
      if (option.long === '--all-namespaces') allNamespaces = true;
      if (!takesValue(option)) {
        keepClusterFlag(flags, option, eq < 0 || goBool(word.slice(eq + 1)) === true);
        continue;
      }
      if (eq < 0 && i === words.length - 1) {
        pendingValueOf = option;
        break;
      }
      keepClusterFlag(flags, option, eq > 0 ? word.slice(eq + 1) : words[++i]);
      continue;
    }
    const subcommand =
      !command && positionals.length === 0 ? program.commands.find((c) => c.name() === word) : undefined;
    if (subcommand) command = subcommand;
    else positionals.push(word);
  }
  const chosen = command ?? program.commands.find((c) => c.name() === 'diagnose')!;
  return {
    command: chosen,
    positionals,
    flags,
    allNamespaces,
    // -o means one thing to diagnose and another to snapshot: the chosen command's option.
    pendingValueOf: pendingValueOf && (findOption(chosen, pendingValueOf.long!) ?? pendingValueOf),
    rootLevel: !command,
  };
}

function flagCandidates(program: Command, command: Command, rootLevel: boolean): string[] {
  const options = rootLevel ? [...command.options, ...program.options] : command.options;
  const candidates = options.flatMap((o) => optionNames(o).map((name) => `${name}\t${o.description}`));
  candidates.push('--help\tshow help', '-h\tshow help');
  return candidates;
}

/** -o values of the commands whose formats differ from diagnose's (tree takes only its own). */
const OUTPUTS_BY_COMMAND: Record<string, readonly string[]> = {
  snapshot: SNAPSHOT_OUTPUTS,
  probe: PROBE_OUTPUTS,
  tree: ['tree'],
};

/** A flag whose values are names looked up: in the cluster (namespaces, nodes) or the kubeconfig. */
const LOOKED_UP: Record<string, LookupKind> = {
  '--namespace': 'namespaces',
  '--node': 'nodes',
  '--context': 'contexts',
  '--cluster': 'clusters',
  '--user': 'users',
};

function flagValues(
  command: Command,
  option: Option,
): { values: string[]; commaList?: boolean; files?: boolean; prefixes?: boolean } {
  switch (option.long) {
    case '--for':
      // wait's condition; diagnose's --for TYPE/NAME is completed by completeFor.
      return { values: ['ready=1\tat least one ready endpoint', 'all-ready\tevery matched pod is a ready endpoint'] };
    case '--output':
      return { values: [...(OUTPUTS_BY_COMMAND[command.name()] ?? OUTPUTS)] };
    case '--fail-on':
      return { values: [...SEVERITIES, 'never'] };
    case '--only':
    case '--disable':
      return { values: CHECKS.map((c) => `${c.id}\t${c.title}`), commaList: true };
    case '--connect-from':
      // pod/ and node/ are prefixes the name follows: no space after.
      return { values: CONNECT_FROM_VALUES, prefixes: true };
    case '--from':
      // The kinds of client, each a prefix the name follows: no space after.
      return { values: FROM_TYPES, prefixes: true };
    case '--kubeconfig':
    case '--snapshot':
    case '--certificate-authority':
    case '--client-certificate':
    case '--client-key':
    case '--rules-file':
      return { values: [], files: true };
    default:
      return { values: [] };
  }
}

function startingWith(prefix: string, candidates: string[]): string[] {
  return candidates.filter((c) => c.startsWith(prefix));
}

async function completeValue(
  command: Command,
  option: Option,
  toComplete: string,
  lookup: Lookup,
  flags: ClusterFlags,
  flagPrefix = '',
): Promise<Completion> {
  // --connect-from pod/NAME: the pods of the namespace the flags name; node/NAME: the nodes.
  const vantage = option.long === '--connect-from' ? /^(?:(pods?|po)|nodes?|no)\//.exec(toComplete) : undefined;
  if (vantage) {
    const names = await lookup(vantage[1] ? 'Pod' : 'nodes', flags).catch(() => []);
    return {
      candidates: startingWith(
        flagPrefix + toComplete,
        names.map((n) => flagPrefix + vantage[0] + n),
      ),
      directive: DIRECTIVE.noFileCompletion,
    };
  }
  const lookedUp = LOOKED_UP[option.long ?? ''];
  const { values, commaList, files, prefixes } = lookedUp
    ? { values: await lookup(lookedUp, flags).catch(() => []), commaList: false, files: false, prefixes: false }
    : flagValues(command, option);
  if (files) return { candidates: [], directive: DIRECTIVE.fileCompletion };
  if (commaList) {
    // --only a,b,<TAB>: complete the last id, keeping the ones before it.
    const done = toComplete.slice(0, toComplete.lastIndexOf(',') + 1);
    const chosen = new Set(done.split(',').filter(Boolean));
    const left = values.filter((v) => !chosen.has(v.split('\t')[0]));
    return {
      candidates: startingWith(
        flagPrefix + toComplete,
        left.map((v) => flagPrefix + done + v),
      ),
      directive: DIRECTIVE.noSpace | DIRECTIVE.noFileCompletion,
    };
  }
  return {
    candidates: startingWith(
      flagPrefix + toComplete,
      values.map((v) => flagPrefix + v),
    ),
    directive: prefixes ? DIRECTIVE.noSpace | DIRECTIVE.noFileCompletion : DIRECTIVE.noFileCompletion,
  };
}

/**
 * diagnose's --for TYPE/NAME: the TYPE names first (ending in "/", no space after), then the
 * objects of that kind in the namespace the flags name, looked up as Service names are.
 */
async function completeFor(
  toComplete: string,
  lookup: Lookup,
  flags: ClusterFlags,
  flagPrefix = '',
): Promise<Completion> {
  const slash = toComplete.indexOf('/');
  if (slash < 0) {
    const types = KINDS.flatMap((k) => (k.forNames ?? []).map((name) => `${flagPrefix}${name}/`));
    return {
      candidates: startingWith(flagPrefix + toComplete, types),
      directive: DIRECTIVE.noSpace | DIRECTIVE.noFileCompletion,
    };
  }
  const type = toComplete.slice(0, slash + 1);
  const kind = KINDS.find((k) => k.forNames?.includes(type.slice(0, -1).toLowerCase()));
  const names = kind ? await lookup(kind.kind, flags).catch(() => []) : [];
  return {
    candidates: startingWith(
      flagPrefix + toComplete,
      names.map((n) => flagPrefix + type + n),
    ),
    directive: DIRECTIVE.noFileCompletion,
  };
}

async function withDeadline<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([work.catch(() => fallback), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names from the cluster the flags point at (Services in the namespace they name, else the context's); none on any failure. */
async function listFromCluster(what: 'services' | 'namespaces' | KnownKind, flags: ClusterFlags): Promise<string[]> {
  const connecting = connect({ ...kubeconfigOptions(flags), requestTimeoutMs: REQUEST_TIMEOUT_MS, debug: () => {} });
  const conn = await withDeadline(connecting, CREDENTIALS_DEADLINE_MS, undefined);
  if (!conn) return [];
  const namespace = flags.namespace ?? conn.defaultNamespace;
  const path =
    what === 'services'
      ? collectionPath(kindSpec('Service'), namespace)
      : what === 'namespaces'
        ? '/api/v1/namespaces'
        : collectionPath(kindSpec(what), namespace);
  const page = await withDeadline(conn.api.get(path, { limit: '500' }), LIST_DEADLINE_MS, undefined);
  const items = valueAt(page?.body, 'items');
  return (isJsonArray(items) ? items : [])
    .map((item) => stringAt(item, 'metadata', 'name'))
    .filter((name): name is string => name !== undefined)
    .sort();
}

const lookUp: Lookup = (what, flags) => {
  if (what === 'contexts' || what === 'clusters' || what === 'users') {
    return Promise.resolve(kubeconfigNames(kubeconfigOptions(flags))[what]);
  }
  return listFromCluster(what === 'nodes' ? 'Node' : what, flags);
};

async function complete(program: Command, words: string[], lookup: Lookup): Promise<Completion> {
  const toComplete = words.at(-1) ?? '';
  const typed = readTyped(program, words.slice(0, -1));
  const { command, positionals, flags } = typed;

  const forReferrer = (option: Option) => option.long === '--for' && command.name() !== 'wait';
  // The value of a flag: `-o <TAB>` or `--output=<TAB>`.
  if (typed.pendingValueOf) {
    if (forReferrer(typed.pendingValueOf)) return completeFor(toComplete, lookup, flags);
    return completeValue(command, typed.pendingValueOf, toComplete, lookup, flags);
  }
  if (toComplete.startsWith('--') && toComplete.includes('=')) {
    const flag = toComplete.slice(0, toComplete.indexOf('='));
    const option = findOption(command, flag);
    if (!option || !takesValue(option)) return { candidates: [], directive: DIRECTIVE.noFileCompletion };
    const value = toComplete.slice(flag.length + 1);
    if (forReferrer(option)) return completeFor(value, lookup, flags, `${flag}=`);
    return completeValue(command, option, value, lookup, flags, `${flag}=`);
  }
  if (toComplete.startsWith('-')) {
    return {
      candidates: startingWith(toComplete, flagCandidates(program, command, typed.rootLevel)),
      directive: DIRECTIVE.noFileCompletion,
    };
  }

  // Positional words: subcommands first, then check ids (explain) or Service names.
  const candidates: string[] = [];
  if (typed.rootLevel && positionals.length === 0) {
    candidates.push(...program.commands.map((c) => `${c.name()}\t${c.description()}`));
  }
  if (command.name() === 'explain') {
    if (positionals.length === 0) candidates.push(...CHECKS.map((c) => `${c.id}\t${c.title}`));
  } else if (command.name() !== 'checks' && !typed.allNamespaces) {
    // A Service cannot be named with -A; names already given are not offered again.
    const given = new Set(positionals.map((p) => p.replace(SERVICE_PREFIX, '')));
    const kind = SERVICE_PREFIX.exec(toComplete)?.[0] ?? '';
    const names = await lookup('services', flags).catch(() => []);
    for (const n of names) if (!given.has(n)) candidates.push(kind + n);
  }
  return { candidates: startingWith(toComplete, candidates), directive: DIRECTIVE.noFileCompletion };
}

/** `kubectl-endpoints_doctor __complete WORDS...`: prints the answer; never fails. */
export async function runCompletion(program: Command, words: string[]): Promise<never> {
  let answer: Completion;
  // The shell's line is being edited: an exec plugin must not prompt on the terminal.
  markStdinUnavailable();
  try {
    answer = await complete(program, words, lookUp);
  } catch {
    answer = { candidates: [], directive: DIRECTIVE.noFileCompletion };
  }
  const text = [...answer.candidates, `:${answer.directive}`].join('\n') + '\n';
  // A listing cut off by the deadline may still hold the event loop (a pending request or a
  // retry): exit as soon as the answer is written, so the shell does not wait for it.
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  process.exit(0);
}
