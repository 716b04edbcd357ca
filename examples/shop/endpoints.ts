// What the EndpointSlice and Endpoints controllers write for a Service with a selector, and
// EndpointSlices made by hand.

import { isJsonObject } from '../../src/core/json-value.js';
import { matchesSelector } from '../../src/core/selectors.js';
import { controllerEndpoints, controllerSlices } from '../../test/support/controller.js';
import { type Raw, slice } from '../../test/support/objects.js';
import {
  requiredStrings,
  requiredObject,
  requiredObjects,
  requiredString,
} from '../../test/support/required-fields.js';
import { latest, token, uid } from './ids.js';
import { NODES } from './nodes.js';

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The last change to the Service's pods: what the controllers write as last-change-trigger-time. */
function lastChange(svc: Raw, pods: Raw[]): string {
  const selector = requiredStrings(svc, 'spec', 'selector');
  const namespace = requiredString(svc, 'metadata', 'namespace');
  const times = [requiredString(svc, 'metadata', 'creationTimestamp')];
  for (const p of pods) {
    if (requiredString(p, 'metadata', 'namespace') !== namespace) continue;
    if (!matchesSelector(requiredStrings(p, 'metadata', 'labels'), selector)) continue;
    times.push(requiredString(p, 'metadata', 'creationTimestamp'));
    for (const c of requiredObjects(p, 'status', 'conditions'))
      if (c.type === 'Ready') times.push(requiredString(c, 'lastTransitionTime'));
  }
  return latest(times);
}

/** A slice from controllerSlices, named and dressed as the API server returns it. */
function dressSlice(s: Raw, svc: Raw, trigger: string): Raw {
  const svcName = requiredString(svc, 'metadata', 'name');
  const name = `${svcName}-${token(`slice/${requiredString(s, 'metadata', 'name')}`, 5)}`;
  const hasEndpoints = requiredObjects(s, 'endpoints').length > 0;
  s.metadata = {
    ...requiredObject(s, 'metadata'),
    ...(hasEndpoints ? { annotations: { [TRIGGER]: trigger } } : {}),
    name,
    generateName: `${svcName}-`,
    uid: uid(`slice/${requiredString(svc, 'metadata', 'namespace')}/${name}`),
    creationTimestamp: requiredString(svc, 'metadata', 'creationTimestamp'),
  };
  // Empty lists come back from the API server as null.
  if (!hasEndpoints) s.endpoints = null;
  if (requiredObjects(s, 'ports').length === 0) s.ports = null;
  return s;
}

/** The EndpointSlices and Endpoints the controllers keep for a Service with a selector. */
export function controllerObjects(svc: Raw, pods: Raw[], o: { slicePods?: Raw[]; overCapacity?: boolean } = {}): Raw[] {
  const trigger = lastChange(svc, pods);
  const slices = controllerSlices(svc, o.slicePods ?? pods, NODES).map((s) => dressSlice(s, svc, trigger));
  const legacy = controllerEndpoints(svc, pods, NODES)!;
  const legacyMeta = requiredObject(legacy, 'metadata');
  legacy.metadata = {
    ...legacyMeta,
    annotations: {
      ...(isJsonObject(legacyMeta.annotations) ? legacyMeta.annotations : {}),
      [TRIGGER]: trigger,
      ...(o.overCapacity ? { 'endpoints.kubernetes.io/over-capacity': 'truncated' } : {}),
    },
    uid: uid(`endpoints/${requiredString(svc, 'metadata', 'namespace')}/${requiredString(svc, 'metadata', 'name')}`),
    creationTimestamp: requiredString(svc, 'metadata', 'creationTimestamp'),
  };
  if (requiredObjects(legacy, 'subsets').length === 0) delete legacy.subsets;
  return [...slices, legacy];
}

/** A hand-made EndpointSlice: someone's own managed-by, endpoints with just `ready: true`. */
export function handMadeSlice(
  svc: Raw,
  name: string,
  created: string,
  o: { managedBy: string; addressType?: string; ports: Raw[]; addresses: string[] },
): Raw {
  const namespace = requiredString(svc, 'metadata', 'namespace');
  const s = slice(requiredString(svc, 'metadata', 'name'), {
    ns: namespace,
    name,
    managedBy: o.managedBy,
    addressType: o.addressType ?? 'IPv4',
    ports: o.ports,
    endpoints: o.addresses.map((ip) => ({ ip })),
  });
  for (const e of requiredObjects(s, 'endpoints')) e.conditions = { ready: true };
  Object.assign(requiredObject(s, 'metadata'), { uid: uid(`slice/${namespace}/${name}`), creationTimestamp: created });
  return s;
}
