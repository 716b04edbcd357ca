// A NetworkPolicy whose rule names a port the Service's backends are not reached on: the
// Service's `port` rather than its targetPort (policies see connections after kube-proxy's DNAT,
// docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat), or a named
// port none of the backends declares (docs/kubernetes-semantics.md#ports-and-protocols).

import type { NetworkPolicy, Protocol } from '../core/objects.js';
import { namedPortOn, portsAdmit } from '../model/network-policy.js';
import { declaresPort, describeServicePort } from '../model/ports.js';
import { isShut, servicePolicies, type BackendAdmission } from '../model/service-policies.js';
import { isHeadless } from '../model/services.js';
import { kubectl, MAX_PODS, plural, podPorts, POLICY_NOTES, policyCaveats } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

/** The backends each isolating policy selects, by policy, in the order first met. */
function backendsByPolicy(backends: readonly BackendAdmission[]): Map<NetworkPolicy, BackendAdmission[]> {
  const byPolicy = new Map<NetworkPolicy, BackendAdmission[]>();
  for (const b of backends) {
    if (b.admission.state !== 'isolated') continue;
    for (const policy of b.admission.policies) {
      const selected = byPolicy.get(policy);
      if (selected) selected.push(b);
      else byPolicy.set(policy, [b]);
    }
  }
  return byPolicy;
}

/** Whether some ingress rule of the policy admits the port on the backend's pod. */
function ingressAdmits(policy: NetworkPolicy, port: number, protocol: Protocol, b: BackendAdmission): boolean {
  for (const rule of policy.ingress) if (portsAdmit(rule.ports, port, protocol, b.pod)) return true;
  return false;
}

export const networkpolicyPortMismatch: Check = {
  id: 'networkpolicy-port-mismatch',
  severity: 'warning',
  title: "A NetworkPolicy selecting a Service's backends names a port they are not reached on",
  explanation:
    "kube-proxy translates a connection to the Service's port into one to a backend pod on its targetPort before " +
    'the pod receives it, so the policies protecting the pod see the targetPort: a rule admitting the Service port ' +
    '(80) while the pods listen on 8080 admits nothing the Service sends. A named port in a rule stands for the ' +
    "destination pod's container port of that name and protocol; when none of the backends declares it, the entry " +
    'admits nothing on them.',
  fix:
    "Name the targetPort in the rule (its number, or the container port's name the Service's targetPort uses), or " +
    "declare the named port in the pods' containers.",
  messages: {
    servicePort:
      '{{policy}} admits {{servicePort}}, the Service port of {{port}}, and not {{target}}, the port its pods are ' +
      "reached on after the Service's translation: the rule admits nothing the Service sends to {{pods}}",
    namedPort:
      '{{policy}} admits the named port {{name}}/{{protocol}}, which none of the {{pods}} behind {{port}} that it ' +
      'selects declares: the entry admits nothing on them, and the port is shut on {{shut}}',
  },
  notes: POLICY_NOTES,
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['networkPolicies'],
  run(view, model) {
    const findings: FindingDraft[] = [];
    const { service } = view;
    const namespace = service.meta.namespace;
    const reportedNames = new Set<string>();
    const caveats = policyCaveats(model);
    // A headless Service is not translated: clients pick the pod's port themselves.
    const translated = !isHeadless(service);
    for (const { servicePort, backends } of servicePolicies(view, model).ports) {
      const { protocol } = servicePort;
      const port = describeServicePort(servicePort);
      for (const [policy, selected] of backendsByPolicy(backends)) {
        const admits = (b: BackendAdmission, number: number) => ingressAdmits(policy, number, protocol, b);
        const fix = () => kubectl('edit', 'networkpolicy', policy.meta.name, '-n', namespace);
        // A rule with no ports admits the Service port only because it admits every port.
        const namesPorts = policy.ingress.some((rule) => rule.ports.length > 0);
        const missed =
          translated && namesPorts
            ? selected.filter(
                (b) =>
                  b.port !== servicePort.port &&
                  admits(b, servicePort.port) &&
                  !admits(b, b.port) &&
                  // A pod that listens on the Service port number too may be meant to get it.
                  !declaresPort(b.pod, servicePort.port, protocol),
              )
            : [];
        if (missed.length > 0) {
          findings.push({
            reason: 'servicePort',
            data: {
              policy: `NetworkPolicy ${policy.meta.name}`,
              servicePort: `${servicePort.port}/${protocol}`,
              port,
              target: podPorts(
                missed.map((b) => b.port),
                protocol,
              ),
              pods: plural(missed.length, 'pod'),
              ...caveats.data,
            },
            notes: caveats.notes,
            port,
            pods: missed.slice(0, MAX_PODS).map((b) => ({
              name: b.pod.meta.name,
              cause: `reached on ${b.port}/${protocol}; ${policy.meta.name} admits ${servicePort.port}/${protocol}`,
            })),
            fix: fix(),
          });
        }
        const shut = selected.filter(isShut);
        if (shut.length === 0) continue;
        const names = new Set(
          policy.ingress.flatMap((rule) =>
            rule.ports.flatMap((entry) =>
              typeof entry.port === 'string' && entry.protocol === protocol ? [entry.port] : [],
            ),
          ),
        );
        for (const name of [...names].sort()) {
          const key = `${policy.meta.name}\u0000${name}/${protocol}`;
          if (reportedNames.has(key) || selected.some((b) => namedPortOn(b.pod, name, protocol) !== undefined))
            continue;
          reportedNames.add(key);
          findings.push({
            reason: 'namedPort',
            data: {
              policy: `NetworkPolicy ${policy.meta.name}`,
              name,
              protocol,
              pods: plural(selected.length, 'ready backend'),
              port,
              shut: plural(shut.length, 'pod'),
              ...caveats.data,
            },
            notes: caveats.notes,
            port,
            pods: shut.slice(0, MAX_PODS).map((b) => ({
              name: b.pod.meta.name,
              cause: `declares no ${protocol} port named ${name}; reached on ${b.port}/${protocol}`,
            })),
            fix: fix(),
          });
        }
      }
    }
    return findings;
  },
};
