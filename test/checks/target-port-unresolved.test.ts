import { targetPortUnresolved } from '../../src/checks/target-port-unresolved.js';
import { endpointOf, node, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

function withPorts(name: string, ports: Raw[], o: Record<string, unknown> = {}): Raw {
  return pod(name, { containers: [{ name: 'app', image: 'a', ports }], ...o });
}

const sidecarPod = (name: string) =>
  pod(name, {
    containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }],
    initContainers: [
      { name: 'proxy', image: 'p', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 15090 }] },
    ],
  });

const metricsService = service('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 'http' },
    { name: 'metrics', port: 9090, targetPort: 'metrics' },
  ],
});

ruleTester(targetPortUnresolved, {
  valid: [
    {
      name: 'the named targetPort resolves on every pod by name and protocol (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [nodeA, service('web'), pod('web-1'), pod('web-2')],
    },
    {
      name: 'a numeric targetPort never needs a declaration (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80, targetPort: 3000 }] }),
        withPorts('web-1', []),
      ],
    },
    {
      name: 'an omitted targetPort equals port: numeric, nothing to resolve (docs/kubernetes-semantics.md#targetport-defaulting-and-validation)',
      objects: [nodeA, service('web', { ports: [{ port: 8080 }] }), withPorts('web-1', [])],
    },
    {
      name: 'UDP service port, targetPort dns, container port dns declared UDP (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('dns', { ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] }),
        withPorts('web-1', [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }]),
      ],
    },
    {
      name: 'a name only on a native sidecar that the slices show resolved: the controller is v1.33+ (docs/kubernetes-semantics.md#ports-on-native-sidecars)',
      objects: [
        nodeA,
        metricsService,
        sidecarPod('web-1'),
        slice('web', {
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 15090, protocol: 'TCP' },
          ],
          endpoints: [endpointOf('web-1')],
        }),
      ],
    },
    {
      name: 'pods the controller does not list do not count: finished, no IP (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        withPorts('web-done', [], { phase: 'Succeeded', ready: false }),
        withPorts('web-new', [], { ip: null, waiting: 'ContainerCreating' }),
      ],
    },
    {
      name: 'no eligible pod at all: nothing to resolve against',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80, targetPort: 'nope' }] }),
        pod('web-1', { ip: null }),
      ],
    },
    {
      name: 'ExternalName: no endpoints, ports are not proxied (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        nodeA,
        service('db', {
          type: 'ExternalName',
          spec: { externalName: 'db.example.com' },
          ports: [{ port: 80, targetPort: 'nope' }],
        }),
        pod('web-1'),
      ],
    },
    {
      name: 'selectorless: targetPort is irrelevant, the slice port is used (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [nodeA, service('ext', { selector: null, ports: [{ port: 80, targetPort: 'nope' }] })],
    },
  ],
  invalid: [
    {
      name: 'a typo matches on no pod: the port reaches nothing; closest name and a patch (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping, docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80, targetPort: 'htpp' }] }),
        withPorts('web-1', [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090 },
        ]),
        withPorts('web-2', [
          { name: 'http', containerPort: 8080 },
          { name: 'metrics', containerPort: 9090 },
        ]),
      ],
      findings: [
        {
          reason: 'noPodResolves',
          severity: 'error',
          port: 'http 80/TCP',
          message: [
            'targetPort "htpp" of http 80/TCP',
            'any of the 2 eligible pods',
            'reaches nothing',
            'http/TCP, metrics/TCP',
            'closest: "http"',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'declares http/TCP, metrics/TCP' },
          fix: `kubectl patch service web -n shop --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":"http"}]'`,
        },
      ],
    },
    {
      name: 'UDP service port with targetPort dns does not match container port dns left at TCP (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('dns', { ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] }),
        withPorts('web-1', [{ name: 'dns', containerPort: 5353 }]),
      ],
      findings: [
        {
          reason: 'noPodResolves',
          severity: 'error',
          port: 'dns 53/UDP',
          message: ['exists but with protocol TCP, not UDP'],
          causes: { 'web-1': 'no container port named "dns" with protocol UDP' },
          fix: 'protocol: UDP',
        },
      ],
    },
    {
      name: 'mid-rollout: only some pods have the name, a warning listing those (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1'),
        pod('web-2'),
        withPorts('web-3', [{ name: 'web', containerPort: 8080 }]),
      ],
      findings: [
        {
          reason: 'somePodsUnresolved',
          severity: 'warning',
          message: ['on 1 of 3 eligible pods', 'closest: "web"'],
          pods: ['web-3'],
          fix: "kubectl get pod web-3 -n shop -o 'jsonpath={.spec.containers[*].ports}'",
        },
      ],
    },
    {
      name: 'a prefixed variant of the name is offered as the patch',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'metrics', port: 9090, targetPort: 'metrics' }] }),
        withPorts('web-1', [{ name: 'http-metrics', containerPort: 9102 }]),
      ],
      findings: [
        {
          reason: 'noPodResolves',
          severity: 'error',
          message: ['closest: "http-metrics"'],
          fix: '"value":"http-metrics"',
        },
      ],
    },
    {
      name: 'pods that declare no port at all',
      objects: [nodeA, service('web'), withPorts('web-1', [])],
      findings: [
        {
          reason: 'noPodResolves',
          severity: 'error',
          message: ['declare no named port'],
          causes: { 'web-1': 'declares no port' },
        },
      ],
    },
    {
      name: 'ordinary init containers are never searched (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          containers: [{ name: 'app', image: 'a' }],
          initContainers: [{ name: 'setup', image: 's', ports: [{ name: 'http', containerPort: 8080 }] }],
        }),
      ],
      findings: [{ reason: 'noPodResolves', severity: 'error', pods: ['web-1'] }],
    },
    {
      name: 'name only on a native sidecar and the slices lack the port: a controller before v1.33 (docs/kubernetes-semantics.md#ports-on-native-sidecars)',
      objects: [
        nodeA,
        metricsService,
        sidecarPod('web-1'),
        slice('web', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
      ],
      findings: [
        {
          reason: 'noPodResolves',
          severity: 'error',
          port: 'metrics 9090/TCP',
          message: ['native sidecar proxy', 'predates v1.33 and does not search native sidecars'],
          pods: ['web-1'],
          causes: { 'web-1': 'only on native sidecar proxy (15090)' },
          fix: '"value":15090',
        },
      ],
    },
    {
      name: 'name only on a native sidecar, nothing shows the controller version: info in the message (docs/kubernetes-semantics.md#ports-on-native-sidecars)',
      objects: [nodeA, metricsService, sidecarPod('web-1')],
      coverage: { endpointSlices: false },
      findings: [
        {
          reason: 'onlyOnSidecar',
          severity: 'info',
          port: 'metrics 9090/TCP',
          message: ['resolves only on a native sidecar', 'before v1.33'],
          causes: { 'web-1': '15090 on native sidecar proxy' },
          fix: '"path":"/spec/ports/1/targetPort","value":15090',
        },
      ],
    },
    {
      name: 'some pods miss the name, others have it only on a sidecar: one finding, the sidecar noted (docs/kubernetes-semantics.md#ports-on-native-sidecars)',
      objects: [nodeA, metricsService, sidecarPod('web-1'), pod('web-2')],
      coverage: { endpointSlices: false },
      findings: [
        {
          reason: 'somePodsUnresolved',
          severity: 'warning',
          port: 'metrics 9090/TCP',
          message: ['on 1 of 2 eligible pods', 'before v1.33'],
          pods: ['web-2'],
        },
      ],
    },
    {
      name: 'headless: targetPort is ignored for clusterIP None and kube-proxy skips it: info only (docs/kubernetes-semantics.md#targetport-defaulting-and-validation, docs/kubernetes-semantics.md#headless-services)',
      objects: [
        nodeA,
        service('db', {
          spec: { clusterIP: 'None', clusterIPs: ['None'] },
          ports: [{ name: 'pg', port: 5432, targetPort: 'postgres' }],
        }),
        withPorts('web-1', [{ name: 'pg', containerPort: 5432 }]),
      ],
      findings: [{ reason: 'unresolvedOnHeadless', severity: 'info', message: ['headless'] }],
    },
    {
      name: 'one finding per Service port that fails, each naming its port',
      objects: [
        nodeA,
        service('web', {
          ports: [
            { name: 'http', port: 80, targetPort: 'http' },
            { name: 'grpc', port: 9000, targetPort: 'grpc' },
            { name: 'admin', port: 9001, targetPort: 'admin' },
          ],
        }),
        pod('web-1'),
      ],
      // "http" is the closest name to "grpc" but nothing like it: no patch to it is offered.
      findings: [
        {
          reason: 'noPodResolves',
          port: 'grpc 9000/TCP',
          message: ['closest: "http"'],
          fix: 'kubectl get pod web-1 -n shop',
        },
        { reason: 'noPodResolves', port: 'admin 9001/TCP', fix: 'kubectl get pod web-1 -n shop' },
      ],
    },
    {
      name: 'a pod that is not ready is still eligible: its ports are resolved too (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
      objects: [
        nodeA,
        service('web'),
        withPorts('web-1', [{ name: 'web', containerPort: 80 }], { waiting: 'CrashLoopBackOff' }),
      ],
      findings: [{ reason: 'noPodResolves', severity: 'error', pods: ['web-1'] }],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] }),
        withPorts('web-00', [{ name: 'web', containerPort: 8080 }]),
        ...many.map((name) => withPorts(name, [{ name: 'http', containerPort: 8080 }])),
      ],
      findings: [
        {
          reason: 'somePodsUnresolved',
          message: ['on 25 of 26 eligible pods', 'the pods declare http/TCP; closest: "http" (first 20 listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
  ],
});
