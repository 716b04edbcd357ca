// `npm run package [-- --out DIR] [-- --repository URL] [-- --update-manifest] [-- --bundle-only]`:
// bundles the CLI into one file, builds a standalone executable per platform (a Node.js 24 single
// executable application), packs a release archive per os/arch and writes the krew manifest.
// --bundle-only stops after the bundle and its UI file (what `npm run bench` times).
//
// Output (default release/, gitignored):
//   bundle/kubectl-endpoints_doctor            the one-file CLI (CommonJS, needs Node.js >= 20)
//   bundle/endpoints-doctor-ui.mjs             its terminal UI (--watch on a terminal, -i), an ES module
//   standalone-<os>-<arch>/kubectl-endpoints_doctor[.exe]   the same CLI inside that platform's node
//   kubectl-endpoints_doctor_<os>_<arch>.tar.gz   the plugin, its UI file, kubectl_complete-endpoints_doctor
//                                              (not on windows), LICENSE, README.md (and package.json
//                                              with the bundle)
//   krew-manifest.yaml                         every platform with the sha256 of its archive; with
//                                              --update-manifest also written to the repository's root
//
// The archives are reproducible: the same commit gives byte-identical archives on any machine
// (scripts/tar.ts; every file dated SOURCE_DATE_EPOCH or the commit's time), given the pinned
// Node.js binaries (scripts/runtimes.ts, fetched by `npm run fetch-runtimes`). The blobs are made
// by a linux x64 node, so this runs on linux x64 only.

import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, parseArgs } from 'node:util';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { stringify } from 'yaml';
import { UI_FILE } from './load-screens-bundled.js';
import { adhocSign } from './macho.js';
import {
  runtimeBinary,
  SEA_NODE_FLAGS,
  STANDALONE_TARGETS,
  type NodeRuntime,
  type StandaloneTarget,
} from './runtimes.js';
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
  { os: 'windows', arch: 'amd64' },
] as const;
type Platform = (typeof PLATFORMS)[number];
const key = (p: { os: string; arch: string }) => `${p.os}/${p.arch}`;

function archiveName(p: Platform): string {
  return `${PLUGIN}_${p.os}_${p.arch}.tar.gz`;
}

/** The plugin's file name: Windows runs only .exe files as plugins. */
function pluginName(p: { os: string }): string {
  return p.os === 'windows' ? `${PLUGIN}.exe` : PLUGIN;
}

const { values: options } = parseArgs({
  options: {
    out: { type: 'string' },
    repository: { type: 'string' },
    'update-manifest': { type: 'boolean' },
    'bundle-only': { type: 'boolean' },
  },
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
    // Node 21 and later warn (DEP0040) when the built-in punycode is loaded, as tr46 (under
    // client-node's node-fetch) does: the package of the same name, its successor, is bundled.
    b.onResolve({ filter: /^punycode$/ }, () => ({ path: fileURLToPath(import.meta.resolve('punycode/punycode.js')) }));
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
 * The single executable application's blob for a node version, made by a linux x64 node of that
 * version. Without a code cache: V8's differs from run to run (the archives would not be
 * reproducible) and holds only for the CPU and the build it was made on. The main script is
 * named relative to the folder, since the blob records its name.
 */
async function seaBlob(dir: string, maker: NodeRuntime): Promise<string> {
  if (!existsSync(runtimeBinary(maker)))
    throw new Error(`no ${maker.package}@${maker.version}: run npm run fetch-runtimes`);
  const main = 'sea-main.cjs';
  const config = `sea-config-${maker.version}.json`;
  const blob = `sea-${maker.version}.blob`;
  if (!existsSync(join(dir, main))) await build({ ...common, outfile: join(dir, main) });
  writeFileSync(
    join(dir, config),
    JSON.stringify({
      main,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: false,
      useSnapshot: false,
      execArgv: SEA_NODE_FLAGS,
    }),
  );
  await run(runtimeBinary(maker), ['--experimental-sea-config', config], dir);
  return join(dir, blob);
}

const run = async (command: string, args: string[], cwd?: string) => {
  await promisify(execFile)(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
};

/**
 * A Node.js single executable application: the target's node binary with the blob injected
 * (postject: an ELF note, a Mach-O segment NODE_SEA, or a PE resource), and the fuse that tells
 * node to run it flipped. A darwin one is signed again, ad hoc (scripts/macho.ts).
 */
async function standalone(target: StandaloneTarget, blob: string, dir: string): Promise<string> {
  const executable = join(dir, pluginName(target));
  const base = runtimeBinary(target.base);
  if (!existsSync(base))
    throw new Error(`no ${target.base.package}@${target.base.version}: run npm run fetch-runtimes`);
  copyFileSync(base, executable);
  chmodSync(executable, 0o755);
  await run(process.execPath, [
    fileURLToPath(import.meta.resolve('postject/dist/cli.js')),
    executable,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ...(target.os === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ]);
  if (target.os === 'darwin') writeFileSync(executable, adhocSign(readFileSync(executable), PLUGIN));
  if (target.os === 'linux' && target.arch === 'amd64') {
    const check = execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
    if (check !== versionText) throw new Error(`the standalone executable says ${check}, expected ${versionText}`);
  }
  return executable;
}

/** What a platform's archive holds: the completion script is a shell script (not on windows). */
function archiveFiles(platform: Platform, isStandalone: boolean): string[] {
  return [
    pluginName(platform),
    UI_FILE,
    ...(platform.os === 'windows' ? [] : [COMPLETION]),
    ...(isStandalone ? [] : ['package.json']),
    'LICENSE',
    'README.md',
  ];
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function krewManifest(archives: { platform: Platform; sha256: string }[], standalone: Set<string>): string {
  const needsNode = PLATFORMS.filter((p) => !standalone.has(key(p))).map(key);
  const nodeCaveat =
    `On ${needsNode.join(', ')} this plugin needs Node.js 20 or later on PATH ` +
    `(the ${[...standalone].join(', ')} builds are standalone).`;
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
        bin: pluginName(platform),
        files: archiveFiles(platform, standalone.has(key(platform))).map((from) => ({ from, to: '.' })),
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
  if (options['bundle-only']) {
    if (options['update-manifest']) throw new Error('--update-manifest needs the whole build, not --bundle-only');
    console.log(`bundle: ${plugin}, terminal UI ${ui}`);
    return;
  }

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('the standalone builds need linux x64: their blobs are made by a linux x64 node');
  }
  const seaDir = join(out, 'sea');
  mkdirSync(seaDir, { recursive: true });
  const blobs = new Map<string, Promise<string>>();
  const blobFor = (maker: NodeRuntime) => {
    if (!blobs.has(maker.version)) blobs.set(maker.version, seaBlob(seaDir, maker));
    return blobs.get(maker.version)!;
  };
  // The first blob first (it bundles sea-main.cjs); then every injection at once: each is a
  // postject process, so they share the cores.
  await blobFor(STANDALONE_TARGETS[0].blobMaker);
  const executables = new Map(
    await Promise.all(
      STANDALONE_TARGETS.map(async (target) => {
        const dir = join(out, `standalone-${target.os}-${target.arch}`);
        mkdirSync(dir, { recursive: true });
        copyFileSync(ui, join(dir, UI_FILE));
        return [key(target), await standalone(target, await blobFor(target.blobMaker), dir)] as const;
      }),
    ),
  );
  const standaloneBuilt = new Set(executables.keys());

  const file = (name: string, path: string, mode = 0o644): TarEntry => ({ name, data: readFileSync(path), mode });
  const sources: Record<string, string> = {
    [UI_FILE]: ui,
    [COMPLETION]: join(ROOT, 'bin', COMPLETION),
    'package.json': join(bundleDir, 'package.json'),
    LICENSE: join(ROOT, 'LICENSE'),
    'README.md': join(ROOT, 'README.md'),
  };
  const archives: { platform: Platform; sha256: string }[] = [];
  for (const platform of PLATFORMS) {
    const isStandalone = standaloneBuilt.has(key(platform));
    const entries = archiveFiles(platform, isStandalone).map((name) =>
      name === pluginName(platform)
        ? file(name, executables.get(key(platform)) ?? plugin, 0o755)
        : file(name, sources[name], name === COMPLETION ? 0o755 : 0o644),
    );
    const archive = tarGz(entries, mtime);
    writeFileSync(join(out, archiveName(platform)), archive);
    archives.push({ platform, sha256: sha256(archive) });
  }
  const manifest = krewManifest(archives, standaloneBuilt);
  writeFileSync(join(out, 'krew-manifest.yaml'), manifest);
  if (options['update-manifest']) writeFileSync(join(ROOT, 'krew-manifest.yaml'), manifest);

  const size = (path: string) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`;
  console.log(`bundle: ${plugin} (${size(plugin)}), terminal UI ${ui} (${size(ui)})`);
  for (const [platform, executable] of executables)
    console.log(`standalone ${platform}: ${executable} (${size(executable)})`);
  for (const { platform } of archives) console.log(`archive: ${join(out, archiveName(platform))}`);
  console.log(
    `krew manifest: ${join(out, 'krew-manifest.yaml')}${options['update-manifest'] ? ' and krew-manifest.yaml' : ''}`,
  );
}

await main();
