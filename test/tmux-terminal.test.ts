// A real terminal: the built CLI run in a tmux pane, driven with send-keys and read with
// capture-pane: start-up, navigation, live updates, and a clean exit after q and after
// Ctrl-C (the shell works and the terminal is back in canonical mode). Needs tmux and a build.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringAt } from '../src/core/json-value.js';
import { startTestServer, type TestServer } from './server/index.js';
import { resourceNamed } from './server/store.js';
import { BIN, writeTemp } from './support/cli.js';
import { withControllers } from './support/controller.js';
import { node, pod, service } from './support/objects.js';
import { applyWithControllers, eventually } from './support/watching.js';

const TIMEOUT = 120_000;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('skipping the tmux terminal tests: tmux is not installed');

// A server of our own, so that no user's tmux is touched.
const SOCKET = `epd-test-${process.pid}`;
const SESSION = 'doctor';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...k: string[]) => void tmux('send-keys', '-t', SESSION, ...k);
function typeLine(text: string): void {
  keys('-l', text);
  keys('Enter');
}

async function until(what: string, test: (screen: string) => boolean): Promise<void> {
  let last = '';
  try {
    await eventually(what, () => test((last = screen())), 60_000);
  } catch {
    throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
  }
}

/**
 * Until the view reads keys: ink puts the terminal in raw mode when it starts listening, a moment
 * after its first frame. Keys typed before then are not read.
 */
async function untilReadingKeys(): Promise<void> {
  const tty = tmux('display-message', '-p', '-t', SESSION, '#{pane_tty}').trim();
  await eventually(
    'raw mode',
    () => /(^|\s)-icanon\b/.test(execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' })),
    60_000,
  );
}

/** After the CLI has exited: the shell answers, and the terminal is in canonical mode again (not raw). */
async function expectTerminalRestored(marker: string) {
  typeLine(`stty -a | grep -o -- '-\\?icanon\\b'; echo ${marker}-done`);
  // A line that is the marker alone: the typed command line ends with it too, before its output.
  await until('the shell to answer', (s) => s.split('\n').includes(`${marker}-done`));
  const lines = screen().split('\n');
  const mode = lines[lines.findIndex((l) => l === `${marker}-done`) - 1];
  expect(mode, lines.join('\n')).toBe('icanon');
}

describe.skipIf(!hasTmux)('in a real terminal (tmux)', { timeout: TIMEOUT }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      objects: withControllers([node('node-a'), service('web'), pod('web-1', { ready: false })]),
    });
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await server?.close();
  });

  afterEach(() => void spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', SESSION]));

  function startShell(columns = 120, rows = 40) {
    const home = mkdtempSync(join(tmpdir(), 'epd-home-'));
    // CI=false: ink draws only a final frame when it believes it runs in CI.
    tmux(
      'new-session',
      '-d',
      '-s',
      SESSION,
      '-x',
      String(columns),
      '-y',
      String(rows),
      `env -i PATH="${process.env.PATH}" HOME=${home} TERM=xterm-256color NO_COLOR=1 CI=false PS1='prompt$ ' bash --norc --noprofile`,
    );
  }
  const doctor = (args: string) => `node ${BIN} ${args}; echo EXIT=$?`;

  it('-i on a snapshot: starts, moves, expands, and q leaves a working shell', async () => {
    startShell();
    typeLine(doctor(`--snapshot ${resolve('examples/shop.yaml')} -A -i`));
    // ink draws in frames: each wait is for the whole screen wanted, not its first line.
    await until('the interactive view', (s) => s.includes('q quit') && /^default\/kubernetes \(ClusterIP/m.test(s));
    keys('j');
    await until('the second Service selected', (s) => /^ingress-nginx\/ingress-nginx-controller \(/m.test(s));
    keys('Enter');
    await until(
      'its tree',
      (s) =>
        /▾ WARNING\s+ingress-nginx\/ingress-nginx-controller /.test(s) &&
        /└─EndpointSlice\/ingress-nginx-controller-/.test(s),
    );
    keys('q');
    await until('the exit', (s) => s.includes('EXIT=0'));
    await expectTerminalRestored('after-q');
  });

  it.each([
    [80, 24],
    [200, 60],
  ])('-i at %ix%i: G/g, PgDn, the details pane scrolls, s sorts; resizing reflows', async (columns, rows) => {
    startShell(columns, rows);
    typeLine(doctor(`--snapshot ${resolve('examples/shop.yaml')} -A -i`));
    await until('the interactive view', (s) => s.includes('q quit') && /^default\/kubernetes \(ClusterIP/m.test(s));
    // No line is wider than the terminal.
    expect(
      Math.max(
        ...screen()
          .split('\n')
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(columns);
    keys('G');
    // The last row: the last of the Services the demo's referrers name that do not exist, after the others.
    await until(
      'the last row',
      (s) => /^loyalty\/vouchers \(no such Service\)/m.test(s) && /^›▸ \S+\s+loyalty\/vouchers/m.test(s),
    );
    keys('g');
    await until('the first Service', (s) => /^default\/kubernetes \(ClusterIP/m.test(s));
    keys('PageDown');
    await until('a page further', (s) => !/^default\/kubernetes \(ClusterIP/m.test(s) && /^›/m.test(s));
    keys('G');
    await until('the last row again', (s) => /^loyalty\/vouchers \(no such Service\)/m.test(s));
    keys('e');
    if (rows > 30) await until('why it matters', (s) => /why: /.test(s));
    else {
      // The details pane is cut: J scrolls it, line by line, down to why.
      await until('the details cut with a count', (s) => /… \d+ more lines \(J\)/.test(s));
      for (let n = 1; n <= 12 && !/why: /.test(screen()); n++) {
        keys('J');
        await until(`the details scrolled by ${n}`, (s) => s.includes(`… ${n} lines above (K)`));
      }
      expect(screen()).toMatch(/why: /);
    }
    keys('s');
    await until('sorted by status', (s) => s.includes('· by status ·'));
    // Resizing: ink draws again at the new width.
    tmux('resize-window', '-t', SESSION, '-x', String(columns + 20), '-y', String(rows));
    // At 80 columns the title was cut; 20 more let it grow past the old width.
    const wider = (s: string) => columns > 100 || Math.max(...s.split('\n').map((l) => l.length)) > columns;
    await until('the wider screen', (s) => s.includes('· by status ·') && wider(s));
    keys('q');
    await until('the exit', (s) => s.includes('EXIT=0'));
    await expectTerminalRestored(`after-${columns}`);
  });

  it('-i: / marks and jumps to a match; y copies by OSC 52 only when the terminal can take it; q gives the shell its screen back', async () => {
    startShell();
    typeLine('echo before-the-view');
    const shop = `--snapshot ${resolve('examples/shop.yaml')} -n shop -i`;
    const findWebMetrics = async () => {
      await until('the interactive view', (s) => s.includes('q quit') && /^shop\/cart \(ClusterIP/m.test(s));
      await untilReadingKeys();
      keys('/');
      keys('-l', 'metrics');
      await until(
        'the match selected',
        (s) => s.includes('search: /metrics_ (1 found)') && /^shop\/web-metrics \(ClusterIP/m.test(s),
      );
      keys('Enter');
      await until('the search kept', (s) => s.includes('search: /metrics (1 found)'));
    };
    typeLine(doctor(shop));
    await findWebMetrics();
    // Without colour (NO_COLOR here), which drops underlines too, the match is bracketed in its row.
    expect(screen()).toMatch(/^›▸ ERROR +shop\/web-\[metrics\] +2\/2 +target-port-unresolved/m);
    // tmux does not say it takes OSC 52: y shows the command instead.
    keys('y');
    await until('the command shown', (s) =>
      s.includes(
        'did not say it takes clipboard writes (OSC 52); the command: kubectl patch service web-metrics -n shop',
      ),
    );
    keys('q');
    await until('the exit', (s) => s.includes('EXIT=0'));
    // The view was on the alternate screen: the shell's screen is back as it was.
    expect(screen()).toContain('before-the-view');
    expect(screen()).not.toContain('q quit');

    // Told that the terminal takes it (tmux does, with set-clipboard on): y lands in tmux's paste buffer.
    tmux('set-option', '-s', 'set-clipboard', 'on');
    typeLine(`ENDPOINTS_DOCTOR_OSC52=1 ${doctor(shop)}`);
    await findWebMetrics();
    keys('y');
    await until('copied', (s) => /^copied: kubectl patch service web-metrics -n shop/m.test(s));
    expect(tmux('show-buffer')).toBe(
      `kubectl patch service web-metrics -n shop --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":"http-metrics"}]'`,
    );
    keys('q');
    // The first run's EXIT=0 is still on the shell's screen.
    await until('the second exit', (s) => s.match(/^EXIT=0$/gm)?.length === 2);
    await expectTerminalRestored('after-copy');
  });

  it('-i: r reads a snapshot again, marking the Services that changed', async () => {
    const snapshot = (ready: boolean) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: withControllers([node('node-a'), service('web'), pod('web-1', { ready })]),
      });
    const file = writeTemp('refresh.json', snapshot(false));
    startShell();
    typeLine(doctor(`--snapshot ${file} -n shop -i`));
    await until('the interactive view', (s) => s.includes('q quit') && /ERROR\s+shop\/web\s+0\/1/.test(s));
    await untilReadingKeys();
    writeFileSync(file, snapshot(true));
    keys('r');
    await until('the snapshot read again', (s) => /▸\*\S+\s+shop\/web\s+1\/1/.test(s) && !s.includes('reading again'));
    keys('q');
    await until('the exit', (s) => s.includes('EXIT=0'));
  });

  it('--watch on a terminal redraws as a pod becomes ready, and Ctrl-C restores the terminal', async () => {
    startShell();
    typeLine(doctor(`--kubeconfig ${server.kubeconfigPath} -n shop --watch`));
    await until(
      'the watch view',
      (s) => s.includes('watching · updated') && /shop\s+web\s+ClusterIP\s+0\/1\s+ERROR/.test(s),
    );
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    await until(
      'the change',
      (s) =>
        /shop\/web changed status=error->info endpoints=0\/1->1\/1/.test(s) &&
        /shop\s+web\s+ClusterIP\s+1\/1\s+INFO/.test(s),
    );
    keys('C-c');
    await until('the exit', (s) => s.includes('EXIT=0'));
    await expectTerminalRestored('after-ctrl-c');
  });

  it('-i live: the view follows the cluster, and Ctrl-C ends it cleanly', async () => {
    applyWithControllers(server, [pod('web-1', { ready: false })]);
    startShell();
    typeLine(doctor(`--kubeconfig ${server.kubeconfigPath} -n shop -i`));
    await until(
      'the interactive view',
      (s) => s.includes('q quit') && /ERROR\s+shop\/web\s+0\/1\s+no-ready-endpoints/.test(s),
    );
    applyWithControllers(server, [pod('web-1', { ready: true })]);
    // Marked as changed (*) by the update.
    await until('the update', (s) => /▸\*INFO\s+shop\/web\s+1\/1\s+single-ready-endpoint/.test(s));
    // r lists the cluster again, with a new watch.
    await untilReadingKeys();
    keys('r');
    await until(
      'listed again',
      (s) => /· live \S+, listed \d\d:\d\d:\d\d/.test(s) && /INFO\s+shop\/web\s+1\/1/.test(s),
    );
    applyWithControllers(server, [pod('web-1', { ready: false })]);
    await until('the new watch following the cluster', (s) => /▸\*ERROR\s+shop\/web\s+0\/1/.test(s));
    keys('C-c');
    await until('the exit', (s) => s.includes('EXIT=0'));
    await expectTerminalRestored('after-live-ctrl-c');
  });

  it("-i --connect-from node: q while r's pass waits for its debug pod deletes the pod before the process ends", async () => {
    const debugPods: string[] = [];
    // No kubelet: the first pass's pod runs as soon as it is created, the next one never starts.
    const unsubscribe = server.store.subscribe((e) => {
      if (e.type !== 'ADDED' || e.resource.plural !== 'pods') return;
      const name = stringAt(e.object, 'metadata', 'name') ?? '';
      if (!name.startsWith('endpoints-doctor-connect-')) return;
      debugPods.push(name);
      if (debugPods.length === 1)
        setImmediate(() => server.store.update({ ...e.object, status: { phase: 'Running' } }));
    });
    // The connect program's answer: every target open (sh -c PROGRAM NAME SECONDS HTTP-PATH LISTEN, then four fields per target).
    server.setExecHandler(({ command, stdout }) => {
      const targets = (command.length - 7) / 4;
      for (let i = 0; i < targets; i++) stdout.write(`${i} open 1 \n`);
      return 0;
    });
    const debugPodLeft = (name: string) => server.store.get(resourceNamed('pods')!, 'kube-system', name) !== undefined;
    try {
      startShell();
      typeLine(
        doctor(
          `--kubeconfig ${server.kubeconfigPath} -n shop -i --connect --connect-from node/node-a --connect-timeout 1s`,
        ),
      );
      await until('the interactive view', (s) => s.includes('q quit') && /shop\/web/.test(s));
      expect(debugPods).toHaveLength(1);
      expect(debugPodLeft(debugPods[0])).toBe(false);
      await untilReadingKeys();
      keys('r');
      await eventually('the second pass to create its pod', () => debugPods.length === 2, 60_000);
      keys('q');
      await until('the exit', (s) => s.includes('EXIT=0'));
      expect(debugPodLeft(debugPods[1])).toBe(false);
      expect(
        server.requests.filter((r) => r.method === 'DELETE' && r.name === debugPods[1]).map((r) => r.namespace),
      ).toEqual(['kube-system']);
      await expectTerminalRestored('after-connect-q');
    } finally {
      unsubscribe();
    }
  });
});
