// kubectl's connection flags over the kubeconfig, as client-go's clientcmd applies its
// ConfigOverrides (tools/clientcmd/client_config.go: getCluster, getAuthInfo) and then checks
// the result (tools/clientcmd/validation.go, transport/round_trippers.go): a flag that is set
// replaces the kubeconfig's value, an unset or empty one changes nothing; the combinations
// kubectl refuses are refused with the flag named. Impersonation (--as, kubeconfig `as`) becomes
// the Impersonate-* headers client-go's impersonatingRoundTripper sends.

import { accessSync, constants } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { UsageError } from '../core/errors.js';
import { isJsonArray, isJsonObject, type JsonObject } from '../core/json-value.js';

/** The flags; undefined or '' (an empty list for groups) leaves the kubeconfig's value. */
export interface ConnectionOverrides {
  /** --cluster, --user: the kubeconfig entries to use instead of the context's. */
  cluster?: string;
  user?: string;
  /** -s/--server. */
  server?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
  /** --as, --as-group (repeatable), --as-uid. */
  impersonateUser?: string;
  impersonateGroups?: string[];
  impersonateUid?: string;
}

/** A flag's file must be readable: client-go reads it from the working directory, and says which file when it cannot. */
function readableFlagFile(path: string, flag: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new UsageError(
      `${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return path;
}

/**
 * The cluster entry with the flags applied. As in client-go, --insecure-skip-tls-verify or
 * --certificate-authority replaces the kubeconfig's whole trust setting (its CA file and data and
 * its insecure flag), and --server or --tls-server-name replaces its tls-server-name (a new server
 * is rarely known by the old name).
 */
export function clusterWithOverrides(entry: JsonObject, flags: ConnectionOverrides): JsonObject {
  const cluster: JsonObject = { ...entry };
  if (flags.server) cluster.server = flags.server;
  if (flags.insecureSkipTlsVerify || flags.certificateAuthority) {
    delete cluster['certificate-authority-data'];
    delete cluster['certificate-authority'];
    delete cluster['insecure-skip-tls-verify'];
    if (flags.certificateAuthority) {
      cluster['certificate-authority'] = readableFlagFile(flags.certificateAuthority, '--certificate-authority');
    }
    if (flags.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  }
  if (flags.server || flags.tlsServerName) {
    delete cluster['tls-server-name'];
    if (flags.tlsServerName) cluster['tls-server-name'] = flags.tlsServerName;
  }
  return cluster;
}

const hasText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const hasScalar = (value: unknown): boolean =>
  hasText(value) || typeof value === 'number' || typeof value === 'boolean';

/**
 * The user entry with the flags applied. --token replaces the kubeconfig's token and token file
 * (client-go would still prefer a readable tokenFile, re-read on every request; the flag is what
 * the user asked for). A flag's client certificate or key replaces both the file and the data
 * (client-go since kubernetes/kubernetes#133917). Then, as client-go decides at the transport: a user with a token, a
 * username and password, or a client certificate and key runs no exec plugin (its authenticator
 * steps aside), and one with a token or password no auth-provider (it leaves an Authorization
 * header that is already set alone).
 */
export function userWithOverrides(entry: JsonObject, flags: ConnectionOverrides): JsonObject {
  const user: JsonObject = { ...entry };
  if (flags.token) {
    user.token = flags.token;
    delete user.tokenFile;
  }
  if (flags.clientCertificate) {
    delete user['client-certificate-data'];
    user['client-certificate'] = readableFlagFile(flags.clientCertificate, '--client-certificate');
  }
  if (flags.clientKey) {
    delete user['client-key-data'];
    user['client-key'] = readableFlagFile(flags.clientKey, '--client-key');
  }
  if (flags.impersonateUser) user.as = flags.impersonateUser;
  if (flags.impersonateUid) user['as-uid'] = flags.impersonateUid;
  if (flags.impersonateGroups?.length) user['as-groups'] = [...flags.impersonateGroups];

  const token = hasText(user.token) || hasText(user.tokenFile);
  const basic = hasScalar(user.username) || hasScalar(user.password);
  if (token || basic || (hasClientCertificate(user) && hasClientKey(user))) delete user.exec;
  if (token || basic) delete user['auth-provider'];
  return user;
}

const hasClientCertificate = (user: JsonObject) =>
  hasText(user['client-certificate']) || hasText(user['client-certificate-data']);
const hasClientKey = (user: JsonObject) => hasText(user['client-key']) || hasText(user['client-key-data']);

/** kubectl's refusals for the cluster in use (a CA with insecure-skip-tls-verify: transport.TLSConfigFor). */
export function checkCluster(cluster: JsonObject, clusterName: string, flags: ConnectionOverrides): void {
  const hasCA = hasText(cluster['certificate-authority']) || hasText(cluster['certificate-authority-data']);
  if (hasCA && cluster['insecure-skip-tls-verify'] === true) {
    throw new UsageError(
      flags.insecureSkipTlsVerify
        ? '--insecure-skip-tls-verify cannot be used with --certificate-authority: a server is either checked against a CA or not checked'
        : `the kubeconfig's cluster "${clusterName}" sets both insecure-skip-tls-verify and a certificate authority (kubectl refuses that too): drop one, or pass --insecure-skip-tls-verify or --certificate-authority`,
    );
  }
}

/** kubectl's refusals for the user in use (clientcmd's validateAuthInfo). */
export function checkUser(user: JsonObject, userName: string, flags: ConnectionOverrides): void {
  const entry = `the kubeconfig's user "${userName}"`;
  if (hasClientCertificate(user) && !hasClientKey(user)) {
    throw new UsageError(
      `${flags.clientCertificate ? '--client-certificate' : entry} gives a client certificate but no client key: add --client-key, or client-key to the kubeconfig's user`,
    );
  }
  if (hasText(user.token) && (hasScalar(user.username) || hasScalar(user.password))) {
    throw new UsageError(
      flags.token
        ? `--token cannot be used with the username and password of ${entry} (kubectl allows one authentication method)`
        : `${entry} has both a token and a username and password (kubectl allows one authentication method)`,
    );
  }
  const groups = user['as-groups'];
  const extra = user['as-user-extra'];
  const asAnything =
    hasText(user['as-uid']) ||
    (isJsonArray(groups) && groups.length > 0) ||
    (isJsonObject(extra) && Object.keys(extra).length > 0);
  if (asAnything && !hasText(user.as)) {
    throw new UsageError(
      flags.impersonateGroups?.length || flags.impersonateUid
        ? '--as-group and --as-uid need --as, the user to impersonate'
        : `${entry} sets as-groups, as-uid or as-user-extra without as, the user to impersonate`,
    );
  }
}

// The bytes an HTTP header name may hold as they are (RFC 9110's tchar), '%' aside: it escapes.
const HEADER_NAME_BYTE = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/;

/** client-go's headerKeyEscape: every byte outside a header name's alphabet (and '%') as %XX. */
function headerKeyEscape(key: string): string {
  let escaped = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped += HEADER_NAME_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

/**
 * A header value as Go sends it: its UTF-8 bytes (Node writes a string's characters as Latin-1
 * bytes, so the bytes go in as Latin-1). Control characters other than tab are refused, as
 * Go's net/http refuses them.
 */
function headerValue(value: string, what: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)} holds a control character, which no HTTP header can carry`);
  }
  return Buffer.from(value, 'utf8').toString('latin1');
}

const strings = (value: unknown): string[] =>
  isJsonArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * The Impersonate-* headers for the user's `as`, `as-uid`, `as-groups` and `as-user-extra`
 * (what --as, --as-uid and --as-group set): one header per group and per extra value, as
 * client-go sends them.
 */
export function impersonationHeaders(user: JsonObject): OutgoingHttpHeaders {
  if (!hasText(user.as)) return {};
  const headers: OutgoingHttpHeaders = { 'Impersonate-User': headerValue(user.as, 'the user to impersonate') };
  const uid = user['as-uid'];
  if (hasText(uid)) headers['Impersonate-Uid'] = headerValue(uid, 'the uid to impersonate');
  const groups = strings(user['as-groups']).map((g) => headerValue(g, 'the group to impersonate'));
  if (groups.length > 0) headers['Impersonate-Group'] = groups;
  const extra = user['as-user-extra'];
  for (const [key, values] of Object.entries(isJsonObject(extra) ? extra : {})) {
    const list = strings(values).map((v) => headerValue(v, `the user extra ${JSON.stringify(key)} to impersonate`));
    if (list.length > 0) headers[`Impersonate-Extra-${headerKeyEscape(key)}`] = list;
  }
  return headers;
}

/**
 * The server as client-go reads it: an address without a scheme (`-s 127.0.0.1:8080`, or
 * `localhost:8080`, which parses as a scheme) is plain HTTP, as kubectl takes it.
 */
export function serverUrl(server: string): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  return url?.host ? server : `http://${server}`;
}

/**
 * What of the user goes to a plain-HTTP server: only who to impersonate. client-go reads the
 * user's credentials only for a TLS connection, so no token, password, certificate or plugin
 * ever travels in the clear.
 */
export function userForPlainHttp(user: JsonObject): JsonObject {
  const kept: JsonObject = {};
  for (const field of ['as', 'as-uid', 'as-groups', 'as-user-extra']) if (field in user) kept[field] = user[field];
  return kept;
}
