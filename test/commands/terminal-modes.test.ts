// What the full-screen views ask of the terminal: the alternate screen and wheel-as-arrows, undone
// once on the way out; whether it takes OSC 52 clipboard writes, by its own answer only.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askClipboardSupport, clipboardSupportIn, enterFullScreen, osc52 } from '../../src/commands/terminal-modes.js';

/** A terminal that answers what is written to it with `answer` (or nothing), in raw mode only. */
function fakeTerminal(answer?: string) {
  const input = Object.assign(new PassThrough(), { raw: false, setRawMode: (on: boolean) => (input.raw = on) });
  const written: string[] = [];
  const out = new PassThrough();
  out.on('data', (d: Buffer) => {
    written.push(d.toString());
    if (answer !== undefined && input.raw) setImmediate(() => input.write(answer));
  });
  return { input, out, written };
}

describe('clipboardSupportIn', () => {
  it.each([
    // xterm-like: device attributes list 52 (the clipboard).
    ['\u001b[?64;1;2;6;9;15;16;17;18;21;22;28;52c', 'device-attributes'],
    // XTGETTCAP knows Ms, whatever the attributes say.
    ['\u001bP1+r4d73=1b5d35323b25703125733b25703225730761\u001b\\\u001b[?62;22c', 'termcap'],
    // tmux 3.3: neither.
    ['\u001b[?1;2c', undefined],
    // XTGETTCAP says it does not know Ms.
    ['\u001bP0+r4d73\u001b\\\u001b[?62;4c', undefined],
    // 52 as part of another number is not 52.
    ['\u001b[?152;4c', undefined],
    ['', undefined],
  ])('%j → %s', (answer, support) => {
    expect(clipboardSupportIn(answer)).toBe(support);
  });
});

describe('askClipboardSupport', () => {
  it('asks (XTGETTCAP Ms, then device attributes) and reads the answer; leaves raw mode and the input paused', async () => {
    const term = fakeTerminal('\u001b[?62;4;52c');
    expect(await askClipboardSupport(term.input, term.out, {})).toBe('device-attributes');
    expect(term.written.join('')).toBe('\u001bP+q4d73\u001b\\\u001b[c');
    expect(term.input.raw).toBe(false);
    expect(term.input.isPaused()).toBe(true);
  });

  it('a terminal that does not answer: no, after the deadline', async () => {
    const term = fakeTerminal();
    expect(await askClipboardSupport(term.input, term.out, {}, 50)).toBeUndefined();
    expect(term.input.raw).toBe(false);
  });

  it('ENDPOINTS_DOCTOR_OSC52=1 says yes without asking; input that is no terminal is not asked', async () => {
    const term = fakeTerminal('\u001b[?1;2c');
    expect(await askClipboardSupport(term.input, term.out, { ENDPOINTS_DOCTOR_OSC52: '1' })).toBe('environment');
    expect(term.written).toEqual([]);
    expect(await askClipboardSupport(new PassThrough(), term.out, {})).toBeUndefined();
    expect(term.written).toEqual([]);
  });
});

describe('osc52 and enterFullScreen', () => {
  it('osc52 carries the text base64-encoded, so that nothing in it reaches the terminal as is', () => {
    expect(osc52('kubectl get pods')).toBe(`\u001b]52;c;${Buffer.from('kubectl get pods').toString('base64')}\u0007`);
  });

  it('enters the alternate screen with wheel-as-arrows, and leaves both once however often it is asked', () => {
    const out = new PassThrough();
    const written: string[] = [];
    out.on('data', (d: Buffer) => written.push(d.toString()));
    const leave = enterFullScreen(out);
    leave();
    leave();
    expect(written).toEqual(['\u001b[?1049h\u001b[H\u001b[?1007h', '\u001b[?1007l\u001b[?1049l']);
  });
});
