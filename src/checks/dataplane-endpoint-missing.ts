// A ready endpoint the EndpointSlices give a Service port that the node's rules do not send
// to: that backend gets no traffic from this node (docs/kube-proxy-dataplane.md#comparing-rules-with-endpointslices).

import { endpointKey } from '../model/kube-proxy-endpoints.js';
import {
  activeKeys,
  describeFrontend,
  findingPlace,
  endpointSetPairs,
  podChangeTimes,
  podOf,
  recentChange,
  sliceChangeTimes,
} from '../model/node-comparison.js';
import type { ExpectedEndpoint } from '../model/kube-proxy-endpoints.js';
import { lagClause, lagData, MAX_PODS, plural, syncFix } from './helpers.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

const MAX_LISTED = 5;
const NOT_SENT = 'node {{node}} does not send {{traffic}} traffic for {{frontend}} to {{endpoints}}: {{listed}}';

export const dataplaneEndpointMissing: DataplaneCheck = {
  id: 'dataplane-endpoint-missing',
  severity: 'error',
  title: 'A ready endpoint is not in the node’s rules',
  explanation:
    'kube-proxy sends new connections to every endpoint kube-proxy selects for the node: the ready endpoints of the ' +
    "Service's EndpointSlices (only this node's for a Local traffic policy; the serving terminating ones when none is " +
    'ready). An endpoint the slices list but the node does not program gets no traffic from this node, so its share ' +
    'goes to the others; when the rules stay behind for longer than a sync period, kube-proxy is failing to sync.',
  fix:
    'Look for sync errors in the kube-proxy pod on the node (kubectl -n kube-system logs POD | grep -i error), and ' +
    'restart it if it is stuck. Probe again first if the endpoint became ready only seconds ago.',
  messages: {
    endpointsNotProgrammed: NOT_SENT,
    endpointsNotProgrammedYet: NOT_SENT + lagClause('the endpoint'),
  },
  severities: { endpointsNotProgrammedYet: 'info' },
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { expected, programmed } of probe.ports) {
      const missing = new Map<string, { endpoint: ExpectedEndpoint; traffic: Set<string> }>();
      for (const rules of programmed) {
        for (const pair of endpointSetPairs(expected, rules)) {
          const have = activeKeys(pair.programmed);
          for (const e of pair.want) {
            const key = endpointKey(e.ip, e.port);
            if (have.has(key)) continue;
            const entry = missing.get(key) ?? { endpoint: e, traffic: new Set<string>() };
            entry.traffic.add(pair.traffic);
            missing.set(key, entry);
          }
        }
      }
      if (missing.size === 0) continue;
      const { service } = expected;
      const namespace = service.meta.namespace;
      const entries = [...missing.entries()];
      const pods: FindingPod[] = [];
      let allRecent = true;
      let youngest: number | undefined;
      for (const [key, { endpoint }] of entries) {
        const pod = podOf(model, namespace, endpoint.ip, endpoint.targetRef);
        if (pod && pods.length < MAX_PODS) {
          const state = endpoint.ready ? 'ready' : 'serving and terminating';
          pods.push({ name: pod.meta.name, cause: `${key} is ${state} in EndpointSlice ${endpoint.slice.meta.name}` });
        }
        const age = recentChange(probe, [...sliceChangeTimes([endpoint.slice]), ...podChangeTimes(pod)]);
        if (age === undefined) allRecent = false;
        else youngest = youngest === undefined ? age : Math.min(youngest, age);
      }
      const traffic = [...new Set(entries.flatMap(([, m]) => [...m.traffic]))].join(' and ');
      const listed = entries.slice(0, MAX_LISTED).map(([key]) => key);
      if (entries.length > MAX_LISTED) listed.push(`… ${entries.length - MAX_LISTED} more`);
      const word = entries.every(([, m]) => m.endpoint.ready) ? 'ready' : 'usable';
      const lag = allRecent && youngest !== undefined ? lagData(probe, youngest) : undefined;
      drafts.push({
        ...findingPlace(expected),
        reason: lag ? 'endpointsNotProgrammedYet' : 'endpointsNotProgrammed',
        data: {
          node: probe.node,
          traffic,
          frontend: describeFrontend(expected),
          endpoints: plural(entries.length, `${word} endpoint`),
          listed: listed.join(', '),
          ...lag,
        },
        fix: syncFix(probe),
        ...(pods.length > 0 ? { pods } : {}),
      });
    }
    return drafts;
  },
};
