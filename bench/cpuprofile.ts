// Summarizes a V8 .cpuprofile (node --cpu-prof): self and inclusive time per function, and self
// time per source file. bench/run.ts --profile uses it on one run of the doctor; by hand:
//   npx tsx bench/cpuprofile.ts FILE.cpuprofile [TOP]

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  self: ProfileLine[];
  inclusive: ProfileLine[];
  files: ProfileLine[];
}

/** "dist/sources/kube-api.js", "node_modules/yaml/…", "node:internal/…", or "(garbage collector)". */
function fileOf(url: string): string {
  if (!url) return '';
  const m = /\/(node_modules\/(?:@[^/]+\/)?[^/]+|dist|src|bench|test)\/(.*)$/.exec(url);
  if (!m) return url.replace(/^file:\/\//, '');
  return m[1].startsWith('node_modules') ? m[1] : `${m[1]}/${m[2]}`;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = fileOf(url);
  const fn = functionName || '(anonymous)';
  return file ? `${fn} (${file}:${lineNumber + 1})` : fn;
}

export function summarizeProfile(path: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of perNode) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    total += us;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    const file = fileOf(node.callFrame.url) || node.callFrame.functionName;
    files.set(file, (files.get(file) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const lines = (m: Map<string, number>, n: number): ProfileLine[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
  return {
    totalMs: total / 1000,
    self: lines(self, top),
    inclusive: lines(inclusive, top + 10).filter((l) => l.name !== '(root)'),
    files: lines(files, 12),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const rows = (ls: ProfileLine[]) =>
    ls.map((l) => `${l.ms.toFixed(0).padStart(7)} ms ${(100 * l.share).toFixed(1).padStart(5)}%  ${l.name}`).join('\n');
  return [
    `sampled ${summary.totalMs.toFixed(0)} ms (idle excluded)`,
    '-- self time by function --',
    rows(summary.self),
    '-- inclusive time by function --',
    rows(summary.inclusive),
    '-- self time by file --',
    rows(summary.files),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/cpuprofile.ts FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(formatProfile(summarizeProfile(file, Number(process.argv[3] ?? 20))) + '\n');
}
