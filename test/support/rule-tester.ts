// ESLint RuleTester, for Service checks: every check gets a table of cases that must not fire
// (valid) and cases that must fire (invalid), each naming the Kubernetes behaviour it pins. Each
// finding a case expects states its reason (the message id), and the must-fire cases together
// produce every message and note the check declares: none goes untested.

import { describe, expect, it } from 'vitest';
import type { Check, CheckMessages, FindingDraft } from '../../src/checks/types.js';
import { CHECKS } from '../../src/checks/index.js';
import { checkReferences, checkService, runChecks } from '../../src/report/run-checks.js';
import type { Raw } from './objects.js';
import type { InputCoverage } from '../../src/core/coverage.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import type { PolicyContext } from '../../src/model/cluster.js';
import type { Finding } from '../../src/core/findings.js';
import { recordTable } from './check-tables.js';

export interface ValidCase {
  /** What Kubernetes does here, with the section of docs/kubernetes-semantics.md (or upstream) it comes from. */
  name: string;
  objects: Raw[];
  coverage?: Partial<InputCoverage>;
  /** What a live read's discovery shows of the cluster's policies (other policy kinds, the enforcing plugin). */
  policyContext?: PolicyContext;
}

/** What a must-fire case expects of one finding, in order; every tester's tables use it. */
export interface ExpectedFinding {
  /** The message id the finding names (findings[].reason): which kind of finding it is. */
  reason: string;
  severity?: Finding['severity'];
  /** The Service it is about, where a case's findings span several (a probe's node). */
  service?: string;
  port?: string;
  /** Every string must occur in the message. */
  message?: string[];
  /** No string may occur in the message: a note that must stay silent. */
  notInMessage?: string[];
  /** Exactly these pod names, in any order. */
  pods?: string[];
  /** Each pod name's cause must contain the given text. */
  causes?: Record<string, string>;
  fix?: string;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
  /** The case docs/checks/<id>.md shows (by default the first must-fire case). */
  docsExample?: true;
}

/** The inputs a case's coverage leaves out. */
function lacking(coverage: Partial<InputCoverage> = {}): string[] {
  return Object.entries(coverage)
    .filter(([, read]) => read === false)
    .map(([kind]) => kind);
}

/** The check's findings on every Service of the objects, and on every reference they hold (a reference check's). */
export function findingsFor(
  check: Check,
  objects: Raw[],
  coverage?: Partial<InputCoverage>,
  policyContext?: PolicyContext,
): Finding[] {
  const model = modelFromRaw(objects, coverage, policyContext);
  if (check.runsAfterOthers) {
    // It judges what the other checks found: they all run first, as in a report.
    const others = CHECKS.filter((c) => c.id !== check.id);
    return runChecks(model, model.services, [...others, check]).findings.filter((f) => f.check === check.id);
  }
  return [...model.services.flatMap((svc) => checkService(check, model, svc)), ...checkReferences(check, model)];
}

/** recording for a Service check, whose drafts come from run or, for a check of references, from references.run. */
function recordingCheck(check: Check): { check: Check; reasons: Set<string>; notes: Set<string> } {
  const { references } = check;
  if (!references) return recording(check as Check & Required<Pick<Check, 'run'>>);
  const recorded = recording(references);
  return { ...recorded, check: { ...check, references: recorded.check } };
}

/**
 * The check, recording the reasons and notes of every draft it returns: what the tables must
 * produce, so that no declared message goes untested.
 */
export function recording<C extends { run(...args: never[]): FindingDraft[] }>(
  check: C,
): { check: C; reasons: Set<string>; notes: Set<string> } {
  const reasons = new Set<string>();
  const notes = new Set<string>();
  const run = (...args: Parameters<C['run']>) => {
    const drafts = check.run(...args);
    for (const d of drafts) {
      reasons.add(d.reason);
      for (const note of d.notes ?? []) notes.add(note);
    }
    return drafts;
  };
  return { check: { ...check, run }, reasons, notes };
}

/** Every message and note the check declares, produced by some must-fire case. */
function expectAllProduced(declared: CheckMessages, produced: { reasons: Set<string>; notes: Set<string> }): void {
  expect(Object.keys(declared.messages).filter((id) => !produced.reasons.has(id))).toEqual([]);
  expect(Object.keys(declared.notes ?? {}).filter((id) => !produced.notes.has(id))).toEqual([]);
}

/** A check as the tables judge its findings: its id, severities and declared messages. */
type TabledCheck = Pick<Check, 'id' | 'severity' | 'severities'> & CheckMessages;

/**
 * The tests every tester declares for a table: the must-not-fire cases find nothing; each
 * must-fire case finds exactly the findings it expects, in order (and what `alsoExpect` checks of
 * each); and the must-fire cases together produce every message and note the check declares, run
 * on the recording `recorded` makes of the check.
 */
export function declareTableTests<K extends TabledCheck, C extends { name: string }>(
  check: K,
  cases: { valid: C[]; invalid: (C & { findings: ExpectedFinding[] })[] },
  findingsOf: (check: K, c: C) => Finding[],
  recorded: () => { check: K; reasons: Set<string>; notes: Set<string> },
  alsoExpect: (got: Finding, c: C) => void = () => {},
): void {
  describe(`${check.id}: must not fire`, () => {
    for (const c of cases.valid) it(c.name, () => expect(findingsOf(check, c)).toEqual([]));
  });
  describe(`${check.id}: must fire`, () => {
    for (const c of cases.invalid) {
      it(c.name, () => {
        const found = findingsOf(check, c);
        expect(found.map((f) => f.message)).toHaveLength(c.findings.length);
        c.findings.forEach((want, i) => {
          const got = found[i];
          expect(got.check).toBe(check.id);
          expect(got.reason).toBe(want.reason);
          expect(got.severity).toBe(want.severity ?? check.severities?.[want.reason] ?? check.severity);
          alsoExpect(got, c);
          if (want.service !== undefined) expect(got.service).toBe(want.service);
          if (want.port !== undefined) expect(got.port).toBe(want.port);
          for (const text of want.message ?? []) expect(got.message).toContain(text);
          for (const text of want.notInMessage ?? []) expect(got.message).not.toContain(text);
          if (want.pods) expect((got.pods ?? []).map((p) => p.name).sort()).toEqual([...want.pods].sort());
          for (const [podName, cause] of Object.entries(want.causes ?? {})) {
            expect(got.pods?.find((p) => p.name === podName)?.cause).toContain(cause);
          }
          if (want.fix !== undefined) expect(got.fix).toContain(want.fix);
        });
      });
    }
    it('produces every message and note the check declares', () => {
      const recording = recorded();
      for (const c of cases.invalid) findingsOf(recording.check, c);
      expectAllProduced(check, recording);
    });
  });
}

export function ruleTester(check: Check, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const findingsOf = (checked: Check, c: ValidCase) => findingsFor(checked, c.objects, c.coverage, c.policyContext);
  const mustFire = cases.invalid.map((c) => ({
    name: c.name,
    input: { objects: c.objects, lacks: lacking(c.coverage) },
    docsExample: c.docsExample === true,
    findings: () => findingsOf(check, c),
  }));
  if (recordTable({ tester: 'rule-tester', check, mustFire })) return;
  declareTableTests(check, cases, findingsOf, () => recordingCheck(check));
}
