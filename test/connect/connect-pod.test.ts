// --connect --connect-from pod/NAME: the connect program against busybox's own tools, and the
// whole path end to end: the built CLI adds an ephemeral container to the pod through the test
// API server's ephemeralcontainers subresource, waits for the status the test sets to running,
// execs the program in it, and the test's exec handler runs that program with busybox's sh and nc
// inside a network namespace the test created (listeners on some addresses, HTTP among them, none
// on another, an iptables DROP, an unreachable route, and a DNS responder the namespace's
// resolv.conf names, which busybox's nslookup asks). Every address is in that namespace; every wait is on a
// condition, bounded by the test's timeout. The error paths need no namespace.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringAt } from '../../src/core/json-value.js';
import type { Report } from '../../src/report/report.js';
import { CONNECT_IMAGE, CONTAINER_LIFETIME_SECONDS } from '../../src/sources/connect/container.js';
import {
  NO_STATUS_LINE,
  NO_TOOL,
  parseProgramOutput,
  parseListening,
  programArgv,
  STATUS_LINE_MAX,
  type ProgramOptions,
} from '../../src/sources/connect/program.js';
import type { Attempt } from '../../src/sources/connect/types.js';
import {
  startTestServer,
  withEphemeralStatus,
  type EphemeralState,
  type ExecHandler,
  type TestServer,
} from '../server/index.js';
import { resourceNamed, type StoredObject } from '../server/store.js';
import { runCliAsync } from '../support/cli.js';
import { issueCertificate, makeCA } from '../server/certs.js';
import { startDnsResponderInNetns } from '../support/dns-responder.js';
import {
  canUseNetns,
  createNetns,
  deleteNetns,
  execInNetns,
  mustRunInNetns,
  setNetnsNameserver,
  startInNetns,
} from '../support/netns.js';
import { externalNameService, pod, service, slice, type Raw } from '../support/objects.js';
import { dnsProgramArgv, NO_NSLOOKUP, parseDnsOutput } from '../../src/sources/connect/dns.js';

const BUSYBOX = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
const skipReason =
  canUseNetns(['ip', 'iptables']) ?? (BUSYBOX ? undefined : 'busybox is not installed (apt-get install busybox)');
if (skipReason) console.warn(`connect program and --connect-from pod end-to-end tests skipped: ${skipReason}`);
const OPENSSL = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).stdout.trim();
if (!OPENSSL)
  console.warn('the connect program GET over TLS test skipped: openssl is not installed (apt-get install openssl)');

const WEB_1 = '10.244.1.5'; // HTTP on 8080; on 8081 a listener that never answers; on 8082 a status line too long
const WEB_2 = '10.244.1.6'; // nothing on 8080: refused (its app listens on 127.0.0.1:3000 only)
const WEB_3 = '10.244.1.7'; // 8080 dropped by iptables: timeout
const WEB_4 = '10.244.3.5'; // an unreachable route: no route to host
const WEB_IP = '10.96.0.10'; // the cluster IP answers on 80
const DNS_IP = '10.96.0.53'; // the cluster DNS: knows web, not nope, never answers for slow

/** A folder standing for an image's PATH: these tools, each a busybox applet (or the named binary). */
function imagePath(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-image-'));
  for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(dir, name));
  return dir;
}

const endpoint = (name: string, ip: string) => ({ ip, pod: name, node: 'node-a', ready: true });
const objects: Raw[] = [
  service('web', { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] }),
  service('dns', { selector: { app: 'dns' }, ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] }),
  externalNameService(),
  pod('web-1', { ip: WEB_1 }),
  pod('web-2', { ip: WEB_2 }),
  pod('web-3', { ip: WEB_3 }),
  pod('web-4', { ip: WEB_4 }),
  pod('client', { ip: '10.244.9.9', labels: { app: 'client' } }),
  pod('starting', { ip: null, labels: { app: 'client' } }),
  slice('web', {
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [endpoint('web-1', WEB_1), endpoint('web-2', WEB_2), endpoint('web-3', WEB_3), endpoint('web-4', WEB_4)],
  }),
];

/**
 * Listens on each host:port, then prints "ready": http answers with a status line that names the
 * request's path and Host (and holds the connection open, as keep-alive does, until asked not to);
 * silent never answers; long answers a request with a status line of 1000 characters; tls
 * completes a TLS handshake with the certificate given (TLS 1.2 or 1.3) and answers a request
 * over it, tls13 likewise with TLS 1.3 only.
 */
const LISTENER = `
const { createServer } = require('node:net');
const http = require('node:http');
const tls = require('node:tls');
const specs = JSON.parse(process.argv[1]);
let pending = specs.length;
const ready = () => { if (--pending === 0) console.log('ready'); };
for (const [host, port, kind] of specs) {
  const server =
    kind === 'http' ? http.createServer((q, r) => { r.writeHead(200, 'OK ' + q.url + ' for ' + q.headers.host); r.end(); })
    : kind === 'long' ? createServer((s) => s.once('data', () => s.end('HTTP/1.1 200 ' + 'x'.repeat(1000) + '\\r\\n\\r\\n')))
    : kind === 'tls' || kind === 'tls13'
      ? tls.createServer(
          { key: process.argv[2], cert: process.argv[3], ...(kind === 'tls13' ? { minVersion: 'TLSv1.3' } : {}) },
          (s) => s.once('data', () => s.end('HTTP/1.1 200 OK over TLS\\r\\n\\r\\n')),
        )
    : createServer(() => {});
  server.on('tlsClientError', () => {});
  // What is no HTTP (the TLS probe's hello) gets a 400 and a graceful close: Node's own handler may
  // reset the connection first, and a reset may drop the answer before the client reads it (the
  // probe then says unknown, which judges nothing; the tests want the answer).
  if (kind === 'http') server.on('clientError', (e, s) => s.end('HTTP/1.1 400 Bad Request\\r\\n\\r\\n'));
  // A client the program's timeout ended may reset the connection: no listener may die of it.
  server.on('connection', (socket) => socket.on('error', () => {}));
  server.listen(port, host, ready);
}
`;

describe.skipIf(!!skipReason)('the connect program and --connect-from pod, in a network namespace', () => {
  let netns = '';
  let listener: ChildProcess | undefined;
  let dns: ChildProcess | undefined;
  let busyboxImage = '';
  // Its subjectAltName: localhost and the loopback addresses, no Service name.
  const certificate = issueCertificate(makeCA(), { commonName: 'web' }, 'server');

  beforeAll(async () => {
    netns = createNetns();
    for (const ip of [WEB_1, WEB_2, WEB_3, WEB_IP, DNS_IP])
      mustRunInNetns(netns, ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    mustRunInNetns(netns, ['iptables', '-A', 'INPUT', '-d', WEB_3, '-p', 'tcp', '--dport', '8080', '-j', 'DROP']);
    mustRunInNetns(netns, ['ip', 'route', 'add', 'unreachable', '10.244.3.0/24']);
    // The busybox image links every applet; the connect program uses these.
    busyboxImage = imagePath(
      Object.fromEntries(['sh', 'nc', 'timeout', 'true', 'uname', 'nslookup', 'dd', 'od'].map((t) => [t, BUSYBOX])),
    );
    setNetnsNameserver(netns, DNS_IP);
    dns = await startDnsResponderInNetns(
      netns,
      {
        records: { 'web.shop.svc.cluster.local': [WEB_IP], 'kubernetes.default.svc.cluster.local': ['10.96.0.1'] },
        silent: ['slow.shop.svc.cluster.local'],
      },
      DNS_IP,
    );
    listener = await startInNetns(netns, [
      process.execPath,
      '-e',
      LISTENER,
      JSON.stringify([
        [WEB_1, 8080, 'http'],
        [WEB_1, 8081, 'silent'],
        [WEB_1, 8082, 'long'],
        [WEB_IP, 80, 'http'],
        ['127.0.0.1', 3000, 'silent'],
        [WEB_1, 8443, 'tls'],
        [WEB_1, 8444, 'tls13'],
      ]),
      certificate.keyPem,
      certificate.certPem,
    ]);
  });

  afterAll(() => {
    listener?.kill();
    dns?.kill();
    if (netns) deleteNetns(netns);
  });

  /** Runs the program over these attempts with busybox's sh, the image's tools on PATH, in the namespace. */
  const runProgram = (path: string, attempts: Attempt[], options: Partial<ProgramOptions> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('ip', [
        'netns',
        'exec',
        netns,
        'env',
        '-i',
        `PATH=${path}`,
        BUSYBOX,
        ...programArgv(attempts, { seconds: 1, ...options }),
      ]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const attempt = (address: string, port: number, speaks: Attempt['speaks'] = 'http'): Attempt => ({
    address,
    port,
    speaks,
    serverNames: ['web.shop.svc', 'web.shop.svc.cluster.local'],
  });
  const targets = [WEB_1, WEB_2, WEB_3, WEB_4].map((address) => attempt(address, 8080));
  const bashImage = () =>
    imagePath({
      sh: BUSYBOX,
      timeout: BUSYBOX,
      dd: BUSYBOX,
      od: BUSYBOX,
      bash: spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim(),
    });

  it("with busybox's nc: open, refused, timeout and unreachable, one line each", async () => {
    const run = await runProgram(busyboxImage, targets);
    expect(run.code).toBe(0);
    const answers = parseProgramOutput(run.stdout, targets);
    expect(answers.map((a) => a?.result)).toEqual(['open', 'refused', 'timeout', 'unreachable']);
    // An http port gets the TLS probe: this one answers in plain HTTP.
    expect(answers[0]?.tls).toEqual({ spoke: 'plain', error: 'the server answered, not in TLS' });
    // The HTTP listener holds the connection open (keep-alive): nc still ends as soon as it has connected.
    expect(answers[0]?.latencyMs).toBeLessThan(1000);
    expect(answers[1]?.detail).toContain('Connection refused');
    // Without --connect-http, no GET.
    expect(answers[0]?.http).toBeUndefined();
  });

  it('without nc, through bash /dev/tcp: the same answers', async () => {
    const run = await runProgram(bashImage(), targets);
    expect(parseProgramOutput(run.stdout, targets).map((a) => a?.result)).toEqual([
      'open',
      'refused',
      'timeout',
      'unreachable',
    ]);
  });

  describe('--connect-http PATH: a GET on open http ports, its status line', () => {
    const getTargets = [
      attempt(WEB_1, 8080),
      attempt(WEB_1, 8081),
      attempt(WEB_1, 8082),
      attempt(WEB_IP, 80, 'tcp'),
      attempt(WEB_2, 8080),
    ];
    const expected = [
      { result: 'open', http: { statusLine: 'HTTP/1.1 200 OK /healthz?x=1 for web.shop.svc' } },
      { result: 'open', http: { error: NO_STATUS_LINE } },
      { result: 'open', http: { statusLine: `HTTP/1.1 200 ${'x'.repeat(STATUS_LINE_MAX - 'HTTP/1.1 200 '.length)}` } },
      // A port that says nothing of HTTP gets no GET, nor does one that refused.
      { result: 'open', http: undefined },
      { result: 'refused', http: undefined },
    ];

    it.each([
      ["busybox's nc", () => busyboxImage],
      ['bash /dev/tcp', bashImage],
    ])('with %s', async (_tool, image) => {
      const run = await runProgram(image(), getTargets, { httpPath: '/healthz?x=1' });
      expect(run.code).toBe(0);
      const answers = parseProgramOutput(run.stdout, getTargets);
      expect(answers.map((a) => ({ result: a?.result, http: a?.http }))).toEqual(expected);
    });
  });

  describe('the TLS probe: a TLS 1.2 ClientHello naming the Service, and the first bytes of the answer', () => {
    const tlsTargets = [
      attempt(WEB_1, 8443, 'https'),
      attempt(WEB_1, 8444, 'https'),
      attempt(WEB_1, 8080, 'http'),
      attempt(WEB_1, 8081, 'https'),
      attempt(WEB_1, 8082, 'tcp'),
    ];
    const expected = [
      // The test certificate names localhost, not the Service.
      { spoke: 'tls', certificateNames: ['localhost'], covers: [] },
      {
        spoke: 'tls',
        error: 'the server ended the TLS 1.2 handshake (alert 70): its certificate was not seen',
      },
      { spoke: 'plain', error: 'the server answered, not in TLS' },
      { spoke: 'unknown', error: 'no answer to a TLS ClientHello' },
      // A port that says nothing of http or https gets no probe.
      undefined,
    ];

    it.each([
      ["busybox's nc", () => busyboxImage],
      ['bash /dev/tcp', bashImage],
    ])('with %s', async (_tool, image) => {
      // A loaded machine may take a while to answer a handshake: a timeout of 3 s, not 1.
      const run = await runProgram(image(), tlsTargets, { seconds: 3 });
      const answers = parseProgramOutput(run.stdout, tlsTargets);
      expect(answers.map((a) => a?.result)).toEqual(['open', 'open', 'open', 'open', 'open']);
      expect(answers.map((a) => a?.tls)).toEqual(expected);
    });

    it('sends the name the certificate is judged against: one that covers it is said to', async () => {
      const named = { ...attempt(WEB_1, 8443, 'https'), serverNames: ['localhost'] };
      const run = await runProgram(busyboxImage, [named], { seconds: 3 });
      expect(parseProgramOutput(run.stdout, [named])[0]?.tls).toEqual({
        spoke: 'tls',
        certificateNames: ['localhost'],
        covers: ['localhost'],
      });
    });

    it('without dd or od in the image: no probe, no tls in the answer', async () => {
      const image = imagePath(Object.fromEntries(['sh', 'nc', 'timeout', 'true'].map((t) => [t, BUSYBOX])));
      const run = await runProgram(image, tlsTargets.slice(0, 1));
      const [answer] = parseProgramOutput(run.stdout, tlsTargets.slice(0, 1));
      expect(answer?.result).toBe('open');
      expect(answer).not.toHaveProperty('tls');
    });
  });

  it.skipIf(!OPENSSL)(
    '--connect-http on an https port: a GET over TLS with openssl when the image has it, else none',
    async () => {
      const https = [attempt(WEB_1, 8443, 'https')];
      const withOpenssl = imagePath({
        ...Object.fromEntries(['sh', 'nc', 'timeout', 'true', 'dd', 'od'].map((t) => [t, BUSYBOX])),
        openssl: OPENSSL,
      });
      const got = await runProgram(withOpenssl, https, { httpPath: '/healthz', seconds: 3 });
      expect(parseProgramOutput(got.stdout, https)[0]?.http).toEqual({ statusLine: 'HTTP/1.1 200 OK over TLS' });
      const notGot = await runProgram(busyboxImage, https, { httpPath: '/healthz', seconds: 3 });
      const [answer] = parseProgramOutput(notGot.stdout, https);
      expect(answer?.tls?.spoke).toBe('tls');
      expect(answer).not.toHaveProperty('http');
    },
  );

  it('asked, it reads what the pod listens on from /proc/net/tcp*, loopback-only sockets included', async () => {
    const asked = await runProgram(busyboxImage, [attempt(WEB_2, 8080)], { readListening: true });
    expect(parseProgramOutput(asked.stdout, [attempt(WEB_2, 8080)]).map((a) => a?.result)).toEqual(['refused']);
    expect(parseListening(asked.stdout)).toEqual(
      expect.arrayContaining(['127.0.0.1:3000', `${WEB_1}:8080`, `${WEB_1}:8081`, `${WEB_IP}:80`]),
    );
    expect(parseListening(asked.stdout)).not.toContain(`${WEB_2}:8080`);
    const notAsked = await runProgram(busyboxImage, [attempt(WEB_2, 8080)]);
    expect(parseListening(notAsked.stdout)).toBeUndefined();
  });

  it("busybox's nslookup asks the servers of resolv.conf: an answer, NXDOMAIN, no answer", async () => {
    const names = ['web', 'nope', 'slow'].map((n) => ({ name: `${n}.shop.svc.cluster.local` }));
    const run = await new Promise<string>((resolve) => {
      const child = spawn('ip', [
        'netns',
        'exec',
        netns,
        'env',
        '-i',
        `PATH=${busyboxImage}`,
        BUSYBOX,
        ...dnsProgramArgv(names, 1),
      ]);
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', () => resolve(stdout));
    });
    expect(parseDnsOutput(run, 3)).toEqual([
      { result: 'answered', server: 'resolv.conf', addresses: [WEB_IP] },
      { result: 'nxdomain', server: 'resolv.conf' },
      { result: 'timeout', server: 'resolv.conf', detail: 'no answer within the timeout' },
    ]);
  });

  it('without nslookup: says so, asks nothing', () => {
    const argv = dnsProgramArgv([{ name: 'web.shop.svc.cluster.local' }], 1);
    const run = spawnSync('env', ['-i', `PATH=${imagePath({ sh: BUSYBOX })}`, BUSYBOX, ...argv], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(NO_NSLOOKUP);
  });

  it('with neither nc nor bash: says so, tries nothing', async () => {
    const run = await runProgram(imagePath({ sh: BUSYBOX }), targets);
    expect(run.stdout.trim()).toBe(NO_TOOL);
    expect(run.code).toBe(3);
  });

  describe('--connect-from pod/client end to end', () => {
    let server: TestServer;
    const added: Raw[] = [];
    beforeEach(async () => {
      added.length = 0;
      server = await startTestServer({ objects });
      // No kubelet: the test runs each ephemeral container the doctor adds as soon as it appears.
      server.store.subscribe((e) => {
        if (e.type !== 'MODIFIED' || e.resource.plural !== 'pods') return;
        const spec = e.object.spec as { ephemeralContainers?: Raw[] };
        const before = (e.previous?.spec as { ephemeralContainers?: Raw[] } | undefined)?.ephemeralContainers ?? [];
        for (const c of (spec.ephemeralContainers ?? []).slice(before.length)) {
          added.push(c);
          setImmediate(() => server.store.update(withEphemeralStatus(e.object, String(c.name), { running: true })));
        }
      });
      const run: ExecHandler = ({ command, stdout, stderr }) =>
        execInNetns(netns, BUSYBOX, busyboxImage, command, { stdout, stderr });
      server.setExecHandler(run);
    });
    afterEach(async () => server.close());

    it('adds one unprivileged ephemeral container, says so first, and reports what the pod reaches and the status line of a GET', async () => {
      const result = await runCliAsync(
        [
          'svc/web',
          '-n',
          'shop',
          '--kubeconfig',
          server.kubeconfigPath,
          '--connect',
          '--connect-from',
          'pod/client',
          '--connect-timeout',
          '1s',
          '--connect-http',
          '/healthz',
          '-o',
          'json',
        ],
        { timeoutMs: 60_000 },
      );
      expect(result.stderr).toMatch(
        /^note: adding the ephemeral container (endpoints-doctor-[0-9a-f]{4}) \(image docker\.io\/library\/busybox:1\.36\.1@sha256:[0-9a-f]{64}, no privileges\) to pod shop\/client: ephemeral containers cannot be removed; it stops by itself after \d+s and stays listed in the pod\n$/,
      );
      const report = JSON.parse(result.stdout) as Required<Report>;
      // Warnings only: below the default --fail-on error.
      expect(result.code).toBe(0);
      const port = report.services[0].connectivity?.[0];
      expect(port?.vantage).toBe('pod/shop/client');
      const results = Object.fromEntries((port?.targets ?? []).map((t) => [`${t.address}:${t.port}`, t.result]));
      expect(results).toMatchObject({
        [`${WEB_1}:8080`]: 'open',
        [`${WEB_2}:8080`]: 'refused',
        [`${WEB_3}:8080`]: 'timeout',
        [`${WEB_4}:8080`]: 'unreachable',
      });
      const web1 = port?.targets.find((t) => t.address === WEB_1);
      expect(web1?.http).toEqual({ statusLine: 'HTTP/1.1 200 OK /healthz for web.shop.svc' });
      expect(web1?.tls?.spoke).toBe('plain');
      const ids = report.findings.map((f) => f.check);
      expect(ids).toEqual(expect.arrayContaining(['endpoint-refuses-connections', 'endpoint-unreachable']));
      // Every open http target got its TLS probe: nothing left unjudged.
      expect(report.notes).toEqual([]);
      expect(report.services[0].dns).toEqual({
        name: 'web.shop.svc.cluster.local',
        vantage: 'pod/shop/client',
        expected: [WEB_IP],
        result: 'answered',
        server: 'resolv.conf',
        addresses: [WEB_IP],
      });

      expect(added).toHaveLength(1);
      expect(stringAt(added[0], 'name')).toMatch(/^endpoints-doctor-[0-9a-f]{4}$/);
      expect({ ...added[0], name: undefined }).toEqual({
        name: undefined,
        image: CONNECT_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['sleep', String(CONTAINER_LIFETIME_SECONDS)],
        terminationMessagePolicy: 'File',
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 65534,
          runAsGroup: 65534,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      });
      const calls = server.requests
        .filter((r) => r.resource?.startsWith('pods/'))
        .map((r) => `${r.verb} ${r.resource} ${r.status}`);
      // One exec connects, one looks the name up.
      expect(calls).toEqual(['update pods/ephemeralcontainers 200', 'create pods/exec 101', 'create pods/exec 101']);
      const exec = server.requests.find((r) => r.resource === 'pods/exec');
      expect(exec?.query.get('container')).toBe(stringAt(added[0], 'name'));
    });

    it('from the endpoint that refuses: what its pod listens on, in the answer and the finding', async () => {
      const result = await runCliAsync(
        [
          'svc/web',
          '-n',
          'shop',
          '--kubeconfig',
          server.kubeconfigPath,
          '--connect',
          '--connect-from',
          'pod/web-2',
          '--connect-timeout',
          '1s',
          '-o',
          'json',
        ],
        { timeoutMs: 60_000 },
      );
      const report = JSON.parse(result.stdout) as Required<Report>;
      const targets = report.services[0].connectivity?.[0].targets ?? [];
      const own = targets.find((t) => t.address === WEB_2);
      expect(own?.result).toBe('refused');
      expect(own?.listening).toEqual(expect.arrayContaining(['127.0.0.1:3000']));
      // Only the pod's own addresses: what another pod listens on is not known from here.
      expect(targets.filter((t) => t.listening).map((t) => t.address)).toEqual([WEB_2]);
      const refuses = report.findings.find((f) => f.check === 'endpoint-refuses-connections');
      expect(refuses?.pods?.find((p) => p.name === 'web-2')?.cause).toMatch(/; it listens on .*127\.0\.0\.1:3000/);
    });
  });
});

describe('--connect-from pod/NAME: what stops it, one line and an exit code each', () => {
  let server: TestServer;
  let state: EphemeralState | undefined;
  beforeEach(async () => {
    state = { running: true };
    server = await startTestServer({ objects });
    server.store.subscribe((e) => {
      if (e.type !== 'MODIFIED' || e.resource.plural !== 'pods' || !state) return;
      const list = (e.object.spec as { ephemeralContainers?: Raw[] }).ephemeralContainers ?? [];
      const before = (e.previous?.spec as { ephemeralContainers?: Raw[] } | undefined)?.ephemeralContainers ?? [];
      const give = state;
      state = undefined;
      for (const c of list.slice(before.length))
        setImmediate(() => server.store.update(withEphemeralStatus(e.object, String(c.name), give)));
    });
  });
  afterEach(async () => server.close());

  const connectFrom = (from: string, ...more: string[]) =>
    runCliAsync(
      ['svc/web', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--connect', '--connect-from', from, ...more],
      {
        timeoutMs: 60_000,
      },
    );
  const errorLine = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error'));
  const stored = (name: string) => server.store.get(resourceNamed('pods')!, 'shop', name) as StoredObject;

  it('without update on pods/ephemeralcontainers: forbidden, the RBAC named, exit 3', async () => {
    server.setRules([{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]);
    const result = await connectFrom('pod/client');
    expect(result.code).toBe(3);
    expect(errorLine(result.stderr)).toEqual([
      expect.stringMatching(
        /^error: forbidden: cannot add an ephemeral container to pod shop\/client .*needs update on pods\/ephemeralcontainers and create on pods\/exec$/,
      ),
    ]);
  });

  it('without create on pods/exec: forbidden, said after the container was added, exit 3', async () => {
    server.faults.forbid({ resource: 'pods/exec', verb: 'create' });
    const result = await connectFrom('pod/client');
    expect(result.code).toBe(3);
    expect(errorLine(result.stderr)).toEqual([
      expect.stringMatching(
        /^error: forbidden: cannot exec in the ephemeral container endpoints-doctor-[0-9a-f]{4} of pod shop\/client; --connect-from pod needs create on pods\/exec \(the container stops by itself\)$/,
      ),
    ]);
  });

  it('ephemeral containers disabled: said, exit 3', async () => {
    server.faults.unserve('pods/ephemeralcontainers');
    const result = await connectFrom('pod/client');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error: ephemeral containers are disabled on this cluster');
  });

  it('a pod that is not running, or not there: nothing added', async () => {
    const pending = await connectFrom('pod/starting');
    expect(pending.code).toBe(3);
    expect(errorLine(pending.stderr)).toEqual([
      'error: pod shop/starting is not running (phase Pending): pick a running pod for --connect-from',
    ]);
    const missing = await connectFrom('pod/nope');
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr)).toEqual(['error: --connect-from pod/nope: there is no pod shop/nope']);
    expect(server.requests.some((r) => r.resource === 'pods/ephemeralcontainers')).toBe(false);
  });

  it('an image that cannot be pulled: the reason, exit 3, no exec', async () => {
    state = { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nowhere/busybox"' } };
    const result = await connectFrom('pod/client', '--image', 'nowhere/busybox');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('did not start: it is waiting: ImagePullBackOff');
    expect(server.requests.some((r) => r.resource === 'pods/exec')).toBe(false);
    const containers = (stored('client').spec as { ephemeralContainers: Raw[] }).ephemeralContainers;
    expect(containers.map((c) => c.image)).toEqual(['nowhere/busybox']);
  });

  it('an image with neither nc nor bash: said, exit 3, never a pass', async () => {
    server.setExecHandler(({ stdout }) => {
      stdout.write(`${NO_TOOL}\n`);
      return 3;
    });
    const result = await connectFrom('pod/client', '--image', 'distroless/static');
    expect(result.code).toBe(3);
    expect(errorLine(result.stderr)).toEqual([
      'error: the image distroless/static has neither nc nor bash: --connect-from pod needs one of them (pick another with --image)',
    ]);
  });

  it('--connect-from pod alone: a running pod that is no backend, named on stderr first', async () => {
    server.setExecHandler(({ stdout }) => {
      stdout.write(`${NO_TOOL}\n`);
      return 3;
    });
    const result = await connectFrom('pod');
    expect(result.stderr.split('\n')[0]).toBe('note: --connect-from pod: connecting from pod shop/client');
    const added = server.requests.filter((r) => r.resource === 'pods/ephemeralcontainers');
    expect(added.map((r) => r.name)).toEqual(['client']);
    expect(result.code).toBe(3);
  });

  it('with nothing to try or look up, nothing is added to the pod', async () => {
    const result = await runCliAsync(
      ['svc/db', '-n', 'shop', '--kubeconfig', server.kubeconfigPath, '--connect', '--connect-from', 'pod/client'],
      { timeoutMs: 60_000 },
    );
    // An ExternalName Service has neither endpoints nor a cluster IP, and its name is a CNAME.
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(server.requests.some((r) => r.resource?.startsWith('pods/'))).toBe(false);
  });

  it('names another namespace as --from does, and --image only goes with a pod', async () => {
    const other = await connectFrom('jobs/pod/client');
    expect(errorLine(other.stderr)).toEqual(['error: --connect-from pod/client: there is no pod jobs/client']);
    const local = await connectFrom('local', '--image', 'busybox');
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--image goes with --connect-from pod/NAME');
  });
});

describe("the connect program's output, parsed", () => {
  const batch = (n: number) =>
    Array.from({ length: n }, (): Attempt => ({
      address: WEB_1,
      port: 8080,
      speaks: 'http',
      serverNames: ['web.shop.svc'],
    }));

  it('one answer per index it names; junk, unknown results and indexes past the batch are ignored', () => {
    const output = [
      "1 refused 3 nc: can't connect to remote host (10.244.1.6): Connection refused",
      '0 open 2 ',
      '2 timeout 102 nc: timed out',
      'sh: warning from the image',
      '3 listening 1 made up',
      '9 open 1 ',
    ].join('\n');
    expect(parseProgramOutput(output, batch(5))).toEqual([
      { result: 'open', latencyMs: 20 },
      { result: 'refused', latencyMs: 30, detail: "nc: can't connect to remote host (10.244.1.6): Connection refused" },
      { result: 'timeout', detail: 'nc: timed out' },
      undefined,
      undefined,
    ]);
  });

  it("a GET's line adds its status line, or its failure, to an open target's answer only", () => {
    const output = [
      '0 open 1 ',
      '0 http HTTP/1.1 503 Service Unavailable',
      '1 refused 1 Connection refused',
      '1 http HTTP/1.1 200 OK',
      '2 open 1 ',
      '2 http-none',
      `3 open 1 `,
      `3 http ${'y'.repeat(STATUS_LINE_MAX + 10)}`,
    ].join('\n');
    expect(parseProgramOutput(output, batch(4)).map((a) => a?.http)).toEqual([
      { statusLine: 'HTTP/1.1 503 Service Unavailable' },
      undefined,
      { error: NO_STATUS_LINE },
      { statusLine: 'y'.repeat(STATUS_LINE_MAX) },
    ]);
  });
});
