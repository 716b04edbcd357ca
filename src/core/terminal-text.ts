// Text for a terminal. Cluster text (names, labels, annotation values, container and condition
// messages) is data: before any terminal output it goes through terminalText, so that it can
// neither drive the terminal (retitle it, erase the screen, write the clipboard, make links)
// nor forge report lines or reorder them on screen. And how many columns a string takes, so that
// tables line up in one pass.

/**
 * What a terminal acts on rather than shows, beyond the C0 controls: DEL, the C1 controls (8-bit
 * CSI, OSC...), line and paragraph separators, and the bidi controls that reorder text on screen
 * (embeddings, overrides, isolates, marks). The JSON, YAML, JUnit and Markdown renderers escape
 * these in their own syntax; their syntax already takes care of C0.
 */
export const BEYOND_C0 = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK = /\r\n|[\r\n\t\u2028\u2029]/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The character as a visible escape: \x1b, \u202e. */
export function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : unicodeEscape(char);
}

/** The character as \uXXXX, the escape JSON, YAML double-quoted scalars and the JUnit text share. */
export function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Cluster text made safe to print: line breaks and tabs folded to spaces, every other control
 * and bidi character shown as a visible escape. Apply it to the data, before any colour is added:
 * the tool's own colour codes are escape sequences too.
 */
export function terminalText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(LINE_BREAK, ' ').replace(CONTROL, visibleEscape);
}

/** The tool's own colour codes (SGR): they take no column. */
const SGR = /\u001b\[[0-9;]*m/g;
/**
 * Text of one column per UTF-16 unit: printable ASCII and Latin, general punctuation, arrows and
 * the box drawing of the tree. Most cells are only that, and are measured by their length.
 */
const NARROW_ONLY = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2190-\u21ff\u2500-\u25fc]*$/;
/** Combining marks and format characters (zero-width joiner, bidi marks): no column of their own. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth W and F), which take two columns. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns the text takes on a terminal, colour codes left out. */
export function displayWidth(text: string): number {
  if (NARROW_ONLY.test(text)) return text.length;
  let width = 0;
  for (const char of text.replace(SGR, '')) {
    const cp = char.codePointAt(0)!;
    if (ZERO_WIDTH.test(char)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

/** The text followed by spaces up to `width` columns. */
export function padEnd(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}
