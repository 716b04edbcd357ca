// The ink views driven by keys through ink-testing-library: moving, expanding a Service into
// its tree, filtering by name, failing-only, help and quit; the details pane's findings with
// why and fix; and the watch view marking what changed.

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECKS, CONNECT_CHECKS, findCheck } from '../../src/checks/index.js';
import { buildModel } from '../../src/model/cluster.js';
import { diagnoseServices } from '../../src/report/diagnosis.js';
import { coverageFrom } from '../../src/core/coverage.js';
import type { KnownKind } from '../../src/core/kinds.js';
import { slimObject } from '../../src/sources/slim.js';
import { HELP_LINES, Interactive } from '../../src/ui/interactive.js';
import { WatchView } from '../../src/ui/watch-view.js';
import { withControllers } from '../support/controller.js';
import {
  endpointOf,
  ingress,
  ipFor,
  networkPolicy,
  node,
  pod,
  service,
  slice,
  workload,
  type Raw,
} from '../support/objects.js';
import { blockedFromFrontend, diagnoseFrom } from '../support/from-diagnosis.js';
import { connectTargets, pairAnswers, serviceLookup, type ConnectTarget } from '../../src/model/connect-targets.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { viewService } from '../../src/model/service-view.js';
import { endpointAnswers } from '../../src/render/connectivity.js';
import { open, refused } from '../support/connectivity.js';

function diagnosisOf(raws: Raw[]) {
  const model = buildModel(
    withControllers(raws).map((r) => slimObject(r.kind as KnownKind, r)),
    coverageFrom(() => true),
  );
  return diagnoseServices(model, model.services, CHECKS, [], {});
}

// api: healthy (two ready pods); web: its only pod is not ready (an error); worker: healthy.
const cluster = diagnosisOf([
  node('node-a'),
  service('api', { selector: { app: 'api' } }),
  pod('api-1', { labels: { app: 'api' } }),
  pod('api-2', { labels: { app: 'api' } }),
  service('web'),
  pod('web-1', { waiting: 'CrashLoopBackOff' }),
  service('worker', { selector: { app: 'worker' } }),
  pod('worker-1', { labels: { app: 'worker' } }),
  pod('worker-2', { labels: { app: 'worker' } }),
]);

const props = {
  diagnosis: cluster,
  source: 'snapshot shop.yaml',
  rows: 60,
  columns: 120,
  colour: false,
  failOn: 'error',
  now: new Date('2026-11-02T00:00:00Z'),
} as const;

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

/** Whether ink listens to stdin (it binds after the first render, and lets go when the app exits). */
const listening = () => view!.stdin.listenerCount('readable') > 0;

/** Renders, and waits for ink to bind its input handler (keys sent before are not read). */
async function show(element: Parameters<typeof render>[0]) {
  view = render(element);
  await vi.waitFor(() => expect(listening()).toBe(true), { timeout: 5000 });
  const frame = () => view!.lastFrame() ?? '';
  /** Types keys, then waits until the frame satisfies `expectation`. */
  const press = async (keys: string, expectation: (frame: string) => void) => {
    view!.stdin.write(keys);
    await vi.waitFor(() => expectation(frame()), { timeout: 5000 });
  };
  return { frame, press };
}

describe('Interactive', () => {
  it('lists every Service with status, endpoints and finding ids; details show the first', async () => {
    const { frame } = await show(<Interactive {...props} />);
    expect(frame()).toContain('3 Services, 1 failing');
    expect(frame()).toMatch(/▸ OK\s+shop\/api\s+2\/2/); // no * : nothing changed
    expect(frame()).toMatch(/▸ ERROR\s+shop\/web\s+0\/1\s+no-ready-endpoints/);
    expect(frame()).toMatch(/shop\/api \(ClusterIP 10\.96\.0\.10\)\nNo findings\./);
  });

  it('the details pane lists the objects that refer to the Service', async () => {
    const used = diagnosisOf([
      node('node-a'),
      service('api', { selector: { app: 'api' } }),
      pod('api-1', { labels: { app: 'api' } }),
      ingress('front', {
        paths: [
          { host: 'shop.example.com', path: '/api', service: 'api', port: 'http' },
          { host: 'shop.example.com', path: '/old', service: 'gone', port: 'http' },
        ],
      }),
    ]);
    const { frame } = await show(<Interactive {...props} diagnosis={used} />);
    expect(frame()).toContain('used by Ingress shop/front rule shop.example.com path /api (port http)');
    // The Service /old names does not exist: the title counts it apart from the Services.
    expect(frame()).toContain('1 Services, 0 failing, 1 not found · ');
  });

  it('a Service that objects name but that does not exist has a row; its details name them, with its findings', async () => {
    const used = diagnosisOf([
      node('node-a'),
      service('api', { selector: { app: 'api' } }),
      pod('api-1', { labels: { app: 'api' } }),
      ingress('front', { paths: [{ host: 'shop.example.com', path: '/old', service: 'gone', port: 'http' }] }),
      workload('StatefulSet', 'db', { labels: { app: 'db' }, spec: { serviceName: 'gone' } }),
    ]);
    const { frame, press } = await show(<Interactive {...props} diagnosis={used} />);
    // After the Services, with its worst finding's status and what it is instead of endpoints.
    expect(frame()).toMatch(
      /▸ INFO\s+shop\/api\s+1\/1\s+single-ready-endpoint\n\s+▸ ERROR\s+shop\/gone\s+not found\s+ingress-backend-missing, statefulset-service-missing/,
    );
    await press('j', (f) => expect(f).toMatch(/^shop\/gone \(no such Service\)$/m));
    expect(frame()).toContain('used by Ingress shop/front rule shop.example.com path /old (port http)');
    expect(frame()).toContain('used by StatefulSet shop/db spec.serviceName');
    expect(frame()).toMatch(/^ERROR ingress-backend-missing$/m);
    expect(frame()).toMatch(/^WARNING statefulset-service-missing$/m);
    expect(frame()).toContain('about StatefulSet shop/db');
    // Nothing to expand: no tree, the details stay.
    await press('\r', (f) => expect(f).toMatch(/^›▾ ERROR\s+shop\/gone/m));
    expect(frame()).not.toContain('Service/gone');
    // f keeps it: it fails at --fail-on error.
    await press('f', (f) => expect(f).toContain('[failing only]'));
    expect(frame()).toMatch(/shop\/gone\s+not found/);
  });

  it('j/k and the arrows move the selection; the details pane follows it with the fix, and e shows why', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    const fix = findCheck('no-ready-endpoints')!;
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    // The selected row is marked with › as well as reverse video (which NO_COLOR drops).
    expect(frame()).toMatch(/^›▸ ERROR\s+shop\/web/m);
    expect(frame()).toMatch(/^ ▸ OK\s+shop\/api/m);
    expect(frame()).toMatch(/^ERROR no-ready-endpoints/m);
    expect(frame()).not.toContain('why: ');
    expect(frame()).toMatch(/fix: /);
    await press('e', (f) => expect(f).toContain('why: ' + fix.explanation.split(' ').slice(0, 4).join(' ')));
    await press('e', (f) => expect(f).not.toContain('why: '));
    await press('\u001b[B', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m));
    await press('j', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m)); // the last stays selected
    await press('k', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    await press('\u001b[A', (f) => expect(f).toMatch(/^shop\/api \(ClusterIP/m));
  });

  it('G/End go to the last Service, g/Home to the first, PgDn/PgUp a page; t toggles the tree as enter does', async () => {
    const { press } = await show(<Interactive {...props} />);
    await press('G', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m));
    await press('g', (f) => expect(f).toMatch(/^shop\/api \(ClusterIP/m));
    await press('\u001b[F', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m)); // End
    await press('\u001b[H', (f) => expect(f).toMatch(/^shop\/api \(ClusterIP/m)); // Home
    await press('\u001b[6~', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m)); // PgDn: past the end stops at the last
    await press('\u001b[5~', (f) => expect(f).toMatch(/^shop\/api \(ClusterIP/m)); // PgUp
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    await press('t', (f) => expect(f).toMatch(/▾ ERROR\s+shop\/web/));
    await press('t', (f) => expect(f).toMatch(/▸ ERROR\s+shop\/web/));
  });

  it('s sorts by status (worst first), then ready endpoints, then back by name; the title says how', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    const order = () => [...frame().matchAll(/^.▸.\S+\s+(shop\/\S+)/gm)].map((m) => m[1]);
    const byName = order();
    await press('s', (f) => expect(f).toContain('· by status ·'));
    expect(order()[0]).toBe('shop/web');
    await press('s', (f) => expect(f).toContain('· by ready endpoints ·'));
    await press('s', (f) => expect(f).not.toContain('· by '));
    expect(order()).toEqual(byName);
  });

  it('the details pane scrolls on its own (J/K), saying what is above and below; every help line fits 80 columns', async () => {
    const { frame, press } = await show(<Interactive {...props} rows={14} />);
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    await press('e', (f) => expect(f).toMatch(/… \d+ more lines \(J\)/));
    await press('J', (f) => expect(f).toMatch(/… 1 lines above \(K\)/));
    expect(frame()).not.toMatch(/^shop\/web \(ClusterIP/m);
    await press('K', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    for (const line of HELP_LINES) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('enter expands the selected Service into its tree and collapses it again', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    expect(frame()).not.toContain('web-1');
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(/m));
    await press('\r', (f) => expect(f).toMatch(/▾ ERROR\s+shop\/web/));
    // The tree under it: the slice, its endpoint and the pod behind it.
    expect(frame()).toMatch(/└─.*web-1\s+0\/1\s+CrashLoopBackOff/);
    await press('\r', (f) => expect(f).toMatch(/▸ ERROR\s+shop\/web/));
    expect(frame()).not.toMatch(/web-1\s+0\/1/);
  });

  it('the tree lists under each backend pod the NetworkPolicies isolating it, with what they admit', async () => {
    const isolated = diagnosisOf([node('node-a'), service('web'), pod('web-1'), networkPolicy('deny-all', {})]);
    const { frame, press } = await show(<Interactive {...props} diagnosis={isolated} />);
    await press('\r', (f) => expect(f).toMatch(/▾ ERROR\s+shop\/web/));
    expect(frame()).toMatch(/Pod\/web-1[^\n]*\n[^\n]*└─NetworkPolicy\/deny-all\s+-\s+8080\/TCP not admitted/);
  });

  it('& filters by name; esc clears the filter', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    await press('&', (f) => expect(f).toContain('filter: &_'));
    await press('wor', (f) => expect(f).toContain('filter: &wor_'));
    expect(frame()).toContain('shop/worker');
    expect(frame()).not.toContain('shop/api');
    await press('\r', (f) => expect(f).toContain('filter: &wor\n'));
    // Keys act on the list again, and the selection is the filtered list's first.
    expect(frame()).toMatch(/^shop\/worker \(ClusterIP/m);
    await press('\u001b', (f) => expect(f).toContain('shop/api'));
    expect(frame()).not.toContain('filter:');
  });

  it('/ searches: jumps to the next name that holds the text, keeps the others listed; n/N go on around the end', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    // The selected row's Service, without the brackets that mark the match.
    const selected = () => /^›.*?(shop\/[\w[\]-]+)/m.exec(frame())?.[1]?.replace(/[[\]]/g, '');
    await press('/', (f) => expect(f).toContain('search: /_ (0 found)'));
    await press('w', (f) => expect(f).toContain('search: /w_ (2 found)'));
    expect(selected()).toBe('shop/web');
    expect(frame()).toContain('shop/api');
    await press('or', (f) => expect(f).toContain('search: /wor_ (1 found)'));
    // Without colour, the match is bracketed in its row (with colour, underlined).
    expect(frame()).toMatch(/^›▸ OK +shop\/\[wor\]ker +2\/2/m);
    expect(selected()).toBe('shop/worker');
    await press('\u007f', (f) => expect(f).toContain('search: /wo_'));
    await press('\u007f', (f) => expect(f).toContain('search: /w_'));
    await press('\r', (f) => expect(f).toMatch(/search: \/w \(2 found\)\n/));
    await press('n', () => expect(selected()).toBe('shop/web'));
    await press('n', () => expect(selected()).toBe('shop/worker'));
    await press('N', () => expect(selected()).toBe('shop/web'));
    // The text in the same read as the slash (typed fast, or pasted).
    await press('/zz', (f) => expect(f).toContain('no Service name holds "zz"'));
    expect(selected()).toBe('shop/web');
    await press('\u001b', (f) => expect(f).not.toContain('search:'));
  });

  it('the keys of one read (typed ahead, pasted) each count: jj moves two rows, /wor then enter searches', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    await press('jj', (f) => expect(f).toMatch(/^shop\/worker \(ClusterIP/m));
    await press('gg/web\rk', (f) => expect(f).toMatch(/search: \/web \(1 found\)\n/));
    // k acted on the list after the search: from web up to api.
    expect(frame()).toMatch(/^shop\/api \(ClusterIP/m);
  });

  it('y copies the fix command of the selected Service when the terminal takes clipboard writes, and says so', async () => {
    const copy = vi.fn();
    const { press } = await show(<Interactive {...props} copy={copy} />);
    await press('y', (f) => expect(f).toContain('no fix of this Service is a command to copy'));
    expect(copy).not.toHaveBeenCalled();
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    await press('y', (f) => expect(f).toMatch(/^copied: kubectl logs web-1 -n shop/m));
    expect(copy).toHaveBeenCalledWith(expect.stringMatching(/^kubectl logs web-1 -n shop/));
  });

  it('y without clipboard support shows the command instead of writing anything', async () => {
    const { press } = await show(<Interactive {...props} />);
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(ClusterIP/m));
    await press('y', (f) =>
      expect(f).toMatch(/did not say it takes clipboard writes \(OSC 52\); the command: kubectl logs web-1/),
    );
  });

  it('r asks for the input again and says it is reading until it has been read', async () => {
    let done = () => {};
    const onRefresh = vi.fn(() => new Promise<void>((resolve) => (done = resolve)));
    const { frame, press } = await show(<Interactive {...props} onRefresh={onRefresh} />);
    await press('r', (f) => expect(f).toContain('reading again…'));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    done();
    await vi.waitFor(() => expect(frame()).not.toContain('reading again'));
  });

  it('f shows only failing Services, and f again all of them', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    await press('f', (f) => expect(f).toContain('[failing only]'));
    expect(frame()).toContain('shop/web');
    expect(frame()).not.toContain('shop/api');
    expect(frame()).toMatch(/^shop\/web \(ClusterIP/m);
    await press('f', (f) => expect(f).toContain('shop/api'));
  });

  it('? shows the keys; any key closes the help', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    await press('?', (f) => expect(f).toContain(HELP_LINES[0]));
    expect(frame()).not.toContain('shop/api');
    await press('x', (f) => expect(f).toContain('shop/api'));
  });

  it('q quits: later keys change nothing', async () => {
    const { frame } = await show(<Interactive {...props} />);
    expect(frame()).toMatch(/^shop\/api \(ClusterIP/m);
    view!.stdin.write('q');
    // The app has exited when ink lets go of stdin.
    await vi.waitFor(() => expect(listening()).toBe(false), { timeout: 5000 });
    const before = frame();
    view!.stdin.write('j');
    expect(frame()).toBe(before);
  });

  it('with --from, the details pane shows what the client reaches: each backend, its verdict and why', async () => {
    const { frame } = await show(
      <Interactive {...props} diagnosis={diagnoseFrom(blockedFromFrontend(), 'pod/frontend')} />,
    );
    const details = frame().slice(frame().indexOf('shop/web (ClusterIP'));
    expect(details).toContain('from pod shop/frontend (if your network plugin enforces NetworkPolicy)');
    expect(details).toMatch(/^ {2}BLOCKED http 80\/TCP web-1:8080$/m);
    // Why, wrapped under the row; the policy's name made safe for the terminal.
    expect(details.replace(/\n {4}/g, ' ')).toContain(
      'backend ingress isolated by NetworkPolicies admin-only, evil\\x1b]0;pwned\\x07|<b>@team\\u202e, and no rule admits it',
    );
    expect(details).toContain('DNS: allowed (UDP 53 allowed, TCP 53 allowed): the client is not isolated for egress');
    expect(frame()).not.toMatch(/[\u0007\u202e]/);
  });

  it('with --connect, the details pane shows each endpoint’s answers as its tree line does, and the lookup', async () => {
    const model = modelFromRaw([
      service('web'),
      pod('web-1'),
      pod('web-2'),
      slice('web', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
    ]);
    const answered = (t: ConnectTarget) =>
      t.address === ipFor('web-2') ? refused() : open({ statusLine: 'HTTP/1.1 200 OK\x1b[2J' });
    const ports = model.services.flatMap((s) =>
      connectTargets(viewService(model, s)).map((p) => pairAnswers(p, 'local', p.targets.map(answered))),
    );
    const lookups = model.services.flatMap((s) => {
      const lookup = serviceLookup(viewService(model, s));
      return lookup
        ? [{ ...lookup, vantage: 'local', answer: { result: 'nxdomain' as const, server: '10.96.0.53' } }]
        : [];
    });
    const notes = ['--connect: the input has no Service kube-system/kube-dns: names were looked up elsewhere'];
    const diagnosis = diagnoseServices(model, model.services, CHECKS, notes, undefined, {
      ports,
      lookups,
      checks: CONNECT_CHECKS,
    });
    const { frame } = await show(<Interactive {...props} diagnosis={diagnosis} />);
    const details = frame().slice(frame().indexOf('shop/web (ClusterIP'));
    expect(details).toContain('connections from local:');
    const tree = endpointAnswers(diagnosis.report.services[0]);
    expect(details).toContain(`  ${ipFor('web-2')} ${tree.get(ipFor('web-2'))}`);
    expect(details).toContain(`  ${ipFor('web-1')} connect 8080 open 1ms (HTTP/1.1 200 OK\\x1b[2J)`);
    expect(details).toContain('  DNS web.shop.svc.cluster.local (asked 10.96.0.53): NXDOMAIN');
    expect(details).toContain('ERROR service-dns-mismatch');
    // What the run could not judge, said where its answers are.
    expect(details).toContain('  note: --connect: the input has no Service kube-system/kube-dns');
    expect(frame()).not.toContain('\x1b[2J');
  });

  it('with --from, a client gone since the view started: the details pane says so, no matrix', async () => {
    const gone = diagnoseFrom(
      blockedFromFrontend().filter((o) => (o.metadata as Raw).name !== 'frontend'),
      'pod/frontend',
      undefined,
      'say',
    );
    const { frame } = await show(<Interactive {...props} diagnosis={gone} />);
    expect(frame()).toContain('from pod/frontend (if your network plugin enforces NetworkPolicy)');
    expect(frame()).toContain('  no verdict: pod "frontend" not found in namespace "shop"');
    expect(frame()).not.toContain('BLOCKED');
  });

  it('keeps the selection on the same Service when new data arrives (a live update)', async () => {
    const { frame, press } = await show(<Interactive {...props} />);
    await press('j', (f) => expect(f).toMatch(/^shop\/web \(/m));
    const healed = diagnosisOf([
      node('node-a'),
      service('aaa', { selector: { app: 'aaa' } }),
      service('web'),
      pod('web-1'),
      pod('web-2'),
    ]);
    view!.rerender(<Interactive {...props} diagnosis={healed} changed={new Set(['shop/web', 'shop/aaa'])} />);
    await vi.waitFor(() => expect(frame()).toMatch(/^shop\/web \(ClusterIP 10\.96\.0\.10\)\nNo findings\./m));
    // The Services that changed in the update are marked.
    expect(frame()).toMatch(/▸\*OK\s+shop\/web\s+2\/2/);
    expect(frame()).toMatch(/▸\*ERROR\s+shop\/aaa\s+0\/0/);
  });
});

describe('WatchView', () => {
  it('shows the body under a header, and marks the latest changes', async () => {
    const at = new Date('2026-11-02T10:42:07');
    const { frame } = await show(
      <WatchView
        body={'NAMESPACE  NAME\nshop       web\n'}
        updatedAt={at}
        changes={{ at, lines: ['shop/web changed status=error->ok endpoints=0/1->1/1'] }}
        rows={40}
        colour={false}
      />,
    );
    expect(frame()).toContain('watching · updated 10:42:07');
    expect(frame()).toContain('changed at 10:42:07:\n  shop/web changed status=error->ok endpoints=0/1->1/1');
    expect(frame()).toContain('NAMESPACE  NAME\nshop       web');
  });

  it('cuts a body longer than the terminal, saying how much is hidden, and shows a failing watch', async () => {
    const body = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const { frame } = await show(
      <WatchView
        body={body}
        updatedAt={new Date()}
        changes={{ at: new Date(), lines: [] }}
        trouble="cannot reach the Kubernetes API (retrying in 2s)"
        rows={12}
        colour={false}
      />,
    );
    expect(frame()).toContain('cannot reach the Kubernetes API (retrying in 2s)');
    expect(frame()).toContain('line 0');
    expect(frame()).not.toContain('line 49');
    expect(frame()).toMatch(/… \d+ more lines/);
    expect(frame().split('\n').length).toBeLessThanOrEqual(12);
  });

  it('scrolls a body longer than the terminal: j/k a line, G/g the end and the start, PgDn/PgUp a page', async () => {
    const body = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const { frame, press } = await show(
      <WatchView body={body} updatedAt={new Date()} changes={{ at: new Date(), lines: [] }} rows={12} colour={false} />,
    );
    expect(frame()).toMatch(/^line 0$/m);
    await press('j', (f) => expect(f).toMatch(/… 1 lines above \(k\)/));
    expect(frame()).not.toMatch(/^line 0$/m);
    await press('G', (f) => expect(f).toMatch(/^line 49$/m));
    expect(frame()).not.toMatch(/more lines/);
    await press('g', (f) => expect(f).toMatch(/^line 0$/m));
    await press('\u001b[6~', (f) => expect(f).toMatch(/lines above/)); // PgDn
    await press('\u001b[5~', (f) => expect(f).toMatch(/^line 0$/m)); // PgUp
    expect(frame().split('\n').length).toBeLessThanOrEqual(12);
  });
});
