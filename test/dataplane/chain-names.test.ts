import { describe, expect, it } from 'vitest';
import {
  base32,
  iptablesEndpointChain,
  iptablesServiceChain,
  isTruncatedNftName,
  nftEndpointChainBase,
  nftServiceChainBase,
  servicePortString,
} from '../../src/sources/node-rules/chain-names.js';

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %j as RFC 4648 test vector %s (unpadded)', (input, output) => {
    expect(base32(new TextEncoder().encode(input))).toBe(output);
  });
});

describe('iptables chain names', () => {
  it.each([
    ['default', 'kubernetes', 'https', 'TCP', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
    ['kube-system', 'kube-dns', 'dns', 'UDP', 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    ['kube-system', 'kube-dns', 'dns-tcp', 'TCP', 'KUBE-SVC-ERIFXISQEP7F7OF4'],
    ['kube-system', 'kube-dns', 'metrics', 'TCP', 'KUBE-SVC-JD5MR3NA4I4DYORP'],
    ['ns1', 'svc1', 'p80', 'TCP', 'KUBE-SVC-XPGD46QRK7WJZT7O'],
  ] as const)('%s/%s:%s %s → %s', (ns, name, port, proto, chain) => {
    expect(iptablesServiceChain('KUBE-SVC-', servicePortString(ns, name, port), proto)).toBe(chain);
  });

  it('SVL/EXT/FW share the SVC hash', () => {
    const svc = servicePortString('ns1', 'svc1', 'p80');
    expect(iptablesServiceChain('KUBE-EXT-', svc, 'TCP')).toBe('KUBE-EXT-XPGD46QRK7WJZT7O');
    expect(iptablesServiceChain('KUBE-SVL-', svc, 'TCP')).toBe('KUBE-SVL-XPGD46QRK7WJZT7O');
  });

  it('hashes endpoints with the endpoint port', () => {
    expect(iptablesEndpointChain('ns4/svc4:p80', 'TCP', '10.180.0.4', 80)).toBe('KUBE-SEP-UKSFD7AGPMPPLUHC');
    expect(iptablesEndpointChain('ns4/svc4:p80', 'TCP', '10.180.0.4', 81)).not.toBe('KUBE-SEP-UKSFD7AGPMPPLUHC');
  });

  it('an unnamed port has no ":"', () => {
    expect(servicePortString('ns', 'web', '')).toBe('ns/web');
  });
});

describe('nftables chain names', () => {
  it.each([
    ['kube-system', 'kube-dns', 'TCP', 'dns-tcp', 'NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp'],
    ['ns1', 'svc1', 'TCP', 'p80', 'ULMVA6XW-ns1/svc1/tcp/p80'],
  ] as const)('%s/%s %s %s → %s', (ns, name, proto, port, base) => {
    expect(nftServiceChainBase(ns, name, proto, port)).toBe(base);
  });

  it('names endpoints ip/port, IPv6 colons as dots', () => {
    expect(nftEndpointChainBase('ns1', 'svc1', 'TCP', 'p80', '10.180.0.1', 80)).toBe(
      '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
    );
    expect(nftEndpointChainBase('ns1', 'svc1', 'TCP', 'p80', 'fd00:10::1', 80)).toMatch(
      /^[A-Z2-7]{8}-ns1\/svc1\/tcp\/p80__fd00\.10\.\.1\/80$/,
    );
  });

  it('cuts names over 240 characters to 237 plus "..."', () => {
    const base = nftServiceChainBase('n'.repeat(63), 'x'.repeat(63), 'TCP', 'p'.repeat(120));
    expect(base).toHaveLength(240);
    expect(isTruncatedNftName(base)).toBe(true);
    expect(isTruncatedNftName(nftServiceChainBase('ns', 'web', 'TCP', 'http'))).toBe(false);
  });
});
