// Event evidence end to end: the built CLI reading a snapshot with Warning events, in JSON and in
// the text. Event text is the cluster's: it reaches the terminal sanitised.

import { describe, expect, it } from 'vitest';
import { withControllers } from './support/controller.js';
import { parseReport, runCli, writeTemp } from './support/cli.js';
import { event, node, pod, service, type Raw } from './support/objects.js';

const asList = (items: Raw[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const probe503 = 'Readiness probe failed: HTTP probe failed with statuscode: 503';

const web1 = pod('web-1', { ready: false });
const web2 = pod('web-2', { ready: false });
const objects = [
  node('node-a'),
  ...withControllers([service('web'), web1, web2]),
  event(web1, 'Unhealthy', probe503, { count: 42, lastSeen: '2026-11-01T10:00:00Z' }),
  // An earlier web-1 (another uid): not evidence about this one.
  event(web1, 'BackOff', 'Back-off restarting failed container app', { uid: 'uid-web-1-earlier' }),
  // Cluster text with a terminal escape in it.
  event(web1, 'Failed', 'pull failed \u001b]0;owned\u0007 badly', { lastSeen: '2026-11-01T09:00:00Z' }),
];
const file = writeTemp('events.json', asList(objects));

describe('event evidence, from the CLI', () => {
  it('JSON: each pod of a finding carries its attributed Warning events, [] when it has none', () => {
    const report = parseReport(runCli(['--snapshot', file, '-n', 'shop', '-o', 'json']).stdout);
    const finding = report.findings.find((f) => f.check === 'no-ready-endpoints')!;
    expect(finding.pods?.map(({ name, evidence }) => ({ name, evidence }))).toEqual([
      {
        name: 'web-1',
        evidence: [
          { reason: 'Unhealthy', message: probe503, count: 42, lastSeen: '2026-11-01T10:00:00Z' },
          {
            reason: 'Failed',
            message: 'pull failed \u001b]0;owned\u0007 badly',
            count: 1,
            lastSeen: '2026-11-01T09:00:00Z',
          },
        ],
      },
      { name: 'web-2', evidence: [] },
    ]);
    expect(report.notes.join('\n')).not.toMatch(/Events/);
  });

  it('text: the newest event under the pod, sanitised; -v says "no recent events" for a pod without any', () => {
    const concise = runCli(['--snapshot', file, '-n', 'shop']).stdout;
    // Two lines at most, wrapped under the pod.
    expect(concise).toMatch(
      /\n {12}web-1: event Unhealthy ×42, \d+d ago: Readiness probe failed: HTTP probe failed with\n {12}statuscode: 503\n/,
    );
    expect(concise).not.toContain('Back-off');
    const explained = runCli(['--snapshot', file, '-n', 'shop', '-v']).stdout;
    // Whole, wrapped.
    expect(explained).toMatch(
      /- web-1: [^\n]*\n(?: {12}[^\n]*\n)*?\s+event Unhealthy ×42, \d+d ago: Readiness probe failed: HTTP probe failed with statuscode:\s+503\n/,
    );
    expect(explained).toMatch(/- web-2: [^\n]*\n(?: {12}[^\n]*\n)*? {12}no recent events\n/);
  });

  it('text: event messages are cluster text, shown without their terminal escapes', () => {
    const p = pod('web-1', { ready: false });
    const hostile = writeTemp(
      'hostile.json',
      asList([
        node('node-a'),
        ...withControllers([service('web'), p]),
        event(p, 'Failed', 'pull \u001b]0;owned\u0007 failed'),
      ]),
    );
    for (const args of [[], ['-v'], ['-o', 'tree'], ['-o', 'markdown'], ['-o', 'junit']]) {
      const out = runCli(['--snapshot', hostile, '-n', 'shop', ...args]).stdout;
      expect(out, args.join(' ')).toContain('event Failed');
      expect(out, args.join(' ')).not.toContain('\u001b');
    }
  });

  it('without Events in the input: no evidence, and service-warning-events says it could not judge', () => {
    const without = writeTemp('no-events.json', asList(objects.filter((o) => o.kind !== 'Event')));
    const report = parseReport(runCli(['--snapshot', without, '-n', 'shop', '-o', 'json']).stdout);
    for (const f of report.findings) for (const p of f.pods ?? []) expect(p).not.toHaveProperty('evidence');
    expect(report.notes).toContain('check service-warning-events skipped: the input has no Events');
  });
});
