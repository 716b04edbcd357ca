// Reads kube-proxy's IPVS mode state: virtual servers and their real servers from /proc/net/ip_vs
// (hex addresses), `ipvsadm -Ln` or `ipvsadm-save -n`, and kube-proxy's ipsets (`ipset save`) to tell
// cluster IPs, external IPs, load-balancer IPs and node ports apart. See docs/kube-proxy-dataplane.md#ipvs-mode.
// IPVS names no Service: each virtual server becomes one entry without `service`, one frontend.
import { endpointString } from './chain-names.js';
import { DataplaneInputError, parseHostPort, roundShare, toProtocol } from './service-ports.js';
import type { FrontendKind, IPFamily, ProgrammedServicePort, Protocol } from './types.js';
import { canonicalIP } from '../../core/ip.js';

export type IpvsFormat = 'proc' | 'ipvsadm-list' | 'ipvsadm-save';

interface RealServer {
  ip: string;
  port: number;
  weight: number;
}

interface VirtualServer {
  protocol: Protocol;
  ip: string;
  port: number;
  scheduler?: string;
  /** Seconds (ipvsadm) or kernel ticks (/proc). */
  persistence?: number;
  realServers: RealServer[];
  lines: string[];
}

export interface IpvsReading {
  servicePorts: ProgrammedServicePort[];
  notes: string[];
}

/** "0A60000A" → "10.96.0.10". */
function hexIPv4(hex: string): string {
  return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** An address as /proc (hex IPv4, hex port) or ipvsadm -Ln (decimal) prints it. */
function parseAddress(text: string, hex: boolean): { ip: string; port: number } | undefined {
  if (hex) {
    const v4 = /^([0-9A-Fa-f]{8}):([0-9A-Fa-f]{4})$/.exec(text);
    if (v4) return { ip: hexIPv4(v4[1]), port: parseInt(v4[2], 16) };
    const v6 = /^\[([0-9a-fA-F:.]+)\]:([0-9A-Fa-f]{4})$/.exec(text);
    // The kernel prints IPv6 uncompressed (%pI6); compress it so it compares with slice addresses.
    return v6 ? { ip: canonicalIP(v6[1]), port: parseInt(v6[2], 16) } : undefined;
  }
  return parseHostPort(text);
}

/** /proc/net/ip_vs or `ipvsadm -Ln`: a service line, then "  -> address forward weight active inactive" lines. */
function parseListing(text: string, format: 'proc' | 'ipvsadm-list', source: string, notes: string[]): VirtualServer[] {
  const servers: VirtualServer[] = [];
  let current: VirtualServer | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || /^(IP Virtual Server|Prot |-> RemoteAddress)/.test(trimmed)) return;
    const where = `${source} line ${index + 1}`;
    const service = /^(TCP|UDP|SCTP)\s+(\S+)\s+(\S+)(.*)$/.exec(trimmed);
    if (service) {
      const address = parseAddress(service[2], format === 'proc');
      if (!address) throw new DataplaneInputError(`${where}: cannot read the address "${service[2]}"`);
      const persistent = /persistent (\d+)/.exec(service[4]);
      current = {
        protocol: service[1] as Protocol,
        ...address,
        scheduler: service[3],
        ...(persistent ? { persistence: Number(persistent[1]) } : {}),
        realServers: [],
        lines: [trimmed],
      };
      servers.push(current);
      return;
    }
    if (/^FWM\s/.test(trimmed)) {
      notes.push(`${where}: firewall-mark virtual server skipped (kube-proxy does not create them)`);
      current = undefined;
      return;
    }
    const dest = /^->\s+(\S+)\s+(\S+)\s+(-?\d+)\s+\d+\s+\d+$/.exec(trimmed);
    if (dest) {
      if (!current) return;
      const address = parseAddress(dest[1], format === 'proc');
      if (!address) throw new DataplaneInputError(`${where}: cannot read the real server "${dest[1]}"`);
      current.realServers.push({ ...address, weight: Number(dest[3]) });
      current.lines.push(trimmed);
      return;
    }
    throw new DataplaneInputError(
      `${where}: unexpected "${trimmed.slice(0, 60)}"; give the output of "cat /proc/net/ip_vs" or "ipvsadm -Ln"`,
    );
  });
  return servers;
}

const SAVE_PROTOCOL: Record<string, Protocol> = {
  '-t': 'TCP',
  '--tcp-service': 'TCP',
  '-u': 'UDP',
  '--udp-service': 'UDP',
  '--sctp-service': 'SCTP',
};

/** `ipvsadm-save -n`: "-A -t ip:port -s rr [-p secs]" and "-a -t ip:port -r ip:port -m -w N". */
function parseSave(text: string, source: string, notes: string[]): VirtualServer[] {
  const servers = new Map<string, VirtualServer>();
  text.split(/\r?\n/).forEach((line, index) => {
    const words = line.trim().split(/\s+/);
    if (words[0] === '' || words[0].startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const protocol = SAVE_PROTOCOL[words[1]];
    if (words[1] === '-f' || words[1] === '--fwmark-service') {
      notes.push(`${where}: firewall-mark virtual server skipped (kube-proxy does not create them)`);
      return;
    }
    const address = protocol ? parseHostPort(words[2] ?? '') : undefined;
    if ((words[0] !== '-A' && words[0] !== '-a') || !protocol || !address) {
      throw new DataplaneInputError(
        `${where}: expected "-A|-a -t|-u ip:port ...", found "${line.trim().slice(0, 60)}"`,
      );
    }
    const key = `${protocol} ${words[2]}`;
    const flag = (name: string) => {
      const i = words.indexOf(name);
      return i >= 0 ? words[i + 1] : undefined;
    };
    if (words[0] === '-A') {
      const persistence = flag('-p') ?? flag('--persistent');
      servers.set(key, {
        protocol,
        ...address,
        scheduler: flag('-s') ?? flag('--scheduler'),
        ...(persistence !== undefined ? { persistence: Number(persistence) } : {}),
        realServers: [],
        lines: [line.trim()],
      });
      return;
    }
    const server = servers.get(key);
    const real = parseHostPort(flag('-r') ?? flag('--real-server') ?? '');
    if (!server || !real)
      throw new DataplaneInputError(`${where}: real server for an unknown virtual server or address`);
    server.realServers.push({ ...real, weight: Number(flag('-w') ?? flag('--weight') ?? 1) });
    server.lines.push(line.trim());
  });
  return [...servers.values()];
}

/** kube-proxy's ipsets, as "ip,proto:port" (hash sets) or "port" (bitmap node-port sets) → frontend kind. */
export interface IpsetIndex {
  kindOf(ip: string, protocol: Protocol, port: number): FrontendKind | undefined;
}

const IPSET_KINDS: [RegExp, FrontendKind][] = [
  [/^KUBE-(6-)?CLUSTER-IP$/, 'cluster-ip'],
  [/^KUBE-(6-)?EXTERNAL-IP(-LOCAL)?$/, 'external-ip'],
  [/^KUBE-(6-)?LOAD-BALANCER(-LOCAL)?$/, 'load-balancer'],
  [/^KUBE-(6-)?NODE-PORT-(LOCAL-)?(TCP|UDP|SCTP-HASH)$/, 'node-port'],
];

/** Reads `ipset save` (or `ipset list`'s "Members:" is not supported: use save). Unknown sets are ignored. */
export function readIpsetSave(text: string, source = 'ipset save output'): IpsetIndex {
  const byEntry = new Map<string, FrontendKind>();
  text.split(/\r?\n/).forEach((line, index) => {
    const words = line.trim().split(/\s+/);
    if (words[0] === '' || words[0] === 'create' || words[0].startsWith('#')) return;
    if (words[0] !== 'add' || words.length < 3) {
      throw new DataplaneInputError(
        `${source} line ${index + 1}: expected "create" or "add" lines; give "ipset save" output`,
      );
    }
    const kind = IPSET_KINDS.find(([pattern]) => pattern.test(words[1]))?.[1];
    if (!kind) return;
    const bitmap = /-(TCP|UDP)$/.exec(words[1]);
    byEntry.set(
      bitmap && kind === 'node-port' ? `${bitmap[1].toLowerCase()}:${words[2]}` : words[2].toLowerCase(),
      kind,
    );
  });
  return {
    kindOf(ip, protocol, port) {
      const proto = protocol.toLowerCase();
      return byEntry.get(`${ip.toLowerCase()},${proto}:${port}`) ?? byEntry.get(`${proto}:${port}`);
    },
  };
}

/**
 * IPVS virtual servers as Service ports. Shares follow the weights (rr treats every non-zero weight
 * alike, which equal weights model too); weight 0 is a real server being drained: share 0, weight 0.
 */
export function readIpvs(
  text: string,
  options: { format: IpvsFormat; ipset?: string; source?: string; ipsetSource?: string },
): IpvsReading {
  const source = options.source ?? (options.format === 'proc' ? '/proc/net/ip_vs' : 'ipvsadm output');
  const notes: string[] = [];
  const servers =
    options.format === 'ipvsadm-save'
      ? parseSave(text, source, notes)
      : parseListing(text, options.format, source, notes);
  const ipsets = options.ipset !== undefined ? readIpsetSave(options.ipset, options.ipsetSource) : undefined;
  if (!ipsets) notes.push('no ipset save output: every IPVS virtual server is reported as a cluster IP');
  const servicePorts = servers.map((vs): ProgrammedServicePort => {
    const family: IPFamily = vs.ip.includes(':') ? 'IPv6' : 'IPv4';
    let kind = ipsets?.kindOf(vs.ip, vs.protocol, vs.port);
    if (ipsets && !kind) {
      notes.push(
        `IPVS virtual server ${vs.protocol} ${endpointString(vs.ip, vs.port)} is in none of kube-proxy's ipsets`,
      );
    }
    kind ??= 'cluster-ip';
    const total = vs.realServers.reduce((sum, r) => sum + Math.max(r.weight, 0), 0);
    const port: ProgrammedServicePort = {
      protocol: toProtocol(vs.protocol) ?? 'TCP',
      family,
      frontends: [{ kind, ip: vs.ip, port: vs.port, protocol: vs.protocol }],
      endpoints: vs.realServers.map((r) => ({
        ip: r.ip,
        port: r.port,
        share: total > 0 ? roundShare(Math.max(r.weight, 0) / total) : 0,
        weight: r.weight,
      })),
      verdicts: [],
      masquerade: false,
      rules: vs.lines,
    };
    if (vs.persistence !== undefined) {
      if (options.format === 'proc') port.affinityTimeoutJiffies = vs.persistence;
      else port.affinityTimeoutSeconds = vs.persistence;
    }
    return port;
  });
  return { servicePorts, notes };
}
