// The probe's comparison and what it prints: each read node's rules compared with the
// EndpointSlices (the dataplane-* checks), made into a report with a dataplane section per node,
// then printed as text (the rules per Service port, then the findings) or in an -o format.

import { DATAPLANE_CHECKS } from '../checks/index.js';
import { terminalText } from '../core/terminal-text.js';
import { describeChecks } from '../core/findings.js';
import { buildNodeProbe, type NodeProbe } from '../model/node-comparison.js';
import type { ServiceView } from '../model/service-view.js';
import { palette } from '../render/colour.js';
import { dataplaneBranches, renderDataplaneText } from '../render/dataplane.js';
import { renderOutput } from '../render/output.js';
import { renderText } from '../render/text.js';
import { runDataplaneChecks } from '../report/dataplane-checks.js';
import { reportedServicePorts, type DataplaneNodeReport } from '../report/dataplane-report.js';
import type { Diagnosis } from '../report/diagnosis.js';
import { buildReport } from '../report/report.js';
import type { NodeResult } from './probe-nodes.js';
import type { ProbeOptions } from './probe-options.js';
import type { LoadedInput } from './scope.js';
import type { IOStreams } from './streams.js';

export interface ProbeComparison {
  diagnosis: Diagnosis;
  /** The read nodes' comparisons. */
  probes: NodeProbe[];
  /** Every node's section of the report (also set as diagnosis.report.dataplane). */
  dataplane: DataplaneNodeReport[];
}

/**
 * The namespaces whose every Service the input holds: only there do rules for a Service the
 * input lacks show a Service that is gone (elsewhere it may just not have been read).
 */
function fullyReadNamespaces({ scope }: ProbeOptions, input: LoadedInput): 'all' | Set<string> {
  if (scope.serviceNames.length > 0 || scope.labelRequirements.length > 0) return new Set();
  if (scope.allNamespaces || (scope.snapshot && !scope.namespace)) return 'all';
  return new Set(input.services.map((s) => s.meta.namespace).concat(scope.namespace ? [scope.namespace] : []));
}

/** Each read node's rules against the EndpointSlices, as a diagnosis whose report has the nodes' sections. */
export function compareWithSlices(
  options: ProbeOptions,
  input: LoadedInput,
  views: ServiceView[],
  results: NodeResult[],
  lagWindowSeconds: number,
  notes: string[],
): ProbeComparison {
  const namespaces = fullyReadNamespaces(options, input);
  const probes: NodeProbe[] = results.flatMap((r) =>
    r.dataplane
      ? [
          buildNodeProbe({
            node: r.report.node,
            dataplane: r.dataplane,
            views,
            model: input.model,
            readAt: r.readAt!,
            lagWindowSeconds,
            completeNamespaces: namespaces,
            ...(r.kubeProxyPod
              ? { kubeProxyPod: { namespace: r.kubeProxyPod.namespace, name: r.kubeProxyPod.name } }
              : {}),
          }),
        ]
      : [],
  );
  const run = runDataplaneChecks(probes, input.model, DATAPLANE_CHECKS);
  const checkRun = {
    services: views.map(({ service, counts }) => ({ service, counts, skippedChecks: [] })),
    findings: run.findings,
    suppressed: run.suppressed,
    skipped: [],
  };
  const diagnosis = {
    model: input.model,
    run: checkRun,
    report: buildReport(checkRun, notes),
    checks: describeChecks(DATAPLANE_CHECKS),
  };
  const probeByNode = new Map(probes.map((p) => [p.node, p]));
  const dataplane = results.map((r) => {
    const probe = probeByNode.get(r.report.node);
    return probe ? { ...r.report, servicePorts: reportedServicePorts(probe, options.raw) } : r.report;
  });
  diagnosis.report.dataplane = dataplane;
  return { diagnosis, probes, dataplane };
}

export function printProbe(
  { diagnosis, probes, dataplane }: ProbeComparison,
  options: ProbeOptions,
  streams: IOStreams,
): void {
  const { report } = diagnosis;
  const colours = palette(options.colour);
  if (options.output === 'text') {
    const probeByNode = new Map(probes.map((p) => [p.node, p]));
    streams.out.write(renderDataplaneText(dataplane, probeByNode, options.raw) + '\n');
    streams.out.write(renderText(report, diagnosis.checks, colours, { failOn: options.failOn }));
    return;
  }
  // The tree has no place for statements and notes; the other formats carry them.
  if (options.output === 'tree')
    for (const r of dataplane) if (r.statement) streams.errOut.write(`note: ${terminalText(r.statement)}\n`);
  const output = {
    output: options.output,
    failOn: options.failOn,
    checksChosen: DATAPLANE_CHECKS.length,
    ascii: options.ascii,
    showEndpoints: false,
    branches: (view: ServiceView) => dataplaneBranches(view, probes, options.ascii),
  };
  streams.out.write(renderOutput(diagnosis, output, colours));
  if (options.output === 'tree') for (const note of report.notes) streams.errOut.write(`note: ${terminalText(note)}\n`);
}
