import { trafficPolicyLocalGaps } from '../../src/checks/traffic-policy-local-gaps.js';
import { endpointOf, node, pod, service, slice } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const itpLocal = { spec: { internalTrafficPolicy: 'Local' } };
const nodePortEtpLocal = {
  type: 'NodePort',
  ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
  spec: { externalTrafficPolicy: 'Local' },
};
const threeNodes = [node('node-a'), node('node-b'), node('node-c')];
/** A running client pod (not a backend) on the given node. */
const client = (name: string, onNode: string) => pod(name, { node: onNode, labels: { app: 'client' } });

ruleTester(trafficPolicyLocalGaps, {
  valid: [
    {
      name: 'policies default to Cluster (docs/kubernetes-semantics.md#targetport-defaulting-and-validation): a backend on one node serves every node',
      objects: [
        service('web'),
        pod('web-1'),
        client('c-b', 'node-b'),
        ...threeNodes,
        slice('web', { endpoints: [endpointOf('web-1')] }),
      ],
    },
    {
      name: 'ITP Local with a ready backend on every node that runs pods (the DaemonSet shape, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web', itpLocal),
        pod('web-a', { node: 'node-a' }),
        pod('web-b', { node: 'node-b' }),
        ...threeNodes,
        slice('web', { endpoints: [endpointOf('web-a', { node: 'node-a' }), endpointOf('web-b', { node: 'node-b' })] }),
      ],
    },
    {
      name: 'ITP Local: a node that runs no pod sends no pod traffic to the ClusterIP (clients are pods)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        ...threeNodes,
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'ITP Local: a serving terminating local endpoint is used when the node has no ready one (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection CategorizeEndpoints fallback)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        pod('web-b', { node: 'node-b', terminating: true }),
        node('node-a'),
        node('node-b'),
        slice('web', {
          endpoints: [
            endpointOf('web-a'),
            endpointOf('web-b', { node: 'node-b', ready: false, serving: true, terminating: true }),
          ],
        }),
      ],
    },
    {
      name: 'ITP Local with no ready endpoint anywhere: kube-proxy REJECTs everywhere (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection), an outage for another check',
      objects: [
        service('web', itpLocal),
        pod('web-a', { waiting: 'CrashLoopBackOff' }),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a', { ready: false })] }),
      ],
    },
    {
      name: 'ITP Local while every endpoint is serving and terminating: a rollout outage, reported by the no-ready-endpoints check',
      objects: [
        service('web', itpLocal),
        pod('web-a', { terminating: true }),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a', { ready: false, serving: true, terminating: true })] }),
      ],
    },
    {
      name: 'publishNotReadyAddresses makes the unready local pod a ready endpoint (docs/kubernetes-semantics.md#endpoint-conditions-and-fields), so the node has one',
      objects: [
        service('web', { spec: { internalTrafficPolicy: 'Local', publishNotReadyAddresses: true } }),
        pod('web-a'),
        pod('web-b', { node: 'node-b', ready: false }),
        node('node-a'),
        node('node-b'),
        slice('web', {
          endpoints: [endpointOf('web-a'), endpointOf('web-b', { node: 'node-b', ready: true, serving: false })],
        }),
      ],
    },
    {
      name: 'ETP Local on a plain ClusterIP Service is meaningless: validation rejects it (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection ExternallyAccessible)',
      objects: [
        service('web', { spec: { externalTrafficPolicy: 'Local' } }),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'ETP Local NodePort: a NotReady node does not count (its pods are being evicted, its kube-proxy state is unknown; node checks report it)',
      objects: [
        service('web', nodePortEtpLocal),
        pod('web-a'),
        node('node-a'),
        node('node-c', { ready: 'False' }),
        node('node-d', { ready: 'Unknown' }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'ETP Local LoadBalancer: a node labelled exclude-from-external-load-balancers (kubeadm control planes) is no LB target',
      objects: [
        service('web', { ...nodePortEtpLocal, type: 'LoadBalancer' }),
        pod('web-a'),
        node('node-a'),
        node('cp-1', {
          labels: {
            'node-role.kubernetes.io/control-plane': '',
            'node.kubernetes.io/exclude-from-external-load-balancers': '',
          },
        }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'headless Services are ignored by kube-proxy (docs/kubernetes-semantics.md#headless-services): traffic policies do not apply',
      objects: [
        service('web', { spec: { clusterIP: 'None', clusterIPs: ['None'], internalTrafficPolicy: 'Local' } }),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'ExternalName Services are not proxied (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        service('ext', {
          type: 'ExternalName',
          selector: null,
          spec: { externalName: 'db.example.com', internalTrafficPolicy: 'Local' },
        }),
        client('c-b', 'node-b'),
        node('node-b'),
      ],
    },
    {
      name: 'a service-proxy-name label hands the Service to another proxy (docs/kubernetes-semantics.md#service-proxy-name-and-headless-labels): ignored-by-kube-proxy reports it',
      objects: [
        service('web', { ...itpLocal, labels: { 'service.kubernetes.io/service-proxy-name': 'other-proxy' } }),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'dual stack: an IPv6 family without any endpoint is a REJECT for IPv6 (docs/kubernetes-semantics.md#one-slice-set-per-address-family), reported by ip-family-without-endpoints',
      objects: [
        service('web', {
          spec: { ...itpLocal.spec, ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] },
        }),
        pod('web-a'),
        pod('web-b', { node: 'node-b' }),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a'), endpointOf('web-b', { node: 'node-b' })] }),
        slice('web', { name: 'web-v6', addressType: 'IPv6', ports: [], endpoints: [] }),
      ],
    },
    {
      name: 'a Service port no slice carries has no endpoints at all (REJECT, docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices port name matching), not a local gap',
      objects: [
        service('web', {
          ...itpLocal,
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
            { name: 'admin', port: 9000, targetPort: 'admin', protocol: 'TCP' },
          ],
        }),
        pod('web-a'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'ITP Local: pods on a NotReady node are not counted as clients (the node is failing; its pods are marked unready and evicted, docs/kubernetes-semantics.md#pod-readiness)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b', { ready: 'False' }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'a slice port without a port number is ignored by kube-proxy (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices), so that Service port has no endpoints: REJECT, not a local gap',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', { ports: [{ name: 'http', protocol: 'TCP' }], endpoints: [endpointOf('web-a')] }),
      ],
    },
    {
      name: 'without Nodes in the input the check is skipped (requires nodes)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        client('c-b', 'node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      coverage: { nodes: false },
    },
  ],
  invalid: [
    {
      name: 'ITP Local: nodes running pods without a ready local backend drop ClusterIP traffic (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection DROP "has no local endpoints")',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        pod('web-b', { node: 'node-b', waiting: 'CrashLoopBackOff' }),
        client('c-c', 'node-c'),
        ...threeNodes,
        slice('web', { endpoints: [endpointOf('web-a'), endpointOf('web-b', { node: 'node-b', ready: false })] }),
      ],
      findings: [
        {
          reason: 'internalGaps',
          port: 'http 80/TCP',
          message: [
            'internalTrafficPolicy Local',
            '2 of 3 ready nodes running pods',
            '(node-b, node-c)',
            'clients see timeouts',
          ],
          pods: ['web-b'],
          causes: { 'web-b': 'CrashLoopBackOff' },
          fix: `kubectl patch service web -n shop -p '{"spec":{"internalTrafficPolicy":"Cluster"}}'`,
        },
      ],
    },
    {
      name: 'ITP Local: a terminating endpoint that is no longer serving is no fallback (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection needs serving and terminating)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        pod('web-b', { node: 'node-b', terminating: true, ready: false }),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b'),
        slice('web', {
          endpoints: [
            endpointOf('web-a'),
            endpointOf('web-b', { node: 'node-b', ready: false, serving: false, terminating: true }),
          ],
        }),
      ],
      findings: [
        {
          reason: 'internalGaps',
          message: ['1 of 2', '(node-b)'],
          pods: ['web-b'],
          causes: { 'web-b': 'terminating' },
        },
      ],
    },
    {
      name: 'ITP Local: a cordoned node still runs its pods, which are clients (cordon only stops new scheduling)',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        client('c-b', 'node-b'),
        node('node-a'),
        node('node-b', {
          unschedulable: true,
          taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
        }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [{ reason: 'internalGaps', message: ['(node-b)'] }],
    },
    {
      name: 'ITP Local: a control-plane node running pods is a client node like any other',
      objects: [
        service('web', itpLocal),
        pod('web-a'),
        pod('etcd-cp-1', { node: 'cp-1', labels: { component: 'etcd' } }),
        node('node-a'),
        node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' } }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [{ reason: 'internalGaps', message: ['1 of 2', '(cp-1)'] }],
    },
    {
      name: 'ITP Local on a selectorless Service whose endpoints have no nodeName: no node is ever local (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices, IsLocal compares nodeName)',
      objects: [
        service('ext', { selector: null, ...itpLocal }),
        client('c-a', 'node-a'),
        node('node-a'),
        slice('ext', { managedBy: 'staff', endpoints: [{ ip: '192.168.10.5' }] }),
      ],
      findings: [{ reason: 'internalGaps', message: ['1 of 1', '(node-a)', 'nodeName unset'] }],
    },
    {
      name: 'ETP Local NodePort: a ready node without a local endpoint drops NodePort traffic (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection), cordoned or not',
      objects: [
        service('web', nodePortEtpLocal),
        pod('web-a'),
        node('node-a'),
        node('node-b', { unschedulable: true }),
        node('node-c', { ready: 'False' }),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [
        {
          reason: 'externalGaps',
          severity: 'warning',
          port: 'http 80/TCP',
          message: ['externalTrafficPolicy Local', '1 of 2 ready nodes', '(node-b)', 'through the NodePort is dropped'],
          fix: '"externalTrafficPolicy":"Cluster"',
        },
      ],
    },
    {
      name: 'ETP Local LoadBalancer: reported as info, the LB health check on healthCheckNodePort is meant to route around the gap (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [
        service('web', { ...nodePortEtpLocal, type: 'LoadBalancer' }),
        pod('web-a'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [
        { reason: 'externalGapsBehindLoadBalancer', severity: 'info', message: ['(node-b)', 'healthCheckNodePort'] },
      ],
    },
    {
      name: 'ETP Local on a ClusterIP Service with externalIPs: it is externally accessible (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection)',
      objects: [
        service('web', { spec: { externalTrafficPolicy: 'Local', externalIPs: ['203.0.113.7'] } }),
        pod('web-a'),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [{ reason: 'externalGaps', message: ['(node-b)', 'through the externalIPs'] }],
    },
    {
      name: 'both policies Local: one finding each, internal (client nodes) then external (all ready nodes)',
      objects: [
        service('web', {
          ...nodePortEtpLocal,
          spec: { externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' },
        }),
        pod('web-a'),
        client('c-b', 'node-b'),
        ...threeNodes,
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [
        { reason: 'internalGaps', message: ['internalTrafficPolicy Local', '1 of 2', '(node-b)'] },
        { reason: 'externalGaps', message: ['externalTrafficPolicy Local', '2 of 3', '(node-b, node-c)'] },
      ],
    },
    {
      name: 'a port whose named targetPort failed on some pods has its own gaps (docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping slices per port set): reported for that port',
      objects: [
        service('web', {
          ...itpLocal,
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
            { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
          ],
        }),
        pod('web-a'),
        pod('web-b', { node: 'node-b' }),
        node('node-a'),
        node('node-b'),
        slice('web', {
          name: 'web-1',
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, protocol: 'TCP' },
          ],
          endpoints: [endpointOf('web-a')],
        }),
        slice('web', {
          name: 'web-2',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          endpoints: [endpointOf('web-b', { node: 'node-b' })],
        }),
      ],
      findings: [{ reason: 'internalGaps', port: 'metrics 9090/TCP', message: ['1 of 2', '(node-b)'] }],
    },
    {
      name: 'dual stack: each family has its own proxier, so IPv6 endpoints on node-a only leave node-b without a local IPv6 one',
      objects: [
        service('web', {
          spec: { ...itpLocal.spec, ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['10.96.0.10', 'fd00::10'] },
        }),
        pod('web-a'),
        pod('web-b', { node: 'node-b' }),
        node('node-a'),
        node('node-b'),
        slice('web', { endpoints: [endpointOf('web-a'), endpointOf('web-b', { node: 'node-b' })] }),
        slice('web', {
          name: 'web-v6',
          addressType: 'IPv6',
          endpoints: [{ ip: 'fd00:10:244::5', node: 'node-a', pod: 'web-a' }],
        }),
      ],
      findings: [{ reason: 'internalGaps', message: ['1 of 2', '(node-b)'] }],
    },
    {
      name: 'the node list is capped and the count given',
      objects: [
        service('web', nodePortEtpLocal),
        pod('web-a'),
        node('node-a'),
        ...Array.from({ length: 11 }, (_, i) => node(`w-${String(i).padStart(2, '0')}`)),
        slice('web', { endpoints: [endpointOf('web-a')] }),
      ],
      findings: [{ reason: 'externalGaps', message: ['11 of 12 ready nodes', 'w-00, w-01', 'w-07 and 3 more'] }],
    },
  ],
});
