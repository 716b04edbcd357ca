// What the NetworkPolicies of a Service's namespace admit on each of its ports, per ready
// backend: computed once per Service view and shared by the networkpolicy-* checks. Policies see
// the backend pod's address and the targetPort resolved on it, after the Service's DNAT
// (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat).
// The cost is the Service's ready backends times the policies of its namespace, never all pods.

import type { ClusterModel } from './cluster.js';
import type { NetworkPolicy, Pod, ServicePort } from '../core/objects.js';
import { oncePer } from '../core/once-per.js';
import { PolicyEvaluator, type PortAdmission } from './network-policy.js';
import { findPort } from './ports.js';
import { isReadyBackend, type ServiceView } from './service-view.js';

/** One ready backend of a Service port: its pod, the targetPort resolved on it, what its policies admit there. */
export interface BackendAdmission {
  pod: Pod;
  port: number;
  admission: PortAdmission;
}

interface PortPolicies {
  servicePort: ServicePort;
  /** The ready backends on which the port's targetPort resolves, in pod name order. */
  backends: BackendAdmission[];
}

export interface ServicePolicies {
  ports: PortPolicies[];
  /** Ready endpoints whose pod the input does not hold (no targetRef, or a pod not read): no verdict for them. */
  unknownBackends: number;
}

/** The model's evaluator, shared by every caller (each Service, --from, the tree): each namespace's policies are compiled once. */
export const policyEvaluator = oncePer((model: ClusterModel) => new PolicyEvaluator(model));

/**
 * The pods behind the Service's ready endpoints, each once, as view.counts.ready counts them:
 * from the merged slices (a targetRef to a pod of the input), else from the matched pods.
 */
export function readyBackendPods(view: ServiceView): { pods: Pod[]; unknown: number } {
  if (view.counts.source === 'pods') {
    return { pods: view.matched.filter((m) => m.state.shouldBeListed && m.state.ready).map((m) => m.pod), unknown: 0 };
  }
  const pods = new Set<Pod>();
  const unknownAddresses = new Set<string>();
  for (const e of view.sliceEndpoints) {
    if (!isReadyBackend(e)) continue;
    const pod = e.pod;
    if (pod) pods.add(pod);
    else unknownAddresses.add(e.address);
  }
  return {
    pods: [...pods].sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0)),
    unknown: unknownAddresses.size,
  };
}

const computed = new WeakMap<ServiceView, ServicePolicies>();

/** What the namespace's policies admit on each port of the Service, per ready backend; computed once per view. */
export function servicePolicies(view: ServiceView, model: ClusterModel): ServicePolicies {
  let result = computed.get(view);
  if (result) return result;
  const evaluator = policyEvaluator(model);
  const { pods, unknown } = readyBackendPods(view);
  result = {
    ports: view.service.ports.map((servicePort) => {
      const backends: BackendAdmission[] = [];
      for (const pod of pods) {
        const port = findPort(pod, servicePort);
        if (port !== undefined) {
          backends.push({ pod, port, admission: evaluator.admission(pod, 'Ingress', port, servicePort.protocol) });
        }
      }
      return { servicePort, backends };
    }),
    unknownBackends: unknown,
  };
  computed.set(view, result);
  return result;
}

/** What the namespace's policies admit on one port of a pod, as a destination (the shared evaluator). */
export function ingressAdmission(model: ClusterModel, pod: Pod, port: number, protocol: ServicePort['protocol']) {
  return policyEvaluator(model).admission(pod, 'Ingress', port, protocol);
}

/** A backend the policies shut on its port: isolated for ingress, and no rule admits the port from anywhere. */
export function isShut(backend: BackendAdmission): boolean {
  return backend.admission.state === 'isolated' && backend.admission.rules.length === 0;
}

/** The policies isolating these backends for ingress (a policy selecting several is listed for each). */
export function isolatingPolicies(backends: readonly BackendAdmission[]): NetworkPolicy[] {
  return backends.flatMap((b) => (b.admission.state === 'isolated' ? [...b.admission.policies] : []));
}

/** How one policy isolating a pod treats one Service port's targetPort resolved on it. */
interface PolicyOnPort {
  servicePort: ServicePort;
  /** The targetPort resolved on the pod; undefined when it does not resolve there (nothing to admit). */
  port?: number;
  /** Whether a rule of this policy admits the port: from every source, from some, or not at all. */
  admits: 'every source' | 'some sources' | 'no';
  /** Whether no policy isolating the pod admits the port: it is shut on this pod. */
  shut: boolean;
}

/** A NetworkPolicy that isolates a pod for ingress, and what it admits on each of a Service's ports. */
export interface IsolatingPolicy {
  policy: NetworkPolicy;
  ports: PolicyOnPort[];
}

/**
 * The policies isolating the pod for ingress, in name order, each with what it admits on the
 * Service's ports: what -o tree lists under a backend. Undefined when the pod's namespace's
 * policies were not read or the pod is on the host network (no verdict); empty when none
 * isolates it. The evaluator holds each pod's selecting policies once, whichever Service asks.
 */
export function isolatingPoliciesOf(
  model: ClusterModel,
  pod: Pod,
  servicePorts: readonly ServicePort[],
): IsolatingPolicy[] | undefined {
  const evaluator = policyEvaluator(model);
  const policies = pod.hostNetwork ? undefined : evaluator.selecting(pod, 'Ingress');
  if (!policies || policies.length === 0) return policies && [];
  const byPort = servicePorts.map((servicePort) => {
    const port = findPort(pod, servicePort);
    return {
      servicePort,
      port,
      admission: port === undefined ? undefined : evaluator.admission(pod, 'Ingress', port, servicePort.protocol),
    };
  });
  return policies.map((policy) => ({
    policy,
    ports: byPort.map(({ servicePort, port, admission }): PolicyOnPort => {
      const rules = admission?.state === 'isolated' ? admission.rules : [];
      const own = rules.filter((r) => r.policy === policy);
      return {
        servicePort,
        ...(port !== undefined ? { port } : {}),
        admits: own.length === 0 ? 'no' : own.some((r) => r.peers.length === 0) ? 'every source' : 'some sources',
        shut: port !== undefined && rules.length === 0,
      };
    }),
  }));
}
