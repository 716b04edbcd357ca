// The connect program: a POSIX sh script run inside the debug container (--connect-from pod/NAME
// or node/NAME) that tries a TCP connect to each address and port it is given, and prints one
// line per target.
// It needs only a shell and one of:
// - nc: busybox's, with -z where it has it (the busybox image's), else with `-e true` (Debian's
//   smaller busybox nc has no -z: it connects, runs `true` on the connection and ends), or another
//   nc with -z (netcat-openbsd);
// - bash, through its /dev/tcp redirection (bash only, not dash or busybox sh).
// An image with neither answers NO_TOOL and nothing is tried. `timeout`, when the image has it,
// bounds each attempt too. It writes no file (the container's root filesystem is read-only).

import type { ConnectAnswer, ConnectResult } from './types.js';

/** The line the program prints, alone, when the image has neither nc nor bash. */
export const NO_TOOL = 'endpoints-doctor: no-tool';

/** Attempts the program runs at once (background jobs, waited for in groups). */
const PROGRAM_CONCURRENCY = 16;

/**
 * argv after the script: the per-attempt timeout in whole seconds, then ADDRESS PORT pairs. Output:
 * one line per pair, `INDEX RESULT CENTISECONDS DETAIL`, in the order attempts end; the time comes
 * from /proc/uptime, so it is in steps of 10 ms.
 */
export const CONNECT_PROGRAM = `
t=$1; shift
nl='
'
if command -v nc >/dev/null 2>&1; then
  case $(nc --help 2>&1) in *' -z'*) tool=nc-z ;; *) tool=nc-e ;; esac
elif command -v bash >/dev/null 2>&1; then tool=bash
else echo '${NO_TOOL}'; exit 3; fi
# nc has its own connect timeout (-w): timeout only bounds it; bash has none, timeout is its bound.
if command -v timeout >/dev/null 2>&1; then bound="timeout $((t + 2))"; tcp="timeout $t"; else bound=; tcp=; fi
now() { read -r up _ </proc/uptime; echo "\${up%.*}\${up#*.}"; }
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
}
i=0; n=0
while [ $# -ge 2 ]; do
  try "$i" "$1" "$2" &
  i=$((i + 1)); n=$((n + 1)); shift 2
  if [ "$n" -ge ${PROGRAM_CONCURRENCY} ]; then wait; n=0; fi
done
wait
`;

const RESULTS: ReadonlySet<string> = new Set<ConnectResult>([
  'open',
  'refused',
  'timeout',
  'reset',
  'unreachable',
  'error',
]);

/**
 * The answers in the program's output, by index (0 to count - 1); an index the output does not
 * hold (the program was cut short) has none. Lines that are not the program's are ignored.
 */
export function parseProgramOutput(text: string, count: number): (ConnectAnswer | undefined)[] {
  const answers: (ConnectAnswer | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const line of text.split('\n')) {
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
  return answers;
}
