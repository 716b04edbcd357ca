// Every check, in report order. The id of each is part of the public contract for CI.

import { selectorNoMatch } from './selector-no-match.js';
import type { Check } from './types.js';

export const CHECKS: Check[] = [selectorNoMatch];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
