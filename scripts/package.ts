// `npm run package [-- --out DIR] [-- --repository URL] [-- --no-standalone]`: bundles the CLI
// into one file, builds a standalone Linux amd64 executable when this machine can (a Node single
// executable application), packs a release archive per os/arch and writes the krew manifest.
//
// Output (default release/, gitignored):
//   bundle/kubectl-endpoints_doctor            the one-file CLI (CommonJS, needs Node.js >= 20)
//   bundle/endpoints-doctor-ui.mjs             its terminal UI (--watch on a terminal, -i), an ES module
//   standalone-linux-amd64/kubectl-endpoints_doctor   the same CLI inside a node binary
//   kubectl-endpoints_doctor_<os>_<arch>.tar.gz   the plugin, its UI file, kubectl_complete-endpoints_doctor,
//                                              LICENSE, README.md (and package.json with the bundle)
//   krew-manifest.yaml                         every platform with the sha256 of its archive
//
// The archives are reproducible: the same commit gives byte-identical archives on any machine
// (scripts/tar.ts; every file dated SOURCE_DATE_EPOCH or the commit's time). The linux/amd64 one
// holds the standalone executable, built from this machine's node binary: it is the same only
// where that binary is (--no-standalone leaves the bundle in it, as in the others).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { stringify } from 'yaml';
import { UI_FILE } from './load-screens-bundled.js';
import { sourceCommit, sourceDateEpoch } from './source-info.js';
import { tarGz, type TarEntry } from './tar.js';

const ROOT = resolve(import.meta.dirname, '..');
const PLUGIN = 'kubectl-endpoints_doctor';
const COMPLETION = 'kubectl_complete-endpoints_doctor';
// Placeholder until the project has a public home: pass --repository when publishing.
const DEFAULT_REPOSITORY = 'https://github.com/kubectl-endpoints-doctor/kubectl-endpoints-doctor';

const PLATFORMS = [
  { os: 'linux', arch: 'amd64' },
  { os: 'linux', arch: 'arm64' },
  { os: 'darwin', arch: 'amd64' },
  { os: 'darwin', arch: 'arm64' },
] as const;
type Platform = (typeof PLATFORMS)[number];

function archiveName(p: Platform): string {
  return `${PLUGIN}_${p.os}_${p.arch}.tar.gz`;
}

const { values: options } = parseArgs({
  options: { out: { type: 'string' }, repository: { type: 'string' }, 'no-standalone': { type: 'boolean' } },
});
const out = resolve(options.out ?? join(ROOT, 'release'));
const repository = (options.repository ?? DEFAULT_REPOSITORY).replace(/\/+$/, '');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const commit = sourceCommit(ROOT);
/** What the bundle's --version prints (src/core/version.ts). */
const versionText = commit ? `${version} (commit ${commit})` : version;
/** The mtime of every archived file; asked first, since outside a git checkout it may fail. */
const mtime = sourceDateEpoch(ROOT);

/** What every bundle this script builds shares: Node 20, minified, quiet unless something is wrong. */
const forNode: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The require() a Node 20 SEA gives its main script loads built-in modules only, and warns on
 * stderr at the first other name: a "node:"-prefixed one (the bare name loads the same module
 * silently) or an optional dependency that is not installed (debug's supports-color,
 * node-fetch's encoding, ws's bufferutil and utf-8-validate, ink's react-devtools-core, loaded
 * only with DEV=true), which becomes a module that throws, as a missing one would.
 */
const builtinsOnly: Plugin = {
  name: 'builtins-only',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path.slice('node:'.length), external: true }));
    b.onResolve({ filter: /^(supports-color|encoding|bufferutil|utf-8-validate|react-devtools-core)$/ }, (args) => ({
      path: args.path,
      namespace: 'missing',
    }));
    b.onLoad({ filter: /.*/, namespace: 'missing' }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`,
    }));
  },
};

/**
 * client-node, compiled only when a command reaches a cluster. The CLI needs only KubeConfig,
 * and for `probe` Exec and CoreV1Api (not the index, which pulls in every generated API);
 * even so that is about 1.5 MB, which Node would parse at every start, --version included.
 * So it is bundled apart and carried as a string, which costs next to nothing to load, and
 * compiled by the first `import('@kubernetes/client-node')`.
 */
async function deferredClientNode(): Promise<Plugin> {
  const built = await build({
    stdin: {
      contents: [
        "export { KubeConfig } from '@kubernetes/client-node/dist/config.js';",
        "export { Exec } from '@kubernetes/client-node/dist/exec.js';",
        "export { ObjectCoreV1Api as CoreV1Api } from '@kubernetes/client-node/dist/gen/types/ObjectParamAPI.js';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'js',
    },
    ...forNode,
    format: 'cjs',
    plugins: [builtinsOnly],
    write: false,
  });
  const source = built.outputFiles[0].text;
  return {
    name: 'deferred-client-node',
    setup(b) {
      b.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) => ({ path: args.path, namespace: 'deferred' }));
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, () => ({
        loader: 'js',
        contents:
          `new Function('module', 'exports', 'require', ${JSON.stringify(source)})` +
          '(module, module.exports, require);',
      }));
    },
  };
}

/** src/ui/load-screens.ts, which imports the terminal UI, becomes the loader of the UI file. */
const screensFromFile: Plugin = {
  name: 'screens-from-file',
  setup(b) {
    b.onResolve({ filter: /\/ui\/load-screens\.js$/ }, () => ({ path: join(ROOT, 'scripts/load-screens-bundled.ts') }));
  },
};

// CommonJS: Node compiles a CommonJS file lazily, function by function, but an ES module
// eagerly, which showed as tens of milliseconds more at every start; and a SEA runs only CommonJS.
const common: BuildOptions = {
  ...forNode,
  entryPoints: [join(ROOT, 'scripts/entry.ts')],
  format: 'cjs',
  // src/core/version.ts reads the version from package.json and the commit from dist/ unless
  // these are defined; its import.meta (empty in CommonJS) then serves nothing.
  define: {
    ENDPOINTS_DOCTOR_VERSION: JSON.stringify(version),
    ENDPOINTS_DOCTOR_COMMIT: JSON.stringify(commit ?? ''),
  },
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [builtinsOnly, screensFromFile, await deferredClientNode()],
};

/**
 * The terminal UI (ink, react, src/ui) as an ES module file beside the executable: ink and
 * yoga-layout use top-level await, which a CommonJS bundle cannot hold. Loaded only by --watch on
 * a terminal and --interactive, so it costs the other commands nothing.
 */
async function uiFile(dir: string): Promise<string> {
  const file = join(dir, UI_FILE);
  await build({
    ...forNode,
    entryPoints: [join(ROOT, 'src/ui/screens.ts')],
    format: 'esm',
    outfile: file,
    define: { 'process.env.NODE_ENV': '"production"' },
    // The CommonJS packages inside (react, signal-exit's users) call require(): give them one.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    plugins: [builtinsOnly],
  });
  return file;
}

/** The CLI as one file with a node shebang. */
async function bundle(dir: string): Promise<string> {
  const file = join(dir, PLUGIN);
  await build({ ...common, outfile: file, banner: { js: '#!/usr/bin/env node' } });
  chmodSync(file, 0o755);
  // An extension-less file is CommonJS unless a package.json above it says "type": "module"
  // (as this repository's does): this one says otherwise, wherever the file is unpacked.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  return file;
}

/**
 * A Node 20 single executable application: this machine's node binary with the CLI injected.
 * The same bundle without the shebang is its main script. Only when building on linux x64,
 * since the base binary is process.execPath.
 */
async function standalone(dir: string): Promise<string> {
  const main = join(dir, 'sea-main.cjs');
  const blob = join(dir, 'sea-prep.blob');
  const executable = join(dir, PLUGIN);
  await build({ ...common, outfile: main });
  writeFileSync(
    join(dir, 'sea-config.json'),
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', join(dir, 'sea-config.json')], { stdio: 'pipe' });
  copyFileSync(process.execPath, executable);
  execFileSync(
    process.execPath,
    [
      fileURLToPath(import.meta.resolve('postject/dist/cli.js')),
      executable,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    { stdio: 'pipe' },
  );
  const check = execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  if (check !== versionText) throw new Error(`the standalone executable says ${check}, expected ${versionText}`);
  return executable;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function krewManifest(archives: { platform: Platform; sha256: string }[], standalone: Set<string>): string {
  const needsNode = PLATFORMS.filter((p) => !standalone.has(`${p.os}/${p.arch}`)).map((p) => `${p.os}/${p.arch}`);
  const nodeCaveat =
    needsNode.length === PLATFORMS.length
      ? 'This plugin needs Node.js 20 or later on PATH.'
      : `On ${needsNode.join(', ')} this plugin needs Node.js 20 or later on PATH ` +
        `(the ${[...standalone].join(', ')} build is standalone).`;
  const manifest = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'endpoints-doctor' },
    spec: {
      version: `v${version}`,
      homepage: repository,
      shortDescription: 'Explain why a Service does not reach its Pods',
      description: [
        'Follows each Service from its selector to its Pods, their readiness, the target',
        'ports and the EndpointSlices kube-proxy reads, and says where the chain breaks,',
        'which Pods are involved and why, and what to do about it. Reads only; works on a',
        'live cluster or on a snapshot file. Exit codes and JSON output suit CI jobs.',
        '',
      ].join('\n'),
      caveats: [
        nodeCaveat,
        '',
        'Shell completion (kubectl 1.26+): put kubectl_complete-endpoints_doctor on PATH, e.g.',
        '  ln -s "${KREW_ROOT:-$HOME/.krew}/store/endpoints-doctor/v' +
          version +
          '/kubectl_complete-endpoints_doctor" "${KREW_ROOT:-$HOME/.krew}/bin/"',
        '',
      ].join('\n'),
      platforms: archives.map(({ platform, sha256 }) => ({
        selector: { matchLabels: { os: platform.os, arch: platform.arch } },
        uri: `${repository}/releases/download/v${version}/${archiveName(platform)}`,
        sha256,
        bin: PLUGIN,
        files: [
          PLUGIN,
          UI_FILE,
          COMPLETION,
          ...(standalone.has(`${platform.os}/${platform.arch}`) ? [] : ['package.json']),
          'LICENSE',
          'README.md',
        ].map((from) => ({ from, to: '.' })),
      })),
    },
  };
  return stringify(manifest, { lineWidth: 0 });
}

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const bundleDir = join(out, 'bundle');
  mkdirSync(bundleDir, { recursive: true });
  const plugin = await bundle(bundleDir);
  const ui = await uiFile(bundleDir);

  const standaloneBuilt = new Set<string>();
  let standaloneExecutable: string | undefined;
  if (process.platform === 'linux' && process.arch === 'x64' && !options['no-standalone']) {
    const seaDir = join(out, 'standalone-linux-amd64');
    mkdirSync(seaDir, { recursive: true });
    standaloneExecutable = await standalone(seaDir);
    copyFileSync(ui, join(seaDir, UI_FILE));
    standaloneBuilt.add('linux/amd64');
  }

  const file = (name: string, path: string, mode = 0o644): TarEntry => ({ name, data: readFileSync(path), mode });
  const archives: { platform: Platform; sha256: string }[] = [];
  for (const platform of PLATFORMS) {
    const isStandalone = standaloneBuilt.has(`${platform.os}/${platform.arch}`);
    const entries = [
      file(PLUGIN, isStandalone ? standaloneExecutable! : plugin, 0o755),
      file(UI_FILE, ui),
      file(COMPLETION, join(ROOT, 'bin', COMPLETION), 0o755),
      ...(isStandalone ? [] : [file('package.json', join(bundleDir, 'package.json'))]),
      file('LICENSE', join(ROOT, 'LICENSE')),
      file('README.md', join(ROOT, 'README.md')),
    ];
    const archive = tarGz(entries, mtime);
    writeFileSync(join(out, archiveName(platform)), archive);
    archives.push({ platform, sha256: sha256(archive) });
  }
  writeFileSync(join(out, 'krew-manifest.yaml'), krewManifest(archives, standaloneBuilt));

  const size = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`;
  console.log(`bundle: ${plugin} (${size(plugin)}), terminal UI ${ui} (${size(ui)})`);
  if (standaloneExecutable)
    console.log(`standalone linux/amd64: ${standaloneExecutable} (${size(standaloneExecutable)})`);
  for (const { platform } of archives) console.log(`archive: ${join(out, archiveName(platform))}`);
  console.log(`krew manifest: ${join(out, 'krew-manifest.yaml')}`);
}

await main();
