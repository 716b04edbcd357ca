// Lists, paginated with limit and continue tokens over the snapshot their first page took, and
// watches, newline-delimited events with bookmarks and 410 Expired after a compaction.

import type { ServerResponse } from 'node:http';
import type { JsonObject } from './json-value.js';
import { send, statusBody, type RequestRecord, type ServerContext } from './requests.js';
import { apiVersionOf, matchesFilter, type ListFilter, type ResourceType, type StoreEvent } from './store.js';

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

export function list(
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
  const metadata: JsonObject = { resourceVersion: String(snapshot.rv) };
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

export function watch(
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
  const write = (type: string, object: JsonObject) => res.write(`${JSON.stringify({ type, object })}\n`);
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
