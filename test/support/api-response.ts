// Reads API bodies and client output in tests that check them field by field. Where a field the
// test goes on to read is missing or of another shape, these throw and fail the test at the read,
// naming the path, so that a missing field can never pass as an undefined one that was expected.

import { isJsonArray, isJsonObject, valueAt, type JsonObject } from '../../src/core/json-value.js';

type Path = (string | number)[];

function shapeError(expected: string, found: unknown, path: Path): Error {
  const what = found === null ? 'null' : isJsonArray(found) ? 'a list' : typeof found;
  return new Error(`expected ${expected} at ${path.join('.') || 'the top'}, found ${what}`);
}

/** The object at `path`; throws when there is none. */
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

/** The string at `path`; throws when there is none. */
export function requiredString(value: unknown, ...path: Path): string {
  const found = valueAt(value, ...path);
  if (typeof found !== 'string') throw shapeError('a string', found, path);
  return found;
}
