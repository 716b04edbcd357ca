import { describe, expect, it } from 'vitest';
import { iptablesServiceChain } from '../../src/sources/node-rules/chain-names.js';
import { splitRuleWords } from '../../src/sources/node-rules/iptables-save.js';
import { chooseIptablesBackend, readIptables } from '../../src/sources/node-rules/iptables.js';
import { DataplaneInputError } from '../../src/sources/node-rules/service-ports.js';

const SVC = iptablesServiceChain('KUBE-SVC-', 'shop/web:http', 'TCP');
const EXT = SVC.replace('KUBE-SVC-', 'KUBE-EXT-');
const FW = SVC.replace('KUBE-SVC-', 'KUBE-FW-');

function dump(nat: string[], filter: string[] = []): string {
  return [
    '*filter',
    ':KUBE-SERVICES - [0:0]',
    ...filter,
    'COMMIT',
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ...nat,
    'COMMIT',
  ].join('\n');
}

describe('splitRuleWords', () => {
  it.each([
    ['-A X -m comment --comment "a b" -j Y', ['-A', 'X', '-m', 'comment', '--comment', 'a b', '-j', 'Y']],
    ['-A X --comment "say \\"hi\\""', ['-A', 'X', '--comment', 'say "hi"']],
    ['-A X --comment shop/web:http -j Y', ['-A', 'X', '--comment', 'shop/web:http', '-j', 'Y']],
  ])('%s', (line, words) => {
    expect(splitRuleWords(line)).toEqual(words);
  });
});

describe('readIptables on hand-written dumps', () => {
  it('reads old iptables output with unquoted one-word comments', () => {
    const text = dump([
      `-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j ${SVC}`,
      `-A ${SVC} -m comment --comment shop/web:http -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
      `-A ${SVC} -m comment --comment shop/web:http -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-BBBBBBBBBBBBBBBB`,
      `-A ${SVC} -m comment --comment shop/web:http -j KUBE-SEP-CCCCCCCCCCCCCCCC`,
      '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m comment --comment shop/web:http -m tcp -j DNAT --to-destination 10.244.0.1:8080',
      '-A KUBE-SEP-BBBBBBBBBBBBBBBB -p tcp -m comment --comment shop/web:http -m tcp -j DNAT --to-destination 10.244.0.2:8080',
      '-A KUBE-SEP-CCCCCCCCCCCCCCCC -p tcp -m comment --comment shop/web:http -m tcp -j DNAT --to-destination 10.244.0.3:8080',
    ]);
    const [port] = readIptables(text).servicePorts;
    expect(port.service).toEqual({ namespace: 'shop', name: 'web', portName: 'http' });
    expect(port.endpoints).toEqual([
      { ip: '10.244.0.1', port: 8080, share: 0.333333 },
      { ip: '10.244.0.2', port: 8080, share: 0.333333 },
      { ip: '10.244.0.3', port: 8080, share: 0.333333 },
    ]);
    expect(port.rules).toHaveLength(7);
    expect(port.rules[0]).toBe(text.split('\n')[5]);
  });

  it('resolves uneven probabilities into shares', () => {
    const text = dump([
      `-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j ${SVC}`,
      `-A ${SVC} -m statistic --mode random --probability 0.25000000000 -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
      `-A ${SVC} -j KUBE-SEP-BBBBBBBBBBBBBBBB`,
      '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.244.0.1:8080',
      '-A KUBE-SEP-BBBBBBBBBBBBBBBB -p tcp -m tcp -j DNAT --to-destination 10.244.0.2:8080',
    ]);
    expect(readIptables(text).servicePorts[0].endpoints.map((e) => e.share)).toEqual([0.25, 0.75]);
  });

  it('reads a load balancer behind a KUBE-FW chain (loadBalancerSourceRanges)', () => {
    const text = dump(
      [
        `-A KUBE-SERVICES -d 198.51.100.7/32 -p tcp -m comment --comment "shop/web:http loadbalancer IP" -m tcp --dport 80 -j ${FW}`,
        `-A ${FW} -s 203.0.113.0/24 -m comment --comment "shop/web:http loadbalancer IP" -j ${EXT}`,
        `-A ${FW} -m comment --comment "other traffic to shop/web:http will be dropped by KUBE-PROXY-FIREWALL"`,
        `-A ${EXT} -m comment --comment "masquerade traffic for shop/web:http external destinations" -j KUBE-MARK-MASQ`,
        `-A ${EXT} -j ${SVC}`,
        `-A ${SVC} -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
        '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.244.0.1:8080',
      ],
      [
        `-A KUBE-PROXY-FIREWALL -d 198.51.100.7/32 -p tcp -m comment --comment "shop/web:http traffic not accepted by ${FW}" -m tcp --dport 80 -j DROP`,
      ],
    );
    const [port] = readIptables(text).servicePorts;
    expect(port.frontends).toEqual([{ kind: 'load-balancer', ip: '198.51.100.7', port: 80, protocol: 'TCP' }]);
    expect(port.externalPolicy).toBe('Cluster');
    expect(port.externalEndpoints).toEqual([{ ip: '10.244.0.1', port: 8080, share: 1 }]);
    expect(port.rules.some((r) => r.startsWith('-A KUBE-PROXY-FIREWALL'))).toBe(true);
  });

  it('cannot tell external from load-balancer IPs that are only refused, and says so', () => {
    const text = dump(
      [],
      [
        '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "shop/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-EXTERNAL-SERVICES -d 198.51.100.7/32 -p tcp -m comment --comment "shop/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "shop/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable',
      ],
    );
    const [port] = readIptables(text).servicePorts;
    expect(port.frontends).toEqual([
      { kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' },
      { kind: 'external-ip', ip: '198.51.100.7', port: 80, protocol: 'TCP', kindAmbiguous: true },
      { kind: 'node-port', port: 30080, protocol: 'TCP' },
    ]);
    expect(port.verdicts).toEqual([
      { frontend: 'cluster-ip', verdict: 'reject' },
      { frontend: 'external-ip', verdict: 'reject' },
      { frontend: 'node-port', verdict: 'reject' },
    ]);
    expect(port.endpoints).toEqual([]);
  });

  it('reports Service chains nothing reaches, named by the comments inside them', () => {
    const text = dump([
      `-A ${SVC} ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
      '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.244.0.1:8080',
    ]);
    const read = readIptables(text);
    expect(read.servicePorts[0]).toMatchObject({
      service: { namespace: 'shop', name: 'web', portName: 'http' },
      frontends: [],
      endpoints: [{ ip: '10.244.0.1', port: 8080, share: 1 }],
    });
    expect(read.notes).toEqual([`IPv4 chain ${SVC} is not reached from KUBE-SERVICES or KUBE-NODEPORTS`]);
  });

  it('notes chains whose hash does not match the Service their comments name', () => {
    const text = dump([
      `-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "shop/other:http cluster IP" -m tcp --dport 80 -j ${SVC}`,
      `-A ${SVC} -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
      '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination 10.244.0.1:8080',
    ]);
    expect(readIptables(text).notes).toEqual([
      `IPv4 chains with hash ${SVC.slice(-16)} are commented as shop/other, whose hash differs`,
    ]);
  });

  it('reads IPv6 endpoints in brackets and tells the family from the header', () => {
    const text = [
      '# Generated by ip6tables-save v1.8.9 (nf_tables) on Wed Nov 25 22:00:00 2026',
      '*nat',
      `-A KUBE-SERVICES -d fd00:96::a/128 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j ${SVC}`,
      `-A ${SVC} -j KUBE-SEP-AAAAAAAAAAAAAAAA`,
      '-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m tcp -j DNAT --to-destination [fd00:10::1]:8080',
      'COMMIT',
    ].join('\n');
    const read = readIptables(text);
    expect(read.family).toBe('IPv6');
    expect(read.servicePorts[0].frontends[0].ip).toBe('fd00:96::a');
    expect(read.servicePorts[0].endpoints).toEqual([{ ip: 'fd00:10::1', port: 8080, share: 1 }]);
  });

  it.each([
    ['a rule before any table', '-A KUBE-SERVICES -j ACCEPT', /line 1: a rule before any "\*table" line/],
    ['a line that is not a rule', '*nat\nhello world', /line 2: expected "-A <chain> \.\.\."/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => readIptables(text, { source: 'rules.txt' })).toThrow(DataplaneInputError);
    expect(() => readIptables(text, { source: 'rules.txt' })).toThrow(message);
  });
});

describe('chooseIptablesBackend', () => {
  const withServices = '*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n';
  const empty = '';
  const hinted = '*mangle\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n' + withServices;

  it.each<[string, { nft?: string; legacy?: string }, 'nft' | 'legacy' | undefined, number]>([
    ['only nft holds KUBE-SERVICES', { nft: withServices, legacy: empty }, 'nft', 0],
    ['only legacy holds KUBE-SERVICES', { nft: empty, legacy: withServices }, 'legacy', 0],
    ['only one dump given', { legacy: withServices }, 'legacy', 0],
    ['both hold it: nft by default', { nft: withServices, legacy: withServices }, 'nft', 1],
    ['both hold it: kubelet hint in legacy', { nft: withServices, legacy: hinted }, 'legacy', 1],
    ['neither holds it', { nft: empty, legacy: empty }, undefined, 1],
  ])('%s', (_name, dumps, backend, notes) => {
    const choice = chooseIptablesBackend(dumps);
    expect(choice.backend).toBe(backend);
    expect(choice.notes).toHaveLength(notes);
    if (backend) expect(choice.text).toBe(dumps[backend]);
  });
});
