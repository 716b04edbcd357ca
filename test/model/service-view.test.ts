import { describe, expect, it } from 'vitest';
import { readyBackends, sliceEntriesForPod, viewService } from '../../src/model/service-view.js';
import { endpointOf, ipFor, node, pod, service, slice, type Raw } from '../support/objects.js';
import { modelFromRaw } from '../../src/model/from-raw.js';

function viewOf(objects: Raw[], name = 'web') {
  const model = modelFromRaw(objects);
  const view = viewService(model, model.service('shop', name)!);
  const entries = (podName: string) =>
    sliceEntriesForPod(view, model.pod('shop', podName)!).map((e) => `${e.slice.meta.name}:${e.endpoint.addresses[0]}`);
  return { model, view, entries };
}

describe('sliceEntriesForPod: where a pod is listed among the slices', () => {
  it('finds a pod by its targetRef in every slice that lists it', () => {
    const { entries } = viewOf([
      service('web'),
      pod('web-1'),
      pod('web-2'),
      slice('web', { name: 'web-a', endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
      slice('web', { name: 'web-b', managedBy: 'by-hand', endpoints: [endpointOf('web-1')] }),
    ]);
    expect(entries('web-1')).toEqual([`web-a:${ipFor('web-1')}`, `web-b:${ipFor('web-1')}`]);
    expect(entries('web-2')).toEqual([`web-a:${ipFor('web-2')}`]);
  });

  it('matches an endpoint without a targetRef by address, and only by address', () => {
    const { entries } = viewOf([
      service('web'),
      pod('web-1'),
      pod('web-2'),
      // A hand-made endpoint carrying web-1's IP but no targetRef; one naming web-1 but with another IP.
      slice('web', {
        name: 'by-hand',
        managedBy: 'by-hand',
        endpoints: [{ ip: ipFor('web-1') }, { ip: '10.9.9.9', pod: 'web-1' }],
      }),
    ]);
    expect(entries('web-1')).toEqual(['by-hand:10.9.9.9', `by-hand:${ipFor('web-1')}`]);
    expect(entries('web-2')).toEqual([]);
  });

  it('lists an endpoint once for a dual-stack pod whose two IPs it carries', () => {
    const byHand = slice('web', { name: 'by-hand', managedBy: 'by-hand', endpoints: [{ ip: '10.1.0.7' }] });
    (byHand.endpoints as Raw[])[0].addresses = ['10.1.0.7', 'fd00::7'];
    const objects = [service('web'), pod('web-1', { ips: ['10.1.0.7', 'fd00::7'] }), byHand];
    expect(viewOf(objects).entries('web-1')).toEqual(['by-hand:10.1.0.7']);
  });

  it("matches a targetRef by namespace and name; one without a namespace means the slice's", () => {
    const webA = slice('web', { name: 'web-a', endpoints: [endpointOf('web-1')] });
    const ref = (webA.endpoints as Raw[])[0].targetRef as Raw;
    const objects = [service('web'), pod('web-1'), webA];
    ref.namespace = 'other';
    expect(viewOf(objects).entries('web-1')).toEqual([]);
    delete ref.namespace;
    expect(viewOf(objects).entries('web-1')).toEqual([`web-a:${ipFor('web-1')}`]);
  });
});

describe('counts and readyBackends (docs/kubernetes-semantics.md#one-slice-set-per-address-family, docs/kubernetes-semantics.md#how-kube-proxy-merges-slices)', () => {
  it('counts a dual-stack pod once and names it as the ready backend', () => {
    const { view } = viewOf([
      service('web', { spec: { ipFamilies: ['IPv4', 'IPv6'] } }),
      pod('web-1', { ips: ['10.1.0.7', 'fd00::7'] }),
      pod('web-2', { ips: ['10.1.0.8', 'fd00::8'], ready: false }),
      slice('web', {
        name: 'web-v4',
        endpoints: [
          { ip: '10.1.0.7', pod: 'web-1' },
          { ip: '10.1.0.8', pod: 'web-2', ready: false },
        ],
      }),
      slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00::7', pod: 'web-1' }] }),
    ]);
    expect(view.counts).toEqual({ ready: 1, total: 2, source: 'slices' });
    expect(readyBackends(view)).toEqual({ pods: ['web-1'], addresses: ['10.1.0.7', 'fd00::7'] });
  });

  it("counts only slices of the Service's families, as kube-proxy's per-family proxiers read them (pkg/proxy/endpointschangetracker.go)", () => {
    const ipv4Only = viewOf(
      [
        service('ext', { selector: null }),
        slice('ext', { name: 'ext-v4', managedBy: 'me', endpoints: [{ ip: '192.0.2.1' }] }),
        slice('ext', {
          name: 'ext-v6',
          managedBy: 'me',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00::1' }, { ip: 'fd00::2' }],
        }),
      ],
      'ext',
    ).view;
    expect(ipv4Only.counts).toEqual({ ready: 1, total: 1, source: 'slices' });
    expect(ipv4Only.sliceEndpoints.map((e) => e.address)).toEqual(['192.0.2.1']);
    // Headless: no proxier at all; cluster DNS answers from either family.
    const headless = viewOf(
      [
        service('ext', { selector: null, spec: { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'] } }),
        slice('ext', { name: 'ext-v6', managedBy: 'me', addressType: 'IPv6', endpoints: [{ ip: 'fd00::1' }] }),
      ],
      'ext',
    ).view;
    expect(headless.counts).toEqual({ ready: 1, total: 1, source: 'slices' });
  });

  it('falls back on the matched pods when the input has no EndpointSlices', () => {
    const model = modelFromRaw(
      [service('web'), node('node-a'), pod('web-1'), pod('web-2', { ready: false }), pod('web-3', { ip: null })],
      {
        endpointSlices: false,
      },
    );
    const view = viewService(model, model.service('shop', 'web')!);
    expect(view.counts).toEqual({ ready: 1, total: 2, source: 'pods' });
    expect(readyBackends(view)).toEqual({ pods: ['web-1'], addresses: [ipFor('web-1')] });
  });
});

describe('ClusterModel node helpers', () => {
  it('lists the ready Nodes and knows which run pods', () => {
    const model = modelFromRaw([
      node('node-a'),
      node('node-b', { ready: 'False' }),
      node('node-c'),
      pod('web-1', { node: 'node-a' }),
      pod('job-1', { node: 'node-c', phase: 'Succeeded' }),
    ]);
    expect(model.readyNodes().map((n) => n.meta.name)).toEqual(['node-a', 'node-c']);
    expect(model.runsPods('node-a')).toBe(true);
    // A finished pod does not make a node a client node.
    expect(model.runsPods('node-c')).toBe(false);
    expect(model.runsPods('node-b')).toBe(false);
  });
});
