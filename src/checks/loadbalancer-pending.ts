// type LoadBalancer without an address in status.loadBalancer.ingress: nothing has provisioned
// the load balancer (kubectl shows EXTERNAL-IP <pending>, docs/kubernetes-semantics.md#loadbalancer-services). With
// spec.loadBalancerClass only the controller of that class will ever do it; default
// implementations ignore classed Services.
//
// An ingress entry with only a hostname, or an IP with ipMode Proxy, is a provisioned load
// balancer: kube-proxy does not capture those addresses, which only means in-cluster clients go
// through the real load balancer. That is how such load balancers work, so it is no finding.

import { getEvents, shellQuote } from './helpers.js';
import type { Check } from './types.js';

const PENDING =
  'load balancer pending: no ingress address in status.loadBalancer (EXTERNAL-IP <pending>); no load-balancer ' +
  'implementation has provisioned it';
const PENDING_CLASS =
  'load balancer pending: no ingress address in status, and loadBalancerClass {{class}} means only a controller for ' +
  'that class provisions it (default implementations ignore classed Services)';
const EXTERNAL_IPS =
  '; kubectl shows the externalIPs ({{externalIPs}}) instead, and traffic to those still reaches the Service';

export const loadBalancerPending: Check = {
  id: 'loadbalancer-pending',
  severity: 'warning',
  title: 'The load balancer has not been provisioned',
  explanation:
    "A LoadBalancer Service gets its external address from a load-balancer controller (the cloud provider's service " +
    'controller, MetalLB, kube-vip, ...), which writes it to status.loadBalancer.ingress. Until then kubectl shows ' +
    'EXTERNAL-IP <pending> and nothing outside the cluster can reach the Service through a load balancer. When ' +
    'spec.loadBalancerClass is set, default implementations must ignore the Service: only a controller for that class ' +
    'provisions it.',
  fix:
    'Install or repair a load-balancer implementation for the cluster (or for the class named in loadBalancerClass), ' +
    'and read the Service events for its errors. Use NodePort or an Ingress/Gateway where no load balancer exists.',
  messages: {
    pending: PENDING,
    pendingForClass: PENDING_CLASS,
    pendingWithExternalIPs: PENDING + EXTERNAL_IPS,
    pendingForClassWithExternalIPs: PENDING_CLASS + EXTERNAL_IPS,
  },
  // kubectl then prints the externalIPs instead of <pending>; traffic to them still works.
  severities: { pendingWithExternalIPs: 'info', pendingForClassWithExternalIPs: 'info' },
  // The service controller's errors (cloud-provider's service controller; other implementations record their own).
  explainsEvents: ['SyncLoadBalancerFailed', 'UnAvailableLoadBalancer'],
  appliesToServices: { backends: ['selector', 'selectorless'] },
  run(view) {
    const { service } = view;
    if (service.type !== 'LoadBalancer') return [];
    // kubectl's getServiceExternalIP counts an entry only when it has an ip or a hostname.
    if (service.loadBalancerIngress.some((i) => i.ip || i.hostname)) return [];

    const { name, namespace } = service.meta;
    const events = getEvents(namespace, name, 'Service');
    let reason: string;
    let fix: string;
    if (service.loadBalancerClass) {
      reason = 'pendingForClass';
      fix = `check that a controller handling class ${shellQuote(service.loadBalancerClass)} runs and look at its logs and the Service events: ${events}`;
    } else {
      reason = 'pending';
      fix = `look for errors of the load-balancer controller (e.g. SyncLoadBalancerFailed): ${events}`;
    }
    if (service.externalIPs.length > 0) reason += 'WithExternalIPs';
    const data = { class: service.loadBalancerClass ?? '', externalIPs: service.externalIPs.join(', ') };
    return [{ reason, data, fix }];
  },
};
