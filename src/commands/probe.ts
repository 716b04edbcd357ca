// `kubectl endpoints-doctor probe [SERVICE...] --node NODE | --all-nodes | --nodes-with-endpoints`:
// reads what each node's service proxy programmed (exec in its kube-proxy pod by default, a
// debug pod, this machine, or saved files), shows it per Service port, and compares it with the
// EndpointSlices (the dataplane-* checks). Only --debug-pod creates anything in the cluster.

import { hostname } from 'node:os';
import type { Command } from 'commander';
import { listSome } from '../checks/helpers.js';
import { DATAPLANE_CHECKS } from '../checks/index.js';
import { detectModes, type DataplaneInput } from '../sources/node-rules/detect.js';
import type { NodeDataplane, ProxyMode } from '../sources/node-rules/types.js';
import { ClusterError, EXIT, InputError, UsageError } from '../core/errors.js';
import type { ClusterModel } from '../model/cluster.js';
import { colourWanted, palette } from '../render/colour.js';
import { renderOutput, type Output } from '../render/output.js';
import { terminalText } from '../core/terminal-text.js';
import { renderText } from '../render/text.js';
import { buildReport, failsAt } from '../report/report.js';
import { viewService, type ServiceView } from '../model/service-view.js';
import { collectRules, type RuleDump, type RunCommand } from '../sources/node/dump-commands.js';
import { buildNodeProbe, DEFAULT_SYNC_PERIOD_SECONDS, type NodeProbe } from '../model/node-comparison.js';
import { deleteLeftoverDebugPods, withDebugPod } from '../sources/node/debug-pod.js';
import { detectReplacement, listKubeProxyPods, readKubeProxyConfig, serverVersion } from '../sources/node/cluster.js';
import { localRunner, podRunner } from '../sources/node/exec.js';
import { pickKubeProxyPod, type KubeProxyPod } from '../sources/node/kube-proxy-pod.js';
import { modeFromArgs, modeFromConfig } from '../sources/node/mode.js';
import { dumpInputs, readInputs } from '../sources/node/read.js';
import { dataplaneBranches, renderDataplaneText } from '../render/dataplane.js';
import { readRulesFiles } from '../sources/node/rules-file.js';
import { runDataplaneChecks } from '../report/dataplane-checks.js';
import { clientNodeConfig } from '../sources/kubeconfig.js';
import { connect, type Connection } from '../sources/live.js';
import { addScopeFlags, completeScope, loadInput, type ScopeFlags } from './scope.js';
import { describeChecks, SEVERITIES, type Severity } from '../core/findings.js';
import { reportedServicePorts, type DataplaneNodeReport } from '../report/dataplane-report.js';

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

type Source = 'exec' | 'debug-pod' | 'local' | 'files';

function validate(flags: ProbeFlags): { source: Source; mode?: ProxyMode } {
  if (!(PROBE_OUTPUTS as readonly string[]).includes(flags.output)) {
    throw new UsageError(`-o/--output "${flags.output}" is not one of ${PROBE_OUTPUTS.join(', ')}`);
  }
  if (flags.failOn !== 'never' && !SEVERITIES.includes(flags.failOn as Severity)) {
    throw new UsageError(`--fail-on "${flags.failOn}" is not one of error, warning, info, never`);
  }
  if (flags.mode !== undefined && !MODES.includes(flags.mode as ProxyMode)) {
    throw new UsageError(`--mode "${flags.mode}" is not one of ${MODES.join(', ')}`);
  }
  const sources = [flags.debugPod && '--debug-pod', flags.local && '--local', flags.rulesFile && '--rules-file'].filter(
    Boolean,
  );
  if (sources.length > 1) throw new UsageError(`use one of ${sources.join(', ')}, not several`);
  if (flags.image !== undefined && !flags.debugPod) throw new UsageError('--image goes with --debug-pod');
  const source: Source = flags.debugPod ? 'debug-pod' : flags.local ? 'local' : flags.rulesFile ? 'files' : 'exec';
  const choices = [flags.node !== undefined, flags.allNodes === true, flags.nodesWithEndpoints === true].filter(
    Boolean,
  );
  if (choices.length > 1) throw new UsageError('use one of --node, --all-nodes, --nodes-with-endpoints');
  if ((source === 'local' || source === 'files') && (flags.allNodes || flags.nodesWithEndpoints)) {
    throw new UsageError(`${source === 'local' ? '--local' : '--rules-file'} reads one node: name it with --node`);
  }
  if (choices.length === 0 && source !== 'local') {
    throw new UsageError('say which node to probe: --node NODE, --all-nodes or --nodes-with-endpoints');
  }
  if (source === 'files' && flags.node === undefined)
    throw new UsageError('--rules-file needs --node NODE: whose rules they are');
  if (flags.snapshot && (source === 'exec' || source === 'debug-pod')) {
    throw new UsageError('with --snapshot there is no cluster to read rules from: add --rules-file FILE or --local');
  }
  return { source, mode: flags.mode as ProxyMode | undefined };
}

/**
 * A node named on the command line (or this host's name, for --local) must be a Node of the
 * input when the input holds Nodes, as kubectl answers `nodes "x" not found`: a typo would
 * otherwise read as a node with no kube-proxy.
 */
function knownNode(name: string, model: ClusterModel, named: boolean): string {
  if (!model.coverage.nodes || model.node(name)) return name;
  const existing = model.nodes.map((n) => n.meta.name);
  const known = existing.length > 0 ? `Nodes: ${listSome(existing, 5)}` : 'the input holds no Nodes';
  throw new UsageError(
    named
      ? `nodes "${name}" not found (${known})`
      : `this host's name "${name}" is not a Node of the input: name the node with --node (${known})`,
  );
}

function chooseNodes(flags: ProbeFlags, model: ClusterModel, views: ReturnType<typeof viewService>[]): string[] {
  if (flags.node !== undefined) return [knownNode(flags.node, model, true)];
  if (flags.allNodes) {
    if (model.nodes.length === 0) throw new UsageError('--all-nodes: no Nodes could be read; name one with --node');
    return model.nodes.map((n) => n.meta.name);
  }
  if (flags.nodesWithEndpoints) {
    const names = new Set(views.flatMap((v) => v.sliceEndpoints.flatMap((e) => (e.nodeName ? [e.nodeName] : []))));
    if (names.size === 0)
      throw new UsageError('--nodes-with-endpoints: no endpoint of these Services names a node; use --node');
    return [...names].sort();
  }
  return [knownNode(hostname(), model, false)];
}

interface NodeResult {
  report: DataplaneNodeReport;
  dataplane?: NodeDataplane;
  readAt?: Date;
  kubeProxyPod?: { namespace: string; name: string };
}

type NodeBase = Omit<DataplaneNodeReport, 'notes'> & { notes: string[] };

async function readWith(run: RunCommand, configured: ProxyMode | undefined, base: NodeBase): Promise<NodeResult> {
  const dump = await collectRules(run, configured);
  return fromInputs(dumpInputs(dump), configured, base, new Date(), dump.failures);
}

/**
 * The node's dataplane, read in the configured mode, else in the mode the rules show (a
 * disagreement becomes a note). Rules of no mode at all are not an empty dataplane but an unread
 * node: kube-proxy creates its chains, table or virtual servers at its first sync, so their
 * absence means the commands failed or kube-proxy never synced, not that every Service is missing.
 */
function fromInputs(
  inputs: DataplaneInput[],
  configured: ProxyMode | undefined,
  base: NodeBase,
  readAt: Date,
  failures: RuleDump['failures'] = [],
): NodeResult {
  const shown = detectModes(inputs);
  if (shown.length === 0) {
    const configuredText = configured ? `, although kube-proxy is configured for ${configured} mode` : '';
    return {
      report: {
        ...base,
        statement: `no kube-proxy rules found on node ${base.node} ${base.source} (no KUBE-SERVICES chain, kube-proxy nft table or IPVS virtual server${configuredText})`,
        notes: [...base.notes, ...failures.map((f) => `${f.command}: ${f.message}`)],
      },
    };
  }
  if (configured && !shown.includes(configured)) {
    base.notes.push(
      `kube-proxy is configured for ${configured} mode but the rules look like ${shown[0]} mode; read as ${configured}`,
    );
  }
  const mode = configured ?? shown[0]!;
  const dataplane = readInputs(inputs, mode, failures);
  return {
    dataplane,
    readAt,
    report: {
      ...base,
      mode: dataplane.mode,
      ...(dataplane.backend ? { backend: dataplane.backend } : {}),
      families: dataplane.families,
      notes: [...base.notes, ...dataplane.notes],
    },
  };
}

export async function runProbe(args: string[], flags: ProbeFlags): Promise<number> {
  const { source, mode: modeFlag } = validate(flags);
  const scope = completeScope(flags, args, (line) => process.stderr.write(`debug: ${line}\n`));
  const conn: Connection | undefined = flags.snapshot ? undefined : await connect(scope);
  const input = await loadInput(scope, conn);
  if (!input.model.coverage.endpointSlices) {
    throw new UsageError('the input holds no EndpointSlices: the probe compares the rules with them');
  }
  const views = input.services.map((s) => viewService(input.model, s));
  const nodes = chooseNodes(flags, input.model, views);
  const notes = [...input.notes];

  // What kube-proxy is configured for, read once for all nodes.
  let configuredMode: ProxyMode | undefined = modeFlag;
  let lagWindowSeconds = DEFAULT_SYNC_PERIOD_SECONDS;
  if (conn && (source === 'exec' || source === 'debug-pod')) {
    const configText = await readKubeProxyConfig(conn.api);
    if (configText !== undefined) {
      const config = modeFromConfig(configText);
      if (config.unknown) notes.push(`kube-proxy's configuration names mode "${config.unknown}": the rules decide`);
      configuredMode ??= config.mode;
      if (config.syncPeriodSeconds) lagWindowSeconds = config.syncPeriodSeconds;
    }
  }

  const results: NodeResult[] = [];
  if (source === 'files') {
    const inputs = await readRulesFiles(flags.rulesFile!);
    const base = {
      node: nodes[0]!,
      proxy: 'kube-proxy' as const,
      source: `from ${flags.rulesFile!.join(', ')}`,
      notes: [],
    };
    // Saved rules are as old as the files; the lag allowance is measured from now, which is the best guess.
    results.push(fromInputs(inputs, modeFlag, base, new Date()));
  } else if (source === 'local') {
    results.push(
      await readWith(localRunner, modeFlag, {
        node: nodes[0]!,
        proxy: 'kube-proxy',
        source: 'on this machine',
        notes: [],
      }),
    );
  } else {
    const api = conn!.api;
    // client-node does the WebSocket exec (and the debug pod's create and delete).
    const kubeConfig = await clientNodeConfig(conn!.resolved.server, api.requestOptions);
    const timeoutMs = scope.requestTimeoutMs;
    const kubeProxyPods = await listKubeProxyPods(api, nodes.length === 1 ? nodes[0] : undefined);
    if (source === 'debug-pod') {
      await deleteLeftoverDebugPods({ kubeConfig, namespace: flags.debugNamespace });
    }
    let versionImage: string | undefined;
    // The node's own kube-proxy image is there already (also behind an air-gapped mirror) and
    // holds every command the probe runs; the cluster version's upstream image is the fallback.
    const debugImage = async (pod: KubeProxyPod | undefined): Promise<string> => {
      if (flags.image) return flags.image;
      if (pod?.image) return pod.image;
      if (!versionImage) {
        const version = await serverVersion(api);
        if (!version)
          throw new UsageError('--debug-pod: the cluster version is unknown, so name an image with --image');
        versionImage = `registry.k8s.io/kube-proxy:${version}`;
      }
      return versionImage;
    };
    for (const node of nodes) {
      const pod = pickKubeProxyPod(kubeProxyPods, node);
      try {
        if (source === 'debug-pod') {
          const mode = configuredMode ?? (pod ? modeFromArgs(pod.argv) : undefined);
          const image = await debugImage(pod);
          const base = {
            node,
            proxy: pod ? ('kube-proxy' as const) : ('unknown' as const),
            source: `through a debug pod (${image})`,
            notes: [],
          };
          results.push(
            await withDebugPod(
              {
                kubeConfig,
                namespace: flags.debugNamespace,
                nodeName: node,
                image,
                execTimeoutMs: timeoutMs,
                debug: scope.debug,
              },
              (run) => readWith(run, mode, base),
            ),
          );
        } else if (!pod) {
          const replacement = await detectReplacement(api, node);
          results.push({ report: { node, proxy: replacement.proxy, statement: replacement.statement, notes: [] } });
        } else {
          const run = await podRunner(kubeConfig, pod, timeoutMs);
          const mode = configuredMode ?? modeFromArgs(pod.argv);
          const base = {
            node,
            proxy: 'kube-proxy' as const,
            source: `by exec in pod ${pod.namespace}/${pod.name}`,
            notes: [],
          };
          results.push({ ...(await readWith(run, mode, base)), kubeProxyPod: pod });
        }
      } catch (e) {
        // One unreadable node among several is said, and the others are still probed.
        if (!(e instanceof ClusterError || e instanceof InputError) || nodes.length === 1) throw e;
        results.push({
          report: {
            node,
            proxy: pod ? 'kube-proxy' : 'unknown',
            statement: `could not read the rules: ${e.message}`,
            notes: [],
          },
        });
      }
    }
  }

  // A node whose rules were not read has no verdict: never an OK by default.
  const unread = results.filter((r) => !r.dataplane);
  if (unread.length === results.length) throw nothingRead(unread, source);
  for (const r of unread)
    notes.push(`node ${r.report.node} was not compared: its rules were not read (see its statement)`);

  const completeNamespaces: 'all' | Set<string> =
    scope.serviceNames.length > 0 || scope.labelRequirements.length > 0
      ? new Set()
      : scope.allNamespaces || (flags.snapshot && !scope.namespace)
        ? 'all'
        : new Set(input.services.map((s) => s.meta.namespace).concat(scope.namespace ? [scope.namespace] : []));
  const probes: NodeProbe[] = results.flatMap((r) =>
    r.dataplane
      ? [
          buildNodeProbe({
            node: r.report.node,
            dataplane: r.dataplane,
            views,
            model: input.model,
            readAt: r.readAt!,
            lagWindowSeconds,
            completeNamespaces,
            ...(r.kubeProxyPod
              ? { kubeProxyPod: { namespace: r.kubeProxyPod.namespace, name: r.kubeProxyPod.name } }
              : {}),
          }),
        ]
      : [],
  );
  const run = runDataplaneChecks(probes, input.model, DATAPLANE_CHECKS);
  const checkRun = {
    services: views.map(({ service, counts }) => ({ service, counts, skippedChecks: [] })),
    findings: run.findings,
    suppressed: run.suppressed,
    skipped: [],
  };
  const diagnosis = {
    model: input.model,
    run: checkRun,
    report: buildReport(checkRun, notes),
    checks: describeChecks(DATAPLANE_CHECKS),
  };
  const { report } = diagnosis;
  const probeByNode = new Map(probes.map((p) => [p.node, p]));
  report.dataplane = results.map((r) => {
    const probe = probeByNode.get(r.report.node);
    return probe ? { ...r.report, servicePorts: reportedServicePorts(probe, flags.raw === true) } : r.report;
  });

  const colours = palette(colourWanted(process.stdout, !flags.color));
  if (flags.output === 'text') {
    process.stdout.write(renderDataplaneText(report.dataplane, probeByNode, flags.raw === true) + '\n');
    process.stdout.write(renderText(report, diagnosis.checks, colours));
  } else {
    // The tree has no place for statements and notes; the other formats carry them.
    if (flags.output === 'tree')
      for (const r of report.dataplane) if (r.statement) process.stderr.write(`note: ${terminalText(r.statement)}\n`);
    const output = {
      output: flags.output as Output,
      failOn: flags.failOn as Severity | 'never',
      checksChosen: DATAPLANE_CHECKS.length,
      ascii: flags.ascii === true,
      showEndpoints: false,
      branches: (view: ServiceView) => dataplaneBranches(view, probes, flags.ascii === true),
    };
    process.stdout.write(renderOutput(diagnosis, output, colours));
    if (flags.output === 'tree') for (const note of report.notes) process.stderr.write(`note: ${terminalText(note)}\n`);
  }
  if (unread.length > 0) return EXIT.cluster;
  return failsAt(report, flags.failOn as Severity | 'never') ? EXIT.findings : EXIT.ok;
}

/**
 * No node's rules could be read, so there is nothing to compare: the probe ends as any failed
 * read does, with one line (saved files that hold no rules are bad input).
 */
function nothingRead(unread: NodeResult[], source: Source): Error {
  const first = unread[0]!.report;
  const why = [first.statement, ...first.notes.slice(0, 3)].join('; ');
  const message =
    unread.length === 1
      ? why
      : `the rules of none of the ${unread.length} nodes could be read (${listSome(
          unread.map((r) => r.report.node),
          3,
        )}); ${first.node}: ${why}`;
  return source === 'files' ? new InputError(message) : new ClusterError(message);
}
