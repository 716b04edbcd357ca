// Some ready backends of a Service port shut by NetworkPolicies, others not: kube-proxy spreads
// connections over all of them, so a share of them fail
// (docs/kubernetes-semantics.md#networkpolicy).

import { describeServicePort } from '../model/ports.js';
import { isolatingPolicies, isShut, servicePolicies } from '../model/service-policies.js';
import { agree, kubectl, namePolicies, podPorts, POLICY_NOTES, policyCaveats, shutPods } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

export const networkpolicyBlocksSomeBackends: Check = {
  id: 'networkpolicy-blocks-some-backends',
  severity: 'warning',
  title: 'NetworkPolicies shut some ready backends of a Service port',
  explanation:
    'Policies select pods by their labels, not by the Service: when the ready backends of a port differ in labels, ' +
    'or in the port a named targetPort resolves to, some may be isolated with no rule admitting their port while ' +
    'the others accept it. kube-proxy keeps sending its share of the connections to every ready backend, and those ' +
    'sent to a shut one are dropped: the Service works intermittently. A backend on the host network gets no verdict ' +
    '(what policies do to it is undefined).',
  fix:
    'Give the shut pods the same admission as the others: a rule admitting their port in a policy that selects them, ' +
    'or labels that the admitting policies select.',
  messages: {
    someShut:
      '{{shut}} of the {{backends}} ready backends of {{port}} {{is}} isolated for ingress by {{policies}} with no rule ' +
      'admitting {{target}}: about {{percent}}% of connections to the port are dropped',
  },
  notes: {
    hostNetwork: '; {{hostNetwork}} on the host network, which policies may not apply to',
    ...POLICY_NOTES,
  },
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['networkPolicies'],
  run(view, model) {
    const findings: FindingDraft[] = [];
    const { namespace } = view.service.meta;
    for (const { servicePort, backends } of servicePolicies(view, model).ports) {
      const shut = backends.filter(isShut);
      if (shut.length === 0 || shut.length === backends.length) continue;
      const policies = isolatingPolicies(shut);
      const onHost = backends.filter((b) => b.admission.state === 'hostNetwork').length;
      const caveats = policyCaveats(model);
      const port = describeServicePort(servicePort);
      findings.push({
        reason: 'someShut',
        data: {
          shut: shut.length,
          is: agree(shut.length, 'is', 'are'),
          backends: backends.length,
          port,
          policies: namePolicies(policies),
          target: podPorts(
            shut.map((b) => b.port),
            servicePort.protocol,
          ),
          percent: Math.round((100 * shut.length) / backends.length),
          hostNetwork: `${onHost} ${onHost === 1 ? 'is' : 'are'}`,
          ...caveats.data,
        },
        notes: [...(onHost > 0 ? ['hostNetwork'] : []), ...caveats.notes],
        port,
        pods: shutPods(shut, servicePort.protocol),
        fix: kubectl('describe', 'networkpolicy', '-n', namespace, ...new Set(policies.map((p) => p.meta.name))),
      });
    }
    return findings;
  },
};
