// internalTrafficPolicy / externalTrafficPolicy Local: nodes that receive traffic for the
// Service but hold no usable local endpoint DROP it (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection). Local
// endpoints follow kube-proxy's CategorizeEndpoints: ready endpoints on the node, or, when the
// node has none, its serving and terminating ones. A Service with no usable endpoint anywhere
// is REJECTed instead; that outage belongs to another check. Which endpoints kube-proxy takes for
// a port is the model's (model/kube-proxy-endpoints.ts), shared with the probe's checks.

import { endpointsForPort, nodesWithLocalEndpoints } from '../model/kube-proxy-endpoints.js';
import { externallyAccessible, serviceFamilies } from '../model/services.js';
import { hasLabel } from '../core/selectors.js';
import { oncePer } from '../core/once-per.js';
import type { ServiceView } from '../model/service-view.js';
import type { ClusterModel } from '../model/cluster.js';
import { describeServicePort } from '../model/ports.js';
import type { Node, Service, ServicePort } from '../core/objects.js';
import { listSome, MAX_PODS, patchService } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

const MAX_NODES = 8;
const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

type Policy = 'internal' | 'external';

/**
 * Nodes among `candidates` on which kube-proxy has no local endpoint for the port while the
 * Service has ready endpoints elsewhere; per address family, as each family has its own proxier.
 */
function gapNodes(view: ServiceView, port: ServicePort, candidates: Node[]): Set<string> {
  const gaps = new Set<string>();
  for (const family of serviceFamilies(view.service)) {
    const all = endpointsForPort(view.slices, port, family);
    // No ready endpoint anywhere: REJECT for everyone (or the all-terminating fallback), not a local gap.
    if (!all.some((e) => e.ready)) continue;
    const withLocal = nodesWithLocalEndpoints(all);
    for (const node of candidates) if (!withLocal.has(node.meta.name)) gaps.add(node.meta.name);
  }
  return gaps;
}

// The node lists are computed per model on the first Service that asks: the same for every
// Service, and O(Nodes) each.

/** Ready nodes that host at least one running pod: the possible in-cluster clients. */
const clientNodes = oncePer((model: ClusterModel): Node[] =>
  model.readyNodes().filter((n) => model.runsPods(n.meta.name)),
);

/** Ready nodes a load balancer sends to: those not excluded by the label. */
const loadBalancerNodes = oncePer((model: ClusterModel): Node[] =>
  model.readyNodes().filter((n) => !hasLabel(n.meta.labels, EXCLUDE_FROM_LB_LABEL)),
);

/** Ready nodes that external traffic can reach: every node opens the NodePort; LBs skip excluded nodes. */
function externalNodes(model: ClusterModel, service: Service): Node[] {
  return service.type === 'LoadBalancer' ? loadBalancerNodes(model) : model.readyNodes();
}

function patch(service: Service, field: string): string {
  return patchService(service, { spec: { [field]: 'Cluster' } });
}

function draftFor(
  view: ServiceView,
  policy: Policy,
  gaps: string[],
  candidates: number,
  port?: ServicePort,
): FindingDraft {
  const { service } = view;
  const lb = service.type === 'LoadBalancer';
  const data: Record<string, string | number> = {
    count: `${gaps.length} of ${candidates} ${policy === 'internal' ? 'ready nodes running pods' : 'ready nodes'}`,
    nodes: listSome(gaps, MAX_NODES),
  };
  let reason: string;
  let fix: string;
  if (policy === 'internal') {
    reason = 'internalGaps';
    fix = `run a ready backend on every node with clients (e.g. a DaemonSet), or let traffic cross nodes: ${patch(service, 'internalTrafficPolicy')}`;
  } else {
    // With a load balancer, the gaps are by design: its health check routes around them.
    reason = lb ? 'externalGapsBehindLoadBalancer' : 'externalGaps';
    data.entries = [
      ...(service.type === 'ClusterIP' ? [] : ['NodePort']),
      ...(service.externalIPs.length > 0 ? ['externalIPs'] : []),
    ].join(' or ');
    fix =
      'spread ready backends over the nodes that receive traffic (more replicas, topology spread), or accept an extra hop ' +
      `and lose the client source IP: ${patch(service, 'externalTrafficPolicy')}`;
  }
  const notes = view.sliceEndpoints.some((e) => e.nodeName) ? [] : ['noNodeNames'];
  const onGaps = new Set(gaps);
  const pods: FindingPod[] = view.matched
    .filter((m) => m.pod.nodeName && onGaps.has(m.pod.nodeName) && m.state.cause)
    .slice(0, MAX_PODS)
    .map((m) => ({ name: m.pod.meta.name, cause: `on ${m.pod.nodeName}: ${m.state.cause}` }));
  const draft: FindingDraft = { reason, data, notes, fix };
  if (port) draft.port = describeServicePort(port);
  if (pods.length > 0) draft.pods = pods;
  return draft;
}

/** The Local traffic policies kube-proxy applies to a Service it programs (the check's scope). */
function localPolicies(service: Service): Policy[] {
  const policies: Policy[] = [];
  if (service.internalTrafficPolicy === 'Local') policies.push('internal');
  if (service.externalTrafficPolicy === 'Local' && externallyAccessible(service)) policies.push('external');
  return policies;
}

const EXTERNAL =
  'externalTrafficPolicy Local: {{count}} have no ready local endpoint ({{nodes}}): external traffic reaching them ' +
  'through the {{entries}} is dropped';

export const trafficPolicyLocalGaps: Check = {
  id: 'traffic-policy-local-gaps',
  severity: 'warning',
  title: 'Traffic policy Local drops traffic on nodes without a local endpoint',
  explanation:
    "With internalTrafficPolicy: Local, kube-proxy sends ClusterIP traffic only to endpoints on the client's own node; " +
    'with externalTrafficPolicy: Local (NodePort, LoadBalancer, externalIPs), external traffic only to endpoints on the ' +
    'node it arrives at. A node without a ready local endpoint (or, failing that, a serving terminating one) drops the ' +
    'traffic: clients time out instead of being refused.',
  fix:
    'Run a ready backend on every node that receives traffic (a DaemonSet for node-local services), or set the policy ' +
    'back to Cluster. For load balancers, make sure the health check on healthCheckNodePort is honoured.',
  messages: {
    internalGaps:
      'internalTrafficPolicy Local: {{count}} have no ready local endpoint ({{nodes}}): kube-proxy drops connections ' +
      'to the ClusterIP from pods there, clients see timeouts',
    externalGaps: EXTERNAL,
    externalGapsBehindLoadBalancer: `${EXTERNAL}; the load balancer's health check on healthCheckNodePort should keep them out of rotation`,
  },
  notes: {
    noNodeNames: '; no endpoint of the Service names a node (nodeName unset), so no node ever has a local one',
  },
  severities: { externalGapsBehindLoadBalancer: 'info' },
  // A Service kube-proxy does not program has no traffic policy applied: ignored-by-kube-proxy says so.
  appliesToServices: { backends: ['selector', 'selectorless'], addresses: ['proxied'] },
  requires: ['nodes'],
  appliesTo: (view) => localPolicies(view.service).length > 0,
  run(view, model) {
    const { service } = view;
    const policies = localPolicies(service).map((policy): [Policy, Node[]] => [
      policy,
      policy === 'internal' ? clientNodes(model) : externalNodes(model, service),
    ]);

    const drafts: FindingDraft[] = [];
    for (const [policy, candidates] of policies) {
      if (candidates.length === 0) continue;
      const perPort = service.ports.map((port) => ({
        port,
        gaps: [...gapNodes(view, port, candidates)].sort(),
      }));
      const withGaps = perPort.filter((p) => p.gaps.length > 0);
      if (withGaps.length === 0) continue;
      const sameGaps = (gaps: string[]) =>
        gaps.length === withGaps[0].gaps.length && gaps.every((name, i) => name === withGaps[0].gaps[i]);
      const uniform = withGaps.length === perPort.length && withGaps.every((p) => sameGaps(p.gaps));
      if (uniform) {
        drafts.push(
          draftFor(
            view,
            policy,
            withGaps[0].gaps,
            candidates.length,
            perPort.length === 1 ? perPort[0].port : undefined,
          ),
        );
      } else {
        for (const p of withGaps) drafts.push(draftFor(view, policy, p.gaps, candidates.length, p.port));
      }
    }
    return drafts;
  },
};
