// Dumps cut short or garbled (a pipe that broke, a file edited by hand) never crash a reader: it
// copes or throws DataplaneInputError with a message naming the input.
import { describe, expect, it } from 'vitest';
import { readDataplane } from '../../src/sources/node-rules/detect.js';
import { readIptables } from '../../src/sources/node-rules/iptables.js';
import { readIpsetSave, readIpvs } from '../../src/sources/node-rules/ipvs.js';
import { DataplaneInputError } from '../../src/sources/node-rules/service-ports.js';
import { generateKubeProxyRules } from '../support/kube-proxy-rules.js';
import { healthyCluster } from '../support/kube-proxy-scenarios.js';

const generated = generateKubeProxyRules(healthyCluster());

/** Each line of the text cut at its quarter, half and three quarters, one line at a time. */
function damaged(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) =>
    [0.25, 0.5, 0.75].map((at) =>
      [...lines.slice(0, i), line.slice(0, Math.floor(line.length * at)), ...lines.slice(i + 1)].join('\n'),
    ),
  );
}

function copesOrExplains(read: () => unknown) {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(DataplaneInputError);
  }
}

describe('readers on damaged text', () => {
  it('iptables-save output', () => {
    for (const text of damaged(generated.iptables.IPv4)) copesOrExplains(() => readIptables(text));
  });

  it('/proc/net/ip_vs and ipvsadm-save output', () => {
    for (const text of damaged(generated.procIpVs)) copesOrExplains(() => readIpvs(text, { format: 'proc' }));
    for (const text of damaged(generated.ipvsadmSave))
      copesOrExplains(() => readIpvs(text, { format: 'ipvsadm-save' }));
  });

  it('ipset save output', () => {
    for (const text of damaged(generated.ipsetSave)) copesOrExplains(() => readIpsetSave(text));
  });

  it('whatever readDataplane is given', () => {
    for (const text of [...damaged(generated.iptables.IPv6), ...damaged(generated.procIpVs)]) {
      copesOrExplains(() => readDataplane([{ text }]));
    }
  });
});
