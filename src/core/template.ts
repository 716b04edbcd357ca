// Message templates: `{{name}}` placeholders filled from a finding's data. The checks declare
// their messages as templates (checks/types.ts) and the runner fills them; a check fills the
// same kind of template for the items of a list it words itself.

/** The values a template takes its placeholders from: names, counts and lists, already worded. */
export type TemplateData = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A template split once: literal text at even indexes, placeholder names at odd ones. */
type CompiledTemplate = readonly string[];

/** Templates are the checks' constants, a few hundred: each is split on its first use. */
const compiledTemplates = new Map<string, CompiledTemplate>();

function compiled(template: string): CompiledTemplate {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    const split: string[] = [];
    let at = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      split.push(template.slice(at, match.index), match[1]);
      at = match.index + match[0].length;
    }
    split.push(template.slice(at));
    compiledTemplates.set(template, (parts = split));
  }
  return parts;
}

/**
 * The template with each `{{name}}` replaced by data[name], in one pass: a value is never read as
 * a template. A placeholder without data is a mistake in the check: it throws, naming where
 * (`where()`, built only then).
 */
export function fillTemplate(template: string, data: TemplateData | undefined, where: () => string): string {
  const parts = compiled(template);
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    const value = data && Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined) throw new Error(`${where()}: no data for {{${name}}}`);
    text += String(value) + parts[i + 1];
  }
  return text;
}
