// Exec credential plugins (a kubeconfig user's `exec`), run as client-go runs them
// (k8s.io/client-go/plugin/pkg/client/auth/exec): the command with its args, the kubeconfig's
// env, then KUBERNETES_EXEC_INFO naming the apiVersion asked for, whether the plugin has the
// terminal and, with provideClusterInfo, the cluster. The plugin's stderr is ours; our stdin is
// its own as interactiveMode allows. Its stdout is decoded as an ExecCredential of exactly that
// apiVersion, holding a token or a client certificate and key, kept until its
// expirationTimestamp or until the server refuses it (401). Unlike client-go, a plugin that does
// not have the terminal is stopped after --request-timeout. What the plugin printed on stdout is
// never repeated in a message: it holds credentials.

import { spawn } from 'node:child_process';
import { sep } from 'node:path';
import { isatty } from 'node:tty';
import { ClusterError, UsageError } from '../core/errors.js';
import { isJsonArray, isJsonObject, type JsonObject } from '../core/json-value.js';
import { terminalText } from '../core/terminal-text.js';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';
/** The versions client-go accepts; v1alpha1 was removed in Kubernetes 1.24. */
const EXEC_API_VERSIONS = [V1, V1BETA1];

const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
export type InteractiveMode = (typeof INTERACTIVE_MODES)[number];

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  interactiveMode: InteractiveMode;
  /** Whether KUBERNETES_EXEC_INFO describes the cluster. */
  provideClusterInfo: boolean;
  /** The kubeconfig's words for when the command is not installed. */
  installHint?: string;
}

/** ExecCredential status: a bearer token, or a PEM client certificate and key, or both. */
export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

function isStringList(value: unknown): value is string[] {
  return isJsonArray(value) && value.every((v) => typeof v === 'string');
}

function isEnvList(value: unknown): value is ExecConfig['env'] {
  return (
    isJsonArray(value) &&
    value.every((e) => isJsonObject(e) && typeof e.name === 'string' && e.name !== '' && typeof e.value === 'string')
  );
}

function isInteractiveMode(value: unknown): value is InteractiveMode {
  return INTERACTIVE_MODES.some((mode) => mode === value);
}

/**
 * The kubeconfig's exec block, checked as client-go checks it before running anything
 * (clientcmd's validateAuthInfo): an exec block is checked even when a token or a client
 * certificate means it will not run.
 */
export function execConfig(raw: unknown, userName: string): ExecConfig {
  const where = `the kubeconfig's user "${userName}"`;
  const exec = (raw ?? {}) as Record<string, unknown>;
  if (typeof exec.command !== 'string' || exec.command === '') {
    throw new UsageError(`${where}: exec needs a command`);
  }
  if (typeof exec.apiVersion !== 'string' || !EXEC_API_VERSIONS.includes(exec.apiVersion)) {
    throw new UsageError(
      `${where}: exec plugin: invalid apiVersion ${JSON.stringify(exec.apiVersion ?? '')} (use ${EXEC_API_VERSIONS.join(' or ')})`,
    );
  }
  if (exec.args !== undefined && exec.args !== null && !isStringList(exec.args)) {
    throw new UsageError(`${where}: exec args must be a list of strings`);
  }
  const env = exec.env ?? [];
  if (!isEnvList(env)) {
    throw new UsageError(`${where}: exec env must be a list of {name, value} strings, each with a name`);
  }
  // client-go defaults the mode for v1beta1 only; v1 must say it.
  const mode = exec.interactiveMode || (exec.apiVersion === V1BETA1 ? 'IfAvailable' : undefined);
  if (mode === undefined) {
    throw new UsageError(
      `${where}: exec needs an interactiveMode (Never, IfAvailable or Always) with apiVersion ${V1}`,
    );
  }
  if (!isInteractiveMode(mode)) {
    throw new UsageError(
      `${where}: exec interactiveMode ${JSON.stringify(mode)} is not one of Never, IfAvailable or Always`,
    );
  }
  const provideClusterInfo = exec.provideClusterInfo ?? false;
  if (typeof provideClusterInfo !== 'boolean') {
    throw new UsageError(`${where}: exec provideClusterInfo must be true or false`);
  }
  const installHint = exec.installHint ?? '';
  if (typeof installHint !== 'string') throw new UsageError(`${where}: exec installHint must be a string`);
  return {
    command: exec.command,
    args: (exec.args as string[] | undefined) ?? [],
    env,
    apiVersion: exec.apiVersion,
    interactiveMode: mode,
    provideClusterInfo,
    ...(installHint ? { installHint } : {}),
  };
}

/** Our stdin as an exec plugin may have it. */
export interface StdinState {
  isTerminal: boolean;
  /** Something of ours reads it (client-go's StdinUnavailable). */
  unavailable: boolean;
}

let stdinTaken = false;

/**
 * The command reads stdin itself from now on (an ink view's keys, a shell's line being
 * completed): an exec plugin run after this does not get it, as client-go's StdinUnavailable.
 */
export function markStdinUnavailable(): void {
  stdinTaken = true;
}

function processStdin(): StdinState {
  return { isTerminal: isatty(0), unavailable: stdinTaken };
}

/**
 * Whether the plugin gets our stdin (client-go's isInteractive): never with Never; with
 * IfAvailable when it is a terminal nothing else reads; Always insists, and the plugin does not
 * run without one.
 */
export function isInteractive(mode: InteractiveMode, stdin: StdinState, plugin: string): boolean {
  switch (mode) {
    case 'Never':
      return false;
    case 'IfAvailable':
      return stdin.isTerminal && !stdin.unavailable;
    case 'Always':
      if (!stdin.isTerminal || stdin.unavailable) {
        const why = stdin.isTerminal ? 'is unavailable (this command reads it)' : 'is not a terminal';
        throw new ClusterError(
          `exec plugin cannot support interactive mode: standard input ${why} (${plugin} has interactiveMode Always: run it from a terminal)`,
        );
      }
      return true;
  }
}

export interface ExecPluginOptions {
  /** The cluster as KUBERNETES_EXEC_INFO describes it; given to the plugin with provideClusterInfo. */
  cluster?: JsonObject;
  /** --request-timeout: how long a plugin without the terminal may take; 0 waits forever. */
  timeoutMs: number;
  /** The clock that expirationTimestamp is compared with, in ms (tests set it). */
  now?: () => number;
  /** Our stdin (tests set it). */
  stdin?: () => StdinState;
}

/**
 * One exec plugin for the run: its credential, kept until its expirationTimestamp passes or the
 * server refuses it. It runs once at a time: it may be asking the user something.
 */
export class ExecPlugin {
  private cached?: { credential: ExecCredential; expiresAtMs?: number };
  private running?: Promise<ExecCredential>;

  constructor(
    private readonly exec: ExecConfig,
    private readonly options: ExecPluginOptions,
  ) {}

  /** The credential to send: the last one until it expires (client-go: after expirationTimestamp). */
  credential(): Promise<ExecCredential> {
    const now = this.options.now ?? Date.now;
    const { cached } = this;
    const fresh = cached && (cached.expiresAtMs === undefined || now() <= cached.expiresAtMs);
    return fresh ? Promise.resolve(cached.credential) : this.run();
  }

  /** The server refused `refused` (401): the plugin runs again, unless it gave another credential since. */
  renew(refused: ExecCredential): Promise<ExecCredential> {
    if (this.cached && this.cached.credential !== refused) return Promise.resolve(this.cached.credential);
    return this.run();
  }

  private run(): Promise<ExecCredential> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<ExecCredential> {
    const { exec, options } = this;
    const interactive = isInteractive(exec.interactiveMode, (options.stdin ?? processStdin)(), pluginName(exec));
    const execInfo = {
      kind: 'ExecCredential',
      apiVersion: exec.apiVersion,
      spec: { ...(exec.provideClusterInfo ? { cluster: options.cluster } : {}), interactive },
    };
    // With the newline client-go's encoder ends it with.
    const execInfoText = `${JSON.stringify(execInfo)}\n`;
    // The user may take their time at the terminal; a plugin without it is stopped if it hangs.
    const printed = await runCommand(exec, execInfoText, interactive ? 0 : options.timeoutMs, interactive);
    const credential = decodeCredential(printed, exec.apiVersion, pluginName(exec));
    const expiresAtMs =
      credential.expirationTimestamp === undefined ? undefined : Date.parse(credential.expirationTimestamp);
    this.cached = { credential, expiresAtMs };
    return credential;
  }
}

function pluginName(exec: ExecConfig): string {
  return `the exec plugin ${exec.command}`;
}

/** The install hint on one line: it comes from the kubeconfig, and an error is one line. */
function oneLine(text: string): string {
  return terminalText(text).replace(/\s+/g, ' ').trim();
}

function notFound(exec: ExecConfig): string {
  // A command without a path separator was looked up on PATH.
  const where = exec.command.includes(sep) ? '' : ' on PATH';
  const hint = exec.installHint ? oneLine(exec.installHint) : '';
  return `${pluginName(exec)} was not found${where}${hint ? `; the kubeconfig says: ${hint}` : ' (is it installed?)'}`;
}

/** Runs the plugin; resolves with what it printed on stdout. `timeoutMs` 0 waits forever. */
function runCommand(exec: ExecConfig, execInfo: string, timeoutMs: number, interactive: boolean): Promise<string> {
  const plugin = pluginName(exec);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const { name, value } of exec.env) env[name] = value;
  // Set last, as client-go does: the kubeconfig's env cannot replace it.
  env.KUBERNETES_EXEC_INFO = execInfo;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(exec.command, exec.args, {
      env,
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'],
    });
    const stdout: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () =>
              finish(() => {
                child.kill('SIGKILL');
                // A grandchild may hold the pipe open: stop reading it.
                child.stdout.destroy();
                reject(new ClusterError(`${plugin} did not finish within ${timeoutMs / 1000}s (--request-timeout)`));
              }),
            timeoutMs,
          )
        : undefined;
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish(() =>
        reject(new ClusterError(e.code === 'ENOENT' ? notFound(exec) : `${plugin} could not be run: ${e.message}`)),
      ),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        if (code !== 0) {
          // What it said on stderr is on ours already.
          const how = signal ? `was killed by ${signal}` : `failed with exit code ${code}`;
          return reject(new ClusterError(`${plugin} ${how}`));
        }
        resolve(Buffer.concat(stdout).toString('utf8'));
      }),
    );
  });
}

/** client-go's checks of the plugin's answer, with its messages where it has one. */
function decodeCredential(text: string, apiVersion: string, plugin: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ClusterError(`${plugin} printed invalid JSON (an ExecCredential was expected)`);
  }
  if (!isJsonObject(doc)) {
    throw new ClusterError(`${plugin} printed JSON that is not an ExecCredential object`);
  }
  const { kind, apiVersion: returned, status } = doc;
  if (kind !== 'ExecCredential') {
    throw new ClusterError(
      `${plugin} printed ${typeof kind === 'string' ? `a ${kind}` : 'an object without kind'}, not an ExecCredential`,
    );
  }
  if (returned !== apiVersion) {
    throw new ClusterError(
      `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${typeof returned === 'string' ? returned : '(none)'} (${plugin})`,
    );
  }
  if (!isJsonObject(status)) {
    throw new ClusterError(`exec plugin didn't return a status field (${plugin})`);
  }
  const credential: ExecCredential = {};
  for (const field of ['token', 'clientCertificateData', 'clientKeyData', 'expirationTimestamp'] as const) {
    const value = status[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new ClusterError(`${plugin} returned a status.${field} that is not a string`);
    credential[field] = value;
  }
  if (credential.expirationTimestamp !== undefined && Number.isNaN(Date.parse(credential.expirationTimestamp))) {
    throw new ClusterError(`${plugin} returned a status.expirationTimestamp that is not a time`);
  }
  if (!credential.token && !credential.clientCertificateData && !credential.clientKeyData) {
    throw new ClusterError(`exec plugin didn't return a token or cert/key pair (${plugin})`);
  }
  if (!credential.clientCertificateData !== !credential.clientKeyData) {
    throw new ClusterError(`exec plugin returned only certificate or key, not both (${plugin})`);
  }
  return credential;
}
