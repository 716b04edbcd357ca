// What the model gives the NetworkPolicy checks: a namespace's policies, and a Namespace's labels,
// or undefined when the input cannot say. No policy selecting a pod leaves it open to all traffic
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation),
// so "no policies" must never stand in for "policies not read".

import { describe, expect, it } from 'vitest';
import { coverageFrom } from '../../src/core/coverage.js';
import type { KnownKind } from '../../src/core/kinds.js';
import { buildModel } from '../../src/model/cluster.js';
import { slimObject } from '../../src/sources/slim.js';
import { namespace, networkPolicy, pod, service, type Raw } from '../support/objects.js';

const ALL_READ = coverageFrom(() => true);
const NOTHING_OPTIONAL = coverageFrom((k) => !k.optional);

function model(raws: Raw[], coverage = ALL_READ) {
  return buildModel(
    raws.map((r) => slimObject(r.kind as KnownKind, r)),
    coverage,
  );
}

const names = (policies: readonly { meta: { name: string } }[] | undefined) => policies?.map((p) => p.meta.name);

describe('networkPoliciesIn', () => {
  const input = [
    service('web', { ns: 'shop' }),
    pod('client-1', { ns: 'clients' }),
    networkPolicy('zz-allow-web', { podSelector: { matchLabels: { app: 'web' } } }, { ns: 'shop' }),
    networkPolicy('deny-all', { podSelector: {} }, { ns: 'shop' }),
    networkPolicy('other', { podSelector: {} }, { ns: 'payments' }),
  ];

  it("a namespace's policies, in name order, and only its own", () => {
    const m = model(input);
    expect(names(m.networkPoliciesIn('shop'))).toEqual(['deny-all', 'zz-allow-web']);
    expect(names(m.networkPoliciesIn('payments'))).toEqual(['other']);
  });

  it('none in a namespace the input read (its Services or pods are in it): an empty list', () => {
    expect(model(input).networkPoliciesIn('clients')).toEqual([]);
  });

  it('a namespace the input says nothing about: unknown, not empty', () => {
    expect(model(input).networkPoliciesIn('elsewhere')).toBeUndefined();
  });

  it('NetworkPolicies not read: unknown everywhere, even where Services are', () => {
    const m = model([service('web', { ns: 'shop' })], NOTHING_OPTIONAL);
    expect(m.networkPoliciesIn('shop')).toBeUndefined();
  });
});

describe('namespaceLabels', () => {
  it("a Namespace's labels, with kubernetes.io/metadata.name", () => {
    const m = model([namespace('shop', { team: 'shop' })]);
    expect(m.namespaceLabels('shop')).toEqual({ 'kubernetes.io/metadata.name': 'shop', team: 'shop' });
  });

  it('a namespace the input does not hold: unknown', () => {
    expect(model([namespace('shop')]).namespaceLabels('payments')).toBeUndefined();
  });

  it('Namespaces not read: unknown, though the namespace exists', () => {
    expect(model([service('web', { ns: 'shop' })], NOTHING_OPTIONAL).namespaceLabels('shop')).toBeUndefined();
  });
});

describe('the Pod field policies need', () => {
  // NetworkPolicies do not govern host-network pods in most implementations
  // (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods).
  it('hostNetwork is read from spec.hostNetwork, false when absent', () => {
    const host = slimObject('Pod', pod('agent', { spec: { hostNetwork: true } }));
    const plain = slimObject('Pod', pod('web-1'));
    expect([host.kind === 'Pod' && host.hostNetwork, plain.kind === 'Pod' && plain.hostNetwork]).toEqual([true, false]);
  });
});
