// Objects as the server receives them (a request body, a document of a file, a test's fixture) are
// JSON of unknown shape: these read them field by field. The server keeps its own copy of these
// few lines rather than src/core/json-value.ts, as it imports nothing from src/ (see
// test/server-imports.test.ts).

/** A JSON object or YAML map as parsed, before its fields are known. */
export type JsonObject = Record<string, unknown>;

/** An object that is not null or a list. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list, its items not yet known. */
export function isJsonArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** The value at `path` (names of own object fields, indexes of list items), or undefined where the value has another shape. */
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
