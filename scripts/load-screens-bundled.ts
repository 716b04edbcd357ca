// Stands in for src/ui/load-screens.ts in the release bundle (see scripts/package.ts): the terminal
// UI is the ES module file endpoints-doctor-ui.mjs next to the executable, loaded only
// when --watch draws on a terminal or --interactive runs.

import { realpathSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Screens } from '../src/ui/load-screens.js';
import { InputError } from '../src/core/errors.js';

export type { Screens };

export const UI_FILE = 'endpoints-doctor-ui.mjs';

export async function loadScreens(): Promise<Screens> {
  // kubectl and krew run the plugin through a symlink: the UI file is next to the real file.
  // __filename is the bundle (Node resolves the main script's symlinks) or, in the standalone
  // executable, the executable itself.
  const file = join(dirname(realpathSync(__filename)), UI_FILE);
  try {
    return (await importFile(pathToFileURL(file).href)) as Screens;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new InputError(
      `the terminal UI file ${file} is missing: install the whole release archive next to the plugin`,
    );
  }
}

/**
 * import() of a file. Written as `import(url)` in the bundle it would fail in the standalone
 * executable: Node 20 compiles a single executable application's main script from its code cache
 * without a dynamic import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). Code compiled by
 * Node's CommonJS loader has one, in the executable as everywhere.
 */
function importFile(url: string): Promise<unknown> {
  const importer = new Module(__filename) as Module & { _compile(source: string, filename: string): void };
  importer._compile('module.exports = (url) => import(url);', __filename);
  return (importer.exports as (url: string) => Promise<unknown>)(url);
}
