// The live cluster as a source: kubeconfig resolution as kubectl does it, then the reads,
// scoped on the server to what was asked and run concurrently.

import type { OutgoingHttpHeaders } from 'node:http';
import { coverageFrom, type InputCoverage } from '../core/coverage.js';
import { ClusterError, UsageError } from '../core/errors.js';
import { apiVersionOf, collectionPath, KINDS, type CoverageKey, type KindSpec } from '../core/kinds.js';
import type { ClusterObject, Service } from '../core/objects.js';
import { isJsonArray, isJsonObject, stringAt, valueAt, type JsonObject } from '../core/json-value.js';
import { formatLabels } from '../core/selectors.js';
import { pushTo } from '../core/multimap.js';
import { ApiClient, ApiStatusError, connectionError, type ApiResponse, type Query } from './kube-api.js';
import { requestOptionsFor, resolveKubeconfig, type KubeconfigOptions, type ResolvedContext } from './kubeconfig.js';
import { impersonationHeaders } from './kubeconfig-overrides.js';
import { readPolicyEnvironment, type PolicyEnvironment } from './policy-environment.js';
import { slimAs, SOURCE_KINDS, type SourceKind } from './slim.js';

export interface ConnectOptions extends KubeconfigOptions {
  requestTimeoutMs: number;
  debug: (line: string) => void;
}

export interface Connection {
  api: ApiClient;
  contextName: string;
  /** The context's namespace, else "default" (kubectl's rule). */
  defaultNamespace: string;
  /** The kubeconfig context in use. */
  resolved: ResolvedContext;
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  const resolved = resolveKubeconfig(options);
  // Who to act as goes with every request, whatever authenticates it (checked before any plugin runs).
  const impersonation = impersonationHeaders(resolved.user);
  const credentials = await requestOptionsFor(resolved, { timeoutMs: options.requestTimeoutMs });
  const requestOptions = {
    ...credentials,
    headers: { ...(credentials.headers as OutgoingHttpHeaders), ...impersonation },
  };
  return {
    api: new ApiClient({
      server: resolved.server,
      requestOptions,
      timeoutMs: options.requestTimeoutMs,
      debug: options.debug,
    }),
    contextName: resolved.contextName,
    defaultNamespace: resolved.namespace,
    resolved,
  };
}

export interface LiveScope {
  /** undefined: all namespaces. */
  namespace?: string;
  /** Services named on the command line; empty means every Service in scope. */
  serviceNames: string[];
  /** -l: filters Services by label. */
  labelSelector?: string;
  /**
   * A named Service the server does not have: "fail" makes it a usage error, "report" reads
   * the others and names it in LiveResult.notFound.
   */
  whenNotFound?: 'fail' | 'report';
}

export interface LiveResult {
  objects: ClusterObject[];
  /** Optional inputs the server did not give (not served or forbidden), by coverage flag, in the table's order. */
  missing: Partial<Record<CoverageKey, string>>;
  /** Named Services the server does not have (with whenNotFound "report"). */
  notFound: string[];
  /** Policy kinds not evaluated and the enforcing plugin, as discovery shows them; its notes, what it could not tell. */
  policyEnvironment: PolicyEnvironment;
}

export interface FetchOptions {
  /** Applied to each object once slim (the snapshot's --redact). */
  transform?: (object: ClusterObject) => ClusterObject;
  /** The kinds to read: the table's unless a test adds one. */
  kinds?: readonly SourceKind[];
  /** Told of the objects as they are read, so that a model can be built while the rest downloads. */
  progress?: FetchProgress;
}

/**
 * What fetchLive tells as it reads: every object it returns goes through objects() once, and a
 * restarted() voids all told so far (a list read again from its start; the caller then takes
 * the result's objects as they are).
 */
export interface FetchProgress {
  objects(objects: ClusterObject[]): void;
  /** Every Service of the result has been told. */
  servicesComplete(): void;
  restarted(): void;
}

/** Whether the namespace exists; undefined when the server will not say (namespaces are not readable to everyone). */
export async function namespaceExists(conn: Connection, name: string): Promise<boolean | undefined> {
  try {
    await conn.api.get(`/api/v1/namespaces/${encodeURIComponent(name)}`);
    return true;
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) return false;
    return undefined;
  }
}

/** One line for a named Service the namespace does not hold. */
export function serviceNotFound(name: string, namespace: string): string {
  return `service "${name}" not found in namespace "${namespace}" (kubectl get services -n ${namespace} lists them)`;
}

const REFUSED = ' could not be read (';

/** The note for an optional kind the server forbids (403) or does not serve (404); undefined for any other failure. */
export function refusalNote(kind: KindSpec, e: unknown): string | undefined {
  if (!kind.optional || !(e instanceof ApiStatusError) || (e.status !== 403 && e.status !== 404)) return undefined;
  const why = e.status === 403 ? 'forbidden' : 'not served by this server';
  return `${kind.label}${REFUSED}${why}): ${kind.whenMissing}`;
}

/** "HTTPRoutes, GRPCRoutes and ReferenceGrants". */
function listLabels(labels: string[]): string {
  return labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/**
 * The optional kinds' notes by coverage flag, in the table's order. Kinds refused as one
 * (KindSpec.refusedAsOne) for the same reason share one note naming them all, under each flag.
 */
export function missingInOrder(kinds: readonly KindSpec[], notes: Map<KindSpec, string>): LiveResult['missing'] {
  const missing: Record<string, string> = {};
  const groups = new Map<string, KindSpec[]>();
  for (const kind of kinds) {
    const note = notes.get(kind);
    if (note === undefined || !kind.coverage) continue;
    missing[kind.coverage] = note;
    if (kind.refusedAsOne && kind.readWith) {
      const why = note.slice(note.indexOf(REFUSED) + REFUSED.length, note.indexOf('):'));
      pushTo(groups, `${kind.readWith} ${why}`, kind);
    }
  }
  for (const group of groups.values()) {
    const [first] = group;
    const note = notes.get(first)!;
    const shared = `${listLabels(group.map((k) => k.label))}${note.slice(first.label.length)}`;
    for (const kind of group) missing[kind.coverage!] = shared;
  }
  return missing;
}

/** `refused` without the kinds nothing of `objects` needs (KindSpec.neededBy): they leave no note. */
export function neededRefusals<K extends KindSpec>(
  refused: Map<K, string>,
  objects: readonly ClusterObject[],
): Map<K, string> {
  for (const kind of [...refused.keys()]) if (kind.neededBy && !kind.neededBy(objects)) refused.delete(kind);
  return refused;
}

/** The notes of what a live read missed, each once (kinds refused as one share theirs). */
export function missingNotes(missing: LiveResult['missing']): string[] {
  return [...new Set(Object.values(missing))];
}

/** What a live read covers: required kinds were read even when empty, optional ones unless the server refused. */
export function liveCoverage(missing: LiveResult['missing'], kinds: readonly KindSpec[] = KINDS): InputCoverage {
  return coverageFrom((kind) => !(kind.coverage! in missing), kinds);
}

/**
 * Reads every kind of the table, slimming each object as its page arrives. For named Services
 * only what they need is read, as each kind's whenServicesNamed says: those Services, their
 * slices (by label) and Endpoints (by name), their pods (by selector; the namespace's pods only
 * when a selector matches nothing, for the near-miss hint), and the other kinds whole.
 */
export async function fetchLive(conn: Connection, scope: LiveScope, options: FetchOptions = {}): Promise<LiveResult> {
  const { api } = conn;
  const kinds = options.kinds ?? SOURCE_KINDS;
  const { transform } = options;
  const slim = (kind: SourceKind, raw: Record<string, unknown>) =>
    transform ? transform(slimAs(kind, raw)) : slimAs(kind, raw);
  const refused = new Map<KindSpec, string>();

  /** A kind's read: an optional kind the server refuses reads as none, with a note. */
  const read = async <R>(kind: SourceKind, verb: string, work: () => Promise<R[]>): Promise<R[]> => {
    try {
      return await work();
    } catch (e) {
      const note = refusalNote(kind, e);
      if (note === undefined) throw describeFailure(e, api.server, kind, verb, scope.namespace);
      refused.set(kind, note);
      return [];
    }
  };
  const { progress } = options;
  /** `tell`: pages go to progress as they arrive (the named-Service reads tell their objects at the end). */
  const listSlim = async (kind: SourceKind, namespace: string | undefined, query: Query = {}, tell = true) => {
    let told = false;
    const objects = await read(kind, 'list', () =>
      api.list(
        collectionPath(kind, namespace),
        kind.fieldSelector ? { ...query, fieldSelector: kind.fieldSelector } : query,
        (item) => slim(kind, item),
        tell && progress
          ? {
              page: (page) => {
                told = true;
                progress.objects(page);
              },
              restarted: () => progress.restarted(),
            }
          : undefined,
      ),
    );
    // Refused after some pages (rare): what was told is not what is returned.
    if (told && refused.has(kind)) progress?.restarted();
    return objects;
  };
  const serviceKind = kinds.find((k) => k.kind === 'Service')!;

  if (scope.serviceNames.length === 0) {
    const [policyEnvironment, lists] = await Promise.all([
      readPolicyEnvironment(api, scope.namespace),
      Promise.all(
        kinds.map(async (kind) => {
          if (kind !== serviceKind) return listSlim(kind, scope.namespace);
          const services = await listSlim(kind, scope.namespace, { labelSelector: scope.labelSelector });
          progress?.servicesComplete();
          return services;
        }),
      ),
    ]);
    const objects = lists.flat();
    return {
      objects,
      missing: missingInOrder(kinds, neededRefusals(refused, objects)),
      notFound: [],
      policyEnvironment,
    };
  }

  const namespace = scope.namespace ?? conn.defaultNamespace;
  // `web svc/web` names one Service: read (and report) it once.
  const names = [...new Set(scope.serviceNames)];
  const podKind = kinds.find((k) => k.whenServicesNamed === 'selected')!;
  const others = kinds.filter((k) => k !== serviceKind && k !== podKind);
  // Objects found by a Service's name or label stay raw until their pod references are read (a few objects only).
  const readOther = async (
    kind: SourceKind,
  ): Promise<{ raws: Record<string, unknown>[]; objects: ClusterObject[] }> => {
    switch (kind.whenServicesNamed) {
      case 'named': {
        const raws = await read(kind, 'get', async () => {
          const found = await Promise.all(
            names.map((name) => getIfExists(api, objectPath(kind, namespace, name), name)),
          );
          return found.filter((raw): raw is Record<string, unknown> => raw !== undefined);
        });
        return { raws, objects: [] };
      }
      case 'labelled': {
        const labelSelector = `kubernetes.io/service-name in (${names.join(',')})`;
        const raws = await read(kind, 'list', () =>
          api.list(collectionPath(kind, namespace), { labelSelector }, (item) => item),
        );
        return { raws, objects: [] };
      }
      default:
        return { raws: [], objects: await listSlim(kind, namespace, {}, false) };
    }
  };
  const [named, otherReads, policyEnvironment] = await Promise.all([
    Promise.all(names.map((name) => read(serviceKind, 'get', () => getService(api, serviceKind, namespace, name)))),
    Promise.all(others.map(readOther)),
    readPolicyEnvironment(api, namespace),
  ]);

  const notFound = names.filter((_, i) => named[i].length === 0);
  if (notFound.length > 0 && scope.whenNotFound !== 'report') {
    throw new UsageError(serviceNotFound(notFound[0], namespace));
  }
  const services = named.flat();

  // Pods per selector; where a selector matches nothing, the namespace's pods and the
  // cluster-wide matches are what the near-miss hint reads.
  const pods = new Map<string, ClusterObject>();
  const podKey = (raw: Record<string, unknown>) =>
    `${stringAt(raw, 'metadata', 'namespace')}/${stringAt(raw, 'metadata', 'name')}`;
  // Selectors overlap, and a selector that matches nothing reads the namespace's pods again:
  // each pod is slimmed once.
  const addPods = (raws: Record<string, unknown>[]) =>
    raws.forEach((raw) => {
      const key = podKey(raw);
      if (!pods.has(key)) pods.set(key, slim(podKind, raw));
    });
  const listRawPods = (ns: string | undefined, labelSelector?: string) =>
    read(podKind, 'list', () => api.list(collectionPath(podKind, ns), { labelSelector }, (item) => item));
  const listedNamespaces = new Set<string>();
  await Promise.all(
    services.map(async ({ selector }) => {
      if (!selector) return;
      const query = formatLabels(selector);
      const matched = await listRawPods(namespace, query);
      addPods(matched);
      if (matched.length === 0) {
        listedNamespaces.add(namespace);
        const [inNamespace, elsewhere] = await Promise.all([listRawPods(namespace), listRawPods(undefined, query)]);
        addPods(inNamespace);
        addPods(elsewhere);
      }
    }),
  );

  // Slices and Endpoints may name pods the selectors did not return: the hand-made endpoints
  // of a selectorless Service, a pod relabelled, recreated or gone since. Checks can tell a
  // pod that is gone from one they were not given only with its namespace's pods, so those
  // are read (as -A reads them). Refused outside the Service's namespace, those references
  // are left unchecked rather than failing the run.
  const unresolved = new Set(
    podRefs(
      otherReads.flatMap((r) => r.raws),
      namespace,
    )
      .filter((ref) => !pods.has(`${ref.namespace}/${ref.name}`) && !listedNamespaces.has(ref.namespace))
      .map((ref) => ref.namespace),
  );
  await Promise.all(
    [...unresolved].map(async (ns) => {
      try {
        addPods(await api.list(collectionPath(podKind, ns), {}, (item) => item));
      } catch (e) {
        if (ns !== namespace && e instanceof ApiStatusError && e.status === 403) return;
        throw describeFailure(e, api.server, podKind, 'list', ns);
      }
    }),
  );
  const objectsOf = (kind: SourceKind): ClusterObject[] => {
    if (kind === serviceKind) return services.map((s) => slim(kind, s.raw));
    if (kind === podKind) return [...pods.values()];
    // Each kind was read either raw (by name or label) or slim (whole).
    const { raws, objects } = otherReads[others.indexOf(kind)];
    return raws.length > 0 ? raws.map((raw) => slim(kind, raw)) : objects;
  };
  const objects = kinds.flatMap(objectsOf);
  progress?.objects(objects);
  return { objects, missing: missingInOrder(kinds, neededRefusals(refused, objects)), notFound, policyEnvironment };
}

/**
 * One object of a kind read only by list (no get): listed by its name in the namespace (none for
 * a cluster-scoped kind), as `kubectl get` does with a field selector. None when it does not
 * exist; a refusal is an error, since the run is about that object.
 */
export async function readReferrer(
  conn: Connection,
  kind: KindSpec,
  namespace: string | undefined,
  name: string,
): Promise<ClusterObject[]> {
  const sourceKind = SOURCE_KINDS.find((k) => k.kind === kind.kind)!;
  try {
    return await conn.api.list(collectionPath(kind, namespace), { fieldSelector: `metadata.name=${name}` }, (item) =>
      slimAs(sourceKind, item),
    );
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) {
      throw new ClusterError(
        `the API server at ${conn.api.server} does not serve ${kind.resource} (${apiVersionOf(kind)}): there is no ${kind.kind} to follow`,
        e,
      );
    }
    throw describeFailure(e, conn.api.server, kind, 'list', namespace);
  }
}

/** The pods named by the targetRefs of slices' endpoints and of Endpoints' addresses, all read in `namespace`. */
function podRefs(raws: Record<string, unknown>[], namespace: string): { namespace: string; name: string }[] {
  const array = (value: unknown): unknown[] => (isJsonArray(value) ? value : []);
  const refs: { namespace: string; name: string }[] = [];
  for (const raw of raws) {
    const targets = [
      ...array(raw.endpoints),
      ...array(raw.subsets).flatMap((s) => [
        ...array(valueAt(s, 'addresses')),
        ...array(valueAt(s, 'notReadyAddresses')),
      ]),
    ];
    for (const target of targets) {
      const name = stringAt(target, 'targetRef', 'name');
      if (valueAt(target, 'targetRef', 'kind') === 'Pod' && name !== undefined) {
        refs.push({ namespace: stringAt(target, 'targetRef', 'namespace') || namespace, name });
      }
    }
  }
  return refs;
}

function objectPath(kind: KindSpec, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

/** The named Service with its selector, or none when the server has none of that name. */
async function getService(api: ApiClient, kind: SourceKind, namespace: string, name: string) {
  try {
    const raw = objectBody(await api.get(objectPath(kind, namespace, name)));
    return [{ raw, selector: (kind.slim(raw) as Service).selector }];
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) return [];
    throw e;
  }
}

/** An object's GET answer as an object; any other body slims as an object without a name. */
function objectBody(response: ApiResponse): JsonObject {
  return isJsonObject(response.body) ? response.body : {};
}

/** The object at `path`, or undefined when the server says that object (named `name`) does not exist. */
async function getIfExists(api: ApiClient, path: string, name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return objectBody(await api.get(path));
  } catch (e) {
    // A Service without an Endpoints object is normal (selectorless Services). Only a 404
    // that names the object says so: a server that does not serve the resource at all also
    // answers 404 NotFound, without a name, and that must become the "could not be read" note.
    if (e instanceof ApiStatusError && e.status === 404 && e.reason === 'NotFound' && e.details.name === name) {
      return undefined;
    }
    throw e;
  }
}

/** A failed read as one line: what was refused or unreachable, and what to do. */
export function describeFailure(e: unknown, server: string, kind: KindSpec, verb: string, namespace?: string): Error {
  if (e instanceof UsageError || e instanceof ClusterError) return e;
  const { resource } = kind;
  const scopeText = kind.namespaced ? (namespace ? ` in namespace "${namespace}"` : ' in all namespaces') : '';
  if (e instanceof ApiStatusError) {
    if (e.status === 401) {
      return new ClusterError(
        `the API server at ${server} rejected the credentials (401 Unauthorized); log in again or check the kubeconfig's user`,
        e,
      );
    }
    if (e.status === 403) {
      return new ClusterError(
        `forbidden: cannot ${verb} ${resource}${scopeText} (${e.message}); the user needs ${verb === 'watch' ? 'get, list and watch' : 'get and list'} on ${resource}`,
        e,
      );
    }
    if (e.status === 404) {
      return new ClusterError(
        `the API server at ${server} does not serve ${resource} (${e.message}); endpoints-doctor needs discovery.k8s.io/v1 EndpointSlices (Kubernetes 1.21+)`,
        e,
      );
    }
    return new ClusterError(
      `the API server failed to ${verb} ${resource}${scopeText}: ${e.status} ${e.reason}: ${e.message}`,
      e,
    );
  }
  return connectionError(server, e, `while trying to ${verb} ${resource}`);
}
