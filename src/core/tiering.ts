// When V8 optimizes: later than it does by default. One run reads the lists once and runs each
// check once per Service, so most functions are hot for a second or less; optimized early, they
// are compiled (on another thread, but on the same cores and in the same CPU time) again after
// every deoptimization as new kinds of objects reach them, often for little or no gain before the
// run ends. Measured side by side on `npm run bench`'s cluster: README.md, Performance.

import { setFlagsFromString } from 'node:v8';

/**
 * V8's interrupt budget (bytecode executed between two looks at whether a function is hot), six
 * times V8 11's default of 67,584. Only V8 11 (Node 20 and 21) is told: later versions count
 * invocations instead and reject this flag with a line on stderr (the standalone executables run
 * Node 24, whose CPU measured no better for a later tier-up: scripts/runtimes.ts has their flags).
 */
const INTERRUPT_BUDGET = 400_000;

/**
 * Called first thing in a process that runs the doctor, with its V8's version
 * (process.versions.v8) and node's flags (process.execArgv): functions counted before keep the
 * default. A budget given to node wins (`node --interrupt-budget=67584 …` runs untuned). Whether V8 was told.
 */
export function delayOptimization(v8Version: string, nodeFlags: readonly string[]): boolean {
  if (v8Version.split('.')[0] !== '11') return false;
  if (nodeFlags.some((flag) => /^--interrupt[-_]budget(=|$)/.test(flag))) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
