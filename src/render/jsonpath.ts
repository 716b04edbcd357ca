// -o jsonpath=TEMPLATE and -o custom-columns=SPEC, as kubectl takes them. kubectl's templates
// (k8s.io/client-go/util/jsonpath) are text with actions in braces: a path (`{.services[*].name}`),
// a quoted string (`{"\n"}`), or `{range PATH}...{end}`. The template is parsed here; each path
// is evaluated by jsonpath-plus, a maintained JSONPath implementation, with its safe evaluator for
// filters (no script runs). Where this differs from kubectl is in README's "Use".

import { JSONPath } from 'jsonpath-plus';
import { UsageError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';

export type TemplateNode = { text: string } | { path: string } | { range: string; body: TemplateNode[] };

/** A kubectl JSONPath expression as jsonpath-plus reads it: `.a`, `@.a` and `$.a` all start at the current object. */
function toJsonPath(expression: string): string {
  const e = expression.trim();
  if (e === '' || e === '@' || e === '$' || e === '.') return '$';
  if (e.startsWith('@') || e.startsWith('$')) return `$${e.slice(1)}`;
  if (e.startsWith('.') || e.startsWith('[')) return `$${e}`;
  // kubectl also reads a bare field name (`{name}`) as a child of the current object.
  return `$.${e}`;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/** A template's actions and text; a UsageError says what is wrong with it and where. */
export function parseTemplate(template: string, flag = '-o jsonpath'): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: { range: string; body: TemplateNode[] }[] = [];
  const current = () => stack.at(-1)?.body ?? root;
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      current().push({ text: template.slice(i) });
      break;
    }
    if (open > i) current().push({ text: template.slice(i, open) });
    // The action ends at the first } outside a quoted string.
    let close = open + 1;
    let quote: string | undefined;
    for (; close < template.length; close++) {
      const c = template[close];
      if (quote) {
        if (c === '\\') close++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (close >= template.length) throw new UsageError(`${flag}: unclosed action at offset ${open} of "${template}"`);
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (/^".*"$/s.test(action)) {
      current().push({ text: action.slice(1, -1).replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m) });
    } else if (action === 'end') {
      const range = stack.pop();
      if (!range) throw new UsageError(`${flag}: {end} without {range} in "${template}"`);
      current().push(range);
    } else if (action.startsWith('range ')) {
      stack.push({ range: action.slice('range '.length).trim(), body: [] });
    } else {
      current().push({ path: action });
    }
  }
  if (stack.length > 0) throw new UsageError(`${flag}: {range} without {end} in "${template}"`);
  for (const path of paths(root)) checkPath(path, flag);
  return root;
}

function* paths(nodes: TemplateNode[]): Generator<string> {
  for (const node of nodes) {
    if ('path' in node) yield node.path;
    else if ('range' in node) {
      yield node.range;
      yield* paths(node.body);
    }
  }
}

/** A path jsonpath-plus cannot read is a usage error before anything is read from the cluster. */
function checkPath(path: string, flag: string): void {
  try {
    // Evaluating reads the path whole (jsonpath-plus parses it first), so an empty object will do.
    evaluate(path, {});
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${(e as Error).message}`);
  }
}

/** What a path finds in `data`: every match, in document order (none when nothing matches). */
function evaluate(path: string, data: unknown): unknown[] {
  const found: unknown = JSONPath({ path: toJsonPath(path), json: data as object, wrap: true, eval: 'safe' });
  return Array.isArray(found) ? found : [];
}

/** A value as kubectl prints one (strings bare, anything else as JSON), cluster text made safe for a terminal. */
function printed(value: unknown): string {
  return terminalText(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The template run over `data`; several matches of one path are printed space-separated, as kubectl does. */
export function executeTemplate(nodes: TemplateNode[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    if ('text' in node) out += node.text;
    else if ('path' in node) out += evaluate(node.path, data).map(printed).join(' ');
    else for (const item of evaluate(node.range, data)) out += executeTemplate(node.body, item);
  }
  return out;
}

export interface Column {
  header: string;
  template: TemplateNode[];
}

/** `NAME:.name,STATUS:{.status}`: each column's header and path, as kubectl's custom-columns reads them. */
export function parseColumns(spec: string): Column[] {
  const flag = '-o custom-columns';
  if (spec.trim() === '') throw new UsageError(`${flag}: no columns given (e.g. NAME:.name,STATUS:.status)`);
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new UsageError(`${flag}: "${part}" is not HEADER:PATH (e.g. NAME:.name)`);
    const path = part.slice(colon + 1).trim();
    const braced = path.startsWith('{') ? path : `{${path}}`;
    return { header: part.slice(0, colon).trim(), template: parseTemplate(braced, flag) };
  });
}

/** One cell: the matches joined by commas, as kubectl's custom-columns prints them; <none> when there are none. */
export function columnValue(column: Column, row: unknown): string {
  const node = column.template[0];
  const values = node && 'path' in node ? evaluate(node.path, row) : [];
  return values.length === 0 ? '<none>' : values.map(printed).join(',');
}
