// Distribution: `npm run package` (bundle, standalone executable, release archives, krew
// manifest) checked by krew's rules and run by the real kubectl; and what `npm pack` ships.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkSignature, CPU_TYPE_X86_64, readMachO } from '../scripts/macho.js';
import { allRuntimes, runtimeBinary, runtimeCache, SEA_NODE_FLAGS } from '../scripts/runtimes.js';
import { sourceCommit } from '../scripts/source-info.js';
import { readTarGz, type TarEntry } from '../scripts/tar.js';
import { isJsonArray, isJsonObject, stringAt, valueAt } from '../src/core/json-value.js';
import type { Report } from '../src/report/report.js';
import { startTestServer, type ExecHandler, type TestServer } from './server/index.js';
import { runCliAsync, type CliResult } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { generateKubeProxyRules } from './support/kube-proxy-rules.js';
import { endpointOf, node, pod, service, slice, type Raw } from './support/objects.js';
import { applyWithControllers, eventually } from './support/watching.js';

const ROOT = resolve(import.meta.dirname, '..');
/** package.json: the fields these tests read. */
interface PackageJson {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  engines: Record<string, string>;
}
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const { version } = PACKAGE;
/** What the released plugin's --version prints: the version and the commit it was bundled from. */
const commit = sourceCommit(ROOT);
const versionText = commit ? `${version} (commit ${commit})` : version;
const NODE_DIR = dirname(process.execPath);
const TARGETS = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];
/** Built standalone: every platform but darwin/arm64, which has no Node 24 on the registry. */
const STANDALONE = TARGETS.filter((t) => t !== 'darwin/arm64');
const archiveName = (platform: string) => `kubectl-endpoints_doctor_${platform.replace('/', '_')}.tar.gz`;
const pluginName = (platform: string) =>
  platform.startsWith('windows/') ? 'kubectl-endpoints_doctor.exe' : 'kubectl-endpoints_doctor';
// The blobs of the standalone builds are made by a linux x64 node (scripts/package.ts).
const buildHost = process.platform === 'linux' && process.arch === 'x64';
if (!buildHost) console.warn('package: npm run package skipped: it builds on linux x64 only');
const missingRuntimes = allRuntimes().filter((r) => !existsSync(runtimeBinary(r)));
if (missingRuntimes.length > 0) {
  // Not skipped: CI fetches them (.ci/run), and a release must not be judged without them.
  console.warn(
    `package: no ${missingRuntimes.map((r) => `${r.package}@${r.version}`).join(', ')}: npm run fetch-runtimes`,
  );
}
// linux/arm64 runs under qemu-user with Debian's arm64 cross libraries (.ci/run installs both).
// Named by its path: the runs have a PATH without it.
const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim();
const QEMU_ARM64 = [qemu, '-L', '/usr/aarch64-linux-gnu'];
const hasQemu = qemu !== '' && existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1');
if (!hasQemu)
  console.warn(
    'package: linux/arm64 not run: no qemu-aarch64 or /usr/aarch64-linux-gnu (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross)',
  );
const UI_FILE = 'endpoints-doctor-ui.mjs';
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('package: the -i tests of the released plugin skipped: tmux is not installed');

function run(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

function extract(archive: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-archive-'));
  for (const entry of readTarGz(readFileSync(archive))) {
    mkdirSync(dirname(join(dir, entry.name)), { recursive: true });
    writeFileSync(join(dir, entry.name), entry.data);
    chmodSync(join(dir, entry.name), entry.mode);
  }
  return dir;
}

// krew's rules (kubernetes-sigs/krew internal/index/validation and cmd/validate-krew-manifest).
const KREW_PLATFORMS = [
  ...['386', 'amd64', 'arm64'].map((a) => `windows/${a}`),
  ...['386', 'amd64', 'arm', 'arm64', 'ppc64le'].map((a) => `linux/${a}`),
  ...['386', 'amd64', 'arm64'].map((a) => `darwin/${a}`),
];
const LICENSE_NAMES = /^(license|license\.txt|license\.md|licenses.*|copying|copying\.txt)$/i;

/** A krew plugin manifest as scripts/package.ts writes it (krew.googlecontainertools.github.com/v1alpha2). */
interface KrewManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    shortDescription: string;
    caveats: string;
    platforms: {
      uri: string;
      sha256: string;
      bin: string;
      files: { from: string; to: string }[];
      selector: { matchLabels: Record<string, string> };
    }[];
  };
}

function matches(selector: unknown, platform: string): boolean {
  const [os, arch] = platform.split('/');
  const labels = valueAt(selector, 'matchLabels');
  return Object.entries(isJsonObject(labels) ? labels : {}).every(([k, v]) =>
    k === 'os' ? v === os : k === 'arch' ? v === arch : false,
  );
}

const entriesCache = new Map<Buffer, TarEntry[]>();
function entriesOf(archive: Buffer): TarEntry[] {
  if (!entriesCache.has(archive)) entriesCache.set(archive, readTarGz(archive));
  return entriesCache.get(archive)!;
}

/** Every rule the manifest breaks; archives maps a platform's uri file name to its bytes. */
function krewErrors(manifest: unknown, archives: Map<string, Buffer>): string[] {
  const errors: string[] = [];
  if (valueAt(manifest, 'apiVersion') !== 'krew.googlecontainertools.github.com/v1alpha2') errors.push('apiVersion');
  if (valueAt(manifest, 'kind') !== 'Plugin') errors.push('kind');
  const name = valueAt(manifest, 'metadata', 'name');
  if (typeof name !== 'string' || !/^[\w-]+$/.test(name)) errors.push('metadata.name');
  const short = valueAt(manifest, 'spec', 'shortDescription');
  if (typeof short !== 'string' || short === '' || /[\r\n]/.test(short)) errors.push('shortDescription');
  const version = valueAt(manifest, 'spec', 'version');
  if (typeof version !== 'string' || !/^v\d+\.\d+\.\d+(-[\w.-]+)?(\+[\w.-]+)?$/.test(version)) errors.push('version');
  const platformList = valueAt(manifest, 'spec', 'platforms');
  const platforms = isJsonArray(platformList) ? platformList : [];
  if (platforms.length === 0) errors.push('platforms');
  for (const [i, p] of platforms.entries()) {
    const at = `platforms[${i}]`;
    const [uri, sha256, bin, files] = ['uri', 'sha256', 'bin', 'files'].map((field) => valueAt(p, field));
    if (typeof uri !== 'string' || uri === '') errors.push(`${at}.uri`);
    if (typeof sha256 !== 'string' || !/^[a-f0-9]{64}$/.test(sha256)) errors.push(`${at}.sha256 format`);
    if (typeof bin !== 'string' || bin === '') errors.push(`${at}.bin`);
    if (files !== undefined && (!isJsonArray(files) || files.length === 0)) errors.push(`${at}.files`);
    const fileList = isJsonArray(files) ? files : [];
    for (const f of fileList) if (!valueAt(f, 'from') || !valueAt(f, 'to')) errors.push(`${at}.files entry`);
    const selector = valueAt(p, 'selector');
    const matchLabels = valueAt(selector, 'matchLabels');
    const keys = isJsonObject(matchLabels) ? Object.keys(matchLabels) : [];
    if (!selector || keys.length === 0 || keys.some((k) => k !== 'os' && k !== 'arch')) errors.push(`${at}.selector`);
    if (!KREW_PLATFORMS.some((t) => matches(selector, t))) errors.push(`${at}.selector matches no platform`);
    // What krew would install: the archive behind the uri, its files, the bin among them.
    const archive = archives.get((typeof uri === 'string' ? uri : '').split('/').at(-1) ?? '');
    if (!archive) {
      errors.push(`${at}.uri names no archive`);
      continue;
    }
    if (createHash('sha256').update(archive).digest('hex') !== sha256) errors.push(`${at}.sha256 differs`);
    const inArchive = new Map(entriesOf(archive).map((e) => [e.name, e]));
    // Without files, krew installs the whole archive ("from: *").
    const froms = files === undefined ? ['*'] : fileList.map((f) => valueAt(f, 'from'));
    const installed = froms.flatMap((from) =>
      from === '*' ? [...inArchive.keys()] : typeof from === 'string' && inArchive.has(from) ? [from] : [],
    );
    for (const from of froms) {
      if (from !== '*' && !(typeof from === 'string' && inArchive.has(from))) errors.push(`${at}: no ${String(from)}`);
    }
    const binEntry = typeof bin === 'string' ? inArchive.get(bin) : undefined;
    if (!binEntry || !installed.includes(binEntry.name) || (binEntry.mode & 0o111) === 0)
      errors.push(`${at}.bin not an executable`);
    if (!installed.some((f) => LICENSE_NAMES.test(f))) errors.push(`${at}: no license file`);
  }
  for (const target of KREW_PLATFORMS) {
    if (platforms.filter((p) => matches(valueAt(p, 'selector'), target)).length > 1)
      errors.push(`${target} matched twice`);
  }
  return errors;
}

const objects = withControllers([
  node('node-a'),
  service('web'),
  pod('web-1'),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' }),
]);

describe.skipIf(!buildHost)('npm run package', { timeout: 600_000 }, () => {
  let out: string;
  let manifest: KrewManifest;
  let builtManifest: string;
  let archives: Map<string, Buffer>;
  let server: TestServer;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'epd-release-'));
    // The runs have a HOME of their own: the runtimes' cache named.
    const build = await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/package.ts', '--out', out], {
      PATH: process.env.PATH ?? '',
      EPD_RUNTIME_CACHE: runtimeCache(),
    });
    if (build.code !== 0) throw new Error(`npm run package failed:\n${build.stderr}`);
    builtManifest = readFileSync(join(out, 'krew-manifest.yaml'), 'utf8');
    manifest = parse(readFileSync(join(out, 'krew-manifest.yaml'), 'utf8')) as KrewManifest;
    archives = new Map(TARGETS.map((t) => [archiveName(t), readFileSync(join(out, archiveName(t)))]));
    server = await startTestServer({ objects });
  }, 600_000);
  afterAll(() => server?.close());

  it('makes an archive per os/arch, each with the plugin, its UI file, its completion, LICENSE and README.md', () => {
    const ui = readFileSync(join(out, 'bundle', UI_FILE));
    for (const [name, archive] of archives) {
      const entries = new Map(readTarGz(archive).map((e) => [e.name, e]));
      const windows = name.includes('_windows_');
      const executables = windows
        ? [pluginName('windows/amd64')]
        : [pluginName('linux/amd64'), 'kubectl_complete-endpoints_doctor'];
      for (const executable of executables) {
        expect(entries.get(executable)?.mode, `${name}: ${executable}`).toBe(0o755);
      }
      // The completion script is a shell script: not for Windows.
      expect(entries.has('kubectl_complete-endpoints_doctor'), name).toBe(!windows);
      expect(entries.get(UI_FILE)?.data, `${name}: ${UI_FILE}`).toEqual(ui);
      expect(entries.get('LICENSE')?.data).toEqual(readFileSync(join(ROOT, 'LICENSE')));
      expect(entries.get('README.md')?.data).toEqual(readFileSync(join(ROOT, 'README.md')));
      expect([...entries.keys()].every((n) => !n.includes('/'))).toBe(true);
    }
  });

  it.skipIf(!commit)(
    'is reproducible: built again from another folder at another time, the archives are the same bytes',
    async () => {
      // Another checkout of the same commit, holding this one's working files (uncommitted changes
      // too, so that the build sees the same -dirty or not), newly written: other file times.
      const clone = mkdtempSync(join(tmpdir(), 'epd-reclone-'));
      const git = (...args: string[]) => spawnSync('git', args, { cwd: clone, encoding: 'utf8' });
      expect(spawnSync('git', ['clone', '--quiet', '--shared', '--no-checkout', ROOT, clone]).status).toBe(0);
      const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
      expect(git('checkout', '--quiet', '--detach', head).status).toBe(0);
      const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      for (const file of listed.stdout.split('\0')) {
        if (!file || file === 'node_modules' || !existsSync(join(ROOT, file))) continue;
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        cpSync(join(ROOT, file), join(clone, file));
      }
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
      // A clock ten years ahead in the build's every Node.js process, and another time zone;
      // the clock module leaves a mark, so that this test knows it ran.
      const mark = join(clone, 'clock-ran');
      const clock = join(clone, 'clock.mjs');
      writeFileSync(
        clock,
        [
          "import { appendFileSync } from 'node:fs';",
          'const ahead = 10 * 365 * 86_400_000;',
          'const RealDate = Date;',
          'globalThis.Date = class extends RealDate {',
          '  constructor(...args) { super(...(args.length ? args : [RealDate.now() + ahead])); }',
          '  static now() { return RealDate.now() + ahead; }',
          '};',
          `appendFileSync(${JSON.stringify(mark)}, String(process.pid) + '\\n');`,
        ].join('\n'),
      );
      const again = mkdtempSync(join(tmpdir(), 'epd-release-again-'));
      const build = await run(
        join(clone, 'node_modules/.bin/tsx'),
        ['scripts/package.ts', '--out', again],
        {
          PATH: process.env.PATH ?? '',
          EPD_RUNTIME_CACHE: runtimeCache(),
          NODE_OPTIONS: `--import=${pathToFileURL(clock).href}`,
          TZ: 'Pacific/Chatham',
        },
        clone,
      );
      expect(build.code, build.stderr).toBe(0);
      expect(existsSync(mark)).toBe(true);
      const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
      // The standalone ones too: the pinned node binaries, the blob without a code cache.
      for (const target of TARGETS) {
        expect(sha256(readFileSync(join(again, archiveName(target)))), target).toBe(
          sha256(archives.get(archiveName(target))!),
        );
      }
      // Every file dated the time of the last commit of a source (SOURCE_DATE_EPOCH unset), owned by root.
      const committed = Number(
        git('log', '-1', '--format=%ct', 'HEAD', '--', '.', ':(exclude)krew-manifest.yaml').stdout.trim(),
      );
      for (const entry of readTarGz(readFileSync(join(again, archiveName('linux/amd64'))))) {
        expect(entry, entry.name).toMatchObject({ mtime: committed, uid: 0, gid: 0, user: 'root', group: 'root' });
      }
    },
  );

  it('writes a krew manifest that passes krew validation, for exactly the five platforms', () => {
    expect(krewErrors(manifest, archives)).toEqual([]);
    expect(manifest.metadata.name).toBe('endpoints-doctor');
    expect(manifest.spec.version).toBe(`v${version}`);
    expect(manifest.spec.shortDescription.length).toBeLessThanOrEqual(50); // krew-index review asks for this
    for (const target of TARGETS) {
      const matching = manifest.spec.platforms.filter((p) => matches(p.selector, target));
      expect(matching, target).toHaveLength(1);
      expect(matching[0].uri).toMatch(new RegExp(`/v${version}/${archiveName(target)}$`));
      expect(matching[0].bin).toBe(pluginName(target));
      // Every file of the archive installed, and nothing it does not hold.
      expect(matching[0].files.map((f) => f.from).sort()).toEqual(
        readTarGz(archives.get(archiveName(target))!)
          .map((e) => e.name)
          .sort(),
      );
      expect(matching[0].files.map((f) => f.from)).toContain(UI_FILE);
    }
    expect(manifest.spec.platforms).toHaveLength(TARGETS.length);
  });

  it('krew-manifest.yaml at the root is the manifest this build writes: version, platforms, files and checksums', () => {
    // Stale after any change of a source: `npm run package -- --update-manifest` writes it again,
    // to be committed alone (scripts/source-info.ts: that commit changes no archive).
    const committed = readFileSync(join(ROOT, 'krew-manifest.yaml'), 'utf8');
    expect(krewErrors(parse(committed), archives)).toEqual([]);
    expect(committed).toBe(builtManifest);
  });

  it('the krew rules catch a broken manifest (the check can fail)', () => {
    const broken = (change: (m: KrewManifest) => void) => {
      const copy = structuredClone(manifest);
      change(copy);
      return krewErrors(copy, archives);
    };
    expect(broken((m) => (m.spec.version = version))).toEqual(['version']);
    expect(broken((m) => (m.spec.platforms[0].sha256 = m.spec.platforms[1].sha256))).toContain(
      'platforms[0].sha256 differs',
    );
    expect(broken((m) => (m.spec.platforms[1].sha256 = m.spec.platforms[1].sha256.toUpperCase()))).toContain(
      'platforms[1].sha256 format',
    );
    expect(broken((m) => (m.spec.platforms[1].selector = m.spec.platforms[0].selector))).toContain(
      'linux/amd64 matched twice',
    );
    expect(broken((m) => (m.spec.platforms[2].bin = 'kubectl-endpoints-doctor'))).toContain(
      'platforms[2].bin not an executable',
    );
    expect(broken((m) => (m.spec.platforms[3].files = m.spec.platforms[3].files.slice(0, 2)))).toContain(
      'platforms[3]: no license file',
    );
  });

  it('caveats say where Node.js 20 is needed: darwin/arm64 only, whose archive holds the Node bundle', () => {
    const firstLine = manifest.spec.caveats.split('\n')[0];
    expect(firstLine).toBe(
      'On darwin/arm64 this plugin needs Node.js 20 or later on PATH ' +
        '(the linux/amd64, linux/arm64, darwin/amd64, windows/amd64 builds are standalone).',
    );
    const formats: Record<string, [string, Buffer]> = {
      'linux/amd64': ['ELF', Buffer.from([0x7f, 0x45, 0x4c, 0x46])],
      'linux/arm64': ['ELF', Buffer.from([0x7f, 0x45, 0x4c, 0x46])],
      'darwin/amd64': ['Mach-O 64', Buffer.from([0xcf, 0xfa, 0xed, 0xfe])],
      'windows/amd64': ['PE', Buffer.from('MZ')],
      'darwin/arm64': ['the Node bundle', Buffer.from('#!/usr/bin/env node')],
    };
    for (const target of TARGETS) {
      const plugin = readTarGz(archives.get(archiveName(target))!).find((e) => e.name === pluginName(target))!;
      const [format, magic] = formats[target];
      expect(plugin.data.subarray(0, magic.length).equals(magic), `${target}: ${format}`).toBe(true);
    }
  });

  /** The standalone executable of a platform, as its archive holds it. */
  const executableOf = (target: string) =>
    readTarGz(archives.get(archiveName(target))!).find((e) => e.name === pluginName(target))!.data;
  /** The blob a platform's executable must carry: made by a node of its base's version. */
  const blobOf = (target: string) => {
    const version = target === 'darwin/amd64' ? '24.18.1' : '24.21.0';
    return readFileSync(join(out, 'sea', `sea-${version}.blob`));
  };
  const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

  it('every standalone executable carries its application and the flipped fuse (Node.js single executable applications)', () => {
    for (const target of STANDALONE) {
      const executable = executableOf(target);
      const blob = blobOf(target);
      // The blob starts with the SEA magic 0x143da20 (src/node_sea.h, kMagic), little-endian.
      expect(blob.readUInt32LE(0), target).toBe(0x0143da20);
      expect(executable.indexOf(blob), `${target}: the blob inside`).toBeGreaterThan(0);
      // postject turns the sentinel's last character from 0 to 1: node then looks for the blob.
      expect(executable.includes(`${FUSE}:1`), `${target}: fuse`).toBe(true);
      expect(executable.includes(`${FUSE}:0`), `${target}: fuse`).toBe(false);
      // The node flags it starts with are the blob's execArgv (src/node_sea.cc writes each as a string).
      for (const flag of SEA_NODE_FLAGS) expect(blob.includes(flag), `${target}: ${flag}`).toBe(true);
    }
  });

  it('linux: ELF for x86-64 and AArch64 (e_machine 62 and 183)', () => {
    expect(executableOf('linux/amd64').readUInt16LE(18)).toBe(62);
    expect(executableOf('linux/arm64').readUInt16LE(18)).toBe(183);
  });

  it('windows/amd64: a PE executable for x86-64 (machine 0x8664) with the blob as its NODE_SEA_BLOB resource', () => {
    const exe = executableOf('windows/amd64');
    const pe = exe.readUInt32LE(0x3c); // e_lfanew
    expect(exe.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664);
    // A resource name is UTF-16LE in the resource directory.
    expect(exe.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
  });

  it('darwin/amd64: Mach-O for x86-64, the blob in segment NODE_SEA, an ad-hoc signature whose hashes match every page', () => {
    const executable = executableOf('darwin/amd64');
    const macho = readMachO(executable);
    expect(macho.cputype).toBe(CPU_TYPE_X86_64);
    const segment = macho.segments.find((s) => s.name === 'NODE_SEA');
    const section = segment?.sections.find((s) => s.name === '__NODE_SEA_BLOB');
    expect(section).toBeDefined();
    expect(executable.subarray(section!.offset, section!.offset + section!.size)).toEqual(blobOf('darwin/amd64'));
    expect(macho.segments.at(-1)?.name).toBe('__LINKEDIT');
    const signature = checkSignature(executable);
    expect(signature).toMatchObject({ identifier: 'kubectl-endpoints_doctor', flags: 0x2, hashType: 2, errors: [] });
    expect(signature.pages).toBe(Math.ceil(macho.codeSignature!.dataoff / 4096));
  });

  it.skipIf(!hasQemu)('linux/arm64 runs under qemu-user: --version, the demo and checks', async () => {
    const dir = extract(join(out, archiveName('linux/arm64')));
    const plugin = join(dir, 'kubectl-endpoints_doctor');
    const env = { PATH: '/nonexistent', NO_COLOR: '1' };
    const [emulator, ...qemuArgs] = QEMU_ARM64;
    const versionRun = await run(emulator, [...qemuArgs, plugin, '--version'], env, dir);
    expect(versionRun).toEqual({ code: 0, stdout: `${versionText}\n`, stderr: '' });
    const demoArgs = ['--snapshot', join(ROOT, 'examples/shop.yaml'), '-A', '--fail-on', 'never'];
    const demo = await run(emulator, [...qemuArgs, plugin, ...demoArgs], env, dir);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toBe((await runCliAsync(demoArgs)).stdout);
    const checks = await run(emulator, [...qemuArgs, plugin, 'checks'], env, dir);
    expect(checks.code).toBe(0);
    expect(checks.stdout).toBe((await runCliAsync(['checks'])).stdout);
  });

  it('the bundle runs by itself: --version, and a live diagnosis identical to the built CLI', async () => {
    const dir = extract(join(out, archiveName('darwin/arm64'))); // the Node bundle is the same for every os/arch
    const env = { PATH: NODE_DIR, NO_COLOR: '1' };
    const versionRun = await run(join(dir, 'kubectl-endpoints_doctor'), ['--version'], env, dir);
    expect(versionRun).toEqual({ code: 0, stdout: `${versionText}\n`, stderr: '' });
    const args = ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json'];
    const bundled = await run(join(dir, 'kubectl-endpoints_doctor'), args, env, dir);
    const built = await runCliAsync(args);
    expect(bundled.stderr).toBe('');
    expect(bundled.code).toBe(1); // api's CrashLoopBackOff pod
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(built.stdout));
    const complete = await run(
      join(dir, 'kubectl_complete-endpoints_doctor'),
      ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', ''],
      { PATH: [NODE_DIR, '/usr/bin', '/bin'].join(delimiter) },
      dir,
    );
    const words = complete.stdout.split('\n').map((line) => line.split('\t')[0]);
    expect(words).toEqual([
      'diagnose',
      'tree',
      'snapshot',
      'wait',
      'probe',
      'checks',
      'explain',
      'api',
      'web',
      ':4',
      '',
    ]);
  });

  it('the standalone linux/amd64 executable runs with no Node.js on PATH', async () => {
    const dir = extract(join(out, archiveName('linux/amd64')));
    const env = { PATH: '/nonexistent', NO_COLOR: '1' };
    const versionRun = await run(join(dir, 'kubectl-endpoints_doctor'), ['--version'], env, dir);
    expect(versionRun).toEqual({ code: 0, stdout: `${versionText}\n`, stderr: '' });
    const args = ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '-o', 'json'];
    const standalone = await run(join(dir, 'kubectl-endpoints_doctor'), args, env, dir);
    const built = await runCliAsync(args);
    expect(standalone.stderr).toBe('');
    expect(JSON.parse(standalone.stdout)).toEqual(JSON.parse(built.stdout));
    // Its completion script runs it, next to it: a PATH with only what the script uses.
    const tools = mkdtempSync(join(tmpdir(), 'epd-tools-'));
    for (const tool of ['sh', 'dirname']) {
      symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(tools, tool));
    }
    const complete = await run(
      join(dir, 'kubectl_complete-endpoints_doctor'),
      ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', 'w'],
      { PATH: tools },
      dir,
    );
    expect(complete.stdout.split('\n').map((line) => line.split('\t')[0])).toEqual(['wait', 'web', ':4', '']);
  });

  // The released plugin as kubectl and krew run it: through a symlink in another folder, so the
  // UI file must be found beside the real file. The Node bundle on every machine (with node on
  // PATH), and the standalone executable where it is built (with none).
  const released = [
    { name: 'the Node bundle', target: 'darwin/arm64', path: [NODE_DIR, '/usr/bin', '/bin'] },
    { name: 'the standalone executable', target: 'linux/amd64', path: ['/usr/bin', '/bin'] },
  ];
  function install(target: string): { plugin: string; dir: string } {
    const dir = extract(join(out, archiveName(target)));
    const bin = mkdtempSync(join(tmpdir(), 'epd-bin-'));
    symlinkSync(join(dir, 'kubectl-endpoints_doctor'), join(bin, 'kubectl-endpoints_doctor'));
    return { plugin: join(bin, 'kubectl-endpoints_doctor'), dir };
  }

  describe.each(released)('$name', ({ target, path }) => {
    const env = { PATH: path.join(delimiter), NO_COLOR: '1' };

    it('probe --node reads the node by exec (client-node Exec), and --debug-pod creates and deletes a pod (CoreV1Api)', async () => {
      const web = service('web');
      const webSlice = slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] });
      const rules = generateKubeProxyRules({ services: [web], slices: [webSlice], nodeName: 'node-a' });
      const execs: string[][] = [];
      // Canned output: iptables-save of the nft backend holds the rules, the others nothing.
      const exec: ExecHandler = ({ command, stdout }) => {
        execs.push(command);
        if (command[0] === 'iptables-nft-save') stdout.write(rules.iptables.IPv4);
        return 0;
      };
      const aged = (o: Raw) => ({
        ...o,
        metadata: { ...(o.metadata as Raw), creationTimestamp: '2026-01-01T00:00:00Z' },
      });
      const kubeProxy = pod('kube-proxy-x7k2p', {
        ns: 'kube-system',
        labels: { 'k8s-app': 'kube-proxy' },
        containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.0' }],
      });
      const probeServer = await startTestServer({
        objects: [web, pod('web-1'), pod('web-2'), webSlice, node('node-a'), kubeProxy].map(aged),
        exec,
      });
      try {
        const { plugin } = install(target);
        const args = [
          'probe',
          '--kubeconfig',
          probeServer.kubeconfigPath,
          '-n',
          'shop',
          '--node',
          'node-a',
          '-o',
          'json',
        ];
        const result = await run(plugin, args, env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const report = JSON.parse(result.stdout) as Report;
        expect(report.findings).toEqual([]);
        expect(report.dataplane?.[0]).toMatchObject({
          node: 'node-a',
          proxy: 'kube-proxy',
          mode: 'iptables',
          backend: 'nft',
        });
        const webPort = report.dataplane?.[0].servicePorts?.find((p) => p.service?.name === 'web');
        expect(webPort?.endpoints).toHaveLength(2);
        expect(execs.map((c) => c[0])).toContain('iptables-nft-save');

        // No kubelet here: a debug pod runs as soon as it is created.
        probeServer.store.subscribe((e) => {
          if (e.type !== 'ADDED' || e.resource.plural !== 'pods') return;
          if (!stringAt(e.object, 'metadata', 'name')?.includes('probe')) return;
          setImmediate(() => probeServer.store.update({ ...e.object, status: { phase: 'Running' } }));
        });
        const viaPod = await run(plugin, [...args, '--debug-pod'], env);
        expect(viaPod.stderr).toBe('');
        expect(viaPod.code).toBe(0);
        expect((JSON.parse(viaPod.stdout) as Report).dataplane?.[0].source).toMatch(/^through a debug pod /);
        const podWrites = probeServer.requests.filter((r) => r.resource === 'pods' && r.method !== 'GET');
        expect(podWrites.map((r) => r.method)).toEqual(['POST', 'DELETE']);
      } finally {
        await probeServer.close();
      }
    });

    it('--watch to a pipe: each Service once, then a line per change; exits 0 on SIGINT', async () => {
      const { plugin } = install(target);
      const child = spawn(plugin, ['--kubeconfig', server.kubeconfigPath, '-n', 'shop', '--watch'], {
        env: { HOME: mkdtempSync(join(tmpdir(), 'epd-home-')), ...env },
      });
      const output = { stdout: '', stderr: '' };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
      const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
      try {
        await eventually('the initial lines', () => /shop\/web added/.test(output.stdout), 60_000);
        expect(output.stdout).toMatch(/ shop\/api added status=error /);
        applyWithControllers(server, [pod('api-1', { labels: { app: 'api' } })]);
        await eventually('the change line', () => /shop\/api changed/.test(output.stdout), 60_000);
        expect(output.stdout).toMatch(/ shop\/api changed status=error->\w+ endpoints=0\/1->1\/1 /);
        child.kill('SIGINT');
        expect(await exited).toBe(0);
        expect(output.stderr).toBe('');
      } finally {
        child.kill('SIGKILL');
        applyWithControllers(server, [pod('api-1', { labels: { app: 'api' }, waiting: 'CrashLoopBackOff' })]);
      }
    });

    it.skipIf(!hasTmux)('-i on a terminal (tmux) draws the interactive view and q quits with 0', async () => {
      const { plugin, dir } = install(target);
      // Without the UI file beside it: one line saying so, exit 2.
      const alone = mkdtempSync(join(tmpdir(), 'epd-alone-'));
      copyFileSync(join(dir, 'kubectl-endpoints_doctor'), join(alone, 'kubectl-endpoints_doctor'));
      chmodSync(join(alone, 'kubectl-endpoints_doctor'), 0o755);
      const socket = `epd-package-${process.pid}`;
      const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
      const screen = () => tmux('capture-pane', '-p', '-t', 'doctor').stdout;
      const snapshot = join(ROOT, 'examples/shop.yaml');
      const shell = (command: string) =>
        tmux(
          'new-session',
          '-d',
          '-s',
          'doctor',
          '-x',
          '120',
          '-y',
          '30',
          `env -i PATH="${env.PATH}" HOME=${alone} TERM=xterm-256color NO_COLOR=1 CI=false sh -c '${command}; echo EXIT=$?; sleep 60'`,
        );
      try {
        shell(`${plugin} -i --snapshot ${snapshot} -A`);
        await eventually(
          'the interactive view',
          () => /^endpoints-doctor · .* · snapshot /m.test(screen()) && /^›▸ OK +default\/kubernetes /m.test(screen()),
          60_000,
        );
        // A key typed before ink listens is lost: q again every half second until the view is gone.
        let polls = 0;
        await eventually(
          'the exit',
          () => {
            if (/EXIT=\d+/.test(screen())) return true;
            if (polls++ % 20 === 0) tmux('send-keys', '-t', 'doctor', 'q');
            return false;
          },
          60_000,
        );
        expect(screen()).toContain('EXIT=0');
        tmux('kill-session', '-t', 'doctor');

        shell(`${join(alone, 'kubectl-endpoints_doctor')} -i --snapshot ${snapshot} -A 2>${join(alone, 'stderr')}`);
        await eventually('the exit', () => /EXIT=\d+/.test(screen()), 60_000);
        expect(screen()).toContain('EXIT=2');
        expect(readFileSync(join(alone, 'stderr'), 'utf8')).toBe(
          `error: the terminal UI file ${join(alone, UI_FILE)} is missing: install the whole release archive next to the plugin\n`,
        );
      } finally {
        tmux('kill-server');
      }
    });
  });

  const kubectl = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  if (!kubectl) console.warn('package: kubectl tests skipped: no kubectl on PATH');

  it.skipIf(!kubectl)('the real kubectl finds the released plugin and runs it', async () => {
    // This machine's archive: the standalone linux/amd64 one, with no node on PATH.
    const dir = extract(join(out, archiveName('linux/amd64')));
    const env = { PATH: [dir, dirname(kubectl)].join(delimiter) };
    const list = await run(kubectl, ['plugin', 'list'], env);
    expect(list.stdout).toContain(join(dir, 'kubectl-endpoints_doctor'));
    expect(list.stderr).not.toContain('warning');
    const versionRun = await run(kubectl, ['endpoints-doctor', '--version'], env);
    expect(versionRun).toEqual({ code: 0, stdout: `${versionText}\n`, stderr: '' });
    const help = await run(kubectl, ['endpoints-doctor', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubectl endpoints-doctor /);
    expect(help.stdout).toContain('Exit codes:');
  });
});

describe('npm pack', () => {
  it('ships only dist/ (without maps), bin/, docs/, README.md, LICENSE and package.json', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(packed.status, packed.stderr).toBe(0);
    const [packedFiles] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
    const files = packedFiles.files.map((f) => f.path);
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/kubectl-endpoints_doctor',
      'bin/kubectl_complete-endpoints_doctor',
      'dist/cli.js',
      'dist/completion.js',
    ]) {
      expect(files).toContain(file);
    }
    // Only these, whatever else lies in the working tree (release/, .bench/, a stray file).
    for (const file of files) {
      expect(file).toMatch(/^(dist\/|bin\/|docs\/|README\.md$|LICENSE$|package\.json$)/);
      expect(file).not.toMatch(/\.map$/);
    }
    expect(files).toContain('dist/build-info.json'); // the commit --version names
    expect(PACKAGE.bin).toEqual({
      'kubectl-endpoints_doctor': 'bin/kubectl-endpoints_doctor',
      'kubectl_complete-endpoints_doctor': 'bin/kubectl_complete-endpoints_doctor',
    });
  });
});

/**
 * Installs a packed tarball into a new folder, offline, from the npm cache that `npm ci` filled:
 * as `npm ci` would install a project whose lockfile pins the tarball and, at this project's
 * locked versions, its runtime dependencies. `npm install -g` cannot run offline: npm resolves a
 * new install from the registry's full package documents, which `npm ci` never fetches, so the
 * test would depend on the registry. Returns the folder of the installed executables.
 */
async function installOffline(tarball: string): Promise<{ bin: string; install: CliResult }> {
  const pkg = PACKAGE;
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const dir = mkdtempSync(join(tmpdir(), 'epd-install-'));
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'epd-install', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev) packages[path] = entry;
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'epd-install', dependencies: { [pkg.name]: spec } }));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'epd-install', lockfileVersion: 3, requires: true, packages }),
  );
  // The user's npm set-up (HOME: ~/.npmrc and the cache `npm ci` filled), and no network.
  const install = await run(
    'npm',
    ['ci', '--offline', '--no-audit', '--no-fund'],
    {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
    },
    dir,
  );
  return { bin: join(dir, 'node_modules/.bin'), install };
}

/** The project as a fresh clone has it: the files git tracks (or would), no dist/; dependencies as `npm ci` installs them. */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'epd-clone-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0')) {
    if (!file || file === 'node_modules' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('npm pack of a fresh clone', { timeout: 300_000 }, () => {
  let tarball: string;
  beforeAll(async () => {
    const clone = freshClone();
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const out = mkdtempSync(join(tmpdir(), 'epd-pack-'));
    // Without --ignore-scripts: prepack builds dist/.
    const pack = await run(
      'npm',
      ['pack', '--pack-destination', out, '--silent'],
      {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
      },
      clone,
    );
    if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    tarball = join(out, pack.stdout.trim().split('\n').at(-1)!);
  }, 300_000);

  it('builds dist/ before packing (prepack): the tarball holds the built CLI', () => {
    const names = new Set(readTarGz(readFileSync(tarball)).map((e) => e.name));
    for (const file of [
      'dist/cli.js',
      'dist/completion.js',
      'dist/commands/probe.js',
      'dist/build-info.json',
      'bin/kubectl-endpoints_doctor',
    ]) {
      expect(names, file).toContain(`package/${file}`);
    }
    for (const name of names) {
      expect(name).toMatch(/^package\/(dist\/|bin\/|docs\/|README\.md$|LICENSE$|package\.json$)/);
      expect(name).not.toMatch(/\.map$/);
    }
  });

  it('installed offline from the npm cache into a clean folder: both executables run (--version, the demo, completion)', async () => {
    const { bin, install } = await installOffline(tarball);
    expect(install.code, install.stderr).toBe(0);
    const path = [bin, NODE_DIR, '/usr/bin', '/bin'].join(delimiter);
    // Packed from a copy with no .git: the commit is unknown, so the version alone.
    expect(await run('kubectl-endpoints_doctor', ['--version'], { PATH: path })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
    // `npm run demo`, as the README's first command runs it.
    const demo = await run(
      'kubectl-endpoints_doctor',
      ['--snapshot', join(ROOT, 'examples/shop.yaml'), '-A', '--fail-on', 'never'],
      { PATH: path, NO_COLOR: '1' },
    );
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^NAMESPACE +NAME +TYPE +ENDPOINTS +USED BY +STATUS/m);
    const complete = await run('kubectl_complete-endpoints_doctor', ['expl'], { PATH: path });
    expect(complete.stdout).toBe('explain\texplain one check: why it matters and how to fix it\n:4\n');
  });
});
