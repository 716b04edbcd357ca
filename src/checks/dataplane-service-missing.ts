// A Service port with usable endpoints that the node has no rules for: connections from that
// node (and through its node ports) go nowhere (docs/kube-proxy-dataplane.md: iptables, nftables and IPVS modes).

import { describeFrontend, findingPlace, recentChange, sliceChangeTimes } from '../model/node-comparison.js';
import { usableEndpoints } from '../model/kube-proxy-endpoints.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import { agree, lagClause, lagData, syncFix } from './helpers.js';

const NO_RULES =
  'node {{node}} has no rules for {{frontend}} although {{usable}} {{endpointIs}} usable: connections from this node ' +
  'to the Service are not load-balanced';

export const dataplaneServiceMissing: DataplaneCheck = {
  id: 'dataplane-service-missing',
  severity: 'error',
  title: 'The node has no rules for a Service port that has endpoints',
  explanation:
    'kube-proxy programs every Service port on every node: a chain or map entry per cluster IP, external IP, ' +
    'load-balancer IP and node port, leading to the endpoints. When the node holds none for a Service port that has ' +
    'ready endpoints, connections from pods on that node (and to its node ports) are not load-balanced at all: they ' +
    'time out or reach whatever the address routes to. kube-proxy is not running, is failing to sync (see its logs), ' +
    'or ignores the Service (service.kubernetes.io/service-proxy-name label).',
  fix:
    'Check the kube-proxy pod on the node (kubectl -n kube-system logs POD) for sync errors, and restart it if it is ' +
    'stuck; make sure the Service carries no service.kubernetes.io/service-proxy-name label meant for another proxy.',
  messages: {
    noRules: NO_RULES,
    noRulesYet: NO_RULES + lagClause('the Service or its EndpointSlices'),
  },
  severities: { noRulesYet: 'info' },
  run(probe) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { expected, programmed } of probe.ports) {
      if (programmed.length > 0 || !expected.hasEndpoints) continue;
      const { service } = expected;
      const usable = usableEndpoints(expected);
      const age = recentChange(probe, [
        service.meta.creationTimestamp,
        ...sliceChangeTimes(usable.map((e) => e.slice)),
      ]);
      drafts.push({
        ...findingPlace(expected),
        reason: age !== undefined ? 'noRulesYet' : 'noRules',
        data: {
          node: probe.node,
          frontend: describeFrontend(expected),
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
