// One diagnosis of a model: the checks' run (views and findings) and the report built from
// it, kept together because the tree and the interactive view read all three.

import type { Check, ConnectCheck } from '../checks/types.js';
import type { PortConnectivity } from '../model/connect-targets.js';
import { connectivityByService, runConnectChecks } from './connect-checks.js';
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

/** With --connect: what a vantage point answered for each Service port, and the checks that judge it. */
export interface ConnectInput {
  ports: PortConnectivity[];
  checks: ConnectCheck[];
}

/**
 * The checks run on these Services of the model (and the references `dangling` says), and the
 * report of that run; with `connect`, the connect checks' findings join the others', and each
 * Service's entry carries its connectivity.
 */
export function diagnoseServices(
  model: ClusterModel,
  services: Service[],
  checks: Check[],
  notes: string[],
  dangling?: DanglingReferences,
  connect?: ConnectInput,
): Diagnosis {
  const run = runChecks(model, services, checks, dangling);
  if (!connect) return { model, run, report: buildReport(run, notes), checks: describeChecks(checks) };
  const connectRun = runConnectChecks(connect.ports, model, connect.checks);
  run.findings.push(...connectRun.findings);
  for (const [key, count] of connectRun.suppressed) run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + count);
  const report = buildReport(run, notes);
  const connectivity = connectivityByService(connect.ports);
  for (const s of report.services) {
    const ports = connectivity.get(`${s.namespace}/${s.name}`);
    if (ports) s.connectivity = ports;
  }
  return { model, run, report, checks: describeChecks([...checks, ...connect.checks]) };
}
