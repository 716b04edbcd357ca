// With --from: each Service's view from the client (model/reachability.ts), and the --from checks
// run on it; a Service's endpoints-doctor/ignore annotation silences them as it does the others'.

import type { FromCheck } from '../checks/types.js';
import type { Finding } from '../core/findings.js';
import type { Service } from '../core/objects.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Client, ServiceReachability } from '../model/reachability.js';
import { serviceReachability } from '../model/reachability.js';
import { viewService } from '../model/service-view.js';
import { completeFinding, ignoredChecks } from './run-checks.js';

/** With --from: the client, and the --from checks --only/--disable leave. */
export interface FromInput {
  client: Client;
  checks: FromCheck[];
}

/** One check on one Service's view, without suppression: what the check tables test. */
export function checkReachability(
  check: FromCheck,
  reachability: ServiceReachability,
  service: Service,
  model: ClusterModel,
): Finding[] {
  const where = { namespace: service.meta.namespace, service: service.meta.name };
  return check.run(reachability, service, model).map((draft) => completeFinding(check, draft, where));
}

export interface FromRun {
  /** Each Service's view, by "namespace/name". */
  reachability: Map<string, ServiceReachability>;
  findings: Finding[];
  /** Findings dropped by ignore annotations, per Service "ns/name". */
  suppressed: Map<string, number>;
}

export function runFromChecks(services: readonly Service[], model: ClusterModel, from: FromInput): FromRun {
  const run: FromRun = { reachability: new Map(), findings: [], suppressed: new Map() };
  for (const service of services) {
    const key = `${service.meta.namespace}/${service.meta.name}`;
    const reachability = serviceReachability(viewService(model, service), model, from.client);
    run.reachability.set(key, reachability);
    const ignored = ignoredChecks(service);
    for (const check of from.checks) {
      const found = checkReachability(check, reachability, service, model);
      if (found.length === 0) continue;
      if (ignored.has(check.id)) run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + found.length);
      else run.findings.push(...found);
    }
  }
  return run;
}
