// What the full-screen views (-i, --watch on a terminal) ask of the terminal besides ink's drawing:
// the alternate screen, so that quitting gives the shell back its screen as less and k9s do; the
// alternate scroll mode (xterm's 1007), in which the mouse wheel arrives as arrow keys while text
// selection keeps working (mouse tracking would take the mouse from the user); and whether the
// terminal says it takes OSC 52 clipboard writes, asked before ink reads the keys.

import type { InputStream, OutputStream } from './streams.js';

// The alternate screen keeps the cursor where it was: ink draws from the top left.
const ENTER = '\u001b[?1049h\u001b[H\u001b[?1007h';
const LEAVE = '\u001b[?1007l\u001b[?1049l';

/** Switches to the alternate screen with wheel-as-arrows; returns what switches back (safe to call twice). */
export function enterFullScreen(out: OutputStream): () => void {
  out.write(ENTER);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    out.write(LEAVE);
  };
}

// XTGETTCAP for the Ms capability (how to set the selection: OSC 52), then primary device
// attributes, which every terminal answers: once that answer is in, so is the other's, if any.
const CLIPBOARD_QUERY = '\u001bP+q4d73\u001b\\\u001b[c';
// "DCS 1 + r 4d73=..." : the terminal has Ms.
const HAS_MS = /\u001bP1\+r4d73(?:=[0-9a-fA-F]*)?\u001b\\/;
// "CSI ? Ps ; ... c": attribute 52 is the clipboard (xterm's ctlseqs, Device Attributes).
const DEVICE_ATTRIBUTES = /\u001b\[\?([0-9;]*)c/;

/** Where the answer to the clipboard question comes from (the README's -i section names them). */
export type ClipboardSupport = 'device-attributes' | 'termcap' | 'environment' | undefined;

/**
 * Asks the terminal whether it takes OSC 52 writes: its device attributes list 52, or XTGETTCAP
 * reports Ms. ENDPOINTS_DOCTOR_OSC52=1 says yes for terminals that take OSC 52 but do not say so
 * (tmux with set-clipboard on answers neither). Gives up after `timeoutMs` (no answer: no).
 */
export async function askClipboardSupport(
  input: InputStream & { setRawMode?: (on: boolean) => unknown },
  out: OutputStream,
  env: NodeJS.ProcessEnv,
  timeoutMs = 500,
): Promise<ClipboardSupport> {
  if (env.ENDPOINTS_DOCTOR_OSC52 === '1') return 'environment';
  if (!input.setRawMode) return undefined;
  input.setRawMode(true);
  let answer = '';
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function onData(chunk: Buffer | string) {
        answer += chunk.toString();
        if (DEVICE_ATTRIBUTES.test(answer)) done();
      }
      function done() {
        clearTimeout(timer);
        input.off('data', onData);
        resolve();
      }
      input.on('data', onData);
      out.write(CLIPBOARD_QUERY);
    });
  } finally {
    input.pause();
    input.setRawMode(false);
  }
  return clipboardSupportIn(answer);
}

/** Reads the terminal's answers to CLIPBOARD_QUERY. */
export function clipboardSupportIn(answer: string): ClipboardSupport {
  if (HAS_MS.test(answer)) return 'termcap';
  const attributes = DEVICE_ATTRIBUTES.exec(answer)?.[1]?.split(';') ?? [];
  return attributes.includes('52') ? 'device-attributes' : undefined;
}

/** The OSC 52 sequence that puts `text` on the clipboard. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
