// A request's way in, as the real API server takes it: the path parsed into a resource and verb,
// the request recorded, the caller authenticated, the faults a test set up, the allow list; and
// the Status bodies the server answers errors with, and how any answer is sent.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import type { ExecHandler } from './exec.js';
import type { FaultAction, Faults, RequestTarget, Verb } from './faults.js';
import type { JsonObject } from './json-value.js';
import { RESOURCES, type ObjectStore, type ResourceType } from './store.js';

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
  headers: IncomingHttpHeaders;
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

type ResourcePath = {
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
  if (parts[0] === 'api' && parts.length > 2) [version, rest] = [parts[1], parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length > 3) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
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

export function statusBody(code: number, reason: string, message: string, details?: JsonObject): JsonObject {
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

export function notFoundStatus(): JsonObject {
  return statusBody(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** The RBAC refusal exactly as the authorizer words it. */
function forbiddenStatus(user: string, parsed: ParsedRequest): JsonObject {
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

function authenticate(ctx: ServerContext, req: IncomingMessage): string | undefined {
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
  | { outcome: 'reject'; code: number; body: JsonObject; headers?: Record<string, string> }
  | { outcome: 'hang' };

export function beginRecord(ctx: ServerContext, req: IncomingMessage, parsed: ParsedRequest): RequestRecord {
  const rp = parsed.resourcePath;
  const record: RequestRecord = {
    method: req.method ?? 'GET',
    path: parsed.path,
    query: parsed.query,
    userAgent: req.headers['user-agent'],
    headers: req.headers,
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

/**
 * The API server gzips an answer over 128 KiB for a client that accepts gzip, at level 1
 * (k8s.io/apiserver's responsewriters: defaultGzipThresholdBytes, defaultGzipContentEncodingLevel).
 */
const GZIP_THRESHOLD_BYTES = 128 * 1024;

export function send(
  res: ServerResponse,
  record: RequestRecord,
  code: number,
  body: unknown,
  o: { drop?: { afterBytes?: number }; headers?: Record<string, string> } = {},
): void {
  let data = Buffer.from(JSON.stringify(body));
  const gzip = data.length > GZIP_THRESHOLD_BYTES && /\bgzip\b/.test(String(record.headers['accept-encoding'] ?? ''));
  if (gzip) data = gzipSync(data, { level: 1 });
  record.status = code;
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': data.length,
    'Cache-Control': 'no-cache, private',
    ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
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
