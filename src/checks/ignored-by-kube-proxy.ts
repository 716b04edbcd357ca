// kube-proxy lists Services and EndpointSlices through the label selector
// `!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless`
// (cmd/kube-proxy/app/server.go, ProxyServer.Run). A Service carrying service-proxy-name (any
// value) gets no kube-proxy rules: another proxy must implement it. One carrying the headless
// label, which belongs on a headless Service's slices and Endpoints, gets none either, although
// it has a ClusterIP: nothing implements it. The same filter applies to slices, so a slice
// carrying either label adds nothing to a Service kube-proxy does program, although
// `kubectl get endpointslices` lists it.

import { isMirroredSlice } from '../model/endpoint-meta.js';
import { hasLabel, labelValue } from '../core/selectors.js';
import { kubeProxySkipLabel, LABEL_HEADLESS, LABEL_SERVICE_PROXY_NAME } from '../model/services.js';
import { kubectl, listSome } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

const MAX_SLICES = 5;

export const ignoredByKubeProxy: Check = {
  id: 'ignored-by-kube-proxy',
  severity: 'info',
  title: 'kube-proxy skips this Service or some of its slices',
  explanation:
    'kube-proxy lists Services and EndpointSlices with the label selector ' +
    '"!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless". A Service labelled ' +
    'service.kubernetes.io/service-proxy-name is left to the alternative proxy the label names; the EndpointSlice ' +
    'controller copies the label onto its slices, which kube-proxy then skips too. Without that other proxy, nothing ' +
    'implements the ClusterIP. A ClusterIP Service labelled service.kubernetes.io/headless (a label meant for the ' +
    'slices of headless Services) is never programmed at all: an error.',
  fix:
    'Make sure the proxy named by the label runs and handles this Service, or remove the label. Remove ' +
    'service.kubernetes.io/headless from a Service that has a ClusterIP. Remove the labels from slices (or the ' +
    'Endpoints they are mirrored from) that kube-proxy should use.',
  run(view) {
    const { service } = view;
    // kube-proxy never proxies ExternalName or headless Services (docs/kubernetes-semantics.md#externalname-services, docs/kubernetes-semantics.md#headless-services): the label changes nothing.
    if (service.type === 'ExternalName' || service.clusterIP === 'None') return [];
    const { name, namespace } = service.meta;
    const frontends = service.type === 'ClusterIP' ? 'ClusterIP leads' : 'ClusterIP and NodePorts lead';

    if (hasLabel(service.meta.labels, LABEL_HEADLESS)) {
      return [
        {
          severity: 'error',
          message:
            `label ${LABEL_HEADLESS} on a Service with ClusterIP ${service.clusterIP ?? '(unset)'}: kube-proxy lists ` +
            `Services without that label only, so it never programs this one, and its ${frontends} nowhere`,
          fix: `remove the label: ${kubectl('label', 'service', name, '-n', namespace, `${LABEL_HEADLESS}-`)}`,
        },
      ];
    }
    const proxyName = labelValue(service.meta.labels, LABEL_SERVICE_PROXY_NAME);
    if (proxyName !== undefined) {
      const named = proxyName === '' ? 'with an empty value' : `= ${proxyName}`;
      return [
        {
          message:
            `label ${LABEL_SERVICE_PROXY_NAME} ${named}: the default kube-proxy skips this Service and its slices; unless an ` +
            `alternative proxy${proxyName ? ` (${proxyName})` : ''} implements it, its ${frontends} nowhere`,
          fix: `if no such proxy handles it, remove the label: ${kubectl('label', 'service', name, '-n', namespace, `${LABEL_SERVICE_PROXY_NAME}-`)}`,
        },
      ];
    }

    // The Service itself is programmed; slices with a filtered label are not merged into it.
    // Empty ones lose nothing and are left alone.
    const skipped = view.slices.filter((s) => s.endpoints.length > 0 && kubeProxySkipLabel(s.meta.labels));
    if (skipped.length === 0) return [];
    const endpointCount = skipped.reduce((n, s) => n + s.endpoints.length, 0);
    const names = listSome(
      skipped.map((s) => s.meta.name),
      MAX_SLICES,
    );
    const labels = [
      ...new Set(
        skipped.flatMap((s) => [LABEL_SERVICE_PROXY_NAME, LABEL_HEADLESS].filter((l) => hasLabel(s.meta.labels, l))),
      ),
    ];
    const first = skipped[0]!;
    const mirrored = isMirroredSlice(first);
    const draft: FindingDraft = {
      // Endpoints the user believes in are silently unused: more than informational.
      severity: 'warning',
      message:
        `${skipped.length === 1 ? 'slice' : 'slices'} ${names} ${skipped.length === 1 ? 'carries' : 'carry'} ` +
        `${labels.join(' / ')}: kube-proxy ignores ${skipped.length === 1 ? 'it' : 'them'}, so ${endpointCount} ` +
        `endpoint${endpointCount === 1 ? '' : 's'} listed there never receive${endpointCount === 1 ? 's' : ''} Service traffic`,
      fix: mirrored
        ? `the mirroring controller copies Endpoints labels: ${kubectl('label', 'endpoints', name, '-n', namespace, ...labels.map((l) => `${l}-`))}`
        : kubectl('label', 'endpointslice', first.meta.name, '-n', namespace, ...labels.map((l) => `${l}-`)),
    };
    return [draft];
  },
};
