// Slimming raw objects: a field the checks read with the wrong type is bad input, never coerced
// to a default. Kubernetes decodes objects into typed Go structs (k8s.io/api/core/v1/types.go,
// k8s.io/api/discovery/v1/types.go), where such a field fails to decode: kubectl and the API
// server reject it. Absent fields (and null, which Go's JSON decoding reads as absent) keep
// their defaults.

import { describe, expect, it } from 'vitest';
import type { KnownKind } from '../../src/core/kinds.js';
import { slimObject, SlimError } from '../../src/sources/slim.js';
import { endpoints, namespace, networkPolicy, node, pod, service, slice, type Raw } from '../support/objects.js';

function problem(kind: KnownKind, raw: Raw): string {
  try {
    slimObject(kind, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SlimError);
    return (e as SlimError).message;
  }
  throw new Error('slimObject accepted it');
}

const withSpec = (o: Raw, spec: Raw) => ({ ...o, spec: { ...(o.spec as Raw), ...spec } });
const withStatus = (o: Raw, status: Raw) => ({ ...o, status: { ...(o.status as Raw), ...status } });

describe('a field the checks read, with the wrong type', () => {
  const cases: [string, KnownKind, Raw, string][] = [
    [
      'spec.selector as a string',
      'Service',
      withSpec(service('web'), { selector: 'app=web' }),
      'Service shop/web: spec.selector must be a map of strings, got string',
    ],
    [
      'spec.selector as a list',
      'Service',
      withSpec(service('web'), { selector: ['app=web'] }),
      'Service shop/web: spec.selector must be a map of strings, got a list',
    ],
    [
      'a selector value as a number',
      'Service',
      withSpec(service('web'), { selector: { version: 2 } }),
      'Service shop/web: spec.selector.version must be a string, got number',
    ],
    [
      'spec.ports as a string',
      'Service',
      withSpec(service('web'), { ports: '80' }),
      'Service shop/web: spec.ports must be a list, got string',
    ],
    [
      'spec.ports as a number',
      'Service',
      withSpec(service('web'), { ports: 80 }),
      'Service shop/web: spec.ports must be a list, got number',
    ],
    [
      'a port number as a string',
      'Service',
      withSpec(service('web'), { ports: [{ port: 80 }, { port: '443' }] }),
      'Service shop/web: spec.ports[1].port must be an integer, got string',
    ],
    [
      'a targetPort that is neither number nor string',
      'Service',
      withSpec(service('web'), { ports: [{ port: 80, targetPort: true }] }),
      'Service shop/web: spec.ports[0].targetPort must be a number or a string, got boolean',
    ],
    [
      'metadata.name as a number',
      'Service',
      { ...service('web'), metadata: { name: 42, namespace: 'shop' } },
      'Service: metadata.name must be a string, got number',
    ],
    [
      'labels as a list',
      'Pod',
      { ...pod('web-1'), metadata: { name: 'web-1', namespace: 'shop', labels: ['app=web'] } },
      'Pod shop/web-1: metadata.labels must be a map of strings, got a list',
    ],
    [
      'status.podIPs as a string',
      'Pod',
      withStatus(pod('web-1'), { podIPs: '10.0.0.1' }),
      'Pod shop/web-1: status.podIPs must be a list, got string',
    ],
    [
      'status.conditions as a string',
      'Pod',
      withStatus(pod('web-1'), { conditions: 'Ready' }),
      'Pod shop/web-1: status.conditions must be a list, got string',
    ],
    [
      'a container port as a string',
      'Pod',
      withSpec(pod('web-1'), { containers: [{ name: 'app', ports: [{ containerPort: '8080' }] }] }),
      'Pod shop/web-1: spec.containers[0].ports[0].containerPort must be an integer, got string',
    ],
    [
      'containerStatuses[].ready as a string',
      'Pod',
      withStatus(pod('web-1'), { containerStatuses: [{ name: 'app', ready: 'true' }] }),
      'Pod shop/web-1: status.containerStatuses[0].ready must be true or false, got string',
    ],
    [
      'a slice endpoint ready: "false" as a string',
      'EndpointSlice',
      { ...slice('web'), endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: 'false' } }] },
      'EndpointSlice shop/web-abcde: endpoints[0].conditions.ready must be true or false, got string',
    ],
    [
      'a slice endpoint address as a number',
      'EndpointSlice',
      { ...slice('web'), endpoints: [{ addresses: [10] }] },
      'EndpointSlice shop/web-abcde: endpoints[0].addresses[0] must be a string, got number',
    ],
    [
      'Endpoints subsets as a map',
      'Endpoints',
      { ...endpoints('web'), subsets: { addresses: [] } },
      'Endpoints shop/web: subsets must be a list, got a map',
    ],
    [
      'a Node taint as a string',
      'Node',
      withSpec(node('node-a'), { taints: ['NoSchedule'] }),
      'Node node-a: spec.taints[0] must be a map, got string',
    ],
    [
      'a port number with a fraction',
      'Service',
      withSpec(service('web'), { ports: [{ port: 80.5 }] }),
      'Service shop/web: spec.ports[0].port must be an integer, got a fraction',
    ],
    [
      'spec.hostNetwork as a string',
      'Pod',
      withSpec(pod('web-1'), { hostNetwork: 'true' }),
      'Pod shop/web-1: spec.hostNetwork must be true or false, got string',
    ],
    [
      'a policy port as a boolean',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, ingress: [{ ports: [{ port: true }] }] }),
      'NetworkPolicy shop/p: spec.ingress[0].ports[0].port must be a number or a string, got boolean',
    ],
    [
      // The API server accepts only TCP, UDP and SCTP (pkg/apis/networking/validation/validation.go
      // ValidateNetworkPolicyPort): another protocol cannot be read as TCP.
      'a policy port protocol the API does not know',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, egress: [{ ports: [{ protocol: 'ICMP' }] }] }),
      'NetworkPolicy shop/p: spec.egress[0].ports[0].protocol must be TCP or UDP or SCTP, got "ICMP"',
    ],
    [
      // The API server accepts only TCP, UDP and SCTP as a Service's, a container's and an
      // EndpointSlice's port protocol (pkg/apis/core/validation/validation.go supportedPortProtocols,
      // pkg/apis/discovery/validation): a typo in a snapshot is bad input, never TCP.
      'a Service port protocol the API does not know',
      'Service',
      withSpec(service('web'), { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TPC' }] }),
      'Service shop/web: spec.ports[0].protocol must be TCP or UDP or SCTP, got "TPC"',
    ],
    [
      'a container port protocol in lower case',
      'Pod',
      pod('web-1', { containers: [{ name: 'app', ports: [{ containerPort: 8080, protocol: 'tcp' }] }] }),
      'Pod shop/web-1: spec.containers[0].ports[0].protocol must be TCP or UDP or SCTP, got "tcp"',
    ],
    [
      'an EndpointSlice port protocol the API does not know',
      'EndpointSlice',
      slice('web', { ports: [{ name: 'http', port: 8080, protocol: 'HTTP' }] }),
      'EndpointSlice shop/web-abcde: ports[0].protocol must be TCP or UDP or SCTP, got "HTTP"',
    ],
    [
      'a policy type the API does not know',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, policyTypes: ['Ingress', 'Both'] }),
      'NetworkPolicy shop/p: spec.policyTypes[1] must be Ingress or Egress, got "Both"',
    ],
    [
      'a peer with nothing in it (the API requires one of its three fields)',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, {}] }] }),
      'NetworkPolicy shop/p: spec.ingress[0].from[1] must be a podSelector, namespaceSelector or ipBlock, got none',
    ],
    [
      'a peer with an ipBlock and a selector (the API refuses both in one peer)',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }),
      'NetworkPolicy shop/p: spec.egress[0].to[0] must be an ipBlock alone or selectors alone, got both',
    ],
    [
      'an ipBlock without its cidr',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { except: ['10.0.0.0/8'] } }] }] }),
      'NetworkPolicy shop/p: spec.ingress[0].from[0].ipBlock.cidr must be a CIDR, got nothing',
    ],
    [
      'a podSelector as a string',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: 'app=web' }),
      'NetworkPolicy shop/p: spec.podSelector must be a map, got string',
    ],
    [
      'ingress as a map',
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, ingress: { from: [] } }),
      'NetworkPolicy shop/p: spec.ingress must be a list, got a map',
    ],
    [
      'Namespace labels as a list',
      'Namespace',
      { ...namespace('shop'), metadata: { name: 'shop', labels: ['team=shop'] } },
      'Namespace shop: metadata.labels must be a map of strings, got a list',
    ],
  ];
  for (const [name, kind, raw, message] of cases) {
    it(name, () => expect(problem(kind, raw)).toBe(message));
  }

  it('a name that holds control characters is quoted in the message', () => {
    const raw = {
      ...withSpec(service('web'), { selector: 'x' }),
      metadata: { name: 'a\u001b[2Jb', namespace: 'shop' },
    };
    expect(problem('Service', raw)).toBe(
      'Service shop/"a\\u001b[2Jb": spec.selector must be a map of strings, got string',
    );
  });
});

describe('absent fields keep their defaults', () => {
  it('null reads as absent, as Go decodes it', () => {
    const s = slimObject('Service', withSpec(service('web'), { selector: null, ports: null, clusterIPs: null }));
    expect(s).toMatchObject({ selector: null, ports: [], clusterIPs: [] });
  });
  it('a Service with nothing but a name', () => {
    const s = slimObject('Service', { metadata: { name: 'web' } });
    expect(s).toMatchObject({ type: 'ClusterIP', selector: null, ports: [], meta: { namespace: 'default' } });
  });
  it('unset slice conditions read as kube-proxy reads them', () => {
    const s = slimObject('EndpointSlice', { ...slice('web'), endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(s.kind === 'EndpointSlice' && s.endpoints[0].conditions).toEqual({
      ready: true,
      serving: true,
      terminating: false,
    });
  });
});

describe('NetworkPolicy and Namespace: what the API server fills in', () => {
  // SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort,
  // https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/v1/defaults.go, and
  // the policyTypes field's description in the API reference
  // (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/).
  const policyTypes = (spec: Raw) => {
    const s = slimObject('NetworkPolicy', networkPolicy('p', spec));
    return s.kind === 'NetworkPolicy' ? s.policyTypes : undefined;
  };
  it('policyTypes absent: Ingress, whether or not there are ingress rules', () => {
    expect(policyTypes({ podSelector: {} })).toEqual(['Ingress']);
    expect(policyTypes({ podSelector: {}, ingress: [{}] })).toEqual(['Ingress']);
  });
  it('policyTypes absent with egress rules: Ingress and Egress', () => {
    expect(policyTypes({ podSelector: {}, egress: [{}] })).toEqual(['Ingress', 'Egress']);
  });
  it('policyTypes empty reads as absent; an empty egress list adds no Egress', () => {
    expect(policyTypes({ podSelector: {}, policyTypes: [], egress: [] })).toEqual(['Ingress']);
  });
  it('policyTypes written are kept as written: Egress alone isolates no pod for ingress', () => {
    expect(policyTypes({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })).toEqual(['Egress']);
  });
  it('a port without protocol is TCP; without port it is every port of the protocol', () => {
    const s = slimObject(
      'NetworkPolicy',
      networkPolicy('p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }] }] }),
    );
    expect(s.kind === 'NetworkPolicy' && s.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 80 },
      { protocol: 'UDP' },
    ]);
  });
  it('from, to, ports and except absent are empty lists; a podSelector absent selects every pod', () => {
    const s = slimObject(
      'NetworkPolicy',
      networkPolicy('p', { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], egress: [{}] }),
    );
    expect(s).toMatchObject({
      podSelector: { matchLabels: {}, matchExpressions: [] },
      ingress: [{ peers: [{ ipBlock: { cidr: '0.0.0.0/0', except: [] } }], ports: [] }],
      egress: [{ peers: [], ports: [] }],
    });
  });
  it("a Namespace's kubernetes.io/metadata.name label is its name, whatever the input says", () => {
    // SetDefaults_Namespace (pkg/apis/core/v1/defaults.go) sets it on every write;
    // https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name
    const without = slimObject('Namespace', { kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } });
    expect(without.meta.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    const other = slimObject('Namespace', namespace('shop', { 'kubernetes.io/metadata.name': 'payments' }));
    expect(other.meta.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
  });
  it('a Namespace is cluster-scoped: a namespace in its metadata is not kept', () => {
    const s = slimObject('Namespace', { kind: 'Namespace', metadata: { name: 'shop', namespace: 'x' } });
    expect(s.meta.namespace).toBe('');
  });
});

describe('label maps: every key is own data', () => {
  it('constructor and __proto__ are labels like any other: own keys, and __proto__ not the prototype', () => {
    const raw = JSON.parse(
      JSON.stringify(service('web', { selector: { app: 'web' }, labels: { constructor: 'x' } })).replace(
        '"labels":{',
        '"labels":{"__proto__":"p",',
      ),
    ) as Raw;
    const s = slimObject('Service', raw);
    expect(Object.keys(s.meta.labels)).toEqual(['__proto__', 'constructor']);
    expect(s.meta.labels['__proto__']).toBe('p');
    expect(s.meta.labels['constructor']).toBe('x');
    expect(Object.hasOwn(s.meta.labels, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(s.meta.labels)).toBe(Object.prototype);
    expect(JSON.stringify(s.meta.labels)).toBe('{"__proto__":"p","constructor":"x"}');
  });
});
