// A bare HTTPS client for tests that look at exact status codes, headers and bodies, which
// kubectl and client-node would retry, reword or hide.

import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { KeyPair } from './certs.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, its shape for the caller to check. */
  json(): unknown;
}

export interface RawOptions {
  /** Bearer token; null sends none. Defaults to the server's. */
  token?: string | null;
  /** A client certificate to present. */
  cert?: KeyPair;
  /** Give up (reject) after this long without a complete answer. */
  timeoutMs?: number;
}

export function rawGet(
  server: { url: string; caPem: string; token: string },
  path: string,
  o: RawOptions = {},
): Promise<RawResponse> {
  const token = o.token === undefined ? server.token : o.token;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        ca: server.caPem,
        ...(o.cert ? { cert: o.cert.certPem, key: o.cert.keyPem } : {}),
        headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) return reject(new Error('response ended before its body was complete'));
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: (): unknown => JSON.parse(text) });
        });
      },
    );
    if (o.timeoutMs !== undefined) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
