import { describe, expect, it } from 'vitest';
import { readNftables } from '../../src/sources/node-rules/nftables.js';
import { DataplaneInputError } from '../../src/sources/node-rules/service-ports.js';
import { valueAt } from '../../src/core/json-value.js';

// Minimal `nft -j list table ip kube-proxy` documents, shaped as nft 1.0.6 prints them.
const table = { table: { family: 'ip', name: 'kube-proxy', handle: 1 } };
const map = (name: string, elem: unknown[]) => ({
  map: { family: 'ip', name, table: 'kube-proxy', map: 'verdict', elem },
});
const set = (name: string, elem: unknown[]) => ({ set: { family: 'ip', name, table: 'kube-proxy', elem } });
const chain = (name: string) => ({ chain: { family: 'ip', table: 'kube-proxy', name } });
const rule = (chainName: string, expr: unknown[]) => ({
  rule: { family: 'ip', table: 'kube-proxy', chain: chainName, expr },
});
const goto = (target: string) => ({ goto: { target } });
const doc = (...items: unknown[]) =>
  JSON.stringify({ nftables: [{ metainfo: { json_schema_version: 1 } }, table, ...items] });

const SVC = 'service-KHN6ECMT-shop/web/tcp/http';
const ep = (ip: string) => `endpoint-AAAAAAAA-shop/web/tcp/http__${ip}/8080`;
const dnat = (ip: string) => [
  chain(ep(ip)),
  rule(ep(ip), [
    { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } },
    { dnat: { addr: ip, port: 8080 } },
  ]),
];

describe('readNftables on hand-written JSON', () => {
  it('weighs endpoints by their numgen slots and names the Service from the chain', () => {
    const text = doc(
      map('service-ips', [[{ concat: ['10.96.0.10', 'tcp', 80] }, goto(SVC)]]),
      chain(SVC),
      rule(SVC, [
        {
          vmap: {
            key: { numgen: { mode: 'random', mod: 3, offset: 0 } },
            data: {
              set: [
                [0, goto(ep('10.244.0.1'))],
                [1, goto(ep('10.244.0.1'))],
                [2, goto(ep('10.244.0.2'))],
              ],
            },
          },
        },
      ]),
      ...dnat('10.244.0.1'),
      ...dnat('10.244.0.2'),
    );
    const read = readNftables(text);
    expect(read.families).toEqual(['IPv4']);
    expect(read.servicePorts).toHaveLength(1);
    expect(read.servicePorts[0]).toMatchObject({
      service: { namespace: 'shop', name: 'web', portName: 'http' },
      protocol: 'TCP',
      frontends: [{ kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' }],
      endpoints: [
        { ip: '10.244.0.1', port: 8080, share: 0.666667 },
        { ip: '10.244.0.2', port: 8080, share: 0.333333 },
      ],
      internalPolicy: 'Cluster',
    });
    expect(read.servicePorts[0].rules).toContain(`service-ips: 10.96.0.10 . tcp . 80 : goto ${SVC}`);
  });

  it('notes a chain name whose hash kube-proxy would not have given it', () => {
    const forged = 'service-AAAAAAAA-shop/web/tcp/http';
    const text = doc(map('service-ips', [[{ concat: ['10.96.0.10', 'tcp', 80] }, goto(forged)]]), chain(forged));
    expect(readNftables(text).notes).toEqual([
      'IPv4 chain name AAAAAAAA-shop/web/tcp/http does not carry the hash kube-proxy gives it',
    ]);
  });

  it('reads drop and reject verdicts, the cluster IP known from cluster-ips', () => {
    const text = doc(
      set('cluster-ips', ['10.96.0.10']),
      map('no-endpoint-services', [
        [{ elem: { val: { concat: ['10.96.0.10', 'tcp', 80] }, comment: 'shop/web:http' } }, goto('reject-chain')],
        [{ elem: { val: { concat: ['203.0.113.9', 'tcp', 80] }, comment: 'shop/web:http' } }, goto('reject-chain')],
      ]),
      map('no-endpoint-nodeports', [
        [{ elem: { val: { concat: ['tcp', 30080] }, comment: 'shop/web:http' } }, { drop: null }],
      ]),
    );
    const [port] = readNftables(text).servicePorts;
    expect(port.frontends).toEqual([
      { kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol: 'TCP' },
      { kind: 'external-ip', ip: '203.0.113.9', port: 80, protocol: 'TCP', kindAmbiguous: true },
      { kind: 'node-port', port: 30080, protocol: 'TCP' },
    ]);
    expect(port.verdicts).toEqual([
      { frontend: 'cluster-ip', verdict: 'reject' },
      { frontend: 'external-ip', verdict: 'reject' },
      { frontend: 'node-port', verdict: 'drop' },
    ]);
  });

  it('knows load-balancer IPs from firewall-ips', () => {
    const text = doc(
      map('service-ips', [[{ concat: ['198.51.100.7', 'tcp', 80] }, goto('external-KHN6ECMT-shop/web/tcp/http')]]),
      map('firewall-ips', [[{ concat: ['198.51.100.7', 'tcp', 80] }, goto('firewall-KHN6ECMT-shop/web/tcp/http')]]),
    );
    expect(readNftables(text).servicePorts[0].frontends).toEqual([
      { kind: 'load-balancer', ip: '198.51.100.7', port: 80, protocol: 'TCP' },
    ]);
  });

  it('reads one document per line (ip and ip6 tables listed one after the other)', () => {
    const v6 = JSON.stringify({ nftables: [{ table: { family: 'ip6', name: 'kube-proxy' } }] });
    expect(readNftables(`${doc()}\n${v6}\n`).families).toEqual(['IPv4', 'IPv6']);
  });

  it('notes a listing without a kube-proxy table', () => {
    const read = readNftables(JSON.stringify({ nftables: [{ table: { family: 'ip', name: 'filter' } }] }), {
      source: 'n.json',
    });
    expect(read.servicePorts).toEqual([]);
    expect(read.notes).toEqual(['n.json holds no kube-proxy table']);
  });

  it.each([
    ['text that is not JSON', 'table ip kube-proxy {', /n\.json is not nft JSON .*nft -j list table ip kube-proxy/],
    ['JSON without "nftables"', '{"tables": []}', /n\.json has no "nftables" array/],
    ['an entry that is not an object', '{"nftables": [1]}', /is not an object/],
    [
      'a rule without expr',
      JSON.stringify({ nftables: [table, { rule: { family: 'ip', table: 'kube-proxy', chain: 'x' } }] }),
      /no "expr" list/,
    ],
  ])('rejects %s with a DataplaneInputError', (_name, text, message) => {
    expect(() => readNftables(text, { source: 'n.json' })).toThrow(DataplaneInputError);
    expect(() => readNftables(text, { source: 'n.json' })).toThrow(message);
  });
});

describe('readNftables on damaged JSON', () => {
  // Every value of a valid document replaced in turn by null, a number, a string and a list: the
  // reader either copes or throws DataplaneInputError, never anything else.
  const valid: unknown = JSON.parse(
    doc(
      set('cluster-ips', ['10.96.0.10']),
      map('service-ips', [[{ concat: ['10.96.0.10', 'tcp', 80] }, goto(SVC)]]),
      map('no-endpoint-nodeports', [
        [{ elem: { val: { concat: ['tcp', 30080] }, comment: 'shop/web:http' } }, { drop: null }],
      ]),
      chain(SVC),
      rule(SVC, [
        {
          vmap: {
            key: { numgen: { mode: 'random', mod: 1, offset: 0 } },
            data: { set: [[0, goto(ep('10.244.0.1'))]] },
          },
        },
      ]),
      ...dnat('10.244.0.1'),
    ),
  );
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (path.length) paths.push(path);
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
    }
  };
  walk(valid, []);

  it.each([null, 7, 'x', []])('replacing any value with %j', (replacement) => {
    for (const path of paths) {
      const damaged = structuredClone(valid);
      const parent = valueAt(damaged, ...path.slice(0, -1)) as Record<string | number, unknown>;
      parent[path[path.length - 1]] = replacement;
      try {
        readNftables(JSON.stringify(damaged));
      } catch (e) {
        expect(e, path.join('.')).toBeInstanceOf(DataplaneInputError);
      }
    }
  });
});
