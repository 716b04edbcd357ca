// One diagnosis of a model: the checks' run (views and findings) and the report built from
// it, kept together because the tree and the interactive view read all three.

import type { Check, ConnectCheck } from '../checks/types.js';
import type { LookupAnswer, PortConnectivity } from '../model/connect-targets.js';
import { connectivityByService, lookupsByService, runConnectChecks } from './connect-checks.js';
import { describeChecks, type CheckDescriptions } from '../core/findings.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Service } from '../core/objects.js';
import type { Finding } from '../core/findings.js';
import type { ServiceReachability } from '../model/reachability.js';
import { runFromChecks, type FromInput } from './from-checks.js';
import { buildReport, type Report } from './report.js';
import { runChecks, type CheckRun, type DanglingReferences } from './run-checks.js';

export interface Diagnosis {
  model: ClusterModel;
  run: CheckRun;
  report: Report;
  /** The checks chosen, for the renderers' titles, explanations and fixes. */
  checks: CheckDescriptions;
}

/** With --connect: what a vantage point answered for each Service port and each Service's name, and the checks that judge it. */
export interface ConnectInput {
  ports: PortConnectivity[];
  lookups: LookupAnswer[];
  checks: ConnectCheck[];
}

/**
 * The checks run on these Services of the model (and the references `dangling` says), and the
 * report of that run; with `connect`, the connect checks' findings join the others', and each
 * Service's entry carries its connectivity; with `from`, the --from checks' findings too, and each
 * Service's entry carries its reachability from the client.
 */
export function diagnoseServices(
  model: ClusterModel,
  services: Service[],
  checks: Check[],
  notes: string[],
  dangling?: DanglingReferences,
  connect?: ConnectInput,
  from?: FromInput,
): Diagnosis {
  const run = runChecks(model, services, checks, dangling);
  const added = (found: Finding[], suppressed: Map<string, number>) => {
    run.findings.push(...found);
    for (const [key, count] of suppressed) run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + count);
  };
  const connectRun = connect && runConnectChecks(connect.ports, connect.lookups, model, connect.checks);
  if (connectRun) added(connectRun.findings, connectRun.suppressed);
  const fromRun = from && runFromChecks(services, model, from);
  if (fromRun) added(fromRun.findings, fromRun.suppressed);
  const report = buildReport(run, [...notes, ...(from ? fromNotes(from, fromRun!.reachability) : [])]);
  const connectivity = connect && connectivityByService(connect.ports);
  const lookups = connect && lookupsByService(connect.lookups);
  for (const s of report.services) {
    const key = `${s.namespace}/${s.name}`;
    const ports = connectivity?.get(key);
    if (ports) s.connectivity = ports;
    const dns = lookups?.get(key);
    if (dns) s.dns = dns;
    const reachability = fromRun?.reachability.get(key);
    if (reachability) s.reachability = reachability;
  }
  return {
    model,
    run,
    report,
    checks: describeChecks([...checks, ...(connect?.checks ?? []), ...(from?.checks ?? [])]),
  };
}

/**
 * What --from could not judge, said once for the run: the client's DNS when it is unknown (the
 * DNS check then says nothing), and a client the input cannot show.
 */
function fromNotes(from: FromInput, reachability: ReadonlyMap<string, ServiceReachability>): string[] {
  const notes: string[] = [];
  const [first] = reachability.values();
  if (first?.dns?.verdict === 'unknown' && from.checks.length > 0) {
    notes.push(`--from ${from.client.from}: whether it reaches the cluster DNS is unknown: ${first.dns.reason}`);
  }
  if (first?.unknown) notes.push(`--from ${from.client.from}: no verdict: ${first.unknown}`);
  return notes;
}
