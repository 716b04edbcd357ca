import { SLICE_CONTROLLER } from '../model/endpoint-meta.js';
import { hasLabel, labelValue } from '../core/selectors.js';
import { DEPRECATED_TOPOLOGY_ANNOTATION, TOPOLOGY_MODE_ANNOTATION } from '../model/services.js';
import { agree, getEvents, getSlices, listSome, plural } from './helpers.js';

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
import type { Check, FindingDraft, MessageData } from './types.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const OVERLOAD_THRESHOLD = 0.2;
const ZONELESS_EVENT = 'One or more endpoints do not have a zone specified';
const EFFECT =
  'so kube-proxy ignores hints and routes to all endpoints cluster-wide (no traffic is dropped, it just leaves the zone)';
const NO_EFFECT = 'trafficDistribution {{trafficDistribution}} has no effect: ';
const UNMANAGED = '; slices not managed by the EndpointSlice controller never get hints: {{unmanaged}}';

type Family = 'IPv4' | 'IPv6';

/** hintsEnabled (docs/kubernetes-semantics.md#topology-hints-and-trafficdistribution): the deprecated key, when present, decides; then topology-mode; only Auto/auto enable. */
function topologyAnnotation(service: Service): { key: string; value: string; enabled: boolean } | undefined {
  const annotations = service.meta.annotations;
  const key = hasLabel(annotations, DEPRECATED_TOPOLOGY_ANNOTATION)
    ? DEPRECATED_TOPOLOGY_ANNOTATION
    : hasLabel(annotations, TOPOLOGY_MODE_ANNOTATION)
      ? TOPOLOGY_MODE_ANNOTATION
      : undefined;
  if (!key) return undefined;
  const value = annotations[key];
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

/** Why the controller removed the hints, as a note of the check. */
interface TrippedSafeguard {
  note: string;
  data: MessageData;
  nodeRelated: boolean;
}

const INSUFFICIENT_NODES = 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes';

/** The controller's reasons, with its event text for each: the notes of the annotation path. */
const CAUSES = {
  noWorkerNode: `; likely cause: no Ready worker node to take zones and CPU from (controller event: "${INSUFFICIENT_NODES}")`,
  nodesLackZoneOrCpu:
    `; likely cause: {{lacking}} without a ${ZONE_LABEL} label or allocatable CPU ({{lackingNames}}) ` +
    `(controller event: "${INSUFFICIENT_NODES}")`,
  oneZone:
    '; likely cause: Ready worker nodes are in one zone only ({{zone}}) (controller event: "Insufficient Node ' +
    'information (or: Nodes only ready in one zone)")',
  tooFewEndpoints:
    '; likely cause: {{readyEndpoints}} for {{zones}} zones: every zone needs at least one (controller event: ' +
    '"Insufficient number of endpoints ({{n}} endpoints, {{zones}} zones)")',
  overloadedZone:
    '; likely cause: {{readyEndpoints}} cannot be shared over {{zones}} zones in proportion to their CPU without ' +
    `overloading one by more than ${OVERLOAD_THRESHOLD * 100}% (controller event: "Unable to allocate minimum ` +
    'required endpoints to each zone without exceeding overload threshold ({{n}} endpoints, {{zones}} zones)")',
  zonelessEndpoints: `; likely cause: {{zoneless}} without a zone (controller event: "${ZONELESS_EVENT}")`,
  zonelessEndpointsOnNodes: `; likely cause: {{zoneless}} without a zone (on {{zonelessNodes}}) (controller event: "${ZONELESS_EVENT}")`,
};

/** The first of the controller's safeguards (TopologyCache.SetNodes, getAllocations, AddHints) the input trips. */
function firstSafeguardTripped(model: ClusterModel, ready: ServiceEndpoint[]): TrippedSafeguard | undefined {
  // Only the controller's own slices are counted by it.
  const own = ready.filter((e) => e.slice.managedBy === SLICE_CONTROLLER);
  const n = own.length;
  if (model.coverage.nodes) {
    const nodes = countedNodes(model);
    const lacking = nodes.filter((node) => !labelValue(node.meta.labels, ZONE_LABEL) || !node.allocatableCpuMillis);
    if (nodes.length === 0) return { note: 'noWorkerNode', data: {}, nodeRelated: true };
    if (lacking.length > 0) {
      return {
        note: 'nodesLackZoneOrCpu',
        data: {
          lacking: plural(lacking.length, 'Ready node'),
          lackingNames: listSome(lacking.map((x) => x.meta.name)),
        },
        nodeRelated: true,
      };
    }
    const cpuByZone = new Map<string, number>();
    for (const node of nodes) {
      const zone = labelValue(node.meta.labels, ZONE_LABEL)!;
      cpuByZone.set(zone, (cpuByZone.get(zone) ?? 0) + node.allocatableCpuMillis!);
    }
    // SetNodes clears the ratios below two zones, so the event reads "Insufficient Node information".
    if (cpuByZone.size < 2) return { note: 'oneZone', data: { zone: [...cpuByZone.keys()][0] }, nodeRelated: true };
    const counts = { readyEndpoints: plural(n, 'ready endpoint'), zones: cpuByZone.size, n };
    if (cpuByZone.size > n) return { note: 'tooFewEndpoints', data: counts, nodeRelated: false };
    const total = [...cpuByZone.values()].reduce((a, b) => a + b, 0);
    let minimumTotal = 0;
    for (const cpu of cpuByZone.values()) minimumTotal += Math.ceil(((cpu / total) * n) / (1 + OVERLOAD_THRESHOLD));
    if (minimumTotal > n) return { note: 'overloadedZone', data: counts, nodeRelated: false };
  }
  const zoneless = own.filter((e) => !e.zone);
  if (zoneless.length > 0) {
    const nodesOf = [...new Set(zoneless.map((e) => e.nodeName).filter((x): x is string => !!x))].sort();
    return {
      note: nodesOf.length > 0 ? 'zonelessEndpointsOnNodes' : 'zonelessEndpoints',
      data: { zoneless: plural(zoneless.length, 'ready endpoint'), zonelessNodes: listSome(nodesOf) },
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
  messages: {
    annotationWithoutHints: `{{annotation}}: {{value}} but {{unhinted}}, ${EFFECT}`,
    trafficDistributionZoneless: `${NO_EFFECT}{{zoneless}} {{has}} no zone and get no hint, ${EFFECT}`,
    trafficDistributionZonelessNodes:
      `${NO_EFFECT}{{zoneless}} {{has}} no zone (nodes {{zonelessNodes}} lack the ${ZONE_LABEL} label) and get no ` +
      `hint, ${EFFECT}`,
    trafficDistributionUnmanagedSlices: `${NO_EFFECT}{{unhinted}}, ${EFFECT}${UNMANAGED}`,
    trafficDistributionNotApplied:
      `trafficDistribution {{trafficDistribution}} is set but {{unhinted}} although they have zones, ${EFFECT}; the ` +
      'controller sets them from v1.31 for PreferClose, and for PreferSameZone/PreferSameNode only with the ' +
      'PreferSameTrafficDistribution gate (on by default from v1.34)',
  },
  // On the annotation path: what else is set, and why the controller removed the hints.
  notes: {
    trafficDistributionIgnored:
      ' (spec.trafficDistribution {{trafficDistribution}} is ignored while the annotation enables hints)',
    unmanagedSlices: UNMANAGED,
    ...CAUSES,
    causeNotShown:
      "; the input shows none of the controller's reasons, its TopologyAwareHintsDisabled event names the one it saw",
    nodesNotRead: '; Nodes are not in the input, so the reason (zones, CPU, endpoint count) cannot be told',
  },
  // Headless Services are not proxied (docs/kubernetes-semantics.md#headless-services); selectorless ones get no controller hints (docs/kubernetes-semantics.md#which-services-get-controller-slices).
  // The EndpointSlice controller says on the Service why it removed the hints.
  explainsEvents: ['TopologyAwareHintsDisabled'],
  appliesToServices: { backends: ['selector'], addresses: ['proxied', 'unproxied'] },
  run(view, model) {
    const { service } = view;
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
    const gap = gaps[0];
    const familyNote = service.ipFamilies.length === 2 && gaps.length === 1 ? ` ${gap.family}` : '';
    const data: Record<string, string | number> = {
      unhinted:
        gap.unhinted.length === gap.ready.length
          ? `the ${plural(gap.ready.length, `ready${familyNote} endpoint`)} carry no zone hints`
          : `${gap.unhinted.length} of ${plural(gap.ready.length, `ready${familyNote} endpoint`)} carry no zone hint`,
    };
    if (service.trafficDistribution) data.trafficDistribution = service.trafficDistribution;
    const foreign = [
      ...new Set(gap.unhinted.filter((e) => e.slice.managedBy !== SLICE_CONTROLLER).map((e) => e.slice.meta.name)),
    ];
    if (foreign.length > 0) data.unmanaged = listSome(foreign);

    if (annotationPath) {
      Object.assign(data, { annotation: annotation.key, value: annotation.value });
      const draft: FindingDraft = { reason: 'annotationWithoutHints', data };
      const notes = service.trafficDistribution ? ['trafficDistributionIgnored'] : [];
      if (foreign.length > 0) {
        notes.push('unmanagedSlices');
        draft.fix = getSlices(service, '--show-labels');
      } else {
        const found = firstSafeguardTripped(model, gap.ready);
        if (found) {
          notes.push(found.note);
          Object.assign(data, found.data);
          draft.fix = found.nodeRelated ? ZONES_COMMAND : eventsCommand(service);
        } else {
          notes.push(model.coverage.nodes ? 'causeNotShown' : 'nodesNotRead');
          draft.fix = eventsCommand(service);
        }
      }
      draft.notes = notes;
      return [draft];
    }

    // trafficDistribution only: report just what is provably wrong.
    const zoneless = gap.unhinted.filter((e) => !e.zone && e.slice.managedBy === SLICE_CONTROLLER);
    if (zoneless.length > 0) {
      const nodesOf = [...new Set(zoneless.map((e) => e.nodeName).filter((x): x is string => !!x))].sort();
      Object.assign(data, {
        zoneless: plural(zoneless.length, 'ready endpoint'),
        has: agree(zoneless.length, 'has', 'have'),
        zonelessNodes: listSome(nodesOf),
      });
      return [
        {
          reason: nodesOf.length > 0 ? 'trafficDistributionZonelessNodes' : 'trafficDistributionZoneless',
          data,
          fix: `${ZONES_COMMAND}, then label the nodes: kubectl label node NODE ${ZONE_LABEL}=ZONE`,
        },
      ];
    }
    if (foreign.length > 0) {
      return [{ reason: 'trafficDistributionUnmanagedSlices', data, fix: getSlices(service, '--show-labels') }];
    }
    // Zoned, controller-managed, ready, and still unhinted: this controller does not act on the value.
    return [{ reason: 'trafficDistributionNotApplied', data, fix: 'kubectl version' }];
  },
};
