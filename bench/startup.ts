// Start-up time of `--version` for each way the CLI ships (after `npm run build` and
// `npm run package`): `npx tsx bench/startup.ts [--runs N] [--write]`. Bare `node -e 0` is
// measured in the same rounds, so a busy machine shows as a slower reference too. Prints a
// markdown section; --write puts it in docs/benchmarks.md as its "## Start-up" section (which
// `npm run bench` keeps when it rewrites the rest).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeBinary, STANDALONE_TARGETS } from '../scripts/runtimes.js';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = resolve(ROOT, 'docs/benchmarks.md');
const { values: flags } = parseArgs({ options: { runs: { type: 'string' }, write: { type: 'boolean' } } });
const runs = Number(flags.runs ?? 31);

/** A way to run the CLI; files must exist for it to be measured (the command, if not named). */
const subjects: { name: string; command: string; args: string[]; files?: string[] }[] = [
  { name: 'bare Node.js (`node -e 0`), for reference', command: process.execPath, args: ['-e', '0'] },
  {
    name: 'bare Node.js 24 (`node -e 0`, the linux x64 binary of the standalone build), for reference',
    command: runtimeBinary(STANDALONE_TARGETS[0].base),
    args: ['-e', '0'],
  },
  {
    name: 'bundle (`release/bundle/kubectl-endpoints_doctor`)',
    command: resolve(ROOT, 'release/bundle/kubectl-endpoints_doctor'),
    args: ['--version'],
  },
  {
    name: 'standalone linux/amd64 (`release/standalone-linux-amd64/kubectl-endpoints_doctor`)',
    command: resolve(ROOT, 'release/standalone-linux-amd64/kubectl-endpoints_doctor'),
    args: ['--version'],
  },
  {
    // Emulated: says that it starts, not how fast it would on arm64 hardware.
    name: 'standalone linux/arm64 under qemu-user (emulated)',
    command: '/usr/bin/qemu-aarch64',
    args: [
      '-L',
      '/usr/aarch64-linux-gnu',
      resolve(ROOT, 'release/standalone-linux-arm64/kubectl-endpoints_doctor'),
      '--version',
    ],
    files: ['/usr/bin/qemu-aarch64', resolve(ROOT, 'release/standalone-linux-arm64/kubectl-endpoints_doctor')],
  },
  {
    name: 'from source (`node bin/kubectl-endpoints_doctor`, dist/)',
    command: process.execPath,
    args: [resolve(ROOT, 'bin/kubectl-endpoints_doctor'), '--version'],
  },
];

const present = subjects.filter(
  (s) => s.command === process.execPath || (s.files ?? [s.command]).every((f) => existsSync(f)),
);
const times = new Map(present.map((s) => [s, [] as number[]]));
// Interleaved rounds: a burst of load from elsewhere hits every subject alike.
for (let round = 0; round < runs; round++) {
  for (const subject of present) {
    const started = process.hrtime.bigint();
    const run = spawnSync(subject.command, subject.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) throw new Error(`${subject.name} failed: ${run.stderr.toString()}`);
    times.get(subject)!.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
const lines = [
  '## Start-up',
  '',
  'Written by `npx tsx bench/startup.ts --write` after `npm run build` and `npm run package`; `npm run bench` keeps',
  `this section. Wall-clock time of \`--version\`, ${runs} interleaved rounds, on ${cpu} x${availableParallelism()}`,
  `(load average ${loadavg()[0].toFixed(2)} at the end, Node ${process.version}). The target is under 200 ms for the bundle.`,
  '',
  'A shared machine slows every row alike; the last column, the median over bare Node.js, is what the CLI adds.',
  '',
  '| `--version` | min | median | p90 | median over bare Node.js |',
  '|---|---|---|---|---|',
];
const bare = quantile(
  [...times.get(present[0])!].sort((a, b) => a - b),
  0.5,
);
for (const [subject, values] of times) {
  const sorted = [...values].sort((a, b) => a - b);
  const cells = [sorted[0], quantile(sorted, 0.5), quantile(sorted, 0.9)].map((v) => `${v.toFixed(0)} ms`);
  const difference = quantile(sorted, 0.5) - bare;
  const over = subject === present[0] ? '' : `${difference < 0 ? '' : '+'}${difference.toFixed(0)} ms`;
  lines.push(`| ${subject.name} | ${cells.join(' | ')} | ${over} |`);
}
const section = lines.join('\n') + '\n';
process.stdout.write(section);
if (flags.write) {
  const doc = readFileSync(DOC, 'utf8');
  const existing = /^## Start-up\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  writeFileSync(DOC, existing.test(doc) ? doc.replace(existing, `${section}\n`) : `${doc.trimEnd()}\n\n${section}`);
}
