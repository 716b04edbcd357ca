// The plugin's version, and the User-Agent its requests carry.

import { createRequire } from 'node:module';
import { endianness } from 'node:os';

// The single-file bundle (scripts/package.ts) has no package.json beside it: esbuild defines this.
declare const ENDPOINTS_DOCTOR_VERSION: string | undefined;

export const VERSION: string =
  typeof ENDPOINTS_DOCTOR_VERSION === 'string'
    ? ENDPOINTS_DOCTOR_VERSION
    : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

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
