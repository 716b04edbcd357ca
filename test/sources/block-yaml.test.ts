// writeBlockYaml and readBlockYaml, checked against the yaml library: what the fast reader reads,
// it reads as the library does (YAML 1.2, core schema), and what it is unsure of, it declines.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBlockYaml, writeBlockYaml } from '../../src/sources/block-yaml.js';

const awkwardStrings = [
  'web',
  '',
  ' leading',
  'trailing ',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'True',
  'null',
  '~',
  '123',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '.nan',
  '1.0',
  '10.0.0.1',
  'fd00::1',
  '2026-11-01T00:00:00Z',
  'a: b',
  'a #b',
  '#x',
  '- x',
  '-',
  '*alias',
  '&anchor',
  '!tag',
  '|',
  '>',
  '[x]',
  '{x}',
  '"quoted"',
  "it's",
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'cr\rhere',
  'nul\u0000',
  'del\u007f c1\u0085',
  'sep\u2028\u2029',
  'bom\ufeff',
  'héllo ☃ 😀',
  'esc\u001b[2J',
  '---',
  '...',
  '%YAML',
  '@at',
  '`tick',
];

describe('writeBlockYaml', () => {
  it('every string reads back as itself, by the fast reader and by the yaml library', () => {
    const object = Object.fromEntries(awkwardStrings.map((s, i) => [`k${i}`, s]));
    const keys = Object.fromEntries(awkwardStrings.map((s) => [s, 'v']));
    for (const o of [object, keys, { list: awkwardStrings }]) {
      const text = writeBlockYaml(o);
      expect(readBlockYaml(text)).toEqual(o);
      expect(parse(text)).toEqual(o);
    }
  });

  it('writes kubectl layout: block maps, lists at their key, {} and [] inline', () => {
    const text = writeBlockYaml({
      kind: 'Pod',
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }], readinessProbe: {} }], volumes: [] },
    });
    expect(text).toBe(
      [
        'kind: Pod',
        'spec:',
        '  containers:',
        '  - name: app',
        '    ports:',
        '    - containerPort: 80',
        '    readinessProbe: {}',
        '  volumes: []',
        '',
      ].join('\n'),
    );
  });

  it('leaves out undefined, as JSON does', () => {
    expect(writeBlockYaml({ a: 1, b: undefined })).toBe('a: 1\n');
  });
});

describe('readBlockYaml', () => {
  it('reads kubectl-style YAML (plain scalars, lists at their key) as the yaml library does', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  labels:',
      '    app: web',
      '    version: "1.0"',
      "    enabled: 'true'",
      '  name: web-1',
      'spec:',
      '  containers:',
      '  - image: nginx:1.25',
      '    ports:',
      '    - containerPort: 80',
      '      protocol: TCP',
      '    resources: {}',
      '',
      '  # a comment line',
      '  nodeName: node-a',
      'status:',
      '  podIP: 10.0.0.1',
      ...[
        '-5',
        '+5',
        '0o17',
        '0x1f',
        '1.',
        '.5',
        '1e3',
        '007',
        '~',
        '.inf',
        '-.Inf',
        '.NaN',
        '123456789012345678901234',
      ].map((n, i) => `  n${i}: ${n}`),
      '',
    ].join('\n');
    const value = readBlockYaml(text);
    expect(value).toBeDefined();
    expect(value).toEqual(parse(text));
  });

  it('reads yaml-library style (lists indented under their key) and a List item at any indentation', () => {
    expect(readBlockYaml('a:\n  - b: 1\n    c:\n      - 2\n  - 3\nd: x\n')).toEqual({
      a: [{ b: 1, c: [2] }, 3],
      d: 'x',
    });
    expect(readBlockYaml('  - kind: Pod\n    metadata:\n      name: a\n')).toEqual([
      { kind: 'Pod', metadata: { name: 'a' } },
    ]);
  });

  it('an empty document is null; "key:" with nothing under it is null', () => {
    expect(readBlockYaml('# only a comment\n\n')).toBeNull();
    expect(readBlockYaml('a:\nb: 1\n')).toEqual({ a: null, b: 1 });
  });

  it('"__proto__" is a key, not the prototype', () => {
    const value = readBlockYaml('labels:\n  __proto__: x\n') as { labels: Record<string, string> };
    expect(Object.keys(value.labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value.labels)).toBe(Object.prototype);
  });

  const declined = [
    ['a block scalar', 'a: |\n  x\n'],
    ['a flow collection', 'a: [1, 2]\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a quoted scalar over two lines', 'a: "x\n  y"\n'],
    ['a plain scalar over two lines', 'a: x\n  y\n'],
    ['a comment after a value', 'a: b # c\n'],
    ['a list in a list', '- - a\n'],
    ['a scalar under a key on the next line', 'a:\n  b\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['a scalar document', 'just text\n'],
    ['a YAML-only escape', 'a: "\\x41"\n'],
    ['a complex key', '? a\n: b\n'],
    ['a key with a colon', 'f:metadata: {}\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a mapping value inside a value', 'a: b: c\n'],
  ];
  for (const [what, text] of declined) {
    it(`declines ${what}`, () => expect(readBlockYaml(text)).toBeUndefined());
  }

  it('declines nesting deeper than any Kubernetes object, without recursion', () => {
    let text = '';
    for (let i = 0; i < 100; i++) text += `${'  '.repeat(i)}k:\n`;
    expect(readBlockYaml(text)).toBeUndefined();
  });
});
