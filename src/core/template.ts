// Message templates: `{{name}}` placeholders filled from a finding's data. The checks declare
// their messages as templates (checks/types.ts) and the runner fills them; a check fills the
// same kind of template for the items of a list it words itself.

/** The values a template takes its placeholders from: names, counts and lists, already worded. */
export type TemplateData = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The template with each `{{name}}` replaced by data[name], in one pass: a value is never read as
 * a template. A placeholder without data is a mistake in the check: it throws, naming `where`.
 */
export function fillTemplate(template: string, data: TemplateData | undefined, where: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data && Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined) throw new Error(`${where}: no data for {{${name}}}`);
    return String(value);
  });
}
