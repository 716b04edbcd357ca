import {
  allAddresses,
  describeEndpointPort,
  isControllerSlice,
  isLeaderElection,
  isMirroredSlice,
  isProxiedSlice,
} from '../model/endpoint-meta.js';
import { describeServicePort } from '../model/ports.js';
import type { ServiceView } from '../model/service-view.js';
import type { Service, ServicePort, SlicePort } from '../core/objects.js';
import { agree, kubectl, listSome, plural, shellQuote } from './helpers.js';
import type { Check, FindingDraft, MessageData } from './types.js';
import { familyOf, type AddressFamily } from '../core/ip.js';

/** A hand-made source of endpoints: one slice, or one Endpoints subset. */
interface Source {
  /** "EndpointSlice web-1", "Endpoints web (subset 1)" */
  label: string;
  ports: SlicePort[];
  endpointCount: number;
  /** Address families of its endpoints: kube-proxy runs one proxier per family (docs/kubernetes-semantics.md#one-slice-set-per-address-family). */
  families: AddressFamily[];
  /** How to edit it. */
  edit: string;
}

/** kube-proxy's pairing (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices): same name and protocol; ports with no name or no number are ignored. */
function pairs(servicePort: ServicePort, port: SlicePort): boolean {
  return (
    port.name !== null &&
    port.port !== undefined &&
    port.name === servicePort.name &&
    port.protocol === servicePort.protocol
  );
}

/** Why no port of the sources pairs with the Service port, as the most specific note of the check; undefined when it has none. */
function whyNoPair(servicePort: ServicePort, ports: SlicePort[]): { note: string; data: MessageData } | undefined {
  const sameName = ports.find((p) => p.name === servicePort.name);
  const quoted = JSON.stringify(servicePort.name);
  if (sameName && sameName.protocol !== servicePort.protocol) {
    return { note: 'otherProtocol', data: { quoted, sliceProtocol: sameName.protocol } };
  }
  if (sameName && sameName.port === undefined) return { note: 'noPortNumber', data: { quoted } };
  if (servicePort.name === '' && ports.some((p) => p.name === null)) return { note: 'slicePortNameless', data: {} };
  if (servicePort.name === '' && ports.length === 1) {
    return { note: 'needsEmptyName', data: { sliceName: JSON.stringify(ports[0].name) } };
  }
  if (servicePort.name !== '' && ports.some((p) => p.name === '' || p.name === null)) {
    return { note: 'unnamedSlicePort', data: { quoted } };
  }
  if (ports.length === 0) return { note: 'noPorts', data: {} };
  return undefined;
}

function sourcesOf(service: Service, view: ServiceView): Source[] {
  const ns = service.meta.namespace;
  const slices = view.slices.filter((s) => isProxiedSlice(s) && !isControllerSlice(s));
  if (slices.length > 0) {
    return slices.map((s) => ({
      label: `EndpointSlice ${s.meta.name}`,
      ports: s.ports,
      endpointCount: s.endpoints.filter((e) => e.addresses.length > 0).length,
      families: [s.addressType as AddressFamily],
      edit: isMirroredSlice(s)
        ? `the slice mirrors Endpoints ${shellQuote(service.meta.name)}; fix the port there: ${kubectl('edit', 'endpoints', service.meta.name, '-n', ns)}`
        : kubectl('edit', 'endpointslice', s.meta.name, '-n', ns),
    }));
  }
  // No hand-made slice: judge the Endpoints, whose ports the mirroring controller copies (docs/kubernetes-semantics.md#endpointslice-mirroring).
  const endpoints = view.endpoints;
  if (!endpoints || isLeaderElection(endpoints) || allAddresses(endpoints).length === 0) return [];
  return endpoints.subsets.map((subset, i) => ({
    label: `Endpoints ${endpoints.meta.name}${endpoints.subsets.length > 1 ? ` (subset ${i + 1})` : ''}`,
    ports: subset.ports.map((p) => ({ name: p.name, port: p.port > 0 ? p.port : undefined, protocol: p.protocol })),
    endpointCount: subset.addresses.length + subset.notReadyAddresses.length,
    // The mirroring controller splits a subset by the family of each address (docs/kubernetes-semantics.md#endpointslice-mirroring).
    families: [
      ...new Set(
        [...subset.addresses, ...subset.notReadyAddresses].flatMap((a) => {
          const family = familyOf(a.ip);
          return family ? [family] : [];
        }),
      ),
    ],
    edit: kubectl('edit', 'endpoints', endpoints.meta.name, '-n', ns),
  }));
}

function describePorts(source: Source): string {
  return source.ports.length ? source.ports.map(describeEndpointPort).join(', ') : 'no ports';
}

function describeSources(sources: Source[]): string {
  return sources.map((s) => `${s.label} has ${describePorts(s)}`).join('; ');
}

const NO_PAIR =
  'no hand-made endpoint port pairs with Service port {{port}} by name and protocol, so kube-proxy has no endpoints for it';

export const manualEndpointsPortMismatch: Check = {
  id: 'manual-endpoints-port-mismatch',
  severity: 'error',
  title: 'Hand-made EndpointSlice or Endpoints ports do not pair with the Service ports',
  explanation:
    'kube-proxy files the endpoints of a slice under the Service port whose name and protocol equal the slice ' +
    'port\'s: an unnamed Service port pairs only with a slice port named "", and slice ports without a name or a ' +
    "port number are ignored. The Service's targetPort plays no part; the slice's port number is used. For a " +
    'selectorless Service, a Service port no slice port pairs with has no endpoints, and its connections are rejected.',
  fix:
    'Name the ports of the EndpointSlice (or of the Endpoints it is mirrored from) exactly as the Service ports, ' +
    'with the same protocol: name "" for a single unnamed Service port.',
  messages: {
    noPortPairs: `${NO_PAIR}: {{sources}}`,
    noPortPairsForFamily: `${NO_PAIR} for {{failing}} clients: {{sources}}`,
    sourcePairsWithNoPort:
      'the {{source}} pairs with no Service port (it has {{sourcePorts}}; the Service has {{servicePorts}}): its ' +
      '{{endpoints}} {{gets}} no traffic',
  },
  // Why no port pairs, where it can be told.
  notes: {
    otherProtocol: ' (the {{quoted}} port has protocol {{sliceProtocol}}, the Service port {{protocol}})',
    noPortNumber: ' (the {{quoted}} port has no port number, so kube-proxy ignores it)',
    slicePortNameless:
      ' (the slice port has no name at all; an unnamed Service port needs name: "" in the slice (a missing name is ignored))',
    needsEmptyName: ' (the Service port is unnamed, so the slice port must be named "", not {{sliceName}})',
    unnamedSlicePort: ' (an unnamed slice port only pairs with an unnamed Service port; it needs name {{quoted}})',
    noPorts: ' (it lists no ports at all)',
  },
  severities: { sourcePairsWithNoPort: 'warning' },
  // Headless Services are not proxied, and DNS answers do not depend on the port pairing (docs/kubernetes-semantics.md#headless-services).
  appliesToServices: { backends: ['selectorless'], addresses: ['proxied', 'unproxied'] },
  run(view) {
    const { service } = view;
    if (service.ports.length === 0) return [];
    const sources = sourcesOf(service, view).filter((s) => s.endpointCount > 0);
    if (sources.length === 0) return [];

    // Families the Service has a ClusterIP of (all that occur, for an old Service without ipFamilies).
    const served =
      service.ipFamilies.length > 0 ? service.ipFamilies : [...new Set(sources.flatMap((s) => s.families))];
    const families = served.filter((f) => sources.some((s) => s.families.includes(f)));
    const findings: FindingDraft[] = [];
    for (const servicePort of service.ports) {
      const failing = families.filter(
        (f) => !sources.some((s) => s.families.includes(f) && s.ports.some((p) => pairs(servicePort, p))),
      );
      if (failing.length === 0) continue;
      const relevant = sources.filter((s) => s.families.some((f) => failing.includes(f)));
      const why = whyNoPair(
        servicePort,
        relevant.flatMap((s) => s.ports),
      );
      const wanted = `name: ${JSON.stringify(servicePort.name)}, protocol: ${servicePort.protocol}`;
      findings.push({
        reason: failing.length < families.length ? 'noPortPairsForFamily' : 'noPortPairs',
        data: {
          port: describeServicePort(servicePort),
          protocol: servicePort.protocol,
          failing: failing.join(' and '),
          sources: describeSources(relevant),
          ...why?.data,
        },
        ...(why ? { notes: [why.note] } : {}),
        port: describeServicePort(servicePort),
        fix: `give the port ${wanted} and the backend port number (ports: [{${wanted}, port: <backend port>}]): ${relevant[0].edit}`,
      });
    }
    if (findings.length > 0) return findings;

    // Every Service port pairs somewhere; a source pairing with none of them carries dead endpoints.
    for (const source of sources) {
      if (!source.families.some((f) => families.includes(f))) continue;
      if (source.ports.some((p) => service.ports.some((sp) => pairs(sp, p)))) continue;
      findings.push({
        reason: 'sourcePairsWithNoPort',
        data: {
          source: source.label,
          sourcePorts: describePorts(source),
          servicePorts: service.ports.map(describeServicePort).join(', '),
          endpoints: plural(source.endpointCount, 'endpoint'),
          gets: agree(source.endpointCount, 'gets', 'get'),
        },
        fix: `name its ports as the Service ports (${listSome(service.ports.map((p) => JSON.stringify(p.name)))}), or delete it: ${source.edit}`,
      });
    }
    return findings;
  },
};
