// -o junit: well-formed XML 1.0 whatever the cluster's strings hold, a testsuite per namespace,
// a testcase per Service, a failure per finding at or above --fail-on, and counts that agree.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlAttr, xmlText } from '../src/render/junit.js';
import type { Report } from '../src/report/report.js';
import { runCli, writeTemp } from './support/cli.js';
import { pod, service } from './support/objects.js';
import { ALL_CHECKS, finding, report } from './support/report.js';
import type { Finding, Severity } from '../src/core/findings.js';
import { blockedFromFrontend, diagnoseFrom } from './support/from-diagnosis.js';

const EXAMPLE = resolve(import.meta.dirname, '../examples/shop.yaml');

// ---------------------------------------------------------------------------------------------
// A strict XML parser, enough for what renderJunit writes: it rejects what an XML 1.0 parser
// rejects (unbalanced tags, unescaped < or &, unknown entities, characters XML cannot hold,
// duplicate or unquoted attributes) so that a test passing here means real CI parsers accept it.

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = /[A-Za-z_][\w.-]*/y;

function decode(raw: string, where: string): string {
  if (/[<]/.test(raw)) throw new Error(`unescaped < in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (_all, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref];
    const m = /^#(?:x([0-9a-fA-F]+)|(\d+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const char = String.fromCodePoint(m[1] ? parseInt(m[1], 16) : Number(m[2]));
    if (!XML_CHAR.test(char)) throw new Error(`character reference to a non-XML character in ${where}`);
    return char;
  });
}

function parseXml(document: string): XmlElement {
  if (!XML_CHAR.test(document)) throw new Error('the document holds characters XML 1.0 cannot');
  // As every XML parser does: line ends normalised before anything else.
  const xml = document.replace(/\r\n?/g, '\n');
  let at = 0;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!declaration) throw new Error('no XML declaration');
  at = declaration[0].length;
  const skipSpace = () => {
    while (/\s/.test(xml[at] ?? '')) at++;
  };
  const name = () => {
    NAME.lastIndex = at;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`a name expected at ${at}`);
    at = NAME.lastIndex;
    return m[0];
  };
  const element = (): XmlElement => {
    if (xml[at] !== '<') throw new Error(`< expected at ${at}`);
    at++;
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = at;
      skipSpace();
      if (xml.startsWith('/>', at)) {
        at += 2;
        return el;
      }
      if (xml[at] === '>') {
        at++;
        break;
      }
      if (at === before) throw new Error(`space expected before an attribute at ${at}`);
      const attr = name();
      if (xml[at++] !== '=' || xml[at++] !== '"') throw new Error(`attribute ${attr} not ="quoted" at ${at}`);
      const end = xml.indexOf('"', at);
      if (end < 0) throw new Error('unterminated attribute');
      if (attr in el.attributes) throw new Error(`duplicate attribute ${attr}`);
      // Attribute value normalisation: literal whitespace becomes spaces; only references keep it.
      el.attributes[attr] = decode(xml.slice(at, end).replace(/[\t\n]/g, ' '), `attribute ${attr}`);
      at = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', at);
      if (next < 0) throw new Error(`unclosed <${el.name}>`);
      const raw = xml.slice(at, next);
      if (raw.includes(']]>')) throw new Error(`]]> in <${el.name}> text`);
      el.text += decode(raw, `<${el.name}> text`);
      at = next;
      if (xml.startsWith('</', at)) {
        at += 2;
        const closing = name();
        if (closing !== el.name) throw new Error(`</${closing}> closes <${el.name}>`);
        if (xml[at++] !== '>') throw new Error('> expected');
        return el;
      }
      el.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(at).trim() !== '') throw new Error('content after the root element');
  return root;
}

const children = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
const count = (el: XmlElement, attr: string) => Number(el.attributes[attr]);

/** The structure every JUnit consumer relies on: counts that add up at both levels. */
function expectConsistentCounts(root: XmlElement): void {
  expect(root.name).toBe('testsuites');
  const suites = children(root, 'testsuite');
  for (const suite of suites) {
    const cases = children(suite, 'testcase');
    expect(count(suite, 'tests')).toBe(cases.length);
    expect(count(suite, 'failures')).toBe(cases.filter((c) => children(c, 'failure').length > 0).length);
    expect(count(suite, 'skipped')).toBe(cases.filter((c) => children(c, 'skipped').length > 0).length);
    expect(count(suite, 'errors')).toBe(0);
    for (const c of cases) expect(c.attributes.classname).toBe(suite.attributes.name);
  }
  for (const attr of ['tests', 'failures', 'errors', 'skipped']) {
    expect(count(root, attr), attr).toBe(suites.reduce((n, s) => n + count(s, attr), 0));
  }
}

// ---------------------------------------------------------------------------------------------

describe('the strict parser used here', () => {
  it.each([
    ['an unescaped <', '<a>1 < 2</a>'],
    ['a bare &', '<a>R&D</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a control character', '<a>\u001b[31m</a>'],
    ['a reference to a control character', '<a>&#27;</a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    [']]> in text', '<a>]]></a>'],
  ])('rejects %s', (_name, body) => {
    expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`)).toThrow();
  });
});

describe('escaping', () => {
  const nasty = [
    `<script>alert("x")</script> & 'quotes'`,
    'ANSI \u001b[31mred\u001b[0m, NUL \u0000, form feed \u000c, DEL \u007f',
    'lines\nand\r\nreturns\tand tabs',
    'lone surrogates \ud800 and \udc00, a pair 😀, and U+FFFE \ufffe',
    ']]> outside CDATA',
    '8-bit CSI \u009b2J, NEL \u0085, right-to-left override \u202etxt.exe, isolate \u2066x\u2069, mark \u200f',
  ];
  it.each(nasty)('text and attributes round-trip through a strict parser: %j', (value) => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<a v="${xmlAttr(value)}">${xmlText(value)}</a>\n`);
    // What XML can carry comes back exactly; what it cannot, and what a terminal or a viewer would
    // act on (DEL, C1 and bidi controls), is written visibly as \uXXXX.
    const expected = value.replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(root.attributes.v).toBe(expected);
    expect(root.text).toBe(expected);
  });

  it('writes a control character as visible text', () => {
    expect(xmlText('a\u001bb')).toBe('a\\u001bb');
    expect(xmlText('\ud83d')).toBe('\\ud83d');
  });
});

// ---------------------------------------------------------------------------------------------

// shop/web: an error and a warning; shop/api: an info; shop/db and other/x: nothing.
const mixed = report(
  [
    ['other', 'x'],
    ['shop', 'api'],
    ['shop', 'db'],
    ['shop', 'web'],
  ],
  [
    finding('shop', 'api', 'single-ready-endpoint', 'info'),
    finding('shop', 'web', 'selector-no-match', 'error'),
    finding('shop', 'web', 'pods-not-ready', 'warning'),
  ],
);

interface CountCase {
  failOn: Severity | 'never';
  /** Per testcase "ns/name": failure check ids, then the check ids in system-out. */
  expected: Record<string, { failures: string[]; out: string[] }>;
  failures: number;
}

const countCases: CountCase[] = [
  {
    failOn: 'error',
    expected: {
      'other/x': { failures: [], out: [] },
      'shop/api': { failures: [], out: ['single-ready-endpoint'] },
      'shop/db': { failures: [], out: [] },
      'shop/web': { failures: ['selector-no-match'], out: ['pods-not-ready'] },
    },
    failures: 1,
  },
  {
    failOn: 'warning',
    expected: {
      'other/x': { failures: [], out: [] },
      'shop/api': { failures: [], out: ['single-ready-endpoint'] },
      'shop/db': { failures: [], out: [] },
      'shop/web': { failures: ['selector-no-match', 'pods-not-ready'], out: [] },
    },
    failures: 1,
  },
  {
    failOn: 'info',
    expected: {
      'other/x': { failures: [], out: [] },
      'shop/api': { failures: ['single-ready-endpoint'], out: [] },
      'shop/db': { failures: [], out: [] },
      'shop/web': { failures: ['selector-no-match', 'pods-not-ready'], out: [] },
    },
    failures: 2,
  },
  {
    failOn: 'never',
    expected: {
      'other/x': { failures: [], out: [] },
      'shop/api': { failures: [], out: ['single-ready-endpoint'] },
      'shop/db': { failures: [], out: [] },
      'shop/web': { failures: [], out: ['selector-no-match', 'pods-not-ready'] },
    },
    failures: 0,
  },
];

describe('testsuites, testcases, failures', () => {
  it.each(countCases)('--fail-on $failOn', ({ failOn, expected, failures }) => {
    const root = parseXml(renderJunit(mixed, { checks: ALL_CHECKS, failOn, checksRun: 24 }));
    expectConsistentCounts(root);
    expect(root.attributes).toMatchObject({ tests: '4', failures: String(failures), errors: '0', skipped: '0' });
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['other', 'shop']);
    const seen: CountCase['expected'] = {};
    for (const suite of suites) {
      for (const c of children(suite, 'testcase')) {
        const out = children(c, 'system-out')[0]?.text ?? '';
        seen[`${c.attributes.classname}/${c.attributes.name}`] = {
          failures: children(c, 'failure').map((f) => f.attributes.message.split(':')[0]),
          out: [...out.matchAll(/^(?:error|warning|info) ([a-z-]+)/gm)].map((m) => m[1]),
        };
      }
    }
    expect(seen).toEqual(expected);
    expect(children(suites[0], 'properties')[0].children[0].attributes).toEqual({ name: 'fail-on', value: failOn });
  });

  it('a failure carries the check id and title, and the finding in full as its body', () => {
    const withPods: Finding = {
      ...finding('shop', 'web', 'selector-no-match', 'error', 'the selector app=web matches no pod'),
      port: 'http 80/TCP',
      pods: [{ name: 'web-1', cause: 'label app=wbe' }],
      fix: 'kubectl label pod web-1 app=web',
    };
    const root = parseXml(
      renderJunit(report([['shop', 'web']], [withPods]), { checks: ALL_CHECKS, failOn: 'error', checksRun: 1 }),
    );
    const failure = children(children(children(root, 'testsuite')[0], 'testcase')[0], 'failure')[0];
    expect(failure.attributes).toEqual({
      message: 'selector-no-match: The selector matches no pod in the Service namespace',
      type: 'error',
    });
    expect(failure.text).toMatch(
      /^error selector-no-match \(http 80\/TCP\): the selector app=web matches no pod\npods:\n {2}- web-1: label app=wbe\nwhy: .+\nfix: kubectl label pod web-1 app=web$/,
    );
  });

  it('a hostile message stays text: well-formed XML whatever a container wrote', () => {
    const message = 'crashed: <error code="1"> & \u001b[31mpanic\u001b[0m\u0000 ]]> \ud800';
    const root = parseXml(
      renderJunit(report([['shop', 'web']], [finding('shop', 'web', 'pods-not-ready', 'warning', message)]), {
        checks: ALL_CHECKS,
        failOn: 'warning',
        checksRun: 1,
      }),
    );
    const failure = children(children(children(root, 'testsuite')[0], 'testcase')[0], 'failure')[0];
    expect(failure.text).toContain('crashed: <error code="1"> & \\u001b[31mpanic\\u001b[0m\\u0000 ]]> \\ud800');
  });

  it('notes become properties of every testsuite; suppressed findings are said in system-out', () => {
    const notes = ['Nodes could not be read (forbidden): checks that need them were skipped'];
    const r = report([['shop', 'web']], [], notes);
    r.services[0].suppressed = 2;
    const root = parseXml(renderJunit(r, { checks: ALL_CHECKS, failOn: 'error', checksRun: 20 }));
    const suite = children(root, 'testsuite')[0];
    expect(children(suite, 'properties')[0].children.map((p) => p.attributes)).toEqual([
      { name: 'fail-on', value: 'error' },
      { name: 'note', value: notes[0] },
    ]);
    expect(children(children(suite, 'testcase')[0], 'system-out')[0].text).toContain('2 finding(s) suppressed');
  });

  it('Services are skipped when no check could run', () => {
    const notes = ['check endpoints-over-capacity skipped: the input has no Endpoints (v1)'];
    const root = parseXml(
      renderJunit(report([['shop', 'web']], [], notes), { checks: ALL_CHECKS, failOn: 'error', checksRun: 0 }),
    );
    expectConsistentCounts(root);
    expect(root.attributes).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    const testcase = children(children(root, 'testsuite')[0], 'testcase')[0];
    expect(children(testcase, 'skipped')[0].attributes.message).toBe(`no check could run: ${notes[0]}`);
  });

  it('no Services: an empty but valid document', () => {
    const root = parseXml(renderJunit(report([], []), { checks: ALL_CHECKS, failOn: 'error', checksRun: 24 }));
    expect(root.attributes).toEqual({ name: 'endpoints-doctor', tests: '0', failures: '0', errors: '0', skipped: '0' });
    expect(root.children).toEqual([]);
  });
});

describe('examples/shop.yaml through the CLI', () => {
  const json = JSON.parse(runCli(['--snapshot', EXAMPLE, '-A', '-o', 'json', '--fail-on', 'never']).stdout) as Report;

  it.each(['error', 'warning', 'info', 'never'] as const)('--fail-on %s: counts and exit code as -o json', (failOn) => {
    const run = runCli(['--snapshot', EXAMPLE, '-A', '-o', 'junit', '--fail-on', failOn]);
    expect(run.stderr).toBe('');
    const root = parseXml(run.stdout);
    expectConsistentCounts(root);

    const rank = { never: 4, error: 3, warning: 2, info: 1 };
    const failing = json.findings.filter((f) => rank[f.severity] >= rank[failOn]);
    const failingServices = new Set(failing.map((f) => `${f.namespace}/${f.service}`));
    // A Service that findings about the objects naming it name, and that does not exist, is a testcase too.
    const listed = new Set(json.services.map((s) => `${s.namespace}/${s.name}`));
    const notFound = [...new Set(json.findings.map((f) => `${f.namespace}/${f.service}`))].filter(
      (k) => !listed.has(k),
    );
    expect(notFound).toEqual(['marketing/blog-api', 'kube-system/metrics-server', 'loyalty/vouchers']);
    expect(count(root, 'tests')).toBe(json.services.length + notFound.length);
    expect(count(root, 'failures')).toBe(failingServices.size);
    expect(run.code).toBe(failing.length > 0 ? 1 : 0);

    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual([...new Set(json.services.map((s) => s.namespace))]);
    const testcases = suites.flatMap((s) => children(s, 'testcase'));
    expect(testcases.map((c) => `${c.attributes.classname}/${c.attributes.name}`)).toEqual(
      [...new Set(json.services.map((s) => s.namespace))].flatMap((ns) => [
        ...json.services.filter((s) => s.namespace === ns).map((s) => `${s.namespace}/${s.name}`),
        ...notFound.filter((k) => k.startsWith(`${ns}/`)).map((k) => `${k} (no such Service)`),
      ]),
    );
    expect(testcases.flatMap((c) => children(c, 'failure')).length).toBe(failing.length);
    // Every finding is somewhere: a failure, or the testcase's output.
    const outputs = testcases.flatMap((c) => children(c, 'system-out').map((o) => o.text)).join('\n');
    for (const f of json.findings.filter((f) => !failing.includes(f))) {
      expect(outputs).toContain(`${f.severity} ${f.check}${f.port ? ` (${f.port})` : ''}: ${f.message}`);
    }
  });
});

describe('checks skipped for missing input, through the CLI', () => {
  // A snapshot without Endpoints (v1): the checks that need them cannot run.
  const file = writeTemp(
    'no-endpoints.json',
    JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [service('web'), pod('web-1')] }),
  );

  it('some checks skipped: the Services are still tested, and the notes say which checks were not', () => {
    const run = runCli(['--snapshot', file, '-o', 'junit', '--fail-on', 'never']);
    const root = parseXml(run.stdout);
    expectConsistentCounts(root);
    expect(root.attributes).toMatchObject({ tests: '1', skipped: '0' });
    const notes = children(children(children(root, 'testsuite')[0], 'properties')[0], 'property')
      .filter((p) => p.attributes.name === 'note')
      .map((p) => p.attributes.value);
    expect(notes).toContain('check endpoints-over-capacity skipped: the input has no Endpoints (v1)');
  });

  it('every chosen check skipped: the Services are skipped, not passed', () => {
    const run = runCli(['--snapshot', file, '-o', 'junit', '--only', 'endpoints-over-capacity']);
    expect(run.code).toBe(0);
    const root = parseXml(run.stdout);
    expectConsistentCounts(root);
    expect(root.attributes).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    const testcase = children(children(root, 'testsuite')[0], 'testcase')[0];
    expect(children(testcase, 'skipped')[0].attributes.message).toContain(
      'check endpoints-over-capacity skipped: the input has no Endpoints (v1)',
    );
  });
});

describe('--from: the reachability of each Service', () => {
  const junit = (failOn: Severity | 'never') => {
    const d = diagnoseFrom(blockedFromFrontend(), 'pod/frontend');
    const root = parseXml(renderJunit(d.report, { checks: d.checks, failOn, checksRun: 60 }));
    expectConsistentCounts(root);
    return children(children(root, 'testsuite')[0], 'testcase')[0];
  };

  it("is in the testcase's system-out, the cluster text in it escaped", () => {
    const out = children(junit('error'), 'system-out')[0].text;
    expect(out).toContain(
      [
        'shop/web: from pod shop/frontend (if your network plugin enforces NetworkPolicy)',
        '  PORT          BACKEND      VERDICT   WHY',
        '  http 80/TCP   web-1:8080   blocked   client egress not isolated; backend ingress isolated by NetworkPolicies ' +
          'admin-only, evil\\u001b]0;pwned\\u0007|<b>@team\\u202e, and no rule admits it',
        '  DNS: allowed (UDP 53 allowed, TCP 53 allowed): the client is not isolated for egress',
      ].join('\n'),
    );
  });

  it('a blocked backend fails the testcase only through a finding at or above --fail-on, as the exit code', () => {
    // Blocked from frontend, and only networkpolicy-restricts-sources (info) says so.
    expect(children(junit('error'), 'failure')).toEqual([]);
    expect(children(junit('info'), 'failure').map((f) => f.attributes.message.split(':')[0])).toContain(
      'networkpolicy-restricts-sources',
    );
  });
});
