// The connection flags every command that reads the cluster takes, defined once as kubectl's
// genericclioptions.ConfigFlags are: --kubeconfig, --context, -n/--namespace, --request-timeout,
// kubectl's other connection flags (--cluster, --user, -s/--server, --token, the TLS files,
// impersonation with --as...), and --debug for the requests they make. Parsed and checked here,
// for every such command alike; sources/kubeconfig-overrides.ts applies them as client-go does.

import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { KubeconfigOptions } from '../sources/kubeconfig.js';
import type { ConnectOptions } from '../sources/live.js';
import { debugLines, type IOStreams } from './streams.js';

/** The connection flags as commander gives them. */
export interface ConfigFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  as?: string;
  /** --as-group, once per group. */
  asGroup?: string[];
  asUid?: string;
  requestTimeout: string;
  debug?: boolean;
}

/** The flags that say which cluster to reach, as whom, and where Services are: all but --request-timeout and --debug. */
export type ClusterFlags = Omit<ConfigFlags, 'requestTimeout' | 'debug'>;

/** The connection flags completed: what connect() takes, and -n as given (checked). */
export interface ConfigOptions extends ConnectOptions {
  /** -n as given; undefined for the context's namespace. */
  namespace?: string;
}

/** pflag's StringArray: each use of the flag adds one value, commas and all. */
const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addConfigFlags(command: Command): Command {
  return command
    .option(
      '--kubeconfig <file>',
      'path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)',
    )
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <ns>', "namespace of the Services (default: the context's namespace, else default)")
    .option('--cluster <name>', "the kubeconfig cluster to use (default: the context's)")
    .option('--user <name>', "the kubeconfig user to use (default: the context's)")
    .option('-s, --server <address>', 'the address and port of the Kubernetes API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--certificate-authority <file>', 'path to a cert file for the certificate authority')
    .option('--client-certificate <file>', 'path to a client certificate file for TLS')
    .option('--client-key <file>', 'path to a client key file for TLS')
    .option(
      '--insecure-skip-tls-verify',
      "do not check the server's certificate (this makes the HTTPS connection insecure)",
    )
    .option(
      '--tls-server-name <name>',
      "server name to check the server's certificate against (default: the server's host name)",
    )
    .option('--as <user>', 'username to impersonate for the operation (a user or a service account)')
    .option('--as-group <group>', 'group to impersonate for the operation (repeat for several)', repeatable)
    .option('--as-uid <uid>', 'UID to impersonate for the operation')
    .option(
      '--request-timeout <duration>',
      'how long to wait for each API request (e.g. 10s, 1m; 0 waits forever)',
      '30s',
    )
    .option('--debug', 'print requests and full error details on stderr');
}

// Go's time.ParseDuration units, in milliseconds.
const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5
  μs: 1e-3, // U+03BC
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/** Go's time.ParseDuration ("1h30m", "1.5s", "-2m", "0"; a unit on every number but a bare 0), in ms. */
export function parseGoDuration(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, number, unit] of text.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(number) * GO_DURATION_UNITS[unit];
  }
  return text.startsWith('-') && total > 0 ? -total : total;
}

/**
 * Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once beyond it: a longer
 * timeout is as good as none, so it is held to that.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * --request-timeout as kubectl reads it (client-go's clientcmd.ParseTimeout): a bare
 * non-negative integer is seconds, anything else a Go duration; 0 waits forever.
 */
export function parseRequestTimeout(text: string): number {
  const ms = /^\+?\d+$/.test(text) ? Number(text) * 1000 : parseGoDuration(text);
  if (ms === undefined || ms < 0) {
    throw new UsageError(
      `--request-timeout "${text}" is not a duration (seconds, or a number with a unit: 30s, 1m; 0 waits forever)`,
    );
  }
  return Math.min(ms, LONGEST_TIMER_MS);
}

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * -n as given, or undefined for the default. Namespace names are DNS-1123 labels (the API
 * server's ValidateNamespaceName is apimachinery's IsDNS1123Label): anything else names no
 * namespace, and would otherwise read as an empty one.
 */
function namespaceFlag(namespace: string | undefined): string | undefined {
  if (namespace === undefined || (namespace.length <= 63 && DNS1123_LABEL.test(namespace))) return namespace;
  throw new UsageError(
    `-n/--namespace ${JSON.stringify(namespace)} is not a namespace name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
  );
}

/** Where the flags say to connect, for connect() (completion's lookups take this too). */
export function kubeconfigOptions(flags: ClusterFlags): KubeconfigOptions {
  return {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    overrides: {
      cluster: flags.cluster,
      user: flags.user,
      server: flags.server,
      token: flags.token,
      certificateAuthority: flags.certificateAuthority,
      clientCertificate: flags.clientCertificate,
      clientKey: flags.clientKey,
      insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
      tlsServerName: flags.tlsServerName,
      impersonateUser: flags.as,
      impersonateGroups: flags.asGroup,
      impersonateUid: flags.asUid,
    },
  };
}

/** The connection flags checked and completed; --debug lines go to stderr. */
export function completeConfig(flags: ConfigFlags, streams: IOStreams): ConfigOptions {
  return {
    ...kubeconfigOptions(flags),
    namespace: namespaceFlag(flags.namespace),
    requestTimeoutMs: parseRequestTimeout(flags.requestTimeout),
    debug: flags.debug ? debugLines(streams) : () => {},
  };
}
