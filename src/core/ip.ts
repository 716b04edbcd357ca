// IP addresses as Kubernetes objects and kube-proxy's rules spell them.

import { isIP } from 'node:net';

export type AddressFamily = 'IPv4' | 'IPv6';

/** IPv4, IPv6, or undefined for text that is not an IP address. */
export function familyOf(ip: string): AddressFamily | undefined {
  const v = isIP(ip);
  return v === 4 ? 'IPv4' : v === 6 ? 'IPv6' : undefined;
}

/** Canonical text of an IP (IPv6 compressed, lowercase), so that slice, Endpoints and pod IPs compare. */
export function canonicalIP(ip: string): string {
  // Only IPv6 has other spellings; most addresses are IPv4, and this runs once per endpoint.
  if (!ip.includes(':') || isIP(ip) !== 6) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

/** An address range (a CIDR, or one address as a /32 or /128) as numbers, for containment tests. */
export interface AddressRange {
  family: AddressFamily;
  /** The first address of the range. */
  start: bigint;
  /** The last address of the range. */
  end: bigint;
}

function ipv4Bits(ip: string): bigint {
  return ip.split('.').reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Bits(ip: string): bigint {
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  const text = tail
    ? `${tail[1]}${(ipv4Bits(tail[2]) >> 16n).toString(16)}:${(ipv4Bits(tail[2]) & 0xffffn).toString(16)}`
    : ip;
  const [head, rest] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(rest);
  const all =
    rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The range of a CIDR ("10.0.0.0/8", "2001:db8::/64") or of one address; undefined for text that is neither. */
export function addressRange(text: string): AddressRange | undefined {
  const [ip, prefixText, extra] = text.split('/');
  const family = familyOf(ip);
  if (!family || extra !== undefined) return undefined;
  const width = family === 'IPv4' ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefix > width) return undefined;
  const bits = family === 'IPv4' ? ipv4Bits(ip) : ipv6Bits(ip);
  const host = (1n << BigInt(width - prefix)) - 1n;
  return { family, start: bits & ~host, end: (bits & ~host) | host };
}

/** Whether `inner` lies wholly within `outer` (same family). */
export function rangeWithin(inner: AddressRange, outer: AddressRange): boolean {
  return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}

/** Whether the two ranges share an address. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}
