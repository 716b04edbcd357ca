// -o text: the summary table's layout (one pass, by terminal columns) and what the report says.

import { describe, expect, it } from 'vitest';
import { plainTable } from '../src/render/table.js';
import { displayWidth } from '../src/core/terminal-text.js';

describe('plainTable', () => {
  it('pads every column to its widest cell, three spaces apart, no trailing spaces', () => {
    expect(
      plainTable(
        ['A', 'BB', 'C'],
        [
          ['xyz', 'q', 'last'],
          ['', 'longer', ''],
        ],
      ),
    ).toBe(['A     BB       C', 'xyz   q        last', '      longer'].join('\n'));
  });

  it('measures terminal columns: colour codes take none, wide characters two, combining marks none', () => {
    const red = '\u001b[31mred\u001b[0m';
    const out = plainTable(
      ['NAME', 'STATUS'],
      [
        ['日本語x', red],
        ['a\u0301b', 'ok'],
      ],
    ).split('\n');
    expect(out).toEqual(['NAME      STATUS', `日本語x   ${red}`, 'a\u0301b        ok']);
    expect(displayWidth('日本語x')).toBe(7);
  });
});
