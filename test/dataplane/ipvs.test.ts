import { describe, expect, it } from 'vitest';
import { readIpsetSave, readIpvs } from '../../src/sources/node-rules/ipvs.js';
import { DataplaneInputError } from '../../src/sources/node-rules/service-ports.js';
import type { ProgrammedServicePort } from '../../src/sources/node-rules/types.js';
import { expectedIpvs, generateKubeProxyRules, PROC_HZ } from '../support/kube-proxy-rules.js';
import { scenarios } from '../support/kube-proxy-scenarios.js';
import { canonical } from './compare.js';

const withoutJiffies = (ports: ProgrammedServicePort[]) =>
  ports.map(({ affinityTimeoutJiffies, ...p }) =>
    affinityTimeoutJiffies !== undefined ? { ...p, affinityTimeoutSeconds: affinityTimeoutJiffies / PROC_HZ } : p,
  );

describe('IPVS state generated from the scenarios', () => {
  it.each(scenarios().filter((s) => !s.input.largeCluster))('/proc/net/ip_vs + ipset save: $name', ({ input }) => {
    const generated = generateKubeProxyRules(input);
    const read = readIpvs(generated.procIpVs, { format: 'proc', ipset: generated.ipsetSave });
    expect(canonical(read.servicePorts, () => false)).toEqual(canonical(expectedIpvs(input), () => false));
    expect(read.notes).toEqual([]);
  });

  it.each(scenarios().filter((s) => !s.input.largeCluster))('ipvsadm-save -n + ipset save: $name', ({ input }) => {
    const generated = generateKubeProxyRules(input);
    const read = readIpvs(generated.ipvsadmSave, { format: 'ipvsadm-save', ipset: generated.ipsetSave });
    expect(canonical(read.servicePorts, () => false)).toEqual(
      canonical(withoutJiffies(expectedIpvs(input)), () => false),
    );
  });
});

describe('readIpvs on hand-written text', () => {
  const proc = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
    'TCP  0A60000A:0050 rr ',
    '  -> 0AF40002:1F90      Masq    1      0          0         ',
    '  -> 0AF40003:1F90      Masq    0      3          1         ',
    '  -> 0AF40004:1F90      Masq    1      0          0         ',
    'UDP  [fd00:0096:0000:0000:0000:0000:0000:000a]:0035 rr persistent 2700000 FFFFFFFF',
    '  -> [fd00:0010:0244:0000:0000:0000:0000:0005]:14E9      Masq    1      0          0         ',
  ].join('\n');

  it('reads hex addresses, IPv6, persistence in ticks, and weight 0 as draining', () => {
    const read = readIpvs(proc, {
      format: 'proc',
      ipset: 'add KUBE-CLUSTER-IP 10.96.0.10,tcp:80\nadd KUBE-6-CLUSTER-IP fd00:96::a,udp:53\n',
    });
    expect(read.servicePorts.map(({ rules: _r, ...p }) => p)).toEqual([
      {
        protocol: 'TCP',
        family: 'IPv4',
        frontends: [{ kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' }],
        endpoints: [
          { ip: '10.244.0.2', port: 8080, share: 0.5, weight: 1 },
          { ip: '10.244.0.3', port: 8080, share: 0, weight: 0 },
          { ip: '10.244.0.4', port: 8080, share: 0.5, weight: 1 },
        ],
        verdicts: [],
        masquerade: false,
      },
      {
        protocol: 'UDP',
        family: 'IPv6',
        frontends: [{ kind: 'cluster-ip', ip: 'fd00:96::a', port: 53, protocol: 'UDP' }],
        endpoints: [{ ip: 'fd00:10:244::5', port: 5353, share: 1, weight: 1 }],
        verdicts: [],
        masquerade: false,
        affinityTimeoutJiffies: 2700000,
      },
    ]);
    expect(read.notes).toEqual([]);
  });

  it('reads ipvsadm -Ln (decimal) with persistence in seconds', () => {
    const list = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.0.0.1:443 rr persistent 10800',
      '  -> 192.168.0.1:6443             Masq    1      1          0',
    ].join('\n');
    const [port] = readIpvs(list, { format: 'ipvsadm-list' }).servicePorts;
    expect(port.affinityTimeoutSeconds).toBe(10800);
    expect(port.endpoints).toEqual([{ ip: '192.168.0.1', port: 6443, share: 1, weight: 1 }]);
  });

  it.each([
    ['KUBE-EXTERNAL-IP', 'add KUBE-EXTERNAL-IP 10.96.0.10,tcp:80', 'external-ip'],
    ['KUBE-EXTERNAL-IP-LOCAL', 'add KUBE-EXTERNAL-IP-LOCAL 10.96.0.10,tcp:80', 'external-ip'],
    ['KUBE-LOAD-BALANCER', 'add KUBE-LOAD-BALANCER 10.96.0.10,tcp:80', 'load-balancer'],
    ['KUBE-LOAD-BALANCER-LOCAL', 'add KUBE-LOAD-BALANCER-LOCAL 10.96.0.10,tcp:80', 'load-balancer'],
    ['KUBE-NODE-PORT-TCP (bitmap)', 'add KUBE-NODE-PORT-TCP 80', 'node-port'],
    ['KUBE-NODE-PORT-LOCAL-TCP (bitmap)', 'add KUBE-NODE-PORT-LOCAL-TCP 80', 'node-port'],
  ])('classifies a virtual server found in %s', (_name, ipset, kind) => {
    const [port] = readIpvs(proc, { format: 'proc', ipset }).servicePorts;
    expect(port.frontends[0].kind).toBe(kind);
  });

  it('does not take a UDP node port for a TCP one', () => {
    expect(readIpsetSave('add KUBE-NODE-PORT-UDP 80').kindOf('10.0.0.1', 'TCP', 80)).toBeUndefined();
  });

  it('notes virtual servers that no kube-proxy ipset names, and a missing ipset dump', () => {
    expect(readIpvs(proc, { format: 'proc', ipset: '' }).notes).toContain(
      "IPVS virtual server TCP 10.96.0.10:80 is in none of kube-proxy's ipsets",
    );
    expect(readIpvs(proc, { format: 'proc' }).notes).toEqual([
      'no ipset save output: every IPVS virtual server is reported as a cluster IP',
    ]);
  });

  it.each([
    ['garbage in /proc', 'hello world', 'proc'],
    ['bad address', 'TCP  nothex:0050 rr', 'proc'],
    ['bad save line', '-X -t 10.0.0.1:80', 'ipvsadm-save'],
    ['real server without virtual server', '-a -t 10.0.0.1:80 -r 10.244.0.1:80 -m -w 1', 'ipvsadm-save'],
  ] as const)('rejects %s with a DataplaneInputError', (_name, text, format) => {
    expect(() => readIpvs(text, { format })).toThrow(DataplaneInputError);
  });

  it('rejects ipset text that is not ipset save output', () => {
    expect(() => readIpsetSave('Name: KUBE-CLUSTER-IP\nMembers:\n10.0.0.1,tcp:80')).toThrow(/ipset save/);
  });
});
