// A table runner for the --from checks in the style of rule-tester.ts: a case is the objects and
// the client --from names; the check runs on each Service of namespace shop (the run's namespace)
// as that client sees it.

import type { FromCheck } from '../../src/checks/types.js';
import type { InputCoverage } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/findings.js';
import { findClient, parseFrom } from '../../src/commands/from.js';
import type { PolicyContext } from '../../src/model/cluster.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { serviceReachability } from '../../src/model/reachability.js';
import { viewService } from '../../src/model/service-view.js';
import { checkReachability } from '../../src/report/from-checks.js';
import { recordTable } from './check-tables.js';
import type { Raw } from './objects.js';
import { declareTableTests, recording, type ExpectedFinding } from './rule-tester.js';

export interface FromCase {
  name: string;
  objects: Raw[];
  /** --from's value. */
  from: string;
  /** The inputs the case leaves out (InputCoverage keys). */
  lacks?: (keyof InputCoverage)[];
  policyContext?: PolicyContext;
  docsExample?: true;
}

const NAMESPACE = 'shop';

function fromFindings(check: FromCheck, c: FromCase): Finding[] {
  const model = modelFromRaw(c.objects, Object.fromEntries((c.lacks ?? []).map((k) => [k, false])), c.policyContext);
  const client = findClient(model, parseFrom(c.from), NAMESPACE, []);
  return model.services
    .filter((s) => s.meta.namespace === NAMESPACE)
    .flatMap((service) =>
      checkReachability(check, serviceReachability(viewService(model, service), model, client), service, model),
    );
}

export function fromTester(
  check: FromCheck,
  cases: { valid: FromCase[]; invalid: (FromCase & { findings: ExpectedFinding[] })[] },
): void {
  const mustFire = cases.invalid.map((c) => ({
    name: c.name,
    input: { objects: c.objects, lacks: c.lacks ?? [], from: c.from },
    docsExample: c.docsExample === true,
    findings: () => fromFindings(check, c),
  }));
  if (recordTable({ tester: 'from-tester', check, mustFire })) return;
  declareTableTests(check, cases, fromFindings, () => recording(check));
}
