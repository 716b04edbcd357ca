// What a live run finds out about the policies it does not evaluate, against the test server:
// AdminNetworkPolicies and BaselineAdminNetworkPolicies (evaluated by the plugin before and after
// NetworkPolicies, https://network-policy-api.sigs.k8s.io/), Cilium's and Calico's own policies,
// and whether a plugin known to enforce NetworkPolicy shows itself (the API server only stores
// policies: https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites).

import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/sources/live.js';
import { readPolicyEnvironment } from '../../src/sources/policy-environment.js';
import { startTestServer, type TestServer } from '../server/index.js';
import { policyCrds } from '../server/crds.js';
import { pod, service, type Raw } from '../support/objects.js';

const BASE = [service('web'), pod('web-1')];

function policyObject(apiVersion: string, kind: string, name: string, ns?: string): Raw {
  return { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: {} };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function environmentOf(objects: unknown[], namespace?: string, forbid?: string) {
  server = await startTestServer({ objects: [...BASE, ...objects] });
  if (forbid) server.faults.forbid({ resource: forbid });
  const conn = await connect({ kubeconfig: server.kubeconfigPath, requestTimeoutMs: 10_000, debug: () => {} });
  return readPolicyEnvironment(conn.api, namespace);
}

describe('the policies not evaluated, and the enforcing plugin', { timeout: 60_000 }, () => {
  it('a cluster without any: nothing to say, and no plugin known to enforce', async () => {
    expect(await environmentOf([], 'shop')).toEqual({ otherPolicyKinds: [], notes: [] });
  });

  it("Cilium's CRDs served: Cilium enforces; its policies count only where they exist", async () => {
    const cnp = policyObject('cilium.io/v2', 'CiliumNetworkPolicy', 'lockdown', 'shop');
    expect(await environmentOf([...policyCrds('cilium')], 'shop')).toEqual({
      otherPolicyKinds: [],
      enforcingPlugin: 'Cilium',
      notes: [],
    });
    await server?.close();
    expect(await environmentOf([...policyCrds('cilium'), cnp], 'shop')).toMatchObject({
      otherPolicyKinds: ['CiliumNetworkPolicy'],
    });
    await server?.close();
    // Namespaced: another namespace's do not apply to this one's pods.
    expect(await environmentOf([...policyCrds('cilium'), cnp], 'other')).toMatchObject({ otherPolicyKinds: [] });
    await server?.close();
    // Every namespace (-A).
    expect(await environmentOf([...policyCrds('cilium'), cnp])).toMatchObject({
      otherPolicyKinds: ['CiliumNetworkPolicy'],
    });
  });

  it("Calico's CRDs served: Calico enforces; a GlobalNetworkPolicy applies to every namespace", async () => {
    const gnp = policyObject('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', 'default-deny');
    expect(await environmentOf([...policyCrds('calico'), gnp], 'shop')).toEqual({
      otherPolicyKinds: ['Calico GlobalNetworkPolicy'],
      enforcingPlugin: 'Calico',
      notes: [],
    });
  });

  it('AdminNetworkPolicies (cluster-scoped) existing: named; they show no plugin', async () => {
    const anp = policyObject('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'tenants');
    expect(await environmentOf([...policyCrds('admin'), anp], 'shop')).toEqual({
      otherPolicyKinds: ['AdminNetworkPolicy'],
      notes: [],
    });
  });

  it('a kind that cannot be listed may hold policies: named, with a note', async () => {
    expect(await environmentOf([...policyCrds('cilium')], 'shop', 'ciliumclusterwidenetworkpolicies')).toEqual({
      otherPolicyKinds: ['CiliumClusterwideNetworkPolicy'],
      enforcingPlugin: 'Cilium',
      notes: ['CiliumClusterwideNetworkPolicy objects could not be listed (forbidden): those there are not evaluated'],
    });
  });

  it('asks at most one object of each kind', async () => {
    const cnps = ['a', 'b', 'c'].map((n) => policyObject('cilium.io/v2', 'CiliumNetworkPolicy', n, 'shop'));
    await environmentOf([...policyCrds('cilium'), ...cnps], 'shop');
    const lists = server!.requests.filter((r) => r.resource === 'ciliumnetworkpolicies');
    expect(lists.map((r) => r.query.get('limit'))).toEqual(['1']);
  });
});
