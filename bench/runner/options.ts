// npm run bench's command line: the full size, the scales measured at, how many runs.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClusterSize } from '../generate.js';

/** The default size the targets name: 5,000 Services and 50,000 Pods. */
export const DEFAULT_SIZE = { services: 5000, pods: 50000, namespaces: 200, nodes: 500 };

const USAGE = `usage: npm run bench -- [options]
  --services N      Services at full size (default ${DEFAULT_SIZE.services})
  --pods N          Pods at full size (default ${DEFAULT_SIZE.pods})
  --namespaces N    namespaces at full size (default ${DEFAULT_SIZE.namespaces})
  --nodes N         Nodes at full size (default ${DEFAULT_SIZE.nodes})
  --scales LIST     fractions of the full size to measure (default 0.25,0.5,1)
  --runs N          timed runs of (a), (c) and (d) per size (default 5), after one warm-up run
  --kubectl-runs N  timed runs of (b) per size (default 1: kubectl takes minutes at full size)
  --analysis-scale X  also time the analysis alone at X times the full size (default 2: the
                    10,000 Services / 100,000 Pods target); 0 skips it
  --dense-policies N  also time the analysis of one namespace of --dense-pods Pods (default 2000)
                    and N NetworkPolicies (default 200); 0 skips it
  --dense-pods N
  --seed N          generator seed (default 1)
  --profile         profile one run of (a) at the largest size (node --cpu-prof) and report it
  --out FILE        where to write the report (default docs/benchmarks.md); --no-write skips it`;

export interface BenchOptions {
  full: Omit<ClusterSize, 'seed'>;
  /** Fractions of the full size, smallest first. */
  scales: number[];
  runs: number;
  kubectlRuns: number;
  /** 0: no size measured by the analysis alone. */
  analysisScale: number;
  /** The policy-dense namespace measured by the analysis alone; undefined: not measured. */
  dense: ClusterSize | undefined;
  seed: number;
  profile: boolean;
  outFile: string;
  write: boolean;
  isDefaultSize: boolean;
}

function num(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} ${text}: not a number >= ${min}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

/** The options of this process's command line; prints the usage and exits on --help or a bad value. */
export function parseBenchOptions(root: string): BenchOptions {
  const { values: flags } = parseArgs({
    options: {
      services: { type: 'string' },
      pods: { type: 'string' },
      namespaces: { type: 'string' },
      nodes: { type: 'string' },
      scales: { type: 'string' },
      runs: { type: 'string' },
      'kubectl-runs': { type: 'string' },
      'analysis-scale': { type: 'string' },
      'dense-policies': { type: 'string' },
      'dense-pods': { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'boolean' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (flags.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const full = {
    services: num('services', flags.services, DEFAULT_SIZE.services, 1),
    pods: num('pods', flags.pods, DEFAULT_SIZE.pods, 1),
    namespaces: num('namespaces', flags.namespaces, DEFAULT_SIZE.namespaces, 1),
    nodes: num('nodes', flags.nodes, DEFAULT_SIZE.nodes, 1),
  };
  const runs = Math.round(num('runs', flags.runs, 5, 1));
  const seed = Math.round(num('seed', flags.seed, 1));
  const densePolicies = Math.round(num('dense-policies', flags['dense-policies'], 200));
  const densePods = Math.round(num('dense-pods', flags['dense-pods'], 2000, 1));
  return {
    full,
    scales: (flags.scales ?? '0.25,0.5,1')
      .split(',')
      .map((s) => num('scales', s, 1, 0.001))
      .sort((a, b) => a - b),
    runs,
    kubectlRuns: Math.min(runs, Math.round(num('kubectl-runs', flags['kubectl-runs'], 1, 1))),
    analysisScale: num('analysis-scale', flags['analysis-scale'], 2),
    // One namespace: a Service per 20 Pods, the cluster's ratio, on as many Nodes as they need.
    dense:
      densePolicies > 0
        ? {
            services: Math.max(1, Math.round(densePods / 20)),
            pods: densePods,
            namespaces: 1,
            nodes: Math.max(1, Math.ceil(densePods / 100)),
            seed,
            policiesPerNamespace: densePolicies,
          }
        : undefined,
    seed,
    profile: flags.profile === true,
    outFile: resolve(root, flags.out ?? 'docs/benchmarks.md'),
    write: !flags['no-write'],
    isDefaultSize: Object.entries(DEFAULT_SIZE).every(([k, v]) => full[k as keyof typeof full] === v),
  };
}

export function sizeAt(options: Pick<BenchOptions, 'full' | 'seed'>, scale: number): ClusterSize {
  const at = (n: number) => Math.max(1, Math.round(n * scale));
  const { full } = options;
  return {
    services: at(full.services),
    pods: at(full.pods),
    namespaces: at(full.namespaces),
    nodes: at(full.nodes),
    seed: options.seed,
  };
}
