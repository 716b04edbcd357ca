// `npm run fetch-runtimes`: puts the pinned Node.js binaries of the standalone builds
// (scripts/runtimes.ts) in the cache, from npm's own cache when it has them, checked against the
// pinned integrity. .ci/run calls it, so that no test waits on the registry.

import { allRuntimes, fetchRuntime } from './runtimes.js';

for (const runtime of allRuntimes()) {
  console.log(`${runtime.package}@${runtime.version}: ${fetchRuntime(runtime)}`);
}
