// A small read-only Kubernetes API client: kubeconfig.ts supplies the agent (TLS material, proxy)
// and the credentials; the requests themselves are plain HTTPS GETs, with kubectl's kind of
// User-Agent, gzip where it pays (decoded here), whose JSON pages are converted (slimmed) as
// they arrive, so no raw list is kept. Lists are paginated; 429 honours Retry-After, 5xx and
// dropped connections are retried a bounded number of times, an expired continue token restarts
// the list. Watches stream newline-delimited events.

import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ClusterError } from '../core/errors.js';
import { isJsonObject, stringAt, valueAt, type JsonObject } from '../core/json-value.js';
import { USER_AGENT } from '../core/version.js';
import { PageReader, parseListPage, type ListPage } from './list-page.js';

export type Query = Record<string, string | undefined>;

export interface ApiResponse<B = unknown> {
  status: number;
  /** The parsed JSON, unknown until read field by field (src/core/json-value.ts). */
  body: B;
  headers: http.IncomingHttpHeaders;
}

/** Told of a list's pages as they arrive, so that the caller can use them before the list ends. */
export interface ListProgress<T> {
  page(items: T[]): void;
  /** The list starts again (its continue token expired): the pages told so far are void. */
  restarted(): void;
}

/**
 * One page of a list asked for, read as it arrives. Once it is the page the list is reading, the
 * page its head names is asked for as soon as that head has arrived (not before: a page asked for
 * ahead asks for none), so that the server writes it while this one arrives.
 */
class PageRequest<T> {
  readonly abort = new AbortController();
  /** Undefined when the page could not be read as it arrived: read it whole. Its failure counts only once awaited. */
  readonly page: Promise<ListPage<T> | undefined>;
  /** The page asked for ahead. */
  next?: PageRequest<T>;
  private named?: string;
  private reading = false;

  constructor(
    /** The continue token this page was asked with. */
    readonly token: string | undefined,
    fetch: (request: PageRequest<T>) => Promise<ListPage<T> | undefined>,
    private readonly askFor: (token: string) => PageRequest<T>,
  ) {
    this.page = fetch(this);
    this.page.catch(() => undefined);
  }

  /** Its head has arrived and names the next page. */
  headRead(continueToken: string): void {
    this.named = continueToken;
    this.askAhead();
  }

  /** It is now the page the list reads. */
  read(): this {
    this.reading = true;
    this.askAhead();
    return this;
  }

  private askAhead(): void {
    if (this.reading && this.named && !this.next) this.next = this.askFor(this.named);
  }
}

/**
 * How a 2xx body is read: `whole`, once all of it has arrived; `pieces`, as it arrives, by a
 * reader made afresh for each attempt.
 */
type BodyReading<B> = { whole: (text: string) => B } | { pieces: () => PieceReader<B> };

interface PieceReader<B> {
  push(piece: string): void;
  end(): B;
}

/** An answer as it came; the body as text when it is not a 2xx one (a 2xx body went to the request's reader). */
interface RawResponse {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** A non-2xx answer from the API server, with its Status message. */
export class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** The Status's details: a 404 for a missing object names it, one for a resource not served does not. */
    readonly details: { name?: string; kind?: string } = {},
  ) {
    super(message);
  }
}

/** One event of a watch stream; BOOKMARK objects carry only metadata.resourceVersion. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: JsonObject;
}

const PAGE_SIZE = 500;
/** How long the server keeps one watch open (client-go picks 5 to 10 minutes). */
const WATCH_SECONDS = 300;
const MAX_RETRIES = 4;
const MAX_RETRY_AFTER_SECONDS = 30;

/** What of a request an exec plugin's credential decides: the agent (its client certificate) and the Authorization header. */
export interface RenewedCredentials {
  agent: http.Agent;
  headers: http.OutgoingHttpHeaders;
}

/**
 * Credentials that change during a run: an exec plugin's, kept until they expire and renewed
 * when the server refuses them (client-go's exec authenticator).
 */
export interface CredentialRenewal {
  /** The credentials for the next request. */
  current(): Promise<RenewedCredentials>;
  /**
   * The server answered 401 to a request sent with `refused`: renews the credentials unless
   * that was done since; true when the request is worth sending again with current().
   */
  afterUnauthorized(refused: RenewedCredentials): Promise<boolean>;
}

/** From requestOptionsFor: the agent (TLS material, proxy) and the credentials' headers, and how to use them. */
export interface TransportOptions extends https.RequestOptions {
  headers?: http.OutgoingHttpHeaders;
  /** The proxy the agent goes through, as messages name it. */
  proxy?: string;
  /** Ask for gzip (client-go does, unless the cluster says disable-compression) and decode it. */
  gzip?: boolean;
  /** Set for credentials that change during the run: they replace the agent and add their headers, request by request. */
  renewal?: CredentialRenewal;
}

export interface ApiClientOptions {
  server: string;
  requestOptions: TransportOptions;
  timeoutMs: number;
  debug: (line: string) => void;
}

export class ApiClient {
  private readonly requestOptions: https.RequestOptions;
  private readonly proxy?: string;
  private readonly renewal?: CredentialRenewal;
  /** The headers of this client's own GETs. */
  private readonly getHeaders: http.OutgoingHttpHeaders;

  constructor(private readonly options: ApiClientOptions) {
    const { proxy, gzip, renewal, ...requestOptions } = options.requestOptions;
    this.renewal = renewal;
    const headers: http.OutgoingHttpHeaders = { 'User-Agent': USER_AGENT, ...requestOptions.headers };
    this.requestOptions = { ...requestOptions, headers };
    this.getHeaders = {
      ...headers,
      Accept: 'application/json',
      ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}),
    };
    this.proxy = proxy;
    if (proxy) options.debug(`requests go through the proxy ${proxy}`);
  }

  /** What the next request carries; the probe's client-node calls (pods/exec, the debug pod) too. */
  async currentRequestOptions(): Promise<https.RequestOptions> {
    return withCredentials(this.requestOptions, await this.renewal?.current());
  }

  /** After a 401: whether renewed credentials are worth sending the request again with (once). */
  private renewedAfterUnauthorized(refused: RenewedCredentials | undefined): Promise<boolean> {
    return this.renewal && refused ? this.renewal.afterUnauthorized(refused) : Promise.resolve(false);
  }

  /** The server as messages show it: without the user and password a URL may carry. */
  get server(): string {
    return withoutUserinfo(this.options.server);
  }

  /** A failure below HTTP through a proxy-url says so: connectionError names the proxy. */
  private viaProxy = (e: Error): Error => (this.proxy ? Object.assign(e, { proxy: this.proxy }) : e);

  /** GET a path; retries what is worth retrying; throws ApiStatusError for other non-2xx answers. */
  get(path: string, query: Query = {}): Promise<ApiResponse> {
    return this.getAs(path, query, { whole: parseJson });
  }

  /**
   * As get, with the 2xx body read as `reading` says (a SyntaxError from a whole read means the
   * body is not JSON: retried like a cut connection; other errors of either pass through).
   */
  private async getAs<B>(
    path: string,
    query: Query,
    reading: BodyReading<B>,
    signal?: AbortSignal,
  ): Promise<ApiResponse<B>> {
    const url = new URL(this.options.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const credentials = await this.renewal?.current();
      let response: RawResponse;
      let body: B | undefined;
      try {
        const reader = 'pieces' in reading ? reading.pieces() : wholeReader(url, reading.whole);
        response = await this.request(url, credentials, signal, reader);
        if (isSuccess(response.status)) body = reader.end();
      } catch (e) {
        // A connection dropped mid-answer is retried; refused, unresolvable or timed out is final.
        if (isDroppedConnection(e) && attempt < MAX_RETRIES) {
          this.options.debug(
            `GET ${url.pathname}${url.search}: connection dropped (${(e as Error).message}), retrying`,
          );
          await sleep(backoff(attempt));
          continue;
        }
        throw e;
      }
      if (isSuccess(response.status)) return { status: response.status, headers: response.headers, body: body! };
      if (response.status === 401 && !renewed && (await this.renewedAfterUnauthorized(credentials))) {
        renewed = true;
        this.options.debug(`GET ${url.pathname}${url.search}: 401, credentials renewed, retrying`);
        continue;
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < MAX_RETRIES) {
        const retryAfter = Number(response.headers['retry-after']);
        const waitMs =
          response.status === 429 && Number.isFinite(retryAfter)
            ? Math.min(retryAfter, MAX_RETRY_AFTER_SECONDS) * 1000
            : backoff(attempt);
        this.options.debug(`GET ${url.pathname}${url.search}: ${response.status}, retrying in ${waitMs} ms`);
        await sleep(waitMs);
        continue;
      }
      throw statusError(response.status, statusBody(response.text));
    }
  }

  /**
   * Every item of a list, converted page by page. A 410 Gone on a continue token (it expired)
   * restarts the list from scratch, dropping what the stale pages gave.
   */
  async list<T>(
    path: string,
    query: Query,
    convert: (item: Record<string, unknown>) => T,
    progress?: ListProgress<T>,
  ): Promise<T[]> {
    return (await this.listAt(path, query, convert, progress)).items;
  }

  /**
   * As list, with the list's resourceVersion: where a watch of the same collection starts. Each
   * page is read as it arrives, and the next one asked for as soon as this one's head names it,
   * so that the server writes it while this one arrives.
   */
  async listAt<T>(
    path: string,
    query: Query,
    convert: (item: Record<string, unknown>) => T,
    progress?: ListProgress<T>,
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const pageQuery = (token: string | undefined): Query => ({ ...query, limit: String(PAGE_SIZE), continue: token });
    const ask = (token: string | undefined): PageRequest<T> =>
      new PageRequest<T>(
        token,
        (request) =>
          this.getAs(
            path,
            pageQuery(token),
            {
              pieces: () =>
                new PageReader(convert, (head) => head.continueToken && request.headRead(head.continueToken)),
            },
            request.abort.signal,
          ).then(({ body }) => body),
        (next) => {
          this.options.debug(`GET ${path}: asking for the next page while this one is read`);
          return ask(next);
        },
      );
    for (let restarts = 0; ; restarts++) {
      const items: T[] = [];
      let token: string | undefined;
      let current: PageRequest<T> | undefined;
      try {
        let resourceVersion = '';
        current = ask(token).read();
        for (;;) {
          const page: ListPage<T> = (await current.page) ?? (await this.wholePage(path, pageQuery(token), convert));
          for (const item of page.items) items.push(item);
          progress?.page(page.items);
          token = page.continueToken || undefined;
          // Every page of a paginated list is served at the first page's resourceVersion.
          resourceVersion ||= page.resourceVersion;
          if (!token) return { items, resourceVersion };
          const next: PageRequest<T> | undefined = current.next;
          if (next?.token === token) current = next.read();
          else {
            // The head named another page than the list does (a layout the head misread).
            next?.abort.abort();
            current = ask(token).read();
          }
        }
      } catch (e) {
        if (e instanceof ApiStatusError && e.status === 410 && token && restarts < MAX_RETRIES) {
          this.options.debug(`GET ${path}: continue token expired, restarting the list`);
          progress?.restarted();
          continue;
        }
        throw e;
      } finally {
        current?.next?.abort.abort();
      }
    }
  }

  /**
   * A page that could not be read as it arrived (another layout, an item that does not parse
   * alone): asked for again, read whole. A body that is not JSON is retried as get retries it.
   */
  private async wholePage<T>(path: string, query: Query, convert: (item: JsonObject) => T): Promise<ListPage<T>> {
    this.options.debug(`GET ${path}: the page is not laid out as the API server lays it out, reading it whole`);
    return (await this.getAs(path, query, { whole: (text) => parseListPage(text, convert) })).body;
  }

  /**
   * Watches a collection from `resourceVersion`, calling onEvent for each event as it arrives,
   * until the server ends the stream or `signal` aborts (both resolve). Throws ApiStatusError
   * for a refused watch and for an ERROR event (410 Gone: the version is too old, list again),
   * and connection errors as they are: the caller decides how to retry. Not retried here.
   * The server ends the watch after query.timeoutSeconds (default 5 minutes). A 401 is sent
   * again once with renewed credentials, as get does.
   */
  async watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    const url = new URL(this.options.server.replace(/\/+$/, '') + path);
    const seconds = Number(query.timeoutSeconds ?? WATCH_SECONDS);
    for (const [k, v] of Object.entries({ ...query, timeoutSeconds: String(seconds), watch: '1' })) {
      if (v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    const credentials = await this.renewal?.current();
    try {
      return await this.watchWith(url, seconds, credentials, onEvent, signal);
    } catch (e) {
      if (!(e instanceof ApiStatusError && e.status === 401 && (await this.renewedAfterUnauthorized(credentials)))) {
        throw e;
      }
      this.options.debug(`WATCH ${url.pathname}${url.search}: 401, credentials renewed, retrying`);
      return this.watchWith(url, seconds, await this.renewal?.current(), onEvent, signal);
    }
  }

  private watchWith(
    url: URL,
    seconds: number,
    credentials: RenewedCredentials | undefined,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const transport = url.protocol === 'http:' ? http : https;
    const options = withCredentials({ ...this.requestOptions, headers: this.getHeaders }, credentials);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = transport.request(url, { ...options, method: 'GET' }, (res) => {
        const status = res.statusCode ?? 0;
        this.options.debug(`WATCH ${url.pathname}${url.search} → ${status}`);
        let buffered = '';
        const body = decoded(res, reject);
        body.setEncoding('utf8');
        if (status < 200 || status >= 300) {
          body.on('data', (c: string) => (buffered += c));
          body.on('end', () => {
            let answer: unknown = {};
            try {
              answer = JSON.parse(buffered) as unknown;
            } catch {
              // not a Status: the HTTP status says enough
            }
            reject(statusError(status, answer));
          });
          return;
        }
        body.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (!line) continue;
            let parsed: unknown;
            try {
              parsed = JSON.parse(line);
            } catch {
              req.destroy(Object.assign(new Error('a watch event that is not JSON'), { code: 'EBADJSON' }));
              return;
            }
            const object = valueAt(parsed, 'object');
            const event = {
              type: valueAt(parsed, 'type') as WatchEvent['type'],
              object: isJsonObject(object) ? object : {},
            };
            if (event.type === 'ERROR') {
              req.destroy();
              reject(statusError(Number(event.object.code) || 500, event.object));
              return;
            }
            onEvent(event);
          }
        });
        body.on('end', () => resolve());
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('watch aborted'), { code: 'ECONNRESET' })));
      });
      // A watch is quiet while nothing changes; only a stream that outlives the server's own
      // timeoutSeconds by a margin is dead.
      const deadline = setTimeout(
        () => req.destroy(Object.assign(new Error('the watch outlived its timeout'), { code: 'ETIMEDOUT' })),
        (seconds + 30) * 1000,
      );
      const abort = () => {
        req.destroy();
        resolve();
      };
      signal.addEventListener('abort', abort, { once: true });
      req.on('close', () => {
        clearTimeout(deadline);
        signal.removeEventListener('abort', abort);
      });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(this.viaProxy(e))));
      req.end();
    });
  }

  /** GET once: a 2xx body goes to `reader` piece by piece, another one's is RawResponse.text. */
  private request(
    url: URL,
    credentials: RenewedCredentials | undefined,
    signal: AbortSignal | undefined,
    reader: Pick<PieceReader<unknown>, 'push'>,
  ): Promise<RawResponse> {
    const started = Date.now();
    const transport = url.protocol === 'http:' ? http : https;
    const options = withCredentials({ ...this.requestOptions, headers: this.getHeaders }, credentials);
    const { timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { ...options, method: 'GET', signal }, (res) => {
        // Each chunk is decoded as it arrives (a character split between chunks waits for its
        // last byte), and read there or joined once: a page of several megabytes never sits in
        // a native buffer (Buffer.concat, then the external string Node makes of a large one).
        // Megabytes of such memory per page made V8 run extra full collections of the whole
        // heap, and malloc kept the freed blocks (docs/benchmarks.md).
        const pieces: string[] = [];
        const body = decoded(res, reject);
        body.setEncoding('utf8');
        let wireBytes = 0;
        let length = 0;
        if (body !== res) res.on('data', (c: Buffer) => (wireBytes += c.length));
        const success = isSuccess(res.statusCode ?? 0);
        body.on('data', (piece: string) => {
          length += piece.length;
          if (!success) return void pieces.push(piece);
          try {
            reader.push(piece);
          } catch (e) {
            // The reader's own error (convert's): the rest of the answer is not wanted.
            reject(e instanceof Error ? e : new Error(String(e)));
            req.destroy();
          }
        });
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        body.on('end', () => {
          if (!res.complete) {
            reject(Object.assign(new Error('response ended before it was complete'), { code: 'ECONNRESET' }));
            return;
          }
          const text = pieces.join('');
          const gzipped = body === res ? '' : `, ${wireBytes} gzipped`;
          this.options.debug(
            `GET ${url.pathname}${url.search} → ${res.statusCode} (${Date.now() - started} ms, ${length} bytes${gzipped})`,
          );
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
        });
      });
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => {
          req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }));
        });
      }
      req.on('error', (e) => reject(this.viaProxy(e)));
      req.end();
    });
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A whole read as a piece reader: the pieces joined once, then `parse`d. */
function wholeReader<B>(url: URL, parse: (text: string) => B): PieceReader<B> {
  const pieces: string[] = [];
  return {
    push: (piece) => void pieces.push(piece),
    end: () => parseBody(url, pieces.join(''), parse),
  };
}

function parseJson(text: string): unknown {
  return text ? JSON.parse(text) : undefined;
}

/** A 2xx body through `parse`; a SyntaxError becomes EBADJSON, which get retries as a cut answer. */
function parseBody<B>(url: URL, text: string, parse: (text: string) => B): B {
  try {
    return parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw Object.assign(new Error(`the server answered ${url.pathname} with something that is not JSON`), {
      code: 'EBADJSON',
    });
  }
}

/** A refusal's body: a Status when it is JSON, else nothing (the HTTP status says enough). */
function statusBody(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

/** Request options with renewed credentials' agent and headers, where there are any. */
function withCredentials(
  options: https.RequestOptions,
  credentials: RenewedCredentials | undefined,
): https.RequestOptions {
  if (!credentials) return options;
  return { ...options, agent: credentials.agent, headers: { ...options.headers, ...credentials.headers } };
}

function statusError(code: number, body: unknown): ApiStatusError {
  const details = valueAt(body, 'details');
  return new ApiStatusError(
    code,
    stringAt(body, 'reason') ?? http.STATUS_CODES[code] ?? '',
    stringAt(body, 'message') ?? `HTTP ${code}`,
    isJsonObject(details) ? statusDetails(details) : {},
  );
}

/** The Status details' name and kind, where they are strings. */
function statusDetails(details: JsonObject): { name?: string; kind?: string } {
  const name = stringAt(details, 'name');
  const kind = stringAt(details, 'kind');
  return { ...(name === undefined ? {} : { name }), ...(kind === undefined ? {} : { kind }) };
}

/**
 * The body as text. API lists are nearly always pure ASCII, which latin1 decodes byte for byte
 * several times faster than the UTF-8 decoder; anything else goes through UTF-8.
 */
/**
 * The response's bytes as the server meant them: itself, or through gunzip when it is gzipped
 * (the API server compresses answers over 128 KiB to a client that accepts gzip). Bytes that do
 * not gunzip fail the request like a cut connection (EBADGZIP, retried).
 */
function decoded(res: http.IncomingMessage, reject: (e: Error) => void): Readable {
  if (res.headers['content-encoding'] !== 'gzip') return res;
  // gunzip hands on what each chunk decodes to at once: a watch's events are not held back.
  const gunzip = createGunzip();
  gunzip.on('error', (e) =>
    reject(
      Object.assign(new Error(`the server's gzip answer did not decompress (${e.message})`), { code: 'EBADGZIP' }),
    ),
  );
  return res.pipe(gunzip);
}

function isDroppedConnection(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'EBADJSON' || code === 'EBADGZIP';
}

function backoff(attempt: number): number {
  return 200 * 2 ** attempt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A URL as messages show it: `https://user:password@host` is printed `https://host` (a server or
 * proxy URL may carry credentials; messages and --debug lines never do).
 */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/**
 * One line for a request that failed below HTTP (refused, DNS, TLS, timeout). Through a proxy
 * (the error carries it, see ApiClient.viaProxy) the connection that failed is the proxy's
 * unless TLS with the server did.
 */
export function connectionError(server: string, e: unknown, context: string): ClusterError {
  const err = e as NodeJS.ErrnoException & { proxy?: string };
  const code = err?.code ?? '';
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: err?.message ?? 'timed out',
    EHOSTUNREACH: 'host unreachable',
    ECONNRESET: 'connection reset',
    DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is not trusted",
    SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not trusted",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not trusted",
    ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  };
  let reason = reasons[code] ?? err?.message ?? String(e);
  let where = withoutUserinfo(server);
  if (err?.proxy) {
    where += ` through the proxy ${err.proxy}`;
    // hpagent's words for a CONNECT the proxy refused.
    const refused = /^Bad response: (\d+)/.exec(err.message ?? '');
    if (refused) reason = `the proxy answered CONNECT with HTTP ${refused[1]}`;
    else if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) reason = `the proxy: ${reason}`;
  }
  return new ClusterError(
    `cannot reach the Kubernetes API at ${where} (${reason}) ${context}; check --context/--kubeconfig, the network, and --request-timeout`,
    e,
  );
}
