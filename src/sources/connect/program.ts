// The connect program: a POSIX sh script run inside the debug container (--connect-from pod/NAME
// or node/NAME) that tries a TCP connect to each address and port it is given, and prints one
// line per target; an open http or https port also gets a TLS probe (a ClientHello, and the
// answer's first bytes: tls-reply.ts reads them) and with --connect-http a GET whose status line
// is printed on a line of its own. When the container's pod is itself among the targets, it first
// prints the LISTEN lines of /proc/net/tcp and /proc/net/tcp6 (the pod's network namespace: what
// it listens on). The GET is written by the program itself over the same tool as the connect (over
// openssl s_client on https ports, when the image has it), not by wget: busybox wget follows a
// redirect to whatever address its Location names, and only the Service's own addresses may be
// contacted.
// It needs only a shell and one of:
// - nc: busybox's, with -z where it has it (the busybox image's), else with `-e true` (Debian's
//   smaller busybox nc has no -z: it connects, runs `true` on the connection and ends), or another
//   nc with -z (netcat-openbsd);
// - bash, through its /dev/tcp redirection (bash only, not dash or busybox sh).
// An image with neither answers NO_TOOL and nothing is tried. `timeout`, when the image has it,
// bounds each attempt too. It writes no file (the container's root filesystem is read-only).

import { listeningSockets } from './listening.js';
import { tlsReplyAnswer } from './tls-reply.js';
import type { Attempt, ConnectAnswer, ConnectResult } from './types.js';

/** The line the program prints, alone, when the image has neither nc nor bash. */
export const NO_TOOL = 'endpoints-doctor: no-tool';

/** Attempts the program runs at once (background jobs, waited for in groups). */
const PROGRAM_CONCURRENCY = 16;

/** What is kept of a status line, as from this machine (local.ts): a peer may send anything. */
export const STATUS_LINE_MAX = 256;

/** The argument that stands for "no GET": for the path, and for a target's Host. */
const NO_GET = '-';

/** How many bytes of a server's answer to the ClientHello are kept: enough for its first certificate. */
const TLS_REPLY_MAX = 8192;

const octal = (bytes: number[]) => bytes.map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
const u16 = (values: number[]) => values.flatMap((v) => [v >> 8, v & 0xff]);
const extension = (type: number, body: number[]) => [...u16([type, body.length]), ...body];

// The ClientHello's fixed parts (https://www.rfc-editor.org/rfc/rfc5246#section-7.4.1.2): TLS 1.2
// only (no supported_versions), so that a server answers with its certificate in the clear. The
// suites and groups are those common servers pick from: ECDHE with AES-GCM or ChaCha20, and RSA
// key exchange for older ones.
const HELLO_RANDOM = [...Buffer.from('endpoints-doctor'.repeat(2))];
const HELLO_SUITES = u16([
  0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
]);
const HELLO_EXTENSIONS = [
  // supported_groups: x25519, secp256r1, secp384r1
  ...extension(0x000a, u16([6, 0x001d, 0x0017, 0x0018])),
  // ec_point_formats: uncompressed
  ...extension(0x000b, [1, 0]),
  // signature_algorithms: ECDSA, RSA-PSS and RSA PKCS#1 with SHA-256/384/512, then RSA with SHA-1
  ...extension(0x000d, u16([20, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201])),
  // renegotiation_info, empty
  ...extension(0xff01, [0]),
];
/** The server_name extension's bytes besides the name: type, length, list length, name type, name length. */
const SNI_OVERHEAD = 9;
/** Bytes of the ClientHello body besides the server name. */
const HELLO_BODY =
  2 + HELLO_RANDOM.length + 1 + 2 + HELLO_SUITES.length + 2 + 2 + SNI_OVERHEAD + HELLO_EXTENSIONS.length;

/**
 * A printf format of the ClientHello for a server name of N bytes, given as its argument: the
 * lengths that depend on N are written by o2 (two bytes, big-endian, as octal escapes).
 */
const HELLO_FORMAT =
  `\\026\\003\\001$(o2 $((n + ${HELLO_BODY + 4})))\\001\\000$(o2 $((n + ${HELLO_BODY})))` +
  `\\003\\003${octal(HELLO_RANDOM)}\\000${octal(u16([HELLO_SUITES.length]))}${octal(HELLO_SUITES)}\\001\\000` +
  `$(o2 $((n + ${SNI_OVERHEAD + HELLO_EXTENSIONS.length})))\\000\\000$(o2 $((n + 5)))$(o2 $((n + 3)))\\000$(o2 $n)` +
  `%s${octal(HELLO_EXTENSIONS)}`;

/**
 * argv after the script: the per-attempt timeout in whole seconds, the --connect-http path (or
 * -), `listen` to read what the pod listens on (or -), then ADDRESS PORT HOST SNI quadruples, HOST
 * being the Host header of the target's GET (+HOST: over TLS, with openssl; - for none), SNI the name a TLS ClientHello sends (-
 * for no TLS probe). Output: with `listen`, `machine UNAME-M`, then `read FILE` for each of
 * /proc/net/tcp and /proc/net/tcp6 read and `tcp LINE` for each of their LISTEN lines; then one
 * line per target, `INDEX RESULT CENTISECONDS DETAIL`, in the order attempts end (the time comes
 * from /proc/uptime, so it is in steps of 10 ms); after it, for a TLS probe, `INDEX tls HEX` lines
 * (the server's first bytes, 128 a line: short lines, so that concurrent attempts' lines do not
 * interleave) and `INDEX tls-end`; for a GET, `INDEX http STATUS-LINE`, or `INDEX http-none` when
 * no line came (closed, or nothing within the timeout).
 */
const CONNECT_PROGRAM = `
t=$1; path=$2; listen=$3; shift 3
o2() { printf '\\\\%03o\\\\%03o' $(($1 / 256)) $(($1 % 256)); }
nl='
'
cr=$(printf '\\r')
long=${'?'.repeat(STATUS_LINE_MAX)}
request='GET %s HTTP/1.1\\r\\nHost: %s\\r\\nUser-Agent: endpoints-doctor\\r\\nConnection: close\\r\\n\\r\\n'
if command -v nc >/dev/null 2>&1; then
  case $(nc --help 2>&1) in *' -z'*) tool=nc-z ;; *) tool=nc-e ;; esac
elif command -v bash >/dev/null 2>&1; then tool=bash
else echo '${NO_TOOL}'; exit 3; fi
# nc has its own connect timeout (-w): timeout only bounds it; bash has none, timeout is its bound.
if command -v timeout >/dev/null 2>&1; then bound="timeout $((t + 2))"; tcp="timeout $t"; else bound=; tcp=; fi
if [ "$listen" = listen ]; then
  echo "machine $(uname -m 2>/dev/null)"
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    echo "read $f"
    while read -r sl local remote state _; do
      if [ "$state" = 0A ]; then echo "tcp $sl $local $remote $state"; fi
    done <"$f"
  done
fi
now() { read -r up _ </proc/uptime; echo "\${up%.*}\${up#*.}"; }
firstline() { IFS= read -r l; printf '%s' "$l"; }
# The TLS probe needs dd and od, and from bash a timeout (no server ends the handshake). dd reads
# a byte at a time and writes each at once: what came before the timeout's signal is kept.
if command -v od >/dev/null 2>&1 && command -v dd >/dev/null 2>&1; then
  case $tool in bash) [ -n "$tcp" ] && probe=yes ;; *) probe=yes ;; esac
fi
tlsprobe() {
  n=\${#5}
  hello="${HELLO_FORMAT}"
  case $tool in
    bash) $tcp bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "$2" "$3" >&3 && exec dd bs=1 count=${TLS_REPLY_MAX} <&3' "$2" "$3" "$hello" "$5" 2>/dev/null ;;
    *) printf "$hello" "$5" | $bound nc -w "$t" "$2" "$3" 2>/dev/null | dd bs=1 count=${TLS_REPLY_MAX} 2>/dev/null ;;
  esac | od -An -v -tx1 -w128 | while IFS= read -r l; do printf '%s tls %s\\n' "$1" "$l"; done
  printf '%s tls-end\\n' "$1"
}
get() {
  case $4 in
    +*)
      # https: a GET over TLS needs openssl (s_client); busybox has no TLS client that can.
      command -v openssl >/dev/null 2>&1 || return 0
      case $2 in *:*) to="[$2]:$3" ;; *) to="$2:$3" ;; esac
      line=$(printf "$request" "$path" "\${4#+}" | $bound openssl s_client -quiet -connect "$to" -servername "$5" 2>/dev/null | firstline) ;;
    *)
  case $tool in
    bash) line=$($tcp bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "$2" "$3" "$4" >&3 && IFS= read -r -t "$5" l <&3; printf %s "$l"' "$2" "$3" "$request" "$path" "$4" "$t" 2>/dev/null) ;;
    *) line=$(printf "$request" "$path" "$4" | $bound nc -w "$t" "$2" "$3" 2>/dev/null | firstline) ;;
  esac ;;
  esac
  line=\${line%"$cr"}
  if [ \${#line} -gt ${STATUS_LINE_MAX} ]; then rest=\${line#$long}; line=\${line%"$rest"}; fi
  if [ -n "$line" ]; then printf '%s http %s\\n' "$1" "$line"; else printf '%s http-none\\n' "$1"; fi
}
try() {
  start=$(now)
  case $tool in
    nc-z) out=$($bound nc -z -w "$t" "$2" "$3" </dev/null 2>&1 >/dev/null) ;;
    nc-e) out=$($bound nc -w "$t" "$2" "$3" -e true </dev/null 2>&1 >/dev/null) ;;
    bash) out=$($tcp bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$2" "$3" 2>&1) ;;
  esac
  rc=$?
  cs=$(($(now) - start))
  if [ "$rc" -eq 0 ]; then r=open
  else
    case $out in
      *refused*) r=refused ;;
      *[Tt]imed\\ out*|*[Tt]imeout*) r=timeout ;;
      *[Nn]o\\ route*|*nreachable*|*[Nn]etwork\\ is\\ down*|*[Hh]ost\\ is\\ down*) r=unreachable ;;
      *reset*) r=reset ;;
      *) if [ "$rc" -eq 124 ] || [ "$rc" -eq 143 ]; then r=timeout; else r=error; fi ;;
    esac
  fi
  first=\${out%%"$nl"*}
  printf '%s %s %s %s\\n' "$1" "$r" "$cs" "$first"
  if [ "$r" = open ] && [ "$probe" = yes ] && [ "$5" != ${NO_GET} ]; then tlsprobe "$@"; fi
  if [ "$r" = open ] && [ "$path" != ${NO_GET} ] && [ "$4" != ${NO_GET} ]; then get "$@"; fi
}
i=0; j=0
while [ $# -ge 4 ]; do
  try "$i" "$1" "$2" "$3" "$4" &
  i=$((i + 1)); j=$((j + 1)); shift 4
  if [ "$j" -ge ${PROGRAM_CONCURRENCY} ]; then wait; j=0; fi
done
wait
`;

export interface ProgramOptions {
  /** Each attempt's timeout, in whole seconds. */
  seconds: number;
  /** --connect-http: GET this path on the http ports. */
  httpPath?: string;
  /** Read what the pod listens on (when it is itself among the targets). */
  readListening?: boolean;
}

/** A target's HOST argument: its GET's Host header, + first for a GET over TLS, or - for none. */
function getHost(a: Attempt, httpPath: string | undefined): string {
  if (httpPath === undefined || (a.speaks !== 'http' && a.speaks !== 'https')) return NO_GET;
  const host = a.serverNames[0] ?? a.address;
  return a.speaks === 'https' ? `+${host}` : host;
}

/**
 * The program's command line for these attempts: a GET of httpPath on the http ports, and on the
 * https ports over openssl's TLS client when the image has one, with the Host header this
 * machine's GET sends.
 */

export function programArgv(attempts: Attempt[], { seconds, httpPath, readListening }: ProgramOptions): string[] {
  return [
    'sh',
    '-c',
    CONNECT_PROGRAM,
    'endpoints-doctor',
    String(seconds),
    httpPath ?? NO_GET,
    readListening ? 'listen' : NO_GET,
    ...attempts.flatMap((a) => [
      a.address,
      String(a.port),
      getHost(a, httpPath),
      // SNI carries a name, never an address (https://www.rfc-editor.org/rfc/rfc6066#section-3).
      (a.speaks === 'http' || a.speaks === 'https') && a.serverNames[0] ? a.serverNames[0] : NO_GET,
    ]),
  ];
}

const RESULTS: ReadonlySet<string> = new Set<ConnectResult>([
  'open',
  'refused',
  'timeout',
  'reset',
  'unreachable',
  'error',
]);

/** The error of a GET that got no status line. */
export const NO_STATUS_LINE = 'no response: the connection closed, or nothing came within the timeout';

/**
 * The answers in the program's output, one per attempt, by index; an index the output does not
 * hold (the program was cut short) has none. A GET's line adds `http` to its index's answer, a
 * TLS probe's lines `tls`. Lines that are not the program's are ignored.
 */
export function parseProgramOutput(text: string, attempts: Attempt[]): (ConnectAnswer | undefined)[] {
  const count = attempts.length;
  const answers: (ConnectAnswer | undefined)[] = Array.from({ length: count }, () => undefined);
  const http = new Map<number, NonNullable<ConnectAnswer['http']>>();
  const tlsHex = new Map<number, string[]>();
  const tlsEnded = new Set<number>();
  for (const line of text.split('\n')) {
    const get = /^(\d+) (?:http (.*)|http-none)$/.exec(line);
    if (get) {
      const statusLine = get[2]?.slice(0, STATUS_LINE_MAX);
      http.set(Number(get[1]), statusLine ? { statusLine } : { error: NO_STATUS_LINE });
      continue;
    }
    const tls = /^(\d+) (?:tls ([0-9a-f ]*)|tls-end)$/.exec(line);
    if (tls) {
      const index = Number(tls[1]);
      if (tls[2] === undefined) tlsEnded.add(index);
      else tlsHex.set(index, [...(tlsHex.get(index) ?? []), tls[2].replaceAll(' ', '')]);
      continue;
    }
    const match = /^(\d+) ([a-z]+) (\d+) ?(.*)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]);
    const result = match[2];
    if (index >= count || !RESULTS.has(result)) continue;
    const detail = match[4].trim();
    answers[index] = {
      result: result as ConnectResult,
      // As from this machine: a timeout has no latency, the timeout is the time it took.
      ...(result !== 'timeout' ? { latencyMs: Number(match[3]) * 10 } : {}),
      ...(result !== 'open' && detail !== '' ? { detail } : {}),
    };
  }
  return answers.map((answer, index) => {
    if (answer?.result !== 'open') return answer;
    const got = http.get(index);
    // A probe whose end is missing was cut short: its bytes may be partial, so it says nothing.
    const reply = tlsEnded.has(index) ? Buffer.from((tlsHex.get(index) ?? []).join(''), 'hex') : undefined;
    return {
      ...answer,
      ...(reply !== undefined ? { tls: tlsReplyAnswer(reply, attempts[index].serverNames) } : {}),
      ...(got !== undefined ? { http: got } : {}),
    };
  });
}

/**
 * What the pod listens on, from the program's output ("127.0.0.1:3000", "[::]:8080"), or
 * undefined when neither /proc/net/tcp nor /proc/net/tcp6 could be read (or was not asked for).
 */
export function parseListening(text: string): string[] | undefined {
  const lines = text.split('\n');
  if (!lines.some((line) => /^read \/proc\/net\/tcp6?$/.test(line))) return undefined;
  const machine = lines.find((line) => line.startsWith('machine '))?.slice('machine '.length);
  const sockets = lines.filter((line) => line.startsWith('tcp ')).map((line) => line.slice('tcp '.length));
  return listeningSockets(sockets, machine || undefined);
}
