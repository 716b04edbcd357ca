// An endpoint the node's rules send to that the EndpointSlices do not make usable: in no
// slice any more (the pod is gone or moved), or no longer ready. Connections to it fail or
// hang (docs/kube-proxy-dataplane.md#comparing-rules-with-endpointslices).

import {
  describeFrontend,
  findingPlace,
  podChangeTimes,
  podOf,
  recentChange,
  sliceChangeTimes,
} from '../model/node-comparison.js';
import { endpointKey } from '../model/kube-proxy-endpoints.js';
import { lagClause, lagData, MAX_PODS, plural, syncFix } from './helpers.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

const MAX_LISTED = 5;
const STILL_SENT =
  'node {{node}} still sends traffic for {{frontend}} to {{endpoints}} the slices do not make usable: {{listed}}';

export const dataplaneEndpointStale: DataplaneCheck = {
  id: 'dataplane-endpoint-stale',
  severity: 'error',
  title: 'The node sends traffic to an endpoint that is in no slice, or not ready',
  explanation:
    "kube-proxy removes an endpoint from the node's rules once the EndpointSlices no longer list it as ready (or, " +
    'when nothing is ready, as serving and terminating). An endpoint still programmed after that receives its share ' +
    'of new connections although its pod is gone, replaced or failing: clients see refused connections or timeouts ' +
    'from this node only. IPVS real servers at weight 0 are being drained on purpose and are not reported.',
  fix:
    'Look for sync errors in the kube-proxy pod on the node (kubectl -n kube-system logs POD), and restart it if it ' +
    'is stuck. Probe again first if the pod was deleted or became unready only seconds ago.',
  messages: {
    unusableEndpointsProgrammed: STILL_SENT,
    unusableEndpointsProgrammedYet: STILL_SENT + lagClause('the endpoint'),
  },
  severities: { unusableEndpointsProgrammedYet: 'info' },
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { expected, programmed } of probe.ports) {
      const { service } = expected;
      const namespace = service.meta.namespace;
      const expectedByKey = new Map(expected.all.map((e) => [endpointKey(e.ip, e.port), e]));
      const stale = new Map<string, string>();
      for (const rules of programmed) {
        for (const e of [...rules.endpoints, ...(rules.externalEndpoints ?? [])]) {
          if (e.weight === 0) continue;
          const key = endpointKey(e.ip, e.port);
          if (expected.usable.has(key) || stale.has(key)) continue;
          const listed = expectedByKey.get(key);
          stale.set(
            key,
            !listed
              ? 'in no EndpointSlice'
              : listed.terminating
                ? `terminating in EndpointSlice ${listed.slice.meta.name}`
                : `not ready in EndpointSlice ${listed.slice.meta.name}`,
          );
        }
      }
      if (stale.size === 0) continue;
      const pods: FindingPod[] = [];
      let allRecent = true;
      let youngest: number | undefined;
      for (const [key, why] of stale) {
        const listed = expectedByKey.get(key);
        const ip = key.startsWith('[') ? key.slice(1, key.indexOf(']')) : key.slice(0, key.lastIndexOf(':'));
        const pod = podOf(model, namespace, ip, listed?.targetRef);
        if (pod && pods.length < MAX_PODS) pods.push({ name: pod.meta.name, cause: `${key} is ${why}` });
        // An endpoint leaves the rules after its slice changes: the slices' and the pod's latest changes.
        const slices = listed ? [listed.slice] : expected.slices;
        const age = recentChange(probe, [...sliceChangeTimes(slices), ...podChangeTimes(pod)]);
        if (age === undefined) allRecent = false;
        else youngest = youngest === undefined ? age : Math.min(youngest, age);
      }
      const listed = [...stale].slice(0, MAX_LISTED).map(([key, why]) => `${key} (${why})`);
      if (stale.size > MAX_LISTED) listed.push(`… ${stale.size - MAX_LISTED} more`);
      const lag = allRecent && youngest !== undefined ? lagData(probe, youngest) : undefined;
      drafts.push({
        ...findingPlace(expected),
        reason: lag ? 'unusableEndpointsProgrammedYet' : 'unusableEndpointsProgrammed',
        data: {
          node: probe.node,
          frontend: describeFrontend(expected),
          endpoints: plural(stale.size, 'endpoint'),
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
