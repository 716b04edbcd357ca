import { allAddresses, isControllerSlice, isLeaderElection, isProxiedSlice } from '../model/endpoint-meta.js';
import { isHeadless, primaryFamily } from '../model/services.js';
import type { EndpointSlice, Endpoints } from '../model/types.js';
import { externalNameProblem } from './externalname-invalid.js';
import { listSome } from './helpers.js';
import type { Check } from './types.js';

/** Hand-made Endpoints that list a backend (a leader-election lock lists none). */
function listsAddresses(endpoints: Endpoints | undefined): boolean {
  return endpoints !== undefined && !isLeaderElection(endpoints) && allAddresses(endpoints).length > 0;
}

export const selectorlessNoEndpoints: Check = {
  id: 'selectorless-no-endpoints',
  severity: 'error',
  title: 'A selectorless Service has no EndpointSlice and no Endpoints',
  explanation:
    'A Service without a selector (absent or {}) gets no endpoints from any controller: you supply them, as ' +
    'EndpointSlices labelled kubernetes.io/service-name=<service>, or as an Endpoints object of the same name that ' +
    'the mirroring controller copies into EndpointSlices. kube-proxy reads only EndpointSlices of addressType IPv4 ' +
    'or IPv6. With none, connections to the ClusterIP are rejected and a headless name resolves to nothing.',
  fix:
    'Add the selector that picks the backend pods, or create an EndpointSlice for the Service (label ' +
    'kubernetes.io/service-name=<service>, your own endpointslice.kubernetes.io/managed-by, port names equal to the ' +
    'Service port names).',
  requires: ['endpointSlices'],
  // Unless the Endpoints were read and list addresses: that is endpoints-not-mirrored's case.
  appliesTo: (view, model) => view.selectorless && !(model.coverage.endpoints && listsAddresses(view.endpoints)),
  run(view, model) {
    const { service } = view;
    if (!view.selectorless) return [];
    // An empty placeholder the EndpointSlice controller left behind when the selector was
    // removed (§1.1, §1.6) is nobody's endpoint list; left-over slices with endpoints still
    // route, and stale-endpoints reports them.
    const leftoverPlaceholder = (s: EndpointSlice) =>
      isControllerSlice(s) && s.endpoints.every((e) => e.addresses.length === 0);
    if (view.slices.some((s) => isProxiedSlice(s) && !leftoverPlaceholder(s))) return [];
    const endpoints = view.endpoints;
    const usableEndpoints = endpoints && !isLeaderElection(endpoints) ? endpoints : undefined;
    // Endpoints with addresses are endpoints-not-mirrored's case: they exist but reach no slice.
    if (listsAddresses(endpoints)) return [];

    const name = service.meta.name;
    const ns = service.meta.namespace;
    const missing = model.coverage.endpoints
      ? 'no EndpointSlice or Endpoints object lists a backend for it'
      : 'no EndpointSlice lists a backend for it (Endpoints were not read; kube-proxy uses only EndpointSlices anyway)';
    let message = `the Service has no selector, and ${missing}: `;
    message += isHeadless(service)
      ? 'its headless DNS name resolves to no address'
      : 'kube-proxy rejects connections to its ClusterIP';
    const notes: string[] = [];
    const fqdn = view.slices.filter((s) => !isProxiedSlice(s));
    if (fqdn.length > 0) {
      notes.push(
        `EndpointSlice ${listSome(fqdn.map((s) => s.meta.name))} has addressType ${fqdn[0]!.addressType || '(empty)'}, which kube-proxy ignores (only IPv4 and IPv6 count)`,
      );
    }
    const placeholders = view.slices.filter((s) => isProxiedSlice(s) && leftoverPlaceholder(s));
    if (placeholders.length > 0) {
      notes.push(
        `the empty EndpointSlice ${listSome(placeholders.map((s) => s.meta.name))} is a placeholder the EndpointSlice controller left when the selector was removed`,
      );
    }
    if (endpoints && isLeaderElection(endpoints)) {
      notes.push(
        `Endpoints ${name} is a leader-election lock (annotation control-plane.alpha.kubernetes.io/leader), not a list of backends`,
      );
    } else if (usableEndpoints) {
      notes.push(`Endpoints ${name} exists but lists no address`);
    }
    if (notes.length > 0) message += `; ${notes.join('; ')}`;

    const port = service.ports[0];
    const sliceYaml =
      `{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: ${name}-1, namespace: ${ns}, labels: ` +
      `{kubernetes.io/service-name: ${name}, endpointslice.kubernetes.io/managed-by: <you>}}, addressType: ${primaryFamily(service) ?? 'IPv4'}, ` +
      `endpoints: [{addresses: [<backend IP>]}], ports: [{name: ${JSON.stringify(port?.name ?? '')}, port: <backend port>, protocol: ${port?.protocol ?? 'TCP'}}]}`;
    const selectorFix = `if the backends are pods, add a selector (kubectl edit service ${name} -n ${ns})`;
    let fix = `${selectorFix}; otherwise kubectl apply an EndpointSlice ${sliceYaml}`;
    // Host names in an FQDN slice: what the user most likely wants is the DNS CNAME an ExternalName
    // Service gives (§5.1); nothing ever proxies to an FQDN slice (§1.5).
    const hostNames = [
      ...new Set(
        fqdn
          .filter((s) => s.addressType === 'FQDN')
          .flatMap((s) => s.endpoints.map((e) => e.addresses[0]))
          .filter((a): a is string => a !== undefined && externalNameProblem(a) === undefined),
      ),
    ];
    const host = hostNames[0];
    if (host) {
      const patch = JSON.stringify({ spec: { type: 'ExternalName', externalName: host } });
      fix =
        `if ${host} is the backend, make this an ExternalName Service: cluster DNS then answers its name with a CNAME to ` +
        `${host}, and clients connect there directly on the port they dial` +
        (hostNames.length > 1 ? ` (it names one host; the FQDN slices list ${hostNames.length})` : '') +
        `: kubectl patch service ${name} -n ${ns} -p '${patch}'; ${selectorFix}; for fixed IPs, kubectl apply an EndpointSlice ${sliceYaml}`;
    }
    return [{ message, fix }];
  },
};
