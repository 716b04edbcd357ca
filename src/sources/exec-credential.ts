// Exec credential plugins (a kubeconfig user's `exec`), run as client-go runs them
// (k8s.io/client-go/plugin/pkg/client/auth/exec): the command with its args, the kubeconfig's
// env on top of ours, KUBERNETES_EXEC_INFO naming the apiVersion asked for, and stdout decoded
// as an ExecCredential of exactly that apiVersion, holding a token or a client certificate and
// key. Unlike client-go, a plugin that hangs is stopped after --request-timeout. What the plugin
// printed is never repeated in a message: it holds credentials.

import { spawn } from 'node:child_process';
import { ClusterError, UsageError } from '../core/errors.js';
import { isJsonArray, isJsonObject } from '../core/json-value.js';

/** The versions client-go accepts; v1alpha1 was removed in Kubernetes 1.24. */
const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
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
    value.every((e) => isJsonObject(e) && typeof e.name === 'string' && typeof e.value === 'string')
  );
}

/** The kubeconfig's exec block, checked as client-go checks it before running anything. */
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
    throw new UsageError(`${where}: exec env must be a list of {name, value} strings`);
  }
  return { command: exec.command, args: (exec.args as string[] | undefined) ?? [], env, apiVersion: exec.apiVersion };
}

/** Runs the plugin once; `timeoutMs` 0 waits forever. Failures are ClusterErrors naming the command. */
export function runExecPlugin(exec: ExecConfig, options: { timeoutMs: number }): Promise<ExecCredential> {
  const plugin = `the exec plugin ${exec.command}`;
  // What client-go tells a plugin that is not given the terminal (issue 13 adds interactiveMode).
  const execInfo = { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false } };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  for (const { name, value } of exec.env) env[name] = value;
  const printed = new Promise<string>((resolve, reject) => {
    const child = spawn(exec.command, exec.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer =
      options.timeoutMs > 0
        ? setTimeout(
            () =>
              finish(() => {
                child.kill('SIGKILL');
                // A grandchild may hold the pipes open: stop reading them.
                child.stdout.destroy();
                child.stderr.destroy();
                reject(
                  new ClusterError(`${plugin} did not finish within ${options.timeoutMs / 1000}s (--request-timeout)`),
                );
              }),
            options.timeoutMs,
          )
        : undefined;
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          new ClusterError(
            e.code === 'ENOENT'
              ? `${plugin} was not found (is it installed, and on PATH?)`
              : `${plugin} could not be run: ${e.message}`,
          ),
        ),
      ),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        if (code !== 0) {
          const said = stderr.trim().split('\n')[0];
          const how = signal ? `was killed by ${signal}` : `failed with exit code ${code}`;
          return reject(new ClusterError(`${plugin} ${how}${said ? `: ${said}` : ''}`));
        }
        resolve(Buffer.concat(stdout).toString('utf8'));
      }),
    );
  });
  return printed.then((text) => decodeCredential(text, exec.apiVersion, plugin));
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
  if (!credential.token && !credential.clientCertificateData && !credential.clientKeyData) {
    throw new ClusterError(`exec plugin didn't return a token or cert/key pair (${plugin})`);
  }
  if (!credential.clientCertificateData !== !credential.clientKeyData) {
    throw new ClusterError(`exec plugin returned only certificate or key, not both (${plugin})`);
  }
  return credential;
}
