// docs/benchmarks.md as the bench writes it: how it measures, on which machine, the sizes; then
// the results (report-results.ts) and the targets (report-targets.ts).

import type { BenchOptions } from './options.js';
import type { Machine } from './machine.js';
import { resultsSections } from './report-results.js';
import { targetsSections } from './report-targets.js';
import {
  ANALYSIS_PROCESSES,
  everyAnalysis,
  type AnalysisOnly,
  type MedianAnalysis,
  type ScaledAnalysis,
  type SizeResult,
} from './results.js';
import { fmtInt, fmtMB } from './stats.js';
import { KUBECTL_GET_RESOURCES } from './commands.js';
import { KINDS } from '../../src/core/kinds.js';

/** Everything the report is written from. */
export interface ReportInput {
  options: BenchOptions;
  machine: Machine;
  /** One per size, smallest first. */
  results: SizeResult[];
  /** The size measured by the analysis alone, if any. */
  extra: AnalysisOnly | undefined;
  /** The policy-dense namespace, if measured. */
  dense: MedianAnalysis | undefined;
  analyses: ScaledAnalysis[];
  started: Date;
  elapsedMs: number;
}

/** "Services, Endpoints (v1), …, Warning Events (`fieldSelector=type=Warning`) and Ingresses": what (a) lists. */
function listedKinds(): string {
  const labels = KINDS.map((kind) =>
    kind.fieldSelector ? `${kind.label} (\`fieldSelector=${kind.fieldSelector}\`)` : kind.label,
  );
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** Adds a line to the report. */
export type Line = (text?: string) => void;

export function benchmarksMarkdown(input: Omit<ReportInput, 'analyses'>): string {
  const lines: string[] = [];
  const p: Line = (s = '') => lines.push(s);
  const all: ReportInput = { ...input, analyses: everyAnalysis(input.results, input.extra) };
  methodSections(p, all);
  resultsSections(p, all);
  targetsSections(p, all);
  return lines.join('\n');
}

/** How the bench measures, the machine, and the sizes measured. */
function methodSections(p: Line, { options, machine, results, extra, dense, started, elapsedMs }: ReportInput): void {
  const { runs, kubectlRuns } = options;
  p('# Benchmarks');
  p();
  p('This file is written by `npm run bench` (bench/run.ts), which overwrites it; rerun it rather than edit it:');
  p();
  p('```sh');
  p(
    'npm run bench                       # 5,000 Services, 50,000 Pods, 200 namespaces, 500 Nodes at 0.25x, 0.5x and 1x',
  );
  p('npm run bench -- --scales 0.1 --analysis-scale 0 --no-write   # a quick look');
  p('npm run bench -- --profile          # also profiles one run of (a) at the largest size (node --cpu-prof)');
  p('npm run bench -- --help             # sizes, runs, seed, output file');
  p('```');
  p();
  p(
    'It needs GNU time (`apt-get install time`) for peak RSS and the real kubectl on PATH; it is not part of `npm test`.',
  );
  p(
    'At the default size it takes 12 to 13 minutes on the 2-core machine, over the 10 aimed at: kubectl is the long pole',
  );
  p(
    '(over 3 minutes and 10 GB at 1x, about 5.5 minutes over the three sizes), so (b) is timed once per size, (a) and (c)',
  );
  p(
    'five times (the floor targets are judged on the median of at least five). `--scales 1`, `--runs` or `--kubectl-runs` trade coverage for time.',
  );
  p();
  p('The cluster is synthetic and seeded (bench/generate.ts): Deployment, StatefulSet and Job pods with managedFields');
  p(
    '(kube-controller-manager, kubelet), ownerReferences, annotations, env, resources, probes, volumes and a full status;',
  );
  p(
    'EndpointSlices and Endpoints cut as the controllers cut them (test/support/controller.ts); a healthy majority and a',
  );
  p('realistic fraction of broken Services (selector typos, crash-looping and not-ready pods, named-port mismatches,');
  p(
    "pending load balancers, Nodes not ready); the last hour's Events: Normal ones for a quarter of the pods (those that",
  );
  p(
    'started recently), which the type=Warning field selector leaves on the server, and several Warnings per unhealthy pod',
  );
  p('(bench/cluster/events.ts). The test API server (test/server) serves it, with list pagination, from a');
  p('process of its own (bench/server.ts). Measured per size:');
  p();
  p(
    '- **(a)** `kubectl endpoints-doctor -A -o json`: the CLI as krew installs it, the one-file bundle that `npm run package` builds, run by node: `node kubectl-endpoints_doctor --kubeconfig K -A -o json > /dev/null` (exit code 1, findings, is expected); from dist/ (`npm install`) it starts about 0.1 s of CPU later (see Start-up). It lists ' +
      `${listedKinds()}.`,
  );
  p(
    `- **(b)** \`kubectl get ${KUBECTL_GET_RESOURCES} -A -o json > /dev/null\`: what a user would otherwise run (without Endpoints, and without Events, whose field selector kubectl would apply to every type).`,
  );
  p(
    '- **(c)** the floor (bench/floor.ts, run as plain JavaScript): GET the same lists with the same pagination (limit=500) and field selector and concurrency as the doctor and `JSON.parse` each page, nothing else.',
  );
  p(
    `- **(d)** the analysis alone: \`runChecks\` (every check, every Service) + \`buildReport\` on the in-memory ClusterModel, in a process of its own (bench/analysis.ts), then the report rendered as \`-o json\`, \`-o text\` and \`-o tree\`. *Cold* is its first run, as in the CLI, which analyses once; *warm* the median of the runs after it. A cold run varies by about a quarter from process to process here, so the size measured by (d) alone runs in ${ANALYSIS_PROCESSES} processes and reports the median one.`,
  );
  p(
    "- **(e)** at the largest size, snapshots: `kubectl endpoints-doctor snapshot -A -o json` and `-o yaml` into a file, then `kubectl endpoints-doctor --snapshot FILE -A -o json > /dev/null` on each, as many times as (a); the report read back is compared with (a)'s.",
  );
  p();
  p(
    `Each size: a warm-up (the floor over the Services and Nodes lists, for the server's JIT; \`kubectl api-resources\`, for its ` +
      `discovery cache), then ${runs} timed rounds of (a) and (c) and ${kubectlRuns} of (b) (kubectl takes minutes at full size; ` +
      '`--kubectl-runs` times it more), the order rotating each round; the first (a) writes its report to a file instead of /dev/null, ' +
      "to compare it with (d)'s. Before each command the server drops its list " +
      "snapshots and collects garbage. Times are wall-clock medians, CPU is user+sys of the command, peak RSS is GNU time's maximum " +
      'resident set size (the largest of the runs). The server shares the 2 cores with the command, the same for (a), (b) and (c).',
  );
  p();
  p('## Machine');
  p();
  p(`- Date: ${started.toISOString().replace(/\.\d+Z$/, 'Z')}; the bench took ${(elapsedMs / 60000).toFixed(1)} min`);
  p(`- CPU: ${machine.cpu}, ${machine.cores} cores`);
  p(`- Memory: ${machine.memoryGiB.toFixed(1)} GiB`);
  p(`- Kernel: Linux ${machine.kernel}`);
  p(`- Node.js: ${machine.node}`);
  p(`- kubectl: ${machine.kubectl}`);
  p(`- Source measured: ${machine.source}`);
  p(
    `- Load average (1, 5, 15 min) when the bench started: ${machine.loadBefore.map((l) => l.toFixed(2)).join(', ')}; per command in the log and the tables below`,
  );
  p(`- Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``);
  p();
  p('## Sizes');
  p();
  p(
    '| scale | Services | Pods | namespaces | Nodes | EndpointSlices | Endpoints | Events (all / Warning) | Deployments, ReplicaSets, StatefulSets | JSON of the lists | bytes per Pod |',
  );
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const objects = r.analysis.ready.generated.objects;
    const bytes = Object.values(r.floor.bytes).reduce((a, b) => a + b, 0);
    const podBytes = r.floor.bytes['/api/v1/pods'] / Math.max(1, r.floor.items['/api/v1/pods']);
    // The floor lists Events as the doctor does: the Warnings only.
    const warnings = Object.entries(r.floor.items).find(([path]) => path.startsWith('/api/v1/events'))?.[1] ?? 0;
    p(
      `| ${r.scale}x | ${fmtInt(objects.Service ?? 0)} | ${fmtInt(objects.Pod ?? 0)} | ${r.size.namespaces} | ${fmtInt(objects.Node ?? 0)} | ` +
        `${fmtInt(objects.EndpointSlice ?? 0)} | ${fmtInt(objects.Endpoints ?? 0)} | ${fmtInt(objects.Event ?? 0)} / ${fmtInt(warnings)} | ` +
        `${[objects.Deployment, objects.ReplicaSet, objects.StatefulSet].map((n) => fmtInt(n ?? 0)).join(', ')} | ` +
        `${fmtMB(bytes)} MB | ${fmtInt(Math.round(podBytes))} |`,
    );
  }
  if (extra) {
    const o = extra.analysis.ready.generated.objects;
    p(
      `| ${extra.scale}x, (d) only | ${fmtInt(o.Service ?? 0)} | ${fmtInt(o.Pod ?? 0)} | ${extra.size.namespaces} | ${fmtInt(o.Node ?? 0)} | ${fmtInt(o.EndpointSlice ?? 0)} | ${fmtInt(o.Endpoints ?? 0)} | ${fmtInt(o.Event ?? 0)} | | |`,
    );
  }
  p();
  p('Service counts include default/kubernetes.');
  p();
  if (dense) {
    const o = dense.analysis.ready.generated.objects;
    p(
      `The policy-dense case, measured by (d) alone: one namespace of ${fmtInt(o.Pod ?? 0)} Pods, ${fmtInt((o.Service ?? 1) - 1)} Services ` +
        `and ${fmtInt(o.NetworkPolicy ?? 0)} NetworkPolicies (its default-deny, one per app, and the rest of the shapes that cost ` +
        'an evaluator most: set-based selectors over several apps, port ranges, CIDRs with exceptions, namespace and pod ' +
        'selectors in one peer, egress rules with the cluster DNS; bench/generate.ts, extraPolicy).',
    );
    p();
  }
}
