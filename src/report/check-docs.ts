// A check's documentation, as ESLint's rule pages: what it finds, why it matters, how to fix it,
// what the runner does with it, the reasons its findings give, and one example from its table
// with the findings it gives there. One function says it (checkDoc); docs/checks/<id>.md is its
// Markdown (written by `npm run docs`) and `explain ID` its plain text.

import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../checks/index.js';
import type { CheckDescription, Severity } from '../core/findings.js';
import { IGNORE_ANNOTATION } from './run-checks.js';

/**
 * What a check may declare beyond its description; each is shown when present. Written against
 * optional fields so that a check's page shows what its module holds (message templates and the
 * Services it applies to are declared by some checks only, or not yet).
 */
export interface DocumentedCheck extends CheckDescription {
  requires?: readonly string[];
  clearsOnlyWith?: readonly string[];
  /** Message templates by reason (the id a finding names in `reason`). */
  messages?: Readonly<Record<string, string>>;
  /** Clauses a finding may append to its reason's message, by id. */
  notes?: Readonly<Record<string, string>>;
  /** The reasons graded below the check's severity, with theirs. */
  severities?: Readonly<Record<string, Severity>>;
  /** The reasons that say the Service has no ready endpoint: errors when a Fail webhook or an APIService calls it. */
  noReadyEndpointReasons?: readonly string[];
  /** The kinds of Service the check judges. */
  appliesToServices?: { backends: readonly string[]; addresses?: readonly string[] };
  /** A check of references: the kinds of the objects whose references to Services it judges. */
  references?: { kinds: readonly string[] };
}

/**
 * One must-fire case of a check's table (test/checks/<id>.test.ts) and what the check finds on it,
 * as `npm run docs` recorded it in check-examples.ts.
 */
export interface CheckExample {
  /** The case's name in the table. */
  case: string;
  /** The table marks it as the example; otherwise it is the table's first must-fire case. */
  marked: boolean;
  /** The inputs the case leaves out (as the report's notes name them). */
  lacks: readonly string[];
  /** The objects, as YAML documents. */
  objects: string;
  /** A probe check's node: the rules read there (YAML), when, and the namespaces known whole. */
  node?: { name: string; readAt: string; completeNamespaces?: readonly string[]; rules: string };
  /** A connect check's vantage point and what each target answered (YAML, by "address:port"). */
  connect?: { vantage: string; answers: string };
  /** A --from check's client, as --from names it. */
  from?: string;
  /** The check's findings on it, as `-o yaml` lists them. */
  findings: string;
}

/** Running text: prose as the checks write it (backticks around commands), or a code span. */
type Span = string | { code: string };

type DocBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; items: Span[][] }
  | { kind: 'code'; language: 'yaml'; text: string };

export interface CheckDoc {
  id: string;
  title: string;
  blocks: DocBlock[];
}

/** Which command runs the check. */
function runBy(id: string): Span[] {
  if (DATAPLANE_CHECKS.some((c) => c.id === id)) {
    return [
      'Run by: ',
      { code: 'kubectl endpoints-doctor probe' },
      ' (it compares the rules of a node with the EndpointSlices)',
    ];
  }
  if (CONNECT_CHECKS.some((c) => c.id === id)) {
    return [
      'Run by: ',
      { code: 'kubectl endpoints-doctor --connect' },
      ' (it judges the answers of connections to the endpoints and the cluster IP, and from a node to its NodePorts; without ',
      { code: '--connect' },
      ' it does not run)',
    ];
  }
  if (FROM_CHECKS.some((c) => c.id === id)) {
    return [
      'Run by: ',
      { code: 'kubectl endpoints-doctor --from CLIENT' },
      ' (it judges a Service as that client sees it; without ',
      { code: '--from' },
      ' it does not run)',
    ];
  }
  if (CHECKS.some((c) => c.id === id)) return ['Run by: ', { code: 'kubectl endpoints-doctor' }, ' (the diagnosis)'];
  return [];
}

/** Code spans joined by `separator`: `a`, `b`. */
function codes(values: readonly string[], separator = ', '): Span[] {
  return values.flatMap((value, i) => (i === 0 ? [{ code: value }] : [separator, { code: value }]));
}

function facts(check: DocumentedCheck): Span[][] {
  const items: Span[][] = [[`Default severity: ${check.severity}`]];
  const command = runBy(check.id);
  if (command.length > 0) items.push(command);
  const scope = check.appliesToServices;
  if (check.references) {
    items.push([
      'Judges the references to Services of: ',
      ...codes(check.references.kinds),
      ' (its findings are about that object, their ',
      { code: 'subject' },
      ')',
    ]);
  } else if (scope) {
    const item: Span[] = ['Applies to Services whose backends are ', ...codes(scope.backends, ' or ')];
    if (scope.addresses) item.push(', and whose address is ', ...codes(scope.addresses, ' or '));
    items.push(item);
  }
  if (check.requires?.length) {
    items.push([
      'Needs in the input: ',
      ...codes(check.requires),
      ' (skipped without them; a Service it applies to is then unknown)',
    ]);
  }
  if (check.clearsOnlyWith?.length) {
    items.push([
      'Clears a Service only with: ',
      ...codes(check.clearsOnlyWith),
      ' (without them what it finds holds, but a Service it applies to and finds nothing on is left unknown)',
    ]);
  }
  // A Service's annotation silences its own findings, not those about the objects that name it.
  if (!check.references) {
    items.push([
      'Silence it for one Service: ',
      { code: `kubectl annotate service NAME ${IGNORE_ANNOTATION}=${check.id}` },
    ]);
  }
  return items;
}

function reasons(check: DocumentedCheck): DocBlock[] {
  if (!check.messages) return [];
  const severities = check.severities ?? {};
  const blocks: DocBlock[] = [
    { kind: 'heading', text: 'Reasons' },
    {
      kind: 'paragraph',
      spans: [
        'Each finding names one of these in ',
        { code: 'reason' },
        ' (its message template, ',
        { code: '{{name}}' },
        ' standing for a value of the finding):',
      ],
    },
    {
      kind: 'list',
      items: Object.entries(check.messages).map(([reason, template]) => {
        const severity = severities[reason] ?? check.severity;
        const raised = severity !== 'error' && check.noReadyEndpointReasons?.includes(reason) === true;
        return [
          { code: reason },
          ` (${severity}${raised ? '; error when a Fail webhook or an APIService calls the Service' : ''}): `,
          template,
        ];
      }),
    },
  ];
  if (check.notes && Object.keys(check.notes).length > 0) {
    blocks.push(
      { kind: 'paragraph', spans: ['Clauses a finding may add to its message:'] },
      {
        kind: 'list',
        items: Object.entries(check.notes).map(([note, clause]) => [{ code: note }, ': ', clauseAlone(clause)]),
      },
    );
  }
  return blocks;
}

function example(id: string, example: CheckExample): DocBlock[] {
  const table = `test/checks/${id}.test.ts`;
  const blocks: DocBlock[] = [
    { kind: 'heading', text: 'Example' },
    {
      kind: 'paragraph',
      spans: [
        example.marked ? 'A must-fire case of ' : 'The first must-fire case of ',
        { code: table },
        `: ${example.case}.`,
      ],
    },
  ];
  if (example.lacks.length > 0) {
    blocks.push({ kind: 'paragraph', spans: ['The input holds no ', ...codes(example.lacks), ' (not read).'] });
  }
  blocks.push(
    { kind: 'paragraph', spans: ['The objects:'] },
    { kind: 'code', language: 'yaml', text: example.objects },
  );
  const { node } = example;
  if (node) {
    const whole = node.completeNamespaces
      ? [' Only the namespaces ', ...codes(node.completeNamespaces), ' were read whole.']
      : [];
    blocks.push(
      {
        kind: 'paragraph',
        spans: [`The service-proxy rules of node ${node.name}, as the probe reads them, at ${node.readAt}:`, ...whole],
      },
      { kind: 'code', language: 'yaml', text: node.rules },
    );
  }
  if (example.from !== undefined) {
    blocks.push({ kind: 'paragraph', spans: ['The client: ', { code: `--from ${example.from}` }, '.'] });
  }
  const { connect } = example;
  if (connect) {
    blocks.push(
      { kind: 'paragraph', spans: [`What each target answered from ${connect.vantage}:`] },
      { kind: 'code', language: 'yaml', text: connect.answers },
    );
  }
  blocks.push(
    { kind: 'paragraph', spans: ['What it finds, as ', { code: '-o yaml' }, ' lists findings:'] },
    { kind: 'code', language: 'yaml', text: example.findings },
  );
  return blocks;
}

/** Everything said of one check; `example` is left out when there is none. */
/** A note as it reads alone: without the "; " that joins it to the message (a parenthesis stays, it is its own). */
function clauseAlone(clause: string): string {
  return clause.replace(/^[;,]?\s+/, '');
}

export function checkDoc(check: DocumentedCheck, checkExample?: CheckExample): CheckDoc {
  return {
    id: check.id,
    title: check.title,
    blocks: [
      { kind: 'list', items: facts(check) },
      { kind: 'heading', text: 'Why it matters' },
      { kind: 'paragraph', spans: [check.explanation] },
      { kind: 'heading', text: 'How to fix it' },
      { kind: 'paragraph', spans: [check.fix] },
      ...reasons(check),
      ...(checkExample ? example(check.id, checkExample) : []),
    ],
  };
}

// --- Markdown: the docs page ---

/** Prose as Markdown: the backtick spans the checks write kept, every other character shown as itself. */
function markdownProse(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/[\\*_<>[\]|]/g, (c) => `\\${c}`)
            // A citation of the reference docs is a link to it (the page sits in docs/checks/).
            .replace(/docs\/([a-z-]+\.md(?:#[a-z0-9-]+)?)/g, '[docs/$1](../$1)'),
    )
    .join('');
}

/** A code span, fenced with more backticks than it holds in a row. */
export function markdownCode(code: string): string {
  const longest = (code.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  return code.startsWith('`') || code.endsWith('`') ? `${fence} ${code} ${fence}` : `${fence}${code}${fence}`;
}

function markdownSpans(spans: Span[]): string {
  return spans.map((s) => (typeof s === 'string' ? markdownProse(s) : markdownCode(s.code))).join('');
}

export function checkDocMarkdown(doc: CheckDoc): string {
  const parts = [`# ${doc.id}`, markdownProse(doc.title)];
  for (const block of doc.blocks) {
    if (block.kind === 'heading') parts.push(`## ${block.text}`);
    else if (block.kind === 'paragraph') parts.push(markdownSpans(block.spans));
    else if (block.kind === 'list') parts.push(block.items.map((item) => `- ${markdownSpans(item)}`).join('\n'));
    else parts.push('```' + block.language + '\n' + block.text.replace(/\n?$/, '\n') + '```');
  }
  return parts.join('\n\n') + '\n';
}

// --- Plain text: explain ---

function textSpans(spans: Span[]): string {
  return spans.map((s) => (typeof s === 'string' ? s : s.code)).join('');
}

export function checkDocText(doc: CheckDoc): string {
  let text = `${doc.id}: ${doc.title}`;
  let separator = '\n\n';
  for (const block of doc.blocks) {
    text += separator;
    // A heading's text follows it on the next line.
    separator = block.kind === 'heading' ? '\n' : '\n\n';
    if (block.kind === 'heading') text += `${block.text}:`;
    else if (block.kind === 'paragraph') text += textSpans(block.spans);
    else if (block.kind === 'list') text += block.items.map((item) => `- ${textSpans(item)}`).join('\n');
    else text += block.text.replace(/\n$/, '').replace(/^(?=.)/gm, '    ');
  }
  return text + '\n';
}
