// Runs the built CLI as a process, the way kubectl would run the plugin.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../../src/report/report.js';

export const BIN = resolve(import.meta.dirname, '../../bin/kubectl-endpoints_doctor');

/**
 * What runs the CLI: node with bin/, or, when EPD_TEST_EXECUTABLE names one, a built executable
 * (a standalone release build, or another runtime's) run alone, so that the CLI test files can
 * judge it (README, "Standalone executables").
 */
const COMMAND: [string, string[]] = process.env.EPD_TEST_EXECUTABLE
  ? [process.env.EPD_TEST_EXECUTABLE, []]
  : [process.execPath, [BIN]];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(COMMAND[0], [...COMMAND[1], ...args], {
    encoding: 'utf8',
    input: options.input,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: mkdtempSync(join(tmpdir(), 'epd-home-')),
      NO_COLOR: '1',
      ...options.env,
    },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'epd-cli-')), name);
  writeFileSync(path, text);
  return path;
}

/**
 * Runs the built CLI without blocking the event loop: needed when the API server it talks to
 * answers from this same process (spawnSync would freeze the server). A run that outlives
 * `timeoutMs` is killed and reported with code -1, so a hang fails the test instead of stalling it.
 */
export function runCliAsync(
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(COMMAND[0], [...COMMAND[1], ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: mkdtempSync(join(tmpdir(), 'epd-home-')),
        NO_COLOR: '1',
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

// The program's JSON output, typed as it writes it: a test that reads the wrong field fails to
// compile instead of comparing undefined.

/** The report of a run with -o json. */
export function parseReport(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

/** An object of a snapshot, as `kubectl get -o json` prints it; only the fields every object has are typed. */
export interface SnapshotObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** What `snapshot -o json` prints: a v1 List. */
export interface SnapshotList {
  apiVersion: 'v1';
  kind: 'List';
  items: SnapshotObject[];
  [field: string]: unknown;
}

/** The List a `snapshot -o json` run printed. */
export function parseSnapshot(stdout: string): SnapshotList {
  return JSON.parse(stdout) as SnapshotList;
}
