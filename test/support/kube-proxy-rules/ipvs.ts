// IPVS as kube-proxy's ipvs mode programs it (docs/kube-proxy-dataplane.md#ipvs-mode): one virtual
// server per Service address, its real servers the policy's endpoints; written as /proc/net/ip_vs,
// ipvsadm-save and ipset save print them.

import { endpointString } from '../../../src/sources/node-rules/chain-names.js';
import type { FrontendKind, IPFamily, ProgrammedServicePort, Protocol } from '../../../src/sources/node-rules/types.js';
import { NODE_IP, type Backend, type PlannedPort } from './plan.js';

/** CONFIG_HZ assumed for /proc/net/ip_vs persistence timeouts. */
export const PROC_HZ = 250;

interface VirtualServer {
  kind: FrontendKind;
  ip: string;
  port: number;
  protocol: Protocol;
  family: IPFamily;
  endpoints: Backend[];
  affinitySeconds?: number;
}

function virtualServers(p: PlannedPort): VirtualServer[] {
  const internal = p.internalLocal ? p.localEndpoints : p.clusterEndpoints;
  const external = p.externalLocal ? p.localEndpoints : p.clusterEndpoints;
  const vs = (kind: FrontendKind, ip: string, port: number, endpoints: Backend[]): VirtualServer => ({
    kind,
    ip,
    port,
    protocol: p.protocol,
    family: p.family,
    endpoints,
    affinitySeconds: p.affinitySeconds,
  });
  return [
    vs('cluster-ip', p.clusterIP, p.port, internal),
    ...p.externalIPs.map((ip) => vs('external-ip', ip, p.port, external)),
    ...p.loadBalancerIPs.map((ip) => vs('load-balancer', ip, p.port, external)),
    ...(p.nodePort ? [vs('node-port', NODE_IP[p.family], p.nodePort, external)] : []),
  ];
}

export function expectedIpvsModel(p: PlannedPort): ProgrammedServicePort[] {
  return virtualServers(p).map((v) => ({
    protocol: v.protocol,
    family: v.family,
    frontends: [{ kind: v.kind, ip: v.ip, port: v.port, protocol: v.protocol }],
    endpoints: v.endpoints.map((e) => ({
      ip: e.ip,
      port: e.port,
      share: Math.round(1e6 / v.endpoints.length) / 1e6,
      weight: 1,
    })),
    verdicts: [],
    masquerade: false,
    ...(v.affinitySeconds !== undefined ? { affinityTimeoutJiffies: v.affinitySeconds * PROC_HZ } : {}),
    rules: [],
  }));
}

function hex(ip: string): string {
  return ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function hexPort(port: number): string {
  return port.toString(16).padStart(4, '0').toUpperCase();
}

/** IPv6 with all eight groups of four digits, as the kernel's %pI6 prints it. */
function expandIPv6(ip: string): string {
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

function procAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${expandIPv6(ip)}]:${hexPort(port)}` : `${hex(ip)}:${hexPort(port)}`;
}

export function procIpVs(plan: PlannedPort[]): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
  ];
  for (const v of plan.flatMap(virtualServers)) {
    const persistent = v.affinitySeconds !== undefined ? `persistent ${v.affinitySeconds * PROC_HZ} FFFFFFFF` : '';
    lines.push(`${v.protocol}  ${procAddress(v.ip, v.port)} rr ${persistent}`.trimEnd());
    for (const e of v.endpoints) {
      lines.push(
        `  -> ${procAddress(e.ip, e.port)}      ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function ipvsadmSave(plan: PlannedPort[]): string {
  const flag: Record<Protocol, string> = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' };
  const lines: string[] = [];
  for (const v of plan.flatMap(virtualServers)) {
    const service = `${flag[v.protocol]} ${endpointString(v.ip, v.port)}`;
    lines.push(`-A ${service} -s rr${v.affinitySeconds !== undefined ? ` -p ${v.affinitySeconds}` : ''}`);
    for (const e of v.endpoints) lines.push(`-a ${service} -r ${endpointString(e.ip, e.port)} -m -w 1`);
  }
  return lines.join('\n') + '\n';
}

export function ipsetSave(plan: PlannedPort[]): string {
  const members = new Map<string, string[]>();
  const add = (set: string, entry: string) => members.set(set, [...(members.get(set) ?? []), entry]);
  for (const p of plan) {
    const six = p.family === 'IPv6' ? '6-' : '';
    const proto = p.protocol.toLowerCase();
    const entry = (ip: string) => `${ip},${proto}:${p.port}`;
    add(`KUBE-${six}CLUSTER-IP`, entry(p.clusterIP));
    for (const ip of p.externalIPs) add(`KUBE-${six}EXTERNAL-IP${p.externalLocal ? '-LOCAL' : ''}`, entry(ip));
    for (const ip of p.loadBalancerIPs) add(`KUBE-${six}LOAD-BALANCER${p.externalLocal ? '-LOCAL' : ''}`, entry(ip));
    if (p.nodePort) {
      const set =
        p.protocol === 'SCTP'
          ? `NODE-PORT-${p.externalLocal ? 'LOCAL-' : ''}SCTP-HASH`
          : `NODE-PORT-${p.externalLocal ? 'LOCAL-' : ''}${p.protocol}`;
      add(`KUBE-${six}${set}`, p.protocol === 'SCTP' ? `${NODE_IP[p.family]},sctp:${p.nodePort}` : String(p.nodePort));
    }
  }
  const lines: string[] = [];
  for (const [set, entries] of members) {
    const family = set.startsWith('KUBE-6-') ? 'inet6' : 'inet';
    const type = /NODE-PORT-(LOCAL-)?(TCP|UDP)$/.test(set)
      ? 'bitmap:port range 0-65535'
      : `hash:ip,port family ${family} hashsize 1024 maxelem 65536`;
    lines.push(`create ${set} ${type} comment`);
    for (const e of entries) lines.push(`add ${set} ${e}`);
  }
  return lines.join('\n') + '\n';
}
