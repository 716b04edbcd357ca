import { serviceWarningEvents } from '../../src/checks/service-warning-events.js';
import { addressOf, endpointOf, endpoints, event, node, pod, service, slice, withUid } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const ip = '10.244.9.1';
const web = service('web');
const webPod = pod('web-1', { ip });
const webSlice = withUid(slice('web', { endpoints: [endpointOf('web-1', { ip })] }), 'uid-slice-web');
const webEndpoints = withUid(
  endpoints('web', {
    subsets: [{ addresses: [addressOf('web-1', { ip })], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  }),
  'uid-ep-web',
);
const healthy = [node('node-a'), web, webPod, webSlice];

const lbPorts = [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }];
const syncFailed = 'Error syncing load balancer: failed to ensure load balancer: quota LOAD_BALANCERS exceeded';

ruleTester(serviceWarningEvents, {
  valid: [
    { name: 'no event at all', objects: healthy },
    {
      name: 'Normal events are no trouble (EnsuringLoadBalancer, and the like)',
      objects: [...healthy, event(web, 'EnsuringLoadBalancer', 'Ensuring load balancer', { type: 'Normal' })],
    },
    {
      name: "a Warning about a deleted Service of the same name (another uid) is not this one's (docs/kubernetes-semantics.md#event-attribution)",
      objects: [...healthy, event(web, 'FailedToUpdateEndpointSlices', 'conflict', { uid: 'uid-svc-web-deleted' })],
    },
    {
      name: 'a Warning about a Service of the same name in another namespace is not this one (docs/kubernetes-semantics.md#event-attribution)',
      objects: [...healthy, event(web, 'FailedToUpdateEndpointSlices', 'conflict', { ns: 'other' })],
    },
    {
      name: "a pod's Warning events are its evidence in other findings, not the Service's",
      objects: [...healthy, event(pod('web-1'), 'BackOff', 'Back-off restarting failed container app')],
    },
    {
      name: 'a SyncLoadBalancerFailed that loadbalancer-pending explains is its evidence (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [
        service('web', { type: 'LoadBalancer', ports: lbPorts }),
        node('node-a'),
        webPod,
        webSlice,
        event(service('web'), 'SyncLoadBalancerFailed', syncFailed, { source: 'service-controller' }),
      ],
    },
    {
      name: 'the Endpoints controller could not write what the slices say: slices-endpoints-disagree shows it, with the event as evidence',
      objects: [
        ...healthy,
        withUid(endpoints('web'), 'uid-ep-web'),
        event(withUid(endpoints('web'), 'uid-ep-web'), 'FailedToUpdateEndpoint', 'Failed to update endpoint shop/web'),
      ],
    },
    {
      name: 'without Events (not read): skipped, not judged',
      objects: [...healthy, event(web, 'FailedToUpdateEndpointSlices', 'conflict')],
      coverage: { events: false },
    },
    {
      name: 'ExternalName Services have no controller reporting on them',
      objects: [
        service('db', { type: 'ExternalName', selector: null, ports: [], spec: { externalName: 'db.example.com' } }),
        event(service('db'), 'Whatever', 'anything'),
      ],
    },
  ],
  invalid: [
    {
      name: 'the EndpointSlice controller could not write the slices, and no finding shows why: an admission webhook refused it (docs/kubernetes-semantics.md#who-reports-what-on-a-service)',
      objects: [
        ...healthy,
        event(
          web,
          'FailedToUpdateEndpointSlices',
          'Error updating Endpoint Slices for Service shop/web: failed to create EndpointSlice for Service shop/web: admission webhook "policy.example.com" denied the request',
          { count: 12, source: 'endpoint-slice-controller' },
        ),
      ],
      findings: [
        {
          reason: 'events',
          message: [
            '12 Warning events on Service web that no other finding explains: FailedToUpdateEndpointSlices on Service web',
          ],
          fix: 'kubectl get events -n shop --field-selector involvedObject.kind=Service,involvedObject.name=web',
        },
      ],
    },
    {
      name: 'a SyncLoadBalancerFailed on a provisioned load balancer (an update failed): no pending finding explains it',
      objects: [
        service('web', {
          type: 'LoadBalancer',
          ports: lbPorts,
          status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
        }),
        node('node-a'),
        webPod,
        webSlice,
        event(service('web'), 'SyncLoadBalancerFailed', 'Error syncing load balancer: failed to update firewall', {
          source: 'service-controller',
        }),
      ],
      findings: [{ reason: 'events', message: ['SyncLoadBalancerFailed on Service web'] }],
    },
    {
      name: "events on the Service's slice and Endpoints count too, each named, the latest quoted",
      objects: [
        ...healthy,
        webEndpoints,
        event(webSlice, 'FailedToUpdateEndpointSlices', 'older', { lastSeen: '2026-11-01T09:30:00Z' }),
        event(webEndpoints, 'FailedToUpdateEndpoint', 'Failed to update endpoint shop/web: quota exceeded', {
          lastSeen: '2026-11-01T10:05:00Z',
        }),
      ],
      findings: [
        {
          reason: 'events',
          message: [
            '2 Warning events on the Service and 1 other object',
            'FailedToUpdateEndpointSlices on EndpointSlice web-abcde, FailedToUpdateEndpoint on Endpoints web',
          ],
        },
      ],
    },
  ],
});
