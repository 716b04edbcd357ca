// ink hands useInput what one read of the terminal returned: keys typed ahead or pasted arrive
// together ("jj", "/web\r"). The views act on each key of it; escape sequences (arrows, PgDn)
// come whole and are passed on as they are.

import type { Key } from 'ink';

export function eachKey(onKey: (input: string, key: Key) => void): (input: string, key: Key) => void {
  return (input, key) => {
    if (input.length <= 1 || input.includes('\u001b')) return onKey(input, key);
    for (const c of input) {
      const enter = c === '\r';
      const backspace = c === '\u007f';
      onKey(enter || backspace ? '' : c, { ...key, return: enter, backspace });
    }
  };
}
