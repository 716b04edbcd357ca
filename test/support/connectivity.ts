// Recorded answers for the connect check tables, and table runners in the style of
// rule-tester.ts: a case is the objects (Service, slices, pods) and what each of the Service's
// targets answered from a vantage point, or what the lookup of its name answered; no socket is
// opened and no name looked up.

import type { LookupConnectCheck, PortConnectCheck } from '../../src/checks/types.js';
import type { InputCoverage } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/findings.js';
import {
  connectTargets,
  pairAnswers,
  serviceLookup,
  withNodePorts,
  type VantageNode,
} from '../../src/model/connect-targets.js';
import { endpointKey } from '../../src/model/kube-proxy-endpoints.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { viewService } from '../../src/model/service-view.js';
import { checkLookup, checkPort } from '../../src/report/connect-checks.js';
import type { ConnectAnswer, DnsAnswer, TlsAnswer } from '../../src/sources/connect/types.js';
import { recordTable } from './check-tables.js';
import type { Raw } from './objects.js';
import { declareTableTests, recording, type ExpectedFinding } from './rule-tester.js';

/** Answers by shorthand: open(), refused()... with a made-up latency (no test reads it as time). */
export const open = (o: { tls?: TlsAnswer; statusLine?: string } = {}): ConnectAnswer => ({
  result: 'open',
  latencyMs: 1,
  ...(o.tls ? { tls: o.tls } : {}),
  ...(o.statusLine ? { http: { statusLine: o.statusLine } } : {}),
});
export const refused = (): ConnectAnswer => ({ result: 'refused', latencyMs: 1, detail: 'ECONNREFUSED' });
export const timedOut = (): ConnectAnswer => ({ result: 'timeout', detail: 'no answer in 2000 ms' });
export const unreachable = (): ConnectAnswer => ({ result: 'unreachable', latencyMs: 1, detail: 'EHOSTUNREACH' });

export interface ConnectCase {
  name: string;
  objects: Raw[];
  /** What each target answered, by "address:port"; every target of the Service must be answered. */
  answers: Record<string, ConnectAnswer>;
  /** The vantage point; "local" (this machine) by default, node/NAME with `node`. */
  vantage?: string;
  /** A node as the vantage point (--connect-from node/NAME): its NodePorts are targets too. */
  node?: VantageNode;
  /** The inputs the case leaves out (InputCoverage keys, e.g. networkPolicies). */
  lacks?: (keyof InputCoverage)[];
  docsExample?: true;
}

const VANTAGE = 'local';

const vantageOf = (c: ConnectCase) => c.vantage ?? (c.node ? `node/${c.node.name}` : VANTAGE);

/** The check's findings on every port of every Service of the case. */
function connectFindings(check: PortConnectCheck, c: ConnectCase): Finding[] {
  const model = modelFromRaw(c.objects, Object.fromEntries((c.lacks ?? []).map((k) => [k, false])));
  return model.services.flatMap((service) =>
    connectTargets(viewService(model, service)).flatMap((servicePort) => {
      const port = c.node ? withNodePorts(servicePort, c.node) : servicePort;
      const answers = port.targets.map((t) => {
        const key = endpointKey(t.address, t.port);
        const answer = c.answers[key];
        if (!answer) throw new Error(`${c.name}: no answer for ${key}`);
        return answer;
      });
      return checkPort(check, pairAnswers(port, vantageOf(c), answers), model);
    }),
  );
}

export function connectTester(
  check: PortConnectCheck,
  cases: { valid: ConnectCase[]; invalid: (ConnectCase & { findings: ExpectedFinding[] })[] },
): void {
  const mustFire = cases.invalid.map((c) => ({
    name: c.name,
    input: { objects: c.objects, lacks: c.lacks ?? [], connect: { vantage: vantageOf(c), answers: c.answers } },
    docsExample: c.docsExample === true,
    findings: () => connectFindings(check, c),
  }));
  if (recordTable({ tester: 'connect-tester', check, mustFire })) return;
  declareTableTests(check, cases, connectFindings, () => recording(check));
}

export interface LookupCase {
  name: string;
  objects: Raw[];
  /** What the lookup of the (one) Service's name answered. */
  answer: DnsAnswer;
  /** The vantage point; "local" by default. */
  vantage?: string;
  /** kubernetes.default.svc.cluster.local did not exist either. */
  domainInDoubt?: true;
  docsExample?: true;
}

/** The check's findings on the lookup of each Service of the case. */
function lookupFindings(check: LookupConnectCheck, c: LookupCase): Finding[] {
  const model = modelFromRaw(c.objects);
  return model.services.flatMap((service) => {
    const lookup = serviceLookup(viewService(model, service));
    if (!lookup) return [];
    const answered = { ...lookup, vantage: c.vantage ?? VANTAGE, answer: c.answer };
    return checkLookup(check, c.domainInDoubt ? { ...answered, domainInDoubt: c.domainInDoubt } : answered, model);
  });
}

export function lookupTester(
  check: LookupConnectCheck,
  cases: { valid: LookupCase[]; invalid: (LookupCase & { findings: ExpectedFinding[] })[] },
): void {
  const mustFire = cases.invalid.map((c) => {
    const [lookup] = c.objects.flatMap((o) => (o.kind === 'Service' ? [o] : []));
    const meta = lookup?.metadata as { name?: string; namespace?: string } | undefined;
    return {
      name: c.name,
      input: {
        objects: c.objects,
        lacks: [],
        connect: {
          vantage: c.vantage ?? VANTAGE,
          answers: { [`${meta?.name}.${meta?.namespace}.svc.cluster.local`]: c.answer },
        },
      },
      docsExample: c.docsExample === true,
      findings: () => lookupFindings(check, c),
    };
  });
  if (recordTable({ tester: 'connect-tester', check, mustFire })) return;
  const recorded = () => {
    const r = recording({ ...check, run: (...args: Parameters<typeof check.runLookup>) => check.runLookup(...args) });
    return { ...r, check: { ...check, runLookup: r.check.run } };
  };
  declareTableTests(check, cases, lookupFindings, recorded);
}
