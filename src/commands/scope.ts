// The flags that choose what to read (the connection flags of config-flags.ts, plus kubectl's
// -A and -l, plus --snapshot) and the positional Service names: parse, complete defaults,
// validate, then load the model from the snapshot or the live cluster.

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { buildModel, ModelBuilder, type ClusterModel, type PolicyContext } from '../model/cluster.js';
import { matchesLabels, parseLabelSelector, type LabelRequirement } from '../core/selectors.js';
import type { ClusterObject, Service } from '../core/objects.js';
import {
  connect,
  fetchLive,
  liveCoverage,
  missingNotes,
  readReferrer,
  serviceNotFound,
  type Connection,
} from '../sources/live.js';
import { SOURCE_KINDS } from '../sources/slim.js';
import { referencesOf } from '../model/references.js';
import { readSnapshot } from '../sources/snapshot.js';
import type { InputCoverage } from '../core/coverage.js';
import { KINDS, type KnownKindSpec } from '../core/kinds.js';
import { closestMatch } from '../model/similar.js';
import { dns1123SubdomainError } from '../core/names.js';
import type { DanglingReferences } from '../report/run-checks.js';
import { addConfigFlags, completeConfig, DNS1123_LABEL, type ConfigFlags, type ConfigOptions } from './config-flags.js';
import type { InputStream, IOStreams } from './streams.js';

export interface ScopeFlags extends ConfigFlags {
  allNamespaces?: boolean;
  selector?: string;
  snapshot?: string;
  /** --for TYPE/NAME (diagnose only). */
  for?: string;
}

/** --for TYPE/NAME: the object whose references choose the Services. */
interface ReferrerScope {
  kind: KnownKindSpec;
  name: string;
}

export interface Scope extends ConfigOptions {
  snapshot?: string;
  /** Where --snapshot - reads from. */
  stdin: InputStream;
  allNamespaces: boolean;
  serviceNames: string[];
  labelSelector?: string;
  labelRequirements: LabelRequirement[];
  /** --for: diagnose the Services this object names, and read only what they need. */
  referrer?: ReferrerScope;
}

export function addScopeFlags(command: Command): Command {
  return addConfigFlags(command)
    .option('-A, --all-namespaces', 'Services in every namespace')
    .option('-l, --selector <selector>', 'only Services with these labels (e.g. app=web,tier!=db)')
    .option(
      '--snapshot <file>',
      'read a file or folder of kubectl get -o json|yaml output (- for stdin) instead of a cluster',
    );
}

/** "web" or "svc/web" (also service/, services/) → "web". */
export function serviceName(arg: string): string {
  const m = /^(?:(svc|service|services)\/)?([^/]+)$/.exec(arg);
  if (!m) throw new UsageError(`"${arg}" is not a Service: use NAME or svc/NAME`);
  if (!DNS1123_LABEL.test(m[2])) {
    throw new UsageError(`"${m[2]}" is not a valid Service name (lowercase letters, digits and -)`);
  }
  return m[2];
}

/** The kinds --for takes, by each of their TYPE names. */
const FOR_KINDS = new Map(KINDS.flatMap((k) => (k.forNames ?? []).map((name) => [name, k] as const)));

/** "ingress/web" (also ingresses/, ing/) → the Ingress kind and "web"; a TYPE that is none is a usage error naming the one meant. */
function parseFor(text: string): ReferrerScope {
  const slash = text.indexOf('/');
  const types = KINDS.flatMap((k) => (k.forNames ? [k.forNames[0]] : []));
  if (slash <= 0 || slash === text.length - 1) {
    throw new UsageError(`--for "${text}" is not TYPE/NAME: e.g. --for ${types[0]}/NAME (TYPE: ${types.join(', ')})`);
  }
  const type = text.slice(0, slash).toLowerCase();
  const name = text.slice(slash + 1);
  const kind = FOR_KINDS.get(type);
  if (!kind) {
    const meant = closestMatch(type, [...FOR_KINDS.keys()]);
    throw new UsageError(
      `--for: "${type}" is not a kind whose references it follows (${meant ? `did you mean ${meant}? ` : ''}one of ${types.join(', ')})`,
    );
  }
  const problem = dns1123SubdomainError(name);
  if (problem) throw new UsageError(`--for: "${name}" is not a valid ${kind.kind} name: ${problem}`);
  return { kind, name };
}

export function completeScope(flags: ScopeFlags, args: string[], streams: IOStreams): Scope {
  const serviceNames = args.map(serviceName);
  const referrer = flags.for === undefined ? undefined : parseFor(flags.for);
  if (referrer && serviceNames.length > 0) throw new UsageError('name Services or use --for, not both');
  if (referrer && flags.selector) throw new UsageError('select Services with -l or use --for, not both');
  if (referrer && flags.allNamespaces) {
    throw new UsageError(`--for names one ${referrer.kind.kind}: use -n NAMESPACE instead of -A`);
  }
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
    ...completeConfig(flags, streams),
    snapshot: flags.snapshot,
    stdin: streams.in,
    allNamespaces: flags.allNamespaces === true,
    serviceNames,
    labelSelector: flags.selector,
    labelRequirements,
    ...(referrer ? { referrer } : {}),
  };
}

export interface LoadedInput {
  model: ClusterModel;
  /** The Services to report on, in namespace/name order. */
  services: Service[];
  notes: string[];
  /** One line per named Service the input does not hold (with whenNotFound "report"; in notes too). */
  notFound: string[];
  /** Where Services were looked for, as an empty result says it: "in namespace shop", "in the snapshot". */
  searched: string;
  /** The namespace Services were chosen in; undefined for all of them. */
  namespace?: string;
  /** The live connection read through; undefined for a snapshot. */
  connection?: Connection;
  /** The references to Services the input lacks that the run judges (danglingReferences). */
  dangling?: DanglingReferences;
}

/**
 * Which references naming a Service the input lacks the run judges: those of the namespace's
 * referrers when every Service of the namespace was read (not some named, or selected by label),
 * so that a Service missing from the input does not exist.
 */
export function danglingReferences(scope: Scope, namespace: string | undefined): DanglingReferences | undefined {
  if (scope.serviceNames.length > 0 || scope.labelSelector !== undefined) return undefined;
  return namespace === undefined ? {} : { namespace };
}

/** The namespace Services are chosen in: -n, else (live) the context's, else (snapshot) all. */
export function effectiveNamespace(scope: Scope, conn?: Connection): string | undefined {
  if (scope.allNamespaces) return undefined;
  return scope.namespace ?? conn?.defaultNamespace;
}

/** Whether the scope asks about the Service: the namespace's (or all), named, or labelled. */
function chosen(service: Service, scope: Scope, namespace: string | undefined): boolean {
  return (
    (namespace === undefined || service.meta.namespace === namespace) &&
    (scope.serviceNames.length === 0 || scope.serviceNames.includes(service.meta.name)) &&
    matchesLabels(scope.labelRequirements, service.meta.labels)
  );
}

/** The Services of the model the scope asks about: the namespace's (or all), named, or labelled. */
export function selectServices(model: ClusterModel, scope: Scope, namespace: string | undefined): Service[] {
  return model.services.filter((s) => chosen(s, scope, namespace));
}

/** The kinds whose objects refer to Services (the kinds --for takes). */
const REFERRER_KINDS = new Set<string>(KINDS.flatMap((k) => (k.forNames ? [k.kind] : [])));

/**
 * Whether a run reads the object from a snapshot as it would live: of the Services, those the
 * scope asks about (a live run reads no other: an Ingress controller's Service in another
 * namespace is unknown to both); with a namespace, the objects that refer to Services only in
 * that namespace (a route of another namespace naming one of its Services is not listed by a live
 * run of it); cluster-scoped ones and every other kind as they are.
 */
function readAsLive(
  scope: Scope,
  namespace: string | undefined,
  extra: ExtraReads | undefined,
): (object: ClusterObject) => boolean {
  return (o) =>
    o.kind === 'Service'
      ? chosen(o, scope, namespace) || extra?.keeps(o) === true
      : namespace === undefined ||
        !REFERRER_KINDS.has(o.kind) ||
        o.meta.namespace === '' ||
        o.meta.namespace === namespace;
}

/** What a snapshot lacks or holds twice, and the kinds of it that were skipped. */
/** What a live run finds by discovery (sources/policy-environment.ts) and a file cannot hold. */
const SNAPSHOT_POLICY_NOTE =
  'a snapshot does not show which network plugin the cluster runs, nor its AdminNetworkPolicies or the ' +
  "plugin's own policies: NetworkPolicy findings hold if the plugin enforces NetworkPolicy and nothing else decides first";

/** `namespace`: the one the run diagnoses, whose policies alone its findings judge. */
function snapshotNotes(read: Awaited<ReturnType<typeof readSnapshot>>, namespace?: string): string[] {
  const notes: string[] = [];
  const duplicates = read.duplicatesNote();
  if (duplicates) notes.push(duplicates);
  if (read.skippedKinds.size > 0) {
    notes.push(
      `skipped objects of kinds endpoints-doctor does not read: ${[...read.skippedKinds].map(([k, n]) => `${k} (${n})`).join(', ')}`,
    );
  }
  const coverage = read.coverage();
  for (const kind of KINDS) {
    if (kind.notedWhenAbsent && !read.kinds.has(kind.kind)) notes.push(`the snapshot holds no ${kind.label}`);
    // A kind only some objects need is noted when they are there and it is not.
    if (kind.neededBy && !coverage[kind.coverage!])
      notes.push(`the snapshot holds no ${kind.label}: ${kind.whenMissing}`);
  }
  const judged = (o: ClusterObject) => namespace === undefined || o.meta.namespace === namespace;
  if (read.objects.some((o) => o.kind === 'NetworkPolicy' && judged(o))) notes.push(SNAPSHOT_POLICY_NOTE);
  return notes;
}

/** Objects a run needs beyond the diagnosis's (--from's client and the cluster DNS). */
export interface ExtraReads {
  /** Live: reads them, given where the run reads. */
  read(conn: Connection, namespace: string | undefined): Promise<ClusterObject[]>;
  /** A snapshot: the objects of the file to keep besides the scope's, those a live run would read. */
  keeps(object: ClusterObject): boolean;
}

/** `extra` without the objects `read` already holds (the same kind, namespace and name). */
export function notYetRead(read: readonly ClusterObject[], extra: readonly ClusterObject[]): ClusterObject[] {
  const key = (o: ClusterObject) => `${o.kind}/${o.meta.namespace}/${o.meta.name}`;
  const held = new Set(read.map(key));
  return extra.filter((o) => !held.has(key(o)));
}

/**
 * `connection`: one the caller already opened (the probe execs through it too).
 * `whenNotFound`: a named Service the input does not hold is a usage error ("fail"), or is
 * named in notFound while the others are read ("report"). `extra`: what else a live run reads.
 */
export async function loadInput(
  scope: Scope,
  connection?: Connection,
  whenNotFound: 'fail' | 'report' = 'fail',
  extra?: ExtraReads,
): Promise<LoadedInput> {
  if (scope.referrer) return loadForReferrer(scope, scope.referrer, connection, extra);
  const notes: string[] = [];
  let notFound: string[] = [];
  let objects: ClusterObject[];
  let coverage: InputCoverage;
  let namespace: string | undefined;
  let built: ModelBuilder | undefined;
  let conn: Connection | undefined;
  let policyContext: PolicyContext | undefined;
  if (scope.snapshot) {
    const read = await readSnapshot(scope.snapshot, scope.stdin);
    coverage = read.coverage();
    namespace = effectiveNamespace(scope);
    objects = read.objects.filter(readAsLive(scope, namespace, extra));
    notes.push(...snapshotNotes(read, namespace));
  } else {
    conn = connection ?? (await connect(scope));
    namespace = effectiveNamespace(scope, conn);
    // The model is built as pages arrive; a list that started again voids that, and it is built from the result.
    const builder = new ModelBuilder();
    let restarted = false;
    const extraRead = extra?.read(conn, namespace);
    // Awaited after the diagnosis's read; if that fails first, its failure is the one told.
    extraRead?.catch(() => undefined);
    const result = await fetchLive(
      conn,
      { namespace, serviceNames: scope.serviceNames, labelSelector: scope.labelSelector, whenNotFound },
      {
        progress: {
          objects: (told) => builder.add(told),
          servicesComplete: () => builder.servicesComplete(),
          restarted: () => (restarted = true),
        },
      },
    );
    const added = notYetRead(result.objects, (await extraRead) ?? []);
    if (!restarted) {
      builder.add(added);
      built = builder;
    }
    objects = [...result.objects, ...added];
    // Named Services are read in the context's namespace when -n does not say.
    const { defaultNamespace } = conn;
    notFound = result.notFound.map((name) => serviceNotFound(name, namespace ?? defaultNamespace));
    coverage = liveCoverage(result.missing);
    notes.push(...missingNotes(result.missing), ...result.policyEnvironment.notes);
    policyContext = result.policyEnvironment;
  }
  const model = built ? built.build(coverage, policyContext) : buildModel(objects, coverage, policyContext);
  const services = selectServices(model, scope, namespace);
  if (scope.snapshot) {
    const found = new Set(services.map((s) => s.meta.name));
    notFound = [...new Set(scope.serviceNames)]
      .filter((name) => !found.has(name))
      .map((name) => `service "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''} in the snapshot`);
    if (notFound.length > 0 && whenNotFound === 'fail') throw new UsageError(notFound[0]);
  }
  notes.push(...notFound);
  let searched = namespace === undefined ? 'in any namespace' : `in namespace ${namespace}`;
  if (scope.labelSelector) searched += ` matching -l ${scope.labelSelector}`;
  if (scope.snapshot) searched += ' in the snapshot';
  return {
    model,
    services,
    notes,
    notFound,
    searched,
    namespace,
    connection: conn,
    dangling: danglingReferences(scope, namespace),
  };
}

/** "ingress "web" not found in namespace "shop"", as kubectl says it; a cluster-scoped kind has no namespace. */
function referrerNotFound(referrer: ReferrerScope, namespace: string | undefined, where = ''): UsageError {
  const type = referrer.kind.forNames![0];
  return new UsageError(
    `${type} "${referrer.name}" not found${namespace ? ` in namespace "${namespace}"` : ''}${where} (kubectl get ${referrer.kind.resource}${namespace ? ` -n ${namespace}` : ''} lists them)`,
  );
}

/** "Ingress shop/web", "APIService v1beta1.metrics.k8s.io". */
function describeObject(object: ClusterObject): string {
  return `${object.kind} ${object.meta.namespace ? `${object.meta.namespace}/` : ''}${object.meta.name}`;
}

/** The Services an object names, by namespace (a webhook's or a route's may be anywhere), each once, in its order. */
function targetsByNamespace(object: ClusterObject): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const { target } of referencesOf(object)) {
    const names = targets.get(target.namespace) ?? [];
    if (!names.includes(target.name)) names.push(target.name);
    targets.set(target.namespace, names);
  }
  return targets;
}

/** Which references the run judges as naming a Service that does not exist: this object's, wherever they point. */
function referrerDangling(object: ClusterObject): DanglingReferences {
  const { namespace, name } = object.meta;
  return { referrer: { kind: object.kind, ...(namespace ? { namespace } : {}), name } };
}

/**
 * The Services `object` names, read as a run naming them reads them: one read per namespace they
 * are in, concurrently; the cluster-scoped kinds (Nodes, webhook configurations, APIServices) by
 * the first only, since they are the same for all. No other object of the referrer's kind is read.
 * A Service that does not exist is the reference's finding, not a usage error.
 */
async function fetchTargets(conn: Connection, object: ClusterObject, kind: KnownKindSpec) {
  const others = SOURCE_KINDS.filter((k) => k.kind !== kind.kind);
  const reads = [...targetsByNamespace(object)].map(([namespace, serviceNames], i) =>
    fetchLive(
      conn,
      { namespace, serviceNames, whenNotFound: 'report' },
      { kinds: i === 0 ? others : others.filter((k) => k.namespaced) },
    ),
  );
  const results = await Promise.all(reads);
  return {
    objects: results.flatMap((r) => r.objects),
    // Each optional kind's note once, whichever read was refused it.
    missing: Object.assign({}, ...results.map((r) => r.missing)) as (typeof results)[number]['missing'],
    // What each namespace's read found of the policies not evaluated, each once.
    policyEnvironment: {
      otherPolicyKinds: [...new Set(results.flatMap((r) => r.policyEnvironment.otherPolicyKinds))],
      enforcingPlugin: results.find((r) => r.policyEnvironment.enforcingPlugin)?.policyEnvironment.enforcingPlugin,
      notes: [...new Set(results.flatMap((r) => r.policyEnvironment.notes))],
    },
  };
}

/**
 * --for TYPE/NAME: the object, then the Services it names as a run naming them reads them, in
 * whichever namespaces they are, and no other object of its kind. A namespaced object is read in
 * -n's namespace (else the context's; a snapshot's only one of that name); a cluster-scoped one
 * (a webhook configuration, an APIService) by its name alone.
 */
async function loadForReferrer(
  scope: Scope,
  referrer: ReferrerScope,
  connection: Connection | undefined,
  extra: ExtraReads | undefined,
): Promise<LoadedInput> {
  const { kind, name } = referrer;
  const isReferrer = (o: ClusterObject) => o.kind === kind.kind && o.meta.name === name;
  if (scope.snapshot) {
    const read = await readSnapshot(scope.snapshot, scope.stdin);
    const model = buildModel(read.objects, read.coverage());
    const namespace = kind.namespaced ? effectiveNamespace(scope) : undefined;
    const matches = read.objects.filter(
      (o) => isReferrer(o) && (namespace === undefined || o.meta.namespace === namespace),
    );
    if (matches.length === 0) throw referrerNotFound(referrer, namespace, ' in the snapshot');
    if (matches.length > 1) {
      throw new UsageError(
        `${kind.forNames![0]} "${name}" is in several namespaces of the snapshot: say which with -n`,
      );
    }
    const [object] = matches;
    const targets = targetsByNamespace(object);
    const services = model.services.filter((s) => targets.get(s.meta.namespace)?.includes(s.meta.name) === true);
    return {
      model,
      services,
      notes: snapshotNotes(read),
      notFound: [],
      searched: `named by ${describeObject(object)} in the snapshot`,
      ...(object.meta.namespace ? { namespace: object.meta.namespace } : {}),
      dangling: referrerDangling(object),
    };
  }
  const conn = connection ?? (await connect(scope));
  const namespace = kind.namespaced ? (effectiveNamespace(scope, conn) ?? conn.defaultNamespace) : undefined;
  const [object] = await readReferrer(conn, kind, namespace, name);
  if (!object) throw referrerNotFound(referrer, namespace);
  const [result, extraObjects] = await Promise.all([
    fetchTargets(conn, object, kind),
    extra?.read(conn, namespace ?? conn.defaultNamespace) ?? [],
  ]);
  const read = [...result.objects, object];
  const model = buildModel(
    [...read, ...notYetRead(read, extraObjects)],
    liveCoverage(result.missing),
    result.policyEnvironment,
  );
  // The objects --from reads may hold other Services (the cluster DNS's): only the targets are diagnosed.
  const targets = targetsByNamespace(object);
  return {
    model,
    services: model.services.filter((s) => targets.get(s.meta.namespace)?.includes(s.meta.name) === true),
    notes: [...missingNotes(result.missing), ...result.policyEnvironment.notes],
    notFound: [],
    searched: `named by ${describeObject(object)}`,
    ...(namespace !== undefined ? { namespace } : {}),
    connection: conn,
    dangling: referrerDangling(object),
  };
}
