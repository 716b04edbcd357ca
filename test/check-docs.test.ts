// The check pages (docs/checks/<id>.md), the examples explain prints and the README's check
// tables are generated: committed, they must be what `npm run docs` writes now. explain says what
// the page says; the metadata some checks may declare (message templates, the Services they
// apply to) shows on the page when present.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../src/checks/index.js';
import {
  checkDoc,
  checkDocMarkdown,
  checkDocText,
  markdownCode,
  type CheckExample,
  type DocumentedCheck,
} from '../src/report/check-docs.js';
import { CHECK_EXAMPLES } from '../src/report/check-examples.js';
import { generatedDocs, ROOT } from '../scripts/generate-docs.js';

const generated = await generatedDocs();

describe('npm run docs', () => {
  it('writes a page per check, the examples and the README', () => {
    const paths = generated.map((f) => f.path);
    for (const check of [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS])
      expect(paths).toContain(`docs/checks/${check.id}.md`);
    expect(paths).toContain('src/report/check-examples.ts');
    expect(paths).toContain('README.md');
  });

  it.each(generated)('$path is what it writes now', ({ path, content }) => {
    const file = join(ROOT, path);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    expect(committed, `${path} is stale: run npm run docs`).toBe(content);
  });
});

/** The words of a page, without its Markdown: headings, code fences, escapes and links undone. */
function pageWords(markdown: string): string[] {
  const plain = markdown
    .replace(/^```.*$/gm, '')
    .replace(/^#+ /gm, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\(.)/g, '$1');
  return words(plain);
}

/**
 * Words, without colons (a heading ends with one in plain text only) or backticks (the checks'
 * prose keeps its own in plain text too).
 */
function words(text: string): string[] {
  return text.replace(/`/g, '').replace(/:/g, ' ').split(/\s+/).filter(Boolean);
}

describe('explain', () => {
  it.each([...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS].map((c) => [c.id, c] as const))(
    'explain %s says what its page says',
    (id, check) => {
      const page = generated.find((f) => f.path === `docs/checks/${id}.md`)!.content;
      const text = checkDocText(checkDoc(check, CHECK_EXAMPLES[id]));
      expect(words(text)).toEqual(pageWords(page));
      // Its example included: the findings the check gives on it.
      expect(text).toContain(`- check: ${id}\n`);
    },
  );
});

/** A check as one may look once it declares message templates and the Services it judges. */
const declaring: DocumentedCheck = {
  id: 'made-up',
  severity: 'error',
  title: 'A made-up check',
  explanation: 'Labels kubernetes.io/service-name=<service> and spec.ports[].name matter.',
  fix: 'Run `kubectl get svc -n NS` first.',
  requires: ['pods'],
  clearsOnlyWith: ['endpointSlices'],
  messages: { noPods: 'no pod matches {{selector}}', somePods: '{{count}} pods of {{total}}' },
  severities: { somePods: 'warning' },
  notes: { readLate: '; pods were read {{ago}} ago' },
  appliesToServices: { backends: ['selector', 'selectorless'], addresses: ['proxied'] },
};

const example: CheckExample = {
  case: 'two pods (docs/kubernetes-semantics.md#pod-readiness)',
  marked: false,
  lacks: ['nodes'],
  objects: 'kind: Service\n',
  findings: '- check: made-up\n  reason: noPods\n',
};

describe('checkDoc', () => {
  const markdown = checkDocMarkdown(checkDoc(declaring, example));
  const text = checkDocText(checkDoc(declaring, example));

  it('lists each reason with its severity and template, and the clauses a finding may add', () => {
    expect(markdown).toContain(
      '- `noPods` (error): no pod matches {{selector}}\n- `somePods` (warning): {{count}} pods of {{total}}\n',
    );
    expect(markdown).toContain('- `readLate`: pods were read {{ago}} ago\n');
    expect(text).toContain('Reasons:\nEach finding names one of these in reason');
    expect(text).toContain('- somePods (warning): {{count}} pods of {{total}}\n');
  });

  it('says which Services it applies to, what it needs, and how to silence it', () => {
    expect(text).toContain(
      '- Applies to Services whose backends are selector or selectorless, and whose address is proxied\n',
    );
    expect(text).toContain('- Needs in the input: pods (skipped without them');
    expect(text).toContain('- Clears a Service only with: endpointSlices (without them');
    expect(text).toContain(
      '- Silence it for one Service: kubectl annotate service NAME endpoints-doctor/ignore=made-up\n',
    );
  });

  it('leaves reasons and applicability out for a check that does not declare them', () => {
    const plain = checkDocText(checkDoc({ ...declaring, messages: undefined, appliesToServices: undefined }));
    expect(plain).not.toContain('Reasons');
    expect(plain).not.toContain('Applies to');
    expect(plain).not.toContain('Example');
  });

  it('shows the example: its case, what the input lacks, the objects and the findings', () => {
    expect(text).toContain(
      'The first must-fire case of test/checks/made-up.test.ts: two pods (docs/kubernetes-semantics.md#pod-readiness).\n\n' +
        'The input holds no nodes (not read).\n\nThe objects:\n\n    kind: Service\n\n' +
        'What it finds, as -o yaml lists findings:\n\n    - check: made-up\n      reason: noPods\n',
    );
    expect(markdown).toContain('```yaml\n- check: made-up\n  reason: noPods\n```\n');
  });

  it("keeps the checks' backtick spans as code and shows every other character as itself in Markdown", () => {
    expect(markdown).toContain('kubernetes.io/service-name=\\<service\\> and spec.ports\\[\\].name');
    expect(markdown).toContain('Run `kubectl get svc -n NS` first.');
    expect(text).toContain('kubernetes.io/service-name=<service> and spec.ports[].name');
  });

  it('links the citations of the reference docs from the page', () => {
    expect(markdown).toContain(
      '([docs/kubernetes-semantics.md#pod-readiness](../kubernetes-semantics.md#pod-readiness))',
    );
  });

  it('fences a code span with more backticks than it holds', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`a')).toBe('`` `a ``');
  });
});
