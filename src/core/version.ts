// The plugin's version, and the User-Agent its requests carry.

import { createRequire } from 'node:module';
import { endianness } from 'node:os';

// The single-file bundle (scripts/package.ts) has no package.json or dist/build-info.json beside
// it: esbuild defines these (the commit as '' when it was built outside a git checkout).
declare const ENDPOINTS_DOCTOR_VERSION: string | undefined;
declare const ENDPOINTS_DOCTOR_COMMIT: string | undefined;

const VERSION: string =
  typeof ENDPOINTS_DOCTOR_VERSION === 'string'
    ? ENDPOINTS_DOCTOR_VERSION
    : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * The commit dist/ was built from: dist/build-info.json, which `npm run build` writes
 * (scripts/write-build-info.ts). A file read rather than git run, so that --version starts no
 * process. Undefined when the build did not know it, or dist/ was built by tsc alone.
 */
function builtCommit(): string | undefined {
  try {
    return (createRequire(import.meta.url)('../build-info.json') as { commit?: string }).commit;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * What --version prints: `0.1.0 (commit 0123456789ab)`, the version and the commit of the build
 * (kubectl's `version` names its gitCommit too), `-dirty` after it when tracked files had changes;
 * the version alone when the commit is unknown.
 */
export function versionText(): string {
  const commit = typeof ENDPOINTS_DOCTOR_COMMIT === 'string' ? ENDPOINTS_DOCTOR_COMMIT : builtCommit();
  return commit ? `${VERSION} (commit ${commit})` : VERSION;
}

/** Node's names for an OS and an architecture where Go's (GOOS, GOARCH), which kubectl reports, differ. */
const GO_OS: Partial<Record<string, string>> = { win32: 'windows', sunos: 'solaris' };
const GO_ARCH: Partial<Record<string, string>> = { x64: 'amd64', ia32: '386', mipsel: 'mipsle' };

function goArch(): string {
  // Node says ppc64 on both byte orders; Go's linux/ppc64le is the common one.
  if (process.arch === 'ppc64') return endianness() === 'LE' ? 'ppc64le' : 'ppc64';
  return GO_ARCH[process.arch] ?? process.arch;
}

/**
 * `kubectl-endpoints_doctor/v0.1.0 (linux/amd64)`: the form of kubectl's own
 * (`kubectl/v1.31.0 (linux/amd64) kubernetes/COMMIT`, client-go's DefaultKubernetesUserAgent),
 * so the API server's audit log and its per-client metrics name the plugin.
 */
export const USER_AGENT = `kubectl-endpoints_doctor/v${VERSION} (${GO_OS[process.platform] ?? process.platform}/${goArch()})`;
