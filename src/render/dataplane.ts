// How the probe shows a node's dataplane: per Service port, each frontend and where it sends
// new connections (`10.96.0.10:53/UDP → 2 endpoints: 10.244.1.3:53 (p=0.50), 10.244.2.7:53 (p=0.50)`),
// or its verdict, with masquerading and session affinity; as text, as the `dataplane` section of
// the JSON report, and as a branch of each Service in -o tree.

import type {
  ProgrammedEndpoint,
  ProgrammedFrontend,
  ProgrammedServicePort,
  ServicePortRef,
} from '../sources/node-rules/types.js';
import type { ServiceView } from '../model/service-view.js';
import { terminalText } from '../core/terminal-text.js';
import type { DataplaneNodeReport } from '../report/dataplane-report.js';
import type { TreeBranch } from './tree.js';
import type { NodeProbe, RuleOwner } from '../model/node-comparison.js';
import { endpointKey } from '../model/kube-proxy-endpoints.js';

function frontendText(f: ProgrammedFrontend): string {
  if (f.kind === 'node-port') return `node port ${f.ip ? `${endpointKey(f.ip, f.port)}` : f.port}/${f.protocol}`;
  return `${endpointKey(f.ip ?? '', f.port)}/${f.protocol}`;
}

function endpointList(endpoints: ProgrammedEndpoint[]): string {
  if (endpoints.length === 0) return 'no endpoints';
  const parts = endpoints.map((e) => {
    const key = endpointKey(e.ip, e.port);
    if (e.weight !== undefined) return `${key} (w=${e.weight})`;
    return endpoints.length > 1 ? `${key} (p=${e.share.toFixed(2)})` : key;
  });
  return `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** One line per group of frontends sharing a destination: endpoints, REJECT or DROP. */
function dataplaneLines(rules: ProgrammedServicePort, arrow = '→'): string[] {
  const lines: string[] = [];
  const extras = [
    ...(rules.masquerade ? ['masquerade'] : []),
    ...(rules.affinityTimeoutSeconds !== undefined ? [`affinity ClientIP ${rules.affinityTimeoutSeconds}s`] : []),
  ];
  const suffix = extras.length > 0 ? `; ${extras.join(', ')}` : '';
  const verdictOf = (f: ProgrammedFrontend) => rules.verdicts.find((v) => v.frontend === f.kind)?.verdict;
  const refused = rules.frontends.filter((f) => verdictOf(f));
  for (const f of refused) {
    const verdict = verdictOf(f)!;
    lines.push(
      `${frontendText(f)} ${arrow} ${verdict.toUpperCase()} (${verdict === 'reject' ? 'no endpoints' : 'no local endpoints'})`,
    );
  }
  const open = rules.frontends.filter((f) => !verdictOf(f));
  if (rules.externalEndpoints) {
    const internal = open.filter((f) => f.kind === 'cluster-ip');
    const external = open.filter((f) => f.kind !== 'cluster-ip');
    if (internal.length > 0)
      lines.push(`${internal.map(frontendText).join(', ')} ${arrow} ${endpointList(rules.endpoints)}${suffix}`);
    if (external.length > 0) {
      lines.push(
        `${external.map(frontendText).join(', ')} ${arrow} ${endpointList(rules.externalEndpoints)} (external)${suffix}`,
      );
    }
  } else if (open.length > 0 || refused.length === 0) {
    const where = open.length > 0 ? open.map(frontendText).join(', ') : '(no frontend found)';
    lines.push(`${where} ${arrow} ${endpointList(rules.endpoints)}${suffix}`);
  }
  return lines;
}

function ownerText(owner: RuleOwner | ServicePortRef | undefined): string {
  if (!owner) return '(no Service)';
  return `${owner.namespace}/${owner.name}${owner.portName ? `:${owner.portName}` : ''}`;
}

function describeSource(report: DataplaneNodeReport): string {
  const what = report.mode
    ? `${report.proxy}, ${report.mode} mode${report.backend ? ` (${report.backend} backend)` : ''}${report.families?.length ? `, ${report.families.join('+')}` : ''}`
    : report.proxy;
  return `node ${report.node}: ${what}${report.source ? `; read ${report.source}` : ''}`;
}

/** The text section: per node, per Service port in scope, what the node does with new connections. */
export function renderDataplaneText(
  reports: DataplaneNodeReport[],
  probes: Map<string, NodeProbe>,
  raw: boolean,
): string {
  const out: string[] = [];
  for (const report of reports) {
    out.push(describeSource(report));
    if (report.statement) out.push(`  ${report.statement}`);
    const probe = probes.get(report.node);
    if (probe) {
      for (const { expected, programmed } of probe.ports) {
        const port = `${expected.port.name ? `${expected.port.name} ` : ''}${expected.port.port}/${expected.port.protocol}`;
        const family = expected.service.ipFamilies.length > 1 ? ` ${expected.family}` : '';
        out.push(`  ${expected.service.meta.namespace}/${expected.service.meta.name} ${port}${family}`);
        if (programmed.length === 0) out.push('    no rules on this node');
        for (const rules of programmed) {
          for (const l of dataplaneLines(rules)) out.push(`    ${l}`);
          if (raw) for (const l of rules.rules) out.push(`      | ${l}`);
        }
      }
      for (const { rules, owner } of probe.unmatched) {
        out.push(`  ${ownerText(owner)} ${rules.protocol} ${rules.family} (no such Service port)`);
        for (const l of dataplaneLines(rules)) out.push(`    ${l}`);
        if (raw) for (const l of rules.rules) out.push(`      | ${l}`);
      }
    }
    for (const note of report.notes) out.push(`  note: ${note}`);
    out.push('');
  }
  // Names, rules and notes come from the cluster and the node: made safe for the terminal.
  return out.map(terminalText).join('\n');
}

/** The tree branches of one Service: a Dataplane/NODE row per probed node, a row per frontend group under it. */
export function dataplaneBranches(view: ServiceView, probes: NodeProbe[], ascii: boolean): TreeBranch[] {
  const arrow = ascii ? '->' : '→';
  const key = `${view.service.meta.namespace}/${view.service.meta.name}`;
  return probes.flatMap((probe) => {
    const ports = probe.ports.filter(
      (p) => `${p.expected.service.meta.namespace}/${p.expected.service.meta.name}` === key,
    );
    if (ports.length === 0) return [];
    const children: TreeBranch[] = [];
    for (const { expected, programmed } of ports) {
      const port = `${expected.port.name ? `${expected.port.name} ` : ''}${expected.port.port}/${expected.port.protocol}`;
      if (programmed.length === 0) children.push({ name: `${port}: no rules`, state: 'error' });
      for (const rules of programmed) {
        for (const line of dataplaneLines(rules, arrow)) {
          children.push({ name: line, state: /REJECT|DROP/.test(line) ? 'warning' : 'ok' });
        }
      }
    }
    return [
      {
        name: `Dataplane/${probe.node}`,
        reason: `${probe.dataplane.mode}${probe.dataplane.backend ? ` (${probe.dataplane.backend})` : ''}`,
        state: 'dim' as const,
        children,
      },
    ];
  });
}
