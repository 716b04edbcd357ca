// A tiny DNS server for tests (RFC 1035 over UDP, node's dgram; no package): it answers A and
// AAAA queries from a table, NXDOMAIN for a name it does not hold, and nothing at all for the
// names it is told to ignore (a timeout for the client). Started in a network namespace as a
// child that prints "ready".

import type { ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { startInNetns } from './netns.js';

export interface DnsTable {
  /** Addresses by lowercase name without the final dot. */
  records: Record<string, string[]>;
  /** Names never answered. */
  silent?: string[];
}

const TYPE_A = 1;
const TYPE_AAAA = 28;

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at] !== 0) {
    const length = message[at];
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function addressBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const [head, tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const fill = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array.from({ length: tail === undefined ? 0 : fill }, () => '0'), ...groups(tail)];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** The answer to one query message, or undefined for a name left unanswered. */
function dnsAnswer(query: Buffer, table: DnsTable): Buffer | undefined {
  const { name, end } = readName(query, 12);
  if (table.silent?.includes(name)) return undefined;
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const addresses = table.records[name];
  const wanted = (addresses ?? []).filter((a) => (type === TYPE_A ? isIPv4(a) : type === TYPE_AAAA && !isIPv4(a)));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, the query's RD, RA; RCODE 3 (NXDOMAIN) for a name the table lacks.
  header.writeUInt16BE(0x8180 | (query.readUInt16BE(2) & 0x0100) | (addresses ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(wanted.length, 6);
  const answers = wanted.map((address) => {
    const data = addressBytes(address);
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0); // the question's name
    record.writeUInt16BE(type, 2);
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(30, 6);
    record.writeUInt16BE(data.length, 10);
    return Buffer.concat([record, data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

/** Serves the table on host:port until closed. */
async function startDnsResponder(table: DnsTable, host: string, port = 0): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket(isIPv4(host) ? 'udp4' : 'udp6');
  socket.on('message', (message, peer) => {
    const answer = dnsAnswer(message, table);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  return { socket, port: socket.address().port };
}

/** Serves the table on host:53 inside the namespace, in a child (this module run as a script) the caller kills. */
export async function startDnsResponderInNetns(netns: string, table: DnsTable, host: string): Promise<ChildProcess> {
  return startInNetns(netns, [process.execPath, '--import', 'tsx', import.meta.filename, JSON.stringify(table), host]);
}

// Run as a script: node --import tsx dns-responder.ts TABLE HOST.
if (process.argv[1] === import.meta.filename) {
  await startDnsResponder(JSON.parse(process.argv[2]) as DnsTable, process.argv[3], 53);
  console.log('ready');
}
