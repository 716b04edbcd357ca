// pods/exec over WebSocket, in the channel protocols kubectl (v5.channel.k8s.io only, since
// 1.30) and client-node (v5 down to channel.k8s.io) offer. Each binary message starts with
// its channel: 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 terminal resize; v5 adds
// 255 "close channel N". The command itself is the test's handler.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { ephemeralRunning } from './ephemeral-containers.js';
import { isJsonArray, stringAt, valueAt, type JsonObject } from './json-value.js';
import {
  admit,
  beginRecord,
  notFoundStatus,
  parseRequest,
  statusBody,
  type RequestRecord,
  type ServerContext,
} from './requests.js';
import { resourceNamed, type StoredObject } from './store.js';

interface ExecRequest {
  namespace: string;
  podName: string;
  /** The pod as stored. */
  pod: StoredObject;
  container: string;
  /** argv, from the repeated `command` parameters. */
  command: string[];
  tty: boolean;
  /** Ends when the client closes stdin (or never sent any). */
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** The same stream as stdout when tty is set, as a terminal merges them. */
  stderr: NodeJS.WritableStream;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** The negotiated subprotocol. */
  protocol: string;
}

/** Runs a "command"; the returned number is its exit code (none: 0). */
export type ExecHandler = (exec: ExecRequest) => number | void | Promise<number | void>;

/** In the server's order of preference. v1-v3 report exit codes differently, so they are not offered. */
const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

export function createExecServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
}

/** Answers an upgrade request with an HTTP error, the way the API server refuses one before switching protocols. */
function refuse(
  socket: Duplex,
  record: RequestRecord,
  code: number,
  body: JsonObject,
  headers: Record<string, string> = {},
): void {
  record.status = code;
  const data = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${code} ${httpReason(code)}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(data)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${data}`);
}

function httpReason(code: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
    }[code] ?? 'Error'
  );
}

export async function handleUpgrade(
  ctx: ServerContext,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const parsed = parseRequest(req.method ?? 'GET', req.url ?? '/');
  const record = beginRecord(ctx, req, parsed);
  const admission = await admit(ctx, req, parsed, record);
  if (admission.outcome === 'hang') return;
  if (admission.outcome === 'reject') return refuse(socket, record, admission.code, admission.body, admission.headers);

  const rp = parsed.resourcePath;
  const pods = resourceNamed('pods')!;
  if (!rp || rp.resource !== pods || rp.subresource !== 'exec' || rp.name === undefined || rp.namespace === undefined) {
    return refuse(socket, record, 404, notFoundStatus());
  }
  if (!ctx.faults.isServed('pods', '')) return refuse(socket, record, 404, notFoundStatus());
  const pod = ctx.store.get(pods, rp.namespace, rp.name);
  if (!pod)
    return refuse(
      socket,
      record,
      404,
      statusBody(404, 'NotFound', `pods "${rp.name}" not found`, { name: rp.name, kind: 'pods' }),
    );

  const containers = containerNames(pod, 'containers');
  let container = parsed.query.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) {
      const message = `a container name must be specified for pod ${rp.name}, choose one of: [${containers.join(' ')}]`;
      return refuse(socket, record, 400, statusBody(400, 'BadRequest', message));
    }
    container = containers[0]!;
  } else if (containerNames(pod, 'ephemeralContainers').includes(container)) {
    // The API server lets exec name an ephemeral container; the kubelet finds it only once it runs.
    if (!ephemeralRunning(pod, container)) {
      const message = `unable to upgrade connection: container not found ("${container}")`;
      return refuse(socket, record, 500, statusBody(500, 'InternalError', message));
    }
  } else if (!containers.includes(container) && !containerNames(pod, 'initContainers').includes(container)) {
    return refuse(
      socket,
      record,
      400,
      statusBody(400, 'BadRequest', `container ${container} is not valid for pod ${rp.name}`),
    );
  }
  const command = parsed.query.getAll('command');
  if (command.length === 0) {
    return refuse(
      socket,
      record,
      400,
      statusBody(400, 'BadRequest', 'you must specify at least one command for the container'),
    );
  }

  if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
    // kubectl falls back to SPDY only when the WebSocket upgrade itself fails.
    const message = 'the test server speaks exec over WebSocket only (v5.channel.k8s.io, v4.channel.k8s.io), not SPDY';
    return refuse(socket, record, 400, statusBody(400, 'BadRequest', message));
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!EXEC_PROTOCOLS.some((p) => offered.includes(p))) {
    const message = `unable to upgrade: none of the offered subprotocols [${offered.join(', ')}] is one of [${EXEC_PROTOCOLS.join(', ')}]`;
    return refuse(socket, record, 400, statusBody(400, 'BadRequest', message));
  }

  wss.handleUpgrade(req, socket, head, (ws) => {
    record.status = 101;
    const flag = (name: string) => parsed.query.get(name) === 'true' || parsed.query.get(name) === '1';
    void run(ctx, ws, {
      namespace: rp.namespace!,
      podName: rp.name!,
      pod,
      container,
      command,
      tty: flag('tty'),
      wantsStdin: flag('stdin'),
    });
  });
}

/** The names of the pod's containers, initContainers or ephemeralContainers. */
function containerNames(pod: StoredObject, field: 'containers' | 'initContainers' | 'ephemeralContainers'): string[] {
  const containers = valueAt(pod, 'spec', field);
  return isJsonArray(containers) ? containers.flatMap((c) => stringAt(c, 'name') ?? []) : [];
}

interface ExecTarget {
  namespace: string;
  podName: string;
  pod: StoredObject;
  container: string;
  command: string[];
  tty: boolean;
  wantsStdin: boolean;
}

async function run(ctx: ServerContext, ws: WebSocket, t: ExecTarget): Promise<void> {
  const stdin = new PassThrough();
  if (!t.wantsStdin) stdin.end();
  const aborted = new AbortController();
  ws.on('message', (data: Buffer) => {
    const channel = data[0];
    if (channel === STDIN && !stdin.writableEnded) stdin.write(data.subarray(1));
    else if (channel === CLOSE && data[1] === STDIN) stdin.end();
    // Channel 4 (terminal resize) needs no answer.
  });
  ws.on('close', () => {
    if (!stdin.writableEnded) stdin.end();
    aborted.abort();
  });

  const channelStream = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), chunk]), { binary: true });
        callback();
      },
    });
  const stdout = channelStream(STDOUT);
  const stderr = t.tty ? stdout : channelStream(STDERR);

  let status: JsonObject;
  try {
    const handler = ctx.exec ?? defaultHandler;
    const code = (await handler({ ...t, stdin, stdout, stderr, signal: aborted.signal, protocol: ws.protocol })) ?? 0;
    stdout.end();
    stderr.end();
    await Promise.all([finished(stdout), finished(stderr)]);
    status = exitStatus(code, t.command);
  } catch (e) {
    status = {
      metadata: {},
      status: 'Failure',
      message: e instanceof Error ? e.message : String(e),
      reason: 'InternalError',
    };
  }
  if (ws.readyState !== WebSocket.OPEN) return;
  // Clients read the error channel to its end, which for them is the connection's normal closure.
  ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(status))]), { binary: true });
  ws.close(1000);
}

/** The Status the kubelet reports on the error channel; kubectl turns NonZeroExitCode into its own exit code. */
function exitStatus(code: number, command: string[]): JsonObject {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

const defaultHandler: ExecHandler = ({ command, stderr }) => {
  stderr.write(`test server: no exec handler set, cannot run ${JSON.stringify(command)}\n`);
  return 126;
};
