// What the input holds of the kinds the checks read.

import { KINDS, type CoverageKey, type KindSpec } from './kinds.js';

/**
 * Which of the kinds with a coverage flag (core/kinds.ts) the input really covers; a check
 * needing a missing one is skipped.
 */
export type InputCoverage = Record<CoverageKey, boolean>;

/** Each kind's flag as `covered` says. */
export function coverageFrom(covered: (kind: KindSpec) => boolean, kinds: readonly KindSpec[] = KINDS): InputCoverage {
  const coverage: Record<string, boolean> = {};
  for (const kind of kinds) if (kind.coverage) coverage[kind.coverage] = covered(kind);
  return coverage as InputCoverage;
}
