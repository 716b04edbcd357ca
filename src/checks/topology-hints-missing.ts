import { SLICE_CONTROLLER } from '../model/endpoint-meta.js';
import { hasLabel, labelValue } from '../core/selectors.js';
import { getEvents, getSlices, listSome, plural } from './helpers.js';

// Topology aware routing asked for, but the ready endpoints carry no zone hints, so kube-proxy
// spreads traffic cluster-wide (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution, docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection). Hints never blackhole
// traffic: kube-proxy uses them only when every ready endpoint has one, so this is about lost
// zone affinity (cross-zone cost and latency), never about reachability.
//
// The annotation path (topology-mode / topology-aware-hints: Auto) has safeguards that remove
// all hints; the reason the controller gives is re-derived from the input where it can be. The
// trafficDistribution path has no safeguards: it hints every ready endpoint that has a zone, so
// it is reported only for what the input proves: ready endpoints without a zone (which make
// kube-proxy ignore every hint), or zoned endpoints the controller did not hint at all.

import type { ClusterModel } from '../model/cluster.js';
import type { ServiceEndpoint } from '../model/service-view.js';
import type { Node, Service } from '../core/objects.js';
import type { Check, FindingDraft } from './types.js';

export const DEPRECATED_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';
export const MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const OVERLOAD_THRESHOLD = 0.2;

type Family = 'IPv4' | 'IPv6';

/** hintsEnabled (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution): the deprecated key, when present, decides; then topology-mode; only Auto/auto enable. */
export function topologyAnnotation(service: Service): { key: string; value: string; enabled: boolean } | undefined {
  const annotations = service.meta.annotations;
  const key = hasLabel(annotations, DEPRECATED_ANNOTATION)
    ? DEPRECATED_ANNOTATION
    : hasLabel(annotations, MODE_ANNOTATION)
      ? MODE_ANNOTATION
      : undefined;
  if (!key) return undefined;
  const value = annotations[key]!;
  return { key, value, enabled: value === 'Auto' || value === 'auto' };
}

/** Nodes the topology cache counts (SetNodes): Ready and not labelled control-plane or master. */
function countedNodes(model: ClusterModel): Node[] {
  return model.nodes.filter(
    (n) =>
      n.ready === 'True' &&
      !hasLabel(n.meta.labels, 'node-role.kubernetes.io/control-plane') &&
      !hasLabel(n.meta.labels, 'node-role.kubernetes.io/master'),
  );
}

interface Diagnosis {
  reason: string;
  /** The controller's event text for it. */
  event: string;
  nodeRelated: boolean;
}

/** The first of the controller's safeguards (TopologyCache.SetNodes, getAllocations, AddHints) the input trips. */
function diagnose(model: ClusterModel, ready: ServiceEndpoint[]): Diagnosis | undefined {
  // Only the controller's own slices are counted by it.
  const own = ready.filter((e) => e.slice.managedBy === SLICE_CONTROLLER);
  const n = own.length;
  if (model.coverage.nodes) {
    const nodes = countedNodes(model);
    const lacking = nodes.filter((node) => !labelValue(node.meta.labels, ZONE_LABEL) || !node.allocatableCpuMillis);
    if (nodes.length === 0 || lacking.length > 0) {
      const what =
        nodes.length === 0
          ? 'no Ready worker node to take zones and CPU from'
          : `${plural(lacking.length, 'Ready node')} without a ${ZONE_LABEL} label or allocatable CPU (${listSome(lacking.map((x) => x.meta.name))})`;
      return {
        reason: what,
        event: 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes',
        nodeRelated: true,
      };
    }
    const cpuByZone = new Map<string, number>();
    for (const node of nodes) {
      const zone = labelValue(node.meta.labels, ZONE_LABEL)!;
      cpuByZone.set(zone, (cpuByZone.get(zone) ?? 0) + node.allocatableCpuMillis!);
    }
    if (cpuByZone.size < 2) {
      // SetNodes clears the ratios below two zones, so the event reads "Insufficient Node information".
      return {
        reason: `Ready worker nodes are in one zone only (${[...cpuByZone.keys()][0]})`,
        event: 'Insufficient Node information (or: Nodes only ready in one zone)',
        nodeRelated: true,
      };
    }
    if (cpuByZone.size > n) {
      return {
        reason: `${plural(n, 'ready endpoint')} for ${cpuByZone.size} zones: every zone needs at least one`,
        event: `Insufficient number of endpoints (${n} endpoints, ${cpuByZone.size} zones)`,
        nodeRelated: false,
      };
    }
    const total = [...cpuByZone.values()].reduce((a, b) => a + b, 0);
    let minimumTotal = 0;
    for (const cpu of cpuByZone.values()) minimumTotal += Math.ceil(((cpu / total) * n) / (1 + OVERLOAD_THRESHOLD));
    if (minimumTotal > n) {
      return {
        reason:
          `${plural(n, 'ready endpoint')} cannot be shared over ${cpuByZone.size} zones in proportion to their CPU ` +
          `without overloading one by more than ${OVERLOAD_THRESHOLD * 100}%`,
        event: `Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (${n} endpoints, ${cpuByZone.size} zones)`,
        nodeRelated: false,
      };
    }
  }
  const zoneless = own.filter((e) => !e.zone);
  if (zoneless.length > 0) {
    const nodesOf = [...new Set(zoneless.map((e) => e.nodeName).filter((x): x is string => !!x))].sort();
    return {
      reason: `${plural(zoneless.length, 'ready endpoint')} without a zone${nodesOf.length > 0 ? ` (on ${listSome(nodesOf)})` : ''}`,
      event: 'One or more endpoints do not have a zone specified',
      nodeRelated: true,
    };
  }
  return undefined;
}

function eventsCommand(service: Service): string {
  return getEvents(service.meta.namespace, service.meta.name, 'Service', ',reason=TopologyAwareHintsDisabled');
}

const ZONES_COMMAND = `kubectl get nodes -L ${ZONE_LABEL}`;

export const topologyHintsMissing: Check = {
  id: 'topology-hints-missing',
  severity: 'info',
  title: 'Topology aware routing is requested but the endpoints carry no zone hints',
  explanation:
    'With service.kubernetes.io/topology-mode: Auto (or the older topology-aware-hints annotation, which takes ' +
    'precedence) the EndpointSlice controller hints endpoints to zones in proportion to allocatable CPU, and removes ' +
    'every hint when its safeguards trip: a Ready worker node without zone or CPU, nodes in one zone only, fewer ready ' +
    'endpoints than zones, an allocation that would overload a zone by more than 20%, or an endpoint without zone. ' +
    'kube-proxy uses hints only when every ready endpoint has one, and otherwise routes cluster-wide: traffic still ' +
    'flows, it just does not stay in the zone. spec.trafficDistribution hints every ready endpoint that has a zone.',
  fix:
    'Label every worker node with topology.kubernetes.io/zone, run at least as many ready endpoints as zones and spread ' +
    "them in proportion to each zone's CPU (topology spread constraints), or use spec.trafficDistribution: PreferClose, " +
    "which has no safeguards. The Service events (reason TopologyAwareHintsDisabled) name the controller's reason.",
  run(view, model) {
    const { service } = view;
    // Headless Services are not proxied (docs/kubernetes-semantics.md#headless-services); selectorless ones get no controller hints (docs/kubernetes-semantics.md#which-services-get-controller-slices).
    if (service.type === 'ExternalName' || service.clusterIP === 'None' || view.selectorless) return [];
    const annotation = topologyAnnotation(service);
    const annotationPath = annotation?.enabled === true;
    if (!annotationPath && !service.trafficDistribution) return [];

    const families = (['IPv4', 'IPv6'] as Family[]).map((family) => ({
      family,
      ready: view.sliceEndpoints.filter((e) => e.addressType === family && e.ready),
    }));
    const withReady = families.filter((f) => f.ready.length > 0);
    // No ready endpoint: nothing to hint; an outage reported by another check.
    if (withReady.length === 0) return [];
    const gaps = withReady
      .map((f) => ({ ...f, unhinted: f.ready.filter((e) => e.hintZones.length === 0) }))
      .filter((f) => f.unhinted.length > 0);
    if (gaps.length === 0) return [];
    const gap = gaps[0]!;
    const familyNote = service.ipFamilies.length === 2 && gaps.length === 1 ? ` ${gap.family}` : '';
    const noneOrSome =
      gap.unhinted.length === gap.ready.length
        ? `the ${plural(gap.ready.length, `ready${familyNote} endpoint`)} carry no zone hints`
        : `${gap.unhinted.length} of ${plural(gap.ready.length, `ready${familyNote} endpoint`)} carry no zone hint`;
    const effect =
      'so kube-proxy ignores hints and routes to all endpoints cluster-wide (no traffic is dropped, it just leaves the zone)';
    const foreign = [
      ...new Set(gap.unhinted.filter((e) => e.slice.managedBy !== SLICE_CONTROLLER).map((e) => e.slice.meta.name)),
    ];

    if (annotationPath) {
      const ignoredTd = service.trafficDistribution
        ? ` (spec.trafficDistribution ${service.trafficDistribution} is ignored while the annotation enables hints)`
        : '';
      let message = `${annotation!.key}: ${annotation!.value} but ${noneOrSome}, ${effect}${ignoredTd}`;
      const draft: FindingDraft = { message };
      if (foreign.length > 0) {
        message += `; slices not managed by the EndpointSlice controller never get hints: ${listSome(foreign)}`;
        draft.fix = getSlices(service, '--show-labels');
      } else {
        const found = diagnose(model, gap.ready);
        if (found) {
          message += `; likely cause: ${found.reason} (controller event: "${found.event}")`;
          draft.fix = found.nodeRelated ? ZONES_COMMAND : eventsCommand(service);
        } else {
          message += model.coverage.nodes
            ? "; the input shows none of the controller's reasons, its TopologyAwareHintsDisabled event names the one it saw"
            : '; Nodes are not in the input, so the reason (zones, CPU, endpoint count) cannot be told';
          draft.fix = eventsCommand(service);
        }
      }
      draft.message = message;
      return [draft];
    }

    // trafficDistribution only: report just what is provably wrong.
    const td = service.trafficDistribution!;
    const zoneless = gap.unhinted.filter((e) => !e.zone && e.slice.managedBy === SLICE_CONTROLLER);
    if (zoneless.length > 0) {
      const nodesOf = [...new Set(zoneless.map((e) => e.nodeName).filter((x): x is string => !!x))].sort();
      return [
        {
          message:
            `trafficDistribution ${td} has no effect: ${plural(zoneless.length, 'ready endpoint')} ` +
            `${zoneless.length === 1 ? 'has' : 'have'} no zone${nodesOf.length > 0 ? ` (nodes ${listSome(nodesOf)} lack the ${ZONE_LABEL} label)` : ''} ` +
            `and get no hint, ${effect}`,
          fix: `${ZONES_COMMAND}, then label the nodes: kubectl label node NODE ${ZONE_LABEL}=ZONE`,
        },
      ];
    }
    if (foreign.length > 0) {
      return [
        {
          message: `trafficDistribution ${td} has no effect: ${noneOrSome}, ${effect}; slices not managed by the EndpointSlice controller never get hints: ${listSome(foreign)}`,
          fix: getSlices(service, '--show-labels'),
        },
      ];
    }
    // Zoned, controller-managed, ready, and still unhinted: this controller does not act on the value.
    return [
      {
        message:
          `trafficDistribution ${td} is set but ${noneOrSome} although they have zones, ${effect}; the controller sets ` +
          'them from v1.31 for PreferClose, and for PreferSameZone/PreferSameNode only with the PreferSameTrafficDistribution gate (on by default from v1.34)',
        fix: 'kubectl version',
      },
    ];
  },
};
