// Which pods carry a referrer's traffic, from cluster facts only
// (docs/kubernetes-semantics.md#ingress-status-and-the-controllers-service,
// docs/kubernetes-semantics.md#the-services-of-a-gateway).

import { describe, expect, it } from 'vitest';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { referrerPods } from '../../src/model/referrer-pods.js';
import { endpointOf, httpRoute, ingress, pod, service, slice, type Raw } from '../support/objects.js';

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
});
