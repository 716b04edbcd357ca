// A pane of lines taller than its room: the part from an offset, with counts of what is above
// and below, so that the views scroll without hiding that there is more.

/** The lines from `offset` that fit in `room`, saying how many are above and below (and which keys scroll there). */
export function fitLines(lines: string[], room: number, offset = 0, keys = { up: 'k', down: 'j' }): string[] {
  if (lines.length <= room) return lines;
  const from = Math.max(0, Math.min(offset, lines.length - room + 1));
  const above = from > 0 ? [`… ${from} lines above (${keys.up})`] : [];
  const space = room - above.length;
  const below = lines.length - from > space ? lines.length - from - (space - 1) : 0;
  const shown = lines.slice(from, from + (below > 0 ? space - 1 : space));
  return [...above, ...shown, ...(below > 0 ? [`… ${below} more lines (${keys.down})`] : [])];
}

/** How far `lines` can scroll in `room`. */
export function maxOffset(lines: number, room: number): number {
  return Math.max(0, lines - room + 1);
}
