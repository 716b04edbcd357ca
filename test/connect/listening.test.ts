// What a pod listens on, from /proc/net/tcp and /proc/net/tcp6 lines crafted in the kernel's
// format (https://docs.kernel.org/networking/proc_net_tcp.html): addresses as the kernel prints
// its u32 words (little-endian on x86 and arm64, big-endian on s390x), ports in network order.

import { describe, expect, it } from 'vitest';
import { listeningSockets } from '../../src/sources/connect/listening.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const HEADER6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const line = (local: string, state: string, remote = '00000000:0000') =>
  `   0: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000  1000        0 41807 1 0000000000000000 100 0 0 10 0`;

describe('listeningSockets', () => {
  it.each([
    ['127.0.0.1 (little-endian word 0100007F), port 0BB8 = 3000', [line('0100007F:0BB8', '0A')], ['127.0.0.1:3000']],
    ['every IPv4 address', [line('00000000:1F90', '0A')], ['0.0.0.0:8080']],
    ['a pod address, 10.244.1.5 = 0501F40A', [line('0501F40A:1F90', '0A')], ['10.244.1.5:8080']],
    [
      'IPv6 any and loopback (four little-endian words)',
      [line('00000000000000000000000000000000:1F90', '0A'), line('00000000000000000000000001000000:0BB8', '0A')],
      ['[::1]:3000', '[::]:8080'],
    ],
    [
      'an IPv4-mapped IPv6 address keeps its IPv4 part',
      [line('0000000000000000FFFF00000100007F:0050', '0A')],
      ['[::ffff:127.0.0.1]:80'],
    ],
    [
      'a pod IPv6 address, fd00:10:244:1::5',
      [line('100000FD010044020000000005000000:1F90', '0A')],
      ['[fd00:10:244:1::5]:8080'],
    ],
    [
      'established (01), time-wait (06) and the header are not listening',
      [HEADER, HEADER6, line('0501F40A:1F90', '01', '0901F40A:C350'), line('0501F40A:1F90', '06')],
      [],
    ],
    [
      'each socket once, sorted; malformed lines passed over',
      [
        line('0100007F:0BB8', '0A'),
        line('0100007F:0BB8', '0A'),
        line('00000000:0050', '0A'),
        'junk',
        line('XYZ:0050', '0A'),
        line('0100007F', '0A'),
      ],
      ['0.0.0.0:80', '127.0.0.1:3000'],
    ],
  ])('%s', (_name, lines, expected) => {
    expect(listeningSockets(lines)).toEqual(expected);
  });

  it('on a big-endian node (uname -m s390x) the words read in order', () => {
    expect(listeningSockets([line('7F000001:0BB8', '0A')], 's390x')).toEqual(['127.0.0.1:3000']);
    expect(listeningSockets([line('00000000000000000000000000000001:0BB8', '0A')], 's390x')).toEqual(['[::1]:3000']);
    expect(listeningSockets([line('0100007F:0BB8', '0A')], 'x86_64')).toEqual(['127.0.0.1:3000']);
  });
});
