// The reasons docs/report.md documents: its table of every check's reasons, read back.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface DocumentedReason {
  check: string;
  reason: string;
  severity: string;
}

const ROW = /^\| `([a-z0-9-]+)` \| `(\w+)` \| (error|warning|info) \| .+ \|$/;

export function documentedReasons(): DocumentedReason[] {
  const text = readFileSync(resolve(import.meta.dirname, '../../docs/report.md'), 'utf8');
  return text.split('\n').flatMap((line) => {
    const m = ROW.exec(line);
    return m ? [{ check: m[1], reason: m[2], severity: m[3] }] : [];
  });
}
