// The read-only commands that dump a node's service-proxy rules (docs/kube-proxy-dataplane.md#reading-the-rules-on-a-node, docs/kube-proxy-dataplane.md#comparing-rules-with-endpointslices),
// run through whatever reaches the node: exec in its kube-proxy pod, a debug pod, or this machine.
// All of them exist in the kube-proxy image; none changes anything. iptables-legacy-save is run
// without -t, since naming a table that does not exist makes the kernel create it (docs/kube-proxy-dataplane.md#iptables-legacy-and-iptables-nft).

import type { ProxyMode } from '../node-rules/types.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type RunCommand = (argv: string[]) => Promise<CommandResult>;

export type DumpKey =
  | 'iptables-nft-IPv4'
  | 'iptables-nft-IPv6'
  | 'iptables-legacy-IPv4'
  | 'iptables-legacy-IPv6'
  | 'nft-IPv4'
  | 'nft-IPv6'
  | 'proc-ip-vs'
  | 'ipset';

export const READ_COMMANDS: { key: DumpKey; mode: ProxyMode; argv: string[] }[] = [
  { key: 'iptables-nft-IPv4', mode: 'iptables', argv: ['iptables-nft-save'] },
  { key: 'iptables-legacy-IPv4', mode: 'iptables', argv: ['iptables-legacy-save'] },
  { key: 'iptables-nft-IPv6', mode: 'iptables', argv: ['ip6tables-nft-save'] },
  { key: 'iptables-legacy-IPv6', mode: 'iptables', argv: ['ip6tables-legacy-save'] },
  { key: 'nft-IPv4', mode: 'nftables', argv: ['nft', '-j', 'list', 'table', 'ip', 'kube-proxy'] },
  { key: 'nft-IPv6', mode: 'nftables', argv: ['nft', '-j', 'list', 'table', 'ip6', 'kube-proxy'] },
  { key: 'proc-ip-vs', mode: 'ipvs', argv: ['cat', '/proc/net/ip_vs'] },
  { key: 'ipset', mode: 'ipvs', argv: ['ipset', 'save'] },
];

export interface RuleDump {
  /** Output of each command that succeeded. */
  outputs: Partial<Record<DumpKey, string>>;
  /** Commands that failed, with the first line of what they said. */
  failures: { key: DumpKey; command: string; message: string }[];
}

/** Runs the commands of `mode` (every mode's when it is not known yet), one after the other. */
export async function collectRules(run: RunCommand, mode: ProxyMode | undefined): Promise<RuleDump> {
  const dump: RuleDump = { outputs: {}, failures: [] };
  for (const { key, argv } of READ_COMMANDS.filter((c) => mode === undefined || c.mode === mode)) {
    const result = await run(argv);
    if (result.code === 0) dump.outputs[key] = result.stdout;
    else {
      const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
      dump.failures.push({ key, command: argv.join(' '), message: `exit ${result.code}${said ? `: ${said}` : ''}` });
    }
  }
  return dump;
}
