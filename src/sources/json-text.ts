// JSON text checked in one pass without recursion: where its first syntax error is (JSON.parse
// names no position for an unexpected token), and where the items of a List are, so that each
// item is parsed on its own: a 500 MB List then never exists as one tree of objects.

export interface JsonScan {
  /** Offset and reason of the first syntax error. */
  error?: { offset: number; reason: string };
  /** The root object's "items" array: its brackets' offsets, and each item's [start, end). */
  items?: { open: number; close: number; spans: [number, number][] };
}

const WHITESPACE = /[ \t\n\r]*/y;
const LITERAL = /true|false|null/y;
/** What ends a run of plain characters in a string. No regex matches a whole string or number: on a long one, its backtracking would overflow. */
const STRING_SPECIAL = /["\\\u0000-\u001f]/g;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The offset after the string that starts at `at`, or -1 - the offset of what is wrong in it. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    STRING_SPECIAL.lastIndex = i;
    const special = STRING_SPECIAL.exec(text);
    if (!special) return -1 - text.length;
    const j = special.index;
    if (text[j] === '"') return j + 1;
    ESCAPE.lastIndex = j;
    if (text[j] !== '\\' || !ESCAPE.test(text)) {
      // A control character, or where an escape goes wrong (as JSON.parse points: after the backslash, at the first non-hex digit).
      if (text[j] !== '\\') return -1 - j;
      let bad = j + 1;
      if (text[bad] === 'u') for (bad++; bad < j + 6 && /[0-9a-fA-F]/.test(text[bad] ?? '');) bad++;
      return -1 - Math.min(bad, text.length);
    }
    i = ESCAPE.lastIndex;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitsEnd(text: string, at: number): number {
  while (isDigit(text.charCodeAt(at))) at++;
  return at;
}

/** The offset after the number that starts at `at`, or -1 - the offset of what is wrong in it. */
function numberEnd(text: string, at: number): number {
  let i = at;
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (isDigit(text.charCodeAt(i))) i = digitsEnd(text, i);
  else return -1 - i;
  if (text[i] === '.') {
    if (!isDigit(text.charCodeAt(i + 1))) return -2 - i;
    i = digitsEnd(text, i + 1);
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text.charCodeAt(i))) return -1 - i;
    i = digitsEnd(text, i);
  }
  return i;
}

const OBJECT = 0;
const ARRAY = 1;
/** The root object's "items" array: its values are recorded. */
const ITEMS = 2;

const enum State {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  AfterValue,
}

export function scanJson(text: string): JsonScan {
  const stack: number[] = [];
  let at = 0;
  let state = State.Value;
  let nextIsItems = false;
  let itemStart = 0;
  let items: JsonScan['items'];
  const match = (re: RegExp): boolean => {
    re.lastIndex = at;
    if (!re.test(text)) return false;
    at = re.lastIndex;
    return true;
  };
  /** Moves past a string or number ending at `end` (see stringEnd); false, at the fault, when it is malformed. */
  const skip = (end: number): boolean => {
    if (end < 0) {
      at = -1 - end;
      return false;
    }
    at = end;
    return true;
  };
  const fail = (expected: string): JsonScan => {
    const found = at >= text.length ? 'end of input' : JSON.stringify(text[at]);
    return {
      error: { offset: at, reason: at >= text.length ? 'unexpected end of input' : `${expected}, found ${found}` },
    };
  };
  for (;;) {
    match(WHITESPACE);
    const c = text[at];
    const top = stack[stack.length - 1];
    switch (state) {
      case State.ValueOrEnd:
      case State.KeyOrEnd:
        if (c === (state === State.ValueOrEnd ? ']' : '}')) {
          at++;
          stack.pop();
          if (top === ITEMS) items!.close = at;
          state = State.AfterValue;
          break;
        }
        state = state === State.ValueOrEnd ? State.Value : State.Key;
        continue;
      case State.Key: {
        const keyStart = at;
        if (c !== '"') return fail('expected a double-quoted key');
        if (!skip(stringEnd(text, at))) return fail('a control character or a bad escape in a string');
        const isItemsKey = stack.length === 1 && text.slice(keyStart, at) === '"items"';
        match(WHITESPACE);
        if (text[at] !== ':') return fail("expected ':' after a key");
        at++;
        nextIsItems = isItemsKey;
        state = State.Value;
        continue;
      }
      case State.AfterValue:
        if (top === undefined) {
          if (at < text.length) return fail('unexpected text after the JSON value');
          return { items };
        }
        if (c === ',') {
          at++;
          state = top === OBJECT ? State.Key : State.Value;
          continue;
        }
        if (c === (top === OBJECT ? '}' : ']')) {
          at++;
          stack.pop();
          if (top === ITEMS) items!.close = at;
          break;
        }
        return fail(top === OBJECT ? "expected ',' or '}'" : "expected ',' or ']'");
      case State.Value: {
        const isItems = nextIsItems;
        nextIsItems = false;
        if (top === ITEMS) itemStart = at;
        if (c === '{' || c === '[') {
          if (c === '[' && isItems) items = { open: at, close: at, spans: [] };
          stack.push(c === '{' ? OBJECT : isItems ? ITEMS : ARRAY);
          at++;
          state = c === '{' ? State.KeyOrEnd : State.ValueOrEnd;
          continue;
        }
        if (c === '"') {
          if (!skip(stringEnd(text, at))) return fail('a control character or a bad escape in a string');
        } else if (c === '-' || isDigit(text.charCodeAt(at))) {
          if (!skip(numberEnd(text, at))) return fail('a bad number');
        } else if (!match(LITERAL)) {
          // Point where a literal goes wrong ("fals" then "e"), as JSON.parse does: at the end of a cut text.
          const literal = ['true', 'false', 'null'].find((l) => l[0] === c);
          for (let k = 0; literal && k < literal.length && text[at] === literal[k]; k++) at++;
          return fail('expected a value');
        }
        state = State.AfterValue;
        break;
      }
    }
    // A value ended: an item when its container is the items array.
    if (stack[stack.length - 1] === ITEMS) items!.spans.push([itemStart, at]);
  }
}

/** Line and column (1-based) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
