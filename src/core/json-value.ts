// Values parsed from outside the program (JSON, YAML, an API body, a child's output) are `unknown`:
// these read them field by field, so that a value of another shape reads as undefined instead of
// throwing a TypeError or passing unchecked as `any`.

/** A JSON object or YAML map as parsed, before its fields are known. */
export type JsonObject = Record<string, unknown>;

/** An object that is not null or a list: what a JSON object or YAML map parses to. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list, its items not yet known (Array.isArray would type them `any`). */
export function isJsonArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/**
 * The value at `path` (names of object fields, indexes of list items), or undefined where the
 * value has another shape. Only own fields count: "__proto__" or "constructor" in cluster text
 * names a field, never something inherited.
 */
export function valueAt(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!isJsonArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/** The string at `path`, or undefined when there is none or it is not a string. */
export function stringAt(value: unknown, ...path: (string | number)[]): string | undefined {
  const found = valueAt(value, ...path);
  return typeof found === 'string' ? found : undefined;
}
