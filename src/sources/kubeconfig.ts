// kubeconfig resolution as kubectl does it: --kubeconfig, else every file of KUBECONFIG merged
// (the first file to set a value wins), else ~/.kube/config, else the in-cluster service account.
// Tokens, client certificates, basic auth and CAs are applied here; only an auth plugin (exec,
// auth-provider) or a proxy-url needs @kubernetes/client-node, whose import alone costs most of
// a second of CPU, so it is loaded for those cases only.

import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { ClusterError, UsageError } from '../errors.js';

type Raw = Record<string, any>;

interface Named {
  name: string;
  [field: string]: any;
}

/** A kubeconfig as kubectl merges it, file paths in it made absolute. */
export interface MergedKubeconfig {
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  'current-context'?: string;
}

export interface ResolvedContext {
  contextName: string;
  /** The context's namespace, else "default" (kubectl's rule). */
  namespace: string;
  server: string;
  cluster: Raw;
  user: Raw;
  merged: MergedKubeconfig;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Where in-cluster credentials live; tests point it elsewhere with ENDPOINTS_DOCTOR_SERVICEACCOUNT_ROOT. */
function serviceAccountDir(): string {
  return (process.env.ENDPOINTS_DOCTOR_SERVICEACCOUNT_ROOT ?? '') + SERVICE_ACCOUNT_DIR;
}

// kubectl resolves these file references against the directory of the kubeconfig that holds them.
const CLUSTER_FILES = ['certificate-authority'];
const USER_FILES = ['client-certificate', 'client-key', 'tokenFile'];

function list(value: unknown): Named[] {
  return Array.isArray(value) ? value.filter((e) => e && typeof e.name === 'string') : [];
}

function absolutePaths(entries: Named[], field: 'cluster' | 'user', files: string[], dir: string): Named[] {
  return entries.map((entry) => {
    const body: Raw = { ...(entry[field] ?? {}) };
    for (const key of files) {
      if (typeof body[key] === 'string' && body[key] && !isAbsolute(body[key])) body[key] = join(dir, body[key]);
    }
    return { ...entry, [field]: body };
  });
}

function readKubeconfigFile(path: string): MergedKubeconfig {
  let doc: Raw;
  try {
    doc = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new UsageError(`cannot load the kubeconfig ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`cannot load the kubeconfig ${path}: not a mapping`);
  const dir = dirname(path);
  return {
    clusters: absolutePaths(list(doc.clusters), 'cluster', CLUSTER_FILES, dir),
    users: absolutePaths(list(doc.users), 'user', USER_FILES, dir),
    contexts: list(doc.contexts),
    'current-context': typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined,
  };
}

/** Like kubectl: the first file to name a cluster, user or context, or to set current-context, wins. */
function merge(files: MergedKubeconfig[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: [], users: [], contexts: [] };
  for (const file of files) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of file[key]) if (!merged[key].some((e) => e.name === entry.name)) merged[key].push(entry);
    }
    merged['current-context'] ||= file['current-context'];
  }
  return merged;
}

function inCluster(): MergedKubeconfig | undefined {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const dir = serviceAccountDir();
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return {
    clusters: [
      {
        name: 'in-cluster',
        cluster: {
          server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
          'certificate-authority': join(dir, 'ca.crt'),
        },
      },
    ],
    users: [{ name: 'in-cluster', user: { tokenFile: join(dir, 'token') } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'in-cluster', namespace } }],
    'current-context': 'in-cluster',
  };
}

function loadMerged(options: KubeconfigOptions): MergedKubeconfig {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return readKubeconfigFile(options.kubeconfig);
  }
  if (process.env.KUBECONFIG) {
    // kubectl merges every file of the list and skips the ones that do not exist.
    const files = process.env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
    if (files.length === 0) throw new UsageError(`KUBECONFIG=${process.env.KUBECONFIG}: none of its files exists`);
    return merge(files.map(readKubeconfigFile));
  }
  const home = process.env.HOME ?? '';
  if (home && existsSync(join(home, '.kube/config'))) return readKubeconfigFile(join(home, '.kube/config'));
  const cluster = inCluster();
  if (cluster) return cluster;
  throw new UsageError(
    'no kubeconfig found (no --kubeconfig, KUBECONFIG or ~/.kube/config, and not running in a cluster); ' +
      'point at a cluster, or diagnose a file with --snapshot FILE',
  );
}

export function resolveKubeconfig(options: KubeconfigOptions): ResolvedContext {
  const merged = loadMerged(options);
  const contextName = options.context || merged['current-context'];
  if (!contextName) throw new UsageError('the kubeconfig has no current context; pass --context');
  const context = merged.contexts.find((c) => c.name === contextName)?.context;
  if (!context) {
    throw new UsageError(
      options.context
        ? `context "${contextName}" does not exist in the kubeconfig (see kubectl config get-contexts)`
        : `the kubeconfig's current context "${contextName}" does not exist in it; pass --context`,
    );
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string' || !cluster.server) {
    throw new UsageError(`the kubeconfig's context "${contextName}" names no cluster with a server`);
  }
  const user = merged.users.find((u) => u.name === context.user)?.user ?? {};
  const namespace =
    typeof context.namespace === 'string' && context.namespace.trim() ? context.namespace.trim() : 'default';
  return { contextName, namespace, server: cluster.server, cluster, user, merged };
}

function fileOrData(entry: Raw, field: string, what: string): Buffer | undefined {
  const data = entry[`${field}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const file = entry[field];
  if (typeof file !== 'string' || !file) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(
      `cannot read the ${what} ${file} named in the kubeconfig: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** An exec or auth-provider plugin, or a proxy, is client-node's job. */
function needsClientNode(resolved: ResolvedContext): boolean {
  return Boolean(resolved.user.exec || resolved.user['auth-provider'] || resolved.cluster['proxy-url']);
}

/**
 * One client-node KubeConfig per resolved context (auth plugins, proxies, WebSocket exec): the
 * requests and the probe's exec share it, so an exec credential plugin is not run twice.
 */
const clientNodeConfigs = new WeakMap<ResolvedContext, Promise<KubeConfig>>();

export function clientNodeConfig(resolved: ResolvedContext): Promise<KubeConfig> {
  let config = clientNodeConfigs.get(resolved);
  if (!config) {
    config = loadClientNodeConfig(resolved);
    clientNodeConfigs.set(resolved, config);
  }
  return config;
}

async function loadClientNodeConfig(resolved: ResolvedContext): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    kc.loadFromString(JSON.stringify(resolved.merged));
    kc.setCurrentContext(resolved.contextName);
  } catch (e) {
    throw new UsageError(`cannot load the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
  }
  return kc;
}

/**
 * TLS material and credentials for requests, on an agent that keeps connections alive (a TLS
 * handshake per page of every list would cost more than the pages).
 */
export async function requestOptionsFor(resolved: ResolvedContext): Promise<https.RequestOptions> {
  if (needsClientNode(resolved)) {
    const kc = await clientNodeConfig(resolved);
    const options: https.RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(options);
    } catch (e) {
      throw new ClusterError(
        `cannot get credentials for context "${resolved.contextName}": ${(e as Error).message.split('\n')[0]}`,
        e,
      );
    }
    const agent = options.agent;
    // client-node's plain agent has no keepAlive; proxy agents (other classes) are left alone.
    if (agent && agent.constructor === https.Agent) {
      options.agent = new https.Agent({ ...(agent as https.Agent).options, keepAlive: true });
    }
    return options;
  }
  const { cluster, user } = resolved;
  const tls: https.AgentOptions = {
    keepAlive: true,
    ca: fileOrData(cluster, 'certificate-authority', 'certificate authority'),
    cert: fileOrData(user, 'client-certificate', 'client certificate'),
    key: fileOrData(user, 'client-key', 'client key'),
    servername: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] === true ? false : undefined,
  };
  const headers: Record<string, string> = {};
  let token = typeof user.token === 'string' && user.token ? user.token : undefined;
  if (!token && typeof user.tokenFile === 'string' && user.tokenFile) {
    token = fileOrData(user, 'tokenFile', 'token file')?.toString('utf8').trim();
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  const basic =
    typeof user.username === 'string' && user.username ? `${user.username}:${user.password ?? ''}` : undefined;
  // kubectl talks plain HTTP to an http:// server (a local proxy, say); no TLS then.
  const agent = resolved.server.startsWith('http:') ? new http.Agent({ keepAlive: true }) : new https.Agent(tls);
  return { agent, headers, auth: token ? undefined : basic };
}
