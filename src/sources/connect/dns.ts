// --connect's DNS lookups of each Service's own name, over UDP (UDP has no connect; a query is
// how it is tried): from this machine with Node's resolver, asking the cluster DNS Service when
// the input holds it (else this machine's resolver, as the answer says); from a pod with the
// image's nslookup, which asks the servers of the pod's resolv.conf. Only that one name is asked,
// with a final dot: no search list is tried.

import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalIP } from '../../core/ip.js';
import type { DnsAnswer, DnsQuery } from './types.js';

/** The server of an answer from this machine's own resolver. */
export const SYSTEM_RESOLVER = 'system';
/** The server of an answer from a pod's nslookup: whatever its resolv.conf names. */
export const POD_RESOLVER = 'resolv.conf';

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** One record type's lookup: its addresses, none when the name has no such record. */
async function resolveType(
  resolver: Resolver,
  name: string,
  type: 'A' | 'AAAA',
): Promise<{ addresses: string[] } | { code: string }> {
  try {
    return { addresses: type === 'A' ? await resolver.resolve4(name) : await resolver.resolve6(name) };
  } catch (e) {
    const code = errorCode(e) ?? 'ERROR';
    // ENODATA: the name exists without records of this type.
    return code === 'ENODATA' ? { addresses: [] } : { code };
  }
}

/** The answer a failure code stands for (c-ares's codes, as node:dns names them). */
function failure(code: string, server: string, timeoutMs: number): DnsAnswer {
  if (code === 'ENOTFOUND') return { result: 'nxdomain', server };
  if (code === 'ETIMEOUT') return { result: 'timeout', server, detail: `no answer in ${timeoutMs} ms` };
  return { result: 'error', server, detail: code };
}

/** From this machine: A and AAAA of each name, asking `server` (else the system's resolvers), one try each. */
export async function lookupFromHere(
  queries: DnsQuery[],
  { timeoutMs, server, deadline }: { timeoutMs: number; server?: string; deadline: number },
): Promise<DnsAnswer[]> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (server !== undefined) resolver.setServers([server]);
  const asked = server ?? SYSTEM_RESOLVER;
  const answers: DnsAnswer[] = [];
  for (const { name } of queries) {
    if (Date.now() >= deadline) {
      answers.push({ result: 'skipped', server: asked, detail: "not asked: the run's deadline passed" });
      continue;
    }
    const both = await Promise.all([resolveType(resolver, `${name}.`, 'A'), resolveType(resolver, `${name}.`, 'AAAA')]);
    const failed = both.find((b): b is { code: string } => 'code' in b);
    answers.push(
      failed
        ? failure(failed.code, asked, timeoutMs)
        : {
            result: 'answered',
            server: asked,
            addresses: both.flatMap((b) => ('addresses' in b ? b.addresses.map(canonicalIP) : [])),
          },
    );
  }
  return answers;
}

/** The line the DNS program prints, alone, when the image has no nslookup. */
export const NO_NSLOOKUP = 'endpoints-doctor: no-nslookup';

/**
 * The DNS program, for a pod: argv after the script is the timeout in whole seconds, then the
 * names. Each line nslookup prints for the name at index I is printed as `I LINE`, and its exit
 * code last as `I exit CODE`. `timeout` bounds each lookup when the image has it.
 */
const DNS_PROGRAM = `
t=$1; shift
command -v nslookup >/dev/null 2>&1 || { echo '${NO_NSLOOKUP}'; exit 3; }
if command -v timeout >/dev/null 2>&1; then bound="timeout $t"; else bound=; fi
i=0
for name; do
  out=$($bound nslookup "$name." 2>&1)
  rc=$?
  printf '%s\\n' "$out" | while IFS= read -r l; do printf '%s %s\\n' "$i" "$l"; done
  printf '%s exit %s\\n' "$i" "$rc"
  i=$((i + 1))
done
`;

export function dnsProgramArgv(queries: DnsQuery[], seconds: number): string[] {
  return ['sh', '-c', DNS_PROGRAM, 'endpoints-doctor', String(seconds), ...queries.map((q) => q.name)];
}

/** What busybox's nslookup said of one name (its lines and exit code). */
function nslookupAnswer(lines: string[], code: number | undefined): DnsAnswer {
  const server = POD_RESOLVER;
  const cannot = lines.map((l) => /^\*\* server can't find .*: (\S+)$/.exec(l)?.[1]).find((r) => r !== undefined);
  if (cannot === 'NXDOMAIN') return { result: 'nxdomain', server };
  if (cannot !== undefined) return { result: 'error', server, detail: cannot };
  if (code === 124 || code === 143 || lines.some((l) => /timed out|no servers could be reached/.test(l)))
    return { result: 'timeout', server, detail: 'no answer within the timeout' };
  // Answers follow a "Name:" line; the "Address:" lines before the first are the server's own.
  const addresses: string[] = [];
  let inAnswer = false;
  for (const line of lines) {
    if (/^Name:\s/.test(line)) inAnswer = true;
    const address = inAnswer ? /^Address(?: \d+)?:\s+(\S+)$/.exec(line)?.[1] : undefined;
    // The server's words: only an IP address is taken as one.
    if (address !== undefined && isIP(address) !== 0) addresses.push(canonicalIP(address));
  }
  if (code !== 0 && addresses.length === 0)
    return { result: 'error', server, detail: lines.find((l) => l.trim() !== '') ?? `exit ${code}` };
  return { result: 'answered', server, addresses };
}

/** The answers in the DNS program's output, one per query; a query it did not reach has none. */
export function parseDnsOutput(text: string, count: number): (DnsAnswer | undefined)[] {
  const lines = new Map<number, string[]>();
  const codes = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = /^(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    const exit = /^exit (\d+)$/.exec(match[2]);
    if (exit) codes.set(index, Number(exit[1]));
    else lines.set(index, [...(lines.get(index) ?? []), match[2]]);
  }
  return Array.from({ length: count }, (_, i) =>
    codes.has(i) ? nslookupAnswer(lines.get(i) ?? [], codes.get(i)) : undefined,
  );
}
