// The labelSelector query parameter, parsed and matched as the API server does with apimachinery's
// labels.Parse: a lexer, then a recursive-descent parser over its tokens, then NewRequirement's
// checks of keys and values. The server keeps its own copy rather than the doctor's parser (in
// src/), so that the tests of the doctor against this server do not check that code with itself.
// https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apimachinery/pkg/labels/selector.go

/** A selector or field selector the real server would answer with 400 Bad Request. */
export class SelectorError extends Error {}

type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  /** Deduplicated, as the parser's string sets are; empty for exists and !exists. */
  values: string[];
}

// ---------------------------------------------------------------------------------------------
// Lexer

type TokenKind = 'end' | 'identifier' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

/** Literals that are tokens of their own: the operators, parentheses, comma, and the keywords. */
const LITERALS: ReadonlySet<string> = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<', 'in', 'notin']);

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos])) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    if (isSpecialSymbol(text[pos])) {
      // The longest run of symbols that is still an operator: "!=" rather than "!" then "=". Every
      // symbol alone is a token, so a run always yields one.
      let symbol = text[pos++];
      while (pos < text.length && LITERALS.has(symbol + text[pos])) symbol += text[pos++];
      tokens.push({ kind: symbol as TokenKind, text: symbol });
    } else {
      // An identifier runs to the next whitespace or symbol; "in" and "notin" are keywords.
      const start = pos;
      while (pos < text.length && !isWhitespace(text[pos]) && !isSpecialSymbol(text[pos])) pos++;
      const word = text.slice(start, pos);
      tokens.push({ kind: LITERALS.has(word) ? (word as TokenKind) : 'identifier', text: word });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

/** The binary operators as apimachinery's selection package spells them, for error messages. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  /**
   * The current token. Where a value may stand, the keywords "in" and "notin" are plain identifiers
   * ("a in (in)", "in=notin"); only where an operator may stand are they operators.
   */
  peek(context: 'values' | 'operator' = 'values'): Token {
    const token = this.tokens[Math.min(this.position, this.tokens.length - 1)];
    return context === 'values' && (token.kind === 'in' || token.kind === 'notin')
      ? { kind: 'identifier', text: token.text }
      : token;
  }

  next(context: 'values' | 'operator' = 'values'): Token {
    const token = this.peek(context);
    this.position++;
    return token;
  }

  selector(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== '!')
        throw new SelectorError(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (e) {
        throw e instanceof SelectorError ? new SelectorError(`unable to parse requirement: ${e.message}`) : e;
      }
      const after = this.next();
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') throw new SelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.kind !== 'identifier' && following.kind !== '!')
        throw new SelectorError(`found '${following.text}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let negated = false;
    let token = this.next();
    if (token.kind === '!') {
      negated = true;
      token = this.next();
    }
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    const key = token.text;
    checkKey(key);
    // "!key" ends the requirement whatever follows (the caller then wants a comma or the end);
    // "key" alone, before a comma or the end, is "exists".
    const following = this.peek().kind;
    if (negated) return { key, op: '!exists', values: [] };
    if (following === 'end' || following === ',') return { key, op: 'exists', values: [] };

    const operator = this.next('operator');
    let op: LabelOperator;
    let values: string[];
    switch (operator.kind) {
      case 'in':
      case 'notin':
        op = operator.kind;
        values = this.valueSet();
        break;
      case '=':
      case '==':
      case '!=':
        op = operator.kind;
        values = [this.exactValue()];
        break;
      case '>':
      case '<':
        op = operator.kind === '>' ? 'gt' : 'lt';
        values = [this.exactValue()];
        if (parseInt64(values[0]) === undefined)
          throw new SelectorError(
            `values[0]: Invalid value: "${values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        break;
      default:
        throw new SelectorError(`found '${operator.text}', expected: ${BINARY_OPERATORS}`);
    }
    for (const value of values) checkValue(key, value);
    return { key, op, values };
  }

  /** "(a,b)"; "()" and empty items stand for the empty value. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new SelectorError(`found '${open.text}' expected: '('`);
    const first = this.peek();
    if (first.kind === ')') {
      this.next();
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',')
      throw new SelectorError(`found '${first.text}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const token = this.next();
      if (token.kind === 'identifier') {
        values.add(token.text);
        const after = this.peek();
        if (after.kind === ')') break;
        if (after.kind !== ',') throw new SelectorError(`found '${after.text}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        // A comma first, last or doubled leaves an empty value: "(,a)", "(a,)", "(a,,b)".
        if (values.size === 0) values.add('');
        const after = this.peek().kind;
        if (after === ')') {
          values.add('');
          break;
        }
        if (after === ',') values.add('');
      } else throw new SelectorError(`found '${token.text}', expected: ',', or identifier`);
    }
    this.next(); // the ')'
    return [...values];
  }

  /** The value after =, ==, !=, > or <; nothing before a comma or the end is the empty value. */
  private exactValue(): string {
    const following = this.peek().kind;
    if (following === 'end' || following === ',') return '';
    const token = this.next();
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    return token.text;
  }
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  return new Parser(lex(text)).selector();
}

// ---------------------------------------------------------------------------------------------
// Keys and values (apimachinery's validation.IsQualifiedName and IsValidLabelValue)

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function invalid(what: string, value: string, why: string): SelectorError {
  return new SelectorError(`${what}: Invalid value: "${value}": ${why}`);
}

function checkKey(key: string): void {
  const parts = key.split('/');
  if (parts.length > 2) throw invalid('key', key, 'a qualified name may hold at most one "/"');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix === '' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    throw invalid('key', key, 'prefix part must be a DNS subdomain (lower case) of at most 253 characters');
  if (name.length > 63 || !NAME.test(name))
    throw invalid(
      'key',
      key,
      'name part must be 1 to 63 alphanumeric characters, "-", "_" or ".", starting and ending alphanumeric',
    );
}

function checkValue(key: string, value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value))
    throw invalid(
      `values[${key}]`,
      value,
      'a label value must be empty or up to 63 alphanumeric characters, "-", "_" or ".", starting and ending alphanumeric',
    );
}

// ---------------------------------------------------------------------------------------------
// Matching (Requirement.Matches)

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(text, 10, 64): optional sign, decimal digits, within int64. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, unknown> | undefined): boolean {
  return requirements.every(({ key, op, values }) => {
    // Only own keys: "constructor" is a valid label key, and a plain object inherits one.
    const value = labels !== undefined && Object.hasOwn(labels, key) ? String(labels[key]) : undefined;
    switch (op) {
      case 'exists':
        return value !== undefined;
      case '!exists':
        return value === undefined;
      case '=':
      case '==':
      case 'in':
        return value !== undefined && values.includes(value);
      case '!=':
      case 'notin':
        return value === undefined || !values.includes(value);
      case 'gt':
      case 'lt': {
        const actual = value === undefined ? undefined : parseInt64(value);
        const bound = parseInt64(values[0])!;
        return actual !== undefined && (op === 'gt' ? actual > bound : actual < bound);
      }
    }
  });
}
