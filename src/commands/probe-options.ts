// The probe's flags and options: where the rules come from (one source), which nodes to read,
// and how to print the comparison; completed, then validated together before anything is read.

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Severity } from '../core/findings.js';
import { colourWanted } from '../render/colour.js';
import type { ProxyMode } from '../sources/node-rules/types.js';
import { parseFailOn, parseOutput } from './diagnose-options.js';
import { addScopeFlags, completeScope, type Scope, type ScopeFlags } from './scope.js';
import type { IOStreams } from './streams.js';

export const PROBE_OUTPUTS = ['text', 'json', 'yaml', 'tree'] as const;
const MODES: ProxyMode[] = ['iptables', 'nftables', 'ipvs'];

export interface ProbeFlags extends ScopeFlags {
  node?: string;
  allNodes?: boolean;
  nodesWithEndpoints?: boolean;
  output: string;
  raw?: boolean;
  failOn: string;
  color: boolean;
  ascii?: boolean;
  debugPod?: boolean;
  image?: string;
  debugNamespace: string;
  local?: boolean;
  rulesFile?: string[];
  mode?: string;
}

/** Where the rules come from: exec in kube-proxy (the default), a debug pod, this machine, saved files. */
export type RulesSource = 'exec' | 'debug-pod' | 'local' | 'files';

export interface ProbeOptions {
  scope: Scope;
  output: (typeof PROBE_OUTPUTS)[number];
  failOn: Severity | 'never';
  /** --mode: the proxy mode, when the rules cannot tell. */
  mode?: ProxyMode;
  /** The flags given that each name a source of rules: more than one is refused. */
  sourceFlags: string[];
  source: RulesSource;
  /** --node, --all-nodes, --nodes-with-endpoints as given: at most one of them. */
  node?: string;
  allNodes: boolean;
  nodesWithEndpoints: boolean;
  /** --debug-pod's image (default: chosen per node) and namespace. */
  image?: string;
  debugNamespace: string;
  rulesFiles: string[];
  raw: boolean;
  ascii: boolean;
  colour: boolean;
}

export const PROBE_HELP = `
Where the rules come from:
  (default)          exec read-only commands (iptables-save, nft -j list, cat /proc/net/ip_vs, ipset save)
                     in the node's kube-proxy pod (kube-system); needs create on pods/exec there
  --debug-pod        the ONLY flag that creates anything: a short-lived pod on the node (host network,
                     NET_ADMIN and NET_RAW only, like kubectl debug node/NODE --profile=netadmin), deleted
                     afterwards, also on errors, Ctrl-C, SIGTERM and SIGHUP; the next run deletes any
                     an earlier one left
  --local            run the commands on this machine (run the probe on the node itself, as root)
  --rules-file FILE  saved iptables-save, nft -j, /proc/net/ip_vs, ipvsadm-save -n or ipset save output,
                     with --snapshot for a fully offline comparison

Examples:
  kubectl endpoints-doctor probe -n shop web --node node-a
  kubectl endpoints-doctor probe -n shop web --nodes-with-endpoints -o tree
  kubectl endpoints-doctor probe -A --node node-a --snapshot cluster.yaml --rules-file node-a.iptables`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addProbeFlags(command: Command): Command {
  return addScopeFlags(command)
    .option('--node <name>', 'the node to probe (default with --local: this host name)')
    .option('--all-nodes', 'probe every node')
    .option('--nodes-with-endpoints', "probe the nodes that host the Services' endpoints")
    .option('-o, --output <format>', `output format: ${PROBE_OUTPUTS.join(', ')}`, 'text')
    .option('--raw', 'show the rule lines behind each Service port')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: error, warning, info, never', 'error')
    .option('--no-color', 'no colours in text and tree output (NO_COLOR is respected too)')
    .option('--ascii', 'tree output with ASCII instead of box-drawing characters')
    .option('--debug-pod', 'read the rules from a short-lived debug pod on the node (creates, then deletes, a pod)')
    .option(
      '--image <image>',
      "image of the --debug-pod (default: the node's kube-proxy image, else registry.k8s.io/kube-proxy of the cluster version)",
    )
    .option('--debug-namespace <ns>', 'namespace of the --debug-pod', 'kube-system')
    .option('--local', 'read the rules of this machine (run on the node)')
    .option('--rules-file <file>', 'read saved rules from a file (repeatable)', collect)
    .option('--mode <mode>', `the proxy mode, when the rules cannot tell: ${MODES.join(', ')}`);
}

function parseMode(text: string | undefined): ProxyMode | undefined {
  if (text !== undefined && !MODES.includes(text as ProxyMode)) {
    throw new UsageError(`--mode "${text}" is not one of ${MODES.join(', ')}`);
  }
  return text as ProxyMode | undefined;
}

export function completeProbe(args: string[], flags: ProbeFlags, streams: IOStreams): ProbeOptions {
  const output = parseOutput(flags.output, PROBE_OUTPUTS);
  const failOn = parseFailOn(flags.failOn);
  const mode = parseMode(flags.mode);
  const sourceFlags = [
    flags.debugPod && '--debug-pod',
    flags.local && '--local',
    flags.rulesFile && '--rules-file',
  ].filter((flag): flag is string => typeof flag === 'string');
  return {
    scope: completeScope(flags, args, streams),
    output,
    failOn,
    mode,
    sourceFlags,
    source: flags.debugPod ? 'debug-pod' : flags.local ? 'local' : flags.rulesFile ? 'files' : 'exec',
    node: flags.node,
    allNodes: flags.allNodes === true,
    nodesWithEndpoints: flags.nodesWithEndpoints === true,
    image: flags.image,
    debugNamespace: flags.debugNamespace,
    rulesFiles: flags.rulesFile ?? [],
    raw: flags.raw === true,
    ascii: flags.ascii === true,
    colour: colourWanted(streams.out, !flags.color),
  };
}

/** Exactly one source of rules, and the nodes to read named as that source can read them. */
export function validateProbe(options: ProbeOptions): void {
  const { source, sourceFlags } = options;
  if (sourceFlags.length > 1) throw new UsageError(`use one of ${sourceFlags.join(', ')}, not several`);
  if (options.image !== undefined && source !== 'debug-pod') throw new UsageError('--image goes with --debug-pod');
  const choices = [options.node !== undefined, options.allNodes, options.nodesWithEndpoints].filter(Boolean);
  if (choices.length > 1) throw new UsageError('use one of --node, --all-nodes, --nodes-with-endpoints');
  if ((source === 'local' || source === 'files') && (options.allNodes || options.nodesWithEndpoints)) {
    throw new UsageError(`${source === 'local' ? '--local' : '--rules-file'} reads one node: name it with --node`);
  }
  if (choices.length === 0 && source !== 'local') {
    throw new UsageError('say which node to probe: --node NODE, --all-nodes or --nodes-with-endpoints');
  }
  if (source === 'files' && options.node === undefined)
    throw new UsageError('--rules-file needs --node NODE: whose rules they are');
  if (options.scope.snapshot && (source === 'exec' || source === 'debug-pod')) {
    throw new UsageError('with --snapshot there is no cluster to read rules from: add --rules-file FILE or --local');
  }
}
