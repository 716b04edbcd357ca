// Tables as kubectl get prints them: no borders, columns three spaces apart. Laid out in one
// pass, each cell measured once: 10,000 rows cost ten times what 1,000 do.

import { displayWidth } from '../core/terminal-text.js';

const COLUMN_GAP = '   ';

/** `headers` false: the rows alone, laid out as if the head were not there (kubectl's --no-headers). */
export function plainTable(head: string[], rows: string[][], headers = true): string {
  const columns = head.length;
  const widths = head.map((h) => (headers ? displayWidth(h) : 0));
  const all = headers ? [head] : [];
  for (const row of rows) all.push(row);
  // Every cell's width, row after row, then the column widths from them.
  const cellWidths: number[] = [];
  for (const row of all) {
    for (let i = 0; i < columns; i++) {
      const width = displayWidth(row[i] ?? '');
      cellWidths.push(width);
      if (width > widths[i]) widths[i] = width;
    }
  }
  const lines: string[] = [];
  all.forEach((row, r) => {
    let line = '';
    for (let i = 0; i < columns - 1; i++)
      line += (row[i] ?? '') + ' '.repeat(widths[i] - cellWidths[r * columns + i]) + COLUMN_GAP;
    lines.push((line + (row[columns - 1] ?? '')).trimEnd());
  });
  return lines.join('\n');
}
