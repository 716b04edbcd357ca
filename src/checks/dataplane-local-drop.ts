// A Local traffic policy on a node without a local endpoint: kube-proxy DROPs that traffic
// there, and clients time out (docs/kubernetes-semantics.md#traffic-policies-and-endpoint-selection). Also a DROP the policy does not
// call for: left over from a former Local policy, or a node that missed its local endpoints.

import type { FrontendKind } from '../sources/node-rules/types.js';
import {
  describeFrontend,
  findingPlace,
  podChangeTimes,
  podOf,
  recentChange,
  sliceChangeTimes,
} from '../model/node-comparison.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';
import { lagClause, lagData, syncFix } from './helpers.js';

const NO_LOCAL_ENDPOINT = 'Local and node {{node}} has no usable local endpoint: it drops connections from';
const DROPS = 'node {{node}} drops connections to {{frontends}} although ';
const NO_ENDPOINT = `${DROPS}the Service has no usable endpoint anywhere, so kube-proxy should reject instead`;
const LOCAL_ENDPOINTS = `${DROPS}the node has {{local}} usable local endpoint(s)`;
const CLUSTER_POLICY = `${DROPS}the traffic policy is Cluster`;
const LAG = lagClause('the endpoints');

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
  messages: {
    internalPolicyDrops: `internalTrafficPolicy ${NO_LOCAL_ENDPOINT} its pods to {{frontends}} (they time out)`,
    externalPolicyDrops: `externalTrafficPolicy ${NO_LOCAL_ENDPOINT} clients arriving at this node to {{frontends}} (they time out)`,
    dropsWithoutEndpoints: NO_ENDPOINT,
    dropsWithoutEndpointsYet: NO_ENDPOINT + LAG,
    dropsWithLocalEndpoints: LOCAL_ENDPOINTS,
    dropsWithLocalEndpointsYet: LOCAL_ENDPOINTS + LAG,
    dropsUnderClusterPolicy: CLUSTER_POLICY,
    dropsUnderClusterPolicyYet: CLUSTER_POLICY + LAG,
  },
  // A DROP the policy does not call for is an error (the rules are behind), unless the rules may
  // only lag a recent change.
  severities: {
    dropsWithoutEndpoints: 'error',
    dropsWithoutEndpointsYet: 'info',
    dropsWithLocalEndpoints: 'error',
    dropsWithLocalEndpointsYet: 'info',
    dropsUnderClusterPolicy: 'error',
    dropsUnderClusterPolicyYet: 'info',
  },
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
        drafts.push({
          ...base,
          reason: designed.includes('cluster-ip') ? 'internalPolicyDrops' : 'externalPolicyDrops',
          data: { node: probe.node, frontends: designed.map((k) => describeFrontend(expected, k)).join(', ') },
        });
      }
      if (unexpected.length > 0) {
        const reason = !expected.hasEndpoints
          ? 'dropsWithoutEndpoints'
          : unexpected.some(
                (k) => (k === 'cluster-ip' ? service.internalTrafficPolicy : service.externalTrafficPolicy) === 'Local',
              )
            ? 'dropsWithLocalEndpoints'
            : 'dropsUnderClusterPolicy';
        const age = recentChange(probe, [
          ...sliceChangeTimes(expected.slices),
          ...expected.all.flatMap((e) => podChangeTimes(podOf(model, service.meta.namespace, e.ip, e.targetRef))),
        ]);
        drafts.push({
          ...base,
          reason: age !== undefined ? `${reason}Yet` : reason,
          data: {
            node: probe.node,
            frontends: unexpected.map((k) => describeFrontend(expected, k)).join(', '),
            local: expected.internal.length || expected.external.length,
            ...(age !== undefined ? lagData(probe, age) : {}),
          },
          fix: syncFix(probe),
        });
      }
    }
    return drafts;
  },
};
