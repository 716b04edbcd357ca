// --connect --connect-from local end to end: the built CLI, run inside a network namespace the
// test creates, reads a snapshot whose Services and slices name addresses of that namespace, and
// connects to them for real. Listeners answer on some (plain HTTP, TLS behind a port named http),
// nothing listens on another (refused), and one address sits behind a veth pair whose far end
// does not hold it, so its SYNs are silently discarded as a firewall's DROP would discard them
// (timeout; this needs only `ip`, where an iptables rule would need iptables installed). Every
// address is in a namespace the test made; every wait is on a condition (a listener saying it is
// ready, the CLI exiting), bounded by the test's timeout. A DNS responder in the namespace stands
// for the cluster DNS (the kube-dns Service's cluster IP) and, through the namespace's
// resolv.conf, for this machine's resolver.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { BIN, type CliResult } from '../support/cli.js';
import { startDnsResponderInNetns } from '../support/dns-responder.js';
import {
  canUseNetns,
  createNetns,
  deleteNetns,
  mustRunInNetns,
  setNetnsNameserver,
  startInNetns,
} from '../support/netns.js';
import { pod, service, slice, type Raw } from '../support/objects.js';
import { issueCertificate, makeCA } from '../server/certs.js';

const WEB_1 = '10.244.1.5'; // plain HTTP on 8080
const WEB_2 = '10.244.1.6'; // nothing on 8080: refused
const WEB_3 = '10.244.2.7'; // behind the veth whose far end drops: timeout
const WEB_4 = '10.244.1.8'; // not ready, yet HTTP on 8080
const WEB_5 = '10.244.3.5'; // an unreachable route: no route to host
const ADMIN_1 = '10.244.1.9'; // TLS on 8443, behind a port named http
const WEB_IP = '10.96.0.10'; // a listener stands for the service proxy: the cluster IP answers
const ADMIN_IP = '10.96.0.11'; // TLS too
const API_IP = '10.96.0.12'; // nothing: the cluster IP refuses while the endpoint answers
const DNS_IP = '10.96.0.53'; // the cluster DNS: web resolves right, admin to another address, api not at all
const ODD_DNS_IP = '10.96.0.54'; // a DNS that knows web but not kubernetes.default.svc.cluster.local

const endpoint = (name: string, ip: string, ready = true) => ({ ip, pod: name, node: 'node-a', ready });
const objects: Raw[] = [
  service('web', { ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }),
  service('admin', {
    selector: { app: 'admin' },
    ports: [{ name: 'http', port: 80, targetPort: 8443, protocol: 'TCP' }],
    spec: { clusterIP: ADMIN_IP, clusterIPs: [ADMIN_IP], ipFamilies: ['IPv4'] },
  }),
  service('api', {
    selector: { app: 'api' },
    ports: [{ name: 'web', port: 80, targetPort: 8080, protocol: 'TCP' }],
    spec: { clusterIP: API_IP, clusterIPs: [API_IP], ipFamilies: ['IPv4'] },
  }),
  pod('web-1', { ip: WEB_1 }),
  pod('web-2', { ip: WEB_2 }),
  pod('web-3', { ip: WEB_3 }),
  pod('web-4', { ip: WEB_4, ready: false }),
  pod('web-5', { ip: WEB_5 }),
  pod('admin-1', { ip: ADMIN_1, labels: { app: 'admin' } }),
  slice('web', {
    endpoints: [
      endpoint('web-1', WEB_1),
      endpoint('web-2', WEB_2),
      endpoint('web-3', WEB_3),
      endpoint('web-4', WEB_4, false),
      endpoint('web-5', WEB_5),
    ],
  }),
  slice('admin', {
    ports: [{ name: 'http', port: 8443, protocol: 'TCP' }],
    endpoints: [endpoint('admin-1', ADMIN_1)],
  }),
  slice('api', { ports: [{ name: 'web', port: 8080, protocol: 'TCP' }], endpoints: [endpoint('web-1', WEB_1)] }),
];
/** The cluster DNS Service, at this cluster IP. */
const kubeDnsAt = (ip: string) =>
  service('kube-dns', {
    ns: 'kube-system',
    selector: { 'k8s-app': 'kube-dns' },
    ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }],
    spec: { clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'] },
  });
const kubeDns = kubeDnsAt(DNS_IP);

/** Listens where it is told (plain HTTP answering 204, or TLS), then prints "ready". */
const LISTENER = `
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
const [specs, keyFile, certFile] = [JSON.parse(process.argv[2]), process.argv[3], process.argv[4]];
const tlsOptions = { key: readFileSync(keyFile), cert: readFileSync(certFile) };
let pending = specs.length;
for (const { kind, host, port } of specs) {
  const server = kind === 'tls'
    ? createTlsServer(tlsOptions, (socket) => socket.end())
    : createServer((_request, response) => { response.writeHead(204); response.end(); });
  server.listen(port, host, () => { if (--pending === 0) console.log('ready'); });
}
`;

const skipReason = canUseNetns(['ip']);
if (skipReason) console.warn(`skipping --connect end-to-end tests: ${skipReason}`);

describe.skipIf(!!skipReason)('--connect --connect-from local, in a network namespace', () => {
  let netns = '';
  let farEnd = '';
  let listener: ChildProcess | undefined;
  let dns: ChildProcess | undefined;
  let snapshot = '';
  /** The same objects without the kube-dns Service: names are asked of this machine's resolver. */
  let withoutClusterDns = '';

  beforeAll(async () => {
    netns = createNetns();
    farEnd = createNetns();
    for (const ip of [WEB_1, WEB_2, WEB_4, ADMIN_1, WEB_IP, ADMIN_IP, API_IP, DNS_IP, ODD_DNS_IP]) {
      mustRunInNetns(netns, ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    }
    // The veth's far end is up but holds no address: what reaches it for WEB_3 is dropped.
    mustRunInNetns(netns, ['ip', 'link', 'add', 'ed-near', 'type', 'veth', 'peer', 'name', 'ed-far']);
    mustRunInNetns(netns, ['ip', 'link', 'set', 'ed-far', 'netns', farEnd]);
    mustRunInNetns(farEnd, ['ip', 'link', 'set', 'ed-far', 'up']);
    mustRunInNetns(netns, ['ip', 'addr', 'add', '10.244.2.1/24', 'dev', 'ed-near']);
    mustRunInNetns(netns, ['ip', 'link', 'set', 'ed-near', 'up']);
    const [link] = JSON.parse(mustRunInNetns(farEnd, ['ip', '-j', 'link', 'show', 'ed-far'])) as { address: string }[];
    // A fixed neighbour entry: no ARP, so the SYN is sent, and never answered.
    mustRunInNetns(netns, [
      'ip',
      'neigh',
      'replace',
      WEB_3,
      'lladdr',
      link.address,
      'dev',
      'ed-near',
      'nud',
      'permanent',
    ]);

    mustRunInNetns(netns, ['ip', 'route', 'add', 'unreachable', '10.244.3.0/24']);

    const dir = mkdtempSync(join(tmpdir(), 'epd-connect-'));
    const certificate = issueCertificate(makeCA(), { commonName: 'admin' }, 'server');
    writeFileSync(join(dir, 'key.pem'), certificate.keyPem);
    writeFileSync(join(dir, 'cert.pem'), certificate.certPem);
    writeFileSync(join(dir, 'listener.mjs'), LISTENER);
    snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...objects, kubeDns] }));
    withoutClusterDns = join(dir, 'without-cluster-dns.json');
    writeFileSync(withoutClusterDns, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    setNetnsNameserver(netns, DNS_IP);
    dns = await startDnsResponderInNetns(
      netns,
      {
        records: {
          'web.shop.svc.cluster.local': [WEB_IP],
          'admin.shop.svc.cluster.local': ['10.96.0.99'],
          'kube-dns.kube-system.svc.cluster.local': [DNS_IP],
          // Asked beside the Services' names: its answer confirms the cluster domain.
          'kubernetes.default.svc.cluster.local': ['10.96.0.1'],
        },
      },
      DNS_IP,
    );
    const specs = [
      { kind: 'http', host: WEB_1, port: 8080 },
      { kind: 'http', host: WEB_4, port: 8080 },
      { kind: 'tls', host: ADMIN_1, port: 8443 },
      { kind: 'http', host: WEB_IP, port: 80 },
      { kind: 'tls', host: ADMIN_IP, port: 80 },
    ];
    listener = await startInNetns(netns, [
      process.execPath,
      join(dir, 'listener.mjs'),
      JSON.stringify(specs),
      join(dir, 'key.pem'),
      join(dir, 'cert.pem'),
    ]);
  });

  afterAll(() => {
    listener?.kill();
    dns?.kill();
    if (netns) deleteNetns(netns);
    if (farEnd) deleteNetns(farEnd);
  });

  /** The built CLI, run inside the namespace (so that "local" is there). */
  const cli = (...args: string[]): CliResult => {
    const result = spawnSync('ip', ['netns', 'exec', netns, process.execPath, BIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), NO_COLOR: '1' },
      timeout: 60_000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const connect = (...args: string[]) =>
    cli('--snapshot', snapshot, '-n', 'shop', '--connect', '--connect-timeout', '1s', ...args);

  it('records each target’s answer and turns the answers into findings', () => {
    // -A: the input's kube-system/kube-dns Service is the cluster DNS this machine asks.
    const result = cli(
      '--snapshot',
      snapshot,
      '-A',
      '--connect',
      '--connect-timeout',
      '1s',
      '-o',
      'json',
      '--connect-http',
      '/healthz',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    const web = report.services.find((s) => s.name === 'web')!;
    const answers = web.connectivity![0].targets.map((t) => [t.kind, t.address, t.port, t.result]);
    expect(answers).toEqual([
      ['endpoint', WEB_1, 8080, 'open'],
      ['endpoint', WEB_2, 8080, 'refused'],
      ['endpoint', WEB_3, 8080, 'timeout'],
      ['endpoint', WEB_4, 8080, 'open'],
      ['endpoint', WEB_5, 8080, 'unreachable'],
      ['cluster-ip', WEB_IP, 80, 'open'],
    ]);
    expect(web.connectivity![0].vantage).toBe('local');
    expect(web.connectivity![0].targets[0].http?.statusLine).toBe('HTTP/1.1 204 No Content');
    expect(web.dns).toEqual({
      name: 'web.shop.svc.cluster.local',
      vantage: 'local',
      expected: [WEB_IP],
      result: 'answered',
      server: DNS_IP,
      addresses: [WEB_IP],
    });
    const found = report.findings.map((f) => `${f.service} ${f.check} ${f.reason}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'web endpoint-refuses-connections someRefuse',
        'web endpoint-unreachable timesOut',
        'web endpoint-unreachable noRoute',
        'web endpoint-answers-but-not-ready answersButNotReady',
        'admin endpoint-protocol-mismatch tlsOnHttpPort',
        'api service-address-fails clusterIPFailsFromOutside',
        'admin service-dns-mismatch wrongAddresses',
        'api service-dns-mismatch noSuchName',
      ]),
    );
    expect(found.filter((f) => f.includes('service-dns-mismatch'))).toHaveLength(2);
    expect(report.notes).not.toEqual(expect.arrayContaining([expect.stringContaining("this machine's resolver")]));
    const connectChecks = new Set([
      'endpoint-refuses-connections',
      'endpoint-unreachable',
      'service-address-fails',
      'endpoint-answers-but-not-ready',
      'endpoint-protocol-mismatch',
    ]);
    expect(found.filter((f) => connectChecks.has(f.split(' ')[1]))).toHaveLength(6);
  });

  it('text output: the findings, and a table of the answers per Service', () => {
    const result = connect('web', '--fail-on', 'warning');
    // One refusing endpoint of three ready ones, one that times out: warnings.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('endpoint-refuses-connections');
    expect(result.stdout).toContain('shop/web: connections from local');
    expect(result.stdout).toMatch(new RegExp(`${WEB_2.replaceAll('.', '\\.')}:8080 +ready web-2 +refused`));
    expect(result.stdout).toMatch(/10\.244\.2\.7:8080 +ready web-3 +timeout +- +no answer in 1000 ms/);
    // -n shop: the input holds no kube-system/kube-dns, this machine's resolver is asked.
    expect(result.stdout).toContain(`DNS web.shop.svc.cluster.local (asked this machine's resolver): ${WEB_IP}`);
  });

  it("without the kube-dns Service, names are asked of this machine's resolver; what it cannot resolve is not judged", () => {
    const result = cli(
      '--snapshot',
      withoutClusterDns,
      '-n',
      'shop',
      '--connect',
      '--connect-timeout',
      '1s',
      '-o',
      'json',
    );
    const report = JSON.parse(result.stdout) as Report;
    const dnsOf = (name: string) => report.services.find((s) => s.name === name)?.dns;
    expect(dnsOf('web')).toMatchObject({ server: 'system', result: 'answered', addresses: [WEB_IP] });
    expect(dnsOf('api')).toMatchObject({ server: 'system', result: 'nxdomain' });
    const found = report.findings
      .filter((f) => f.check === 'service-dns-mismatch')
      .map((f) => `${f.service} ${f.reason}`);
    expect(found).toEqual(['admin wrongAddresses']);
    expect(report.notes).toEqual(
      expect.arrayContaining([expect.stringContaining("looked up with this machine's resolver")]),
    );
  });

  it("a DNS without kubernetes.default puts the cluster domain in doubt when it is the cluster's, not when it is this machine's resolver", async () => {
    const odd = await startDnsResponderInNetns(
      netns,
      { records: { 'web.shop.svc.cluster.local': [WEB_IP] } },
      ODD_DNS_IP,
    );
    const dir = mkdtempSync(join(tmpdir(), 'epd-connect-odd-dns-'));
    const oddClusterDns = join(dir, 'odd-cluster-dns.json');
    writeFileSync(
      oddClusterDns,
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...objects, kubeDnsAt(ODD_DNS_IP)] }),
    );
    const inDoubt = (report: Report) => report.notes?.filter((n) => n.includes('does not exist either')) ?? [];
    const dnsFindings = (report: Report) =>
      report.findings.filter((f) => f.check === 'service-dns-mismatch').map((f) => `${f.service} ${f.reason}`);
    try {
      // Asked as the cluster DNS (-A: the input's kube-dns): every cluster has kubernetes.default,
      // so its NXDOMAIN says the domain may not be cluster.local, and api's NXDOMAIN is not judged.
      const asCluster = JSON.parse(
        cli('--snapshot', oddClusterDns, '-A', '--connect', '--connect-timeout', '1s', '-o', 'json').stdout,
      ) as Report;
      expect(asCluster.services.find((s) => s.name === 'api')?.dns).toMatchObject({
        server: ODD_DNS_IP,
        result: 'nxdomain',
      });
      expect(inDoubt(asCluster)).toHaveLength(1);
      expect(dnsFindings(asCluster)).not.toContain('api noSuchName');
      // Asked as this machine's resolver (no kube-dns in the input): it need not know the cluster
      // domain, so its NXDOMAIN for kubernetes.default says nothing of the domain.
      setNetnsNameserver(netns, ODD_DNS_IP);
      const asSystem = JSON.parse(
        cli('--snapshot', withoutClusterDns, '-n', 'shop', '--connect', '--connect-timeout', '1s', '-o', 'json').stdout,
      ) as Report;
      expect(asSystem.services.find((s) => s.name === 'api')?.dns).toMatchObject({
        server: 'system',
        result: 'nxdomain',
      });
      expect(inDoubt(asSystem)).toEqual([]);
      expect(asSystem.notes).toEqual(
        expect.arrayContaining([expect.stringContaining("looked up with this machine's resolver")]),
      );
    } finally {
      setNetnsNameserver(netns, DNS_IP);
      odd.kill();
    }
  });

  it('the tree puts the answer on each endpoint line', () => {
    const result = connect('admin', '-o', 'tree');
    expect(result.stdout).toMatch(/10\.244\.1\.9 +ready +node-a, connect 8443 open \d+ms \(TLS, certificate for /);
  });

  it('without --connect nothing is contacted and no connect check runs', () => {
    const result = cli('--snapshot', snapshot, '-n', 'shop', '-o', 'json');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.services.every((s) => s.connectivity === undefined)).toBe(true);
    expect(report.findings.map((f) => f.check)).not.toContain('endpoint-refuses-connections');
  });
});
