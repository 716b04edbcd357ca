// The DNS program's output as busybox's nslookup words it (1.36's, crafted here; the netns test
// runs the real one): the server's own Address lines are not answers, NXDOMAIN and other failures
// are told apart, and only an IP address is taken as one.

import { describe, expect, it } from 'vitest';
import { parseDnsOutput } from '../../src/sources/connect/dns.js';

const numbered = (index: number, lines: string[], code: number) => [
  ...lines.map((line) => `${index} ${line}`),
  `${index} exit ${code}`,
];

describe('parseDnsOutput', () => {
  it('answers, failures, and a query the program did not reach', () => {
    const output = [
      ...numbered(
        0,
        [
          'Server:\t\t10.96.0.10',
          'Address:\t10.96.0.10:53',
          '',
          'Name:\tweb.shop.svc.cluster.local',
          'Address: 10.96.0.20',
          'Name:\tweb.shop.svc.cluster.local',
          'Address: FD00::20',
          'Address: \u001b[2Jnot-an-address',
        ],
        0,
      ),
      ...numbered(1, ['Server:\t\t10.96.0.10', "** server can't find gone.shop.svc.cluster.local.: NXDOMAIN"], 1),
      ...numbered(2, ["** server can't find web.shop.svc.cluster.local.: SERVFAIL"], 1),
      ...numbered(3, [';; connection timed out; no servers could be reached'], 1),
      ...numbered(4, ['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '', 'Non-authoritative answer:'], 0),
      'junk line',
    ].join('\n');
    expect(parseDnsOutput(output, 6)).toEqual([
      { result: 'answered', server: 'resolv.conf', addresses: ['10.96.0.20', 'fd00::20'] },
      { result: 'nxdomain', server: 'resolv.conf' },
      { result: 'error', server: 'resolv.conf', detail: 'SERVFAIL' },
      { result: 'timeout', server: 'resolv.conf', detail: 'no answer within the timeout' },
      { result: 'answered', server: 'resolv.conf', addresses: [] },
      undefined,
    ]);
  });
});
