// The probe's nodes: which to read (named, all, or those hosting the Services' endpoints), how
// kube-proxy is configured, and each node's rules read from where the options say (exec in its
// kube-proxy pod, a debug pod, this machine, saved files), as a NodeResult per node.

import { hostname } from 'node:os';
import { listSome } from '../checks/helpers.js';
import { ClusterError, InputError, UsageError } from '../core/errors.js';
import type { ClusterModel } from '../model/cluster.js';
import { DEFAULT_SYNC_PERIOD_SECONDS } from '../model/node-comparison.js';
import type { ServiceView } from '../model/service-view.js';
import type { DataplaneNodeReport } from '../report/dataplane-report.js';
import { clientNodeConfig } from '../sources/kubeconfig.js';
import type { Connection } from '../sources/live.js';
import { detectModes, type DataplaneInput } from '../sources/node-rules/detect.js';
import type { NodeDataplane, ProxyMode } from '../sources/node-rules/types.js';
import { detectReplacement, listKubeProxyPods, readKubeProxyConfig, serverVersion } from '../sources/node/cluster.js';
import { deleteLeftoverDebugPods, withDebugPod } from '../sources/node/debug-pod.js';
import { collectRules, type RuleDump, type RunCommand } from '../sources/node/dump-commands.js';
import { localRunner, podRunner } from '../sources/node/exec.js';
import { pickKubeProxyPod, type KubeProxyPod } from '../sources/node/kube-proxy-pod.js';
import { modeFromArgs, modeFromConfig } from '../sources/node/mode.js';
import { dumpInputs, readInputs } from '../sources/node/read.js';
import { readRulesFiles } from '../sources/node/rules-file.js';
import type { ProbeOptions, RulesSource } from './probe-options.js';

/** One node's rules as read: its part of the report, and its dataplane when the rules could be read. */
export interface NodeResult {
  report: DataplaneNodeReport;
  dataplane?: NodeDataplane;
  readAt?: Date;
  kubeProxyPod?: { namespace: string; name: string };
}

type NodeBase = Omit<DataplaneNodeReport, 'notes'> & { notes: string[] };

type NodeChoice = Pick<ProbeOptions, 'node' | 'allNodes' | 'nodesWithEndpoints'>;

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

export function chooseNodes(choice: NodeChoice, model: ClusterModel, views: ServiceView[]): string[] {
  if (choice.node !== undefined) return [knownNode(choice.node, model, true)];
  if (choice.allNodes) {
    if (model.nodes.length === 0) throw new UsageError('--all-nodes: no Nodes could be read; name one with --node');
    return model.nodes.map((n) => n.meta.name);
  }
  if (choice.nodesWithEndpoints) {
    const names = new Set(views.flatMap((v) => v.sliceEndpoints.flatMap((e) => (e.nodeName ? [e.nodeName] : []))));
    if (names.size === 0)
      throw new UsageError('--nodes-with-endpoints: no endpoint of these Services names a node; use --node');
    return [...names].sort();
  }
  return [knownNode(hostname(), model, false)];
}

interface KubeProxySettings {
  /** --mode, else the mode kube-proxy's configuration names. */
  mode?: ProxyMode;
  /** How long kube-proxy may take to catch up with a change (its sync period). */
  lagWindowSeconds: number;
  notes: string[];
}

/** What kube-proxy is configured for, read once for all nodes (from the cluster only). */
export async function readKubeProxySettings(
  { source, mode }: Pick<ProbeOptions, 'source' | 'mode'>,
  conn: Connection | undefined,
): Promise<KubeProxySettings> {
  const settings: KubeProxySettings = { mode, lagWindowSeconds: DEFAULT_SYNC_PERIOD_SECONDS, notes: [] };
  if (!conn || (source !== 'exec' && source !== 'debug-pod')) return settings;
  const configText = await readKubeProxyConfig(conn.api);
  if (configText === undefined) return settings;
  const config = modeFromConfig(configText);
  if (config.unknown)
    settings.notes.push(`kube-proxy's configuration names mode "${config.unknown}": the rules decide`);
  settings.mode ??= config.mode;
  if (config.syncPeriodSeconds) settings.lagWindowSeconds = config.syncPeriodSeconds;
  return settings;
}

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
  const mode = configured ?? shown[0];
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

/** Each node's rules, from where the options say; `configuredMode` is readKubeProxySettings' mode. */
export async function readNodes(
  options: ProbeOptions,
  conn: Connection | undefined,
  nodes: string[],
  configuredMode: ProxyMode | undefined,
): Promise<NodeResult[]> {
  switch (options.source) {
    case 'files': {
      const inputs = await readRulesFiles(options.rulesFiles);
      const base = {
        node: nodes[0],
        proxy: 'kube-proxy' as const,
        source: `from ${options.rulesFiles.join(', ')}`,
        notes: [],
      };
      // Saved rules are as old as the files; the lag allowance is measured from now, which is the best guess.
      return [fromInputs(inputs, options.mode, base, new Date())];
    }
    case 'local':
      return [
        await readWith(localRunner, options.mode, {
          node: nodes[0],
          proxy: 'kube-proxy',
          source: 'on this machine',
          notes: [],
        }),
      ];
    default:
      return readFromCluster(options, conn!, nodes, configuredMode);
  }
}

/** Exec in each node's kube-proxy pod, or in a debug pod on it; an unreadable node among several is said. */
async function readFromCluster(
  options: ProbeOptions,
  conn: Connection,
  nodes: string[],
  configuredMode: ProxyMode | undefined,
): Promise<NodeResult[]> {
  const { api } = conn;
  const { source, scope } = options;
  // client-node does the WebSocket exec (and the debug pod's create and delete).
  const kubeConfig = await clientNodeConfig(conn.resolved.server, () => api.currentRequestOptions());
  const timeoutMs = scope.requestTimeoutMs;
  const kubeProxyPods = await listKubeProxyPods(api, nodes.length === 1 ? nodes[0] : undefined);
  if (source === 'debug-pod') {
    await deleteLeftoverDebugPods({ kubeConfig, namespace: options.debugNamespace });
  }
  let versionImage: string | undefined;
  // The node's own kube-proxy image is there already (also behind an air-gapped mirror) and
  // holds every command the probe runs; the cluster version's upstream image is the fallback.
  const debugImage = async (pod: KubeProxyPod | undefined): Promise<string> => {
    if (options.image) return options.image;
    if (pod?.image) return pod.image;
    if (!versionImage) {
      const version = await serverVersion(api);
      if (!version) throw new UsageError('--debug-pod: the cluster version is unknown, so name an image with --image');
      versionImage = `registry.k8s.io/kube-proxy:${version}`;
    }
    return versionImage;
  };
  const results: NodeResult[] = [];
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
              namespace: options.debugNamespace,
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
  return results;
}

/**
 * No node's rules could be read, so there is nothing to compare: the probe ends as any failed
 * read does, with one line (saved files that hold no rules are bad input).
 */
export function nothingRead(unread: NodeResult[], source: RulesSource): Error {
  const first = unread[0].report;
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
