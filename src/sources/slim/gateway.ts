// Gateway API routes (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute), Gateways and
// ReferenceGrants (gateway.networking.k8s.io): a route's rules with what a reader needs to find
// each (its name, its first match) and the backendRefs each sends to, and its ResolvedRefs
// condition; a Gateway's class and the addresses its implementation bound it to; a grant's from
// and to. Written back for the snapshot.

import type {
  Gateway,
  GatewayAddress,
  GatewayRoute,
  ParentGateway,
  ReferenceGrant,
  RouteBackendRef,
  StatusCondition,
  RouteRule,
} from '../../core/objects.js';
import { checked, fields, int, list, NO_LABELS, nonEmpty, slimMeta, str, type Raw } from './fields.js';

function slimBackendRef(ref: Raw): RouteBackendRef {
  const namespace = str(ref.namespace, 'namespace');
  const port = int(ref.port, 'port');
  const weight = int(ref.weight, 'weight');
  return {
    // The API's defaults: group "" (core) and kind Service.
    group: str(ref.group, 'group') ?? '',
    kind: str(ref.kind, 'kind') ?? 'Service',
    ...(namespace !== undefined ? { namespace } : {}),
    name: str(ref.name, 'name') ?? '',
    ...(port !== undefined ? { port } : {}),
    ...(weight !== undefined ? { weight } : {}),
  };
}

function slimRule(rule: Raw): RouteRule {
  const name = str(rule.name, 'name');
  const [match] = list(rule.matches, 'matches', (m) => m);
  const path = match && str(fields(match.path, 'matches[0].path').value, 'matches[0].path.value');
  const method = match && fields(match.method, 'matches[0].method');
  const grpcService = method && str(method.service, 'matches[0].method.service');
  const grpcMethod = method && str(method.method, 'matches[0].method.method');
  return {
    ...(name !== undefined ? { name } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(grpcService !== undefined || grpcMethod !== undefined
      ? {
          grpcMethod: {
            ...(grpcService !== undefined ? { service: grpcService } : {}),
            ...(grpcMethod !== undefined ? { method: grpcMethod } : {}),
          },
        }
      : {}),
    backendRefs: list(rule.backendRefs, 'backendRefs', slimBackendRef),
  };
}

/** The ResolvedRefs condition of the route's parents: the first False one, else the first. */
function resolvedRefsOf(status: Raw): StatusCondition | undefined {
  const found = list(status.parents, 'status.parents', (parent) => list(parent.conditions, 'conditions', (c) => c))
    .flat()
    .filter((c) => c.type === 'ResolvedRefs');
  const condition = found.find((c) => c.status === 'False') ?? found[0];
  if (!condition) return undefined;
  const reason = str(condition.reason, 'reason');
  const message = str(condition.message, 'message');
  return {
    status: str(condition.status, 'status') ?? 'Unknown',
    ...(reason !== undefined ? { reason } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The parentRefs naming a Gateway (the defaults: group gateway.networking.k8s.io, kind Gateway), in the route's namespace unless they name another. */
function slimParentGateways(spec: Raw, routeNamespace: string): ParentGateway[] {
  return list(spec.parentRefs, 'spec.parentRefs', (ref) => ({
    group: str(ref.group, 'group') ?? GATEWAY_GROUP,
    kind: str(ref.kind, 'kind') ?? 'Gateway',
    namespace: str(ref.namespace, 'namespace') ?? routeNamespace,
    name: str(ref.name, 'name') ?? '',
  })).flatMap(({ group, kind, namespace, name }) =>
    group === GATEWAY_GROUP && kind === 'Gateway' && name !== '' ? [{ namespace, name }] : [],
  );
}

/** The slimming function of a route kind. */
export function slimRouteOf<K extends GatewayRoute['kind']>(kind: K): (raw: Raw) => Extract<GatewayRoute, { kind: K }> {
  return checked(function slimRoute(raw: Raw) {
    const spec = fields(raw.spec, 'spec');
    const resolvedRefs = resolvedRefsOf(fields(raw.status, 'status'));
    // Annotations are left out: controllers keep anything in them.
    const meta = slimMeta(raw, true, false);
    return {
      kind,
      meta,
      rules: list(spec.rules, 'spec.rules', slimRule),
      parentGateways: slimParentGateways(spec, meta.namespace),
      ...(resolvedRefs ? { resolvedRefs } : {}),
    } as Extract<GatewayRoute, { kind: K }>;
  });
}

function rawRule(rule: RouteRule): Raw {
  const match =
    rule.path !== undefined
      ? { path: { type: 'PathPrefix', value: rule.path } }
      : rule.grpcMethod
        ? { method: rule.grpcMethod }
        : undefined;
  return {
    name: rule.name,
    matches: match && [match],
    backendRefs: nonEmpty(
      rule.backendRefs.map((ref) => ({
        group: ref.group === '' ? undefined : ref.group,
        kind: ref.kind === 'Service' ? undefined : ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        port: ref.port,
        weight: ref.weight,
      })),
    ),
  };
}

export function rawRoute(route: GatewayRoute): Raw {
  return {
    spec: {
      parentRefs: nonEmpty(route.parentGateways.map((g) => ({ group: GATEWAY_GROUP, kind: 'Gateway', ...g }))),
      rules: nonEmpty(route.rules.map(rawRule)),
    },
    status: route.resolvedRefs && {
      parents: [{ conditions: [{ type: 'ResolvedRefs', ...route.resolvedRefs }] }],
    },
  };
}

/**
 * status.addresses of the types a Service's addresses can equal: IPAddress (the type when none is
 * given, as the CRD defaults it) and Hostname. NamedAddress and domain-prefixed types are the
 * implementation's own names, no address of a Service.
 */
function slimGatewayAddresses(status: Raw): GatewayAddress[] {
  return list(status.addresses, 'status.addresses', (a) => ({
    type: str(a.type, 'type') ?? 'IPAddress',
    value: str(a.value, 'value') ?? '',
  })).flatMap(({ type, value }) =>
    (type === 'IPAddress' || type === 'Hostname') && value !== '' ? [{ type, value }] : [],
  );
}

export const slimGateway = checked(function slimGateway(raw: Raw): Gateway {
  const spec = fields(raw.spec, 'spec');
  const { namespace, name, uid } = slimMeta(raw, true, false);
  return {
    kind: 'Gateway',
    // Only what names it: its labels and timestamps are read by nothing (the fields are set all
    // the same, so that every ObjectMeta has one shape).
    meta: {
      namespace,
      name,
      uid,
      labels: NO_LABELS,
      annotations: NO_LABELS,
      creationTimestamp: undefined,
      deletionTimestamp: undefined,
      owner: undefined,
    },
    gatewayClassName: str(spec.gatewayClassName, 'spec.gatewayClassName') ?? '',
    addresses: slimGatewayAddresses(fields(raw.status, 'status')),
  };
});

export function rawGateway(gateway: Gateway): Raw {
  return {
    spec: { gatewayClassName: gateway.gatewayClassName },
    status: gateway.addresses.length > 0 ? { addresses: gateway.addresses } : undefined,
  };
}

export const slimReferenceGrant = checked(function slimReferenceGrant(raw: Raw): ReferenceGrant {
  const spec = fields(raw.spec, 'spec');
  return {
    kind: 'ReferenceGrant',
    meta: slimMeta(raw, true, false),
    from: list(spec.from, 'spec.from', (f) => ({
      group: str(f.group, 'group') ?? '',
      kind: str(f.kind, 'kind') ?? '',
      namespace: str(f.namespace, 'namespace') ?? '',
    })),
    to: list(spec.to, 'spec.to', (t) => {
      const name = str(t.name, 'name');
      return {
        group: str(t.group, 'group') ?? '',
        kind: str(t.kind, 'kind') ?? '',
        ...(name !== undefined ? { name } : {}),
      };
    }),
  };
});

export function rawReferenceGrant(grant: ReferenceGrant): Raw {
  // group "" is written out: the API requires the field (as "" for the core group).
  return { spec: { from: grant.from, to: grant.to } };
}
