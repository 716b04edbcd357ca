// Every ready backend of a Service port shut by NetworkPolicies: isolated for ingress, and no rule
// of the policies selecting it admits the targetPort resolved on it, from any source
// (docs/kubernetes-semantics.md#networkpolicy).

import { describeServicePort } from '../model/ports.js';
import { isolatingPolicies, isShut, servicePolicies } from '../model/service-policies.js';
import { kubectl, namePolicies, plural, podPorts, POLICY_NOTES, policyCaveats, shutPods } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

export const networkpolicyBlocksBackends: Check = {
  id: 'networkpolicy-blocks-backends',
  severity: 'error',
  title: 'NetworkPolicies shut every ready backend of a Service port',
  explanation:
    'A pod that some NetworkPolicy of its namespace selects with Ingress in its policyTypes is isolated for ingress: ' +
    'it accepts only what a rule of one of those policies admits, from a peer of the rule on one of its ports. ' +
    "Policies see a connection to the Service after kube-proxy has translated it, on the backend pod's address and " +
    'the targetPort resolved on it. When no rule admits that port on any ready backend, every connection to the ' +
    'Service port is dropped, from inside the cluster and from outside: typically a default-deny policy with no ' +
    'allow rule for these pods, or one that admits another port. Enforcement is the network plugin’s: a plugin ' +
    'without NetworkPolicy support ignores them all.',
  fix:
    'Add an ingress rule admitting the targetPort (as a number or the container port’s name) from the clients that ' +
    'need the Service, to one of the policies that select the pods or in a new policy that selects them.',
  messages: {
    shut:
      'every ready backend of {{port}} ({{backends}}) is isolated for ingress by {{policies}}, and no rule admits ' +
      '{{target}} from any source: the port is unreachable',
  },
  notes: POLICY_NOTES,
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['networkPolicies'],
  run(view, model) {
    const findings: FindingDraft[] = [];
    const { namespace } = view.service.meta;
    for (const { servicePort, backends } of servicePolicies(view, model).ports) {
      if (backends.length === 0 || !backends.every(isShut)) continue;
      const policies = isolatingPolicies(backends);
      const caveats = policyCaveats(model);
      const port = describeServicePort(servicePort);
      findings.push({
        reason: 'shut',
        data: {
          port,
          backends: plural(backends.length, 'pod'),
          policies: namePolicies(policies),
          target: podPorts(
            backends.map((b) => b.port),
            servicePort.protocol,
          ),
          ...caveats.data,
        },
        notes: caveats.notes,
        port,
        pods: shutPods(backends, servicePort.protocol),
        fix: kubectl('describe', 'networkpolicy', '-n', namespace, ...new Set(policies.map((p) => p.meta.name))),
      });
    }
    return findings;
  },
};
