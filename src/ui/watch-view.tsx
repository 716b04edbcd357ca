// --watch on a terminal: the chosen output (report, table or tree) kept on screen and redrawn
// as the cluster changes, under a header that says when it was updated, what changed in the
// latest update that changed something, and whether a watch is failing.

import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { eachKey } from './each-key.js';
import { useRef, useState } from 'react';
import { terminalText } from '../core/terminal-text.js';
import { fitLines, maxOffset } from './fit-lines.js';

export interface WatchViewProps {
  /** The rendered output, as the one-shot command prints it. */
  body: string;
  updatedAt: Date;
  /** The latest changes (describeChange lines) and when they happened; empty before the first. */
  changes: { at: Date; lines: string[] };
  /** A watch failing and being retried. */
  trouble?: string;
  /** Terminal rows: the body is cut to fit, so that the screen is redrawn in place. */
  rows: number;
  /** Colours for the header lines (NO_COLOR and --no-color turn them off). */
  colour: boolean;
}

const clock = (d: Date) => d.toTimeString().slice(0, 8);

export function WatchView({ body, updatedAt, changes, trouble, rows, colour }: WatchViewProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [offset, setOffset] = useState(0);
  // The body's page and how far it scrolls, as the last render laid it out.
  const layout = useRef({ page: 10, max: 0 });
  useInput(
    eachKey((input, key) => {
      const scroll = (by: number) => setOffset((at) => Math.max(0, Math.min(layout.current.max, at + by)));
      if (input === 'q') exit();
      else if (key.downArrow || input === 'j') scroll(1);
      else if (key.upArrow || input === 'k') scroll(-1);
      else if (key.pageDown || input === ' ') scroll(layout.current.page);
      else if (key.pageUp || input === 'b') scroll(-layout.current.page);
      else if (key.home || input === 'g') scroll(-layout.current.max);
      else if (key.end || input === 'G') scroll(layout.current.max);
    }),
    { isActive: isRawModeSupported === true },
  );

  const header = [
    `watching · updated ${clock(updatedAt)}${isRawModeSupported ? ' · ↑/↓ PgUp/PgDn g/G scroll · q quits' : ' · Ctrl-C quits'}`,
  ];
  const changeLines = changes.lines.length
    ? [`changed at ${clock(changes.at)}:`, ...changes.lines.map((l) => `  ${l}`)]
    : [];
  const room = Math.max(3, rows - 2 - header.length - changeLines.length - (trouble ? 1 : 0));
  const lines = body.replace(/\n$/, '').split('\n');
  layout.current = { page: Math.max(1, room - 2), max: maxOffset(lines.length, room) };
  const shown = fitLines(lines, room, offset);
  return (
    <Box flexDirection="column">
      <Text dimColor>{header[0]}</Text>
      {trouble ? <Text color={colour ? 'yellow' : undefined}>{terminalText(trouble)}</Text> : null}
      {changeLines.map((line, i) => (
        <Text key={`c${i}`} color={colour ? 'yellow' : undefined} bold={i === 0}>
          {line}
        </Text>
      ))}
      <Text> </Text>
      <Text>{shown.join('\n')}</Text>
    </Box>
  );
}
