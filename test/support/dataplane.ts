// Hand-made NodeDataplane values for the dataplane check tables, and a table runner in the
// style of rule-tester.ts: every case says which kube-proxy behaviour it pins.

import { describe, expect, it } from 'vitest';
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
import { expectAllProduced, recording } from './rule-tester.js';
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

export interface ExpectedDataplaneFinding {
  /** The message id the finding names (findings[].reason). */
  reason: string;
  severity?: Finding['severity'];
  service?: string;
  port?: string;
  message?: string[];
  pods?: string[];
  fix?: string;
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
  cases: { valid: DataplaneCase[]; invalid: (DataplaneCase & { findings: ExpectedDataplaneFinding[] })[] },
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
  describe(`${check.id}: must not fire`, () => {
    for (const c of cases.valid) {
      it(c.name, () => expect(dataplaneFindings(check, c)).toEqual([]));
    }
  });
  describe(`${check.id}: must fire`, () => {
    for (const c of cases.invalid) {
      it(c.name, () => {
        const found = dataplaneFindings(check, c);
        expect(found.map((f) => f.message)).toHaveLength(c.findings.length);
        c.findings.forEach((want, i) => {
          const got = found[i];
          expect(got.check).toBe(check.id);
          expect(got.reason).toBe(want.reason);
          expect(got.node).toBe(c.node ?? 'node-a');
          expect(got.severity).toBe(want.severity ?? check.severities?.[want.reason] ?? check.severity);
          if (want.service !== undefined) expect(got.service).toBe(want.service);
          if (want.port !== undefined) expect(got.port).toBe(want.port);
          for (const text of want.message ?? []) expect(got.message).toContain(text);
          if (want.fix !== undefined) expect(got.fix).toContain(want.fix);
          if (want.pods) expect((got.pods ?? []).map((p) => p.name).sort()).toEqual([...want.pods].sort());
        });
      });
    }
    it('produces every message and note the check declares', () => {
      const recorded = recording(check);
      for (const c of cases.invalid) dataplaneFindings(recorded.check, c);
      expectAllProduced(check, recorded);
    });
  });
}
