// From the outputs of the node's commands to its NodeDataplane, through src/sources/node-rules's
// readDataplane (which tells the mode from the rules when the configuration did not, and picks
// the iptables backend that holds kube-proxy's chains).

import { readDataplane, type DataplaneInput, type DataplaneInputKind } from '../node-rules/detect.js';
import type { NodeDataplane, ProxyMode } from '../node-rules/types.js';
import type { DumpKey, RuleDump } from './dump-commands.js';
import { READ_COMMANDS } from './dump-commands.js';

const KINDS: Record<DumpKey, DataplaneInputKind> = {
  'iptables-nft-IPv4': 'iptables-nft-save',
  'iptables-legacy-IPv4': 'iptables-legacy-save',
  'iptables-nft-IPv6': 'ip6tables-nft-save',
  'iptables-legacy-IPv6': 'ip6tables-legacy-save',
  'nft-IPv4': 'nft-json',
  'nft-IPv6': 'nft-json',
  'proc-ip-vs': 'proc-ip-vs',
  ipset: 'ipset-save',
};

export function dumpInputs(dump: RuleDump): DataplaneInput[] {
  return READ_COMMANDS.flatMap(({ key, argv }) => {
    const text = dump.outputs[key];
    return text === undefined ? [] : [{ kind: KINDS[key], text, source: argv.join(' ') }];
  });
}

export function readInputs(
  inputs: DataplaneInput[],
  mode: ProxyMode,
  failures: RuleDump['failures'] = [],
): NodeDataplane {
  const dataplane = readDataplane(inputs, mode);
  const failed = failures
    .filter((f) => READ_COMMANDS.find((c) => c.key === f.key)?.mode === mode)
    .map((f) => `${f.command} failed (${f.message})`);
  return { ...dataplane, notes: [...dataplane.notes, ...failed] };
}
