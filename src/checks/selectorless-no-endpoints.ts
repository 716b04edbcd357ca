import {
  allAddresses,
  isControllerSlice,
  isLeaderElection,
  isMirroredSlice,
  isProxiedSlice,
  isSliceReadFor,
} from '../model/endpoint-meta.js';
import { externalNameProblem, isHeadless, primaryFamily, proxiedFamilies } from '../model/services.js';
import type { EndpointSlice, Endpoints } from '../core/objects.js';
import { agree, applySlice, kubectl, listSome, patchService } from './helpers.js';
import type { Check } from './types.js';

const hasAddress = (s: EndpointSlice) => s.endpoints.some((e) => e.addresses.length > 0);

/** Hand-made Endpoints that list a backend (a leader-election lock lists none). */
function listsAddresses(endpoints: Endpoints | undefined): boolean {
  return endpoints !== undefined && !isLeaderElection(endpoints) && allAddresses(endpoints).length > 0;
}

export const selectorlessNoEndpoints: Check = {
  id: 'selectorless-no-endpoints',
  severity: 'error',
  title: 'A selectorless Service has no endpoint in an EndpointSlice kube-proxy reads',
  explanation:
    'A Service without a selector (absent or {}) gets no endpoints from any controller: you supply them, as ' +
    'EndpointSlices labelled kubernetes.io/service-name=<service>, or as an Endpoints object of the same name that ' +
    'the mirroring controller copies into EndpointSlices. kube-proxy reads only EndpointSlices of addressType IPv4 ' +
    "or IPv6, and only those of the Service's own families: it runs one proxier per family, and a single-stack IPv4 " +
    'Service gets nothing from an IPv6 slice. With no endpoint in such a slice, connections to the ClusterIP are ' +
    'rejected and a headless name resolves to nothing.',
  fix:
    'Add the selector that picks the backend pods, or create an EndpointSlice for the Service (label ' +
    'kubernetes.io/service-name=<service>, your own endpointslice.kubernetes.io/managed-by, an addressType of the ' +
    "Service's family, port names equal to the Service port names).",
  messages: {
    noBackend: 'the Service has no selector, and no EndpointSlice or Endpoints object lists a backend for it',
    noBackendInSlices:
      'the Service has no selector, and no EndpointSlice lists a backend for it (Endpoints were not read; kube-proxy ' +
      'uses only EndpointSlices anyway)',
    onlyOtherFamily:
      'the Service has no selector, and its endpoints are all in EndpointSlices of another address family than its ' +
      'own ({{families}})',
  },
  notes: {
    // What the dataplane does, first; then what the input holds instead of a usable endpoint.
    rejected: ': kube-proxy rejects connections to its ClusterIP',
    noDnsAddress: ': its headless DNS name resolves to no address',
    otherFamilySlices:
      '; EndpointSlice {{otherSlices}} {{has}} addressType {{otherTypes}}, which no proxier reads for a Service ' +
      'without an {{otherTypes}} ClusterIP',
    mirroredPerFamily: ' (the mirroring controller files each address of the Endpoints {{name}} under its own family)',
    nonIpSlices:
      '; EndpointSlice {{nonIpSlices}} has addressType {{nonIpType}}, which kube-proxy ignores (only IPv4 and IPv6 count)',
    controllerPlaceholder:
      '; the empty EndpointSlice {{placeholders}} is a placeholder the EndpointSlice controller left when the selector ' +
      'was removed',
    emptySlices: '; EndpointSlice {{emptySlices}} lists no endpoint with an address',
    leaderElectionLock:
      '; Endpoints {{name}} is a leader-election lock (annotation control-plane.alpha.kubernetes.io/leader), not a ' +
      'list of backends',
    emptyEndpoints: '; Endpoints {{name}} exists but lists no address',
  },
  noReadyEndpointReasons: ['noBackend', 'noBackendInSlices', 'onlyOtherFamily'],
  appliesToServices: { backends: ['selectorless'] },
  requires: ['endpointSlices'],
  // Unless the Endpoints were read and list addresses that reached no slice: that is endpoints-not-mirrored's case.
  appliesTo: (view, model) =>
    !(model.coverage.endpoints && listsAddresses(view.endpoints) && !view.slices.some(isProxiedSlice)),
  run(view, model) {
    const { service } = view;
    // Endpoints kube-proxy reads: whether they are usable is no-ready-endpoints' question, and
    // left-over controller slices are stale-endpoints'.
    if (view.sliceEndpoints.length > 0) return [];
    const endpoints = view.endpoints;
    const usableEndpoints = endpoints && !isLeaderElection(endpoints) ? endpoints : undefined;
    // Endpoints with addresses that reached no IPv4/IPv6 slice at all: endpoints-not-mirrored says why.
    if (listsAddresses(endpoints) && !view.slices.some(isProxiedSlice)) return [];

    const name = service.meta.name;
    const ns = service.meta.namespace;
    const families = proxiedFamilies(service);
    // Slices with endpoints that no proxier of the Service's families reads (one proxier per family).
    const otherFamily = view.slices.filter((s) => isProxiedSlice(s) && !isSliceReadFor(service, s) && hasAddress(s));
    const reason =
      otherFamily.length > 0 ? 'onlyOtherFamily' : model.coverage.endpoints ? 'noBackend' : 'noBackendInSlices';
    const data: Record<string, string | number> = { name, families: families.join(', ') };
    const notes = [isHeadless(service) ? 'noDnsAddress' : 'rejected'];
    if (otherFamily.length > 0) {
      notes.push('otherFamilySlices');
      data.otherSlices = listSome(otherFamily.map((s) => s.meta.name));
      data.has = agree(otherFamily.length, 'has', 'have');
      data.otherTypes = [...new Set(otherFamily.map((s) => s.addressType))].join(', ');
      if (otherFamily.some(isMirroredSlice)) notes.push('mirroredPerFamily');
    }
    const nonIp = view.slices.filter((s) => !isProxiedSlice(s));
    if (nonIp.length > 0) {
      notes.push('nonIpSlices');
      data.nonIpSlices = listSome(nonIp.map((s) => s.meta.name));
      data.nonIpType = nonIp[0].addressType || '(empty)';
    }
    // An empty placeholder the EndpointSlice controller left behind when the selector was
    // removed (docs/kubernetes-semantics.md#which-services-get-controller-slices, docs/kubernetes-semantics.md#slice-size-placeholder-and-owner) is nobody's endpoint list; an empty slice of your own lists nothing yet.
    const empty = view.slices.filter((s) => isSliceReadFor(service, s) && !hasAddress(s));
    const placeholders = empty.filter(isControllerSlice);
    if (placeholders.length > 0) {
      notes.push('controllerPlaceholder');
      data.placeholders = listSome(placeholders.map((s) => s.meta.name));
    }
    const emptyOwn = empty.filter((s) => !isControllerSlice(s));
    if (emptyOwn.length > 0) {
      notes.push('emptySlices');
      data.emptySlices = listSome(emptyOwn.map((s) => s.meta.name));
    }
    if (endpoints && isLeaderElection(endpoints)) notes.push('leaderElectionLock');
    else if (usableEndpoints && allAddresses(usableEndpoints).length === 0) notes.push('emptyEndpoints');

    const port = service.ports[0];
    const createSlice =
      'create an EndpointSlice (fill in the <...>): ' +
      applySlice(service, {
        addressType: primaryFamily(service) ?? 'IPv4',
        address: '<backend IP>',
        portName: port?.name ?? '',
        port: '<backend port>',
        protocol: port?.protocol ?? 'TCP',
      });
    const selectorFix = `if the backends are pods, add a selector (${kubectl('edit', 'service', name, '-n', ns)})`;
    let fix = `${selectorFix}; otherwise ${createSlice}`;
    const otherFamilies = [...new Set(otherFamily.map((s) => s.addressType))];
    if (otherFamilies.length === 1 && service.ipFamilies.length === 1) {
      // Only a secondary family can be added; the primary one is immutable.
      const spec = { ipFamilyPolicy: 'RequireDualStack', ipFamilies: [...service.ipFamilies, otherFamilies[0]] };
      fix =
        `list the backends' ${families.join('/')} addresses: ${createSlice}; or, on a dual-stack cluster, give the ` +
        `Service the ${otherFamilies[0]} family too: ${patchService(service, { spec })}`;
    }
    // Host names in an FQDN slice: what the user most likely wants is the DNS CNAME an ExternalName
    // Service gives (docs/kubernetes-semantics.md#externalname-services); nothing ever proxies to an FQDN slice (docs/kubernetes-semantics.md#one-slice-set-per-address-family).
    const hostNames = [
      ...new Set(
        nonIp
          .filter((s) => s.addressType === 'FQDN')
          .flatMap((s) => s.endpoints.map((e) => e.addresses[0]))
          .filter((a): a is string => a !== undefined && externalNameProblem(a) === undefined),
      ),
    ];
    const host = hostNames[0];
    if (host) {
      fix =
        `if ${host} is the backend, make this an ExternalName Service: cluster DNS then answers its name with a CNAME to ` +
        `${host}, and clients connect there directly on the port they dial` +
        (hostNames.length > 1 ? ` (it names one host; the FQDN slices list ${hostNames.length})` : '') +
        `: ${patchService(service, { spec: { type: 'ExternalName', externalName: host } })}; ${selectorFix}; ` +
        `for fixed IPs, ${createSlice}`;
    }
    return [{ reason, data, notes, fix }];
  },
};
