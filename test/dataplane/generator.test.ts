// The generator is the yardstick for the readers, so it is pinned to kube-proxy's formats (as
// docs/kube-proxy-dataplane.md: its iptables and nftables chain names and rules) and endpoint selection on small cases.
import { describe, expect, it } from 'vitest';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { service, slice } from '../support/objects.js';

const svc1 = (spec: Record<string, unknown> = {}) =>
  service('svc1', {
    ns: 'ns1',
    ports: [{ name: 'p80', port: 80, targetPort: 80, protocol: 'TCP' }],
    spec: { clusterIP: '172.30.0.41', clusterIPs: ['172.30.0.41'], ...spec },
  });
const slice1 = (
  endpoints: { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean }[],
) => slice('svc1', { ns: 'ns1', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], endpoints });

describe('generateKubeProxyRules formats', () => {
  const one = generateKubeProxyRules({ services: [svc1()], slices: [slice1([{ ip: '10.180.0.1' }])], nodeName: 'n' });

  it('writes kube-proxy iptables lines for a ClusterIP Service', () => {
    const lines = one.iptables.IPv4.split('\n');
    expect(lines).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41/32 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    );
    expect(
      lines.filter((l) =>
        l.startsWith('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80"'),
      ),
    ).toHaveLength(1);
    expect(lines.some((l) => /^-A KUBE-SEP-[A-Z2-7]{16} .* -j DNAT --to-destination 10\.180\.0\.1:80$/.test(l))).toBe(
      true,
    );
  });

  it('writes kube-proxy nft commands for a ClusterIP Service', () => {
    const lines = one.nft.IPv4.split('\n');
    expect(lines).toContain(
      'add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }',
    );
    expect(lines).toContain(
      'add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80',
    );
    expect(lines).toContain(
      'add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }',
    );
  });

  it('gives rule i of n the probability 1/(n-i) with 10 decimals, the last none', () => {
    const three = generateKubeProxyRules({
      services: [svc1()],
      slices: [slice1([{ ip: '10.180.0.1' }, { ip: '10.180.0.2' }, { ip: '10.180.0.3' }])],
      nodeName: 'n',
    });
    const jumps = three.iptables.IPv4.split('\n').filter(
      (l) => l.startsWith('-A KUBE-SVC-XPGD46QRK7WJZT7O') && l.includes('KUBE-SEP-'),
    );
    expect(jumps.map((l) => /--probability (\S+)/.exec(l)?.[1])).toEqual(['0.3333333333', '0.5000000000', undefined]);
  });
});

describe('generateKubeProxyRules endpoint selection', () => {
  const expectedFor = (endpoints: Parameters<typeof slice1>[0], spec: Record<string, unknown> = {}) =>
    generateKubeProxyRules({ services: [svc1(spec)], slices: [slice1(endpoints)], nodeName: 'node-a' }).expected[0];

  it('uses ready endpoints only while there are any', () => {
    expect(
      expectedFor([{ ip: '10.180.0.1' }, { ip: '10.180.0.2', ready: false, serving: true, terminating: true }])
        .endpoints,
    ).toEqual([{ ip: '10.180.0.1', port: 80, share: 1 }]);
  });

  it('falls back to serving terminating endpoints, never to not-serving ones', () => {
    expect(
      expectedFor([
        { ip: '10.180.0.2', ready: false, serving: true, terminating: true },
        { ip: '10.180.0.3', ready: false, serving: false, terminating: true },
      ]).endpoints,
    ).toEqual([{ ip: '10.180.0.2', port: 80, share: 1 }]);
  });

  it('rejects when no endpoint is usable', () => {
    expect(expectedFor([{ ip: '10.180.0.3', ready: false, serving: false }])).toMatchObject({
      endpoints: [],
      verdicts: [{ frontend: 'cluster-ip', verdict: 'reject' }],
    });
  });

  it('keeps internalTrafficPolicy Local to this node, and drops without a local endpoint', () => {
    const local = { internalTrafficPolicy: 'Local' };
    expect(
      expectedFor(
        [
          { ip: '10.180.0.1', node: 'node-a' },
          { ip: '10.180.0.2', node: 'node-b' },
        ],
        local,
      ),
    ).toMatchObject({
      endpoints: [{ ip: '10.180.0.1', port: 80, share: 1 }],
      internalPolicy: 'Local',
    });
    expect(expectedFor([{ ip: '10.180.0.2', node: 'node-b' }], local)).toMatchObject({
      endpoints: [],
      verdicts: [{ frontend: 'cluster-ip', verdict: 'drop' }],
    });
  });

  it('narrows Cluster-policy endpoints to zone hints when the Service asks for topology and the node has a zone', () => {
    const hinted = [
      { ip: '10.180.0.1', zone: 'a', hints: ['a'] },
      { ip: '10.180.0.2', zone: 'b', hints: ['b'] },
    ];
    const run = (annotations: Record<string, string>, nodeZone?: string, endpoints = hinted) =>
      generateKubeProxyRules({
        services: [service('svc1', { ns: 'ns1', annotations, ports: [{ name: 'p80', port: 80, protocol: 'TCP' }] })],
        slices: [slice('svc1', { ns: 'ns1', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], endpoints })],
        nodeName: 'node-a',
        nodeZone,
      }).expected[0].endpoints.map((e) => e.ip);
    const auto = { 'service.kubernetes.io/topology-mode': 'Auto' };
    expect(run(auto, 'a')).toEqual(['10.180.0.1']);
    expect(run({}, 'a')).toEqual(['10.180.0.1', '10.180.0.2']);
    expect(run(auto, undefined)).toEqual(['10.180.0.1', '10.180.0.2']);
    expect(run(auto, 'c')).toEqual(['10.180.0.1', '10.180.0.2']);
    expect(run(auto, 'a', [hinted[0], { ip: '10.180.0.2', zone: 'b', hints: [] }])).toEqual([
      '10.180.0.1',
      '10.180.0.2',
    ]);
  });
});
