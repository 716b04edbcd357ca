// What ESLint's checkRuleFiles guards, for this project's checks: every module of src/checks/ but
// the shared ones is one check, named after its file, registered in src/checks/index.ts, tested
// by its table in test/checks/<id>.test.ts and documented by docs/checks/<id>.md.

import type { Check, ConnectCheck, DataplaneCheck, FromCheck } from '../../src/checks/types.js';
import type { RecordedTable } from './check-tables.js';

/** The modules of src/checks/ that are no check: what the checks share. */
export const SHARED_MODULES: readonly string[] = ['helpers.ts', 'index.ts', 'types.ts'];

export interface CheckTree {
  /** The file names in src/checks/. */
  sources: readonly string[];
  /** What each check module exports, by file name. */
  exports: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** The lists of src/checks/index.ts. */
  registry: {
    checks: readonly unknown[];
    dataplaneChecks: readonly unknown[];
    connectChecks: readonly unknown[];
    fromChecks: readonly unknown[];
  };
  /** The tables each test/checks/<id>.test.ts records, by file name; a file that does not exist is absent. */
  tables: ReadonlyMap<string, readonly RecordedTable[]>;
  /** The file names in docs/checks/. */
  pages: readonly string[];
}

type Tester = RecordedTable['tester'];

/** The list a check registered with each tester belongs in. */
const LIST_OF: Record<Tester, string> = {
  'rule-tester': 'CHECKS',
  'dataplane-tester': 'DATAPLANE_CHECKS',
  'connect-tester': 'CONNECT_CHECKS',
  'from-tester': 'FROM_CHECKS',
};

/** What a check module exports as its check: an object with an id and a run function. */
export function isCheck(value: unknown): value is Check | DataplaneCheck | ConnectCheck | FromCheck {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  // A check of references has no run of its own: its references.run judges each reference; a
  // check of a Service's lookup has runLookup.
  const references = fields.references as Record<string, unknown> | undefined;
  return (
    typeof fields.id === 'string' &&
    (typeof fields.run === 'function' ||
      typeof fields.runLookup === 'function' ||
      typeof references?.run === 'function')
  );
}

/** Which tester a registered check's table must use, by check. */
function registered(tree: CheckTree, problems: string[]): Map<unknown, Tester> {
  const testers = new Map<unknown, Tester>();
  const ids = new Set<string>();
  const lists: [readonly unknown[], Tester][] = [
    [tree.registry.checks, 'rule-tester'],
    [tree.registry.dataplaneChecks, 'dataplane-tester'],
    [tree.registry.connectChecks, 'connect-tester'],
    [tree.registry.fromChecks, 'from-tester'],
  ];
  for (const [list, tester] of lists) {
    for (const check of list) {
      const id = isCheck(check) ? check.id : String(check);
      if (ids.has(id)) problems.push(`"${id}" is registered twice in src/checks/index.ts`);
      ids.add(id);
      testers.set(check, tester);
    }
  }
  return testers;
}

function tableProblem(tree: CheckTree, id: string, check: unknown, tester: Tester | undefined): string | undefined {
  const file = `test/checks/${id}.test.ts`;
  const recorded = tree.tables.get(`${id}.test.ts`);
  if (!recorded) return `${id} has no table ${file}`;
  const table = recorded.find((t) => t.check === check);
  if (!table)
    return `${file} gives no table of ${id} to the rule tester (test/support/rule-tester.ts), the dataplane tester, the connect tester or the from tester`;
  if (tester && table.tester !== tester) {
    return `${file} tests ${id} with the ${table.tester}, but ${id} is in ${LIST_OF[tester]}, whose checks use the ${tester}`;
  }
  if (table.mustFire.length === 0) return `${file} has no must-fire case (its docs page shows one)`;
  return undefined;
}

/** Every way the tree breaks the recipe, in words; none when it holds. */
export function registryProblems(tree: CheckTree): string[] {
  const problems: string[] = [];
  const testers = registered(tree, problems);
  const moduleChecks = new Set<unknown>();
  const ids = new Set<string>();
  for (const file of [...tree.sources].sort()) {
    if (SHARED_MODULES.includes(file)) continue;
    if (!file.endsWith('.ts')) {
      problems.push(
        `src/checks/${file} is no check module (one .ts file per check, besides ${SHARED_MODULES.join(', ')})`,
      );
      continue;
    }
    const id = file.slice(0, -'.ts'.length);
    ids.add(id);
    const checks = Object.values(tree.exports.get(file) ?? {}).filter(isCheck);
    if (checks.length !== 1) {
      for (const check of checks) moduleChecks.add(check);
      problems.push(`src/checks/${file} exports ${checks.length} checks; a check module exports exactly one`);
      continue;
    }
    const check = checks[0];
    moduleChecks.add(check);
    if (check.id !== id)
      problems.push(`src/checks/${file} exports the check "${check.id}": its id must be its file name`);
    const tester = testers.get(check);
    if (!tester)
      problems.push(
        `${id} is not registered in src/checks/index.ts (CHECKS, DATAPLANE_CHECKS, CONNECT_CHECKS or FROM_CHECKS)`,
      );
    const table = tableProblem(tree, id, check, tester);
    if (table) problems.push(table);
    if (!tree.pages.includes(`${id}.md`)) problems.push(`${id} has no docs page docs/checks/${id}.md (npm run docs)`);
  }
  for (const check of testers.keys()) {
    if (!moduleChecks.has(check)) {
      const id = isCheck(check) ? check.id : String(check);
      problems.push(`src/checks/index.ts registers "${id}", which no module of src/checks/ exports as its check`);
    }
  }
  for (const page of tree.pages) {
    if (!ids.has(page.replace(/\.md$/, '')))
      problems.push(`docs/checks/${page} documents no check (npm run docs removes it)`);
  }
  return problems;
}
