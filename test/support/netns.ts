// Throwaway network namespaces for tests that load real rules with iptables/nft. Each namespace has a
// unique name and is deleted by deleteNetns (in an afterAll).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Why netns tests cannot run here, or undefined when they can (root, and every listed tool on PATH). */
export function canUseNetns(
  tools: string[] = ['ip', 'iptables-nft-restore', 'iptables-legacy-restore', 'nft'],
): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length) return `missing tools: ${missing.join(', ')}`;
  return undefined;
}

/** Creates a namespace named "ed-<random>" with loopback up; returns its name. */
export function createNetns(): string {
  const name = `ed-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  return name;
}

/** Runs a command inside the namespace, feeding stdin; never throws for a non-zero exit. */
export function runInNetns(netns: string, command: string[], stdin?: string): CommandResult {
  const result = spawnSync('ip', ['netns', 'exec', netns, ...command], { input: stdin, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like runInNetns, but throws with the command's stderr when it fails. */
export function mustRunInNetns(netns: string, command: string[], stdin?: string): string {
  const result = runInNetns(netns, command, stdin);
  if (result.status !== 0) {
    throw new Error(`${command.join(' ')} failed in ${netns} (exit ${result.status}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * Makes `server` the nameserver of the namespace's resolv.conf: `ip netns exec` mounts
 * /etc/netns/NAME/resolv.conf over /etc/resolv.conf for what it runs. deleteNetns removes it.
 */
export function setNetnsNameserver(netns: string, server: string): void {
  mkdirSync(`/etc/netns/${netns}`, { recursive: true });
  writeFileSync(`/etc/netns/${netns}/resolv.conf`, `nameserver ${server}\n`);
}

/** Deletes the namespace (the tables in it go with it) and its /etc/netns files. Missing namespaces are ignored. */
export function deleteNetns(netns: string): void {
  spawnSync('ip', ['netns', 'delete', netns]);
  rmSync(`/etc/netns/${netns}`, { recursive: true, force: true });
}

/**
 * Starts a long-running command inside the namespace (a listener) and resolves once it prints
 * "ready" on stdout; rejects if it exits first. The caller kills it.
 */
export async function startInNetns(netns: string, command: string[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', netns, ...command]);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the listener exited (${code}) before it was ready`)));
  });
  return child;
}

/**
 * Runs an exec request's command in the network namespace with busybox, as a container of an
 * image holding only `imagePath`'s tools would: what the connect tests' test API server does for
 * the debug container or pod the doctor execs its connect program in.
 */
export function execInNetns(
  netns: string,
  busybox: string,
  imagePath: string,
  command: string[],
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn('ip', ['netns', 'exec', netns, 'env', '-i', `PATH=${imagePath}`, busybox, ...command]);
    child.stdout.pipe(streams.stdout, { end: false });
    child.stderr.pipe(streams.stderr, { end: false });
    child.on('close', (code) => resolve(code ?? 1));
  });
}
