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
  CLUSTER_DOMAIN,
  serviceLookup,
  type LookupAnswer,
  type PortConnectivity,
  type PortTargets,
  type ServiceLookup,
  type VantageNode,
  withNodePorts,
} from '../model/connect-targets.js';
import { viewService } from '../model/service-view.js';
import type { Service } from '../core/objects.js';
import type { ConnectInput } from '../report/diagnosis.js';
import { SYSTEM_RESOLVER } from '../sources/connect/dns.js';
import { LOCAL_VANTAGE } from '../sources/connect/local.js';
import { connectAll, CONNECT_CONCURRENCY, CONNECT_DEADLINE_MS, DEADLINE_PASSED } from '../sources/connect/run.js';
import { CONNECT_IMAGE } from '../sources/connect/container.js';
import { nodeInternalIPs, nodeVantage } from '../sources/connect/node.js';
import { choosePod, podVantage } from '../sources/connect/pod.js';
import type { DnsAnswer, DnsVantage, Vantage } from '../sources/connect/types.js';
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
    }
  | {
      kind: 'node';
      name: string;
      text: string;
      /** The debug pod's image. */
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
  'node/\ta debug pod on a node, in its host network (deleted afterwards)',
];

export function addConnectFlags(command: Command): Command {
  return command
    .option(
      '--connect',
      "also connect to each Service's endpoints and cluster IP (from a node, its NodePorts too), and judge the answers (nothing else is contacted)",
    )
    .option(
      '--connect-from <where>',
      'where --connect connects from: local (this machine, the default), pod/NAME (an ephemeral container added to that pod, sharing its network; NAMESPACE/pod/NAME for another namespace; pod alone: a running pod of the namespace that is no backend) or node/NAME (a debug pod created on that node, in its host network, and deleted afterwards; NodePorts are tried there too)',
    )
    .option(
      '--image <image>',
      `image of the --connect-from pod ephemeral container or node debug pod: it needs sh and nc or bash (default ${CONNECT_IMAGE})`,
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
const NODE_TYPES = new Set(['node', 'nodes', 'no']);

function parseVantage(text: string | undefined, image: string | undefined): VantageSpec {
  if (text === undefined || text === 'local') {
    if (image !== undefined) throw new UsageError('--image goes with --connect-from pod/NAME or node/NAME');
    return { kind: 'local' };
  }
  if (image !== undefined && image.trim() === '') throw new UsageError('--image is empty');
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
    return {
      kind: 'pod',
      ...(name ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      text,
      image: image ?? CONNECT_IMAGE,
    };
  }
  if (parts.length <= 3 && type !== undefined && NODE_TYPES.has(type.toLowerCase())) {
    if (namespace !== undefined) throw new UsageError(`--connect-from ${text}: a node has no namespace (node/NAME)`);
    if (!name) throw new UsageError(`--connect-from ${text}: name the node (node/NAME)`);
    const problem = dns1123SubdomainError(name);
    if (problem) throw new UsageError(`--connect-from: "${name}" is not a valid node name: ${problem}`);
    return { kind: 'node', name, text, image: image ?? CONNECT_IMAGE };
  }
  throw new UsageError(
    `--connect-from "${text}" is neither local, pod/NAME (NAMESPACE/pod/NAME for another namespace) nor node/NAME`,
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
  /** --debug's lines (the node debug pod's create and delete). */
  debug?: (line: string) => void;
  /** Ends a pass from a node early, its pod deleted (-i quitting while one runs). */
  abort?: AbortSignal;
}

/** A vantage point opened, and for a node, the node: its NodePorts are targets too. */
interface OpenVantage {
  /** A node's has no lookup: a host-network pod asks the node's resolver, not the cluster's DNS. */
  vantage: Vantage & Partial<DnsVantage>;
  node?: VantageNode;
}

/**
 * The vantage point --connect-from names (a pod's ephemeral container is added, a node's debug
 * pod created, only once there is something to try). The pod's namespace, when --connect-from
 * does not say: the run's, else that of the Services diagnosed when they share one (as --from
 * finds its client). A node is read first: a missing one is a usage error, and its InternalIPs
 * are where its NodePorts are tried.
 */
async function openVantage(
  spec: VantageSpec,
  ports: PortTargets[],
  source: ConnectSource,
  streams: IOStreams,
): Promise<OpenVantage> {
  const services = ports.map((p) => p.service);
  if (spec.kind === 'local') return { vantage: LOCAL_VANTAGE };
  const { connection } = source;
  if (!connection) {
    const what = spec.kind === 'pod' ? 'adds a container to a pod' : 'creates a pod on a node';
    throw new UsageError(`--connect-from ${spec.text} ${what}: it needs a cluster, not input files`);
  }
  const say = (line: string) => streams.errOut.write(`note: ${terminalText(line)}\n`);
  const kubeConfig = await clientNodeConfig(connection.resolved.server, () => connection.api.currentRequestOptions());
  if (spec.kind === 'node') {
    const addresses = await nodeInternalIPs(kubeConfig, spec.name);
    const vantage = nodeVantage({
      kubeConfig,
      node: spec.name,
      image: spec.image,
      say,
      debug: source.debug ?? (() => {}),
      ...(source.abort ? { abort: source.abort } : {}),
    });
    return { vantage, node: { name: spec.name, addresses } };
  }
  const shared = new Set(services.map((s) => s.meta.namespace));
  const namespace = spec.namespace ?? source.namespace ?? (shared.size === 1 ? [...shared][0] : undefined);
  if (namespace === undefined) {
    throw new UsageError(
      `--connect-from ${spec.text}: say which namespace it is in (-n NAMESPACE, or --connect-from NAMESPACE/${spec.text})`,
    );
  }
  let pod = spec.name;
  if (pod === undefined) {
    const backends = ports.flatMap((p) =>
      p.targets.flatMap((t) => (t.targetRef?.kind === 'Pod' ? [t.targetRef.name] : [])),
    );
    pod = await choosePod(kubeConfig, namespace, new Set(backends));
    say(`--connect-from pod: connecting from pod ${namespace}/${pod}`);
  }
  return { vantage: podVantage({ kubeConfig, namespace, pod, image: spec.image, say }) };
}

/**
 * What the TLS step left unjudged on the open http and https targets, for endpoint-protocol-mismatch:
 * from a debug container (its program: a ClientHello and the answer's first bytes, which needs dd
 * and od in the image; a GET over TLS only with openssl) targets it could not probe or GET; from
 * anywhere, targets whose answer told neither TLS nor plain text (silence, or a reset first).
 */
export function tlsNotes(paired: PortConnectivity[], vantage: Vantage, httpPath: string | undefined): string[] {
  const openOn = (speaks: string) =>
    paired.flatMap((p) =>
      p.speaks === speaks ? [...p.endpoints, ...p.serviceAddresses].filter((t) => t.answer.result === 'open') : [],
    );
  const https = openOn('https');
  const web = [...openOn('http'), ...https];
  const notes: string[] = [];
  if ('attemptAll' in vantage) {
    const unprobed = web.filter((t) => t.answer.tls === undefined).length;
    if (unprobed > 0)
      notes.push(
        `--connect-from ${vantage.name}: ${unprobed} open http or https targets got no TLS probe (it needs dd and od in the image, and timeout beside bash): endpoint-protocol-mismatch could not judge them`,
      );
    const notGot = https.filter((t) => t.answer.http === undefined).length;
    if (httpPath !== undefined && notGot > 0)
      notes.push(
        `--connect-from ${vantage.name}: ${notGot} open https targets got no GET (over TLS it needs openssl in the image)`,
      );
  }
  const untold = web.filter((t) => t.answer.tls?.spoke === 'unknown').length;
  if (untold > 0)
    notes.push(
      `--connect: ${untold} open http or https targets answered neither in TLS nor in plain text (silent, or reset first): endpoint-protocol-mismatch could not judge them`,
    );
  return notes;
}

/** Connects to every target of these Services from the vantage point: the connect checks' input, and notes on what was not tried. */
export async function connectServices(
  model: ClusterModel,
  services: Service[],
  options: ConnectOptions,
  streams: IOStreams,
  source: ConnectSource = {},
): Promise<{ input: ConnectInput; notes: string[] }> {
  const views = services.map((s) => viewService(model, s));
  const servicePorts = views.flatMap(connectTargets);
  const lookups = views.flatMap((v) => serviceLookup(v) ?? []);
  const { vantage, node } = await openVantage(options.from, servicePorts, source, streams);
  const ports = node ? servicePorts.map((p) => withNodePorts(p, node)) : servicePorts;
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
  // Never a verdict on endpoints nobody listed: without slices only the Service's own addresses were tried.
  if (!model.coverage.endpointSlices)
    notes.push(
      `--connect: the input has no EndpointSlices: only cluster IPs${node ? ' and NodePorts' : ''} were tried`,
    );
  if (node && node.addresses.length === 0 && ports.some((p) => p.port.nodePort)) {
    notes.push(`--connect-from ${vantage.name}: the node has no InternalIP address: its NodePorts were not tried`);
  }
  const notTcp = ports.filter((p) => p.speaks === 'udp' && p.targets.length > 0).length;
  if (notTcp > 0) notes.push(`--connect: ${notTcp} UDP or SCTP Service ports were not tried (no connect)`);
  notes.push(...tlsNotes(paired, vantage, options.httpPath));
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

/** Every cluster's own API Service, asked beside the Services' names to confirm the cluster domain. */
const CONTROL_NAME = `kubernetes.default.svc.${CLUSTER_DOMAIN}`;

/** The server of a lookup not made. */
const NOT_ASKED = 'none';
const NO_NODE_LOOKUP = "not asked from a node: a host-network pod asks the node's resolver, not the cluster DNS";

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
  vantage: Vantage & Partial<DnsVantage>,
  lookups: ServiceLookup[],
  options: { timeoutMs: number; deadline: number },
): Promise<{ answers: LookupAnswer[]; notes: string[] }> {
  if (lookups.length === 0) return { answers: [], notes: [] };
  const server = vantage === LOCAL_VANTAGE ? clusterDnsAddress(model) : undefined;
  // The control name is asked last: every cluster has it, so its NXDOMAIN puts the domain in doubt.
  const got = vantage.lookup
    ? await vantage.lookup([...lookups, { name: CONTROL_NAME }], {
        ...options,
        ...(server !== undefined ? { server } : {}),
      })
    : lookups.map((): DnsAnswer => ({ result: 'skipped', server: NOT_ASKED, detail: NO_NODE_LOOKUP }));
  // This machine's own resolver need not know the cluster domain at all: its NXDOMAIN says nothing.
  const control = got[lookups.length];
  const domainInDoubt = control?.result === 'nxdomain' && control.server !== SYSTEM_RESOLVER;
  const answers = lookups.map((l, i): LookupAnswer => ({
    ...l,
    vantage: vantage.name,
    answer: got[i],
    ...(domainInDoubt ? { domainInDoubt } : {}),
  }));
  const notes: string[] = [];
  if (domainInDoubt)
    notes.push(
      `--connect: ${CONTROL_NAME} does not exist either for the DNS asked from ${vantage.name}: the cluster domain may not be ${CLUSTER_DOMAIN}, and service-dns-mismatch does not judge a name that does not exist`,
    );
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
