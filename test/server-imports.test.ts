// The test API server stands apart from the code it helps test: were it to parse selectors or read
// snapshots with src/'s modules, a bug there would pass the tests on both sides. Nothing under
// test/server/ imports from src/, directly or through another file of the project.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER = join(ROOT, 'test/server');

/** The project files `file` imports, type imports included. */
function projectImports(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

/** Every file reached from `start` through project imports, with the chain that reaches it. */
function reachable(start: string[]): Map<string, string[]> {
  const chains = new Map(start.map((f) => [f, [f]]));
  const queue = [...start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const next of projectImports(file)) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(file)!, next]);
      if (!next.startsWith(join(ROOT, 'src/'))) queue.push(next);
    }
  }
  return chains;
}

/** Chains of imports from `files` that end in src/, as "a.ts → b.ts → src/x.ts". */
function chainsIntoSrc(files: string[]): string[] {
  return [...reachable(files)]
    .filter(([file]) => file.startsWith(join(ROOT, 'src/')))
    .map(([, chain]) => chain.map((f) => relative(ROOT, f)).join(' → '));
}

describe('test/server/', () => {
  const files = readdirSync(SERVER)
    .filter((n) => n.endsWith('.ts'))
    .map((n) => join(SERVER, n));

  it('imports nothing from src/, directly or through other project files', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(chainsIntoSrc(files)).toEqual([]);
  });

  it('(the check finds such imports: a test of the renderer imports src/)', () => {
    expect(chainsIntoSrc([join(ROOT, 'test/render-tree.test.ts')])).toContain(
      'test/render-tree.test.ts → src/render/tree.ts',
    );
  });
});
