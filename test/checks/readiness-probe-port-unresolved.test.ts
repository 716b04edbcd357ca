import { readinessProbePortUnresolved } from '../../src/checks/readiness-probe-port-unresolved.js';
import { externalNameService, node, pod, service, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

/** A container "app" declaring `ports`, whose readiness probe is `probe`. */
function app(probe: Raw | undefined, ports: Raw[] = [{ name: 'http', containerPort: 8080 }]): Raw {
  return { name: 'app', image: 'a', ports, ...(probe ? { readinessProbe: probe } : {}) };
}

const httpGet = (port: number | string, path = '/healthz') => ({ httpGet: { path, port } });

/** A pod of app=web whose only container is `container`: not ready unless told. */
function probed(name: string, container: Raw, o: Record<string, unknown> = {}): Raw {
  return pod(name, { ready: false, containers: [container], ...o });
}

const badProbe = (name: string, o: Record<string, unknown> = {}) => probed(name, app(httpGet('health')), o);

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

ruleTester(readinessProbePortUnresolved, {
  valid: [
    {
      name: 'a named probe port the container declares (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app(httpGet('http')), { ready: true })],
    },
    {
      name: 'a number is probed as is, declared or not (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app(httpGet(9000), []))],
    },
    {
      name: 'a name that is a number is read as one, as strconv.Atoi does (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app(httpGet('8080'), []))],
    },
    {
      name: 'a name matches whatever the protocol: a probe is not a Service port (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        probed('web-1', app({ tcpSocket: { port: 'dns' } }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }])),
      ],
    },
    {
      name: 'tcpSocket with a declared name (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app({ tcpSocket: { port: 'http' } }))],
    },
    {
      name: 'grpc takes a number only, never looked up (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app({ grpc: { port: 9090, service: 'health' } }, []))],
    },
    {
      name: 'exec names no port (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app({ exec: { command: ['cat', '/tmp/ready'] } }, []))],
    },
    {
      name: 'a probe whose handler the input does not show (a snapshot of an older version): nothing to resolve',
      objects: [nodeA, service('web'), probed('web-1', app({}, []))],
    },
    {
      name: 'an ordinary init container is never probed for readiness (the API forbids it; docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', { initContainers: [{ name: 'migrate', image: 'm', readinessProbe: httpGet('health') }] }),
      ],
    },
    {
      name: 'a native sidecar whose probe names its own port (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          initContainers: [
            {
              name: 'proxy',
              image: 'p',
              restartPolicy: 'Always',
              ports: [{ name: 'admin', containerPort: 15000 }],
              readinessProbe: httpGet('admin', '/ready'),
            },
          ],
        }),
      ],
    },
    {
      name: 'the kubelet reports the container ready: the input contradicts the spec, nothing is claimed',
      objects: [nodeA, service('web'), badProbe('web-1', { ready: true })],
    },
    {
      name: 'terminating and finished pods are on their way out (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        service('web'),
        pod('web-2'),
        badProbe('web-old', { terminating: true }),
        badProbe('web-done', { phase: 'Failed' }),
      ],
    },
    {
      name: 'selectorless: no pods are its backends (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [nodeA, service('web', { selector: null }), badProbe('web-1')],
    },
    {
      name: 'ExternalName: no pods are its backends (docs/kubernetes-semantics.md#externalname-services)',
      objects: [nodeA, externalNameService(), badProbe('web-1', { labels: { app: 'db' } })],
    },
  ],
  invalid: [
    {
      name: 'an httpGet probe names a port its container does not declare: no pod can become ready (docs/kubernetes-semantics.md#readiness-probes)',
      docsExample: true,
      objects: [nodeA, service('web'), badProbe('web-1'), badProbe('web-2')],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          severity: 'error',
          message: [
            'the readiness probe of container app (httpGet :health/healthz, HTTP) names port "health", which the container does not declare',
            'the kubelet fails it on every attempt, so none of the 2 pods matching app=web can become ready',
            '; the container declares http/TCP',
          ],
          pods: ['web-1', 'web-2'],
          causes: {
            'web-1':
              'readiness probe httpGet :health/healthz, HTTP: container app declares no port named "health" (it declares http/TCP)',
          },
          fix: 'give the probe a port its container declares, or a number, in the readinessProbe of container app in the pod template of their owner: kubectl get pod web-1 -n shop',
        },
      ],
    },
    {
      name: 'tcpSocket with a name, on a container that declares no port (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app({ tcpSocket: { port: 'redis' } }, []))],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          message: ['(tcpSocket :redis) names port "redis"', '; the container declares no port'],
          causes: { 'web-1': 'it declares no port' },
        },
      ],
    },
    {
      name: "a native sidecar's probe names the application's port: a probe looks only at its own container (docs/kubernetes-semantics.md#readiness-probes)",
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          ready: false,
          initContainers: [
            {
              name: 'proxy',
              image: 'p',
              restartPolicy: 'Always',
              ports: [{ name: 'admin', containerPort: 15000 }],
              readinessProbe: httpGet('http', '/ready'),
            },
          ],
          status: { initContainerStatuses: [{ name: 'proxy', ready: false, restartCount: 0, started: true }] },
        }),
      ],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          message: [
            'the readiness probe of container proxy (httpGet :http/ready, HTTP) names port "http"',
            '; container app declares "http", but a probe looks only at its own container\'s ports',
          ],
          pods: ['web-1'],
        },
      ],
    },
    {
      name: 'a typo of a declared name: the fix names the port meant',
      objects: [nodeA, service('web'), probed('web-1', app(httpGet('htpp')))],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          fix: 'point the probe at port http, which the container declares, in the readinessProbe of container app',
        },
      ],
    },
    {
      name: 'mid-rollout, the new template has the bad probe: a warning while the old pods can be ready',
      objects: [nodeA, service('web'), pod('web-old'), badProbe('web-new-1'), badProbe('web-new-2')],
      findings: [
        {
          reason: 'somePodsCannotBecomeReady',
          severity: 'warning',
          message: [
            'on 2 of 3 pods matching app=web, the readiness probe of container app',
            'so they can never become ready; the others can',
          ],
          pods: ['web-new-1', 'web-new-2'],
        },
      ],
    },
    {
      name: 'readiness gates do not help: the containers never become ready (docs/kubernetes-semantics.md#readiness-gates)',
      objects: [nodeA, service('web'), badProbe('web-1', { readinessGates: ['example.com/gate'] })],
      findings: [{ reason: 'noPodCanBecomeReady', pods: ['web-1'] }],
    },
    {
      name: 'headless: DNS publishes only ready pods, so none is published (docs/kubernetes-semantics.md#headless-services)',
      objects: [
        nodeA,
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        badProbe('web-1'),
        badProbe('web-2', { ip: null, node: null }),
      ],
      findings: [{ reason: 'noPodCanBecomeReady', message: ['none of the 2 pods'], pods: ['web-1', 'web-2'] }],
    },
    {
      name: 'publishNotReadyAddresses: the endpoints are ready whatever the pods, only info (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
      objects: [nodeA, service('web', { spec: { publishNotReadyAddresses: true } }), badProbe('web-1')],
      findings: [
        {
          reason: 'notReadyPublished',
          severity: 'info',
          message: [
            'on 1 of 1 pod matching app=web, the readiness probe',
            'so it never becomes Ready; the Service publishes not-ready addresses, so its endpoint gets traffic anyway',
          ],
        },
      ],
    },
    {
      name: 'two containers with different bad probes: the message names the first, the pods list both',
      objects: [
        nodeA,
        service('web'),
        pod('web-1', {
          ready: false,
          containers: [
            app(httpGet('health')),
            { name: 'auth', image: 'x', readinessProbe: { tcpSocket: { port: 'auth' } } },
          ],
        }),
      ],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          message: ['container app', '; 1 other probe on the listed pods cannot pass either'],
          causes: { 'web-1': 'tcpSocket :auth: container auth declares no port named "auth"' },
        },
      ],
    },
    {
      name: 'a probe without a port is port 0, which the kubelet rejects (docs/kubernetes-semantics.md#readiness-probes)',
      objects: [nodeA, service('web'), probed('web-1', app({ httpGet: { path: '/healthz' } }))],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          message: ['names port 0, not a valid port number'],
          causes: { 'web-1': 'port 0 is not a valid port number (1-65535)' },
        },
      ],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [nodeA, service('web'), ...many.map((name) => badProbe(name))],
      findings: [
        {
          reason: 'noPodCanBecomeReady',
          message: ['none of the 25 pods', ' (first 20 listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
  ],
});
