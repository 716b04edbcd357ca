// The HTTP side of the test server: each request admitted (requests.ts), then answered in the
// shapes the real API server uses: discovery (discovery.ts), get, create and delete here, list and
// watch (list-watch.ts), pods/ephemeralcontainers (ephemeral-containers.ts), Status bodies for errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nonResource } from './discovery.js';
import { isJsonObject } from './json-value.js';
import { parseLabelSelector, SelectorError } from './label-selector.js';
import { ephemeralContainers } from './ephemeral-containers.js';
import { list, watch } from './list-watch.js';
import {
  admit,
  beginRecord,
  notFoundStatus,
  parseRequest,
  send,
  statusBody,
  type RequestRecord,
  type ServerContext,
} from './requests.js';
import { parseFieldSelector, StoreError, type ListFilter, type ResourceType } from './store.js';

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
    !ctx.store.serves(resource) ||
    (rp.namespace !== undefined && !resource.namespaced)
  ) {
    return send(res, record, 404, notFoundStatus(), { drop });
  }
  if (rp.subresource !== undefined) {
    if (resource.plural === 'pods' && rp.subresource === 'exec') {
      return send(res, record, 400, statusBody(400, 'BadRequest', 'Upgrade request required'), { drop });
    }
    if (resource.plural === 'pods' && rp.subresource === 'ephemeralcontainers' && rp.name !== undefined) {
      // faults.unserve('pods/ephemeralcontainers'): a cluster with the feature off answers 404.
      if (rp.namespace === undefined || !ctx.faults.isServed('pods/ephemeralcontainers', ''))
        return send(res, record, 404, notFoundStatus(), { drop });
      return ephemeralContainers(ctx, req, res, record, rp.namespace, rp.name);
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
  let object: unknown;
  try {
    object = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return send(res, record, 400, statusBody(400, 'BadRequest', 'the request body is not JSON'));
  }
  if (!isJsonObject(object))
    return send(res, record, 400, statusBody(400, 'BadRequest', 'the request body is not a JSON object'));
  const meta = (object.metadata ??= {});
  if (!isJsonObject(meta)) return send(res, record, 400, statusBody(400, 'BadRequest', 'metadata is not an object'));
  meta.namespace = namespace;
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName !== '')
    meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
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
