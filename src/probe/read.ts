// From command outputs (or saved files) to the node's NodeDataplane, with the parsers of
// src/dataplane: which iptables backend holds kube-proxy's rules per family, the nft tables,
// the IPVS virtual servers. What could not be read becomes a note, never a guess.

import { chooseIptablesBackend, readIptables } from '../dataplane/iptables.js';
import { readNftables } from '../dataplane/nftables.js';
import type { IPFamily, NodeDataplane, ProxyMode } from '../dataplane/types.js';
import { UsageError } from '../errors.js';
import type { DumpKey, RuleDump } from './commands.js';

const FAMILIES: IPFamily[] = ['IPv4', 'IPv6'];

export function readDump(dump: RuleDump, mode: ProxyMode): NodeDataplane {
  const failed = dump.failures.filter((f) => modeOf(f.key) === mode).map((f) => `${f.command} failed (${f.message})`);
  if (mode === 'iptables') return withNotes(readIptablesDump(dump), failed);
  if (mode === 'nftables') {
    const texts = FAMILIES.map((f) => dump.outputs[`nft-${f}`]).filter((t): t is string => t !== undefined);
    const reading = readNftables(texts.join('\n'), { source: 'nft -j list table ip|ip6 kube-proxy' });
    return withNotes(
      { mode, families: reading.families, servicePorts: reading.servicePorts, notes: reading.notes },
      failed,
    );
  }
  return withNotes(readIpvsDump(dump), failed);
}

function modeOf(key: DumpKey): ProxyMode {
  return key.startsWith('iptables') ? 'iptables' : key.startsWith('nft') ? 'nftables' : 'ipvs';
}

function withNotes(dataplane: NodeDataplane, notes: string[]): NodeDataplane {
  return { ...dataplane, notes: [...dataplane.notes, ...notes] };
}

function readIptablesDump(dump: RuleDump): NodeDataplane {
  const dataplane: NodeDataplane = { mode: 'iptables', families: [], servicePorts: [], notes: [] };
  for (const family of FAMILIES) {
    const nft = dump.outputs[`iptables-nft-${family}`];
    const legacy = dump.outputs[`iptables-legacy-${family}`];
    if (nft === undefined && legacy === undefined) continue;
    const choice = chooseIptablesBackend({ nft, legacy });
    const tool = family === 'IPv4' ? 'iptables' : 'ip6tables';
    if (!choice.text) {
      // A single-stack node has no IPv6 rules at all: that is no news.
      if (family === 'IPv4') dataplane.notes.push(`${tool}: ${choice.notes.join('; ')}`);
      continue;
    }
    dataplane.notes.push(...choice.notes.map((n) => `${tool}: ${n}`));
    const reading = readIptables(choice.text, { family, source: `${tool}-${choice.backend}-save output` });
    dataplane.families.push(family);
    dataplane.backend ??= choice.backend;
    dataplane.servicePorts.push(...reading.servicePorts);
    dataplane.notes.push(...reading.notes);
  }
  return dataplane;
}

function readIpvsDump(dump: RuleDump): NodeDataplane {
  void dump;
  throw new UsageError('reading IPVS rules is not available in this build');
}
