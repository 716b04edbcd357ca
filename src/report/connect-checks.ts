// Runs the connect checks over the answers --connect recorded: findings on each Service port
// judged, in check order per port; a Service's endpoints-doctor/ignore annotation silences them
// as it does the other checks'.

import type { ConnectCheck } from '../checks/types.js';
import type { ClusterModel } from '../model/cluster.js';
import type { ConnectTarget, LookupAnswer, PortConnectivity } from '../model/connect-targets.js';
import type { Service } from '../core/objects.js';
import type { Finding } from '../core/findings.js';
import type { ConnectAnswer, DnsAnswer } from '../sources/connect/types.js';
import { completeFinding, ignoredChecks } from './run-checks.js';

/** One check on one Service port, without suppression: what the check tables test. */
export function checkPort(check: ConnectCheck, port: PortConnectivity, model: ClusterModel): Finding[] {
  const where = { namespace: port.service.meta.namespace, service: port.service.meta.name };
  return ('run' in check ? check.run(port, model) : []).map((draft) =>
    completeFinding(check, { ...draft, port: port.portText }, where),
  );
}

/** One check on one Service's lookup, without suppression. */
export function checkLookup(check: ConnectCheck, lookup: LookupAnswer, model: ClusterModel): Finding[] {
  const where = { namespace: lookup.service.meta.namespace, service: lookup.service.meta.name };
  return ('runLookup' in check ? check.runLookup(lookup, model) : []).map((draft) =>
    completeFinding(check, draft, where),
  );
}

export interface ConnectRun {
  findings: Finding[];
  /** Findings dropped by ignore annotations, per Service "ns/name". */
  suppressed: Map<string, number>;
}

export function runConnectChecks(
  ports: PortConnectivity[],
  lookups: LookupAnswer[],
  model: ClusterModel,
  checks: ConnectCheck[],
): ConnectRun {
  const run: ConnectRun = { findings: [], suppressed: new Map() };
  const judged = (service: Service, check: ConnectCheck, found: Finding[]) => {
    if (found.length === 0) return;
    if (ignoredChecks(service).has(check.id)) {
      const key = `${service.meta.namespace}/${service.meta.name}`;
      run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + found.length);
      return;
    }
    run.findings.push(...found);
  };
  for (const port of ports) for (const check of checks) judged(port.service, check, checkPort(check, port, model));
  for (const lookup of lookups)
    for (const check of checks) judged(lookup.service, check, checkLookup(check, lookup, model));
  return run;
}

/** One target of a Service port and its answer, as the report's `connectivity` lists it. */
export interface ConnectTargetReport extends ConnectAnswer {
  /** endpoint: an address of the EndpointSlices; cluster-ip: the Service's own; node-port: the vantage node's, at the nodePort. */
  kind: ConnectTarget['kind'];
  address: string;
  port: number;
  /** An endpoint's ready condition. */
  ready?: boolean;
  /** The pod an endpoint's targetRef names. */
  pod?: string;
}

/** A Service port's answers from one vantage point: an entry of a Service's `connectivity`. */
export interface PortConnectivityReport {
  /** "http 80/TCP", as findings name the port. */
  port: string;
  vantage: string;
  targets: ConnectTargetReport[];
}

/** The report's `connectivity` of each Service, by "namespace/name". */
export function connectivityByService(ports: PortConnectivity[]): Map<string, PortConnectivityReport[]> {
  const byService = new Map<string, PortConnectivityReport[]>();
  for (const p of ports) {
    const key = `${p.service.meta.namespace}/${p.service.meta.name}`;
    const targets = [...p.endpoints, ...p.serviceAddresses].map(
      ({ kind, address, port, ready, targetRef, answer }): ConnectTargetReport => ({
        kind,
        address,
        port,
        ...(ready !== undefined ? { ready } : {}),
        ...(targetRef?.kind === 'Pod' ? { pod: targetRef.name } : {}),
        ...answer,
      }),
    );
    const entries = byService.get(key) ?? [];
    entries.push({ port: p.portText, vantage: p.vantage, targets });
    byService.set(key, entries);
  }
  return byService;
}

/** A Service's lookup from one vantage point, as the report's `dns` gives it. */
export interface LookupReport extends DnsAnswer {
  name: string;
  vantage: string;
  /** What the answer should hold: the cluster IPs, or a headless Service's ready endpoint addresses. */
  expected: string[];
}

/** The report's `dns` of each Service, by "namespace/name". */
export function lookupsByService(lookups: LookupAnswer[]): Map<string, LookupReport> {
  return new Map(
    lookups.map((l) => [
      `${l.service.meta.namespace}/${l.service.meta.name}`,
      { name: l.name, vantage: l.vantage, expected: l.expected, ...l.answer },
    ]),
  );
}
