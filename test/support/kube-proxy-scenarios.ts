// Services and EndpointSlices covering what kube-proxy programs differently, for the dataplane tests:
// every Service type and traffic policy, no endpoints, no local endpoints, terminating fallback,
// affinity, UDP, unnamed ports and a dual-stack Service. Node under test: node-a.
import type { Breakage, RulesInput } from './kube-proxy-rules.js';
import { service, slice, type Raw } from './objects.js';

const NODE = 'node-a';

const http = (o: Raw = {}) => ({ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', ...o });

function clusterIP(ip: string): Raw {
  return { clusterIP: ip, clusterIPs: [ip], ipFamilies: [ip.includes(':') ? 'IPv6' : 'IPv4'] };
}

export function healthyCluster(): Pick<RulesInput, 'services' | 'slices' | 'nodeName'> {
  const services = [
    service('web', {
      ports: [http(), { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }],
      spec: clusterIP('10.96.0.10'),
    }),
    service('plain', { ports: [{ port: 8000, targetPort: 8000, protocol: 'TCP' }], spec: clusterIP('10.96.0.11') }),
    service('shopfront', {
      type: 'LoadBalancer',
      ports: [http({ nodePort: 30080 })],
      spec: {
        ...clusterIP('10.96.0.12'),
        externalIPs: ['203.0.113.9'],
        externalTrafficPolicy: 'Local',
        loadBalancerSourceRanges: ['203.0.113.0/24', '192.0.2.0/25'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } },
    }),
    service('nodeport', { type: 'NodePort', ports: [http({ nodePort: 30081 })], spec: clusterIP('10.96.0.13') }),
    service('local-only', { ports: [http()], spec: { ...clusterIP('10.96.0.14'), internalTrafficPolicy: 'Local' } }),
    service('local-elsewhere', {
      ports: [http()],
      spec: { ...clusterIP('10.96.0.15'), internalTrafficPolicy: 'Local' },
    }),
    service('lb-elsewhere', {
      type: 'LoadBalancer',
      ports: [http({ nodePort: 30082 })],
      spec: { ...clusterIP('10.96.0.16'), externalTrafficPolicy: 'Local' },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.8' }] } },
    }),
    service('empty', {
      type: 'LoadBalancer',
      ports: [http({ nodePort: 30083 })],
      spec: { ...clusterIP('10.96.0.17'), externalIPs: ['203.0.113.10'], loadBalancerSourceRanges: ['203.0.113.0/24'] },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.9' }] } },
    }),
    service('draining', { ports: [http()], spec: clusterIP('10.96.0.18') }),
    service('dual', {
      ports: [http()],
      spec: { clusterIP: '10.96.0.19', clusterIPs: ['10.96.0.19', 'fd00:96::19'], ipFamilies: ['IPv4', 'IPv6'] },
    }),
    service('v6only', { type: 'NodePort', ports: [http({ nodePort: 30084 })], spec: clusterIP('fd00:96::20') }),
  ];
  const slices = [
    slice('web', {
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
      endpoints: [
        { ip: '10.244.0.10', node: NODE },
        { ip: '10.244.1.10', node: 'node-b' },
        { ip: '10.244.2.10', node: 'node-c' },
        { ip: '10.244.2.11', node: 'node-c', ready: false },
      ],
    }),
    slice('plain', {
      ports: [{ name: '', port: 8000, protocol: 'TCP' }],
      endpoints: [{ ip: '10.244.1.11', node: 'node-b' }],
    }),
    slice('shopfront', {
      endpoints: [
        { ip: '10.244.0.12', node: NODE },
        { ip: '10.244.1.12', node: 'node-b' },
      ],
    }),
    slice('nodeport', {
      endpoints: [
        { ip: '10.244.1.13', node: 'node-b' },
        { ip: '10.244.2.13', node: 'node-c' },
      ],
    }),
    slice('local-only', {
      endpoints: [
        { ip: '10.244.0.14', node: NODE },
        { ip: '10.244.1.14', node: 'node-b' },
      ],
    }),
    slice('local-elsewhere', { endpoints: [{ ip: '10.244.1.15', node: 'node-b' }] }),
    slice('lb-elsewhere', { endpoints: [{ ip: '10.244.1.16', node: 'node-b' }] }),
    slice('draining', {
      endpoints: [
        { ip: '10.244.1.18', node: 'node-b', ready: false, serving: true, terminating: true },
        { ip: '10.244.2.18', node: 'node-c', ready: false, serving: false, terminating: true },
      ],
    }),
    slice('dual', { endpoints: [{ ip: '10.244.1.19', node: 'node-b' }] }),
    slice('dual', {
      name: 'dual-v6',
      addressType: 'IPv6',
      endpoints: [
        { ip: 'fd00:10:244:1::19', node: 'node-b' },
        { ip: 'fd00:10:244::19', node: NODE },
      ],
    }),
    slice('v6only', { addressType: 'IPv6', endpoints: [{ ip: 'fd00:10:244:1::20', node: 'node-b' }] }),
  ];
  return { services, slices, nodeName: NODE };
}

/** A Service that was deleted but whose rules are still on the node. */
function deletedService(): Raw {
  return service('gone', { ports: [http()], spec: clusterIP('10.96.0.99') });
}

export interface Scenario {
  name: string;
  input: RulesInput;
}

/** The healthy cluster and one variant per deliberate breakage. */
export function scenarios(): Scenario[] {
  const base = healthyCluster();
  const broken = (name: string, breakages: Breakage[]): Scenario => ({ name, input: { ...base, breakages } });
  return [
    { name: 'healthy', input: base },
    { name: 'large cluster (no endpoint comments)', input: { ...base, largeCluster: true } },
    broken('an endpoint missing from the rules', [{ kind: 'drop-endpoint', service: 'shop/web', ip: '10.244.1.10' }]),
    broken('a stale endpoint still in the rules', [
      { kind: 'stale-endpoint', service: 'shop/nodeport', ip: '10.244.9.9', port: 8080, node: 'node-z' },
    ]),
    broken('REJECT although endpoints exist', [{ kind: 'reject-despite-endpoints', service: 'shop/shopfront' }]),
    broken('Local policy without local endpoints', [{ kind: 'no-local-endpoints', service: 'shop/shopfront' }]),
    {
      name: 'rules for a deleted Service',
      input: {
        ...base,
        staleServices: [deletedService()],
        slices: [...base.slices, slice('gone', { endpoints: [{ ip: '10.244.1.99' }] })],
      },
    },
  ];
}
