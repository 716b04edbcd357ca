// `npm run build`'s last step: dist/build-info.json names the commit dist/ was built from, which
// src/core/version.ts reads for --version. Rewritten at every build, so that a build outside a
// checkout does not keep an earlier build's commit.

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sourceCommit } from './source-info.js';

const ROOT = resolve(import.meta.dirname, '..');
writeFileSync(join(ROOT, 'dist', 'build-info.json'), JSON.stringify({ commit: sourceCommit(ROOT) }) + '\n');
