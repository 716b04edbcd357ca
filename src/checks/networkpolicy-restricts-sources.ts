// A Service port that NetworkPolicies admit only from some sources: named, so that "it works from
// A and not from B" has its explanation (docs/kubernetes-semantics.md#rules-and-peers).

import type { NetworkPolicy, NetworkPolicyPeer } from '../core/objects.js';
import type { ClusterModel } from '../model/cluster.js';
import { needsNamespaceLabels } from '../core/selectors.js';
import { admitsEverySource, describePeer, namespacesSelected, type PortAdmission } from '../model/network-policy.js';
import { describeServicePort } from '../model/ports.js';
import { servicePolicies, type BackendAdmission } from '../model/service-policies.js';
import { kubectl, listSome, namePolicies, podPorts, POLICY_NOTES, policyCaveats } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

/**
 * A peer in words, with the namespaces its namespaceSelector matches when that takes their labels
 * and the input holds them; undefined namespaces (not read) are the caller's note.
 */
function describeSource(peer: NetworkPolicyPeer, policyNamespace: string, model: ClusterModel): string {
  let described = describedSources.get(model);
  if (!described) describedSources.set(model, (described = new Map<NetworkPolicyPeer, string>()));
  let words = described.get(peer);
  if (words !== undefined) return words;
  words = describePeer(peer, policyNamespace);
  if (peer.namespaceSelector && needsNamespaceLabels(peer) && model.coverage.namespaces) {
    const matched = namespacesSelected(peer.namespaceSelector, model.namespaces);
    words = `${words} (${matched.length > 0 ? listSome(matched) : 'no namespace has these labels'})`;
  }
  described.set(peer, words);
  return words;
}

/** Per model, each peer in words: a peer belongs to one policy, whose backends are behind many Services. */
const describedSources = new WeakMap<ClusterModel, Map<NetworkPolicyPeer, string>>();

/** What the rules admitting a port on some backends say, in words: the same for every Service whose backends one admission covers. */
interface AdmittedSources {
  /** The peers, described, sorted, each once. */
  sources: string;
  /** The admitting policies (namePolicies), and their names, sorted, each once. */
  policies: string;
  policyNames: string[];
  /** A namespaceSelector needs the Namespaces' labels, and they were not read. */
  labelsUnknown: boolean;
}

/** Per model, what one admission admits from: the backends of a namespace's Services mostly share one. */
const sourcesOfAdmission = new WeakMap<ClusterModel, Map<PortAdmission, AdmittedSources>>();

function admittedSources(restricted: readonly BackendAdmission[], model: ClusterModel): AdmittedSources {
  const admissions = new Set<PortAdmission>();
  for (const b of restricted) admissions.add(b.admission);
  const only = admissions.size === 1 ? restricted[0].admission : undefined;
  let memo = sourcesOfAdmission.get(model);
  if (!memo) sourcesOfAdmission.set(model, (memo = new Map<PortAdmission, AdmittedSources>()));
  const known = only && memo.get(only);
  if (known) return known;
  // Each admitting policy and peer is taken once.
  const admitting = new Set<NetworkPolicy>();
  const sources = new Set<string>();
  let labelsUnknown = false;
  for (const admission of admissions) {
    if (admission.state !== 'isolated') continue;
    for (const rule of admission.rules) {
      admitting.add(rule.policy);
      for (const peer of rule.peers) {
        sources.add(describeSource(peer, rule.policy.meta.namespace, model));
        if (!model.coverage.namespaces && needsNamespaceLabels(peer)) labelsUnknown = true;
      }
    }
  }
  const found: AdmittedSources = {
    sources: listSome([...sources].sort(), 8),
    policies: namePolicies(admitting),
    policyNames: [...new Set([...admitting].map((p) => p.meta.name))].sort(),
    labelsUnknown,
  };
  if (only) memo.set(only, found);
  return found;
}

export const networkpolicyRestrictsSources: Check = {
  id: 'networkpolicy-restricts-sources',
  severity: 'info',
  title: 'NetworkPolicies admit a Service port only from some sources',
  explanation:
    'An isolated pod accepts a connection only when a rule admitting its port also lists the source among its peers ' +
    "(a rule without peers admits every source). A peer is pods of the policy's namespace (podSelector), every pod of " +
    'the namespaces a namespaceSelector matches, the pods matching both when one peer has both, or an address range ' +
    '(ipBlock). Clients that match none of the peers cannot connect, whatever the Service. Nothing is wrong with that ' +
    'by itself; this names the sources so that a client that fails can be checked against them.',
  fix:
    "If a client that should connect is not among the sources, add it to a rule's peers: its pods' labels to a " +
    'podSelector, its namespace to a namespaceSelector (kubernetes.io/metadata.name carries the name), or its ' +
    'addresses to an ipBlock.',
  messages: {
    restricted:
      '{{port}} is admitted on the pods ({{target}}) only from {{sources}}, by {{policies}}: connections from anywhere ' +
      'else are dropped',
  },
  notes: {
    someOpen:
      '; {{open}} of the {{backends}} ready backends admit every source, so other clients fail only on the rest',
    namespacesUnknown: '; Namespaces were not read, so which namespaces the namespaceSelectors match is not known',
    ...POLICY_NOTES,
  },
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['networkPolicies'],
  run(view, model) {
    const findings: FindingDraft[] = [];
    const { namespace } = view.service.meta;
    for (const { servicePort, backends } of servicePolicies(view, model).ports) {
      const restricted = backends.filter(
        (b) => b.admission.state === 'isolated' && b.admission.rules.length > 0 && !admitsEverySource(b.admission),
      );
      if (restricted.length === 0) continue;
      const { sources, policies, policyNames, labelsUnknown } = admittedSources(restricted, model);
      const open = backends.filter((b) => b.admission.state !== 'hostNetwork' && admitsEverySource(b.admission));
      const caveats = policyCaveats(model);
      const port = describeServicePort(servicePort);
      findings.push({
        reason: 'restricted',
        data: {
          port,
          target: podPorts(
            restricted.map((b) => b.port),
            servicePort.protocol,
          ),
          sources,
          policies,
          open: open.length,
          backends: backends.length,
          ...caveats.data,
        },
        notes: [
          ...(open.length > 0 ? ['someOpen'] : []),
          ...(labelsUnknown ? ['namespacesUnknown'] : []),
          ...caveats.notes,
        ],
        port,
        fix: kubectl('describe', 'networkpolicy', '-n', namespace, ...policyNames),
      });
    }
    return findings;
  },
};
