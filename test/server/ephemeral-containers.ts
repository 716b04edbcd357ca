// The pods/ephemeralcontainers subresource, as the API server serves it since Kubernetes 1.23:
// GET answers the whole Pod; PUT and PATCH change only the pod's spec.ephemeralContainers, which
// may grow but never lose or change a container (the API reference's EphemeralContainer: "To add
// an ephemeral container, use the ephemeralcontainers subresource of an existing Pod. Ephemeral
// containers may not be removed or restarted",
// https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#EphemeralContainer).
// kubectl debug sends a strategic merge patch (kubectl's pkg/cmd/debug/debug.go,
// debugByEphemeralContainer); client-node's replace sends a PUT. No kubelet runs here: the test
// moves status.ephemeralContainerStatuses along, and exec into a running one runs the test's
// exec handler.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonArray, isJsonObject, stringAt, type JsonObject } from './json-value.js';
import { send, statusBody, type RequestRecord, type ServerContext } from './requests.js';
import { resourceNamed, type StoredObject } from './store.js';

/** Fields an ephemeral container may not set: it has no ports, probes, lifecycle or resources of its own. */
const FORBIDDEN_FIELDS = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resources'];

/** Go clients send empty structs and lists (`"resources": {}`): those set nothing. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (isJsonArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.values(value).some(isSet);
  return true;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function containerList(pod: JsonObject, field: string): JsonObject[] {
  const list = isJsonObject(pod.spec) ? pod.spec[field] : undefined;
  return isJsonArray(list) ? list.filter(isJsonObject) : [];
}

function invalid(pod: StoredObject, causes: { field: string; message: string }[]): JsonObject {
  const name = pod.metadata.name;
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return statusBody(422, 'Invalid', `Pod "${name}" is invalid: ${text}`, {
    name,
    kind: 'Pod',
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

/** What is wrong with the new list of ephemeral containers, next to the old one and the pod's other containers. */
function validate(pod: StoredObject, next: JsonObject[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const field = 'spec.ephemeralContainers';
  const byName = new Map(next.map((c) => [stringAt(c, 'name'), c]));
  for (const old of containerList(pod, 'ephemeralContainers')) {
    const name = stringAt(old, 'name') ?? '';
    const now = byName.get(name);
    if (!now)
      problems.push({ field, message: `Forbidden: existing ephemeral containers "${name}" may not be removed` });
    else if (JSON.stringify(now) !== JSON.stringify(old))
      problems.push({ field, message: `Forbidden: existing ephemeral containers "${name}" may not be changed` });
  }
  const others = new Set(
    [...containerList(pod, 'containers'), ...containerList(pod, 'initContainers')].map((c) => stringAt(c, 'name')),
  );
  const seen = new Set<string>();
  next.forEach((c, i) => {
    const at = `${field}[${i}]`;
    const name = stringAt(c, 'name') ?? '';
    if (name === '') problems.push({ field: `${at}.name`, message: 'Required value' });
    else if (!DNS1123_LABEL.test(name) || name.length > 63)
      problems.push({ field: `${at}.name`, message: `Invalid value: "${name}": a lowercase RFC 1123 label` });
    else if (others.has(name) || seen.has(name))
      problems.push({ field: `${at}.name`, message: `Duplicate value: "${name}"` });
    seen.add(name);
    if (!stringAt(c, 'image')) problems.push({ field: `${at}.image`, message: 'Required value' });
    for (const f of FORBIDDEN_FIELDS)
      if (isSet(c[f]))
        problems.push({ field: `${at}.${f}`, message: 'Forbidden: cannot be set for an Ephemeral Container' });
  });
  return problems;
}

/** A strategic merge patch of the list: elements merged by name, new names appended, in $setElementOrder's order when it is given. */
function strategicMerge(old: JsonObject[], patch: JsonObject): JsonObject[] | string {
  const spec = isJsonObject(patch.spec) ? patch.spec : {};
  const items = spec.ephemeralContainers;
  if (items === undefined) return old;
  if (items === null) return [];
  if (!isJsonArray(items) || !items.every(isJsonObject)) return 'spec.ephemeralContainers is not a list of objects';
  const merged = new Map(old.map((c) => [stringAt(c, 'name') ?? '', c]));
  for (const item of items.filter(isJsonObject)) {
    const name = stringAt(item, 'name') ?? '';
    if (item.$patch === 'delete') merged.delete(name);
    else merged.set(name, { ...(merged.get(name) ?? {}), ...item });
  }
  const order = spec['$setElementOrder/ephemeralContainers'];
  if (!isJsonArray(order)) return [...merged.values()];
  const ordered = [...new Set(order.flatMap<JsonObject>((o) => merged.get(stringAt(o, 'name') ?? '') ?? []))];
  return [...ordered, ...[...merged.values()].filter((c) => !ordered.includes(c))];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** GET, PUT or PATCH of /api/v1/namespaces/NS/pods/NAME/ephemeralcontainers. */
export async function ephemeralContainers(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  namespace: string,
  name: string,
): Promise<void> {
  const pods = resourceNamed('pods')!;
  const pod = ctx.store.get(pods, namespace, name);
  if (!pod) {
    return send(res, record, 404, statusBody(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
  }
  const method = req.method ?? 'GET';
  if (method === 'GET') return send(res, record, 200, pod);
  if (method !== 'PUT' && method !== 'PATCH') {
    return send(
      res,
      record,
      405,
      statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
    );
  }
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return send(res, record, 400, statusBody(400, 'BadRequest', 'the request body is not JSON'));
  }
  if (!isJsonObject(body))
    return send(res, record, 400, statusBody(400, 'BadRequest', 'the request body is not a JSON object'));

  const old = containerList(pod, 'ephemeralContainers');
  let next: JsonObject[];
  if (method === 'PUT') {
    // Optimistic concurrency, as for any update: a stale resourceVersion is a conflict.
    const rv = stringAt(body, 'metadata', 'resourceVersion');
    if (rv !== undefined && rv !== pod.metadata.resourceVersion) {
      const message = `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`;
      return send(res, record, 409, statusBody(409, 'Conflict', message, { name, kind: 'pods' }));
    }
    next = containerList(body, 'ephemeralContainers');
  } else {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    if (type !== 'application/strategic-merge-patch+json' && type !== 'application/merge-patch+json') {
      const message = `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`;
      return send(res, record, 415, statusBody(415, 'UnsupportedMediaType', message));
    }
    // A JSON merge patch replaces the list whole; a strategic one merges by name.
    const result =
      type === 'application/strategic-merge-patch+json'
        ? strategicMerge(old, body)
        : isJsonObject(body.spec) && body.spec.ephemeralContainers !== undefined
          ? isJsonArray(body.spec.ephemeralContainers)
            ? body.spec.ephemeralContainers.filter(isJsonObject)
            : []
          : old;
    if (typeof result === 'string') return send(res, record, 400, statusBody(400, 'BadRequest', result));
    next = result;
  }
  const problems = validate(pod, next);
  if (problems.length > 0) return send(res, record, 422, invalid(pod, problems));
  // Only the list changes: everything else in the body is ignored, as the subresource's strategy does.
  const updated = ctx.store.update({ ...pod, spec: { ...(pod.spec as JsonObject), ephemeralContainers: next } });
  return send(res, record, 200, updated);
}

/** The state a test gives an ephemeral container's status: running, or waiting or terminated with a reason. */
export type EphemeralState =
  | { running: true }
  | { waiting: { reason: string; message?: string } }
  | { terminated: { reason: string; exitCode: number; message?: string } };

/** The pod with the named ephemeral container's status set (added or replaced), as the kubelet would report it. */
export function withEphemeralStatus(pod: StoredObject, container: string, state: EphemeralState): StoredObject {
  const spec = containerList(pod, 'ephemeralContainers').find((c) => stringAt(c, 'name') === container);
  const status = isJsonObject(pod.status) ? pod.status : {};
  const statuses = isJsonArray(status.ephemeralContainerStatuses)
    ? status.ephemeralContainerStatuses.filter(isJsonObject)
    : [];
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const stateField =
    'running' in state
      ? { running: { startedAt: now } }
      : 'waiting' in state
        ? { waiting: state.waiting }
        : { terminated: { ...state.terminated, startedAt: now, finishedAt: now } };
  const entry = {
    name: container,
    image: stringAt(spec, 'image') ?? '',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: stateField,
    lastState: {},
  };
  return {
    ...pod,
    status: {
      ...status,
      ephemeralContainerStatuses: [...statuses.filter((s) => stringAt(s, 'name') !== container), entry],
    },
  };
}

/** Whether the pod has an ephemeral container of that name whose status says it runs. */
export function ephemeralRunning(pod: StoredObject, container: string): boolean | undefined {
  if (!containerList(pod, 'ephemeralContainers').some((c) => stringAt(c, 'name') === container)) return undefined;
  const status = isJsonObject(pod.status) ? pod.status : {};
  const statuses = isJsonArray(status.ephemeralContainerStatuses) ? status.ephemeralContainerStatuses : [];
  return statuses.some(
    (s) =>
      stringAt(s, 'name') === container && isJsonObject(s) && isJsonObject(s.state) && isJsonObject(s.state.running),
  );
}
