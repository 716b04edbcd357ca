// What the EndpointSlice and Endpoints controllers write for a Service with a selector, and
// EndpointSlices made by hand.

import { controllerEndpoints, controllerSlices } from '../../test/support/controller.js';
import { type Raw, slice } from '../../test/support/objects.js';
import { latest, token, uid } from './ids.js';
import { NODES } from './nodes.js';

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The last change to the Service's pods: what the controllers write as last-change-trigger-time. */
function lastChange(svc: Raw, pods: Raw[]): string {
  const selector: Record<string, string> = svc.spec.selector ?? {};
  const times = [svc.metadata.creationTimestamp as string];
  for (const p of pods) {
    if (p.metadata.namespace !== svc.metadata.namespace) continue;
    if (!Object.entries(selector).every(([k, v]) => p.metadata.labels[k] === v)) continue;
    times.push(p.metadata.creationTimestamp);
    for (const c of p.status.conditions) if (c.type === 'Ready') times.push(c.lastTransitionTime);
  }
  return latest(times);
}

/** A slice from controllerSlices, named and dressed as the API server returns it. */
function dressSlice(s: Raw, svc: Raw, trigger: string): Raw {
  const svcName: string = svc.metadata.name;
  const name = `${svcName}-${token(`slice/${s.metadata.name}`, 5)}`;
  s.metadata = {
    ...s.metadata,
    ...(s.endpoints.length > 0 ? { annotations: { [TRIGGER]: trigger } } : {}),
    name,
    generateName: `${svcName}-`,
    uid: uid(`slice/${svc.metadata.namespace}/${name}`),
    creationTimestamp: svc.metadata.creationTimestamp,
  };
  // Empty lists come back from the API server as null.
  if (s.endpoints.length === 0) s.endpoints = null;
  if (s.ports.length === 0) s.ports = null;
  return s;
}

/** The EndpointSlices and Endpoints the controllers keep for a Service with a selector. */
export function controllerObjects(svc: Raw, pods: Raw[], o: { slicePods?: Raw[]; overCapacity?: boolean } = {}): Raw[] {
  const trigger = lastChange(svc, pods);
  const slices = controllerSlices(svc, o.slicePods ?? pods, NODES).map((s) => dressSlice(s, svc, trigger));
  const legacy = controllerEndpoints(svc, pods, NODES)!;
  legacy.metadata = {
    ...legacy.metadata,
    annotations: {
      ...legacy.metadata.annotations,
      [TRIGGER]: trigger,
      ...(o.overCapacity ? { 'endpoints.kubernetes.io/over-capacity': 'truncated' } : {}),
    },
    uid: uid(`endpoints/${svc.metadata.namespace}/${svc.metadata.name}`),
    creationTimestamp: svc.metadata.creationTimestamp,
  };
  if (legacy.subsets.length === 0) delete legacy.subsets;
  return [...slices, legacy];
}

/** A hand-made EndpointSlice: someone's own managed-by, endpoints with just `ready: true`. */
export function handMadeSlice(
  svc: Raw,
  name: string,
  created: string,
  o: { managedBy: string; addressType?: string; ports: Raw[]; addresses: string[] },
): Raw {
  const s = slice(svc.metadata.name, {
    ns: svc.metadata.namespace,
    name,
    managedBy: o.managedBy,
    addressType: o.addressType ?? 'IPv4',
    ports: o.ports,
    endpoints: o.addresses.map((ip) => ({ ip })),
  });
  for (const e of s.endpoints) e.conditions = { ready: true };
  Object.assign(s.metadata, { uid: uid(`slice/${svc.metadata.namespace}/${name}`), creationTimestamp: created });
  return s;
}
