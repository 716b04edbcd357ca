// An Endpoints (v1): its subsets' addresses and ports, and written back for the snapshot.

import type { EndpointAddress, Endpoints } from '../../core/objects.js';
import { checked, int, list, nonEmpty, present, protocol, rawRef, slimMeta, slimRef, str, type Raw } from './fields.js';

function slimAddress(raw: Raw): EndpointAddress | undefined {
  const ip = str(raw.ip, 'ip');
  const nodeName = str(raw.nodeName, 'nodeName');
  const targetRef = slimRef(raw.targetRef, 'targetRef');
  return ip ? { ip, nodeName, targetRef } : undefined;
}

export const slimEndpoints = checked(function slimEndpoints(raw: Raw): Endpoints {
  const meta = slimMeta(raw, true);
  return {
    kind: 'Endpoints',
    meta,
    subsets: list(raw.subsets, 'subsets', (s) => ({
      addresses: list(s.addresses, 'addresses', slimAddress).filter(present),
      notReadyAddresses: list(s.notReadyAddresses, 'notReadyAddresses', slimAddress).filter(present),
      ports: list(s.ports, 'ports', (p) => ({
        name: str(p.name, 'name') ?? '',
        port: int(p.port, 'port') ?? 0,
        protocol: protocol(p.protocol, 'protocol'),
      })),
    })),
  };
});

function rawAddress(a: EndpointAddress): Raw {
  return { ip: a.ip, nodeName: a.nodeName, targetRef: rawRef(a.targetRef) };
}

function rawSubset(s: Endpoints['subsets'][number]): Raw {
  return {
    addresses: nonEmpty(s.addresses.map(rawAddress)),
    notReadyAddresses: nonEmpty(s.notReadyAddresses.map(rawAddress)),
    ports: nonEmpty(s.ports.map((p) => ({ name: p.name || undefined, port: p.port, protocol: p.protocol }))),
  };
}

export function rawEndpoints(e: Endpoints): Raw {
  return { subsets: nonEmpty(e.subsets.map(rawSubset)) };
}
