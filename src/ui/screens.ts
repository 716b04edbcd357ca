// Everything the terminal views need, behind one import: `npm run package` builds this module
// (with ink, react and what they import) as a separate ES module file, because ink and yoga-layout
// use top-level await, which the CommonJS bundle cannot hold. See scripts/load-screens-bundled.ts.

export { render } from 'ink';
export { createElement } from 'react';
export { Interactive } from './interactive.js';
export { WatchView } from './watch-view.js';
