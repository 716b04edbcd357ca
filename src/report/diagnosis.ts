// One diagnosis of a model: the checks' run (views and findings) and the report built from
// it, kept together because the tree and the interactive view read all three.

import type { Check } from '../checks/types.js';
import { describeChecks, type CheckDescriptions } from '../core/findings.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Service } from '../core/objects.js';
import { buildReport, type Report } from './report.js';
import { runChecks, type CheckRun, type DanglingReferences } from './run-checks.js';

export interface Diagnosis {
  model: ClusterModel;
  run: CheckRun;
  report: Report;
  /** The checks chosen, for the renderers' titles, explanations and fixes. */
  checks: CheckDescriptions;
}

/** The checks run on these Services of the model (and the references `dangling` says), and the report of that run. */
export function diagnoseServices(
  model: ClusterModel,
  services: Service[],
  checks: Check[],
  notes: string[],
  dangling?: DanglingReferences,
): Diagnosis {
  const run = runChecks(model, services, checks, dangling);
  return { model, run, report: buildReport(run, notes), checks: describeChecks(checks) };
}
