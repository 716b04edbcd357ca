// The loyalty programme, in namespace loyalty, behind the cluster's shared Gateway (Gateway API
// HTTPRoutes), and the members team's Services it calls in namespace members: a route whose
// backendRefs are right, one naming a Service that is gone, one naming the pods' port, and one
// reaching into namespace members where a ReferenceGrant allows one Service and not the other.

import { httpRoute, referenceGrant, type Raw, type RouteOptions } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { uid } from './ids.js';
import { app, replicaSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** An HTTPRoute of namespace loyalty, created at `created`, as its Gateway's controller left its status. */
function loyaltyRoute(name: string, created: string, o: RouteOptions): Raw {
  const raw = httpRoute(name, { ns: 'loyalty', ...o });
  Object.assign(requiredObject(raw, 'metadata'), { uid: uid(`httproute/loyalty/${name}`), creationTimestamp: created });
  return raw;
}

/** Two pods of `name` in namespace `ns` and the Service selecting them. */
function twoPods({ workload }: Shop, ns: string, name: string, tag: string, created: string, svc: Raw[]): void {
  const pods = replicaSetPods(name, tag, { ...app(name, tag), ns }, [
    { node: 'worker-a1', created },
    { node: 'worker-c1', created },
  ]);
  workload(buildService({ ns, name, created: '2025-09-15T10:00:00Z', ports: svc }), pods);
}

/**
 * loyalty/points: / goes to points (healthy); /admin names 8080, the pods' port, where a backendRef
 * names the Service's port, 80 (route-backend-port-unknown).
 * loyalty/rewards: /rewards still goes to vouchers, the Service retired last week
 * (route-backend-missing).
 * loyalty/account: /profile goes to members/profile, which the members team's ReferenceGrant
 * allows (healthy); /sessions to members/sessions, which it does not name
 * (route-backend-not-permitted).
 */
export function loyalty(shop: Shop): void {
  twoPods(shop, 'loyalty', 'points', '2.0.3', '2026-11-20T08:14:05Z', [port('http', 80, 8080)]);
  twoPods(shop, 'members', 'profile', '5.1.0', '2026-11-19T16:40:21Z', [HTTP]);
  twoPods(shop, 'members', 'sessions', '5.1.0', '2026-11-19T16:41:02Z', [HTTP]);
  const grant = referenceGrant('loyalty-routes', {
    ns: 'members',
    from: [{ kind: 'HTTPRoute', namespace: 'loyalty' }],
    to: [{ kind: 'Service', name: 'profile' }],
  });
  Object.assign(requiredObject(grant, 'metadata'), {
    uid: uid('referencegrant/members/loyalty-routes'),
    creationTimestamp: '2026-10-02T09:30:00Z',
  });
  shop.add(
    loyaltyRoute('points', '2025-09-15T10:05:00Z', {
      rules: [
        { path: '/', backendRefs: [{ name: 'points', port: 80 }] },
        { path: '/admin', backendRefs: [{ name: 'points', port: 8080 }] },
      ],
      resolvedRefs: { status: 'False', reason: 'BackendNotFound', message: 'Service loyalty/points has no port 8080' },
    }),
    loyaltyRoute('rewards', '2025-09-15T10:06:00Z', {
      rules: [{ path: '/rewards', backendRefs: [{ name: 'vouchers', port: 80 }] }],
      resolvedRefs: { status: 'False', reason: 'BackendNotFound', message: 'Service loyalty/vouchers not found' },
    }),
    loyaltyRoute('account', '2026-10-02T09:35:00Z', {
      rules: [
        { path: '/profile', backendRefs: [{ name: 'profile', ns: 'members', port: 80 }] },
        { path: '/sessions', backendRefs: [{ name: 'sessions', ns: 'members', port: 80 }] },
      ],
      resolvedRefs: {
        status: 'False',
        reason: 'RefNotPermitted',
        message: 'backendRef members/sessions is not permitted by any ReferenceGrant',
      },
    }),
    grant,
  );
}
