// A Service port that NetworkPolicies admit only from some sources: named, so that "it works from
// A and not from B" has its explanation (docs/kubernetes-semantics.md#rules-and-peers).

import type { NetworkPolicy, NetworkPolicyPeer, ServicePort } from '../core/objects.js';
import type { ClusterModel } from '../model/cluster.js';
import { needsNamespaceLabels } from '../core/selectors.js';
import { oncePer } from '../core/once-per.js';
import { admitsEverySource, describePeer, namespacesSelected, type PortAdmission } from '../model/network-policy.js';
import { describeServicePort } from '../model/ports.js';
import { describeReferrer, GATEWAY_ROUTE_KINDS, referencedPort } from '../model/references.js';
import { referrerPods } from '../model/referrer-pods.js';
import { servicePolicies, type BackendAdmission } from '../model/service-policies.js';
import type { ServiceView } from '../model/service-view.js';
import { kubectl, listSome, namePolicies, podPorts, POLICY_NOTES, policyCaveats } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

/**
 * A peer in words, with the namespaces its namespaceSelector matches when that takes their labels
 * and the input holds them; undefined namespaces (not read) are the caller's note.
 */
function describeSource(peer: NetworkPolicyPeer, policyNamespace: string, model: ClusterModel): string {
  const described = describedSources(model);
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
const describedSources = oncePer((_: ClusterModel) => new Map<NetworkPolicyPeer, string>());

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
const sourcesOfAdmission = oncePer((_: ClusterModel) => new Map<PortAdmission, AdmittedSources>());

function admittedSources(restricted: readonly BackendAdmission[], model: ClusterModel): AdmittedSources {
  const admissions = new Set<PortAdmission>();
  for (const b of restricted) admissions.add(b.admission);
  const only = admissions.size === 1 ? restricted[0].admission : undefined;
  const memo = sourcesOfAdmission(model);
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

/** The referrers whose requests come from pods networkpolicy-blocks-referrer judges. */
const SENDING_KINDS: readonly string[] = ['Ingress', ...GATEWAY_ROUTE_KINDS];

/**
 * The Ingresses and routes sending to the port whose senders networkpolicy-blocks-referrer cannot
 * judge against these sources: their pods are not known from the cluster, or some share their
 * node's network (model/referrer-pods.ts). Named, so that the port's restriction is not read as
 * having cleared them. Each referrer once, in the model's order.
 */
function unjudgedReferrers(
  view: ServiceView,
  servicePort: ServicePort,
  model: ClusterModel,
): { unknown: string[]; hostNetwork: string[] } {
  const unknown = new Set<string>();
  const hostNetwork = new Set<string>();
  const { namespace, name } = view.service.meta;
  for (const reference of model.referencesTo(namespace, name)) {
    if (reference.nameOnly || !SENDING_KINDS.includes(reference.referrer.kind)) continue;
    if (referencedPort(reference, view.service.ports) !== servicePort) continue;
    const senders = referrerPods(reference, model);
    if (!senders) unknown.add(describeReferrer(reference.referrer));
    else if (senders.pods.some((p) => p.hostNetwork)) hostNetwork.add(describeReferrer(reference.referrer));
  }
  return { unknown: [...unknown], hostNetwork: [...hostNetwork] };
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
    'by itself; this names the sources so that a client that fails can be checked against them. An Ingress or a ' +
    'route sending to the port is judged against them by networkpolicy-blocks-referrer when the cluster shows the ' +
    'pods that carry its requests; when it does not (no Service answers on the address the controller or Gateway ' +
    "published), or those pods share their node's network, the finding names the Ingress or route as not judged.",
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
    referrersUnknown:
      '; the pods that carry the requests of {{unknownReferrers}} are not known: no Service of the input answers ' +
      "on the address published for them (a run of one namespace does not read another's), so whether they are " +
      'among these sources is not judged',
    referrersOnHostNetwork:
      "; the pods that carry the requests of {{hostNetworkReferrers}} share their node's network, which policies " +
      'may not see as those pods, so whether they are among these sources is not judged',
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
      const referrers = unjudgedReferrers(view, servicePort, model);
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
          unknownReferrers: listSome(referrers.unknown),
          hostNetworkReferrers: listSome(referrers.hostNetwork),
          ...caveats.data,
        },
        notes: [
          ...(open.length > 0 ? ['someOpen'] : []),
          ...(labelsUnknown ? ['namespacesUnknown'] : []),
          ...(referrers.unknown.length > 0 ? ['referrersUnknown'] : []),
          ...(referrers.hostNetwork.length > 0 ? ['referrersOnHostNetwork'] : []),
          ...caveats.notes,
        ],
        port,
        fix: kubectl('describe', 'networkpolicy', '-n', namespace, ...policyNames),
      });
    }
    return findings;
  },
};
