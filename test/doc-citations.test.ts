// Comments and test names cite the project's reference docs by anchor
// (docs/kubernetes-semantics.md#headless-services): every such citation must land on a heading,
// and nothing may cite a section of a document that is not in the repository.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|tsx|md)$/.test(entry.name) ? [path] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function anchorsOf(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => anchor(m[1])));
}

const SOURCES = ['src', 'test', 'bench', 'scripts', 'examples'].flatMap((d) => files(join(ROOT, d)));

describe('citations of the reference docs', () => {
  it('every docs/NAME.md#anchor names a heading of that document', () => {
    const anchors = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const file of SOURCES) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/docs\/([a-z-]+\.md)#([a-z0-9-]+)/g)) {
        const doc = `docs/${m[1]}`;
        if (!anchors.has(doc)) anchors.set(doc, anchorsOf(doc));
        if (!anchors.get(doc)!.has(m[2])) broken.push(`${relative(ROOT, file)}: ${m[0]}`);
      }
    }
    expect(anchors.size).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it('no section number of a document outside the repository (a section sign and a number)', () => {
    const cited = SOURCES.filter((file) => readFileSync(file, 'utf8').includes('\u00a7')).map((f) => relative(ROOT, f));
    expect(cited).toEqual([]);
  });
});
