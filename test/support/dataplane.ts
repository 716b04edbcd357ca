// Hand-made NodeDataplane values for the dataplane check tables, and a table runner in the
// style of rule-tester.ts: every case says which kube-proxy behaviour it pins.

import { expect } from 'vitest';
import type { DataplaneCheck } from '../../src/checks/types.js';
import type {
  IPFamily,
  NodeDataplane,
  ProgrammedEndpoint,
  ProgrammedFrontend,
  ProgrammedServicePort,
  ProxyMode,
} from '../../src/sources/node-rules/types.js';
import { viewService } from '../../src/model/service-view.js';
import { buildNodeProbe } from '../../src/model/node-comparison.js';
import { checkNode } from '../../src/report/dataplane-checks.js';
import type { Raw } from './objects.js';
import { declareTableTests, recording, type ExpectedFinding } from './rule-tester.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import type { Finding } from '../../src/core/findings.js';
import { recordTable } from './check-tables.js';

/** Programmed endpoints with equal shares, as kube-proxy balances them. */
export function eps(...keys: string[]): ProgrammedEndpoint[] {
  return keys.map((key) => {
    const i = key.lastIndexOf(':');
    return { ip: key.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(key.slice(i + 1)), share: 1 / keys.length };
  });
}

export interface RulesOptions {
  ns?: string;
  portName?: string;
  protocol?: ProgrammedServicePort['protocol'];
  family?: IPFamily;
  /** Without a Service reference, as IPVS rules are. */
  anonymous?: boolean;
  frontends?: ProgrammedFrontend[];
  endpoints?: ProgrammedEndpoint[];
  externalEndpoints?: ProgrammedEndpoint[];
  verdicts?: ProgrammedServicePort['verdicts'];
}

/** Rules for one Service port: by default shop/NAME port http, cluster IP 10.96.0.10:80/TCP. */
export function rules(name: string, o: RulesOptions = {}): ProgrammedServicePort {
  const protocol = o.protocol ?? 'TCP';
  return {
    ...(o.anonymous ? {} : { service: { namespace: o.ns ?? 'shop', name, portName: o.portName ?? 'http' } }),
    protocol,
    family: o.family ?? 'IPv4',
    frontends: o.frontends ?? [{ kind: 'cluster-ip', ip: '10.96.0.10', port: 80, protocol }],
    endpoints: o.endpoints ?? [],
    ...(o.externalEndpoints ? { externalEndpoints: o.externalEndpoints } : {}),
    verdicts: o.verdicts ?? [],
    masquerade: false,
    rules: [],
  };
}

export function dataplane(servicePorts: ProgrammedServicePort[], mode: ProxyMode = 'iptables'): NodeDataplane {
  return { mode, families: ['IPv4'], servicePorts, notes: [] };
}

export interface DataplaneCase {
  name: string;
  objects: Raw[];
  dataplane: NodeDataplane;
  /** The probed node; node-a by default. */
  node?: string;
  /** When the rules were read; default 2026-11-25T12:00:00Z, far from the fixtures' timestamps. */
  readAt?: string;
  /** Namespaces whose every Service is in objects; default all. */
  completeNamespaces?: string[];
  /** The case docs/checks/<id>.md shows (by default the first must-fire case). */
  docsExample?: true;
}

export const READ_AT = '2026-11-25T12:00:00Z';

function dataplaneFindings(check: DataplaneCheck, c: DataplaneCase): Finding[] {
  const model = modelFromRaw(c.objects);
  const probe = buildNodeProbe({
    node: c.node ?? 'node-a',
    dataplane: c.dataplane,
    views: model.services.map((s) => viewService(model, s)),
    model,
    readAt: new Date(c.readAt ?? READ_AT),
    completeNamespaces: c.completeNamespaces ? new Set(c.completeNamespaces) : 'all',
  });
  return checkNode(check, probe, model);
}

export function dataplaneTester(
  check: DataplaneCheck,
  cases: { valid: DataplaneCase[]; invalid: (DataplaneCase & { findings: ExpectedFinding[] })[] },
): void {
  const mustFire = cases.invalid.map((c) => ({
    name: c.name,
    input: {
      objects: c.objects,
      lacks: [],
      node: {
        name: c.node ?? 'node-a',
        dataplane: c.dataplane,
        readAt: c.readAt ?? READ_AT,
        ...(c.completeNamespaces ? { completeNamespaces: c.completeNamespaces } : {}),
      },
    },
    docsExample: c.docsExample === true,
    findings: () => dataplaneFindings(check, c),
  }));
  if (recordTable({ tester: 'dataplane-tester', check, mustFire })) return;
  declareTableTests(
    check,
    cases,
    dataplaneFindings,
    () => recording(check),
    (got, c) => expect(got.node).toBe(c.node ?? 'node-a'),
  );
}
