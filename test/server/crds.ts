// The CustomResourceDefinitions of the kinds the test server serves only once installed (the
// Gateway API's), as a test or the server's own default installs them.

import type { JsonObject } from './json-value.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * The CustomResourceDefinitions that install the Gateway API kinds the doctor reads (the test
 * server serves them only once installed); `experimental`: TCPRoute, TLSRoute and UDPRoute too.
 * Only what the test server reads of a CRD: group, names, scope and versions.
 */
export function gatewayApiCrds(experimental = false): JsonObject[] {
  const kinds: [string, string][] = [
    ['HTTPRoute', 'v1'],
    ['GRPCRoute', 'v1'],
    ['ReferenceGrant', 'v1beta1'],
    ['Gateway', 'v1'],
    ...(experimental
      ? ([
          ['TCPRoute', 'v1alpha2'],
          ['TLSRoute', 'v1alpha2'],
          ['UDPRoute', 'v1alpha2'],
        ] as [string, string][])
      : []),
  ];
  return kinds.map(([kind, version]) => {
    const plural = `${kind.toLowerCase()}s`;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${GATEWAY_GROUP}` },
      spec: {
        group: GATEWAY_GROUP,
        names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), categories: ['gateway-api'] },
        scope: 'Namespaced',
        versions: [{ name: version, served: true, storage: true }],
      },
    };
  });
}

/**
 * The CustomResourceDefinitions of a network plugin's or the Network Policy API's policy kinds
 * (only what the test server reads of them): Cilium's cilium.io/v2 CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy, Calico's crd.projectcalico.org/v1 GlobalNetworkPolicy, the
 * policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy.
 */
export function policyCrds(of: 'cilium' | 'calico' | 'admin'): JsonObject[] {
  const kinds: Record<typeof of, [string, string, string, boolean][]> = {
    cilium: [
      ['cilium.io', 'v2', 'CiliumNetworkPolicy', true],
      ['cilium.io', 'v2', 'CiliumClusterwideNetworkPolicy', false],
    ],
    calico: [['crd.projectcalico.org', 'v1', 'GlobalNetworkPolicy', false]],
    admin: [
      ['policy.networking.k8s.io', 'v1alpha1', 'AdminNetworkPolicy', false],
      ['policy.networking.k8s.io', 'v1alpha1', 'BaselineAdminNetworkPolicy', false],
    ],
  };
  return kinds[of].map(([group, version, kind, namespaced]) => {
    const singular = kind.toLowerCase();
    const plural = `${singular.replace(/y$/, 'ie')}s`;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        names: { kind, listKind: `${kind}List`, plural, singular },
        scope: namespaced ? 'Namespaced' : 'Cluster',
        versions: [{ name: version, served: true, storage: true }],
      },
    };
  });
}
