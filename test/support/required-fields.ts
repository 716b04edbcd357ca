// Reads fields of parsed bodies, client output and built objects where the test (or the example
// generator) goes on to read or change them. A field that is missing or of another shape throws,
// naming the path, so that it can never pass as an undefined that was expected or be written into
// a wrong snapshot.

import { isJsonArray, isJsonObject, valueAt, type JsonObject } from '../../src/core/json-value.js';

type Path = (string | number)[];

function shapeError(expected: string, found: unknown, path: Path): Error {
  const what = found === null ? 'null' : isJsonArray(found) ? 'a list' : typeof found;
  return new Error(`expected ${expected} at ${path.join('.') || 'the top'}, found ${what}`);
}

/** The object at `path`, to read or to change in place; throws when there is none. */
export function requiredObject(value: unknown, ...path: Path): JsonObject {
  const found = valueAt(value, ...path);
  if (!isJsonObject(found)) throw shapeError('an object', found, path);
  return found;
}

/** The list at `path`; throws when there is none. */
export function requiredList(value: unknown, ...path: Path): unknown[] {
  const found = valueAt(value, ...path);
  if (!isJsonArray(found)) throw shapeError('a list', found, path);
  return found;
}

/** The objects listed at `path`, to read or to change in place; throws when it is no list of objects. */
export function requiredObjects(value: unknown, ...path: Path): JsonObject[] {
  const found = requiredList(value, ...path);
  if (!found.every(isJsonObject)) throw shapeError('a list of objects', found, path);
  return found;
}

/** The string at `path`; throws when there is none. */
export function requiredString(value: unknown, ...path: Path): string {
  const found = valueAt(value, ...path);
  if (typeof found !== 'string') throw shapeError('a string', found, path);
  return found;
}

/** The map of strings at `path`, such as labels; throws when it is none. */
export function requiredStrings(value: unknown, ...path: Path): Record<string, string> {
  const map: Record<string, string> = {};
  for (const key of Object.keys(requiredObject(value, ...path))) map[key] = requiredString(value, ...path, key);
  return map;
}
