// The diagnose command's flags as commander gives them when none is typed, for the tests that run
// the command in process (test/support/streams.ts, runInProcess).

import { diagnoseCommand } from '../../src/commands/diagnose.js';
import type { DiagnoseFlags } from '../../src/commands/diagnose-options.js';
import { runInProcess } from './streams.js';

export const diagnoseFlags = (given: Partial<DiagnoseFlags> = {}): DiagnoseFlags => ({
  output: 'text',
  failOn: 'error',
  color: true,
  requestTimeout: '30s',
  ...given,
});

/** diagnose in process with those defaults and `given` on top. */
export const runDiagnose = (given: Partial<DiagnoseFlags>, args: string[] = []) =>
  runInProcess(diagnoseCommand, args, diagnoseFlags(given));
