import { topologyHintsMissing } from '../../src/checks/topology-hints-missing.js';
import { endpointOf, node, service, slice, type SliceEndpointOptions } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const auto = { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } };
const preferClose = { spec: { trafficDistribution: 'PreferClose' } };
const twoZones = [node('node-a', { zone: 'zone-a' }), node('node-b', { zone: 'zone-b' })];
const threeZones = [...twoZones, node('node-c', { zone: 'zone-c' })];

/** n ready endpoints alternating over the zones; hinted for their own zone when `hinted`. */
function spread(
  n: number,
  zones: string[],
  hinted: boolean,
  extra: Partial<SliceEndpointOptions> = {},
): SliceEndpointOptions[] {
  return Array.from({ length: n }, (_, i) => {
    const zone = zones[i % zones.length];
    const nodeName = `node-${zone.slice(-1)}`;
    return endpointOf(`web-${zone}-${i}`, { node: nodeName, zone, ...(hinted ? { hints: [zone] } : {}), ...extra });
  });
}

ruleTester(topologyHintsMissing, {
  valid: [
    {
      name: 'neither annotation nor trafficDistribution: hints are not asked for (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution)',
      objects: [service('web'), ...twoZones, slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) })],
    },
    {
      name: 'topology-mode Auto with every ready endpoint hinted: working as designed',
      objects: [service('web', auto), ...twoZones, slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], true) })],
    },
    {
      name: 'unready endpoints carry no hints by design (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution AddHints skips them; kube-proxy looks at ready ones only)',
      objects: [
        service('web', auto),
        ...twoZones,
        slice('web', {
          endpoints: [
            ...spread(4, ['zone-a', 'zone-b'], true),
            endpointOf('web-x', { node: 'node-a', zone: 'zone-a', ready: false }),
          ],
        }),
      ],
    },
    {
      name: 'topology-mode values other than Auto/auto do not enable hints (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution hintsEnabled), e.g. AUTO',
      objects: [
        service('web', { annotations: { 'service.kubernetes.io/topology-mode': 'AUTO' } }),
        ...twoZones,
        slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) }),
      ],
    },
    {
      name: 'the deprecated topology-aware-hints key takes precedence when present (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution): Disabled there wins over topology-mode',
      objects: [
        service('web', {
          annotations: {
            'service.kubernetes.io/topology-aware-hints': 'Disabled',
            'service.kubernetes.io/topology-mode': 'Auto',
          },
        }),
        ...twoZones,
        slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) }),
      ],
    },
    {
      name: 'trafficDistribution has no safeguards (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution): one zone and a single endpoint still get hints, nothing to report',
      objects: [
        service('web', preferClose),
        node('node-a', { zone: 'zone-a' }),
        slice('web', { endpoints: spread(1, ['zone-a'], true) }),
      ],
    },
    {
      name: 'trafficDistribution with fewer endpoints than zones is hinted all the same (no safeguards): not the annotation rules',
      objects: [
        service('web', preferClose),
        ...threeZones,
        slice('web', { endpoints: spread(2, ['zone-a', 'zone-b'], true) }),
      ],
    },
    {
      name: 'no ready endpoint: nothing to hint, the outage belongs to another check',
      objects: [
        service('web', auto),
        ...twoZones,
        slice('web', { endpoints: spread(2, ['zone-a', 'zone-b'], false, { ready: false }) }),
      ],
    },
    {
      name: 'headless Services are not proxied (docs/kubernetes-semantics.md#headless-services): hints have no consumer',
      objects: [
        service('web', { ...auto, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
        node('node-a', { zone: 'zone-a' }),
        slice('web', { endpoints: spread(2, ['zone-a'], false) }),
      ],
    },
    {
      name: 'selectorless Services: the EndpointSlice controller never writes their slices, so the annotation does nothing (docs/kubernetes-semantics.md#which-services-get-controller-slices)',
      objects: [
        service('ext', { ...auto, selector: null }),
        node('node-a', { zone: 'zone-a' }),
        slice('ext', { managedBy: 'staff', endpoints: [{ ip: '192.168.1.5' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'Auto with Ready worker nodes in one zone only: the controller removes all hints (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution SetNodes, fewer than 2 zones)',
      objects: [
        service('web', auto),
        node('node-a', { zone: 'zone-a' }),
        node('node-a2', { zone: 'zone-a' }),
        slice('web', { endpoints: spread(3, ['zone-a'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: [
            'service.kubernetes.io/topology-mode: Auto but the 3 ready endpoints carry no zone hints',
            'no traffic is dropped',
            'one zone only (zone-a)',
          ],
          fix: 'kubectl get nodes -L topology.kubernetes.io/zone',
        },
      ],
    },
    {
      name: 'Auto with a Ready worker node lacking the zone label: insufficient node information (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution)',
      objects: [
        service('web', auto),
        ...twoZones,
        node('node-c'),
        slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: [
            'without a topology.kubernetes.io/zone label or allocatable CPU (node-c)',
            'Insufficient Node information',
          ],
        },
      ],
    },
    {
      name: 'Auto with a node reporting no allocatable CPU: insufficient node information (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution)',
      objects: [
        service('web', auto),
        node('node-a', { zone: 'zone-a' }),
        node('node-b', { zone: 'zone-b', cpu: null }),
        slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['(node-b)'],
          fix: 'kubectl get nodes -L topology.kubernetes.io/zone',
        },
      ],
    },
    {
      name: 'control-plane and NotReady nodes are left out of the zone count (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution hasExcludedLabels), so 2 endpoints for 3 zones is the reason',
      objects: [
        service('web', auto),
        ...threeZones,
        node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
        node('node-d', { ready: 'False' }),
        slice('web', { endpoints: spread(2, ['zone-a', 'zone-b'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['2 ready endpoints for 3 zones', 'Insufficient number of endpoints (2 endpoints, 3 zones)'],
          fix: 'reason=TopologyAwareHintsDisabled',
        },
      ],
    },
    {
      name: 'Auto with 3 endpoints over 2 equal zones: each zone needs ceil(1.5/1.2)=2, more than there are (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution overload threshold 0.2)',
      objects: [service('web', auto), ...twoZones, slice('web', { endpoints: spread(3, ['zone-a', 'zone-b'], false) })],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['without overloading one by more than 20%', 'exceeding overload threshold (3 endpoints, 2 zones)'],
        },
      ],
    },
    {
      name: 'Auto with an endpoint on a zoneless control-plane node: one endpoint without zone removes every hint (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution)',
      objects: [
        service('web', auto),
        ...twoZones,
        node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
        // 7 ready endpoints: ceil(3.5/1.2)=3 per zone fits, so the overload rule does not trip first.
        slice('web', {
          endpoints: [...spread(6, ['zone-a', 'zone-b'], false), endpointOf('web-cp', { node: 'cp-1' })],
        }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['1 ready endpoint without a zone (on cp-1)', 'do not have a zone specified'],
        },
      ],
    },
    {
      name: 'the deprecated topology-aware-hints: auto enables hints too, and is the key named',
      objects: [
        service('web', { annotations: { 'service.kubernetes.io/topology-aware-hints': 'auto' } }),
        node('node-a', { zone: 'zone-a' }),
        slice('web', { endpoints: spread(2, ['zone-a'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['service.kubernetes.io/topology-aware-hints: auto but', 'one zone only'],
        },
      ],
    },
    {
      name: 'Auto when the input shows none of the reasons: points at the TopologyAwareHintsDisabled event',
      objects: [service('web', auto), ...twoZones, slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) })],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ["none of the controller's reasons"],
          fix: 'kubectl get events -n shop --field-selector involvedObject.kind=Service,involvedObject.name=web,reason=TopologyAwareHintsDisabled',
        },
      ],
    },
    {
      name: 'Auto without Nodes in the input: fires, and says the node-based reasons cannot be told',
      objects: [service('web', auto), slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], false) })],
      coverage: { nodes: false },
      findings: [{ reason: 'annotationWithoutHints', message: ['Nodes are not in the input'] }],
    },
    {
      name: 'no Ready worker node: the topology cache has no zones nor CPU to allocate by (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution)',
      objects: [
        service('web', auto),
        node('node-a', { zone: 'zone-a', ready: 'False' }),
        slice('web', { endpoints: spread(2, ['zone-a'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['likely cause: no Ready worker node to take zones and CPU from', 'Insufficient Node information'],
          fix: 'kubectl get nodes -L topology.kubernetes.io/zone',
        },
      ],
    },
    {
      name: 'Nodes not read, and a ready endpoint that names no node: its missing zone is the cause the input shows',
      objects: [
        service('web', auto),
        slice('web', { endpoints: [...spread(2, ['zone-a'], false), { ip: '10.9.0.9' }] }),
      ],
      coverage: { nodes: false },
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['likely cause: 1 ready endpoint without a zone (controller event: "One or more endpoints'],
        },
      ],
    },
    {
      name: 'the annotation overrides spec.trafficDistribution (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution canUseTrafficDistribution): said so',
      objects: [
        service('web', { ...auto, ...preferClose }),
        node('node-a', { zone: 'zone-a' }),
        slice('web', { endpoints: spread(2, ['zone-a'], false) }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['spec.trafficDistribution PreferClose is ignored while the annotation enables hints'],
        },
      ],
    },
    {
      name: "a foreign slice without hints makes kube-proxy ignore the controller's hints (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection: every ready endpoint needs one)",
      objects: [
        service('web', auto),
        ...twoZones,
        slice('web', { endpoints: spread(4, ['zone-a', 'zone-b'], true) }),
        slice('web', {
          name: 'web-mesh',
          managedBy: 'mesh-controller',
          endpoints: [{ ip: '10.9.0.1', node: 'node-a', zone: 'zone-a' }],
        }),
      ],
      findings: [
        {
          reason: 'annotationWithoutHints',
          message: ['1 of 5 ready endpoints carry no zone hint', 'web-mesh'],
          fix: '-l kubernetes.io/service-name=web',
        },
      ],
    },
    {
      name: 'trafficDistribution with a ready endpoint on a node without zone: it gets no hint, so kube-proxy ignores all of them',
      objects: [
        service('web', preferClose),
        ...twoZones,
        node('node-c'),
        slice('web', {
          endpoints: [...spread(2, ['zone-a', 'zone-b'], true), endpointOf('web-c', { node: 'node-c' })],
        }),
      ],
      findings: [
        {
          reason: 'trafficDistributionZonelessNodes',
          message: ['trafficDistribution PreferClose has no effect', '1 ready endpoint has no zone (nodes node-c lack'],
          fix: 'kubectl label node NODE topology.kubernetes.io/zone=ZONE',
        },
      ],
    },
    {
      name: 'trafficDistribution with a ready endpoint that names no node: no zone, no hint',
      objects: [
        service('web', preferClose),
        ...twoZones,
        slice('web', { endpoints: [...spread(2, ['zone-a', 'zone-b'], true), { ip: '10.9.0.9' }] }),
      ],
      findings: [
        {
          reason: 'trafficDistributionZoneless',
          message: ['trafficDistribution PreferClose has no effect: 1 ready endpoint has no zone and get no hint'],
        },
      ],
    },
    {
      name: 'trafficDistribution with a foreign slice: the controller never hints it, so kube-proxy ignores every hint (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web', preferClose),
        ...twoZones,
        slice('web', { endpoints: spread(2, ['zone-a', 'zone-b'], true) }),
        slice('web', {
          name: 'web-mesh',
          managedBy: 'mesh-controller',
          endpoints: [{ ip: '10.9.0.1', node: 'node-a', zone: 'zone-a' }],
        }),
      ],
      findings: [
        {
          reason: 'trafficDistributionUnmanagedSlices',
          message: ['1 of 3 ready endpoints carry no zone hint', 'never get hints: web-mesh'],
          fix: '-l kubernetes.io/service-name=web',
        },
      ],
    },
    {
      name: 'trafficDistribution with zoned endpoints left unhinted: this controller does not act on the value (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution feature timeline)',
      objects: [
        service('web', { spec: { trafficDistribution: 'PreferSameZone' } }),
        ...twoZones,
        slice('web', { endpoints: spread(2, ['zone-a', 'zone-b'], false) }),
      ],
      findings: [
        {
          reason: 'trafficDistributionNotApplied',
          message: ['trafficDistribution PreferSameZone is set but', 'PreferSameTrafficDistribution gate'],
        },
      ],
    },
  ],
});
