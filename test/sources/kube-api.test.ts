// The API client as an HTTP client: what its requests carry (kubectl's kind of User-Agent, the
// credentials, Accept-Encoding: gzip when asked for), and gzip answers decoded transparently,
// lists and watches alike, with a cut gzip answer retried like any cut answer.

import { createServer, type Server } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { constants, createGzip } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringAt, valueAt } from '../../src/core/json-value.js';
import { ApiClient, type WatchEvent } from '../../src/sources/kube-api.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { pod } from '../support/objects.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Enough Pods, each with a long label, that a page of them is over the API server's 128 KiB gzip threshold. */
const PODS = Array.from({ length: 150 }, (_, i) => pod(`web-${i}`, { labels: { app: 'web', note: 'x'.repeat(1000) } }));

describe('ApiClient against the test API server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: PODS });
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server.requests.length = 0;
    server.faults.clear();
  });

  const client = (gzip: boolean, debug: (line: string) => void = () => {}) =>
    new ApiClient({
      server: server.url,
      requestOptions: {
        agent: new https.Agent({ ca: server.caPem, keepAlive: true }),
        headers: { Authorization: `Bearer ${server.token}` },
        gzip,
      },
      timeoutMs: 10_000,
      debug,
    });
  const podNames = (items: { name: string }[]) => items.map((p) => p.name).sort();
  const listPods = (api: ApiClient) =>
    api.list('/api/v1/namespaces/shop/pods', {}, (item) => ({ name: stringAt(item, 'metadata', 'name') ?? '' }));

  it('sends a User-Agent of the form kubectl-endpoints_doctor/VERSION (OS/ARCH), and the credentials', async () => {
    await client(false).get('/api/v1/namespaces/shop/pods/web-1');
    const [request] = server.requests;
    expect(request.userAgent).toMatch(/^kubectl-endpoints_doctor\/v\d+\.\d+\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\)$/);
    expect(request.userAgent).toContain(`/v${version} (`);
    expect(request.userAgent).not.toMatch(/\((win32|\w+\/x64|\w+\/ia32)\)/);
    expect(request.user).toBe(server.user);
  });

  it('asks for gzip when told to, and reads a gzipped list as it reads a plain one', async () => {
    const lines: string[] = [];
    const gzipped = await listPods(client(true, (line) => lines.push(line)));
    const plain = await listPods(client(false));
    expect(gzipped).toHaveLength(PODS.length);
    expect(podNames(gzipped)).toEqual(podNames(plain));
    const [withGzip, without] = [server.requests[0], server.requests.at(-1)!];
    expect(withGzip.headers['accept-encoding']).toBe('gzip');
    expect(without.headers['accept-encoding']).toBeUndefined();
    // --debug shows the bytes on the wire next to the decoded size.
    expect(lines.join('\n')).toMatch(
      /GET \/api\/v1\/namespaces\/shop\/pods\?limit=500 → 200 \(\d+ ms, \d+ bytes, \d+ gzipped\)/,
    );
  });

  it('the answer is gzipped only over the threshold: small ones come plain either way', async () => {
    const response = await client(true).get('/api/v1/namespaces/shop/pods/web-1');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(stringAt(response.body, 'metadata', 'name')).toBe('web-1');
    const list = await client(true).get('/api/v1/namespaces/shop/pods');
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(valueAt(list.body, 'items')).toHaveLength(PODS.length);
  });

  it('a gzipped answer cut short is retried like any dropped connection', async () => {
    server.faults.dropConnection({ resource: 'pods', verb: 'list', times: 1 });
    const lines: string[] = [];
    const pods = await listPods(client(true, (line) => lines.push(line)));
    expect(pods).toHaveLength(PODS.length);
    expect(lines.join('\n')).toContain('connection dropped');
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(2);
  });
});

describe('ApiClient decodes a gzipped watch as it streams', () => {
  let http: Server;
  let url: string;
  /** Resolved by the test when the client has seen the first event: only then does the server send the second. */
  let firstSeen: () => void;
  const seen = new Promise<void>((resolve) => (firstSeen = resolve));
  let acceptEncoding: string | undefined;
  beforeAll(async () => {
    http = createServer((req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      const gzip = createGzip({ level: 1 });
      gzip.pipe(res);
      const event = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { metadata: { name } } })}\n`;
      gzip.write(event('first'));
      gzip.flush(constants.Z_SYNC_FLUSH);
      void seen.then(() => gzip.end(event('second')));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it('each event arrives as soon as its bytes do', async () => {
    const api = new ApiClient({ server: url, requestOptions: { gzip: true }, timeoutMs: 10_000, debug: () => {} });
    const events: WatchEvent[] = [];
    await api.watch(
      '/api/v1/pods',
      { resourceVersion: '1' },
      (event) => {
        events.push(event);
        if (events.length === 1) firstSeen();
      },
      new AbortController().signal,
    );
    expect(acceptEncoding).toBe('gzip');
    expect(events.map((e) => `${e.type} ${stringAt(e.object, 'metadata', 'name')}`)).toEqual([
      'ADDED first',
      'ADDED second',
    ]);
  });

  it('bytes that are not gzip fail the request, after the retries of a dropped connection', async () => {
    let requests = 0;
    const broken = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end('{"kind": "Status", "but": "not gzipped"}');
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const api = new ApiClient({
      server: `http://127.0.0.1:${(broken.address() as AddressInfo).port}`,
      requestOptions: { gzip: true },
      timeoutMs: 10_000,
      debug: () => {},
    });
    try {
      await expect(api.get('/version')).rejects.toMatchObject({ code: 'EBADGZIP' });
      expect(requests).toBeGreaterThan(1);
    } finally {
      await new Promise<void>((resolve) => broken.close(() => resolve()));
    }
  });
});

describe('ApiClient paging', () => {
  /** Three pages of 500. */
  const MANY = Array.from({ length: 1001 }, (_, i) => pod(`p-${String(i).padStart(4, '0')}`));
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ objects: MANY });
  });
  afterAll(() => server?.close());

  const client = (debug: (line: string) => void) =>
    new ApiClient({
      server: server.url,
      requestOptions: {
        agent: new https.Agent({ ca: server.caPem, keepAlive: true }),
        headers: { Authorization: `Bearer ${server.token}` },
      },
      timeoutMs: 10_000,
      debug,
    });
  const nameOf = (item: Record<string, unknown>) => stringAt(item, 'metadata', 'name') ?? '';

  it('asks for the next page as soon as a page names it, before converting that page; tells each page as it is converted', async () => {
    const events: string[] = [];
    const told: number[] = [];
    const names = await client((line) => {
      if (line.includes('asking for the next page')) events.push('next page asked for');
    }).list(
      '/api/v1/namespaces/shop/pods',
      {},
      (item) => {
        const name = nameOf(item);
        if (name.endsWith('000') || name.endsWith('500')) events.push(`convert ${name}`);
        return name;
      },
      { page: (items) => told.push(items.length), restarted: () => told.push(-1) },
    );
    expect(names).toEqual(MANY.map(nameOf));
    expect(told).toEqual([500, 500, 1]);
    expect(events).toEqual([
      'next page asked for',
      'convert p-0000',
      'next page asked for',
      'convert p-0500',
      'convert p-1000',
    ]);
  });

  it('a page that cannot be converted fails the list; the page asked for ahead is dropped quietly', async () => {
    const boom = new Error('not a pod');
    const api = client(() => {});
    await expect(
      api.list('/api/v1/namespaces/shop/pods', {}, (item) => {
        if (nameOf(item) === 'p-0002') throw boom;
        return item;
      }),
    ).rejects.toBe(boom);
    // The client still works, and nothing was left to reject unobserved (vitest fails a run on an unhandled rejection).
    expect(await api.list('/api/v1/namespaces/shop/pods', {}, nameOf)).toHaveLength(MANY.length);
  });
});

describe('ApiClient reads a body as its chunks arrive', () => {
  // An ASCII chunk first, then UTF-8 written a byte at a time, so that every multi-byte
  // character (2, 3 and 4 bytes) is split between chunks.
  const names = ['plain', 'caf\u00e9', '\u6771\u4eac', 'party-\u{1f389}'];
  const body = JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '7' },
    items: names.map((name) => ({ metadata: { name, namespace: 'shop' } })),
  });
  let http: Server;
  let url: string;
  beforeAll(async () => {
    http = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const bytes = Buffer.from(body);
      const asciiEnd = bytes.indexOf('caf');
      res.write(bytes.subarray(0, asciiEnd));
      let at = asciiEnd;
      // Each write a chunk of its own: the next is sent once the last has been flushed.
      const next = () => (at < bytes.length ? res.write(bytes.subarray(at, ++at), next) : res.end());
      next();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  it('characters split between chunks decode as they were written', async () => {
    const api = new ApiClient({ server: url, requestOptions: {}, timeoutMs: 10_000, debug: () => {} });
    const items = await api.list('/api/v1/namespaces/shop/pods', {}, (item) => stringAt(item, 'metadata', 'name'));
    expect(items).toEqual(names);
  });
});

describe('ApiClient reads each page of a list as it arrives', () => {
  // Two pages of three Pods; `pretty` pages are laid out otherwise (indented), as no API server writes them.
  const names = ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'];
  const pageOf = (continueToken: string | undefined, pretty: boolean) => {
    const items = (continueToken ? names.slice(0, 3) : names.slice(3)).map((name) => ({
      metadata: { name, namespace: 'shop', managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': {} } }] },
    }));
    const list = {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7', continue: continueToken },
      items,
    };
    return pretty ? JSON.stringify(list, null, 2) : `${JSON.stringify(list)}\n`;
  };
  let http: Server;
  let url: string;
  let pretty = false;
  const asked: string[] = [];
  beforeAll(async () => {
    http = createServer((req, res) => {
      const first = !new URL(req.url!, 'http://x').searchParams.get('continue');
      asked.push(first ? 'first' : 'second');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // In pieces of 100 bytes, each written once the last has been flushed.
      const bytes = Buffer.from(pageOf(first ? 'page-2' : undefined, pretty));
      let at = 0;
      const next = () => (at < bytes.length ? res.write(bytes.subarray(at, (at += 100)), next) : res.end());
      next();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));
  afterEach(() => (asked.length = 0));

  const list = async () => {
    const lines: string[] = [];
    const api = new ApiClient({ server: url, requestOptions: {}, timeoutMs: 10_000, debug: (l) => lines.push(l) });
    const items = await api.list('/api/v1/namespaces/shop/pods', {}, (item) => ({
      name: stringAt(item, 'metadata', 'name'),
      managedFields: valueAt(item, 'metadata', 'managedFields'),
    }));
    return { items, lines: lines.join('\n') };
  };

  it('as the API server lays it out: each page asked for once, the next one as soon as the head names it', async () => {
    pretty = false;
    const { items, lines } = await list();
    expect(items).toEqual(names.map((name) => ({ name, managedFields: undefined })));
    expect(asked).toEqual(['first', 'second']);
    expect(lines).toContain('asking for the next page while this one is read');
    expect(lines).not.toContain('reading it whole');
  });

  it('laid out otherwise: each page asked for again and read whole, with the same items', async () => {
    pretty = true;
    const { items, lines } = await list();
    expect(items.map((i) => i.name)).toEqual(names);
    expect(asked).toEqual(['first', 'first', 'second', 'second']);
    expect(lines).toContain('reading it whole');
  });
});
