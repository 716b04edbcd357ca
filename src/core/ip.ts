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
