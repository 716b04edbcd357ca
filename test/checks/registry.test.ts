// Adding a check is one recipe: its module in src/checks/<id>.ts, registered in index.ts, its table
// test/checks/<id>.test.ts and its page docs/checks/<id>.md (npm run docs). The guard is tested on
// made-up trees, one broken step at a time, then run on the real one.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../../src/checks/index.js';
import type { Check, DataplaneCheck } from '../../src/checks/types.js';
import { registryProblems, SHARED_MODULES, type CheckTree } from '../support/check-registry.js';
import { loadTables, TABLES_DIR, type RecordedCase, type RecordedTable } from '../support/check-tables.js';

const texts = { severity: 'error', title: 'T', explanation: 'E', fix: 'F', messages: {} } as const;
const alpha: Check = { id: 'alpha', ...texts, appliesToServices: { backends: ['selector'] }, run: () => [] };
/** alpha under another id. */
const alfa: Check = { ...alpha, id: 'alfa' };
const beta: DataplaneCheck = { id: 'beta', ...texts, run: () => [] };
const mustFire: RecordedCase[] = [
  {
    name: 'fires',
    input: { objects: [], lacks: [] },
    docsExample: false,
    findings: () => [],
  },
];

/** A tree that follows the recipe: a Service check and a probe check. */
function tree(change: Partial<CheckTree> = {}): CheckTree {
  return {
    sources: ['alpha.ts', 'beta.ts', ...SHARED_MODULES],
    exports: new Map([
      ['alpha.ts', { alpha, helper: () => 1 }],
      ['beta.ts', { beta }],
    ]),
    registry: { checks: [alpha], dataplaneChecks: [beta], connectChecks: [], fromChecks: [] },
    tables: new Map<string, RecordedTable[]>([
      ['alpha.test.ts', [{ tester: 'rule-tester', check: alpha, mustFire }]],
      ['beta.test.ts', [{ tester: 'dataplane-tester', check: beta, mustFire }]],
    ]),
    pages: ['alpha.md', 'beta.md'],
    ...change,
  };
}

describe('the registry guard, on made-up trees', () => {
  it('finds nothing wrong with a tree that follows the recipe', () => {
    expect(registryProblems(tree())).toEqual([]);
  });

  it.each([
    {
      broken: "a check's id that is not its file name",
      change: {
        exports: new Map([...tree().exports, ['alpha.ts', { alfa }]]),
        registry: { checks: [alfa], dataplaneChecks: [beta], connectChecks: [], fromChecks: [] },
        tables: new Map([
          ...tree().tables,
          ['alpha.test.ts', [{ tester: 'rule-tester' as const, check: alfa, mustFire }]],
        ]),
      },
      problem: 'src/checks/alpha.ts exports the check "alfa": its id must be its file name',
    },
    {
      broken: 'a module of src/checks/ without a check',
      change: {
        sources: [...tree().sources, 'ports.ts'],
        exports: new Map([...tree().exports, ['ports.ts', { helper: () => 1 }]]),
      },
      problem: 'src/checks/ports.ts exports 0 checks; a check module exports exactly one',
    },
    {
      broken: 'a module with two checks',
      change: { exports: new Map([...tree().exports, ['alpha.ts', { alpha, alfa }]]) },
      problem: 'src/checks/alpha.ts exports 2 checks; a check module exports exactly one',
    },
    {
      broken: 'a check left out of index.ts',
      change: { registry: { checks: [], dataplaneChecks: [beta], connectChecks: [], fromChecks: [] } },
      problem:
        'alpha is not registered in src/checks/index.ts (CHECKS, DATAPLANE_CHECKS, CONNECT_CHECKS or FROM_CHECKS)',
    },
    {
      broken: 'a check registered twice',
      change: { registry: { checks: [alpha, alpha], dataplaneChecks: [beta], connectChecks: [], fromChecks: [] } },
      problem: '"alpha" is registered twice in src/checks/index.ts',
    },
    {
      broken: 'a registered check without its module',
      change: { sources: ['beta.ts', ...SHARED_MODULES], pages: ['beta.md'] },
      problem: 'src/checks/index.ts registers "alpha", which no module of src/checks/ exports as its check',
    },
    {
      broken: 'a check without its table file',
      change: { tables: new Map([...tree().tables].filter(([file]) => file !== 'alpha.test.ts')) },
      problem: 'alpha has no table test/checks/alpha.test.ts',
    },
    {
      broken: 'a table file that hands no table of its check to a tester',
      change: { tables: new Map([...tree().tables, ['alpha.test.ts', []]]) },
      problem:
        'test/checks/alpha.test.ts gives no table of alpha to the rule tester (test/support/rule-tester.ts), the dataplane tester, the connect tester or the from tester',
    },
    {
      broken: "a table of another check than its file's",
      change: {
        tables: new Map([
          ...tree().tables,
          ['alpha.test.ts', [{ tester: 'dataplane-tester' as const, check: beta, mustFire }]],
        ]),
      },
      problem:
        'test/checks/alpha.test.ts gives no table of alpha to the rule tester (test/support/rule-tester.ts), the dataplane tester, the connect tester or the from tester',
    },
    {
      broken: 'a probe check tested with the rule tester',
      change: {
        tables: new Map([
          ...tree().tables,
          ['beta.test.ts', [{ tester: 'rule-tester' as const, check: beta as unknown as Check, mustFire }]],
        ]),
      },
      problem:
        'test/checks/beta.test.ts tests beta with the rule-tester, but beta is in DATAPLANE_CHECKS, whose checks use the dataplane-tester',
    },
    {
      broken: 'a table without a must-fire case',
      change: {
        tables: new Map([
          ...tree().tables,
          ['alpha.test.ts', [{ tester: 'rule-tester' as const, check: alpha, mustFire: [] }]],
        ]),
      },
      problem: 'test/checks/alpha.test.ts has no must-fire case (its docs page shows one)',
    },
    {
      broken: 'a check without its docs page',
      change: { pages: ['beta.md'] },
      problem: 'alpha has no docs page docs/checks/alpha.md (npm run docs)',
    },
    {
      broken: 'a page of a check that is gone',
      change: { pages: ['alpha.md', 'beta.md', 'gamma.md'] },
      problem: 'docs/checks/gamma.md documents no check (npm run docs removes it)',
    },
    {
      broken: 'a file in src/checks/ that is no TypeScript module',
      change: { sources: [...tree().sources, 'notes.md'] },
      problem:
        'src/checks/notes.md is no check module (one .ts file per check, besides helpers.ts, index.ts, types.ts)',
    },
  ])('reports $broken', ({ change, problem }) => {
    expect(registryProblems(tree(change))).toEqual([problem]);
  });
});

const CHECKS_DIR = join(import.meta.dirname, '../../src/checks');
const PAGES_DIR = join(import.meta.dirname, '../../docs/checks');

async function realTree(): Promise<CheckTree> {
  const sources = readdirSync(CHECKS_DIR);
  const modules = sources.filter((file) => file.endsWith('.ts') && !SHARED_MODULES.includes(file));
  const exports = new Map<string, Record<string, unknown>>();
  for (const file of modules) exports.set(file, (await import(join(CHECKS_DIR, file))) as Record<string, unknown>);
  const tableFiles = modules.map((file) => file.replace(/\.ts$/, '.test.ts'));
  return {
    sources,
    exports,
    registry: {
      checks: CHECKS,
      dataplaneChecks: DATAPLANE_CHECKS,
      connectChecks: CONNECT_CHECKS,
      fromChecks: FROM_CHECKS,
    },
    tables: await loadTables(tableFiles.filter((file) => existsSync(join(TABLES_DIR, file)))),
    pages: existsSync(PAGES_DIR) ? readdirSync(PAGES_DIR) : [],
  };
}

describe('the checks of src/checks/', () => {
  it('follow the recipe: module, registration, table, docs page', async () => {
    const checkTree = await realTree();
    expect(checkTree.exports.size).toBe(
      CHECKS.length + DATAPLANE_CHECKS.length + CONNECT_CHECKS.length + FROM_CHECKS.length,
    );
    expect(registryProblems(checkTree)).toEqual([]);
  });
});
