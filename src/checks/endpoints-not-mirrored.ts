import {
  allAddresses,
  isLeaderElection,
  isMirroredSlice,
  isProxiedSlice,
  LABEL_SKIP_MIRROR,
  MAX_ENDPOINTS_ADDRESSES,
  skipsMirroring,
} from '../model/endpoint-meta.js';
import { agree, getEvents, kubectl, listSome, plural, shellQuote } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { familyOf } from '../core/ip.js';

const NO_SLICE =
  'the Endpoints {{name}} lists {{addresses}} but no EndpointSlice exists for the Service, and kube-proxy reads only ' +
  'EndpointSlices';

export const endpointsNotMirrored: Check = {
  id: 'endpoints-not-mirrored',
  severity: 'warning',
  title: 'Hand-made Endpoints of a selectorless Service are not mirrored into EndpointSlices',
  explanation:
    'kube-proxy reads only EndpointSlices. For a selectorless Service, the EndpointSlice mirroring controller copies ' +
    'an Endpoints object of the same name into slices, unless the Endpoints carries the label ' +
    'endpointslice.kubernetes.io/skip-mirror: "true" or a leader-election annotation. It skips addresses that are ' +
    'not valid IPs and mirrors at most 1000 addresses per subset (TooManyAddressesToMirror). Addresses that reach no ' +
    'slice get no traffic.',
  fix:
    'Remove the skip-mirror label, fix the addresses, or (preferred) create the EndpointSlices yourself with your own ' +
    'endpointslice.kubernetes.io/managed-by value, splitting large address sets over several slices.',
  messages: {
    skipMirrorLabel: `${NO_SLICE}: it carries the label ${LABEL_SKIP_MIRROR}: "true", so the mirroring controller leaves it alone`,
    noValidAddress: `${NO_SLICE}: none of its addresses is a valid IP ({{invalid}}); the mirroring controller skips them (InvalidIPAddress event)`,
    notMirrored:
      `${NO_SLICE}: no EndpointSlice mirrors it: the mirroring controller of kube-controller-manager should have ` +
      'created one (it may be disabled, failing, or older than v1.19)',
    tooManyAddresses:
      'subset {{subset}} of Endpoints {{name}} holds {{count}} addresses; the mirroring controller copies at most ' +
      '{{max}} per subset by default (TooManyAddressesToMirror), so {{lost}} get no EndpointSlice and no traffic',
    invalidAddresses:
      '{{addresses}} of Endpoints {{name}} {{is}} not a valid IP ({{invalid}}): the mirroring controller skips {{it}}',
  },
  appliesToServices: { backends: ['selectorless'] },
  requires: ['endpoints', 'endpointSlices'],
  appliesTo(view, model) {
    // Endpoints read, and nothing in them to mirror.
    const endpoints = view.endpoints;
    if (model.coverage.endpoints && !(endpoints && !isLeaderElection(endpoints) && allAddresses(endpoints).length > 0))
      return false;
    // Slices read, and hand-made ones kube-proxy uses instead: the Endpoints do not matter then.
    const proxied = view.slices.filter(isProxiedSlice);
    return !(model.coverage.endpointSlices && proxied.length > 0 && !proxied.some(isMirroredSlice));
  },
  run(view) {
    const { service } = view;
    const endpoints = view.endpoints;
    if (!endpoints || isLeaderElection(endpoints)) return [];
    const addresses = allAddresses(endpoints);
    if (addresses.length === 0) return [];
    const name = endpoints.meta.name;
    const ns = service.meta.namespace;
    const invalid = addresses.filter((a) => familyOf(a.ip) === undefined).map((a) => a.ip);
    const proxied = view.slices.filter(isProxiedSlice);

    if (proxied.length === 0) {
      // kube-proxy has nothing at all for this Service: say why the Endpoints never became slices.
      const data = { name, addresses: plural(addresses.length, 'address', 'addresses'), invalid: listSome(invalid) };
      let reason: string;
      let fix: string;
      if (skipsMirroring(endpoints)) {
        reason = 'skipMirrorLabel';
        fix = `drop the label (${kubectl('label', 'endpoints', name, '-n', ns, `${LABEL_SKIP_MIRROR}-`)}), or create an EndpointSlice labelled ${shellQuote(`kubernetes.io/service-name=${name}`)} yourself`;
      } else if (invalid.length === addresses.length) {
        reason = 'noValidAddress';
        fix = `list IP addresses (a host name belongs in an ExternalName Service): ${kubectl('edit', 'endpoints', name, '-n', ns)}`;
      } else {
        reason = 'notMirrored';
        fix = `${getEvents(ns, name)}; or create an EndpointSlice labelled ${shellQuote(`kubernetes.io/service-name=${name}`)} yourself`;
      }
      return [{ reason, data, fix }];
    }

    // Slices exist. Only mirrored Endpoints can lose addresses on the way (docs/kubernetes-semantics.md#endpointslice-mirroring).
    if (skipsMirroring(endpoints) || !proxied.some(isMirroredSlice)) return [];
    const findings: FindingDraft[] = [];
    endpoints.subsets.forEach((subset, i) => {
      const count = subset.addresses.length + subset.notReadyAddresses.length;
      if (count <= MAX_ENDPOINTS_ADDRESSES) return;
      findings.push({
        reason: 'tooManyAddresses',
        data: { subset: i + 1, name, count, max: MAX_ENDPOINTS_ADDRESSES, lost: count - MAX_ENDPOINTS_ADDRESSES },
        fix: `create the EndpointSlices yourself (up to 1000 endpoints each, labelled ${shellQuote(`kubernetes.io/service-name=${name}`)}, your own managed-by) and label the Endpoints ${LABEL_SKIP_MIRROR}=true`,
      });
    });
    if (invalid.length > 0) {
      findings.push({
        reason: 'invalidAddresses',
        data: {
          addresses: plural(invalid.length, 'address', 'addresses'),
          name,
          is: agree(invalid.length, 'is', 'are'),
          invalid: listSome(invalid),
          it: agree(invalid.length, 'it', 'them'),
        },
        fix: kubectl('edit', 'endpoints', name, '-n', ns),
      });
    }
    return findings;
  },
};
