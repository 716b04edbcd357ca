// scanJson against JSON.parse: the same texts are valid, the same position is named when
// JSON.parse names one, and a List's items are found where they are.

import { describe, expect, it } from 'vitest';
import { lineAndColumn, scanJson } from '../../src/sources/json-text.js';

const sample = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [{ kind: 'Pod', metadata: { name: 'a', labels: { x: 'é"\\\n' } } }, 1, -2.5e3, 'x', [true, false, null], {}],
    metadata: { items: [1] },
  },
  null,
  1,
);

/** A small deterministic generator, so that the test reads the same texts every run. */
function* variants(text: string): Generator<string> {
  const noise = [',', ':', '[', ']', '{', '}', '"', '\\', ' ', '\t', '\u0001', 'a', '0', '-', '.', 'e', 'u', 't'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 3000; i++) {
    const at = next() % text.length;
    const mode = next() % 3;
    const c = noise[next() % noise.length];
    yield mode === 0
      ? text.slice(0, at) + text.slice(at + 1)
      : mode === 1
        ? text.slice(0, at) + c + text.slice(at)
        : text.slice(0, at) + c + text.slice(at + 1);
  }
  for (let cut = 0; cut < text.length; cut++) yield text.slice(0, cut);
}

describe('scanJson', () => {
  it('finds the items of the root List, and only those', () => {
    const scan = scanJson(sample);
    expect(scan.error).toBeUndefined();
    const whole = JSON.parse(sample) as { items: unknown[] };
    const items = scan.items!.spans.map(([start, end]) => JSON.parse(sample.slice(start, end)) as unknown);
    expect(items).toEqual(whole.items);
    const header: unknown = JSON.parse(`${sample.slice(0, scan.items!.open)}[]${sample.slice(scan.items!.close)}`);
    expect(header).toEqual({ ...whole, items: [] });
  });

  it('agrees with JSON.parse on what is valid, and on the position where JSON.parse names one', () => {
    let checked = 0;
    for (const text of variants(sample)) {
      let position: number | undefined;
      let valid = true;
      try {
        JSON.parse(text);
      } catch (e) {
        valid = false;
        const m = /at position (\d+)/.exec((e as Error).message);
        position = m ? Number(m[1]) : /end of JSON input/.test((e as Error).message) ? text.length : undefined;
      }
      const scan = scanJson(text);
      expect(scan.error === undefined, JSON.stringify(text)).toBe(valid);
      if (position !== undefined && scan.error?.reason !== 'unexpected end of input') {
        expect(scan.error!.offset, JSON.stringify(text)).toBe(position);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('says "unexpected end of input" wherever a text is cut', () => {
    for (let cut = 0; cut < sample.length; cut++) {
      expect(scanJson(sample.slice(0, cut)).error).toEqual({ offset: cut, reason: 'unexpected end of input' });
    }
  });

  it('strings and numbers of any length, without regex backtracking', () => {
    const long = `{"a":"${'\\n'.repeat(3_000_000)}","b":${'9'.repeat(3_000_000)}}`;
    expect(scanJson(long)).toEqual({});
  });

  it('line and column', () => {
    expect(lineAndColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});
