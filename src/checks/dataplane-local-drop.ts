// A Local traffic policy on a node without a local endpoint: kube-proxy DROPs that traffic
// there, and clients time out (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection). Also a DROP the policy does not
// call for: left over from a former Local policy, or a node that missed its local endpoints.

import type { FrontendKind } from '../sources/node-rules/types.js';
import {
  describeFrontend,
  findingPlace,
  lagNote,
  podChangeTimes,
  podOf,
  recentChange,
  sliceChangeTimes,
} from '../model/node-comparison.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import { syncFix } from './helpers.js';

export const dataplaneLocalDrop: DataplaneCheck = {
  id: 'dataplane-local-drop',
  severity: 'warning',
  title: 'The node drops a Service’s traffic for a Local traffic policy',
  explanation:
    'With internalTrafficPolicy: Local, kube-proxy sends cluster-IP traffic only to endpoints on the same node; with ' +
    'externalTrafficPolicy: Local, node-port, external-IP and load-balancer traffic only to endpoints on the node it ' +
    'arrives at. A node without such an endpoint drops the packets, so clients time out (rather than being refused). ' +
    'That is the policy working as designed, but it is rarely wanted for in-cluster clients. A DROP the policy does ' +
    'not call for (the Service is Cluster now, or the node has ready local endpoints) is an error: the rules are behind.',
  fix:
    'Run a ready endpoint on every node that receives the traffic (a DaemonSet, or topology spread), set the policy ' +
    'to Cluster, or for load balancers make sure the health check on healthCheckNodePort keeps this node out.',
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { expected, programmed } of probe.ports) {
      const { service } = expected;
      const programmedDrops = new Set<FrontendKind>(
        programmed.flatMap((r) => r.verdicts.filter((v) => v.verdict === 'drop').map((v) => v.frontend)),
      );
      // IPVS has no DROP rule: a Local policy without local endpoints leaves the virtual server with no real server.
      if (probe.dataplane.mode === 'ipvs' && expected.hasEndpoints) {
        for (const rules of programmed) {
          if (rules.endpoints.length > 0) continue;
          for (const f of rules.frontends) {
            if (expected.verdicts.some((v) => v.frontend === f.kind && v.verdict === 'drop'))
              programmedDrops.add(f.kind);
          }
        }
      }
      if (programmedDrops.size === 0) continue;
      const expectedDrops = new Set(expected.verdicts.filter((v) => v.verdict === 'drop').map((v) => v.frontend));
      const designed = [...programmedDrops].filter((k) => expectedDrops.has(k));
      const unexpected = [...programmedDrops].filter((k) => !expectedDrops.has(k));
      const base = findingPlace(expected);
      if (designed.length > 0) {
        const internal = designed.includes('cluster-ip');
        const policy = internal ? 'internalTrafficPolicy' : 'externalTrafficPolicy';
        const who = internal ? 'its pods' : 'clients arriving at this node';
        drafts.push({
          ...base,
          message:
            `${policy} Local and node ${probe.node} has no usable local endpoint: it drops connections from ${who} to ` +
            `${designed.map((k) => describeFrontend(expected, k)).join(', ')} (they time out)`,
        });
      }
      if (unexpected.length > 0) {
        const why = !expected.hasEndpoints
          ? 'the Service has no usable endpoint anywhere, so kube-proxy should reject instead'
          : unexpected.some(
                (k) => (k === 'cluster-ip' ? service.internalTrafficPolicy : service.externalTrafficPolicy) === 'Local',
              )
            ? `the node has ${expected.internal.length || expected.external.length} usable local endpoint(s)`
            : 'the traffic policy is Cluster';
        let message =
          `node ${probe.node} drops connections to ${unexpected.map((k) => describeFrontend(expected, k)).join(', ')} ` +
          `although ${why}`;
        const age = recentChange(probe, [
          ...sliceChangeTimes(expected.slices),
          ...expected.all.flatMap((e) => podChangeTimes(podOf(model, service.meta.namespace, e.ip, e.targetRef))),
        ]);
        if (age !== undefined) message += lagNote(probe, age, 'the endpoints');
        drafts.push({ ...base, message, fix: syncFix(probe), severity: age !== undefined ? 'info' : 'error' });
      }
    }
    return drafts;
  },
};
