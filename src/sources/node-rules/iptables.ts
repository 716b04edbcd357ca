// Reads kube-proxy's iptables mode rules from iptables-save output (nat and filter tables) into one
// entry per Service port: its frontends, the endpoints each chain spreads traffic over, and the
// REJECT/DROP verdicts for Services without (local) endpoints. See docs/kube-proxy-dataplane.md#iptables-mode.
// The text itself is parsed by iptables-save.ts.
import { iptablesServiceHash, servicePortString } from './chain-names.js';
import { parseIptablesSave, type IptablesDump, type IptablesRule } from './iptables-save.js';
import {
  addFrontend,
  addVerdict,
  emptyServicePort,
  hostAddress,
  parseHostPort,
  parseServicePortString,
  roundShare,
  toProtocol,
} from './service-ports.js';
import type { FrontendKind, IPFamily, ProgrammedEndpoint, ProgrammedServicePort, Protocol } from './types.js';

/** The word after a flag ("-d", "--dport", ...). */
function option(rule: IptablesRule, flag: string): string | undefined {
  const i = rule.args.indexOf(flag);
  return i >= 0 ? rule.args[i + 1] : undefined;
}

function target(rule: IptablesRule): string | undefined {
  return option(rule, '-j') ?? option(rule, '-g');
}

const FRONTEND_COMMENT = /^(.+) (cluster IP|external IP|loadbalancer IP)$/;
const VERDICT_COMMENT = /^(.+) has no (local )?endpoints$/;
const SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW)-([A-Z2-7]{16})$/;
/** Comments inside a Service's own chains that name it: the identity of chains nothing points at any more. */
const CHAIN_COMMENTS = [
  /^(.+) cluster IP$/,
  /^(.+) -> \S+$/,
  /^(?:masquerade|pod|masquerade LOCAL|route LOCAL) traffic for (.+) external destinations$/,
  /^(.+) loadbalancer IP$/,
  /^other traffic to (.+) will be dropped by KUBE-PROXY-FIREWALL$/,
];

interface PortUnderConstruction {
  hash: string;
  port: ProgrammedServicePort;
  /** The chain cluster-IP traffic jumps to (KUBE-SVC- or KUBE-SVL-). */
  internalChain?: string;
  rules: Set<string>;
}

export interface IptablesReading {
  family: IPFamily;
  servicePorts: ProgrammedServicePort[];
  notes: string[];
}

/**
 * kube-proxy's Service ports from one family's iptables-save output (nat and filter tables, in one
 * text or concatenated). Throws DataplaneInputError when the text is not iptables-save output.
 */
export function readIptables(text: string, options: { family?: IPFamily; source?: string } = {}): IptablesReading {
  const dump = parseIptablesSave(text, options.source);
  const nat = dump.tables.get('nat')?.chains ?? new Map<string, IptablesRule[]>();
  const filter = dump.tables.get('filter')?.chains ?? new Map<string, IptablesRule[]>();
  const family = options.family ?? dump.family ?? guessFamily(dump);
  const notes: string[] = [];
  const byHash = new Map<string, PortUnderConstruction>();

  const portFor = (hash: string, svc: string | undefined, protocol: Protocol | undefined): PortUnderConstruction => {
    let entry = byHash.get(hash);
    if (!entry) {
      entry = {
        hash,
        port: emptyServicePort(protocol ?? 'TCP', family),
        rules: new Set(),
      };
      byHash.set(hash, entry);
    }
    const ref = svc ? parseServicePortString(svc) : undefined;
    if (ref && !entry.port.service) entry.port.service = ref;
    if (protocol) entry.port.protocol = protocol;
    return entry;
  };

  // Frontends that reach the Service's chains.
  for (const rule of nat.get('KUBE-SERVICES') ?? []) {
    const to = SERVICE_CHAIN.exec(target(rule) ?? '');
    if (!to) continue;
    const comment = FRONTEND_COMMENT.exec(option(rule, '--comment') ?? '');
    const entry = portFor(to[2], comment?.[1], toProtocol(option(rule, '-p')));
    entry.rules.add(rule.line);
    // Without a comment only the target tells: SVC/SVL chains serve the cluster IP, EXT/FW external addresses.
    const internal = to[1] === 'SVC' || to[1] === 'SVL';
    const kind: FrontendKind =
      comment?.[2] === 'external IP'
        ? 'external-ip'
        : comment?.[2] === 'loadbalancer IP'
          ? 'load-balancer'
          : internal
            ? 'cluster-ip'
            : 'external-ip';
    const ip = option(rule, '-d');
    const port = Number(option(rule, '--dport'));
    if (ip && port) {
      const ambiguous = !comment && !internal ? { kindAmbiguous: true } : {};
      addFrontend(entry.port, { kind, ip: hostAddress(ip), port, protocol: entry.port.protocol, ...ambiguous });
    }
    if (kind === 'cluster-ip') entry.internalChain = target(rule);
  }
  for (const rule of nat.get('KUBE-NODEPORTS') ?? []) {
    const to = SERVICE_CHAIN.exec(target(rule) ?? '');
    if (!to) continue;
    const entry = portFor(to[2], option(rule, '--comment'), toProtocol(option(rule, '-p')));
    entry.rules.add(rule.line);
    const port = Number(option(rule, '--dport'));
    const ip = option(rule, '-d');
    if (port) {
      addFrontend(entry.port, {
        kind: 'node-port',
        ...(ip ? { ip: hostAddress(ip) } : {}),
        port,
        protocol: entry.port.protocol,
      });
    }
  }

  // Frontends the node refuses (filter table).
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES']) {
    for (const rule of filter.get(chain) ?? []) {
      const comment = VERDICT_COMMENT.exec(option(rule, '--comment') ?? '');
      const verdict = target(rule) === 'REJECT' ? 'reject' : target(rule) === 'DROP' ? 'drop' : undefined;
      const protocol = toProtocol(option(rule, '-p'));
      if (!comment || !verdict || !protocol) continue;
      const entry = portFor(iptablesServiceHash(comment[1], protocol), comment[1], protocol);
      entry.rules.add(rule.line);
      const port = Number(option(rule, '--dport'));
      const ip = option(rule, '-d');
      let kind: FrontendKind;
      if (chain === 'KUBE-SERVICES') {
        kind = 'cluster-ip';
        if (ip) addFrontend(entry.port, { kind, ip: hostAddress(ip), port, protocol });
      } else if (option(rule, '--dst-type') === 'LOCAL' || !ip) {
        kind = 'node-port';
        addFrontend(entry.port, { kind, port, protocol });
      } else {
        const known = entry.port.frontends.find((f) => f.ip === hostAddress(ip) && f.port === port);
        kind = known?.kind ?? 'external-ip';
        if (!known) addFrontend(entry.port, { kind, ip: hostAddress(ip), port, protocol, kindAmbiguous: true });
      }
      addVerdict(entry.port, kind, verdict);
    }
  }
  for (const rule of filter.get('KUBE-PROXY-FIREWALL') ?? []) {
    const chainName = /traffic not accepted by (KUBE-FW-([A-Z2-7]{16}))$/.exec(option(rule, '--comment') ?? '');
    const entry = chainName ? byHash.get(chainName[2]) : undefined;
    if (entry) entry.rules.add(rule.line);
  }

  // Service chains nothing points at (stale, or left by a partial sync) still describe a Service port.
  for (const [chain, rules] of nat) {
    const name = SERVICE_CHAIN.exec(chain);
    if (!name || byHash.has(name[2])) continue;
    const svc = rules.map((r) => chainComment(r)).find((s) => s !== undefined);
    const protocol = rules.map((r) => toProtocol(option(r, '-p'))).find((p) => p !== undefined);
    portFor(name[2], svc, protocol);
    notes.push(`${family} chain ${chain} is not reached from KUBE-SERVICES or KUBE-NODEPORTS`);
  }

  const servicePorts: ProgrammedServicePort[] = [];
  for (const entry of byHash.values()) {
    const { hash, port } = entry;
    // A chain set nothing reaches is read through its KUBE-SVC chain, to show what it would do.
    const orphan = port.frontends.length === 0 && nat.has(`KUBE-SVC-${hash}`);
    const internal = entry.internalChain ?? (orphan ? `KUBE-SVC-${hash}` : undefined);
    if (internal) {
      const read = readPolicyChain(nat, internal, entry.rules, notes);
      port.endpoints = read.endpoints;
      port.masquerade = read.masquerade;
      if (read.affinityTimeoutSeconds !== undefined) port.affinityTimeoutSeconds = read.affinityTimeoutSeconds;
      if (entry.internalChain) port.internalPolicy = internal.startsWith('KUBE-SVL-') ? 'Local' : 'Cluster';
    }
    for (const prefix of ['KUBE-FW-', 'KUBE-EXT-']) {
      for (const rule of nat.get(prefix + hash) ?? []) entry.rules.add(rule.line);
    }
    const external = nat.get(`KUBE-EXT-${hash}`);
    if (external) {
      const fallThrough = external.find((r) => /^KUBE-SV[CL]-/.test(target(r) ?? '') && !isConditional(r));
      const shortCircuits = external.some((r) => option(r, '--src-type') === 'LOCAL');
      const policyChain = fallThrough ? target(fallThrough)! : undefined;
      port.externalPolicy =
        policyChain?.startsWith('KUBE-SVL-') || (!policyChain && shortCircuits) ? 'Local' : 'Cluster';
      if (policyChain !== internal) {
        const read = policyChain ? readPolicyChain(nat, policyChain, entry.rules, notes) : undefined;
        port.externalEndpoints = read?.endpoints ?? [];
        if (read?.affinityTimeoutSeconds !== undefined) port.affinityTimeoutSeconds ??= read.affinityTimeoutSeconds;
      }
    }
    port.rules = [...entry.rules];
    const { service } = port;
    if (!service) {
      notes.push(`${family} chains with hash ${hash} carry no comment naming their Service`);
    } else if (
      iptablesServiceHash(servicePortString(service.namespace, service.name, service.portName), port.protocol) !== hash
    ) {
      // kube-proxy derives both from the same name; a mismatch means the rules were edited by hand or by another tool.
      notes.push(
        `${family} chains with hash ${hash} are commented as ${service.namespace}/${service.name}, whose hash differs`,
      );
    }
    servicePorts.push(port);
  }
  return { family, servicePorts, notes };
}

function chainComment(rule: IptablesRule): string | undefined {
  const comment = option(rule, '--comment');
  if (!comment) return undefined;
  for (const pattern of CHAIN_COMMENTS) {
    const match = pattern.exec(comment);
    if (match && parseServicePortString(match[1])) return match[1];
  }
  return undefined;
}

/** A rule that only applies to some packets: by source address or source type. */
function isConditional(rule: IptablesRule): boolean {
  return rule.args.includes('-s') || rule.args.includes('--src-type') || rule.args.includes('--probability');
}

/**
 * Follows a KUBE-SVC/SVL chain: affinity (recent --rcheck), masquerade, and the probability jumps to
 * KUBE-SEP chains, whose DNAT target is the endpoint. Rule i's probability applies to what rules
 * before it left, so each endpoint's share is the product of the misses before it and its own hit.
 */
function readPolicyChain(
  nat: Map<string, IptablesRule[]>,
  chain: string,
  rules: Set<string>,
  notes: string[],
): { endpoints: ProgrammedEndpoint[]; masquerade: boolean; affinityTimeoutSeconds?: number } {
  const endpoints: ProgrammedEndpoint[] = [];
  let masquerade = false;
  let affinityTimeoutSeconds: number | undefined;
  let remaining = 1;
  for (const rule of nat.get(chain) ?? []) {
    rules.add(rule.line);
    const to = target(rule) ?? '';
    if (to === 'KUBE-MARK-MASQ') {
      masquerade = true;
      continue;
    }
    if (!to.startsWith('KUBE-SEP-')) continue;
    if (rule.args.includes('--rcheck')) {
      const seconds = Number(option(rule, '--seconds'));
      if (seconds) affinityTimeoutSeconds = seconds;
      continue;
    }
    const probability = option(rule, '--probability');
    const hit = probability === undefined ? 1 : Number(probability);
    const share = remaining * hit;
    remaining -= share;
    const destination = readEndpointChain(nat, to, rules);
    if (!destination) {
      notes.push(`${chain} jumps to ${to}, which has no DNAT rule`);
      continue;
    }
    const existing = endpoints.find((e) => e.ip === destination.ip && e.port === destination.port);
    if (existing) existing.share += share;
    else endpoints.push({ ...destination, share });
  }
  for (const endpoint of endpoints) endpoint.share = roundShare(endpoint.share);
  return { endpoints, masquerade, ...(affinityTimeoutSeconds !== undefined ? { affinityTimeoutSeconds } : {}) };
}

function readEndpointChain(nat: Map<string, IptablesRule[]>, chain: string, rules: Set<string>) {
  let destination: { ip: string; port: number } | undefined;
  for (const rule of nat.get(chain) ?? []) {
    rules.add(rule.line);
    const to = option(rule, '--to-destination');
    if (target(rule) === 'DNAT' && to) destination ??= parseHostPort(to);
  }
  return destination;
}

function guessFamily(dump: IptablesDump): IPFamily {
  for (const table of dump.tables.values()) {
    for (const rules of table.chains.values()) {
      for (const rule of rules) {
        const address = option(rule, '-d') ?? option(rule, '-s') ?? option(rule, '--to-destination');
        if (address) return address.includes(':') && !/^[0-9.]+:\d+$/.test(address) ? 'IPv6' : 'IPv4';
      }
    }
  }
  return 'IPv4';
}

/** Whether an iptables-save text holds kube-proxy's KUBE-SERVICES chain (in any table). */
export function holdsKubeServices(text: string): boolean {
  return /^(:KUBE-SERVICES\s|-A KUBE-SERVICES\s)/m.test(text);
}

export interface BackendChoice {
  backend?: 'nft' | 'legacy';
  text?: string;
  notes: string[];
}

/**
 * Picks the iptables backend kube-proxy wrote to: the dump holding KUBE-SERVICES. When both do, the one
 * kubelet marked with KUBE-IPTABLES-HINT / KUBE-KUBELET-CANARY (mangle) wins, else nft (the wrapper's default).
 */
export function chooseIptablesBackend(dumps: { nft?: string; legacy?: string }): BackendChoice {
  const nft = dumps.nft !== undefined && holdsKubeServices(dumps.nft);
  const legacy = dumps.legacy !== undefined && holdsKubeServices(dumps.legacy);
  if (nft && !legacy) return { backend: 'nft', text: dumps.nft, notes: [] };
  if (legacy && !nft) return { backend: 'legacy', text: dumps.legacy, notes: [] };
  if (!nft && !legacy) {
    return { notes: ['neither iptables-nft-save nor iptables-legacy-save output holds KUBE-SERVICES'] };
  }
  const hint = /^:(KUBE-IPTABLES-HINT|KUBE-KUBELET-CANARY)\s/m;
  const backend = hint.test(dumps.legacy!) && !hint.test(dumps.nft!) ? 'legacy' : 'nft';
  return {
    backend,
    text: backend === 'nft' ? dumps.nft : dumps.legacy,
    notes: [
      `both iptables backends hold KUBE-SERVICES; reading ${backend} (the other is likely left over from an earlier kube-proxy or a different host tool)`,
    ],
  };
}
