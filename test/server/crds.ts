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
