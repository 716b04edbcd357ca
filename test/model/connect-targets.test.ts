// What --connect contacts: only the Service's own addresses, from the model (docs/kubernetes-semantics.md#what-is-contacted).

import { describe, expect, it } from 'vitest';
import { connectTargets, portSpeaks, withNodePorts } from '../../src/model/connect-targets.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { viewService } from '../../src/model/service-view.js';
import type { ServicePort } from '../../src/core/objects.js';
import { endpointOf, externalNameService, ipFor, pod, service, slice, type Raw } from '../support/objects.js';

function targetsOf(objects: Raw[]) {
  const model = modelFromRaw(objects);
  return connectTargets(viewService(model, model.services[0])).map((p) => ({
    port: p.portText,
    speaks: p.speaks,
    targets: p.targets.map((t) => `${t.kind} ${t.address}:${t.port}${t.ready === false ? ' not-ready' : ''}`),
  }));
}

describe('connectTargets', () => {
  it.each([
    {
      name: 'each endpoint (ready or not) at its slice port, then the cluster IP at the Service port',
      objects: () => [
        service('web'),
        pod('web-1'),
        pod('web-2', { ready: false }),
        slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2', { ready: false })] }),
      ],
      want: () => [
        {
          port: 'http 80/TCP',
          speaks: 'http',
          targets: [
            `endpoint ${ipFor('web-1')}:8080`,
            `endpoint ${ipFor('web-2')}:8080 not-ready`,
            'cluster-ip 10.96.0.10:80',
          ],
        },
      ],
    },
    {
      name: 'headless: the endpoints only (docs/kubernetes-semantics.md#headless-services)',
      objects: () => [
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      want: () => [{ port: 'http 80/TCP', speaks: 'http', targets: [`endpoint ${ipFor('web-1')}:8080`] }],
    },
    {
      name: 'ExternalName: nothing (docs/kubernetes-semantics.md#externalname-services)',
      objects: () => [externalNameService()],
      want: () => [],
    },
    {
      name: 'dual-stack: both cluster IPs, endpoints of both families',
      objects: () => [
        service('web', {
          spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::10'], ipFamilies: ['IPv4', 'IPv6'] },
        }),
        slice('web', { endpoints: [{ ip: '10.244.9.9' }] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', endpoints: [{ ip: 'fd00:244::9' }] }),
      ],
      want: () => [
        {
          port: 'http 80/TCP',
          speaks: 'http',
          targets: [
            'endpoint 10.244.9.9:8080',
            'endpoint fd00:244::9:8080',
            'cluster-ip 10.96.0.10:80',
            'cluster-ip fd00::10:80',
          ],
        },
      ],
    },
    {
      name: 'a slice without the port gives that port no endpoint (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: () => [
        service('web', {
          ports: [
            { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
          ],
        }),
        slice('web', { endpoints: [{ ip: '10.244.9.9' }] }),
      ],
      want: () => [
        { port: 'http 80/TCP', speaks: 'http', targets: ['endpoint 10.244.9.9:8080', 'cluster-ip 10.96.0.10:80'] },
        { port: 'metrics 9090/TCP', speaks: 'tcp', targets: ['cluster-ip 10.96.0.10:9090'] },
      ],
    },
  ])('$name', ({ objects, want }) => {
    expect(targetsOf(objects())).toEqual(want());
  });
});

describe('withNodePorts: from a node, its own addresses at each nodePort, nothing else (docs/kubernetes-semantics.md#nodeport-services)', () => {
  /** A dual-stack node: one InternalIP of each family. */
  const node = { name: 'node-a', addresses: ['192.168.0.10', 'fd00:1::10'] };
  const ports = [
    { name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
    { name: 'admin', port: 9090, targetPort: 9090, nodePort: 30090, protocol: 'TCP' },
  ];
  const nodePortsOf = (objects: Raw[]) => {
    const model = modelFromRaw(objects);
    return connectTargets(viewService(model, model.services[0])).map((p) =>
      withNodePorts(p, node)
        .targets.filter((t) => t.kind === 'node-port')
        .map((t) => `${t.address} ${t.port} ${t.nodeName}`),
    );
  };
  const webSlice = slice('web', { endpoints: [{ ip: '10.244.9.9' }] });

  it.each([
    {
      name: 'NodePort, IPv4 only: the IPv4 InternalIP at each nodePort',
      objects: [service('web', { type: 'NodePort', ports }), webSlice],
      want: [['192.168.0.10 30080 node-a'], ['192.168.0.10 30090 node-a']],
    },
    {
      name: 'LoadBalancer, dual-stack: both InternalIPs',
      objects: [
        service('web', {
          type: 'LoadBalancer',
          ports: [ports[0]],
          spec: { clusterIPs: ['10.96.0.10', 'fd00::10'], ipFamilies: ['IPv4', 'IPv6'] },
        }),
        webSlice,
      ],
      want: [['192.168.0.10 30080 node-a', 'fd00:1::10 30080 node-a']],
    },
    {
      name: 'LoadBalancer with allocateLoadBalancerNodePorts false: no nodePort, nothing',
      objects: [
        service('web', {
          type: 'LoadBalancer',
          ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
          spec: { allocateLoadBalancerNodePorts: false },
        }),
        webSlice,
      ],
      want: [[]],
    },
    {
      name: 'ClusterIP: nothing, whatever a port says',
      objects: [service('web', { ports }), webSlice],
      want: [[], []],
    },
  ])('$name', ({ objects, want }) => {
    expect(nodePortsOf(objects)).toEqual(want);
  });

  it('adds the node ports after the targets the Service port had, which stay as they were', () => {
    const model = modelFromRaw([service('web', { type: 'NodePort', ports: [ports[0]] }), webSlice]);
    const [port] = connectTargets(viewService(model, model.services[0]));
    expect(withNodePorts(port, node).targets.map((t) => `${t.kind} ${t.address}:${t.port}`)).toEqual([
      'endpoint 10.244.9.9:8080',
      'cluster-ip 10.96.0.10:80',
      'node-port 192.168.0.10:30080',
    ]);
  });
});

describe('portSpeaks (docs/kubernetes-semantics.md#application-protocol)', () => {
  const port = (o: Partial<ServicePort>): ServicePort => ({
    name: '',
    port: 80,
    protocol: 'TCP',
    targetPort: 80,
    ...o,
  });
  it.each([
    { port: port({ name: 'https' }), speaks: 'https' },
    { port: port({ name: 'https-admin' }), speaks: 'https' },
    { port: port({ name: 'web', appProtocol: 'https' }), speaks: 'https' },
    { port: port({ name: 'web', appProtocol: 'kubernetes.io/wss' }), speaks: 'https' },
    { port: port({ name: 'http' }), speaks: 'http' },
    { port: port({ name: 'http-alt' }), speaks: 'http' },
    { port: port({ name: 'grpc', appProtocol: 'kubernetes.io/h2c' }), speaks: 'http' },
    { port: port({ name: 'https', appProtocol: 'http' }), speaks: 'http' },
    { port: port({ name: 'db' }), speaks: 'tcp' },
    { port: port({ name: 'httpx' }), speaks: 'tcp' },
    { port: port({ name: 'dns', protocol: 'UDP' }), speaks: 'udp' },
  ])('$port.name $port.appProtocol $port.protocol: $speaks', ({ port: p, speaks }) => {
    expect(portSpeaks(p)).toBe(speaks);
  });
});
