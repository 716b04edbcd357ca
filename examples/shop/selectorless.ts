// Services without a selector, whose endpoints someone else keeps (or nobody does): hand-made
// EndpointSlices and Endpoints, controllers' leftovers, an ExternalName, a Service for another proxy.

import { endpoints, slice } from '../../test/support/objects.js';
import { controllerObjects, handMadeSlice } from './endpoints.js';
import { requiredStrings, requiredObject, requiredObjects } from '../../test/support/required-fields.js';
import { token, uid } from './ids.js';
import { app, appLabels, replicaSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** payments/psp-egress: selectorless, with a correct hand-made EndpointSlice, healthy. */
export function pspEgress({ add }: Shop): void {
  const psp = buildService({
    ns: 'payments',
    name: 'psp-egress',
    created: '2026-02-09T13:20:00Z',
    selector: null,
    ports: [port('https', 443, 443)],
  });
  add(
    psp,
    handMadeSlice(psp, 'psp-egress-1', '2026-02-09T13:20:04Z', {
      managedBy: 'payments-team',
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      addresses: ['10.10.30.11', '10.10.30.12'],
    }),
  );
}

/** shop/notifications: the selector was removed, the controllers' objects stay behind. */
export function notifications({ add }: Shop): void {
  // The team moved to an e-mail provider: they deleted the Deployment and removed the selector,
  // meaning to point the Service at the provider later. Nothing deletes what the controllers wrote,
  // and the mirroring controller now copies the left-over Endpoints too.
  const notifications = buildService({ name: 'notifications', created: '2025-04-02T10:12:03Z', ports: [HTTP] });
  const deleted = replicaSetPods('notifications', '2.7.0', app('notifications', '2.7.0'), [
    { node: 'worker-a1', created: '2026-11-10T08:00:00Z' },
    { node: 'worker-c1', created: '2026-11-10T08:00:00Z' },
  ]);
  const leftOver = controllerObjects(notifications, deleted);
  delete requiredObject(notifications, 'spec').selector;
  add(notifications, ...leftOver);
  const leftEndpoints = leftOver.find((o) => o.kind === 'Endpoints')!;
  const mirrored = slice('notifications', {
    name: `notifications-${token('mirror/notifications', 5)}`,
    managedBy: 'endpointslicemirroring-controller.k8s.io',
    labels: requiredStrings(leftEndpoints, 'metadata', 'labels'), // the mirroring controller copies the Endpoints' labels
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  mirrored.endpoints = requiredObjects(leftEndpoints, 'subsets', 0, 'addresses').map((a) => ({
    addresses: [a.ip],
    conditions: { ready: true },
    nodeName: a.nodeName,
    targetRef: a.targetRef,
  }));
  Object.assign(requiredObject(mirrored, 'metadata'), {
    uid: uid('slice/shop/notifications-mirrored'),
    creationTimestamp: '2026-11-24T16:02:11Z',
    generateName: 'notifications-',
    ownerReferences: [
      {
        apiVersion: 'v1',
        blockOwnerDeletion: true,
        controller: true,
        kind: 'Endpoints',
        name: 'notifications',
        uid: requiredObject(leftEndpoints, 'metadata').uid,
      },
    ],
  });
  add(mirrored);
}

/** shop/erp: an Endpoints copied from default/kubernetes, skip-mirror label and all. */
export function erp({ add }: Shop): void {
  const erpEndpoints = endpoints('erp', {
    labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    subsets: [{ addresses: [{ ip: '10.10.20.41' }], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }] }],
  });
  Object.assign(requiredObject(erpEndpoints, 'metadata'), {
    uid: uid('endpoints/shop/erp'),
    creationTimestamp: '2026-08-19T14:22:03Z',
  });
  add(
    buildService({ name: 'erp', created: '2026-08-19T14:22:00Z', selector: null, ports: [port('https', 443, 8443)] }),
    erpEndpoints,
  );
}

/** shop/orders-db: PostgreSQL on two VMs; the hand-made slice's port has no name. */
export function ordersDb({ add }: Shop): void {
  const ordersDb = buildService({
    name: 'orders-db',
    created: '2026-11-26T17:40:00Z',
    selector: null,
    ports: [port('postgres', 5432, 5432)],
  });
  add(
    ordersDb,
    handMadeSlice(ordersDb, 'orders-db-1', '2026-11-26T17:40:05Z', {
      managedBy: 'staff',
      ports: [{ port: 5432, protocol: 'TCP' }],
      addresses: ['10.10.20.51', '10.10.20.52'],
    }),
  );
}

/** payments/bank-gateway: a hand-made slice of addressType FQDN. */
export function bankGateway({ add }: Shop): void {
  const bank = buildService({
    ns: 'payments',
    name: 'bank-gateway',
    created: '2026-11-26T15:02:00Z',
    selector: null,
    ports: [port('https', 443, 443)],
  });
  add(
    bank,
    handMadeSlice(bank, 'bank-gateway-1', '2026-11-26T15:02:04Z', {
      managedBy: 'payments-team',
      addressType: 'FQDN',
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
      addresses: ['psd2-gw.bank.example'],
    }),
  );
}

/** payments/ledger-db: ExternalName pointing at an IP address. */
export function ledgerDb({ add }: Shop): void {
  add(
    buildService({
      ns: 'payments',
      name: 'ledger-db',
      created: '2026-07-01T09:00:00Z',
      type: 'ExternalName',
      selector: null,
      ports: [port('postgres', 5432, 5432)],
      spec: { externalName: '10.10.40.15' },
    }),
  );
}

/** payments/hsm: labelled for multus-proxy, which this cluster does not run. */
export function hsm({ add }: Shop): void {
  const hsm = buildService({
    ns: 'payments',
    name: 'hsm',
    created: '2026-05-20T10:00:00Z',
    selector: null,
    labels: { ...appLabels('hsm'), 'service.kubernetes.io/service-proxy-name': 'multus-proxy' },
    annotations: { 'k8s.v1.cni.cncf.io/service-network': 'hsm-net' },
    ports: [port('pkcs11', 1792, 1792)],
  });
  add(
    hsm,
    handMadeSlice(hsm, 'hsm-1', '2026-05-20T10:00:02Z', {
      managedBy: 'payments-team',
      ports: [{ name: 'pkcs11', port: 1792, protocol: 'TCP' }],
      addresses: ['10.50.0.11', '10.50.0.12'],
    }),
  );
}
