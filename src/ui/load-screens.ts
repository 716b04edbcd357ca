// The one place the CLI loads the terminal UI (--watch on a terminal, --interactive). In the
// release bundle this module is replaced by scripts/load-screens-bundled.ts, which loads the UI
// file shipped next to the executable.

export type Screens = typeof import('./screens.js');

export function loadScreens(): Promise<Screens> {
  return import('./screens.js');
}
