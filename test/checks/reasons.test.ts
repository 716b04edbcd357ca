// Every reason a check can report is declared with its severity and documented: docs/report.md
// lists exactly the reasons the checks declare, in the order of `kubectl endpoints-doctor checks`.

import { describe, expect, it } from 'vitest';
import { CHECKS, CONNECT_CHECKS, DATAPLANE_CHECKS, FROM_CHECKS } from '../../src/checks/index.js';
import { documentedReasons } from '../support/report-doc.js';

const ALL = [...CHECKS, ...DATAPLANE_CHECKS, ...CONNECT_CHECKS, ...FROM_CHECKS];

describe('reasons', () => {
  it('docs/report.md lists every reason of every check, with its severity, and no other', () => {
    const declared = ALL.flatMap((c) =>
      Object.keys(c.messages).map((reason) => ({
        check: c.id,
        reason,
        severity: c.severities?.[reason] ?? c.severity,
      })),
    );
    expect(documentedReasons()).toEqual(declared);
  });

  it('a severity is given only to a reason the check declares', () => {
    for (const c of ALL) {
      expect(
        Object.keys(c.severities ?? {}).filter((id) => !(id in c.messages)),
        c.id,
      ).toEqual([]);
    }
  });

  it('reasons and notes are camelCase ids', () => {
    for (const c of ALL) {
      for (const id of [...Object.keys(c.messages), ...Object.keys(c.notes ?? {})]) {
        expect(id, c.id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      }
    }
  });
});
