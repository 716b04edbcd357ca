// -o markdown: the headline counts, one table row per Service, each failing Service's findings
// in full and the rest folded, and strings from the cluster that cannot break the table or
// inject markup, links or mentions.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mdText, renderMarkdown } from '../src/render/markdown.js';
import type { Report } from '../src/report/report.js';
import { runCli } from './support/cli.js';
import { ALL_CHECKS, finding, report } from './support/report.js';
import type { Finding, Severity } from '../src/core/findings.js';
import type { Diagnosis } from '../src/report/diagnosis.js';
import { blockedFromFrontend, diagnoseFrom } from './support/from-diagnosis.js';

const EXAMPLE = resolve(import.meta.dirname, '../examples/shop.yaml');

/** Table rows as cells, split on pipes that are not backslash-escaped (GFM's rule). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.trim()),
    );
}

/** The "ns/name" of each Service with a section of its own, at the given heading level. */
function sections(markdown: string, level: string): string[] {
  return [...markdown.matchAll(new RegExp(`^${level} (?:❌|⚠️) (\\S+)`, 'gm'))].map((m) => m[1]);
}

function expectBalancedDetails(markdown: string): void {
  expect(markdown.match(/<details>/g)?.length ?? 0).toBe(markdown.match(/<\/details>/g)?.length ?? 0);
}

describe('mdText', () => {
  it.each([
    ['plain text', 'web-1 is ready', 'web-1 is ready'],
    ['a pipe, that would split a table cell', 'a|b', 'a\\|b'],
    ['backticks', 'run `rm -rf`', 'run \\`rm -rf\\`'],
    ['HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an entity', '&amp;', '&amp;amp;'],
    ['a link', '[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['emphasis and strike-through', '*a* _b_ ~c~', '\\*a\\* \\_b\\_ \\~c\\~'],
    ['a backslash', 'C:\\dir', 'C:\\\\dir'],
    ['math', '$x$', '\\$x\\$'],
    ['a mention', 'ping @octocat', 'ping @\u2060octocat'],
    ['an e-mail address, untouched apart from the joiner', 'ops@example.com', 'ops@\u2060example.com'],
    ['line breaks', 'one\ntwo\r\nthree', 'one<br>two<br>three'],
    ['control characters', 'a\u001b[31mb\u0000', 'a\\[31mb'],
  ])('%s', (_name, input, expected) => {
    expect(mdText(input)).toBe(expected);
  });
});

describe('a hostile finding', () => {
  const message = 'x | y\n# Heading\n- item\n<script>alert(1)</script> `code` [a](b) @team';
  const hostile: Finding = {
    ...finding('shop', 'web', 'pods-not-ready', 'warning', message),
    pods: [{ name: 'web-1', cause: '| cause with <b>bold</b>\n1. numbered' }],
    fix: '![img](http://x/y.png)',
  };
  const markdown = renderMarkdown(report([['shop', 'web']], [hostile]), ALL_CHECKS, 'warning');

  it('adds no line that starts a block, and no HTML tag of its own', () => {
    for (const line of markdown.split('\n')) {
      expect(line, line).not.toMatch(/^(# |- item|1\. numbered)/);
    }
    const tags = [...markdown.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['br', 'details', 'summary']));
    expect(markdown).not.toMatch(/(?<!\\)\]\(/);
    expect(markdown).not.toMatch(/@team/);
    expect(markdown).toContain(
      'x \\| y<br># Heading<br>- item<br>&lt;script&gt;alert(1)&lt;/script&gt; \\`code\\` \\[a\\](b) @\u2060team',
    );
  });

  it('keeps the message a paragraph even when it starts like a block', () => {
    for (const [start, escaped] of [
      ['# title', '\\# title'],
      ['- item', '\\- item'],
      ['+ item', '\\+ item'],
      ['12. item', '12\\. item'],
      ['3) item', '3\\) item'],
      ['    indented code', 'indented code'],
    ]) {
      const md = renderMarkdown(
        report([['shop', 'web']], [finding('shop', 'web', 'pods-not-ready', 'warning', start)]),
        ALL_CHECKS,
        'warning',
      );
      expect(md.split('\n')).toContain(escaped);
    }
  });
});

describe('what is shown and what is folded', () => {
  const findings = [
    finding('shop', 'api', 'single-ready-endpoint', 'info'),
    finding('shop', 'cart', 'pods-not-ready', 'warning'),
    finding('shop', 'web', 'selector-no-match', 'error'),
    finding('shop', 'web', 'pods-not-ready', 'warning'),
  ];
  const mixed = report(
    [
      ['shop', 'api'],
      ['shop', 'cart'],
      ['shop', 'db'],
      ['shop', 'web'],
    ],
    findings,
  );

  it.each<{ failOn: Severity | 'never'; open: string[]; folded: string[]; headline: string }>([
    {
      failOn: 'error',
      open: ['shop/web'],
      folded: ['shop/api', 'shop/cart'],
      headline: '## endpoints-doctor: ❌ 1 of 4 Services with findings at or above error',
    },
    {
      failOn: 'warning',
      open: ['shop/cart', 'shop/web'],
      folded: ['shop/api'],
      headline: '## endpoints-doctor: ❌ 2 of 4 Services with findings at or above warning',
    },
    {
      failOn: 'info',
      open: ['shop/api', 'shop/cart', 'shop/web'],
      folded: [],
      headline: '## endpoints-doctor: ❌ 3 of 4 Services with findings at or above info',
    },
    {
      failOn: 'never',
      open: [],
      folded: ['shop/api', 'shop/cart', 'shop/web'],
      headline: '## endpoints-doctor: 4 Services diagnosed',
    },
  ])('--fail-on $failOn', ({ failOn, open, folded, headline }) => {
    const markdown = renderMarkdown(mixed, ALL_CHECKS, failOn);
    expect(markdown.split('\n')[0]).toBe(headline);
    expect(markdown).toContain('- **4 Services:** 1 ok, 1 error, 1 warning, 1 info');
    expect(markdown).toContain('- **4 findings:** 1 error, 2 warning, 1 info');
    expect(sections(markdown, '###')).toEqual(open);
    expect(sections(markdown, '####')).toEqual(folded);
    expect(
      markdown.includes('<details><summary>Findings') || markdown.includes('<details><summary>Services below'),
    ).toBe(folded.length > 0);
    // A failing Service's findings are all shown, whatever their severity.
    if (open.includes('shop/web')) expect(markdown).toMatch(/^#### warning: `pods-not-ready`/m);
    expectBalancedDetails(markdown);
  });

  it('no finding at or above --fail-on: a green headline', () => {
    const markdown = renderMarkdown(report([['shop', 'db']], []), ALL_CHECKS, 'error');
    expect(markdown.split('\n')[0]).toBe('## endpoints-doctor: ✅ no finding at or above error (1 Service)');
    expect(tableRows(markdown).slice(1)).toEqual([['shop', 'db', 'ClusterIP', '0/1', '✅ ok']]);
  });

  it('no Services: says so instead of an empty table', () => {
    expect(renderMarkdown(report([], []), ALL_CHECKS, 'error')).toContain('No Services found in the chosen scope.');
  });

  it('folds long pod lists, explains each check once, and lists the notes', () => {
    const pods = Array.from({ length: 7 }, (_, i) => ({ name: `web-${i}`, cause: 'CrashLoopBackOff' }));
    const r = report(
      [
        ['shop', 'api'],
        ['shop', 'web'],
      ],
      [
        { ...finding('shop', 'api', 'pods-not-ready', 'error'), pods: pods.slice(0, 2) },
        { ...finding('shop', 'web', 'pods-not-ready', 'error'), pods },
      ],
      ['Nodes could not be read (forbidden): checks that need them were skipped'],
    );
    const markdown = renderMarkdown(r, ALL_CHECKS, 'error');
    expect(markdown).toContain('<details><summary>7 pods</summary>\n\n- **web-0**: CrashLoopBackOff');
    expect(markdown).toContain('`pods-not-ready`\n\nbroken\n\n- **web-0**: CrashLoopBackOff\n- **web-1**');
    expect(markdown.match(/Why it matters/g)).toHaveLength(1);
    expect(markdown).toContain(
      '**Notes**\n\n- Nodes could not be read (forbidden): checks that need them were skipped',
    );
    expectBalancedDetails(markdown);
  });
});

describe('examples/shop.yaml through the CLI', () => {
  it.each(['error', 'warning'] as const)(
    '--fail-on %s: the counts, a row per Service, exit code as -o json',
    (failOn) => {
      const json = runCli(['--snapshot', EXAMPLE, '-A', '-o', 'json', '--fail-on', failOn]);
      const report = JSON.parse(json.stdout) as Report;
      const run = runCli(['--snapshot', EXAMPLE, '-A', '-o', 'markdown', '--fail-on', failOn]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(json.code);

      const { summary } = report;
      expect(run.stdout).toContain(
        `- **${summary.services} Services:** ${summary.ok} ok, ${summary.error} error, ${summary.warning} warning, ${summary.info} info`,
      );
      const rows = tableRows(run.stdout);
      expect(rows[0]).toEqual(['Namespace', 'Service', 'Type', 'Ready endpoints', 'Status']);
      expect(rows.slice(1).map((r) => [r.length, `${r[0]}/${r[1]}`])).toEqual(
        report.services.map((s) => [5, `${s.namespace}/${s.name}`]),
      );
      const rank = { error: 3, warning: 2, info: 1 };
      const failing = new Set(
        report.findings.filter((f) => rank[f.severity] >= rank[failOn]).map((f) => `${f.namespace}/${f.service}`),
      );
      expect(new Set(sections(run.stdout, '###'))).toEqual(failing);
      expect(sections(run.stdout, '###')).toHaveLength(failing.size);
      // Every finding is shown once, open or folded.
      expect(run.stdout.match(/^#{4,5} (error|warning|info): `/gm)).toHaveLength(report.findings.length);
      expectBalancedDetails(run.stdout);
    },
  );
});

describe('--from: each Service as the client sees it', () => {
  const markdown = (d: Diagnosis) => renderMarkdown(d.report, d.checks, 'error');

  it('a table per Service of its ready backends, the verdict and why, then the DNS', () => {
    const md = markdown(diagnoseFrom(blockedFromFrontend(), 'pod/frontend'));
    expect(md).toContain('### Reachability (--from pod/frontend)');
    expect(md).toContain('#### shop/web from pod shop/frontend (if your network plugin enforces NetworkPolicy)');
    const rows = tableRows(md.slice(md.indexOf('### Reachability')));
    expect(rows[0]).toEqual(['Port', 'Backend', 'Verdict', 'Why']);
    expect(rows.slice(1)).toEqual([
      [
        'http 80/TCP',
        'web-1:8080',
        'blocked',
        'client egress not isolated; backend ingress isolated by NetworkPolicies admin-only, ' +
          'evil\\]0;pwned\\|&lt;b&gt;@\u2060team\\\\u202e, and no rule admits it',
      ],
    ]);
    expect(md).toContain('- DNS: allowed (UDP 53 allowed, TCP 53 allowed): the client is not isolated for egress');
  });

  it("a policy's name is cluster text: no control character, tag, mention or extra cell", () => {
    const md = markdown(diagnoseFrom(blockedFromFrontend(), 'pod/frontend'));
    expect(md).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F\u202E]/);
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('@team');
  });

  it('a client the input cannot show: no table, the reason', () => {
    const md = markdown(diagnoseFrom(blockedFromFrontend(), 'deployment/front', { deployments: false }));
    expect(md).toContain('No verdict: Deployments were not read: its pods are not known');
    expect(md).not.toContain('| Port | Backend |');
  });

  it('nothing without --from', () => {
    expect(renderMarkdown(report([['shop', 'web']], []), ALL_CHECKS, 'error')).not.toContain('Reachability');
  });
});
