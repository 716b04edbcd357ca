// A model straight from decoded objects, as tests and examples build one.

import { coverageFrom, type InputCoverage } from '../core/coverage.js';
import { ObjectCollector } from '../sources/objects.js';
import { buildModel, type ClusterModel, type PolicyContext } from './cluster.js';

/**
 * A model from decoded objects, all inputs taken as read unless `coverage` says otherwise; Events
 * only when the objects hold one (read, every pod a finding names would carry empty evidence);
 * `policyContext`, what a live read's discovery would show of the cluster's policies.
 */
export function modelFromRaw(
  docs: unknown[],
  coverage: Partial<InputCoverage> = {},
  policyContext?: PolicyContext,
): ClusterModel {
  const collector = new ObjectCollector();
  docs.forEach((d, i) => collector.add(d, `object ${i + 1}`));
  return buildModel(
    collector.objects,
    {
      ...coverageFrom(() => true),
      events: collector.kinds.has('Event'),
      ...coverage,
    },
    policyContext,
  );
}
