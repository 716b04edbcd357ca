import type { ServiceStatus } from '../core/findings.js';
// ANSI colours, only when asked for: on a TTY, without NO_COLOR, without --no-color.

/** Plain functions (no `this`), so a renderer may pass one on, as in wrap(lines, text, '', p.dim). */
export interface Palette {
  bold: (text: string) => string;
  dim: (text: string) => string;
  status: (status: ServiceStatus, text: string) => string;
}

const wrap = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const STATUS_CODES: Record<ServiceStatus, string> = {
  ok: '32',
  error: '31',
  warning: '33',
  info: '36',
  unknown: '35',
};

export function palette(enabled: boolean): Palette {
  if (!enabled) return { bold: (t) => t, dim: (t) => t, status: (_s, t) => t };
  return { bold: wrap('1'), dim: wrap('2'), status: (s, t) => wrap(STATUS_CODES[s])(t) };
}

/** kubectl's rule: colour on a terminal unless NO_COLOR is set (any value) or --no-color. */
export function colourWanted(stream: { isTTY?: boolean }, noColorFlag: boolean): boolean {
  return stream.isTTY === true && !noColorFlag && !('NO_COLOR' in process.env);
}
