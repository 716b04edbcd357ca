// `kubectl endpoints-doctor probe [SERVICE...] --node NODE | --all-nodes | --nodes-with-endpoints`:
// reads what each node's service proxy programmed (exec in its kube-proxy pod by default, a
// debug pod, this machine, or saved files), shows it per Service port, and compares it with the
// EndpointSlices (the dataplane-* checks). Only --debug-pod creates anything in the cluster.
// The run's steps; probe-options.ts holds the flags, probe-nodes.ts reads the nodes' rules and
// probe-output.ts compares them and prints the result.

import { EXIT, UsageError } from '../core/errors.js';
import { viewService } from '../model/service-view.js';
import { failsAt } from '../report/report.js';
import { connect } from '../sources/live.js';
import type { CommandSteps } from './command.js';
import { chooseNodes, nothingRead, readKubeProxySettings, readNodes } from './probe-nodes.js';
import { completeProbe, validateProbe, type ProbeFlags, type ProbeOptions } from './probe-options.js';
import { compareWithSlices, printProbe } from './probe-output.js';
import { loadInput } from './scope.js';
import type { IOStreams } from './streams.js';

async function runProbe(options: ProbeOptions, streams: IOStreams): Promise<number> {
  const { scope } = options;
  const conn = scope.snapshot ? undefined : await connect(scope);
  const input = await loadInput(scope, conn);
  if (!input.model.coverage.endpointSlices) {
    throw new UsageError('the input holds no EndpointSlices: the probe compares the rules with them');
  }
  const views = input.services.map((s) => viewService(input.model, s));
  const nodes = chooseNodes(options, input.model, views);
  const notes = [...input.notes];

  const settings = await readKubeProxySettings(options, conn);
  notes.push(...settings.notes);
  const results = await readNodes(options, conn, nodes, settings.mode);

  // A node whose rules were not read has no verdict: never an OK by default.
  const unread = results.filter((r) => !r.dataplane);
  if (unread.length === results.length) throw nothingRead(unread, options.source);
  for (const r of unread)
    notes.push(`node ${r.report.node} was not compared: its rules were not read (see its statement)`);

  const comparison = compareWithSlices(options, input, views, results, settings.lagWindowSeconds, notes);
  printProbe(comparison, options, streams);
  if (unread.length > 0) return EXIT.cluster;
  return failsAt(comparison.diagnosis.report, options.failOn) ? EXIT.findings : EXIT.ok;
}

export const probeCommand: CommandSteps<ProbeFlags, ProbeOptions> = {
  complete: completeProbe,
  validate: validateProbe,
  run: runProbe,
};
