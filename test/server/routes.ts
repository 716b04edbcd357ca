// The HTTP side of the test server: authentication, faults, the allow list, discovery, and
// get/list/watch of the served resources, answering in the shapes the real API server uses
// (Status errors, typed lists without item kinds, newline-delimited watch events).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseLabelSelector, SelectorError } from './label-selector.js';
import type { ExecHandler } from './exec.js';
import type { FaultAction, Faults, RequestTarget, Verb } from './faults.js';
import {
  apiVersionOf,
  matchesFilter,
  parseFieldSelector,
  RESOURCES,
  StoreError,
  type ListFilter,
  type ObjectStore,
  type Raw,
  type ResourceType,
  type StoreEvent,
} from './store.js';

/** One ClusterRole-style rule of the allow list; `namespaces` narrows it like a RoleBinding would. */
export interface PolicyRule {
  /** Unset: any group. '' is the core group. */
  apiGroups?: string[];
  /** Plural names, "pods/exec", or '*'. */
  resources: string[];
  /** get, list, watch, create..., or '*'. */
  verbs: string[];
  namespaces?: string[];
}

export interface RequestRecord {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  userAgent?: string;
  /** Who authenticated; undefined when the request was refused with 401. */
  user?: string;
  verb?: Verb;
  /** "pods", "endpointslices", "pods/exec"...; undefined for discovery and other paths. */
  resource?: string;
  namespace?: string;
  name?: string;
  /** The HTTP status sent (101 for an exec upgrade); undefined while pending or hung. */
  status?: number;
}

export interface ServerContext {
  store: ObjectStore;
  faults: Faults;
  requests: RequestRecord[];
  token: string;
  tokenUser: string;
  rules?: PolicyRule[];
  exec?: ExecHandler;
  /** host:port, for /api's serverAddressByClientCIDRs. */
  address: string;
}

export type ResourcePath = {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Undefined when the path names a resource this server does not know. */
  resource?: ResourceType;
};

export interface ParsedRequest {
  path: string;
  query: URLSearchParams;
  /** Set for /api/v1/... and /apis/GROUP/VERSION/... paths below the discovery documents. */
  resourcePath?: ResourcePath;
  target: RequestTarget;
}

const METHOD_VERBS: Record<string, Verb> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function parseRequest(method: string, rawUrl: string): ParsedRequest {
  const url = new URL(rawUrl, 'https://test-server');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const query = url.searchParams;
  const watching = query.get('watch') === 'true' || query.get('watch') === '1';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[] | undefined;
  let group = '';
  let version = '';
  if (parts[0] === 'api' && parts.length > 2) [version, rest] = [parts[1]!, parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length > 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
  if (!rest) return { path, query, target: { verb: METHOD_VERBS[method] ?? 'get' } };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
  const [plural = '', name, subresource] = rest;
  const resource = RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
  const verb: Verb =
    METHOD_VERBS[method] ??
    (subresource === 'exec' ? 'create' : watching ? 'watch' : name === undefined ? 'list' : 'get');
  return {
    path,
    query,
    resourcePath: { group, version, plural, namespace, name, subresource, resource },
    target: { resource: subresource ? `${plural}/${subresource}` : plural, group, verb, namespace },
  };
}

// ---------------------------------------------------------------------------------------------
// Status bodies

export function statusBody(code: number, reason: string, message: string, details?: Raw): Raw {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function notFoundStatus(): Raw {
  return statusBody(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** The RBAC refusal exactly as the authorizer words it. */
export function forbiddenStatus(user: string, parsed: ParsedRequest): Raw {
  const rp = parsed.resourcePath;
  const verb = parsed.target.verb;
  if (!rp) return statusBody(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${parsed.path}"`, {});
  const qualified = rp.group ? `${rp.plural}.${rp.group}` : rp.plural;
  const subject = rp.name !== undefined ? `${qualified} "${rp.name}"` : qualified;
  const scope = rp.namespace !== undefined ? `in the namespace "${rp.namespace}"` : 'at the cluster scope';
  return statusBody(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${parsed.target.resource}" in API group "${rp.group}" ${scope}`,
    { ...(rp.name !== undefined ? { name: rp.name } : {}), ...(rp.group ? { group: rp.group } : {}), kind: rp.plural },
  );
}

function allowedByRules(rules: PolicyRule[] | undefined, target: RequestTarget): boolean {
  // Discovery is open to every authenticated user, as system:discovery grants on a real cluster.
  if (!rules || target.resource === undefined) return true;
  const any = (list: string[] | undefined, value: string) => !list || list.includes('*') || list.includes(value);
  return rules.some(
    (r) =>
      any(r.apiGroups, target.group ?? '') &&
      any(r.resources, target.resource!) &&
      any(r.verbs, target.verb) &&
      (!r.namespaces || (target.namespace !== undefined && r.namespaces.includes(target.namespace))),
  );
}

// ---------------------------------------------------------------------------------------------
// Admission: what every request goes through before its handler, exec upgrades included

export function authenticate(ctx: ServerContext, req: IncomingMessage): string | undefined {
  // Like the real union authenticator: a verified client certificate counts first, then the token.
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const cn = socket.getPeerCertificate().subject?.CN;
    if (cn) return Array.isArray(cn) ? cn[0] : cn;
  }
  const auth = req.headers.authorization;
  if (auth && /^bearer /i.test(auth) && auth.slice(7).trim() === ctx.token) return ctx.tokenUser;
  return undefined;
}

export type Admission =
  | { outcome: 'ok'; user: string; drop?: { afterBytes?: number } }
  | { outcome: 'reject'; code: number; body: Raw; headers?: Record<string, string> }
  | { outcome: 'hang' };

export function beginRecord(ctx: ServerContext, req: IncomingMessage, parsed: ParsedRequest): RequestRecord {
  const rp = parsed.resourcePath;
  const record: RequestRecord = {
    method: req.method ?? 'GET',
    path: parsed.path,
    query: parsed.query,
    userAgent: req.headers['user-agent'],
    verb: parsed.target.verb,
    resource: parsed.target.resource,
    namespace: rp?.namespace,
    name: rp?.name,
  };
  ctx.requests.push(record);
  return record;
}

export async function admit(
  ctx: ServerContext,
  req: IncomingMessage,
  parsed: ParsedRequest,
  record: RequestRecord,
): Promise<Admission> {
  const user = authenticate(ctx, req);
  if (!user) return { outcome: 'reject', code: 401, body: statusBody(401, 'Unauthorized', 'Unauthorized') };
  record.user = user;
  const { delayMs, action } = ctx.faults.take(parsed.target);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (action) {
    const outcome = faultOutcome(action, user, parsed);
    if (outcome) return outcome;
  }
  if (!allowedByRules(ctx.rules, parsed.target))
    return { outcome: 'reject', code: 403, body: forbiddenStatus(user, parsed) };
  return { outcome: 'ok', user, ...(action?.kind === 'drop' ? { drop: { afterBytes: action.afterBytes } } : {}) };
}

function faultOutcome(
  action: Exclude<FaultAction, { kind: 'delay' }>,
  user: string,
  parsed: ParsedRequest,
): Admission | undefined {
  switch (action.kind) {
    case 'forbid':
      return { outcome: 'reject', code: 403, body: forbiddenStatus(user, parsed) };
    case 'hang':
      return { outcome: 'hang' };
    case 'drop':
      return undefined; // answered normally, cut short while sending
    case 'status': {
      const retry = action.retryAfterSeconds;
      const details = retry !== undefined ? { retryAfterSeconds: retry } : { causes: [{ message: action.message }] };
      return {
        outcome: 'reject',
        code: action.code,
        body: statusBody(action.code, action.reason, action.message, details),
        ...(retry !== undefined ? { headers: { 'Retry-After': String(retry) } } : {}),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Responses

function send(
  res: ServerResponse,
  record: RequestRecord,
  code: number,
  body: unknown,
  o: { drop?: { afterBytes?: number }; headers?: Record<string, string> } = {},
): void {
  const data = Buffer.from(JSON.stringify(body));
  record.status = code;
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': data.length,
    'Cache-Control': 'no-cache, private',
    ...o.headers,
  });
  if (!o.drop) {
    res.end(data);
    return;
  }
  // Part of the body, then the socket goes away: the client sees a truncated response.
  const cut = Math.max(0, Math.min(o.drop.afterBytes ?? Math.floor(data.length / 2), data.length - 1));
  res.write(data.subarray(0, cut), () => res.destroy());
}

export function createRequestHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          statusBody(500, 'InternalError', `test server bug: ${e instanceof Error ? e.stack : String(e)}`),
        ),
      );
    });
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const parsed = parseRequest(method, req.url ?? '/');
  const record = beginRecord(ctx, req, parsed);
  const admission = await admit(ctx, req, parsed, record);
  if (admission.outcome === 'hang') return;
  if (admission.outcome === 'reject')
    return send(res, record, admission.code, admission.body, { headers: admission.headers });
  const drop = admission.drop;

  const rp = parsed.resourcePath;
  if (!rp) {
    const doc = nonResource(ctx, parsed.path);
    if (doc === undefined) return send(res, record, 404, notFoundStatus(), { drop });
    if (typeof doc === 'string') {
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end(doc);
    }
    return send(res, record, 200, doc, { drop });
  }

  const resource = rp.resource;
  if (
    !resource ||
    !ctx.faults.isServed(resource.plural, resource.group) ||
    (rp.namespace !== undefined && !resource.namespaced)
  ) {
    return send(res, record, 404, notFoundStatus(), { drop });
  }
  if (rp.subresource !== undefined) {
    if (resource.plural === 'pods' && rp.subresource === 'exec') {
      return send(res, record, 400, statusBody(400, 'BadRequest', 'Upgrade request required'), { drop });
    }
    return send(res, record, 404, notFoundStatus(), { drop });
  }
  if (method === 'POST' && rp.name === undefined && rp.namespace !== undefined) {
    return create(ctx, req, res, record, resource, rp.namespace);
  }
  if (method === 'DELETE' && rp.name !== undefined) {
    const gone = ctx.store.get(resource, rp.namespace, rp.name);
    if (!gone) {
      const what = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
      return send(
        res,
        record,
        404,
        statusBody(404, 'NotFound', `${what} "${rp.name}" not found`, { name: rp.name, kind: resource.plural }),
      );
    }
    return send(res, record, 200, ctx.store.delete(gone));
  }
  if (method !== 'GET') {
    return send(
      res,
      record,
      405,
      statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
    );
  }

  let filter: ListFilter;
  try {
    filter = {
      namespace: rp.namespace,
      name: rp.name,
      labels: parseLabelSelector(parsed.query.get('labelSelector') ?? ''),
      fields: parseFieldSelector(parsed.query.get('fieldSelector') ?? '', resource),
    };
  } catch (e) {
    if (e instanceof SelectorError) return send(res, record, 400, statusBody(400, 'BadRequest', e.message));
    throw e;
  }

  if (parsed.target.verb === 'watch') return watch(ctx, res, record, resource, filter, parsed.query, drop);
  if (rp.name !== undefined) {
    const object = ctx.store.get(resource, rp.namespace, rp.name);
    if (!object) {
      const details = { name: rp.name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural };
      const what = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
      return send(res, record, 404, statusBody(404, 'NotFound', `${what} "${rp.name}" not found`, details), { drop });
    }
    return send(res, record, 200, object, { drop });
  }
  return list(ctx, res, record, resource, filter, parsed.query, drop);
}

/** POST to a namespaced collection: the object as sent, generateName filled in, stored (no admission, no defaults). */
async function create(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  resource: ResourceType,
  namespace: string,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let object: Raw;
  try {
    object = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return send(res, record, 400, statusBody(400, 'BadRequest', 'the request body is not JSON'));
  }
  const meta = (object.metadata ??= {});
  meta.namespace = namespace;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
  object.kind ??= resource.kind;
  try {
    return send(res, record, 201, ctx.store.create(object));
  } catch (e) {
    if (e instanceof StoreError) {
      const code = e.reason === 'AlreadyExists' ? 409 : e.reason === 'NotFound' ? 404 : 400;
      return send(res, record, code, statusBody(code, e.reason, e.message));
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Discovery

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-endpoints-doctor-test',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function servedResources(ctx: ServerContext, group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version && ctx.faults.isServed(r.plural, r.group));
}

function servedGroups(ctx: ServerContext): string[] {
  return [...new Set(RESOURCES.filter((r) => r.group && ctx.faults.isServed(r.plural, r.group)).map((r) => r.group))];
}

function groupDoc(ctx: ServerContext, name: string): Raw {
  const versions = [...new Set(servedResources(ctx, name, 'v1').map((r) => r.version))].map((version) => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { name, versions, preferredVersion: versions[0] };
}

function resourceList(ctx: ServerContext, group: string, version: string): Raw | undefined {
  const served = servedResources(ctx, group, version);
  if (served.length === 0) return undefined;
  const resources: Raw[] = [];
  for (const r of served) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      // Only what this server answers; writes go through the programmatic store API.
      verbs: ['get', 'list', 'watch'],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    });
    if (r.plural === 'pods') {
      resources.push({
        name: 'pods/exec',
        singularName: '',
        namespaced: true,
        kind: 'PodExecOptions',
        verbs: ['create', 'get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** Discovery and the other non-resource paths; a string answers as text/plain, undefined as 404. */
function nonResource(ctx: ServerContext, path: string): Raw | string | undefined {
  if (path === '/version') return VERSION;
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return 'ok';
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.address }],
    };
  }
  if (path === '/api/v1') return resourceList(ctx, '', 'v1');
  if (path === '/apis')
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(ctx).map((g) => groupDoc(ctx, g)) };
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m && servedGroups(ctx).includes(m[1]!)) {
    return m[2] ? resourceList(ctx, m[1]!, m[2]) : { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(ctx, m[1]!) };
  }
  // /openapi/v2 and /openapi/v3 answer 404, as on a server with OpenAPI turned off; kubectl get needs neither.
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// List with pagination

interface ContinueToken {
  snapshot: string;
  offset: number;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    return typeof token.snapshot === 'string' && Number.isInteger(token.offset) ? token : undefined;
  } catch {
    return undefined;
  }
}

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

function list(
  ctx: ServerContext,
  res: ServerResponse,
  record: RequestRecord,
  resource: ResourceType,
  filter: ListFilter,
  query: URLSearchParams,
  drop: { afterBytes?: number } | undefined,
): void {
  const limit = Math.max(0, Number.parseInt(query.get('limit') ?? '0', 10) || 0);
  const continueText = query.get('continue');
  // A continued list serves the rest of the snapshot its first page took, as etcd serves the
  // first page's revision; the client repeats its selectors, which the snapshot already applied.
  let snapshotId: string | undefined;
  let offset = 0;
  let snapshot;
  if (continueText) {
    const token = decodeContinue(continueText);
    if (!token)
      return send(
        res,
        record,
        400,
        statusBody(400, 'BadRequest', `invalid continue token: cannot decode "${continueText}"`),
      );
    snapshot = ctx.store.snapshot(token.snapshot);
    if (!snapshot) return send(res, record, 410, statusBody(410, 'Expired', EXPIRED_CONTINUE));
    [snapshotId, offset] = [token.snapshot, token.offset];
  } else {
    snapshot = { rv: ctx.store.resourceVersion, items: ctx.store.listShared(resource, filter) };
  }
  const end = limit > 0 ? Math.min(offset + limit, snapshot.items.length) : snapshot.items.length;
  const remaining = snapshot.items.length - end;
  const metadata: Raw = { resourceVersion: String(snapshot.rv) };
  if (remaining > 0) {
    snapshotId ??= ctx.store.saveSnapshot(snapshot);
    metadata.continue = encodeContinue({ snapshot: snapshotId, offset: end });
    // The real server counts the rest only when no selector could shrink it.
    if (!filter.labels?.length && !filter.fields?.length) metadata.remainingItemCount = remaining;
  }
  // List items carry no kind or apiVersion, as the real server sends them.
  const items = snapshot.items.slice(offset, end).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  send(
    res,
    record,
    200,
    { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata, items },
    { drop },
  );
}

// ---------------------------------------------------------------------------------------------
// Watch

function watch(
  ctx: ServerContext,
  res: ServerResponse,
  record: RequestRecord,
  resource: ResourceType,
  filter: ListFilter,
  query: URLSearchParams,
  drop: { afterBytes?: number } | undefined,
): void {
  const rvText = query.get('resourceVersion') ?? '';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const initial = query.get('sendInitialEvents') === 'true' || rvText === '' || rvText === '0';
  const since = initial ? undefined : Number(rvText);
  if (since !== undefined && !Number.isInteger(since)) {
    return send(res, record, 400, statusBody(400, 'BadRequest', `invalid resource version: ${rvText}`));
  }

  record.status = 200;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders(); // clients wait for the headers before reading events
  const write = (type: string, object: Raw) => res.write(`${JSON.stringify({ type, object })}\n`);
  const bookmark = (rv: number, annotations?: Record<string, string>) =>
    write('BOOKMARK', {
      kind: resource.kind,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) },
    });

  const deliver = (e: StoreEvent) => {
    if (e.type === 'BOOKMARK') {
      if (bookmarks) bookmark(e.rv);
      return;
    }
    if (e.resource !== resource) return;
    // An object moving into or out of the selection is ADDED or DELETED for this watch.
    const now = e.type !== 'DELETED' && matchesFilter(filter, e.object, resource);
    const before = e.previous !== undefined && matchesFilter(filter, e.previous, resource);
    if (e.type === 'DELETED') {
      if (before) write('DELETED', e.object);
    } else if (now) write(before || e.type === 'ADDED' ? e.type : 'ADDED', e.object);
    else if (before) write('DELETED', e.object);
  };

  if (since === undefined) {
    for (const object of ctx.store.listShared(resource, filter)) write('ADDED', object);
    if (query.get('sendInitialEvents') === 'true' && bookmarks) {
      bookmark(ctx.store.resourceVersion, { 'k8s.io/initial-events-end': 'true' });
    }
  } else {
    const events = ctx.store.eventsAfter(since);
    if (!events) {
      const oldest = ctx.store.oldestWatchableRV + 1;
      write('ERROR', statusBody(410, 'Expired', `too old resource version: ${since} (${oldest})`));
      return void res.end();
    }
    events.forEach(deliver);
  }
  if (drop) return void res.write('', () => res.destroy());

  const unsubscribe = ctx.store.subscribe(deliver);
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
  res.on('close', () => {
    unsubscribe();
    clearTimeout(timer);
  });
}
