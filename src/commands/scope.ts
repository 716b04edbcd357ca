// The flags that choose what to read (kubectl's: --kubeconfig, --context, -n, -A, -l,
// --request-timeout, plus --snapshot) and the positional Service names: parse, complete
// defaults, validate, then load the model from the snapshot or the live cluster.

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { ClusterModel } from '../model/cluster.js';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from '../core/selectors.js';
import type { ClusterObject, Service } from '../core/objects.js';
import { connect, fetchLive, serviceNotFound, type Connection } from '../sources/live.js';
import { slimObject } from '../sources/slim.js';
import { readSnapshot } from '../sources/snapshot.js';
import type { InputCoverage } from '../core/coverage.js';

export interface ScopeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  requestTimeout: string;
  snapshot?: string;
  debug?: boolean;
}

export interface Scope {
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  /** -n as given; see effectiveNamespace for the default. */
  namespace?: string;
  allNamespaces: boolean;
  serviceNames: string[];
  labelSelector?: string;
  labelRequirements: LabelRequirement[];
  requestTimeoutMs: number;
  debug: (line: string) => void;
}

export function addScopeFlags(command: Command): Command {
  return command
    .option(
      '--kubeconfig <file>',
      'path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)',
    )
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <ns>', "namespace of the Services (default: the context's namespace, else default)")
    .option('-A, --all-namespaces', 'Services in every namespace')
    .option('-l, --selector <selector>', 'only Services with these labels (e.g. app=web,tier!=db)')
    .option(
      '--request-timeout <duration>',
      'how long to wait for each API request (e.g. 10s, 1m; 0 waits forever)',
      '30s',
    )
    .option(
      '--snapshot <file>',
      'read a file or folder of kubectl get -o json|yaml output (- for stdin) instead of a cluster',
    )
    .option('--debug', 'print requests and full error details on stderr');
}

// Go's time.ParseDuration units, in milliseconds.
const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5
  μs: 1e-3, // U+03BC
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/** Go's time.ParseDuration ("1h30m", "1.5s", "-2m", "0"; a unit on every number but a bare 0), in ms. */
export function parseGoDuration(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(number) * GO_DURATION_UNITS[unit!]!;
  }
  return text.startsWith('-') && total > 0 ? -total : total;
}

/**
 * Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once beyond it: a longer
 * timeout is as good as none, so it is held to that.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * --request-timeout as kubectl reads it (client-go's clientcmd.ParseTimeout): a bare
 * non-negative integer is seconds, anything else a Go duration; 0 waits forever.
 */
export function parseRequestTimeout(text: string): number {
  const ms = /^\+?\d+$/.test(text) ? Number(text) * 1000 : parseGoDuration(text);
  if (ms === undefined || ms < 0) {
    throw new UsageError(
      `--request-timeout "${text}" is not a duration (seconds, or a number with a unit: 30s, 1m; 0 waits forever)`,
    );
  }
  return Math.min(ms, LONGEST_TIMER_MS);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** "web" or "svc/web" (also service/, services/) → "web". */
export function serviceName(arg: string): string {
  const m = /^(?:(svc|service|services)\/)?([^/]+)$/.exec(arg);
  if (!m) throw new UsageError(`"${arg}" is not a Service: use NAME or svc/NAME`);
  if (!DNS1123_LABEL.test(m[2]!)) {
    throw new UsageError(`"${m[2]}" is not a valid Service name (lowercase letters, digits and -)`);
  }
  return m[2]!;
}

/**
 * -n as given, or undefined for the default. Namespace names are DNS-1123 labels (the API
 * server's ValidateNamespaceName is apimachinery's IsDNS1123Label): anything else names no
 * namespace, and would otherwise read as an empty one.
 */
export function namespaceFlag(namespace: string | undefined): string | undefined {
  if (namespace === undefined || (namespace.length <= 63 && DNS1123_LABEL.test(namespace))) return namespace;
  throw new UsageError(
    `-n/--namespace ${JSON.stringify(namespace)} is not a namespace name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
  );
}

export function completeScope(flags: ScopeFlags, args: string[], debugSink: (line: string) => void): Scope {
  const serviceNames = args.map(serviceName);
  if (serviceNames.length > 0 && flags.allNamespaces) {
    throw new UsageError('a Service cannot be named across all namespaces: use -n NAMESPACE instead of -A');
  }
  if (serviceNames.length > 0 && flags.selector) throw new UsageError('name Services or select them with -l, not both');
  let labelRequirements: LabelRequirement[] = [];
  if (flags.selector !== undefined) {
    try {
      labelRequirements = parseLabelSelector(flags.selector);
    } catch (e) {
      throw new UsageError(`-l/--selector: ${(e as Error).message}`);
    }
  }
  return {
    snapshot: flags.snapshot,
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: namespaceFlag(flags.namespace),
    allNamespaces: flags.allNamespaces === true,
    serviceNames,
    labelSelector: flags.selector,
    labelRequirements,
    requestTimeoutMs: parseRequestTimeout(flags.requestTimeout),
    debug: flags.debug ? debugSink : () => {},
  };
}

export interface LoadedInput {
  model: ClusterModel;
  /** The Services to report on, in namespace/name order. */
  services: Service[];
  notes: string[];
  /** One line per named Service the input does not hold (with whenNotFound "report"; in notes too). */
  notFound: string[];
}

/** The namespace Services are chosen in: -n, else (live) the context's, else (snapshot) all. */
export function effectiveNamespace(scope: Scope, conn?: Connection): string | undefined {
  if (scope.allNamespaces) return undefined;
  return scope.namespace ?? conn?.defaultNamespace;
}

/** The Services of the model the scope asks about: the namespace's (or all), named, or labelled. */
export function selectServices(model: ClusterModel, scope: Scope, namespace: string | undefined): Service[] {
  return model.services.filter(
    (s) =>
      (namespace === undefined || s.meta.namespace === namespace) &&
      (scope.serviceNames.length === 0 || scope.serviceNames.includes(s.meta.name)) &&
      matchesLabels(scope.labelRequirements, s.meta.labels),
  );
}

/**
 * `connection`: one the caller already opened (the probe execs through it too).
 * `whenNotFound`: a named Service the input does not hold is a usage error ("fail"), or is
 * named in notFound while the others are read ("report").
 */
export async function loadInput(
  scope: Scope,
  connection?: Connection,
  whenNotFound: 'fail' | 'report' = 'fail',
): Promise<LoadedInput> {
  const notes: string[] = [];
  let notFound: string[] = [];
  let objects: ClusterObject[];
  let coverage: InputCoverage;
  let namespace: string | undefined;
  if (scope.snapshot) {
    const read = await readSnapshot(scope.snapshot);
    objects = read.objects;
    coverage = read.coverage();
    namespace = effectiveNamespace(scope);
    const duplicates = read.duplicatesNote();
    if (duplicates) notes.push(duplicates);
    if (read.skippedKinds.size > 0) {
      notes.push(
        `skipped objects of kinds endpoints-doctor does not read: ${[...read.skippedKinds].map(([k, n]) => `${k} (${n})`).join(', ')}`,
      );
    }
    for (const [kind, label] of [
      ['EndpointSlice', 'EndpointSlices'],
      ['Endpoints', 'Endpoints (v1)'],
      ['Node', 'Nodes'],
    ] as const) {
      if (!read.kinds.has(kind)) notes.push(`the snapshot holds no ${label}`);
    }
  } else {
    const conn = connection ?? (await connect(scope));
    namespace = effectiveNamespace(scope, conn);
    const result = await fetchLive(
      conn,
      { namespace, serviceNames: scope.serviceNames, labelSelector: scope.labelSelector, whenNotFound },
      slimObject,
    );
    objects = result.objects;
    // Named Services are read in the context's namespace when -n does not say.
    notFound = result.notFound.map((name) => serviceNotFound(name, namespace ?? conn.defaultNamespace));
    // Required kinds were read even when empty; optional ones unless the server refused.
    coverage = { endpointSlices: true, endpoints: !result.missing.endpoints, nodes: !result.missing.nodes, pods: true };
    notes.push(...Object.values(result.missing));
  }
  const model = new ClusterModel(objects, coverage);
  const services = selectServices(model, scope, namespace);
  if (scope.snapshot) {
    const found = new Set(services.map((s) => s.meta.name));
    notFound = [...new Set(scope.serviceNames)]
      .filter((name) => !found.has(name))
      .map((name) => `service "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''} in the snapshot`);
    if (notFound.length > 0 && whenNotFound === 'fail') throw new UsageError(notFound[0]!);
  }
  notes.push(...notFound);
  return { model, services, notes, notFound };
}
