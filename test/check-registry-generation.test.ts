// A new check is one module plus its table: `npm run docs` writes the registry (src/checks/index.ts)
// and the page from them. Shown on a made-up check added to the real ones: the registry guard
// finds nothing missing once the generator has run, and the report order of the checks already
// registered does not move.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check, DataplaneCheck } from '../src/checks/types.js';
import {
  checkModules,
  listOf,
  registeredNames,
  registryModule,
  type CheckModule,
} from '../scripts/generate-registry.js';
import { registryProblems, SHARED_MODULES } from './support/check-registry.js';
import { loadTables, type RecordedCase } from './support/check-tables.js';

const ROOT = join(import.meta.dirname, '..');
const CHECKS_DIR = join(ROOT, 'src/checks');
const REGISTRY = readFileSync(join(CHECKS_DIR, 'index.ts'), 'utf8');

const texts = { severity: 'warning', title: 'T', explanation: 'E', fix: 'F', messages: {} } as const;
const madeUp: Check = { id: 'made-up', ...texts, appliesToServices: { backends: ['selector'] }, run: () => [] };
const madeUpProbe: DataplaneCheck = { id: 'a-made-up-probe', ...texts, run: () => [] };
const mustFire: RecordedCase[] = [
  { name: 'fires', input: { objects: [], lacks: [] }, docsExample: false, findings: () => [] },
];

const real = await checkModules(CHECKS_DIR);
const module = (file: string, exportName: string, check: Check | DataplaneCheck): CheckModule => ({
  file,
  exportName,
  check,
});

describe('the generated registry', () => {
  it('lists every check module of src/checks/, in the order the committed registry gives', () => {
    const names = registeredNames(registryModule(real, REGISTRY));
    expect(names).toEqual(registeredNames(REGISTRY));
    expect(names).toHaveLength(readdirSync(CHECKS_DIR).filter((f) => !SHARED_MODULES.includes(f)).length);
  });

  it('puts a new check last in its list, whatever its name, and keeps the others in place', () => {
    const added = [
      ...real,
      module('made-up.ts', 'madeUp', madeUp),
      module('a-made-up-probe.ts', 'aMadeUpProbe', madeUpProbe),
    ];
    const generated = registryModule(added, REGISTRY);
    const before = registeredNames(REGISTRY);
    const after = registeredNames(generated);
    const serviceChecks = real.filter((m) => listOf(m.check) === 'service').length;
    const probeChecks = real.filter((m) => listOf(m.check) === 'dataplane').length;
    expect(after).toEqual([
      ...before.slice(0, serviceChecks),
      'madeUp',
      ...before.slice(serviceChecks, serviceChecks + probeChecks),
      'aMadeUpProbe',
      ...before.slice(serviceChecks + probeChecks),
    ]);
    expect(generated).toContain("import { madeUp } from './made-up.js';");
  });

  it('keeps an order changed by hand, and drops a check whose module is gone', () => {
    const [first, second] = registeredNames(REGISTRY);
    const swapped = REGISTRY.replace(`  ${first},\n  ${second},\n`, `  ${second},\n  ${first},\n`);
    expect(swapped).not.toBe(REGISTRY);
    expect(registeredNames(registryModule(real, swapped)).slice(0, 2)).toEqual([second, first]);
    const withoutFirst = registryModule(
      real.filter((m) => m.exportName !== first),
      REGISTRY,
    );
    expect(registeredNames(withoutFirst)).not.toContain(first);
    expect(registeredNames(withoutFirst)[0]).toBe(second);
  });

  it('a made-up check with its table passes the registry guard once npm run docs has run', async () => {
    const added = [...real, module('made-up.ts', 'madeUp', madeUp)];
    const byName = new Map(added.map((m) => [m.exportName, m.check]));
    const registered = registeredNames(registryModule(added, REGISTRY)).map((name) => byName.get(name));
    const files = real.map((m) => m.file.replace(/\.ts$/, '.test.ts'));
    const tables = await loadTables(files);
    tables.set('made-up.test.ts', [{ tester: 'rule-tester', check: madeUp, mustFire }]);
    const problems = registryProblems({
      sources: [...readdirSync(CHECKS_DIR), 'made-up.ts'],
      exports: new Map(added.map((m) => [m.file, { [m.exportName]: m.check }])),
      registry: {
        checks: registered.filter((check) => check && listOf(check) === 'service'),
        dataplaneChecks: registered.filter((check) => check && listOf(check) === 'dataplane'),
        connectChecks: registered.filter((check) => check && listOf(check) === 'connect'),
        fromChecks: registered.filter((check) => check && listOf(check) === 'from'),
      },
      tables,
      // npm run docs writes a page per module it finds.
      pages: added.map((m) => `${m.check.id}.md`),
    });
    expect(problems).toEqual([]);
  });
});
