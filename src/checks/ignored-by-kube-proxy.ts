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
import { agree, kubectl, listSome, plural } from './helpers.js';
import type { Check } from './types.js';

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
  messages: {
    headlessLabel:
      `label ${LABEL_HEADLESS} on a Service with ClusterIP {{clusterIP}}: kube-proxy lists Services without that ` +
      'label only, so it never programs this one, and its {{frontends}} nowhere',
    serviceProxyName:
      `label ${LABEL_SERVICE_PROXY_NAME} = {{proxy}}: the default kube-proxy skips this Service and its slices; ` +
      'unless an alternative proxy ({{proxy}}) implements it, its {{frontends}} nowhere',
    serviceProxyNameEmpty:
      `label ${LABEL_SERVICE_PROXY_NAME} with an empty value: the default kube-proxy skips this Service and its ` +
      'slices; unless an alternative proxy implements it, its {{frontends}} nowhere',
    slicesSkipped:
      '{{slice}} {{names}} {{carries}} {{labels}}: kube-proxy ignores {{it}}, so {{endpoints}} listed there never ' +
      '{{receives}} Service traffic',
  },
  // Endpoints the user believes in are silently unused: more than informational; a Service
  // nothing programs is an outage.
  severities: { headlessLabel: 'error', slicesSkipped: 'warning' },
  // kube-proxy never proxies ExternalName or headless Services (docs/kubernetes-semantics.md#externalname-services, docs/kubernetes-semantics.md#headless-services): the label changes nothing.
  appliesToServices: { backends: ['selector', 'selectorless'], addresses: ['proxied', 'unproxied'] },
  run(view) {
    const { service } = view;
    const { name, namespace } = service.meta;
    const frontends = service.type === 'ClusterIP' ? 'ClusterIP leads' : 'ClusterIP and NodePorts lead';

    if (hasLabel(service.meta.labels, LABEL_HEADLESS)) {
      return [
        {
          reason: 'headlessLabel',
          data: { clusterIP: service.clusterIP ?? '(unset)', frontends },
          fix: `remove the label: ${kubectl('label', 'service', name, '-n', namespace, `${LABEL_HEADLESS}-`)}`,
        },
      ];
    }
    const proxyName = labelValue(service.meta.labels, LABEL_SERVICE_PROXY_NAME);
    if (proxyName !== undefined) {
      return [
        {
          reason: proxyName === '' ? 'serviceProxyNameEmpty' : 'serviceProxyName',
          data: { proxy: proxyName, frontends },
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
    const first = skipped[0];
    const mirrored = isMirroredSlice(first);
    return [
      {
        reason: 'slicesSkipped',
        data: {
          slice: agree(skipped.length, 'slice', 'slices'),
          names,
          carries: agree(skipped.length, 'carries', 'carry'),
          labels: labels.join(' / '),
          it: agree(skipped.length, 'it', 'them'),
          endpoints: plural(endpointCount, 'endpoint'),
          receives: agree(endpointCount, 'receives', 'receive'),
        },
        fix: mirrored
          ? `the mirroring controller copies Endpoints labels: ${kubectl('label', 'endpoints', name, '-n', namespace, ...labels.map((l) => `${l}-`))}`
          : kubectl('label', 'endpointslice', first.meta.name, '-n', namespace, ...labels.map((l) => `${l}-`)),
      },
    ];
  },
};
