// Every check, in report order. The id of each is part of the public contract for CI.

import { dataplaneEndpointMissing } from './dataplane-endpoint-missing.js';
import { dataplaneEndpointStale } from './dataplane-endpoint-stale.js';
import { dataplaneLocalDrop } from './dataplane-local-drop.js';
import { dataplaneRejects } from './dataplane-rejects.js';
import { dataplaneServiceMissing } from './dataplane-service-missing.js';
import { dataplaneStaleService } from './dataplane-stale-service.js';
import { endpointOnUnreadyNode } from './endpoint-on-unready-node.js';
import { endpointsNotMirrored } from './endpoints-not-mirrored.js';
import { endpointsOverCapacity } from './endpoints-over-capacity.js';
import { externalnameInvalid } from './externalname-invalid.js';
import { externalnameNoEndpoints } from './externalname-no-endpoints.js';
import { headlessUnreadyDns } from './headless-unready-dns.js';
import { ignoredByKubeProxy } from './ignored-by-kube-proxy.js';
import { ipFamilyWithoutEndpoints } from './ip-family-without-endpoints.js';
import { loadBalancerPending } from './loadbalancer-pending.js';
import { manualEndpointsIgnored } from './manual-endpoints-ignored.js';
import { manualEndpointsPortMismatch } from './manual-endpoints-port-mismatch.js';
import { noReadyEndpoints } from './no-ready-endpoints.js';
import { podMissingFromSlices } from './pod-missing-from-slices.js';
import { podsNotReady } from './pods-not-ready.js';
import { selectorNoMatch } from './selector-no-match.js';
import { selectorlessNoEndpoints } from './selectorless-no-endpoints.js';
import { singleReadyEndpoint } from './single-ready-endpoint.js';
import { slicesEndpointsDisagree } from './slices-endpoints-disagree.js';
import { staleEndpoints } from './stale-endpoints.js';
import { targetPortInconsistent } from './target-port-inconsistent.js';
import { targetPortNotDeclared } from './target-port-not-declared.js';
import { targetPortUnresolved } from './target-port-unresolved.js';
import { topologyHintsMissing } from './topology-hints-missing.js';
import { trafficPolicyLocalGaps } from './traffic-policy-local-gaps.js';
import type { Check, DataplaneCheck } from './types.js';

export const CHECKS: Check[] = [
  selectorNoMatch,
  noReadyEndpoints,
  podsNotReady,
  targetPortUnresolved,
  targetPortNotDeclared,
  targetPortInconsistent,
  externalnameNoEndpoints,
  externalnameInvalid,
  selectorlessNoEndpoints,
  manualEndpointsPortMismatch,
  endpointsNotMirrored,
  manualEndpointsIgnored,
  staleEndpoints,
  podMissingFromSlices,
  endpointsOverCapacity,
  slicesEndpointsDisagree,
  trafficPolicyLocalGaps,
  loadBalancerPending,
  ignoredByKubeProxy,
  endpointOnUnreadyNode,
  ipFamilyWithoutEndpoints,
  topologyHintsMissing,
  headlessUnreadyDns,
  singleReadyEndpoint,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** The probe's checks: they compare a node's rules with the slices, so only `probe` runs them. */
export const DATAPLANE_CHECKS: DataplaneCheck[] = [
  dataplaneServiceMissing,
  dataplaneEndpointMissing,
  dataplaneEndpointStale,
  dataplaneRejects,
  dataplaneLocalDrop,
  dataplaneStaleService,
];

/** Any check by id, diagnose's or the probe's: what `checks`, `explain` and the text report describe. */
export function describeCheck(id: string): Check | DataplaneCheck | undefined {
  return findCheck(id) ?? DATAPLANE_CHECKS.find((c) => c.id === id);
}
