import { describe, expect, it } from 'vitest';
import type { RuleDump } from '../../src/sources/node/dump-commands.js';
import { goDurationSeconds, modeFromArgs, modeFromConfig } from '../../src/sources/node/mode.js';
import { detectModes } from '../../src/sources/node-rules/detect.js';
import { dumpInputs } from '../../src/sources/node/read.js';

describe('mode from the kube-proxy ConfigMap (config.conf)', () => {
  it.each([
    ['mode: ""', 'iptables'],
    ['kind: KubeProxyConfiguration', 'iptables'],
    ['mode: iptables', 'iptables'],
    ['mode: ipvs', 'ipvs'],
    ['mode: nftables', 'nftables'],
    ['{"kind":"KubeProxyConfiguration","mode":"ipvs"}', 'ipvs'],
  ])('%s → %s (empty means iptables on Linux)', (text, mode) => {
    expect(
      modeFromConfig(`apiVersion: kubeproxy.config.k8s.io/v1alpha1\n${text}\n`).mode ?? modeFromConfig(text).mode,
    ).toBe(mode);
  });

  it('an unknown mode is reported, not guessed', () => {
    expect(modeFromConfig('mode: kernelspace\n')).toEqual({ unknown: 'kernelspace' });
    expect(modeFromConfig('mode: {name: ipvs}\n')).toEqual({ unknown: '{"name":"ipvs"}' });
  });

  it('text that is not YAML tells nothing', () => {
    expect(modeFromConfig('mode: [unclosed')).toEqual({});
  });

  it('reads the sync period', () => {
    expect(modeFromConfig('mode: ipvs\nsyncPeriod: 1m0s\n')).toEqual({ mode: 'ipvs', syncPeriodSeconds: 60 });
    expect(goDurationSeconds('30s')).toBe(30);
    expect(goDurationSeconds('1h0m0s')).toBe(3600);
    expect(goDurationSeconds('500ms')).toBe(0.5);
    expect(goDurationSeconds('soon')).toBeUndefined();
  });
});

describe('mode from the kube-proxy command line', () => {
  it('--proxy-mode counts only without --config (kube-proxy ignores it then)', () => {
    expect(modeFromArgs(['kube-proxy', '--proxy-mode=ipvs'])).toBe('ipvs');
    expect(modeFromArgs(['kube-proxy', '--proxy-mode', 'nftables'])).toBe('nftables');
    expect(
      modeFromArgs(['kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--proxy-mode=ipvs']),
    ).toBeUndefined();
    expect(modeFromArgs(['kube-proxy', '--config', '/etc/kp.yaml'])).toBeUndefined();
  });
  it('no flag at all: the Linux default, iptables', () => {
    expect(modeFromArgs(['/usr/local/bin/kube-proxy', '--hostname-override=node-a'])).toBe('iptables');
  });
});

describe('mode from the rules the commands returned', () => {
  const iptables = '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-NODEPORTS\nCOMMIT\n';
  const nft = '{"nftables": [{"metainfo": {}}, {"table": {"family": "ip", "name": "kube-proxy", "handle": 1}}]}';
  const ipvs =
    'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP  0A60000A:0050 rr\n';
  const shown = (outputs: RuleDump['outputs']) => detectModes(dumpInputs({ outputs, failures: [] }));
  it('an nft kube-proxy table means nftables', () => expect(shown({ 'nft-IPv4': nft })[0]).toBe('nftables'));
  it('IPVS virtual servers win over KUBE-SERVICES chains (ipvs mode keeps iptables rules)', () =>
    expect(shown({ 'iptables-nft-IPv4': iptables, 'proc-ip-vs': ipvs })[0]).toBe('ipvs'));
  it('KUBE-SERVICES alone means iptables, from either backend', () =>
    expect(shown({ 'iptables-nft-IPv4': '', 'iptables-legacy-IPv4': iptables })[0]).toBe('iptables'));
  it('nothing of kube-proxy: no mode', () =>
    expect(shown({ 'iptables-nft-IPv4': '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' })).toEqual([]));
});
