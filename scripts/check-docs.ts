// `npm run docs`: writes each check's page (docs/checks/<id>.md), the examples `explain` prints
// (src/report/check-examples.ts) and the README's check tables, from the checks and their tables
// (see generate-docs.ts); removes the pages of checks that no longer exist.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedDocs, orphanPages, ROOT } from './generate-docs.js';

for (const { path, content } of await generatedDocs()) {
  const file = join(ROOT, path);
  if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote ${path}`);
}
for (const path of orphanPages()) {
  rmSync(join(ROOT, path));
  console.log(`removed ${path}`);
}
