// The live cluster as a source: kubeconfig resolution as kubectl does it, then the reads,
// scoped on the server to what was asked and run concurrently.

import { ClusterError, UsageError } from '../core/errors.js';
import { formatLabels } from '../core/selectors.js';
import { ApiClient, ApiStatusError, connectionError, type Query } from './kube-api.js';
import { requestOptionsFor, resolveKubeconfig, type ResolvedContext } from './kubeconfig.js';
import { slimService, type KnownKind } from './slim.js';

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
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
  const requestOptions = await requestOptionsFor(resolved, { timeoutMs: options.requestTimeoutMs });
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

export interface LiveResult<T> {
  objects: T[];
  /** Optional inputs the server did not give (not served or forbidden). */
  missing: { endpoints?: string; nodes?: string };
  /** Named Services the server does not have (with whenNotFound "report"). */
  notFound: string[];
}

/** One line for a named Service the namespace does not hold. */
export function serviceNotFound(name: string, namespace: string): string {
  return `service "${name}" not found in namespace "${namespace}" (kubectl get services -n ${namespace} lists them)`;
}

const PATHS: Record<KnownKind, { group: string; plural: string; namespaced: boolean }> = {
  Service: { group: '/api/v1', plural: 'services', namespaced: true },
  Pod: { group: '/api/v1', plural: 'pods', namespaced: true },
  Endpoints: { group: '/api/v1', plural: 'endpoints', namespaced: true },
  Node: { group: '/api/v1', plural: 'nodes', namespaced: false },
  EndpointSlice: { group: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
};

export function collectionPath(kind: KnownKind, namespace?: string): string {
  const p = PATHS[kind];
  return p.namespaced && namespace
    ? `${p.group}/namespaces/${encodeURIComponent(namespace)}/${p.plural}`
    : `${p.group}/${p.plural}`;
}

type Convert<T> = (kind: KnownKind, raw: Record<string, unknown>) => T;

/**
 * Reads what the scope needs, converting each object as its page arrives. For named
 * Services only those Services, their slices (by label) and their pods (by selector) are
 * read; the namespace's pods only when a selector matches nothing (for the near-miss hint).
 */
export async function fetchLive<T>(conn: Connection, scope: LiveScope, convert: Convert<T>): Promise<LiveResult<T>> {
  const { api } = conn;
  const missing: LiveResult<T>['missing'] = {};

  const required = async <R>(kind: KnownKind, verb: string, work: () => Promise<R>): Promise<R> => {
    try {
      return await work();
    } catch (e) {
      throw describeFailure(e, api.server, kind, verb, scope.namespace);
    }
  };
  const optional = async <R>(kind: 'Endpoints' | 'Node', work: () => Promise<R[]>): Promise<R[]> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof ApiStatusError && (e.status === 403 || e.status === 404)) {
        const why = e.status === 403 ? 'forbidden' : 'not served by this server';
        const key = kind === 'Node' ? 'nodes' : 'endpoints';
        missing[key] =
          kind === 'Node'
            ? `Nodes could not be read (${why}): checks that need them were skipped`
            : `Endpoints (v1) could not be read (${why}): diagnosed from EndpointSlices alone`;
        return [];
      }
      throw describeFailure(e, api.server, kind, 'list', kind === 'Node' ? undefined : scope.namespace);
    }
  };
  const list = (kind: KnownKind, namespace: string | undefined, query: Query = {}) =>
    api.list(collectionPath(kind, namespace), query, (item) => convert(kind, item));

  const listNodes = () => optional('Node', () => list('Node', undefined));

  if (scope.serviceNames.length === 0) {
    const [services, slices, pods, endpoints, nodes] = await Promise.all([
      required('Service', 'list', () => list('Service', scope.namespace, { labelSelector: scope.labelSelector })),
      required('EndpointSlice', 'list', () => list('EndpointSlice', scope.namespace)),
      required('Pod', 'list', () => list('Pod', scope.namespace)),
      optional('Endpoints', () => list('Endpoints', scope.namespace)),
      listNodes(),
    ]);
    return { objects: [...services, ...slices, ...pods, ...endpoints, ...nodes], missing, notFound: [] };
  }

  const namespace = scope.namespace ?? conn.defaultNamespace;
  // `web svc/web` names one Service: read (and report) it once.
  const names = [...new Set(scope.serviceNames)];
  const nameSelector = `kubernetes.io/service-name in (${names.join(',')})`;
  // Slices and Endpoints stay raw until their pod references are read (a few objects only).
  const [named, slices, endpoints, nodes] = await Promise.all([
    Promise.all(names.map((name) => required('Service', 'get', () => getService(api, namespace, name)))),
    required('EndpointSlice', 'list', () =>
      api.list(collectionPath('EndpointSlice', namespace), { labelSelector: nameSelector }, (item) => item),
    ),
    optional('Endpoints', async () => {
      const found = await Promise.all(
        names.map((name) =>
          getIfExists(api, `${collectionPath('Endpoints', namespace)}/${encodeURIComponent(name)}`, name),
        ),
      );
      return found.filter((raw): raw is Record<string, unknown> => raw !== undefined);
    }),
    listNodes(),
  ]);

  const notFound = names.filter((_, i) => named[i] === undefined);
  if (notFound.length > 0 && scope.whenNotFound !== 'report') {
    throw new UsageError(serviceNotFound(notFound[0]!, namespace));
  }
  const services = named.filter((s) => s !== undefined);

  // Pods per selector; where a selector matches nothing, the namespace's pods and the
  // cluster-wide matches are what the near-miss hint reads.
  const pods = new Map<string, T>();
  const podKey = (raw: Record<string, any>) => `${raw.metadata?.namespace}/${raw.metadata?.name}`;
  // Selectors overlap, and a selector that matches nothing reads the namespace's pods again:
  // convert each pod once, since convert may collect as it goes (loadInput's does).
  const addPods = (raws: Record<string, unknown>[]) =>
    raws.forEach((raw) => {
      const key = podKey(raw);
      if (!pods.has(key)) pods.set(key, convert('Pod', raw));
    });
  const listRawPods = (ns: string | undefined, labelSelector?: string) =>
    required('Pod', 'list', () => api.list(collectionPath('Pod', ns), { labelSelector }, (item) => item));
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
    podRefs([...slices, ...endpoints], namespace)
      .filter((ref) => !pods.has(`${ref.namespace}/${ref.name}`) && !listedNamespaces.has(ref.namespace))
      .map((ref) => ref.namespace),
  );
  await Promise.all(
    [...unresolved].map(async (ns) => {
      try {
        addPods(await api.list(collectionPath('Pod', ns), {}, (item) => item));
      } catch (e) {
        if (ns !== namespace && e instanceof ApiStatusError && e.status === 403) return;
        throw describeFailure(e, api.server, 'Pod', 'list', ns);
      }
    }),
  );
  return {
    objects: [
      ...services.map((s) => convert('Service', s.raw)),
      ...slices.map((raw) => convert('EndpointSlice', raw)),
      ...pods.values(),
      ...endpoints.map((raw) => convert('Endpoints', raw)),
      ...nodes,
    ],
    missing,
    notFound,
  };
}

/** The pods named by the targetRefs of slices' endpoints and of Endpoints' addresses, all read in `namespace`. */
function podRefs(raws: Record<string, any>[], namespace: string): { namespace: string; name: string }[] {
  const array = (value: unknown): any[] => (Array.isArray(value) ? value : []);
  const refs: { namespace: string; name: string }[] = [];
  for (const raw of raws) {
    const targets = [
      ...array(raw.endpoints),
      ...array(raw.subsets).flatMap((s) => [...array(s?.addresses), ...array(s?.notReadyAddresses)]),
    ];
    for (const { targetRef: ref } of targets.filter(Boolean)) {
      if (ref?.kind === 'Pod' && typeof ref.name === 'string') {
        refs.push({ namespace: ref.namespace || namespace, name: ref.name });
      }
    }
  }
  return refs;
}

/** The named Service, or undefined when the server has none of that name. */
async function getService(api: ApiClient, namespace: string, name: string) {
  try {
    const { body } = await api.get(`${collectionPath('Service', namespace)}/${encodeURIComponent(name)}`);
    return { raw: body as Record<string, unknown>, selector: slimService(body).selector };
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) return undefined;
    throw e;
  }
}

/** The object at `path`, or undefined when the server says that object (named `name`) does not exist. */
async function getIfExists(api: ApiClient, path: string, name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await api.get(path)).body;
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
export function describeFailure(e: unknown, server: string, kind: KnownKind, verb: string, namespace?: string): Error {
  if (e instanceof UsageError || e instanceof ClusterError) return e;
  const resource = PATHS[kind].plural;
  const scopeText = PATHS[kind].namespaced ? (namespace ? ` in namespace "${namespace}"` : ' in all namespaces') : '';
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
