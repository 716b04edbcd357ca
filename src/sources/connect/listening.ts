// What a pod listens on, from the lines of /proc/net/tcp and /proc/net/tcp6 of its network
// namespace (which the debug container shares): the sockets in state LISTEN, with the local
// address they are bound to, so that "listens on 127.0.0.1:3000" is visible.
// https://docs.kernel.org/networking/proc_net_tcp.html: each line is
// `sl local_address rem_address st ...`, the address in hex as the kernel's u32 words print in
// the host's byte order (%08X, four words for IPv6), the port in hex in network order, and st the
// TCP state (0A: LISTEN).

import { canonicalIP } from '../../core/ip.js';

const LISTEN = '0A';

/** Architectures whose kernel prints the address words big-endian; every other Linux port Kubernetes builds for is little-endian. */
const BIG_ENDIAN = /^(s390x?|ppc64|ppc|mips|mips64|sparc64|armeb|aarch64_be)$/;

/** The four bytes of one u32 word as the kernel printed it, in address order. */
function wordBytes(hex: string, bigEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return bigEndian ? bytes : bytes.reverse();
}

/** The address text of a /proc/net/tcp{,6} address field (8 or 32 hex digits), or undefined. */
function addressOf(hex: string, bigEndian: boolean): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  if (hex.length === 8) return wordBytes(hex, bigEndian).join('.');
  if (hex.length !== 32) return undefined;
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), bigEndian));
  // An IPv4-mapped address (a socket of both families) reads best with its IPv4 part.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  return canonicalIP(groups.join(':'));
}

/**
 * The local addresses of the LISTEN sockets among these lines ("127.0.0.1:3000", "[::]:8080"),
 * sorted, each once; the header line and any other line are passed over. `machine`: the node's
 * `uname -m`, which says how the address words are printed (little-endian when unknown).
 */
export function listeningSockets(lines: string[], machine?: string): string[] {
  const bigEndian = machine !== undefined && BIG_ENDIAN.test(machine);
  const found = new Set<string>();
  for (const line of lines) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (state !== LISTEN || local === undefined) continue;
    const [hexAddress, hexPort] = local.split(':');
    const address = hexAddress === undefined ? undefined : addressOf(hexAddress, bigEndian);
    if (address === undefined || !/^[0-9A-Fa-f]{4}$/.test(hexPort ?? '')) continue;
    const port = parseInt(hexPort, 16);
    found.add(address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
  }
  return [...found].sort();
}
