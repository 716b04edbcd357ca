import { loadBalancerPending } from '../../src/checks/loadbalancer-pending.js';
import { pod, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const lbPorts = [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }];
const lb = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ports: lbPorts, spec, status: { loadBalancer: status } });

ruleTester(loadBalancerPending, {
  valid: [
    {
      name: 'an ingress IP in status: provisioned (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [lb({ ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] }), pod('web-1')],
    },
    {
      name: 'hostname-only ingress (e.g. AWS ELB) is provisioned; kube-proxy not capturing it only sends in-cluster clients through the LB (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [lb({ ingress: [{ hostname: 'a1b2.elb.us-east-1.amazonaws.com' }] }), pod('web-1')],
    },
    {
      name: 'ipMode Proxy ingress is provisioned; not capturing it in kube-proxy is the point of ipMode Proxy (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [lb({ ingress: [{ ip: '203.0.113.10', ipMode: 'Proxy' }] }), pod('web-1')],
    },
    {
      name: 'a classed LoadBalancer its class controller provisioned (docs/kubernetes-semantics.md#loadbalancer-services loadBalancerClass)',
      objects: [
        lb({ ingress: [{ ip: '203.0.113.10' }] }, { loadBalancerClass: 'example.com/internal-lb' }),
        pod('web-1'),
      ],
    },
    { name: 'ClusterIP Services have no load balancer to wait for', objects: [service('web'), pod('web-1')] },
    {
      name: 'NodePort Services have no load balancer either (docs/kubernetes-semantics.md#nodeport-services)',
      objects: [service('web', { type: 'NodePort', ports: lbPorts }), pod('web-1')],
    },
    {
      name: 'ExternalName Services have no load balancer (docs/kubernetes-semantics.md#externalname-services)',
      objects: [service('db', { type: 'ExternalName', selector: null, spec: { externalName: 'db.example.com' } })],
    },
  ],
  invalid: [
    {
      name: 'no ingress at all: EXTERNAL-IP <pending> (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [lb({}), pod('web-1')],
      findings: [
        {
          reason: 'pending',
          message: ['load balancer pending', '<pending>'],
          fix: 'kubectl get events -n shop --field-selector involvedObject.kind=Service,involvedObject.name=web',
        },
      ],
    },
    {
      name: 'an ingress entry with neither ip nor hostname counts as none (kubectl getServiceExternalIP)',
      objects: [lb({ ingress: [{}] }), pod('web-1')],
      findings: [{ reason: 'pending', message: ['load balancer pending'] }],
    },
    {
      name: 'loadBalancerClass set: default implementations ignore the Service, only that class controller provisions it (docs/kubernetes-semantics.md#loadbalancer-services)',
      objects: [lb({}, { loadBalancerClass: 'example.com/internal-lb' }), pod('web-1')],
      findings: [
        {
          reason: 'pendingForClass',
          message: ['loadBalancerClass example.com/internal-lb', 'default implementations ignore classed Services'],
          fix: 'class example.com/internal-lb',
        },
      ],
    },
    {
      name: 'a selectorless LoadBalancer still needs its load balancer (docs/kubernetes-semantics.md#selectorless-services-and-hand-made-slices)',
      objects: [service('ext', { type: 'LoadBalancer', selector: null, ports: lbPorts })],
      findings: [{ reason: 'pending', message: ['load balancer pending'] }],
    },
    {
      name: 'pending with externalIPs: kubectl hides <pending> behind the externalIPs, which still route, so info only',
      objects: [lb({}, { externalIPs: ['198.51.100.7'] }), pod('web-1')],
      findings: [
        {
          reason: 'pendingWithExternalIPs',
          severity: 'info',
          message: ['load balancer pending', 'externalIPs (198.51.100.7)'],
        },
      ],
    },
    {
      name: 'pending for a class, with externalIPs that still route: info only',
      objects: [lb({}, { loadBalancerClass: 'example.com/internal-lb', externalIPs: ['198.51.100.7'] }), pod('web-1')],
      findings: [
        {
          reason: 'pendingForClassWithExternalIPs',
          severity: 'info',
          message: ['loadBalancerClass example.com/internal-lb', 'externalIPs (198.51.100.7)'],
        },
      ],
    },
  ],
});
