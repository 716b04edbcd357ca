// Runs the dataplane checks over the probed nodes: findings carry the node, in check order
// per node; a Service's endpoints-doctor/ignore annotation silences them as it does diagnose's.

import { DATAPLANE_CHECKS } from '../checks/index.js';
import type { DataplaneCheck } from '../checks/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { completeFinding, ignoredChecks } from './run-checks.js';
import type { NodeProbe } from '../model/node-comparison.js';
import type { Finding } from '../core/findings.js';

export interface DataplaneRun {
  findings: Finding[];
  /** Findings dropped by ignore annotations, per Service "ns/name". */
  suppressed: Map<string, number>;
}

/** One check on one node, without suppression: what the check tables test. */
export function checkNode(check: DataplaneCheck, probe: NodeProbe, model: ClusterModel): Finding[] {
  return check
    .run(probe, model)
    .map(({ namespace, service, ...draft }) => completeFinding(check, draft, { namespace, service, node: probe.node }));
}

export function runDataplaneChecks(
  probes: NodeProbe[],
  model: ClusterModel,
  checks: DataplaneCheck[] = DATAPLANE_CHECKS,
): DataplaneRun {
  const run: DataplaneRun = { findings: [], suppressed: new Map() };
  for (const probe of probes) {
    for (const check of checks) {
      for (const finding of checkNode(check, probe, model)) {
        const service = model.service(finding.namespace, finding.service);
        const key = `${finding.namespace}/${finding.service}`;
        if (service && ignoredChecks(service).has(check.id)) {
          run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + 1);
          continue;
        }
        run.findings.push(finding);
      }
    }
  }
  return run;
}
