// -o markdown: the report for a GitHub job summary or a pull-request comment. A headline with
// the counts, a table of the Services, then each failing Service's findings in full; findings
// below --fail-on are folded away. Every string from the cluster is escaped (names, labels,
// container messages): it must neither break the table nor inject markup, links or mentions.
// With --from, each Service's reachability matrix follows the findings, a table per Service.

import { describeSkippedChecks, failingServices, type Report, type ServiceSummary } from '../report/report.js';
import { BEYOND_C0, visibleEscape } from '../core/terminal-text.js';
import { evidenceLine, NO_RECENT_EVENTS } from './evidence.js';
import { matrixRows, reachabilityFooter, reachabilityHead, ROWS_SHOWN } from './reachability.js';
import {
  describeServiceUser,
  type CheckDescription,
  type CheckDescriptions,
  type Finding,
  type Severity,
} from '../core/findings.js';

/** Pods listed in the open; more are folded into <details>. */
const PODS_SHOWN_OPEN = 5;
/** Pods listed at all per finding; -o json lists them all. */
const MAX_PODS = 50;

/**
 * Inline Markdown text: HTML special characters as entities, Markdown punctuation
 * backslash-escaped (pipes included, so it is safe in a table cell), line breaks as <br>, and
 * a word joiner after @ so that no one is mentioned. C0 controls are dropped; C1 and bidi
 * controls, which would reorder the text on the page, are shown as escapes (\u202e).
 */
export function mdText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(BEYOND_C0, visibleEscape)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/@(?=\w)/g, '@\u2060')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** A paragraph of its own: also escape what would start a heading, list, quote or rule. */
function mdParagraph(text: string): string {
  return mdText(text.trimStart())
    .replace(/^[#+=-]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function headline(report: Report, failOn: Severity | 'never', failing: number): string {
  const { summary } = report;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let verdict: string;
  if (failOn === 'never') verdict = `${plural(summary.services, 'Service')} diagnosed`;
  else if (failing > 0)
    verdict =
      `❌ ${failing} of ${plural(summary.services, 'Service')} with findings at or above ${failOn}` +
      (summary.unknown ? ' or unknown' : '');
  else verdict = `✅ no finding at or above ${failOn} (${plural(summary.services, 'Service')})`;
  const { findings } = summary;
  const total = findings.error + findings.warning + findings.info;
  return [
    `## endpoints-doctor: ${verdict}`,
    '',
    `- **${plural(summary.services, 'Service')}:** ${summary.ok} ok, ${summary.error} error, ` +
      `${summary.warning} warning, ${summary.info} info` +
      (summary.unknown
        ? `, ${summary.unknown} unknown (a check that applies to ${summary.unknown === 1 ? 'it' : 'them'} could not run: ` +
          `see the notes${failOn === 'never' ? '' : `; ${summary.unknown === 1 ? 'it fails' : 'they fail'} every --fail-on the checks left out could have reached`})`
        : ''),
    `- **${plural(total, 'finding')}:** ${findings.error} error, ${findings.warning} warning, ${findings.info} info` +
      (summary.suppressed ? ` (${summary.suppressed} more suppressed by annotation)` : ''),
  ].join('\n');
}

function statusCell(service: ServiceSummary, fails: boolean): string {
  const icon = fails ? '❌' : service.status === 'ok' ? '✅' : service.status === 'unknown' ? '❓' : '⚠️';
  return `${icon} ${service.status}`;
}

function serviceTable(report: Report, failingKeys: Set<string>): string {
  const rows = report.services.map((s) => {
    const endpoints = s.endpoints ? `${s.endpoints.ready}/${s.endpoints.total}` : '-';
    const cells = [
      mdText(s.namespace),
      mdText(s.name),
      mdText(s.type),
      endpoints,
      statusCell(s, failingKeys.has(key(s))),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| Namespace | Service | Type | Ready endpoints | Status |', '|---|---|---|---|---|', ...rows].join('\n');
}

const key = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;
const findingKey = (f: Finding) => `${f.namespace}/${f.service}`;

function details(summary: string, body: string): string {
  // The blank lines make GitHub render the body as Markdown inside the HTML block.
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function findingMarkdown(f: Finding, check: CheckDescription | undefined, explain: boolean, heading: string): string {
  const parts = [
    `${heading} ${f.severity}: \`${f.check}\`${f.port ? ` (${mdText(f.port)})` : ''}`,
    mdParagraph(f.message),
  ];
  const pods = f.pods ?? [];
  if (pods.length > 0) {
    const items = pods.slice(0, MAX_PODS).map(
      (p) =>
        `- **${mdText(`${p.namespace ? `${p.namespace}/` : ''}${p.name}`)}**: ${mdText(p.cause)}` +
        // Its newest Warning event, or that Events were read and it has none.
        (p.evidence ? `<br>${mdText(p.evidence[0] ? evidenceLine(p.evidence[0]) : NO_RECENT_EVENTS)}` : ''),
    );
    if (pods.length > MAX_PODS) items.push(`- … and ${pods.length - MAX_PODS} more (\`-o json\` lists them all)`);
    const list = items.join('\n');
    parts.push(pods.length > PODS_SHOWN_OPEN ? details(`${pods.length} pods`, list) : list);
  }
  const events = f.evidence ?? [];
  if (events.length > 0) parts.push(events.map((e) => `- ${mdText(evidenceLine(e))}`).join('\n'));
  if (f.usedBy) parts.push(`**Used by:** ${mdText(f.usedBy.map(describeServiceUser).join(', '))}`);
  parts.push(`**Fix:** ${mdText(f.fix ?? check?.fix ?? '')}`);
  if (explain && check) parts.push(details('Why it matters', mdParagraph(check.explanation)));
  return parts.join('\n\n');
}

/** --from: a Service as the client sees it, a table of its ready backends per port, then its DNS and notes. */
function reachabilityMarkdown(s: ServiceSummary): string {
  const r = s.reachability!;
  const parts = [`#### ${mdText(key(s))} ${mdText(reachabilityHead(r))}`];
  if (r.unknown) return [...parts, mdParagraph(`No verdict: ${r.unknown}`)].join('\n\n');
  const rows = matrixRows(r);
  if (rows.length > 0) {
    const table = [
      '| Port | Backend | Verdict | Why |',
      '|---|---|---|---|',
      ...rows.slice(0, ROWS_SHOWN).map((row) => `| ${row.map(mdText).join(' | ')} |`),
    ];
    parts.push(table.join('\n'));
    if (rows.length > ROWS_SHOWN) parts.push(`… and ${rows.length - ROWS_SHOWN} more (\`-o json\` lists them all)`);
  } else parts.push('No ready backend to judge.');
  const footer = reachabilityFooter(r);
  if (footer.length > 0) parts.push(footer.map((line) => `- ${mdText(line)}`).join('\n'));
  return parts.join('\n\n');
}

export function renderMarkdown(report: Report, checks: CheckDescriptions, failOn: Severity | 'never'): string {
  const failingKeys = failingServices(report, failOn);
  const out = [headline(report, failOn, failingKeys.size)];
  out.push(report.services.length === 0 ? 'No Services found in the chosen scope.' : serviceTable(report, failingKeys));

  // "Why" once per check in the document, as the text output does.
  const explained = new Set<string>();
  const services = new Map(report.services.map((s) => [key(s), s]));
  const findingsOf = (keys: (k: string) => boolean, heading: string) => {
    const sections: string[] = [];
    let current = '';
    for (const f of report.findings.filter((f) => keys(findingKey(f)))) {
      if (findingKey(f) !== current) {
        current = findingKey(f);
        const s = services.get(current);
        const what = s ? ` · ${mdText(s.type)}${s.clusterIP ? ` ${s.clusterIP}` : ''}` : ' · no such Service';
        sections.push(`${heading} ${failingKeys.has(current) ? '❌' : '⚠️'} ${mdText(current)}${what}`);
        if (s?.skippedChecks) sections.push(mdParagraph(describeSkippedChecks(s.skippedChecks)));
      }
      sections.push(findingMarkdown(f, checks.get(f.check), !explained.has(f.check), `${heading}#`));
      explained.add(f.check);
    }
    return sections;
  };
  for (const section of findingsOf((k) => failingKeys.has(k), '###')) out.push(section);
  const others = findingsOf((k) => !failingKeys.has(k), '####');
  if (others.length > 0) {
    const count = report.findings.filter((f) => !failingKeys.has(findingKey(f))).length;
    const label = failOn === 'never' ? 'Findings' : `Services below --fail-on ${failOn}`;
    out.push(details(`${label}: ${count} finding${count === 1 ? '' : 's'}`, others.join('\n\n')));
  }
  const reached = report.services.filter((s) => s.reachability);
  if (reached.length > 0) {
    out.push(`### Reachability (--from ${mdText(reached[0].reachability!.from)})`);
    for (const s of reached) out.push(reachabilityMarkdown(s));
  }
  if (report.notes.length > 0) out.push(['**Notes**', '', ...report.notes.map((n) => `- ${mdText(n)}`)].join('\n'));
  return out.join('\n\n') + '\n';
}
