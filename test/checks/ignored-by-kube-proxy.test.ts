import { ignoredByKubeProxy } from '../../src/checks/ignored-by-kube-proxy.js';
import { endpointOf, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const PROXY_NAME = 'service.kubernetes.io/service-proxy-name';

ruleTester(ignoredByKubeProxy, {
  valid: [
    {
      name: 'no service-proxy-name label: kube-proxy programs the Service (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [
        service('web', { labels: { app: 'web' } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'a headless Service is skipped by kube-proxy anyway (docs/kubernetes-semantics.md#headless-services): the label changes nothing',
      objects: [
        service('db', { labels: { [PROXY_NAME]: 'mesh' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        pod('web-1'),
        slice('db', {
          labels: { [PROXY_NAME]: 'mesh', 'service.kubernetes.io/headless': '' },
          endpoints: [endpointOf('web-1')],
        }),
      ],
    },
    {
      name: 'ExternalName is never proxied (docs/kubernetes-semantics.md#externalname-services): the label changes nothing',
      objects: [
        service('db', {
          type: 'ExternalName',
          selector: null,
          labels: { [PROXY_NAME]: 'mesh' },
          spec: { externalName: 'db.example.com' },
        }),
      ],
    },
    {
      name: 'a label with a similar key does not filter (the selector names the exact key)',
      objects: [
        service('web', { labels: { 'example.com/service-proxy-name': 'x' } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'an empty labelled slice loses no endpoint: nothing to report',
      objects: [
        service('ext', { selector: null }),
        slice('ext', { managedBy: 'staff', labels: { [PROXY_NAME]: 'x' }, endpoints: [] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'service-proxy-name set: the default kube-proxy skips the Service (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [
        service('web', { labels: { [PROXY_NAME]: 'cilium-l7' } }),
        pod('web-1'),
        slice('web', { labels: { [PROXY_NAME]: 'cilium-l7' }, endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'serviceProxyName',
          message: [
            `label ${PROXY_NAME} = cilium-l7`,
            'kube-proxy skips this Service',
            '(cilium-l7)',
            'its ClusterIP leads nowhere',
          ],
          fix: `kubectl label service web -n shop ${PROXY_NAME}-`,
        },
      ],
    },
    {
      name: 'service.kubernetes.io/headless on a ClusterIP Service: kube-proxy lists Services without it only (cmd/kube-proxy/app/server.go ProxyServer.Run), nothing programs it',
      objects: [
        service('web', { labels: { 'service.kubernetes.io/headless': '' } }),
        pod('web-1'),
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'headlessLabel',
          severity: 'error',
          message: [
            'label service.kubernetes.io/headless on a Service with ClusterIP 10.96.0.10',
            'never programs this one',
          ],
          fix: 'kubectl label service web -n shop service.kubernetes.io/headless-',
        },
      ],
    },
    {
      name: 'both labels: the headless one wins, no proxy implements the Service (ProxyServer.Run filters on both)',
      objects: [
        service('web', {
          type: 'NodePort',
          labels: { 'service.kubernetes.io/headless': '', [PROXY_NAME]: 'mesh' },
        }),
      ],
      findings: [{ reason: 'headlessLabel', severity: 'error', message: ['its ClusterIP and NodePorts lead nowhere'] }],
    },
    {
      name: 'any value counts, even empty (the selector tests only for the key, docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [service('web', { type: 'NodePort', labels: { [PROXY_NAME]: '' } }), pod('web-1')],
      findings: [
        {
          reason: 'serviceProxyNameEmpty',
          message: ['with an empty value', 'its ClusterIP and NodePorts lead nowhere'],
        },
      ],
    },
    {
      name: 'a selectorless Service with the label is skipped too: nothing implements its one ClusterIP (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [service('ext', { selector: null, labels: { [PROXY_NAME]: 'other' } })],
      findings: [
        {
          reason: 'serviceProxyName',
          message: [
            'kube-proxy skips this Service',
            'unless an alternative proxy (other) implements it, its ClusterIP leads nowhere',
          ],
        },
      ],
    },
    {
      name: 'a hand-made slice with the label is dropped from a Service kube-proxy programs (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels slice informer filter)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', {
          name: 'ext-manual',
          managedBy: 'staff',
          labels: { [PROXY_NAME]: 'x' },
          endpoints: [{ ip: '192.168.1.5' }, { ip: '192.168.1.6' }],
        }),
        slice('ext', { name: 'ext-ok', managedBy: 'staff', endpoints: [{ ip: '192.168.1.7' }] }),
      ],
      findings: [
        {
          reason: 'slicesSkipped',
          severity: 'warning',
          message: ['slice ext-manual carries', '2 endpoints listed there never receive Service traffic'],
          fix: `kubectl label endpointslice ext-manual -n shop ${PROXY_NAME}-`,
        },
      ],
    },
    {
      name: 'a mirrored slice inherits the label from its Endpoints (docs/kubernetes-semantics.md#endpointslice-mirroring copies all labels): fix the Endpoints',
      objects: [
        service('ext', { selector: null }),
        slice('ext', {
          name: 'ext-mirror',
          managedBy: 'endpointslicemirroring-controller.k8s.io',
          labels: { [PROXY_NAME]: 'x' },
          endpoints: [{ ip: '192.168.1.5' }],
        }),
      ],
      findings: [
        {
          reason: 'slicesSkipped',
          severity: 'warning',
          message: ['1 endpoint listed there never receives'],
          fix: 'kubectl label endpoints ext -n shop',
        },
      ],
    },
    {
      name: 'a slice labelled service.kubernetes.io/headless on a ClusterIP Service is filtered as well (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels)',
      objects: [
        service('ext', { selector: null }),
        slice('ext', {
          name: 'ext-copy',
          managedBy: 'staff',
          labels: { 'service.kubernetes.io/headless': '' },
          endpoints: [{ ip: '192.168.1.5' }],
        }),
      ],
      findings: [{ reason: 'slicesSkipped', severity: 'warning', message: ['service.kubernetes.io/headless'] }],
    },
  ],
});
