// Each check's table (test/checks/<id>.test.ts) as data. The rule, dataplane and connect testers
// hand the table they are given to recordTable before declaring its tests; while loadTables runs,
// they record it and declare nothing, so the registry test and the docs generator can read every
// table, inside vitest or outside it.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Check, ConnectCheck, DataplaneCheck, FromCheck } from '../../src/checks/types.js';
import type { ConnectAnswer, DnsAnswer } from '../../src/sources/connect/types.js';
import type { Finding } from '../../src/core/findings.js';
import type { NodeDataplane } from '../../src/sources/node-rules/types.js';
import { forgetAddresses, type Raw } from './objects.js';

export const TABLES_DIR = join(import.meta.dirname, '../checks');

/** What a case feeds its check. */
interface CaseInput {
  objects: Raw[];
  /** The inputs the case leaves out (InputCoverage keys): the input holds none of these kinds. */
  lacks: string[];
  /** For a probe check: the node probed, the rules read there, when, and the namespaces whose every Service is in `objects`. */
  node?: { name: string; dataplane: NodeDataplane; readAt: string; completeNamespaces?: string[] };
  /** For a connect check: the vantage point and what each target ("address:port") answered, or the lookup of the Service's name (by the name). */
  connect?: { vantage: string; answers: Record<string, ConnectAnswer | DnsAnswer> };
  /** For a --from check: the client, as --from names it. */
  from?: string;
}

export interface RecordedCase {
  name: string;
  input: CaseInput;
  /** The table marks it as the example of the check's docs page (else the first must-fire case is). */
  docsExample: boolean;
  /** The check's findings on the case, as the table's tests get them. */
  findings(): Finding[];
}

export type RecordedTable =
  | { tester: 'rule-tester'; check: Check; mustFire: RecordedCase[] }
  | { tester: 'dataplane-tester'; check: DataplaneCheck; mustFire: RecordedCase[] }
  | { tester: 'connect-tester'; check: ConnectCheck; mustFire: RecordedCase[] }
  | { tester: 'from-tester'; check: FromCheck; mustFire: RecordedCase[] };

/** The tables recorded from the module being loaded; undefined when no load is under way. */
let recording: RecordedTable[] | undefined;

/** Called by a tester with its table: true when it is being loaded as data, and must declare no test. */
export function recordTable(table: RecordedTable): boolean {
  recording?.push(table);
  return recording !== undefined;
}

const loaded = new Map<string, RecordedTable[]>();

/**
 * The tables each of these files of test/checks/ records, loading them one at a time. A module is
 * evaluated once per process, so each file's tables are kept for later calls. Pod addresses are
 * given afresh for each file, as in its own test run: a table's example does not depend on
 * which tables were loaded before it.
 */
export async function loadTables(files: readonly string[]): Promise<Map<string, RecordedTable[]>> {
  for (const file of files) {
    if (loaded.has(file)) continue;
    recording = [];
    forgetAddresses();
    try {
      await import(pathToFileURL(join(TABLES_DIR, file)).href);
      loaded.set(file, recording);
    } finally {
      recording = undefined;
    }
  }
  return new Map(files.map((file) => [file, loaded.get(file)!]));
}

/** The case a check's docs page shows: the one its table marks, else its first must-fire case. */
export function docsExampleOf(table: RecordedTable): RecordedCase | undefined {
  return table.mustFire.find((c) => c.docsExample) ?? table.mustFire[0];
}
