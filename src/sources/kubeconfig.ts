// kubeconfig resolution as kubectl does it: --kubeconfig, else every file of KUBECONFIG merged
// (the first file to set a value wins), else ~/.kube/config, else the in-cluster service account;
// kubectl's connection flags (--server, --user, --as...) then apply over the entries in use.
// Tokens, client certificates, basic auth, exec credential plugins (exec-credential.ts) and CAs
// are applied here, and the agent (TLS, proxy) is this project's whatever the credentials; only
// an auth-provider plugin needs @kubernetes/client-node, whose import alone costs most of a
// second of CPU, so it is loaded for that case only.

import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientNode } from './client-node.js';
import { parse } from 'yaml';
import { ClusterError, UsageError } from '../core/errors.js';
import { isJsonArray, isJsonObject, stringAt, valueAt, type JsonObject } from '../core/json-value.js';
import { execConfig, ExecPlugin, type ExecConfig, type ExecCredential } from './exec-credential.js';
import {
  checkCluster,
  checkUser,
  clusterWithOverrides,
  serverUrl,
  userForPlainHttp,
  userWithOverrides,
  type ConnectionOverrides,
} from './kubeconfig-overrides.js';
import { withoutUserinfo, type CredentialRenewal, type RenewedCredentials, type TransportOptions } from './kube-api.js';
import { isLoopback, proxyAgent, proxyFor } from './proxy.js';

type Raw = JsonObject;

/** An entry of clusters, users or contexts: its name, and its body (cluster, user, context) not yet read. */
interface Named {
  name: string;
  [field: string]: unknown;
}

/** A kubeconfig as kubectl merges it, file paths in it made absolute. */
interface MergedKubeconfig {
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  'current-context'?: string;
}

export interface ResolvedContext {
  /** The context's name; the server when none is in use (--server or --cluster without one). */
  contextName: string;
  /** The context's namespace, else "default" (kubectl's rule). */
  namespace: string;
  server: string;
  /** The cluster entry with the connection flags applied. */
  cluster: Raw;
  /** The user in use (the context's, or --user's): its name (for messages) and its entry, flags applied. */
  userName: string;
  user: Raw;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  /** kubectl's other connection flags (--server, --user, --as...). */
  overrides?: ConnectionOverrides;
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
  return isJsonArray(value) ? value.filter((e): e is Named => isJsonObject(e) && typeof e.name === 'string') : [];
}

function absolutePaths(entries: Named[], field: 'cluster' | 'user', files: string[], dir: string): Named[] {
  return entries.map((entry) => {
    const given = entry[field];
    const body: Raw = { ...(isJsonObject(given) ? given : {}) };
    for (const key of files) {
      const path = body[key];
      if (typeof path === 'string' && path && !isAbsolute(path)) body[key] = join(dir, path);
    }
    return { ...entry, [field]: body };
  });
}

/**
 * An exec command that names a path (it holds a separator) is resolved against the kubeconfig's
 * folder, as client-go's GetAuthInfoFileReferences does; a bare name is looked up on PATH.
 */
function execCommandsResolved(users: Named[], dir: string): Named[] {
  return users.map((entry) => {
    const user = entry.user as Raw;
    const exec = user.exec;
    if (!isJsonObject(exec)) return entry;
    const command = exec.command;
    if (typeof command !== 'string' || !command.includes(sep) || isAbsolute(command)) return entry;
    return { ...entry, user: { ...user, exec: { ...exec, command: join(dir, command) } } };
  });
}

function readKubeconfigFile(path: string): MergedKubeconfig {
  let doc: unknown;
  try {
    doc = (parse(readFileSync(path, 'utf8')) as unknown) ?? {};
  } catch (e) {
    throw new UsageError(`cannot load the kubeconfig ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isJsonObject(doc)) throw new UsageError(`cannot load the kubeconfig ${path}: not a mapping`);
  const dir = dirname(path);
  return {
    clusters: absolutePaths(list(doc.clusters), 'cluster', CLUSTER_FILES, dir),
    users: execCommandsResolved(absolutePaths(list(doc.users), 'user', USER_FILES, dir), dir),
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

/** With --server, no kubeconfig at all is an empty one, as for kubectl: the flags say it all. */
const EMPTY_KUBECONFIG: MergedKubeconfig = { clusters: [], users: [], contexts: [] };

function loadMerged(options: KubeconfigOptions): MergedKubeconfig {
  const serverGiven = Boolean(options.overrides?.server);
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return readKubeconfigFile(options.kubeconfig);
  }
  if (process.env.KUBECONFIG) {
    // kubectl merges every file of the list and skips the ones that do not exist.
    const files = process.env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
    if (files.length > 0) return merge(files.map(readKubeconfigFile));
    if (serverGiven) return EMPTY_KUBECONFIG;
    throw new UsageError(`KUBECONFIG=${process.env.KUBECONFIG}: none of its files exists`);
  }
  const home = process.env.HOME ?? '';
  if (home && existsSync(join(home, '.kube/config'))) return readKubeconfigFile(join(home, '.kube/config'));
  const cluster = inCluster();
  if (cluster) return cluster;
  if (serverGiven) return EMPTY_KUBECONFIG;
  throw new UsageError(
    'no kubeconfig found (no --kubeconfig, KUBECONFIG or ~/.kube/config, and not running in a cluster); ' +
      'point at a cluster, or diagnose a file with --snapshot FILE',
  );
}

/** The names of the kubeconfig's contexts, clusters and users (for completion); none when there is no kubeconfig. */
export function kubeconfigNames(options: KubeconfigOptions): {
  contexts: string[];
  clusters: string[];
  users: string[];
} {
  let merged: MergedKubeconfig;
  try {
    merged = loadMerged(options);
  } catch {
    return { contexts: [], clusters: [], users: [] };
  }
  const names = (entries: Named[]) => [...new Set(entries.map((e) => e.name))].sort();
  return { contexts: names(merged.contexts), clusters: names(merged.clusters), users: names(merged.users) };
}

/**
 * The cluster, user and namespace to use, as clientcmd's DirectClientConfig picks them: the
 * context (--context, else the current one; none is needed when --cluster or --server says where
 * to go), its cluster and user unless --cluster or --user name others, then the other flags over
 * those entries (kubeconfig-overrides.ts).
 */
export function resolveKubeconfig(options: KubeconfigOptions): ResolvedContext {
  const flags = options.overrides ?? {};
  const merged = loadMerged(options);
  const contextName = options.context || merged['current-context'] || '';
  const context = contextName ? merged.contexts.find((c) => c.name === contextName)?.context : {};
  if (context === undefined) {
    throw new UsageError(
      options.context
        ? `context "${contextName}" does not exist in the kubeconfig (see kubectl config get-contexts)`
        : `the kubeconfig's current context "${contextName}" does not exist in it; pass --context`,
    );
  }

  const clusterName = flags.cluster || valueAt(context, 'cluster');
  const clusterEntry = merged.clusters.find((c) => c.name === clusterName)?.cluster;
  if (flags.cluster && clusterEntry === undefined) {
    throw new UsageError(
      `cluster "${flags.cluster}" (--cluster) does not exist in the kubeconfig (see kubectl config get-clusters)`,
    );
  }
  const cluster = clusterWithOverrides(isJsonObject(clusterEntry) ? clusterEntry : {}, flags);
  const givenServer = stringAt(cluster, 'server');
  if (!givenServer) {
    if (!contextName && !flags.cluster)
      throw new UsageError('the kubeconfig has no current context; pass --context, or --server');
    throw new UsageError(
      flags.cluster
        ? `the kubeconfig's cluster "${flags.cluster}" has no server; pass --server`
        : `the kubeconfig's context "${contextName}" names no cluster with a server`,
    );
  }
  const server = serverUrl(givenServer);
  checkCluster(cluster, typeof clusterName === 'string' ? clusterName : '', flags);

  const userName = flags.user || valueAt(context, 'user');
  const userEntry = merged.users.find((u) => u.name === userName)?.user;
  if (flags.user && userEntry === undefined) {
    throw new UsageError(
      `user "${flags.user}" (--user) does not exist in the kubeconfig (see kubectl config get-users)`,
    );
  }
  // Only a string names a user entry, so only a string reaches a message.
  const userNameText = typeof userName === 'string' ? userName : '';
  // clientcmd checks an exec block even where the user's own credentials mean it will not run.
  if (isJsonObject(userEntry) && userEntry.exec !== undefined && userEntry.exec !== null) {
    execConfig(userEntry.exec, userNameText);
  }
  const user = userWithOverrides(isJsonObject(userEntry) ? userEntry : {}, flags);
  checkUser(user, userNameText, flags);

  return {
    contextName: contextName || withoutUserinfo(server),
    namespace: stringAt(context, 'namespace')?.trim() || 'default',
    server,
    cluster,
    userName: userNameText,
    user: server.startsWith('http:') ? userForPlainHttp(user) : user,
  };
}

/** A YAML scalar as text: an unquoted password such as 1234 parses as a number. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
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

/**
 * A client-node KubeConfig for the probe's pods/exec (WebSocket) and debug pod that sends what
 * the reads send (`requestOptions`, ApiClient.currentRequestOptions): the same agent, so the
 * same TLS checks and proxy, and the same credentials, so an exec plugin runs only when the reads
 * would run it and client-node never sees the kubeconfig's user.
 */
export async function clientNodeConfig(
  server: string,
  requestOptions: () => Promise<https.RequestOptions>,
): Promise<KubeConfig> {
  const { KubeConfig } = await clientNode();
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'cluster', server, skipTLSVerify: false }, { name: 'user' });
  const current = async () => {
    const { agent, headers } = await requestOptions();
    return { agent: agent as https.Agent, headers: (headers ?? {}) as http.OutgoingHttpHeaders };
  };
  kc.applyToHTTPSOptions = async (opts) => {
    const { agent, headers } = await current();
    opts.agent = agent;
    opts.headers = { ...opts.headers, ...headers };
  };
  kc.applySecurityAuthentication = async (context) => {
    const { agent, headers } = await current();
    context.setAgent(agent);
    const repeated: [string, string][] = [];
    for (const [name, value] of Object.entries(headers)) {
      if (Array.isArray(value)) repeated.push(...value.map((v): [string, string] => [name, v]));
      else if (value !== undefined) context.setHeaderParam(name, String(value));
    }
    if (repeated.length > 0) {
      // A repeated header (Impersonate-Group) must stay one line per value, where
      // setHeaderParam would join the values into one: node-fetch, which client-node sends
      // with, takes the headers as [name, value] pairs too.
      const own = context.getHeaders.bind(context);
      context.getHeaders = () => [...Object.entries(own()), ...repeated] as unknown as Record<string, string>;
    }
  };
  return kc;
}

/**
 * The Authorization header of an auth-provider plugin (oidc, or the removed gcp and azure):
 * client-node's job, as before; client certificates and the transport stay this project's.
 */
async function authProviderCredentials(resolved: ResolvedContext): Promise<Credentials> {
  const { KubeConfig } = await clientNode();
  const kc = new KubeConfig();
  const options: https.RequestOptions = {};
  // The cluster and user as resolved (the flags applied), not the kubeconfig's own entries.
  const kubeconfig = {
    clusters: [{ name: 'cluster', cluster: { ...resolved.cluster, server: resolved.server } }],
    users: [{ name: resolved.userName || 'user', user: resolved.user }],
    contexts: [{ name: 'context', context: { cluster: 'cluster', user: resolved.userName || 'user' } }],
    'current-context': 'context',
  };
  try {
    kc.loadFromString(JSON.stringify(kubeconfig));
  } catch (e) {
    throw new UsageError(`cannot load the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (e) {
    throw new ClusterError(
      `cannot get credentials for context "${resolved.contextName}": ${(e as Error).message.split('\n')[0]}`,
      e,
    );
  }
  const authorization = (options.headers as Record<string, string> | undefined)?.Authorization;
  const { user } = resolved;
  return {
    headers: authorization ? { Authorization: authorization } : {},
    cert: fileOrData(user, 'client-certificate', 'client certificate'),
    key: fileOrData(user, 'client-key', 'client key'),
  };
}

interface Credentials {
  headers: Record<string, string>;
  cert?: Buffer | string;
  key?: Buffer | string;
}

/** The user's own credentials: a token or token file, else basic auth; client certificates. */
function staticCredentials(user: Raw): Credentials {
  const headers: Record<string, string> = {};
  let token = typeof user.token === 'string' && user.token ? user.token : undefined;
  if (!token && typeof user.tokenFile === 'string' && user.tokenFile) {
    token = fileOrData(user, 'tokenFile', 'token file')?.toString('utf8').trim();
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (typeof user.username === 'string' && user.username) {
    headers.Authorization = `Basic ${Buffer.from(`${user.username}:${scalarText(user.password)}`).toString('base64')}`;
  }
  return {
    headers,
    cert: fileOrData(user, 'client-certificate', 'client certificate'),
    key: fileOrData(user, 'client-key', 'client key'),
  };
}

/**
 * How the server's certificate is checked against tls-server-name. An IP address is not a TLS
 * server name (RFC 6066 section 3; Node warns with DEP0123 and Go's crypto/tls sends none): it
 * is checked against the certificate's IP addresses instead, as Go's verification does.
 */
function serverNameOptions(serverName: unknown): https.AgentOptions {
  if (typeof serverName !== 'string' || serverName === '') return {};
  if (!isIP(serverName)) return { servername: serverName };
  return { checkServerIdentity: (_host, cert) => checkServerIdentity(serverName, cert) };
}

export interface RequestSettings {
  /** --request-timeout: also bounds an exec credential plugin that does not have the terminal; 0 waits forever. */
  timeoutMs: number;
}

/**
 * TLS material and credentials for requests, on an agent that keeps connections alive (a TLS
 * handshake per page of every list would cost more than the pages), through the proxy kubectl
 * would use (src/sources/proxy.ts). Credentials come from the kubeconfig, or an exec plugin run
 * here (once now, again when its credential expires or is refused: `renewal`); client-node is
 * loaded only for an auth-provider's token.
 */
export async function requestOptionsFor(
  resolved: ResolvedContext,
  settings: RequestSettings,
): Promise<TransportOptions> {
  if (!URL.canParse(resolved.server)) {
    throw new UsageError(`the kubeconfig's server ${withoutUserinfo(resolved.server)} is not a URL`);
  }
  const { user } = resolved;
  // The kubeconfig's user had its plugin dropped if its own credentials win (userWithOverrides).
  if (user.exec !== undefined && user.exec !== null) {
    return execRequestOptions(resolved, execConfig(user.exec, resolved.userName), settings);
  }
  const credentials = user['auth-provider'] ? await authProviderCredentials(resolved) : staticCredentials(user);
  return transportFor(resolved, credentials);
}

/** The agent (the cluster's TLS settings and proxy, the client certificate) and the headers for these credentials. */
async function transportFor(resolved: ResolvedContext, credentials: Credentials): Promise<TransportOptions> {
  const { cluster } = resolved;
  const server = new URL(resolved.server);
  const tls: https.AgentOptions = {
    keepAlive: true,
    ca: fileOrData(cluster, 'certificate-authority', 'certificate authority'),
    cert: credentials.cert,
    key: credentials.key,
    ...serverNameOptions(cluster['tls-server-name']),
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] === true ? false : undefined,
  };
  const proxy = proxyFor(server, stringAt(cluster, 'proxy-url'));
  // client-go asks for gzip unless the cluster says disable-compression; on a loopback
  // connection the bytes cost nothing and (de)compressing them only costs CPU.
  const gzip = cluster['disable-compression'] !== true && (proxy !== undefined || !isLoopback(server));
  if (proxy)
    return { agent: await proxyAgent(proxy, server, tls), headers: credentials.headers, gzip, proxy: proxy.name };
  // kubectl talks plain HTTP to an http:// server (a local proxy, say); no TLS then.
  const agent = server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent(tls);
  return { agent, headers: credentials.headers, gzip };
}

/** The extension of a kubeconfig cluster that client-go hands to exec plugins as spec.cluster.config. */
const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';

const hasText = (entry: Raw, field: string) => {
  const value = entry[field];
  return typeof value === 'string' && value !== '';
};

/**
 * The cluster as client-go describes it to an exec plugin with provideClusterInfo
 * (rest.ConfigToExecCluster), fields in its order: KUBERNETES_EXEC_INFO's spec.cluster.
 */
function execClusterInfo(resolved: ResolvedContext): JsonObject {
  const { cluster } = resolved;
  const ca = fileOrData(cluster, 'certificate-authority', 'certificate authority');
  const config = list(cluster.extensions).find((e) => e.name === EXEC_CLUSTER_EXTENSION)?.extension;
  return {
    server: resolved.server,
    ...(hasText(cluster, 'tls-server-name') ? { 'tls-server-name': cluster['tls-server-name'] } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { 'insecure-skip-tls-verify': true } : {}),
    ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}),
    ...(hasText(cluster, 'proxy-url') ? { 'proxy-url': cluster['proxy-url'] } : {}),
    ...(cluster['disable-compression'] === true ? { 'disable-compression': true } : {}),
    config: isJsonObject(config) ? config : null,
  };
}

/**
 * Request options from an exec plugin's credential: the plugin runs now (a failure is the
 * connection's), and its credential is kept for the run until it expires or is refused
 * (`renewal`, which the API client asks before each request). The agent holds the client
 * certificate, so a new one is made only when the plugin's certificate changes.
 */
async function execRequestOptions(
  resolved: ResolvedContext,
  exec: ExecConfig,
  settings: RequestSettings,
): Promise<TransportOptions> {
  const plugin = new ExecPlugin(exec, {
    cluster: exec.provideClusterInfo ? execClusterInfo(resolved) : undefined,
    timeoutMs: settings.timeoutMs,
  });
  const failed = (e: unknown) =>
    new ClusterError(`cannot get credentials for context "${resolved.contextName}": ${(e as Error).message}`, e);
  let transport: { cert?: string; key?: string; options: Promise<TransportOptions> } | undefined;
  let latest: { credential: ExecCredential; renewed: Promise<RenewedCredentials> } | undefined;
  /** Which credential a request was sent with, to renew that one after a 401. */
  const credentialOf = new WeakMap<RenewedCredentials, ExecCredential>();
  const renewedFor = (credential: ExecCredential): Promise<RenewedCredentials> => {
    if (latest?.credential === credential) return latest.renewed;
    const { token, clientCertificateData: cert, clientKeyData: key } = credential;
    if (!transport || transport.cert !== cert || transport.key !== key) {
      transport = { cert, key, options: transportFor(resolved, { headers: {}, cert, key }) };
    }
    const renewed = transport.options.then(({ agent }) => {
      const credentials = { agent: agent as http.Agent, headers: token ? { Authorization: `Bearer ${token}` } : {} };
      credentialOf.set(credentials, credential);
      return credentials;
    });
    latest = { credential, renewed };
    return renewed;
  };
  const renewal: CredentialRenewal = {
    current: () => plugin.credential().then(renewedFor, (e) => Promise.reject(failed(e))),
    async afterUnauthorized(refused) {
      const credential = credentialOf.get(refused);
      if (!credential) return false;
      await plugin.renew(credential).catch((e) => Promise.reject(failed(e)));
      return true;
    },
  };
  await renewal.current();
  // The agent, gzip and proxy of the first credential; its headers come with each request's.
  const { headers: _headers, ...options } = await transport!.options;
  return { ...options, renewal };
}
