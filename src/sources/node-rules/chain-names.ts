// The names kube-proxy gives its per-Service chains. They are hashes of the Service port name, so
// rules that carry no comment (large clusters) can still be tied to a Service by recomputing them.
import { createHash } from 'node:crypto';
import type { Protocol } from './types.js';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with the standard alphabet (what Go's base32.StdEncoding prints, minus padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function sha256Base32(text: string): string {
  return base32(createHash('sha256').update(text).digest());
}

/** kube-proxy's "ns/name:portName", or "ns/name" for a single unnamed port: the comment and hash key. */
export function servicePortString(namespace: string, name: string, portName: string): string {
  return portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`;
}

/** "ip:port", with IPv6 in brackets (Go's net.JoinHostPort), as kube-proxy names endpoints. */
export function endpointString(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export type IptablesServiceChainPrefix = 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-';

/** The 16-character hash shared by a Service port's KUBE-SVC/SVL/EXT/FW chains. */
export function iptablesServiceHash(servicePort: string, protocol: Protocol): string {
  return sha256Base32(servicePort + protocol.toLowerCase()).slice(0, 16);
}

export function iptablesServiceChain(
  prefix: IptablesServiceChainPrefix,
  servicePort: string,
  protocol: Protocol,
): string {
  return prefix + iptablesServiceHash(servicePort, protocol);
}

/** KUBE-SEP-<hash of "ns/name:port" + protocol + "ip:port">; the port is the endpoint (target) port. */
export function iptablesEndpointChain(servicePort: string, protocol: Protocol, ip: string, port: number): string {
  return 'KUBE-SEP-' + sha256Base32(servicePort + protocol.toLowerCase() + endpointString(ip, port)).slice(0, 16);
}

/** nftables names longer than this are cut to 237 characters plus "...". */
const NFT_NAME_LIMIT = 240;

function hashAndTruncate(readable: string): string {
  const name = sha256Base32(readable).slice(0, 8) + '-' + readable;
  return name.length > NFT_NAME_LIMIT ? name.slice(0, NFT_NAME_LIMIT - 3) + '...' : name;
}

/** "ns/name/protocol/portName" (an unnamed port leaves the last part empty). */
function nftServicePortReadable(namespace: string, name: string, protocol: Protocol, portName: string): string {
  return `${namespace}/${name}/${protocol.toLowerCase()}/${portName}`;
}

/** The base after "service-", "local-", "external-" and "firewall-": "XXXXXXXX-ns/name/proto/portName". */
export function nftServiceChainBase(namespace: string, name: string, protocol: Protocol, portName: string): string {
  return hashAndTruncate(nftServicePortReadable(namespace, name, protocol, portName));
}

/** The base after "endpoint-" and "affinity-": "XXXXXXXX-ns/name/proto/portName__ip/port", IPv6 colons as dots. */
export function nftEndpointChainBase(
  namespace: string,
  name: string,
  protocol: Protocol,
  portName: string,
  ip: string,
  port: number,
): string {
  const readable = `${nftServicePortReadable(namespace, name, protocol, portName)}__${ip.replaceAll(':', '.')}/${port}`;
  return hashAndTruncate(readable);
}

/** Whether an nftables chain/set name was cut to fit (its readable part is then incomplete). */
export function isTruncatedNftName(name: string): boolean {
  return name.length === NFT_NAME_LIMIT && name.endsWith('...');
}
