// An EndpointSlice: its endpoints with kube-proxy's reading of unset conditions, and written back for the snapshot.

import type { EndpointSlice } from '../../core/objects.js';
import {
  bool,
  checked,
  fields,
  int,
  list,
  nonEmpty,
  protocol,
  rawRef,
  slimMeta,
  slimRef,
  interned,
  str,
  strings,
  type Raw,
} from './fields.js';

export const slimEndpointSlice = checked(function slimEndpointSlice(raw: Raw): EndpointSlice {
  const meta = slimMeta(raw, true);
  return {
    kind: 'EndpointSlice',
    meta,
    addressType: str(raw.addressType, 'addressType') ?? '',
    ports: list(raw.ports, 'ports', (p) => {
      const port = int(p.port, 'port');
      return {
        // "" is a name here (an unnamed port), unlike an absent name.
        name: typeof p.name === 'string' ? p.name : (str(p.name, 'name') ?? null),
        port: port !== undefined && port > 0 ? port : undefined,
        protocol: protocol(p.protocol, 'protocol'),
      };
    }),
    endpoints: list(raw.endpoints, 'endpoints', (e) => {
      const c = fields(e.conditions, 'conditions');
      return {
        addresses: strings(e.addresses, 'addresses'),
        // Unset conditions read as kube-proxy reads them: ready and serving true, terminating false.
        conditions: {
          ready: bool(c.ready, 'conditions.ready') !== false,
          serving: bool(c.serving, 'conditions.serving') !== false,
          terminating: bool(c.terminating, 'conditions.terminating') === true,
        },
        nodeName: interned(str(e.nodeName, 'nodeName')),
        zone: str(e.zone, 'zone'),
        hintZones: list(fields(e.hints, 'hints').forZones, 'hints.forZones', (z) => str(z.name, 'name')).filter(
          (z): z is string => !!z,
        ),
        targetRef: slimRef(e.targetRef, 'targetRef'),
      };
    }),
    serviceName: meta.labels['kubernetes.io/service-name'],
    managedBy: meta.labels['endpointslice.kubernetes.io/managed-by'],
  };
});

export function rawEndpointSlice(s: EndpointSlice): Raw {
  return {
    addressType: s.addressType || undefined,
    ports: nonEmpty(s.ports.map((p) => ({ name: p.name ?? undefined, port: p.port, protocol: p.protocol }))),
    endpoints: nonEmpty(
      s.endpoints.map((e) => ({
        addresses: e.addresses,
        conditions: { ...e.conditions },
        nodeName: e.nodeName,
        zone: e.zone,
        hints: e.hintZones.length > 0 ? { forZones: e.hintZones.map((name) => ({ name })) } : undefined,
        targetRef: rawRef(e.targetRef),
      })),
    ),
  };
}
