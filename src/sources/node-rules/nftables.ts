// Reads kube-proxy's nftables mode rules from `nft -j list table ip kube-proxy` (and ip6) into one
// entry per Service port. The maps name the frontends; the chains (readable names) name the Service
// and lead to the endpoints through a numgen vmap. See docs/kube-proxy-dataplane.md#nftables-mode.
import { isJsonArray, isJsonObject, stringAt, valueAt, type JsonObject } from '../../core/json-value.js';
import { isTruncatedNftName, nftServiceChainBase } from './chain-names.js';
import {
  addFrontend,
  addVerdict,
  DataplaneInputError,
  emptyServicePort,
  parseServicePortString,
  roundShare,
  toProtocol,
} from './service-ports.js';
import type { FrontendKind, IPFamily, ProgrammedEndpoint, ProgrammedServicePort, Protocol } from './types.js';

/** A rule as nft -j lists it; its expressions are read field by field. */
interface NftRule {
  chain: string;
  expr: unknown[];
  comment?: string;
}

interface NftTable {
  family: IPFamily;
  sets: Map<string, JsonObject>;
  chains: Map<string, NftRule[]>;
}

export interface NftablesReading {
  families: IPFamily[];
  servicePorts: ProgrammedServicePort[];
  notes: string[];
}

/** Parses one or more `nft -j list ...` documents (one per line, or a single one) into kube-proxy tables. */
function parseDocuments(text: string, source: string): NftTable[] {
  let documents: unknown[];
  try {
    documents = [JSON.parse(text) as unknown];
  } catch {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    try {
      documents = lines.map((l) => JSON.parse(l) as unknown);
    } catch (e) {
      throw new DataplaneInputError(
        `${source} is not nft JSON (${(e as Error).message}); give the output of "nft -j list table ip kube-proxy"`,
      );
    }
  }
  const tables = new Map<string, NftTable>();
  for (const document of documents) {
    const entries = valueAt(document, 'nftables');
    if (!isJsonArray(entries)) {
      throw new DataplaneInputError(
        `${source} has no "nftables" array; give the output of "nft -j list table ip kube-proxy"`,
      );
    }
    const tableOf = (o: unknown): NftTable | undefined => {
      if (!isJsonObject(o) || (o.table !== 'kube-proxy' && o.name !== 'kube-proxy')) return undefined;
      const family: IPFamily | undefined = o.family === 'ip' ? 'IPv4' : o.family === 'ip6' ? 'IPv6' : undefined;
      if (!family) return undefined;
      let table = tables.get(family);
      if (!table) {
        table = { family, sets: new Map(), chains: new Map() };
        tables.set(family, table);
      }
      return table;
    };
    for (const item of entries) {
      if (!isJsonObject(item)) {
        throw new DataplaneInputError(`${source}: an entry of "nftables" is not an object; is this nft -j output?`);
      }
      if (item.table) tableOf(item.table);
      const set = item.set ?? item.map;
      if (isJsonObject(set) && set.table === 'kube-proxy' && typeof set.name === 'string') {
        tableOf(set)?.sets.set(set.name, set);
      }
      const { chain, rule } = item;
      if (isJsonObject(chain) && chain.table === 'kube-proxy' && typeof chain.name === 'string') {
        const table = tableOf(chain);
        if (table && !table.chains.has(chain.name)) table.chains.set(chain.name, []);
      }
      if (isJsonObject(rule) && rule.table === 'kube-proxy') {
        const table = tableOf(rule);
        if (!table) continue;
        if (!isJsonArray(rule.expr)) {
          throw new DataplaneInputError(
            `${source}: rule in chain ${String(rule.chain)} has no "expr" list; is this nft -j output?`,
          );
        }
        if (typeof rule.chain !== 'string') continue;
        const rules = table.chains.get(rule.chain) ?? [];
        rules.push({ chain: rule.chain, expr: rule.expr, comment: stringAt(rule, 'comment') });
        table.chains.set(rule.chain, rules);
      }
    }
  }
  return [...tables.values()];
}

interface NftElement {
  /** The key's parts: one, or those of a concatenation (ip . protocol . port). */
  key: unknown[];
  /** A map element's verdict ({ goto: { target } }, { drop: null }, ...). */
  verdict?: unknown;
  comment?: string;
}

/** Map/set elements as key parts, verdict and comment; a map element that is not a [key, verdict] pair is left out. */
function elements(set: JsonObject | undefined): NftElement[] {
  if (!set || !isJsonArray(set.elem)) return [];
  return set.elem.flatMap((e) => {
    if (set.map && !isJsonArray(e)) return [];
    const [keyPart, verdict] = set.map && isJsonArray(e) ? e : [e];
    let key = keyPart;
    const elem = valueAt(key, 'elem');
    const comment = stringAt(elem, 'comment');
    if (isJsonObject(elem)) key = elem.val;
    const concat = valueAt(key, 'concat');
    return [{ key: isJsonArray(concat) ? concat : [key], verdict, comment }];
  });
}

function gotoTarget(verdict: unknown): string | undefined {
  return stringAt(verdict, 'goto', 'target') ?? stringAt(verdict, 'jump', 'target');
}

const SERVICE_CHAIN = /^(service|local|external|firewall)-([A-Z2-7]{8}-.*)$/;

interface PortUnderConstruction {
  port: ProgrammedServicePort;
  internalChain?: string;
  rules: Set<string>;
}

/** kube-proxy's Service ports from `nft -j list table ip|ip6 kube-proxy` output (one or both families). */
export function readNftables(text: string, options: { source?: string } = {}): NftablesReading {
  const source = options.source ?? 'nft JSON';
  const tables = parseDocuments(text, source);
  const notes: string[] = [];
  if (tables.length === 0) notes.push(`${source} holds no kube-proxy table`);
  const servicePorts = tables.flatMap((table) => readTable(table, notes));
  return { families: tables.map((t) => t.family), servicePorts, notes };
}

function readTable(table: NftTable, notes: string[]): ProgrammedServicePort[] {
  const { family } = table;
  const byBase = new Map<string, PortUnderConstruction>();
  const clusterIPs = new Set(elements(table.sets.get('cluster-ips')).map((e) => String(e.key[0])));
  const firewalled = new Set(elements(table.sets.get('firewall-ips')).map((e) => e.key.slice(0, 3).join(' ')));

  const portFor = (base: string, protocol: Protocol | undefined, svc?: string): PortUnderConstruction => {
    let entry = byBase.get(base);
    if (!entry) {
      entry = {
        port: emptyServicePort(protocol ?? 'TCP', family),
        rules: new Set(),
      };
      const readable = /^[A-Z2-7]{8}-([^/]+)\/([^/]+)\/([a-z]+)\/(.*)$/.exec(base);
      if (readable && !isTruncatedNftName(base)) {
        entry.port.service = { namespace: readable[1], name: readable[2], portName: readable[4] };
        entry.port.protocol = toProtocol(readable[3]) ?? entry.port.protocol;
      } else if (svc) {
        const ref = parseServicePortString(svc);
        if (ref) entry.port.service = ref;
      }
      if (isTruncatedNftName(base)) notes.push(`${family} chain name ${base} was truncated by kube-proxy`);
      byBase.set(base, entry);
    }
    if (protocol) entry.port.protocol = protocol;
    return entry;
  };
  const describe = (map: string, key: unknown[], verdict: unknown, comment?: string) =>
    `${map}: ${key.join(' . ')}${comment ? ` comment "${comment}"` : ''} : ${verdictText(verdict)}`;

  for (const e of elements(table.sets.get('service-ips'))) {
    const target = gotoTarget(e.verdict);
    const chain = SERVICE_CHAIN.exec(target ?? '');
    if (!chain) continue;
    const [ip, proto, port] = [String(e.key[0]), toProtocol(String(e.key[1])), Number(e.key[2])];
    const entry = portFor(chain[2], proto);
    entry.rules.add(describe('service-ips', e.key, e.verdict));
    if (chain[1] === 'service' || chain[1] === 'local') {
      addFrontend(entry.port, { kind: 'cluster-ip', ip, port, protocol: entry.port.protocol });
      entry.internalChain = target;
    } else {
      addFrontend(entry.port, externalFrontend(ip, port, entry.port.protocol, firewalled, chain[1] === 'firewall'));
    }
  }
  for (const e of elements(table.sets.get('firewall-ips'))) {
    const chain = SERVICE_CHAIN.exec(gotoTarget(e.verdict) ?? '');
    if (!chain) continue;
    const entry = portFor(chain[2], toProtocol(String(e.key[1])));
    entry.rules.add(describe('firewall-ips', e.key, e.verdict, e.comment));
    addFrontend(entry.port, {
      kind: 'load-balancer',
      ip: String(e.key[0]),
      port: Number(e.key[2]),
      protocol: entry.port.protocol,
    });
  }
  for (const e of elements(table.sets.get('service-nodeports'))) {
    const chain = SERVICE_CHAIN.exec(gotoTarget(e.verdict) ?? '');
    if (!chain) continue;
    const entry = portFor(chain[2], toProtocol(String(e.key[0])));
    entry.rules.add(describe('service-nodeports', e.key, e.verdict));
    addFrontend(entry.port, { kind: 'node-port', port: Number(e.key[1]), protocol: entry.port.protocol });
  }
  for (const [mapName, nodePorts] of [
    ['no-endpoint-services', false],
    ['no-endpoint-nodeports', true],
  ] as const) {
    for (const e of elements(table.sets.get(mapName))) {
      const verdict =
        gotoTarget(e.verdict) === 'reject-chain'
          ? 'reject'
          : isJsonObject(e.verdict) && 'drop' in e.verdict
            ? 'drop'
            : undefined;
      const ref = e.comment ? parseServicePortString(e.comment) : undefined;
      const protocol = toProtocol(String(nodePorts ? e.key[0] : e.key[1]));
      if (!verdict || !ref || !protocol) {
        notes.push(`${family} ${mapName} element ${e.key.join(' . ')} names no Service or verdict kube-proxy writes`);
        continue;
      }
      const entry = portFor(nftServiceChainBase(ref.namespace, ref.name, protocol, ref.portName), protocol, e.comment);
      entry.port.service ??= ref;
      entry.rules.add(describe(mapName, e.key, e.verdict, e.comment));
      let kind: FrontendKind;
      if (nodePorts) {
        kind = 'node-port';
        addFrontend(entry.port, { kind, port: Number(e.key[1]), protocol });
      } else {
        const [ip, port] = [String(e.key[0]), Number(e.key[2])];
        const known = entry.port.frontends.find((f) => f.ip === ip && f.port === port);
        const frontend = clusterIPs.has(ip)
          ? { kind: 'cluster-ip' as const, ip, port, protocol }
          : externalFrontend(ip, port, protocol, firewalled, false);
        kind = known && !known.kindAmbiguous ? known.kind : frontend.kind;
        addFrontend(entry.port, frontend);
      }
      addVerdict(entry.port, kind, verdict);
    }
  }
  for (const chain of table.chains.keys()) {
    const name = SERVICE_CHAIN.exec(chain);
    if (!name || byBase.has(name[2])) continue;
    portFor(name[2], undefined);
    notes.push(`${family} chain ${chain} is not reached from the service-ips or service-nodeports maps`);
  }

  const ports: ProgrammedServicePort[] = [];
  for (const [base, entry] of byBase) {
    const { port } = entry;
    const orphan = port.frontends.length === 0 && table.chains.has(`service-${base}`);
    const internal = entry.internalChain ?? (orphan ? `service-${base}` : undefined);
    if (internal) {
      const read = readPolicyChain(table, internal, entry.rules, notes);
      port.endpoints = read.endpoints;
      port.masquerade = read.masquerade;
      if (read.affinityTimeoutSeconds !== undefined) port.affinityTimeoutSeconds = read.affinityTimeoutSeconds;
      if (entry.internalChain) port.internalPolicy = internal.startsWith('local-') ? 'Local' : 'Cluster';
    }
    for (const rule of table.chains.get(`firewall-${base}`) ?? []) entry.rules.add(ruleText(rule));
    const external = table.chains.get(`external-${base}`);
    if (external) {
      for (const rule of external) entry.rules.add(ruleText(rule));
      const fallThrough = external.find(
        (r) => !r.expr.some((x) => valueAt(x, 'match')) && /^(service|local)-/.test(ruleGoto(r) ?? ''),
      );
      const shortCircuits = external.some((r) => r.expr.some((x) => valueAt(x, 'match', 'left', 'fib')));
      const policyChain = fallThrough ? ruleGoto(fallThrough) : undefined;
      port.externalPolicy = policyChain?.startsWith('local-') || (!policyChain && shortCircuits) ? 'Local' : 'Cluster';
      if (policyChain !== internal) {
        const read = policyChain ? readPolicyChain(table, policyChain, entry.rules, notes) : undefined;
        port.externalEndpoints = read?.endpoints ?? [];
        if (read?.affinityTimeoutSeconds !== undefined) port.affinityTimeoutSeconds ??= read.affinityTimeoutSeconds;
      }
    }
    port.rules = [...entry.rules];
    const { service } = port;
    if (!service) {
      notes.push(`${family} chains ${base} do not name their Service`);
    } else if (
      !isTruncatedNftName(base) &&
      nftServiceChainBase(service.namespace, service.name, port.protocol, service.portName) !== base
    ) {
      // kube-proxy derives the hash from the readable part; a mismatch means another writer.
      notes.push(`${family} chain name ${base} does not carry the hash kube-proxy gives it`);
    }
    ports.push(port);
  }
  return ports;
}

function externalFrontend(ip: string, port: number, protocol: Protocol, firewalled: Set<string>, viaFirewall: boolean) {
  const loadBalancer = viaFirewall || firewalled.has(`${ip} ${protocol.toLowerCase()} ${port}`);
  return loadBalancer
    ? { kind: 'load-balancer' as const, ip, port, protocol }
    : { kind: 'external-ip' as const, ip, port, protocol, kindAmbiguous: true };
}

function ruleGoto(rule: NftRule): string | undefined {
  for (const x of rule.expr) {
    const target = gotoTarget(x);
    if (target) return target;
  }
  return undefined;
}

function verdictText(verdict: unknown): string {
  if (!isJsonObject(verdict)) return String(verdict);
  const [kind] = Object.keys(verdict);
  const target = gotoTarget(verdict);
  return target ? `${kind} ${target}` : kind;
}

/** A rule as "chain: <expr JSON>", for --raw. */
function ruleText(rule: NftRule): string {
  return `${rule.chain}: ${JSON.stringify(rule.expr)}${rule.comment ? ` comment "${rule.comment}"` : ''}`;
}

/** Follows a service-/local- chain: masquerade, affinity sets, and the numgen vmap to endpoint chains. */
function readPolicyChain(
  table: NftTable,
  chain: string,
  rules: Set<string>,
  notes: string[],
): { endpoints: ProgrammedEndpoint[]; masquerade: boolean; affinityTimeoutSeconds?: number } {
  const endpoints: ProgrammedEndpoint[] = [];
  let masquerade = false;
  let affinityTimeoutSeconds: number | undefined;
  for (const rule of table.chains.get(chain) ?? []) {
    rules.add(ruleText(rule));
    const target = ruleGoto(rule);
    if (target === 'mark-for-masquerade') {
      masquerade = true;
      continue;
    }
    const affinitySet = rule.expr
      .map((x) => valueAt(x, 'match', 'right'))
      .find((r) => typeof r === 'string' && r.startsWith('@affinity-'));
    if (typeof affinitySet === 'string') {
      const timeout = table.sets.get(affinitySet.slice(1))?.timeout;
      if (typeof timeout === 'number') affinityTimeoutSeconds = timeout;
      continue;
    }
    const vmap = rule.expr.map((x) => valueAt(x, 'vmap')).find((v) => valueAt(v, 'key', 'numgen'));
    if (!vmap) continue;
    const set = valueAt(vmap, 'data', 'set');
    const slots = isJsonArray(set) ? set : [];
    const mod = Number(valueAt(vmap, 'key', 'numgen', 'mod')) || slots.length;
    for (const slot of slots) {
      const endpointChain = gotoTarget(valueAt(slot, 1));
      const destination = endpointChain ? readEndpointChain(table, endpointChain, rules) : undefined;
      if (!destination) {
        notes.push(`${chain} sends traffic to ${endpointChain ?? 'an unnamed verdict'}, which has no dnat rule`);
        continue;
      }
      const existing = endpoints.find((e) => e.ip === destination.ip && e.port === destination.port);
      if (existing) existing.share += 1 / mod;
      else endpoints.push({ ...destination, share: 1 / mod });
    }
  }
  for (const endpoint of endpoints) endpoint.share = roundShare(endpoint.share);
  return { endpoints, masquerade, ...(affinityTimeoutSeconds !== undefined ? { affinityTimeoutSeconds } : {}) };
}

function readEndpointChain(
  table: NftTable,
  chain: string,
  rules: Set<string>,
): { ip: string; port: number } | undefined {
  let destination: { ip: string; port: number } | undefined;
  for (const rule of table.chains.get(chain) ?? []) {
    rules.add(ruleText(rule));
    const dnat = rule.expr.map((x) => valueAt(x, 'dnat')).find(Boolean);
    const [ip, port] = [valueAt(dnat, 'addr'), valueAt(dnat, 'port')];
    if (typeof ip === 'string' && port !== undefined) destination ??= { ip, port: Number(port) };
  }
  return destination;
}
