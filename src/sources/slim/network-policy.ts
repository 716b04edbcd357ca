// NetworkPolicies (networking.k8s.io/v1) and Namespaces: a policy's pod selector, policy types,
// and its rules' peers and ports, with the API server's defaults applied; a Namespace's labels,
// which namespaceSelectors match. Written back for the snapshot.

import { NAMESPACE_NAME_LABEL } from '../../core/selectors.js';
import type {
  Namespace,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
} from '../../core/objects.js';
import {
  checked,
  FieldError,
  fields,
  int,
  labelSelector,
  list,
  nonEmpty,
  oneOf,
  protocol,
  rawLabelSelector,
  setOwnKey,
  slimMeta,
  str,
  strings,
  typeName,
  type Raw,
} from './fields.js';

/** The policyTypes the API server's validation accepts; any other is bad input. */
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

/** An ipBlock: its cidr is required (the API server rejects a block without one). */
function ipBlockOf(value: unknown): NetworkPolicyPeer['ipBlock'] {
  if (value === undefined || value === null) return undefined;
  const block = fields(value, 'ipBlock');
  const cidr = str(block.cidr, 'ipBlock.cidr');
  if (cidr === undefined) throw new FieldError('ipBlock.cidr', 'a CIDR', 'nothing');
  return { cidr, except: strings(block.except, 'ipBlock.except') };
}

function slimPeer(raw: Raw): NetworkPolicyPeer {
  const podSelector = labelSelector(raw.podSelector, 'podSelector');
  const namespaceSelector = labelSelector(raw.namespaceSelector, 'namespaceSelector');
  const ipBlock = ipBlockOf(raw.ipBlock);
  // What the API server's validation refuses (ValidateNetworkPolicyPeer,
  // pkg/apis/networking/validation/validation.go): no evaluation could give these a meaning.
  if (!podSelector && !namespaceSelector && !ipBlock)
    throw new FieldError('', 'a podSelector, namespaceSelector or ipBlock', 'none');
  if (ipBlock && (podSelector || namespaceSelector))
    throw new FieldError('', 'an ipBlock alone or selectors alone', 'both');
  return {
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(ipBlock ? { ipBlock } : {}),
  };
}

/** An IntOrString port: a number, a name, or absent (every port of the protocol). */
function portOf(value: unknown, field: string): number | string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || value === undefined || value === null) return int(value, field);
  throw new FieldError(field, 'a number or a string', typeName(value));
}

function slimPort(raw: Raw): NetworkPolicyPort {
  const port = portOf(raw.port, 'port');
  const endPort = int(raw.endPort, 'endPort');
  return {
    // TCP when absent (SetDefaults_NetworkPolicyPort, pkg/apis/networking/v1/defaults.go).
    protocol: protocol(raw.protocol, 'protocol'),
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
  };
}

/** An ingress rule's `from` or an egress rule's `to`, with its ports. */
function ruleOf(peersField: 'from' | 'to'): (raw: Raw) => NetworkPolicyRule {
  return (raw) => ({
    peers: list(raw[peersField], peersField, slimPeer),
    ports: list(raw.ports, 'ports', slimPort),
  });
}

/** spec.policyTypes as written: each Ingress or Egress, as the API server validates them. */
function policyTypesOf(value: unknown): NetworkPolicy['policyTypes'] {
  const types = strings(value, 'spec.policyTypes');
  return types.map((t, i) => oneOf(t, `spec.policyTypes[${i}]`, POLICY_TYPES)!);
}

export const slimNetworkPolicy = checked(function slimNetworkPolicy(raw: Raw): NetworkPolicy {
  const spec = fields(raw.spec, 'spec');
  const egress = list(spec.egress, 'spec.egress', ruleOf('to'));
  const written = policyTypesOf(spec.policyTypes);
  return {
    kind: 'NetworkPolicy',
    // Annotations are left out: no check reads them, and tools keep whole manifests in them.
    meta: slimMeta(raw, true, false),
    // Required by the API; absent reads as `{}` (every pod), as Go decodes a missing struct.
    podSelector: labelSelector(spec.podSelector, 'spec.podSelector') ?? { matchLabels: {}, matchExpressions: [] },
    // Absent or empty: Ingress, plus Egress when there are egress rules (SetDefaults_NetworkPolicy,
    // pkg/apis/networking/v1/defaults.go).
    policyTypes: written.length > 0 ? written : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: list(spec.ingress, 'spec.ingress', ruleOf('from')),
    egress,
  };
});

function rawPeer(peer: NetworkPolicyPeer): Raw {
  return {
    podSelector: peer.podSelector && rawLabelSelector(peer.podSelector),
    namespaceSelector: peer.namespaceSelector && rawLabelSelector(peer.namespaceSelector),
    ipBlock: peer.ipBlock && { cidr: peer.ipBlock.cidr, except: nonEmpty(peer.ipBlock.except) },
  };
}

function rawRule(peersField: 'from' | 'to'): (rule: NetworkPolicyRule) => Raw {
  return (rule) => ({
    [peersField]: nonEmpty(rule.peers.map(rawPeer)),
    ports: nonEmpty(rule.ports.map((p) => ({ protocol: p.protocol, port: p.port, endPort: p.endPort }))),
  });
}

export function rawNetworkPolicy(policy: NetworkPolicy): Raw {
  return {
    spec: {
      // Written as `{}` when it selects every pod: the API requires the field.
      podSelector: rawLabelSelector(policy.podSelector),
      // Written out, defaults included, as the API server returns them.
      policyTypes: policy.policyTypes,
      ingress: nonEmpty(policy.ingress.map(rawRule('from'))),
      egress: nonEmpty(policy.egress.map(rawRule('to'))),
    },
  };
}

export const slimNamespace = checked(function slimNamespace(raw: Raw): Namespace {
  const meta = slimMeta(raw, false, false);
  // Set to the name whatever the input says, as the API server does on every write: a snapshot
  // written by hand, or before Kubernetes 1.21, may lack it.
  setOwnKey(meta.labels, NAMESPACE_NAME_LABEL, meta.name);
  return { kind: 'Namespace', meta };
});

export function rawNamespace(): Raw {
  // Its labels are in its metadata; nothing of spec or status is kept.
  return {};
}
