// --from: the client whose view of each Service the diagnosis adds (which backends NetworkPolicies
// let it reach, and whether it can resolve names at all). The flag's value parsed into a ClientSpec,
// and the client found in the model once the input is read: a client the input does not hold is a
// usage error (exit 2), never a silent pass.

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { addressRange } from '../core/ip.js';
import { dns1123LabelError, dns1123SubdomainError } from '../core/names.js';
import type { ClusterModel } from '../model/cluster.js';
import { resolveClient, type Client, type ClientSpec } from '../model/reachability.js';
import { closestMatch } from '../model/similar.js';
import { isClusterDnsService, readForClient, type ClientReads } from '../sources/from-client.js';
import type { ExtraReads } from './scope.js';

export interface FromFlags {
  from?: string;
}

/** What --from was given: the text, as reports show it, and what it names. */
export interface FromOptions {
  text: string;
  spec: ClientSpec;
}

/** The TYPEs --from takes, by each of their names (kubectl's short names too). */
const TYPES = new Map<string, Exclude<ClientSpec['kind'], 'CIDR'> | 'CIDR'>([
  ['pod', 'Pod'],
  ['pods', 'Pod'],
  ['po', 'Pod'],
  ['deployment', 'Deployment'],
  ['deployments', 'Deployment'],
  ['deploy', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['statefulsets', 'StatefulSet'],
  ['sts', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['daemonsets', 'DaemonSet'],
  ['ds', 'DaemonSet'],
  ['replicaset', 'ReplicaSet'],
  ['replicasets', 'ReplicaSet'],
  ['rs', 'ReplicaSet'],
  ['namespace', 'Namespace'],
  ['namespaces', 'Namespace'],
  ['ns', 'Namespace'],
  ['cidr', 'CIDR'],
]);

/** --from's completion: each TYPE's first name, with a slash and no space after. */
export const FROM_TYPES = [
  'pod/\ta pod',
  'deployment/\tthe pods of a Deployment',
  'statefulset/\tthe pods of a StatefulSet',
  'daemonset/\tthe pods of a DaemonSet',
  'replicaset/\tthe pods of a ReplicaSet',
  'namespace/\ta pod with no labels in a namespace',
  'cidr/\taddresses outside the cluster, e.g. cidr/203.0.113.0/24',
];

const USAGE =
  'e.g. --from pod/NAME, deployment/NAME, namespace/NAME, cidr/203.0.113.0/24, or NAMESPACE/pod/NAME for another namespace';

export function addFromFlag(command: Command): Command {
  return command.option(
    '--from <client>',
    'also show each Service as this client sees it: which backends NetworkPolicies let it reach, and whether it can reach the cluster DNS (pod/NAME, deployment/NAME, statefulset/NAME, daemonset/NAME, replicaset/NAME, namespace/NAME, cidr/CIDR; NAMESPACE/pod/NAME for another namespace)',
  );
}

/** --from's value: [NAMESPACE/]TYPE/NAME, namespace/NAME or cidr/CIDR. */
export function parseFrom(text: string): FromOptions {
  const parts = text.split('/');
  if (parts[0].toLowerCase() === 'cidr') {
    const cidr = parts.slice(1).join('/');
    const range = addressRange(cidr);
    if (!range) throw new UsageError(`--from "${text}": "${cidr}" is not an IP address or CIDR (${USAGE})`);
    return { text, spec: { kind: 'CIDR', cidr, range } };
  }
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`--from "${text}" is not TYPE/NAME (${USAGE})`);
  }
  const [namespace, typeText, name] = parts.length === 3 ? parts : [undefined, parts[0], parts[1]];
  const type = typeText.toLowerCase();
  const kind = TYPES.get(type);
  if (!kind) {
    const meant = closestMatch(type, [...TYPES.keys()]);
    throw new UsageError(
      `--from: "${typeText}" is not a kind of client (${meant ? `did you mean ${meant}? ` : ''}${USAGE})`,
    );
  }
  if (kind === 'CIDR') throw new UsageError(`--from "${text}": a CIDR is in no namespace (--from cidr/CIDR)`);
  if (namespace !== undefined) {
    const problem = dns1123LabelError(namespace);
    if (problem) throw new UsageError(`--from: "${namespace}" is not a valid namespace name: ${problem}`);
  }
  if (kind === 'Namespace') {
    if (namespace !== undefined)
      throw new UsageError(`--from "${text}": a namespace is in no namespace (--from namespace/NAME)`);
    const problem = dns1123LabelError(name);
    if (problem) throw new UsageError(`--from: "${name}" is not a valid namespace name: ${problem}`);
    return { text, spec: { kind, name } };
  }
  const problem = dns1123SubdomainError(name);
  if (problem) throw new UsageError(`--from: "${name}" is not a valid ${kind} name: ${problem}`);
  return { text, spec: { kind, name, ...(namespace !== undefined ? { namespace } : {}) } };
}

/** What a live run reads for the client: its namespace's policies, and the pod or workload it is; nothing for a CIDR. */
function clientReads(spec: ClientSpec, namespace: string): ClientReads | undefined {
  if (spec.kind === 'CIDR') return undefined;
  if (spec.kind === 'Namespace') return { namespace: spec.name };
  const where = spec.namespace ?? namespace;
  return spec.kind === 'Pod'
    ? { namespace: where, pod: spec.name }
    : { namespace: where, workload: { kind: spec.kind, name: spec.name } };
}

/** What a run with --from reads besides the diagnosis's objects: live, the client and the cluster DNS; from a snapshot, the DNS Service. */
export function fromReads(from: FromOptions): ExtraReads {
  return {
    read: (conn, namespace) =>
      readForClient(conn, clientReads(from.spec, namespace ?? conn.defaultNamespace), namespace),
    keeps: isClusterDnsService,
  };
}

/**
 * The client --from names, in the model. Its namespace, when --from does not say: the run's (-n,
 * else the context's), else that of the Services diagnosed when they share one. When none of
 * these says, or the input holds the kind and not the client: a usage error (`whenMissing`
 * "fail", a one-shot run and the first view of --watch and -i), or a client without a verdict
 * that says why ("say": a view's later refreshes, where the client may have gone since).
 */
export function findClient(
  model: ClusterModel,
  from: FromOptions,
  namespace: string | undefined,
  serviceNamespaces: readonly string[],
  whenMissing: 'fail' | 'say' = 'fail',
): Client {
  const missing = (usage: string, why: string): Client => {
    if (whenMissing === 'fail') throw new UsageError(usage);
    return { from: from.text, evaluatedAs: from.text, unknown: why, notes: [] };
  };
  const shared = new Set(serviceNamespaces);
  const defaultNamespace = namespace ?? (shared.size === 1 ? [...shared][0] : undefined);
  const needsNamespace = from.spec.kind !== 'CIDR' && from.spec.kind !== 'Namespace' && !from.spec.namespace;
  if (needsNamespace && defaultNamespace === undefined) {
    return missing(
      `--from ${from.text}: say which namespace it is in (-n NAMESPACE, or --from NAMESPACE/${from.text})`,
      `the Services shown are in several namespaces: which one it is in is unknown (--from NAMESPACE/${from.text})`,
    );
  }
  const found = resolveClient(model, from.spec, from.text, defaultNamespace ?? '');
  return 'notFound' in found ? missing(`--from: ${found.notFound}`, found.notFound) : found.client;
}
