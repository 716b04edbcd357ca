// The node REJECTs connections to a Service port that has usable endpoints: kube-proxy
// programs REJECT only for a port without any (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection).

import {
  describeFrontend,
  findingPlace,
  podChangeTimes,
  podOf,
  recentChange,
  sliceChangeTimes,
} from '../model/node-comparison.js';
import { usableEndpoints } from '../model/kube-proxy-endpoints.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import { agree, lagClause, lagData, syncFix } from './helpers.js';

const REJECTS = 'node {{node}} rejects connections to {{frontends}} although {{usable}} {{endpointIs}} usable';

export const dataplaneRejects: DataplaneCheck = {
  id: 'dataplane-rejects',
  severity: 'error',
  title: 'The node rejects a Service that has endpoints',
  explanation:
    'kube-proxy answers connections to a Service port that has no usable endpoint anywhere with a REJECT ' +
    '(“connection refused”, or ICMP unreachable). When the EndpointSlices do list ready endpoints and the node still ' +
    'rejects, its rules are behind the API: clients on this node, or arriving through it, are refused while others ' +
    'are served.',
  fix:
    'Look for sync errors in the kube-proxy pod on the node (kubectl -n kube-system logs POD), and restart it if it ' +
    'is stuck. Probe again first if the endpoints became ready only seconds ago.',
  messages: {
    rejectsWithEndpoints: REJECTS,
    rejectsWithEndpointsYet: REJECTS + lagClause('the endpoints'),
  },
  severities: { rejectsWithEndpointsYet: 'info' },
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { expected, programmed } of probe.ports) {
      if (!expected.hasEndpoints) continue;
      const kinds = [
        ...new Set(programmed.flatMap((r) => r.verdicts.filter((v) => v.verdict === 'reject').map((v) => v.frontend))),
      ];
      if (kinds.length === 0) continue;
      const { service } = expected;
      const usable = usableEndpoints(expected);
      const frontends = kinds.map((k) => describeFrontend(expected, k)).join(', ');
      const age = recentChange(probe, [
        service.meta.creationTimestamp,
        ...sliceChangeTimes(expected.slices),
        ...usable.flatMap((e) => podChangeTimes(podOf(model, service.meta.namespace, e.ip, e.targetRef))),
      ]);
      drafts.push({
        ...findingPlace(expected),
        reason: age !== undefined ? 'rejectsWithEndpointsYet' : 'rejectsWithEndpoints',
        data: {
          node: probe.node,
          frontends,
          usable: usable.length,
          endpointIs: agree(usable.length, 'endpoint is', 'endpoints are'),
          ...(age !== undefined ? lagData(probe, age) : {}),
        },
        fix: syncFix(probe),
      });
    }
    return drafts;
  },
};
