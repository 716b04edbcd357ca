// The readers against the project's own rule generator: first on the generated text itself, then
// after loading it into real iptables (nft and legacy backends), ip6tables and nft in a throwaway
// network namespace and reading it back with the save/list tools, for every breakage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIptables } from '../../src/sources/node-rules/iptables.js';
import { readNftables } from '../../src/sources/node-rules/nftables.js';
import type { IPFamily, ProgrammedServicePort } from '../../src/sources/node-rules/types.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { healthyCluster, scenarios } from '../support/kube-proxy-scenarios.js';
import { canUseNetns, createNetns, deleteNetns, mustRunInNetns } from '../support/netns.js';
import { canonical } from './compare.js';

const FAMILIES: IPFamily[] = ['IPv4', 'IPv6'];

function key(p: ProgrammedServicePort): string {
  return JSON.stringify([p.service, p.protocol, p.family]);
}

/** Compares read ports with the generator's, naming LB and external IPs alike where the reader could not tell. */
function expectSameModel(read: ProgrammedServicePort[], expected: ProgrammedServicePort[]) {
  const ambiguous = new Set(read.filter((p) => p.frontends.some((f) => f.kindAmbiguous)).map(key));
  const collapse = (p: ProgrammedServicePort) => ambiguous.has(key(p));
  expect(canonical(read, collapse)).toEqual(canonical(expected, collapse));
}

const ofFamily = (ports: ProgrammedServicePort[], family: IPFamily) => ports.filter((p) => p.family === family);

describe('generated rules, read from their text', () => {
  it.each(scenarios().flatMap((s) => FAMILIES.map((family) => ({ ...s, family }))))(
    'iptables $family: $name',
    ({ input, family }) => {
      const generated = generateKubeProxyRules(input);
      const read = readIptables(generated.iptables[family], { family });
      expectSameModel(read.servicePorts, ofFamily(generated.expected, family));
      expect(read.notes).toEqual([]);
    },
  );

  it('every breakage changes the expected model (so the comparisons above can fail)', () => {
    const healthy = JSON.stringify(canonical(generateKubeProxyRules(healthyCluster()).expected, () => false));
    for (const s of scenarios().filter((s) => s.name !== 'healthy' && !s.input.largeCluster)) {
      expect(JSON.stringify(canonical(generateKubeProxyRules(s.input).expected, () => false)), s.name).not.toBe(
        healthy,
      );
    }
  });
});

const skipReason = canUseNetns([
  'ip',
  'iptables-nft-restore',
  'iptables-nft-save',
  'iptables-legacy-restore',
  'iptables-legacy-save',
  'ip6tables-nft-restore',
  'ip6tables-nft-save',
  'ip6tables-legacy-restore',
  'ip6tables-legacy-save',
  'nft',
]);
if (skipReason) console.warn(`skipping dataplane tests with real iptables/nft: ${skipReason}`);

describe.skipIf(!!skipReason)('generated rules, loaded into a network namespace and read back', () => {
  let netns = '';
  beforeAll(() => {
    netns = createNetns();
  });
  afterAll(() => {
    if (netns) deleteNetns(netns);
  });

  const tools = {
    nft: { IPv4: ['iptables-nft-restore', 'iptables-nft-save'], IPv6: ['ip6tables-nft-restore', 'ip6tables-nft-save'] },
    legacy: {
      IPv4: ['iptables-legacy-restore', 'iptables-legacy-save'],
      IPv6: ['ip6tables-legacy-restore', 'ip6tables-legacy-save'],
    },
  } as const;

  it.each(
    scenarios().flatMap((s) =>
      (['nft', 'legacy'] as const).flatMap((backend) => FAMILIES.map((family) => ({ ...s, backend, family }))),
    ),
  )('iptables-$backend $family: $name', ({ input, backend, family }) => {
    const generated = generateKubeProxyRules(input);
    const [restore, save] = tools[backend][family];
    mustRunInNetns(netns, [restore], generated.iptables[family]);
    const saved = mustRunInNetns(netns, [save]);
    const read = readIptables(saved, { source: save });
    expect(read.family).toBe(family);
    expectSameModel(read.servicePorts, ofFamily(generated.expected, family));
    expect(read.notes).toEqual([]);
  });

  it.each(scenarios())('nft: $name', ({ input }) => {
    const generated = generateKubeProxyRules(input);
    mustRunInNetns(netns, ['nft', 'flush', 'ruleset']);
    mustRunInNetns(netns, ['nft', '-f', '-'], generated.nft.IPv4 + generated.nft.IPv6);
    for (const family of FAMILIES) {
      const json = mustRunInNetns(netns, [
        'nft',
        '-j',
        'list',
        'table',
        family === 'IPv4' ? 'ip' : 'ip6',
        'kube-proxy',
      ]);
      const read = readNftables(json);
      expect(read.families).toEqual([family]);
      expectSameModel(read.servicePorts, ofFamily(generated.expected, family));
      expect(read.notes).toEqual([]);
    }
  });
});
