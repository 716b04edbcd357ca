// Reading and changing fields of the raw objects the builders return, which test/support/objects.ts
// types Record<string, unknown>. The builders always set the fields the stories touch, so a field
// of another shape is a mistake in the example: these throw rather than write a wrong snapshot.

import { isJsonArray, isJsonObject, valueAt } from '../../src/core/json-value.js';
import type { Raw } from '../../test/support/objects.js';

type Path = (string | number)[];

/** The map at `path`, to read or to change in place. */
export function mapAt(o: Raw, ...path: Path): Raw {
  const found = valueAt(o, ...path);
  if (!isJsonObject(found)) throw new Error(`example object: ${path.join('.')} is not a map`);
  return found;
}

/** The maps listed at `path`, to read or to change in place. */
export function mapsAt(o: Raw, ...path: Path): Raw[] {
  const found = valueAt(o, ...path);
  if (!isJsonArray(found) || !found.every(isJsonObject))
    throw new Error(`example object: ${path.join('.')} is not a list of maps`);
  return found;
}

/** The string at `path`. */
export function textAt(o: Raw, ...path: Path): string {
  const found = valueAt(o, ...path);
  if (typeof found !== 'string') throw new Error(`example object: ${path.join('.')} is not a string`);
  return found;
}

/** The map of strings at `path`, such as labels. */
export function labelsAt(o: Raw, ...path: Path): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(mapAt(o, ...path))) labels[key] = textAt(o, ...path, key);
  return labels;
}
