// -o junit: the report as JUnit XML, the format CI systems show as test results. A testsuite per
// namespace, a testcase per Service; each finding at or above --fail-on is a <failure>, and so is
// a Service whose status is unknown (when a check left out could have reported at or above --fail-on); the others go to the testcase's
// <system-out>, so a job fails on exactly what the exit code fails on. With --from, the
// Service's reachability matrix is in its <system-out> too: a blocked backend fails the testcase
// only through a finding (as it fails the exit code), never by itself.

import {
  describeSkippedChecks,
  severityRank,
  unknownFailsAt,
  type Report,
  type ServiceSummary,
} from '../report/report.js';
import { pushTo } from '../core/multimap.js';
import { BEYOND_C0, unicodeEscape } from '../core/terminal-text.js';
import { evidenceLine, NO_RECENT_EVENTS } from './evidence.js';
import { reachabilityLines } from './reachability.js';
import type { CheckDescriptions, Finding, Severity } from '../core/findings.js';

export interface JunitOptions {
  failOn: Severity | 'never';
  /** How many checks ran; a Service is reported skipped when none could (their inputs were missing). */
  checksRun: number;
  checks: CheckDescriptions;
}

/** Pods listed per finding; -o json lists them all. */
const MAX_PODS = 20;

// XML 1.0 cannot carry these at all, not even as character references: C0 controls other than
// tab, newline and carriage return, U+FFFE/U+FFFF, and unpaired surrogates.
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text content: markup escaped; characters XML cannot hold, and those a terminal or viewer would
 * act on (DEL, C1 and bidi controls), written as visible \uXXXX.
 */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML_CHAR, unicodeEscape)
    .replace(BEYOND_C0, unicodeEscape)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values: also quotes, and whitespace a parser would otherwise normalise to spaces. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

const attrs = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

/** A finding as plain text: where, what, the pods, why it matters and the fix. */
function findingText(f: Finding, checks: CheckDescriptions): string {
  const check = checks.get(f.check);
  const lines = [`${f.severity} ${f.check}${f.port ? ` (${f.port})` : ''}: ${f.message}`];
  const pods = f.pods ?? [];
  if (pods.length > 0) lines.push('pods:');
  for (const pod of pods.slice(0, MAX_PODS)) {
    lines.push(`  - ${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}: ${pod.cause}`);
    // Its newest Warning event, or that Events were read and it has none.
    if (pod.evidence) lines.push(`    ${pod.evidence[0] ? evidenceLine(pod.evidence[0]) : NO_RECENT_EVENTS}`);
  }
  if (pods.length > MAX_PODS) lines.push(`  … and ${pods.length - MAX_PODS} more (-o json lists them all)`);
  for (const e of f.evidence ?? []) lines.push(evidenceLine(e));
  if (check) lines.push(`why: ${check.explanation}`);
  lines.push(`fix: ${f.fix ?? check?.fix ?? ''}`);
  return lines.join('\n');
}

interface Testcase {
  /** A Service of the report, or a Service that only findings about the objects naming it name (no such Service). */
  service: Pick<ServiceSummary, 'namespace' | 'name' | 'skippedChecks' | 'suppressed' | 'reachability'>;
  failures: Finding[];
  passed: Finding[];
  /** Its status is unknown and --fail-on is not never: it fails as a finding would. */
  unknownFails: boolean;
}

const failing = (c: Testcase) => c.failures.length > 0 || c.unknownFails;

function testcaseXml(testcase: Testcase, skipped: string | undefined, checks: CheckDescriptions): string[] {
  const { service, failures, passed } = testcase;
  const open = `    <testcase${attrs({ classname: service.namespace, name: service.name })}`;
  const body: string[] = [];
  const notJudged = service.skippedChecks ? describeSkippedChecks(service.skippedChecks) : undefined;
  if (testcase.unknownFails) {
    const text =
      `status unknown: ${notJudged}; its verdict would be a guess, so it fails every --fail-on those checks could have reached ` +
      '(--disable the checks to accept that)';
    body.push(
      `      <failure${attrs({ message: `unknown: ${notJudged}`, type: 'unknown' })}>${xmlText(text)}</failure>`,
    );
  } else if (skipped !== undefined && !failing(testcase)) body.push(`      <skipped${attrs({ message: skipped })}/>`);
  for (const f of failures) {
    const title = checks.get(f.check)?.title ?? f.check;
    body.push(
      `      <failure${attrs({ message: `${f.check}: ${title}`, type: f.severity })}>${xmlText(findingText(f, checks))}</failure>`,
    );
  }
  const out = passed.map((f) => findingText(f, checks));
  if (notJudged && !testcase.unknownFails) out.push(notJudged);
  if (service.suppressed > 0)
    out.push(`${service.suppressed} finding(s) suppressed by the endpoints-doctor/ignore annotation`);
  // xmlText below makes the cluster text in it safe.
  const reachability = reachabilityLines(service, (text) => text);
  if (reachability.length > 0) out.push(reachability.join('\n'));
  if (out.length > 0) body.push(`      <system-out>${xmlText(out.join('\n\n'))}</system-out>`);
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

export function renderJunit(report: Report, options: JunitOptions): string {
  const threshold = severityRank(options.failOn);
  // No check ran (every one lacked its input): the Services were not tested, not passed.
  const skipped = options.checksRun === 0 ? `no check could run: ${report.notes.join('; ')}` : undefined;
  const byService = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    pushTo(byService, key, f);
  }
  const byNamespace = new Map<string, Testcase[]>();
  for (const service of report.services) {
    const findings = byService.get(`${service.namespace}/${service.name}`) ?? [];
    const testcase = {
      service,
      failures: findings.filter((f) => severityRank(f.severity) >= threshold),
      passed: findings.filter((f) => severityRank(f.severity) < threshold),
      unknownFails: unknownFailsAt(service, options.failOn),
    };
    pushTo(byNamespace, service.namespace, testcase);
  }
  // Findings about objects that name a Service the input does not hold: a testcase for that Service.
  const listed = new Set(report.services.map((s) => `${s.namespace}/${s.name}`));
  for (const [key, findings] of byService) {
    if (listed.has(key)) continue;
    const { namespace, service: name } = findings[0];
    pushTo(byNamespace, namespace, {
      service: { namespace, name: `${name} (no such Service)`, suppressed: 0 },
      failures: findings.filter((f) => severityRank(f.severity) >= threshold),
      passed: findings.filter((f) => severityRank(f.severity) < threshold),
      unknownFails: false,
    });
  }

  // failures counts failed testcases (not <failure> elements), so tests = passed + failures +
  // errors + skipped holds as CI tools assume; errors stay 0: a Service is always diagnosed or
  // the run fails as a whole (exit 2 or 3, no report).
  const counts = (cases: Testcase[]) => ({
    tests: cases.length,
    failures: cases.filter(failing).length,
    errors: 0,
    skipped: skipped ? cases.filter((c) => !failing(c)).length : 0,
  });
  const properties = [
    `      <property${attrs({ name: 'fail-on', value: options.failOn })}/>`,
    ...report.notes.map((note) => `      <property${attrs({ name: 'note', value: note })}/>`),
  ];
  const suites = [...byNamespace].map(([namespace, cases]) => [
    `  <testsuite${attrs({ name: namespace, ...counts(cases) })}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.flatMap((c) => testcaseXml(c, skipped, options.checks)),
    '  </testsuite>',
  ]);
  const all = [...byNamespace.values()].flat();
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'endpoints-doctor', ...counts(all) })}>`,
    ...suites.flat(),
    '</testsuites>',
    '',
  ].join('\n');
}
