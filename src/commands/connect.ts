// --connect: the flags that make the diagnosis connect to each Service's endpoints and cluster IPs
// from a vantage point, and the run that does it (targets from the model, answers from the
// vantage point, paired back for the connect checks). The vantage points: `local` (this machine)
// and `pod/NAME` (an ephemeral container added to that pod); a node's will answer through the same
// Vantage interface.

import type { Command } from 'commander';
import type { ConnectCheck } from '../checks/types.js';
import { UsageError } from '../core/errors.js';
import type { ClusterModel } from '../model/cluster.js';
import {
  attemptOf,
  connectTargets,
  pairAnswers,
  serviceLookup,
  type LookupAnswer,
  type PortConnectivity,
  type PortTargets,
  type ServiceLookup,
} from '../model/connect-targets.js';
import { viewService } from '../model/service-view.js';
import type { Service } from '../core/objects.js';
import type { ConnectInput } from '../report/diagnosis.js';
import { LOCAL_VANTAGE } from '../sources/connect/local.js';
import { connectAll, CONNECT_CONCURRENCY, CONNECT_DEADLINE_MS, DEADLINE_PASSED } from '../sources/connect/run.js';
import { choosePod, CONNECT_IMAGE, podVantage } from '../sources/connect/pod.js';
import type { DnsVantage, Vantage } from '../sources/connect/types.js';
import { clientNodeConfig } from '../sources/kubeconfig.js';
import type { Connection } from '../sources/live.js';
import { dns1123LabelError, dns1123SubdomainError } from '../core/names.js';
import { terminalText } from '../core/terminal-text.js';
import { parseGoDuration } from './config-flags.js';
import type { IOStreams } from './streams.js';

export interface ConnectFlags {
  connect?: boolean;
  connectFrom?: string;
  image?: string;
  connectTimeout?: string;
  connectHttp?: string;
}

/** Where --connect connects from, as --connect-from names it. */
type VantageSpec =
  | { kind: 'local' }
  | {
      kind: 'pod';
      /** Unset for `--connect-from pod`: a running pod of the namespace is chosen. */
      name?: string;
      /** As given ([NAMESPACE/]pod/NAME); without one, the pod is in the run's namespace. */
      namespace?: string;
      text: string;
      /** The ephemeral container's image. */
      image: string;
    };

export interface ConnectOptions {
  from: VantageSpec;
  timeoutMs: number;
  httpPath?: string;
  checks: ConnectCheck[];
}

const DEFAULT_TIMEOUT = '2s';

export const CONNECT_FROM_VALUES = [
  'local\tthis machine (creates nothing)',
  'pod/\tan ephemeral container added to a pod (it cannot be removed)',
];

export function addConnectFlags(command: Command): Command {
  return command
    .option(
      '--connect',
      "also connect to each Service's endpoints and cluster IP, and judge the answers (nothing else is contacted)",
    )
    .option(
      '--connect-from <where>',
      'where --connect connects from: local (this machine, the default) or pod/NAME (an ephemeral container added to that pod, sharing its network; NAMESPACE/pod/NAME for another namespace; pod alone: a running pod of the namespace that is no backend)',
    )
    .option(
      '--image <image>',
      `image of the --connect-from pod ephemeral container: it needs sh and nc or bash (default ${CONNECT_IMAGE})`,
    )
    .option(
      '--connect-timeout <duration>',
      `each connection of --connect gives up after this long (default ${DEFAULT_TIMEOUT})`,
    )
    .option(
      '--connect-http <path>',
      '--connect: GET this path on ports that say http or https, and show the status line',
    );
}

/** --connect-timeout: a Go duration with its unit, more than 0. */
function parseConnectTimeout(text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) {
    const hint = /^\d+(\.\d*)?$/.test(text) ? `needs a unit (${text}s, ${text}ms...)` : 'is not a duration above 0';
    throw new UsageError(`--connect-timeout "${text}" ${hint}: e.g. 2s, 500ms`);
  }
  return ms;
}

/** --connect-http: an absolute path, one request-target of printable characters (nothing that could end the request line). */
function parseHttpPath(text: string): string {
  if (!/^\/[\x21-\x7e]*$/.test(text)) {
    throw new UsageError(
      `--connect-http "${text}" is not a path: it starts with / and holds no spaces or control characters`,
    );
  }
  return text;
}

const POD_TYPES = new Set(['pod', 'pods', 'po']);

function parseVantage(text: string | undefined, image: string | undefined): VantageSpec {
  if (text === undefined || text === 'local') {
    if (image !== undefined) throw new UsageError('--image goes with --connect-from pod/NAME');
    return { kind: 'local' };
  }
  const parts = text.split('/');
  const [namespace, type, name] = parts.length === 3 ? parts : [undefined, parts[0], parts[1]];
  if (parts.length <= 3 && type !== undefined && POD_TYPES.has(type.toLowerCase())) {
    if (parts.length === 3 && !name) throw new UsageError(`--connect-from ${text}: name the pod (NAMESPACE/pod/NAME)`);
    const problem = name ? dns1123SubdomainError(name) : undefined;
    if (problem) throw new UsageError(`--connect-from: "${name}" is not a valid pod name: ${problem}`);
    if (namespace !== undefined) {
      const nsProblem = dns1123LabelError(namespace);
      if (nsProblem) throw new UsageError(`--connect-from: "${namespace}" is not a valid namespace name: ${nsProblem}`);
    }
    if (image !== undefined && image.trim() === '') throw new UsageError('--image is empty');
    return {
      kind: 'pod',
      ...(name ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      text,
      image: image ?? CONNECT_IMAGE,
    };
  }
  if (/^(node|no|nodes)(\/|$)/.test(text)) {
    throw new UsageError(`--connect-from ${text} is not available yet: local and pod/NAME are`);
  }
  throw new UsageError(
    `--connect-from "${text}" is neither local nor pod/NAME (NAMESPACE/pod/NAME for another namespace)`,
  );
}

/**
 * The --connect options, or undefined without --connect; the --connect-* flags without it are a
 * usage error (they would do nothing). `checks`: the connect checks --only/--disable leave.
 */
export function completeConnect(flags: ConnectFlags, checks: ConnectCheck[]): ConnectOptions | undefined {
  if (!flags.connect) {
    const alone = [
      flags.connectFrom !== undefined && '--connect-from',
      flags.connectTimeout !== undefined && '--connect-timeout',
      flags.connectHttp !== undefined && '--connect-http',
      flags.image !== undefined && '--image',
    ].filter((f): f is string => typeof f === 'string');
    if (alone.length > 0)
      throw new UsageError(`${alone.join(', ')} ${alone.length === 1 ? 'goes' : 'go'} with --connect`);
    return undefined;
  }
  return {
    from: parseVantage(flags.connectFrom, flags.image),
    timeoutMs: parseConnectTimeout(flags.connectTimeout ?? DEFAULT_TIMEOUT),
    ...(flags.connectHttp !== undefined ? { httpPath: parseHttpPath(flags.connectHttp) } : {}),
    checks,
  };
}

/** Where the run reads from: a live cluster's connection and its namespace (-n, else the context's); none for files. */
export interface ConnectSource {
  connection?: Connection;
  namespace?: string;
}

/**
 * The vantage point --connect-from names (a pod's ephemeral container is added only once there
 * is something to try). The pod's namespace, when --connect-from does not say: the run's, else that of the
 * Services diagnosed when they share one (as --from finds its client).
 */
async function openVantage(
  spec: VantageSpec,
  ports: PortTargets[],
  source: ConnectSource,
  streams: IOStreams,
): Promise<Vantage & DnsVantage> {
  const services = ports.map((p) => p.service);
  if (spec.kind === 'local') return LOCAL_VANTAGE;
  const { connection } = source;
  if (!connection) {
    throw new UsageError(`--connect-from ${spec.text} adds a container to a pod: it needs a cluster, not input files`);
  }
  const shared = new Set(services.map((s) => s.meta.namespace));
  const namespace = spec.namespace ?? source.namespace ?? (shared.size === 1 ? [...shared][0] : undefined);
  if (namespace === undefined) {
    throw new UsageError(
      `--connect-from ${spec.text}: say which namespace it is in (-n NAMESPACE, or --connect-from NAMESPACE/${spec.text})`,
    );
  }
  const say = (line: string) => streams.errOut.write(`note: ${terminalText(line)}\n`);
  const kubeConfig = await clientNodeConfig(connection.resolved.server, () => connection.api.currentRequestOptions());
  let pod = spec.name;
  if (pod === undefined) {
    const backends = ports.flatMap((p) =>
      p.targets.flatMap((t) => (t.targetRef?.kind === 'Pod' ? [t.targetRef.name] : [])),
    );
    pod = await choosePod(kubeConfig, namespace, new Set(backends));
    say(`--connect-from pod: connecting from pod ${namespace}/${pod}`);
  }
  return podVantage({
    kubeConfig,
    namespace,
    pod,
    image: spec.image,
    say,
  });
}

/** Connects to every target of these Services from the vantage point: the connect checks' input, and notes on what was not tried. */
export async function connectServices(
  model: ClusterModel,
  services: Service[],
  options: ConnectOptions,
  streams: IOStreams,
  source: ConnectSource = {},
): Promise<{ input: ConnectInput; notes: string[] }> {
  const ports = services.flatMap((s) => connectTargets(viewService(model, s)));
  const lookups = services.flatMap((s) => serviceLookup(viewService(model, s)) ?? []);
  const vantage = await openVantage(options.from, ports, source, streams);
  const deadline = Date.now() + CONNECT_DEADLINE_MS;
  const attempts = ports.flatMap((p) => p.targets.map((t) => attemptOf(p, t)));
  // Progress only on a terminal: redirected stderr gets no carriage-return noise.
  const terminal = streams.errOut.isTTY === true;
  const answers = await connectAll(vantage, attempts, {
    timeoutMs: options.timeoutMs,
    ...(options.httpPath !== undefined ? { httpPath: options.httpPath } : {}),
    concurrency: CONNECT_CONCURRENCY,
    deadlineMs: CONNECT_DEADLINE_MS,
    ...(terminal
      ? { onProgress: (done: number, total: number) => streams.errOut.write(`\rconnecting: ${done}/${total}`) }
      : {}),
  });
  if (terminal && attempts.length > 0) streams.errOut.write('\r\x1b[K');
  let next = 0;
  const paired: PortConnectivity[] = ports.map((p) => {
    const slice = answers.slice(next, next + p.targets.length);
    next += p.targets.length;
    return pairAnswers(p, vantage.name, slice);
  });
  const notes: string[] = [];
  // Never a verdict on endpoints nobody listed: without slices only the cluster IPs were tried.
  if (!model.coverage.endpointSlices)
    notes.push('--connect: the input has no EndpointSlices: only cluster IPs were tried');
  const notTcp = ports.filter((p) => p.speaks === 'udp' && p.targets.length > 0).length;
  if (notTcp > 0) notes.push(`--connect: ${notTcp} UDP or SCTP Service ports were not tried (no connect)`);
  // The connect program speaks no TLS: neither a handshake nor a GET over it.
  if ('attemptAll' in vantage && paired.some((p) => p.speaks === 'http' || p.speaks === 'https')) {
    const httpsNotGot = options.httpPath !== undefined && paired.some((p) => p.speaks === 'https');
    notes.push(
      `--connect-from ${vantage.name}: no TLS handshake was tried${httpsNotGot ? ', nor --connect-http on https ports' : ''} (the connect program has no TLS client): endpoint-protocol-mismatch could not judge`,
    );
  }
  const late = answers.filter((a) => a.result === 'skipped' && a.detail === DEADLINE_PASSED).length;
  if (late > 0) {
    notes.push(`--connect: ${late} targets were not tried: the run's deadline (${CONNECT_DEADLINE_MS / 1000}s) passed`);
  }
  const looked = await lookUp(model, vantage, lookups, { timeoutMs: options.timeoutMs, deadline });
  return {
    input: { ports: paired, lookups: looked.answers, checks: options.checks },
    notes: [...notes, ...looked.notes],
  };
}

/** The cluster DNS Service's address, which this machine asks: kube-system/kube-dns's first cluster IP, when the input holds it. */
function clusterDnsAddress(model: ClusterModel): string | undefined {
  const dns = model.service('kube-system', 'kube-dns');
  return (
    dns?.clusterIPs.find((ip) => ip !== 'None') ??
    (dns?.clusterIP && dns.clusterIP !== 'None' ? dns.clusterIP : undefined)
  );
}

/** Each Service's name looked up from the vantage point, and notes on what could not be judged. */
async function lookUp(
  model: ClusterModel,
  vantage: Vantage & DnsVantage,
  lookups: ServiceLookup[],
  options: { timeoutMs: number; deadline: number },
): Promise<{ answers: LookupAnswer[]; notes: string[] }> {
  if (lookups.length === 0) return { answers: [], notes: [] };
  const server = vantage === LOCAL_VANTAGE ? clusterDnsAddress(model) : undefined;
  const got = await vantage.lookup(lookups, { ...options, ...(server !== undefined ? { server } : {}) });
  const answers = lookups.map((l, i): LookupAnswer => ({ ...l, vantage: vantage.name, answer: got[i] }));
  const notes: string[] = [];
  if (vantage === LOCAL_VANTAGE && server === undefined)
    notes.push(
      "--connect: the input has no Service kube-system/kube-dns: Service names were looked up with this machine's resolver, and one it cannot resolve is not judged (service-dns-mismatch)",
    );
  const skipped = answers.filter((a) => a.answer.result === 'skipped');
  if (skipped.length > 0)
    notes.push(
      `--connect: ${skipped.length} Service names were not looked up (${skipped[0].answer.detail}): service-dns-mismatch could not judge them`,
    );
  return { answers, notes };
}
