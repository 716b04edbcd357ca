// Warning events, as `kubectl get events -A --field-selector type=Warning -o yaml` prints them:
// what the kubelet and the controllers said about the broken pods and Services of the stories,
// within the hour before the snapshot (the API server keeps events for an hour by default). Each
// event names its object by kind, namespace, name and uid, and only such an event is evidence:
// one about the elasticsearch-0 that the StatefulSet had before it was recreated this morning
// (same name, another uid) is here too, and must not be taken for the new pod's. The pods on
// worker-c2 got the node lifecycle controller's NodeNotReady when the node stopped reporting.
//
//   payments/fraud-score   the grpc port added last night has no endpoints: the namespace's
//                          ResourceQuota on EndpointSlices refuses the slice for the new port set,
//                          which only the EndpointSlice controller's events say
//                          → service-warning-events

import { valueAt } from '../../src/core/json-value.js';
import type { Raw } from '../../test/support/objects.js';
import { requiredObject, requiredString } from '../../test/support/required-fields.js';
import { NOW, plus, token, uid } from './ids.js';
import { C2_UNKNOWN_SINCE } from './nodes.js';
import { app, REGISTRY, replicaSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

interface Said {
  reason: string;
  message: string;
  count: number;
  /** Seconds before the snapshot it was first and last seen. */
  first: number;
  last: number;
  source: string;
}

/** The event the recorder writes about `about` (kind, namespace, name and uid), as kubectl prints it. */
function eventAbout(about: Ref, said: Said): Raw {
  const eventName = `${about.name}.${token(`event/${about.uid}/${said.reason}/${said.message}`, 16).toLowerCase()}`;
  return {
    apiVersion: 'v1',
    count: said.count,
    firstTimestamp: plus(NOW, -said.first),
    involvedObject: {
      apiVersion: about.kind === 'Pod' || about.kind === 'Service' ? 'v1' : 'discovery.k8s.io/v1',
      kind: about.kind,
      name: about.name,
      namespace: about.ns,
      uid: about.uid,
    },
    kind: 'Event',
    lastTimestamp: plus(NOW, -said.last),
    message: said.message,
    metadata: {
      creationTimestamp: plus(NOW, -said.first),
      name: eventName,
      namespace: about.ns,
      uid: uid(`event/${about.ns}/${eventName}`),
    },
    reason: said.reason,
    source: { component: said.source },
    type: 'Warning',
  };
}

type Ref = { kind: string; ns: string; name: string; uid: string };

/** The first object of `kind` in `ns` whose name starts with `namePrefix` (generated names) and that `also` accepts. */
function find(objects: Raw[], kind: string, ns: string, namePrefix: string, also = (_: Raw) => true): Ref {
  const found = objects.find(
    (o) =>
      o.kind === kind &&
      requiredString(o, 'metadata', 'namespace') === ns &&
      requiredString(o, 'metadata', 'name').startsWith(namePrefix) &&
      also(o),
  );
  if (!found) throw new Error(`no ${kind} ${ns}/${namePrefix}* in the shop`);
  return { kind, ns, name: requiredString(found, 'metadata', 'name'), uid: requiredString(found, 'metadata', 'uid') };
}

/** payments/fraud-score: a port added, and the slice for it refused by the namespace's quota. */
export function fraudScore({ workload }: Shop): void {
  const http = buildService({ ns: 'payments', name: 'fraud-score', created: '2026-06-02T08:30:00Z', ports: [HTTP] });
  const template = app('fraud-score', '3.1.0');
  const [container] = template.containers;
  const withGrpc = { ...container, ports: [...(container.ports ?? []), { name: 'grpc', containerPort: 9090 }] };
  const pods = replicaSetPods('fraud-score', '3.1.0', { ...template, ns: 'payments', containers: [withGrpc] }, [
    { node: 'worker-a1', created: '2026-11-26T16:40:00Z' },
    { node: 'worker-c1', created: '2026-11-26T16:40:00Z' },
  ]);
  // What the controllers wrote before the grpc port was added; the slice for the new port set is
  // the one the quota refuses, so the old one stays.
  workload(http, pods);
  requiredObject(http, 'spec').ports = [HTTP, port('grpc', 9090, 'grpc')];
}

/** Every Warning event of the snapshot's last hour, about objects the stories built. */
export function warningEvents(objects: Raw[]): Raw[] {
  const about = (kind: string, ns: string, name: string) => find(objects, kind, ns, name);
  const events: Raw[] = [];
  const say = (object: Ref, said: Said) => events.push(eventAbout(object, said));

  const checkout = about('Pod', 'shop', 'checkout-');
  say(checkout, {
    reason: 'BackOff',
    message: `Back-off restarting failed container checkout in pod ${checkout.name}_shop(${checkout.uid})`,
    count: 47,
    first: 2600,
    last: 40,
    source: 'kubelet',
  });

  for (const i of [0, 1, 2]) {
    say(about('Pod', 'shop', `elasticsearch-${i}`), {
      reason: 'Unhealthy',
      message: 'Readiness probe failed: curl: (22) The requested URL returned error: 503',
      count: 141 - i,
      first: 1460,
      last: 5 + i * 3,
      source: 'kubelet',
    });
  }
  // The elasticsearch-0 of the StatefulSet deleted at 09:49: the same name, its own uid.
  say(
    { kind: 'Pod', ns: 'shop', name: 'elasticsearch-0', uid: uid('pod/shop/elasticsearch-0/before-recreate') },
    {
      reason: 'Unhealthy',
      message:
        "Readiness probe failed: curl: (7) Failed to connect to 127.0.0.1 port 9200 after 0 ms: Couldn't connect to server",
      count: 6,
      first: 1600,
      last: 1540,
      source: 'kubelet',
    },
  );

  // The node lifecycle controller, when worker-c2 stopped reporting, on every pod there.
  const sinceC2 = (Date.parse(NOW) - Date.parse(C2_UNKNOWN_SINCE)) / 1000;
  for (const o of objects) {
    if (o.kind !== 'Pod' || valueAt(o, 'spec', 'nodeName') !== 'worker-c2') continue;
    const ns = requiredString(o, 'metadata', 'namespace');
    say(find(objects, 'Pod', ns, requiredString(o, 'metadata', 'name')), {
      reason: 'NodeNotReady',
      message: 'Node is not ready',
      count: 1,
      first: sinceC2,
      last: sinceC2,
      source: 'node-controller',
    });
  }

  const cartImage = `${REGISTRY}/cart:v2.4.0`;
  // The new version's pod, stuck on its image.
  const cart = find(objects, 'Pod', 'shop', 'cart-', (o) => requiredString(o, 'status', 'phase') === 'Pending');
  say(cart, {
    reason: 'Failed',
    message: `Failed to pull image "${cartImage}": rpc error: code = NotFound desc = failed to pull and unpack image "${cartImage}": failed to resolve reference "${cartImage}": ${cartImage}: not found`,
    count: 4,
    first: 1017,
    last: 110,
    source: 'kubelet',
  });
  say(cart, {
    reason: 'BackOff',
    message: `Back-off pulling image "${cartImage}"`,
    count: 71,
    first: 1010,
    last: 12,
    source: 'kubelet',
  });

  say(about('Service', 'payments', 'fraud-score'), {
    reason: 'FailedToUpdateEndpointSlices',
    message:
      'Error updating Endpoint Slices for Service payments/fraud-score: failed to create EndpointSlice for Service ' +
      'payments/fraud-score: endpointslices.discovery.k8s.io "fraud-score-" is forbidden: exceeded quota: object-counts, ' +
      'requested: count/endpointslices.discovery.k8s.io=1, used: count/endpointslices.discovery.k8s.io=12, limited: ' +
      'count/endpointslices.discovery.k8s.io=12',
    count: 58,
    first: 3480,
    last: 64,
    source: 'endpoint-slice-controller',
  });
  return events;
}
