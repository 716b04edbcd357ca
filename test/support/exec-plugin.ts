// An exec credential plugin for tests: a shell script in a folder of its own that records each
// run (its KUBERNETES_EXEC_INFO, whether its stdin is a terminal) and prints the answer set for
// that run, so that a test can count runs and see what the plugin was told.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXEC_V1 = 'client.authentication.k8s.io/v1';
export const EXEC_V1BETA1 = 'client.authentication.k8s.io/v1beta1';

/** An ExecCredential as a plugin prints it. */
export function execCredential(status: Record<string, string>, apiVersion = EXEC_V1): string {
  return JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
}

export interface RecordingPlugin {
  /** The folder the script is in (bin/ under it holds the script). */
  dir: string;
  /** The script's absolute path. */
  path: string;
  /** What run `run` (from 1) prints on stdout; without `run`, every run that has no answer of its own. */
  answer(text: string, run?: number): void;
  /** How many times it ran. */
  runs(): number;
  /** The KUBERNETES_EXEC_INFO of run `run`, as given. */
  execInfo(run: number): string;
  /** Whether run `run` had a terminal on stdin. */
  stdin(run: number): 'terminal' | 'none';
}

/** Runs one at a time are counted exactly: the program runs a plugin once at a time. */
export function recordingPlugin(o: { stderr?: string; name?: string } = {}): RecordingPlugin {
  const dir = mkdtempSync(join(tmpdir(), 'epd-exec-plugin-'));
  const records = join(dir, 'records');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(records);
  const path = join(dir, 'bin', o.name ?? 'credential-plugin');
  const script = [
    '#!/bin/sh',
    `r='${records}'`,
    'n=$(( $(cat "$r/runs" 2>/dev/null || echo 0) + 1 ))',
    'echo "$n" > "$r/runs"',
    `printf '%s' "$KUBERNETES_EXEC_INFO" > "$r/exec-info.$n"`,
    'if [ -t 0 ]; then echo terminal > "$r/stdin.$n"; else echo none > "$r/stdin.$n"; fi',
    ...(o.stderr ? [`echo '${o.stderr}' >&2`] : []),
    'cat "$r/answer.$n" 2>/dev/null || cat "$r/answer"',
    '',
  ].join('\n');
  writeFileSync(path, script, { mode: 0o755 });
  const record = (name: string) => join(records, name);
  return {
    dir,
    path,
    answer: (text, run) => writeFileSync(record(run === undefined ? 'answer' : `answer.${run}`), text),
    runs: () => (existsSync(record('runs')) ? Number(readFileSync(record('runs'), 'utf8')) : 0),
    execInfo: (run) => readFileSync(record(`exec-info.${run}`), 'utf8'),
    stdin: (run) => (readFileSync(record(`stdin.${run}`), 'utf8').trim() === 'terminal' ? 'terminal' : 'none'),
  };
}
