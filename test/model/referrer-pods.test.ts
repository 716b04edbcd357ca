// Which pods carry a referrer's traffic, from cluster facts only
// (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service,
// docs/kubernetes-semantics.md#the-services-of-a-gateway).

import { describe, expect, it } from 'vitest';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { referrerPods } from '../../src/model/referrer-pods.js';
import { endpointOf, gateway, httpRoute, ingress, pod, service, slice, type Raw } from '../support/objects.js';

const CONTROLLER = { app: 'controller' };

/** A controller Service of namespace edge answering on `ip` (its load balancer's), with ready pod ctl-1. */
function controller(ip: string): Raw[] {
  return [
    service('ctl', {
      ns: 'edge',
      type: 'LoadBalancer',
      selector: CONTROLLER,
      spec: { clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'] },
      status: { loadBalancer: { ingress: [{ ip }] } },
    }),
    pod('ctl-1', { ns: 'edge', labels: CONTROLLER }),
    slice('ctl', { ns: 'edge', endpoints: [endpointOf('ctl-1')] }),
  ];
}

const pathTo = (name: string) => [{ service: name, port: 80 }];

describe('referrerPods', () => {
  it('an IPv6 address matches however either side spells it', () => {
    const model = modelFromRaw([
      ...controller('2001:db8:0:0::10'),
      ingress('front', { paths: pathTo('web'), loadBalancer: [{ ip: '2001:DB8::10' }] }),
    ]);
    expect(referrerPods(model.references[0], model)?.pods.map((p) => p.meta.name)).toEqual(['ctl-1']);
  });

  it('Ingresses behind one controller share one answer, so their verdicts are made once', () => {
    const model = modelFromRaw([
      ...controller('203.0.113.10'),
      ingress('a', { paths: pathTo('web'), loadBalancer: [{ ip: '203.0.113.10' }] }),
      ingress('b', { paths: pathTo('api'), loadBalancer: [{ ip: '203.0.113.10' }] }),
    ]);
    const [a, b] = model.references;
    expect(referrerPods(a, model)).toBeDefined();
    expect(referrerPods(a, model)).toBe(referrerPods(b, model));
  });

  it("a route attached to two Gateways, one of which has no labelled Service: unknown, not the other's pods alone", () => {
    const label = { 'gateway.networking.k8s.io/gateway-name': 'shop-gateway' };
    const gatewayObjects = [
      service('gw', { ns: 'gateway', labels: label, selector: label }),
      pod('gw-1', { ns: 'gateway', labels: label }),
      slice('gw', { ns: 'gateway', endpoints: [endpointOf('gw-1')] }),
    ];
    const route = httpRoute('front', { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    const spec = route.spec as Raw & { parentRefs: Raw[] };
    const twoParents = {
      ...route,
      spec: { ...spec, parentRefs: [...spec.parentRefs, { namespace: 'other', name: 'internal' }] },
    };
    const one = modelFromRaw([...gatewayObjects, route]);
    expect(referrerPods(one.references[0], one)?.pods.map((p) => p.meta.name)).toEqual(['gw-1']);
    const two = modelFromRaw([...gatewayObjects, twoParents]);
    expect(referrerPods(two.references[0], two)).toBeUndefined();
  });

  it('a parentRef to another kind of parent (a Service, for a mesh) names no Gateway', () => {
    const route = httpRoute('front', { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    const meshRoute = {
      ...route,
      spec: { ...(route.spec as Raw), parentRefs: [{ group: '', kind: 'Service', name: 'web' }] },
    };
    const model = modelFromRaw([meshRoute]);
    expect(model.gatewayRoutes[0].parentGateways).toEqual([]);
    expect(referrerPods(model.references[0], model)).toBeUndefined();
  });

  describe("a Gateway's Service found from the addresses in its status (docs/kubernetes-semantics.md#the-services-of-a-gateway)", () => {
    const PROXY = { app: 'envoy' };
    /**
     * An implementation's proxy Service in a namespace of its own, not labelled for GEP-1762: a
     * LoadBalancer with ClusterIP 10.96.7.7 and `ingress` as its load balancer's status.
     */
    const proxy = (ingress: Raw[] = [{ ip: '203.0.113.20' }]): Raw[] => [
      service('envoy-shop', {
        ns: 'envoy-gateway-system',
        type: 'LoadBalancer',
        selector: PROXY,
        spec: { clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'] },
        status: { loadBalancer: { ingress } },
      }),
      pod('envoy-1', { ns: 'envoy-gateway-system', labels: PROXY }),
      slice('envoy-shop', { ns: 'envoy-gateway-system', endpoints: [endpointOf('envoy-1')] }),
    ];
    const route = httpRoute('front', { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    const podsOf = (objects: Raw[]) => {
      const model = modelFromRaw(objects);
      return referrerPods(model.references[0], model)?.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`);
    };

    // GatewayStatusAddress: type IPAddress unless it says otherwise
    // (https://gateway-api.sigs.k8s.io/reference/spec/#gatewaystatusaddress); Envoy Gateway
    // publishes its proxy Service's load-balancer IPs and hostnames, or its ClusterIPs
    // (UpdateGatewayStatusProgrammedCondition in
    // https://github.com/envoyproxy/gateway/blob/main/internal/gatewayapi/status/gateway.go).
    it.each([
      ['its load balancer IP, in any namespace', proxy(), [{ value: '203.0.113.20' }]],
      [
        'its load balancer hostname, without regard to case',
        proxy([{ hostname: 'lb-7.elb.example.com' }]),
        [{ type: 'Hostname', value: 'LB-7.elb.example.com' }],
      ],
      ['its ClusterIP', proxy([]), [{ type: 'IPAddress', value: '10.96.7.7' }]],
    ])('an address equal to %s', (_, objects, addresses) => {
      expect(podsOf([...objects, gateway('shop-gateway', { addresses }), route])).toEqual([
        'envoy-gateway-system/envoy-1',
      ]);
    });

    it.each([
      ['no status address', undefined],
      ['an address no Service of the input answers on', [{ value: '198.51.100.9' }]],
      ['only a NamedAddress, which names no address of a Service', [{ type: 'NamedAddress', value: '203.0.113.20' }]],
    ])('a Gateway with %s: unknown, never guessed', (_, addresses) => {
      expect(podsOf([...proxy(), gateway('shop-gateway', addresses ? { addresses } : {}), route])).toBeUndefined();
    });

    it('the Gateway not in the input (not read, or another namespace): unknown', () => {
      expect(podsOf([...proxy(), route])).toBeUndefined();
    });

    it("a Service labelled with the Gateway's name (GEP-1762) is its data plane whatever the addresses say", () => {
      const label = { 'gateway.networking.k8s.io/gateway-name': 'shop-gateway' };
      const labelled = [
        service('gw', { ns: 'gateway', labels: label, selector: label }),
        pod('gw-1', { ns: 'gateway', labels: label }),
        slice('gw', { ns: 'gateway', endpoints: [endpointOf('gw-1')] }),
      ];
      expect(
        podsOf([...labelled, ...proxy(), gateway('shop-gateway', { addresses: [{ value: '203.0.113.20' }] }), route]),
      ).toEqual(['gateway/gw-1']);
    });
  });
});
