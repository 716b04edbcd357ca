// The local vantage point (--connect-from local): connections from this machine, with Node's own
// sockets. Each attempt is a TCP connect; on an open http or https port a TLS handshake (does the
// port speak TLS, and does its certificate name the Service), and with --connect-http a GET whose
// status line is kept. Every connection is closed as soon as it has told what it can.

import { connect as tcpConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { lookupFromHere } from './dns.js';
import { certificateAnswer } from './tls-reply.js';
import type { Attempt, AttemptOptions, ConnectAnswer, ConnectResult, DnsVantage, TlsAnswer, Vantage } from './types.js';

/** What the first bytes of an HTTP response may hold before its status line ends. */
const STATUS_LINE_MAX = 256;

/** The result a failed connect stands for, by the system's error code. */
function resultOf(code: string | undefined): ConnectResult {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    // No route, an ICMP unreachable, a route that refuses (prohibit: EACCES) or discards (blackhole:
    // EINVAL): nothing to talk to.
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EACCES':
    case 'EPERM':
    case 'EINVAL':
      return 'unreachable';
    default:
      return 'error';
  }
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function errorText(e: unknown): string {
  return errorCode(e) ?? (e as Error | undefined)?.message ?? String(e);
}

/** Resolves with the socket's first outcome: its ready event, an error, or the timeout; the socket is destroyed on error and timeout. */
function settle<S extends Socket>(
  socket: S,
  ready: 'connect' | 'secureConnect',
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; error: unknown; timedOut: boolean }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, error: undefined, timedOut: true });
    }, timeoutMs);
    socket.once(ready, () => {
      clearTimeout(timer);
      resolve({ ok: true });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, error, timedOut: false });
    });
  });
}

async function tcp(attempt: Attempt, timeoutMs: number): Promise<ConnectAnswer> {
  const started = performance.now();
  const socket = tcpConnect({ host: attempt.address, port: attempt.port });
  const outcome = await settle(socket, 'connect', timeoutMs);
  const latencyMs = Math.round(performance.now() - started);
  socket.destroy();
  if (outcome.ok) return { result: 'open', latencyMs };
  if (outcome.timedOut) return { result: 'timeout', detail: `no answer in ${timeoutMs} ms` };
  const code = errorCode(outcome.error);
  return { result: resultOf(code), latencyMs, detail: errorText(outcome.error) };
}

/** OpenSSL's words for a reply that is no TLS record: the server spoke something else (HTTP, most often). */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;

function tlsSocket(attempt: Attempt): TLSSocket {
  return tlsConnect({
    host: attempt.address,
    port: attempt.port,
    // SNI carries a name, never an address; the check reads the certificate, it does not trust it.
    ...(attempt.serverNames[0] ? { servername: attempt.serverNames[0] } : {}),
    rejectUnauthorized: false,
  });
}

async function handshake(attempt: Attempt, timeoutMs: number): Promise<TlsAnswer> {
  const socket = tlsSocket(attempt);
  const outcome = await settle(socket, 'secureConnect', timeoutMs);
  if (!outcome.ok) {
    socket.destroy();
    if (outcome.timedOut) return { spoke: 'unknown', error: `no TLS answer in ${timeoutMs} ms` };
    const text = (outcome.error as Error | undefined)?.message ?? '';
    return NOT_TLS.test(text)
      ? { spoke: 'plain', error: 'the server answered, not in TLS' }
      : { spoke: 'unknown', error: errorText(outcome.error) };
  }
  const cert = socket.getPeerCertificate();
  socket.destroy();
  const cn = cert.subject?.CN;
  return certificateAnswer(
    { subjectaltname: cert.subjectaltname, ...(typeof cn === 'string' ? { commonName: cn } : {}) },
    attempt.serverNames,
  );
}

/** GET path over a new connection (TLS when the port speaks it): the response's status line. */
async function httpGet(
  attempt: Attempt,
  path: string,
  overTls: boolean,
  timeoutMs: number,
): Promise<{ statusLine?: string; error?: string }> {
  const socket: Socket = overTls ? tlsSocket(attempt) : tcpConnect({ host: attempt.address, port: attempt.port });
  const outcome = await settle(socket, overTls ? 'secureConnect' : 'connect', timeoutMs);
  if (!outcome.ok) {
    socket.destroy();
    return { error: outcome.timedOut ? `no connection in ${timeoutMs} ms` : errorText(outcome.error) };
  }
  const host = attempt.serverNames[0] ?? attempt.address;
  return new Promise((resolve) => {
    let received = '';
    const done = (answer: { statusLine?: string; error?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done({ error: `no response in ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end >= 0) done({ statusLine: received.slice(0, end) });
      else if (received.length >= STATUS_LINE_MAX) done({ statusLine: received.slice(0, STATUS_LINE_MAX) });
    });
    socket.on('error', (e) => done({ error: errorText(e) }));
    socket.on('end', () => done(received ? { statusLine: received } : { error: 'closed without a response' }));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: endpoints-doctor\r\nConnection: close\r\n\r\n`);
  });
}

async function attemptFromHere(attempt: Attempt, { timeoutMs, httpPath }: AttemptOptions): Promise<ConnectAnswer> {
  const answer = await tcp(attempt, timeoutMs);
  if (answer.result !== 'open' || attempt.speaks === 'tcp') return answer;
  const tls = await handshake(attempt, timeoutMs);
  if (httpPath === undefined) return { ...answer, tls };
  const http = await httpGet(attempt, httpPath, tls.spoke === 'tls', timeoutMs);
  return { ...answer, tls, http };
}

/** This machine: what it reaches (and resolves) is what a client on the same network does. */
export const LOCAL_VANTAGE: Vantage & DnsVantage = { name: 'local', attempt: attemptFromHere, lookup: lookupFromHere };
