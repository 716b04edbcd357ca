// The pipeline's layers, imported one way only: a module imports its own layer or the layers
// before it, never one after it, and no import chain comes back to where it started.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

/** The layers in the order data flows; the files at src/'s top (argv, cli, completion) come last. */
const LAYERS = ['core', 'sources', 'model', 'checks', 'report', 'render', 'ui', 'commands', '.'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function layerOf(file: string): string {
  const path = relative(SRC, file);
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : '.';
}

/** The project files `file` imports (types included: a type import is a dependency too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const path = resolve(dirname(file), name).replace(/\.js$/, '');
      return [`${path}.ts`, `${path}.tsx`].find((candidate) => FILES.has(candidate)) ?? `${path}.ts`;
    });
}

const FILES = new Set(sourceFiles(SRC));
const GRAPH = new Map([...FILES].map((f) => [f, importsOf(f)]));

/** Every cycle's files, found by a depth-first search (each cycle reported from its first file). */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of GRAPH.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).concat(next));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...FILES].sort()) if (!state.has(file)) visit(file);
  return found.map((c) => c.map((f) => relative(SRC, f)));
}

describe('src/ layers', () => {
  it('every file of src/ is in a known layer', () => {
    const unknown = [...FILES].map(layerOf).filter((layer) => !LAYERS.includes(layer));
    expect(unknown).toEqual([]);
  });

  it('imports only its own layer or an earlier one', () => {
    const upward: string[] = [];
    for (const [file, imports] of GRAPH) {
      const from = LAYERS.indexOf(layerOf(file));
      for (const target of imports) {
        if (!FILES.has(target)) upward.push(`${relative(SRC, file)} imports a missing ${relative(SRC, target)}`);
        else if (LAYERS.indexOf(layerOf(target)) > from)
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('renderers and the UI take check descriptions from the diagnosis, not from checks/', () => {
    const reads = [...GRAPH]
      .filter(([file]) => ['render', 'ui'].includes(layerOf(file)))
      .flatMap(([file, imports]) =>
        imports.filter((t) => layerOf(t) === 'checks').map((t) => `${relative(SRC, file)} -> ${relative(SRC, t)}`),
      );
    expect(reads).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('finds an upward edge and a cycle when there is one', () => {
    // The test's own machinery, on a graph it knows: checks -> render is upward, a -> b -> a a cycle.
    expect(LAYERS.indexOf('render')).toBeGreaterThan(LAYERS.indexOf('checks'));
    const saved = new Map(GRAPH);
    const a = join(SRC, 'core/errors.ts');
    const b = join(SRC, 'core/objects.ts');
    GRAPH.set(a, [b]);
    GRAPH.set(b, [a]);
    try {
      expect(cycles()).toContainEqual(['core/errors.ts', 'core/objects.ts', 'core/errors.ts']);
    } finally {
      GRAPH.clear();
      for (const [k, v] of saved) GRAPH.set(k, v);
    }
  });
});
