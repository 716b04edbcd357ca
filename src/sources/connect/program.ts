// The connect program: a POSIX sh script run inside the debug container (--connect-from pod/NAME
// or node/NAME) that tries a TCP connect to each address and port it is given, and prints one
// line per target; with --connect-http, an open http port also gets a GET whose status line is
// printed on a line of its own. When the container's pod is itself among the targets, it first
// prints the LISTEN lines of /proc/net/tcp and /proc/net/tcp6 (the pod's network namespace: what
// it listens on). The GET is written by the program itself over the same tool as the connect, not
// by wget: busybox wget follows a redirect to whatever address its Location names, and only the
// Service's own addresses may be contacted.
// It needs only a shell and one of:
// - nc: busybox's, with -z where it has it (the busybox image's), else with `-e true` (Debian's
//   smaller busybox nc has no -z: it connects, runs `true` on the connection and ends), or another
//   nc with -z (netcat-openbsd);
// - bash, through its /dev/tcp redirection (bash only, not dash or busybox sh).
// An image with neither answers NO_TOOL and nothing is tried. `timeout`, when the image has it,
// bounds each attempt too. It writes no file (the container's root filesystem is read-only).

import { listeningSockets } from './listening.js';
import type { Attempt, ConnectAnswer, ConnectResult } from './types.js';

/** The line the program prints, alone, when the image has neither nc nor bash. */
export const NO_TOOL = 'endpoints-doctor: no-tool';

/** Attempts the program runs at once (background jobs, waited for in groups). */
const PROGRAM_CONCURRENCY = 16;

/** What is kept of a status line, as from this machine (local.ts): a peer may send anything. */
export const STATUS_LINE_MAX = 256;

/** The argument that stands for "no GET": for the path, and for a target's Host. */
const NO_GET = '-';

/**
 * argv after the script: the per-attempt timeout in whole seconds, the --connect-http path (or
 * -), `listen` to read what the pod listens on (or -), then ADDRESS PORT HOST triples, HOST being
 * the Host header of the target's GET (- for none). Output: with `listen`, `machine UNAME-M`, then
 * `read FILE` for each of /proc/net/tcp and /proc/net/tcp6 read and `tcp LINE` for each of their
 * LISTEN lines; then one line per triple, `INDEX RESULT CENTISECONDS DETAIL`, in the order attempts end (the
 * time comes from /proc/uptime, so it is in steps of 10 ms); after it, for a GET, `INDEX http
 * STATUS-LINE`, or `INDEX http-none` when no line came (closed, or nothing within the timeout).
 */
const CONNECT_PROGRAM = `
t=$1; path=$2; listen=$3; shift 3
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
get() {
  case $tool in
    bash) line=$($tcp bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "$2" "$3" "$4" >&3 && IFS= read -r -t "$5" l <&3; printf %s "$l"' "$2" "$3" "$request" "$path" "$4" "$t" 2>/dev/null) ;;
    *) line=$(printf "$request" "$path" "$4" | $bound nc -w "$t" "$2" "$3" 2>/dev/null | firstline) ;;
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
  if [ "$r" = open ] && [ "$path" != ${NO_GET} ] && [ "$4" != ${NO_GET} ]; then get "$@"; fi
}
i=0; n=0
while [ $# -ge 3 ]; do
  try "$i" "$1" "$2" "$3" &
  i=$((i + 1)); n=$((n + 1)); shift 3
  if [ "$n" -ge ${PROGRAM_CONCURRENCY} ]; then wait; n=0; fi
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

/**
 * The program's command line for these attempts: a GET of httpPath on the http ports (not https:
 * the program speaks no TLS), with the Host header this machine's GET sends.
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
      httpPath !== undefined && a.speaks === 'http' ? (a.serverNames[0] ?? a.address) : NO_GET,
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
 * The answers in the program's output, by index (0 to count - 1); an index the output does not
 * hold (the program was cut short) has none, and a GET's line adds `http` to its index's answer.
 * Lines that are not the program's are ignored.
 */
export function parseProgramOutput(text: string, count: number): (ConnectAnswer | undefined)[] {
  const answers: (ConnectAnswer | undefined)[] = Array.from({ length: count }, () => undefined);
  const http = new Map<number, NonNullable<ConnectAnswer['http']>>();
  for (const line of text.split('\n')) {
    const get = /^(\d+) (?:http (.*)|http-none)$/.exec(line);
    if (get) {
      const statusLine = get[2]?.slice(0, STATUS_LINE_MAX);
      http.set(Number(get[1]), statusLine ? { statusLine } : { error: NO_STATUS_LINE });
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
  for (const [index, answer] of http) {
    const connected = answers[index];
    if (connected?.result === 'open') answers[index] = { ...connected, http: answer };
  }
  return answers;
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
