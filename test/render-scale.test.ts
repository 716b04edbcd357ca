// Every output format, and the terminal views' bodies, on a cluster large enough that a renderer
// spreading its lines or rows into one call (Math.max(...lines)) exceeds the call stack: 700
// Services with 100 pods each, so the tree has over 140,000 lines. Not a timing test: it only
// asserts that each format renders the whole cluster.

import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { buildModel } from '../src/model/cluster.js';
import { palette } from '../src/render/colour.js';
import { OUTPUTS, renderOutput } from '../src/render/output.js';
import { diagnoseServices, type Diagnosis } from '../src/report/diagnosis.js';
import type { KnownKind } from '../src/core/kinds.js';
import { slimObject } from '../src/sources/slim.js';
import { Interactive } from '../src/ui/interactive.js';
import { WatchView } from '../src/ui/watch-view.js';
import { controllerEndpoints, controllerSlices } from './support/controller.js';
import { node, pod, service, type Raw } from './support/objects.js';

const SERVICES = 700;
const PODS_PER_SERVICE = 100;
const NAMESPACES = 7;
const NODES = 20;

/** Healthy Services, with a crash-looping pod in every tenth and a selector typo in every fiftieth. */
function largeCluster(): Diagnosis {
  const raws: Raw[] = [];
  const nodes = Array.from({ length: NODES }, (_, i) => node(`node-${i}`));
  raws.push(...nodes);
  let ip = 0;
  for (let s = 0; s < SERVICES; s++) {
    const ns = `team-${s % NAMESPACES}`;
    const app = `app-${s}`;
    const svc = service(`svc-${s}`, { ns, selector: { app: s % 50 === 49 ? `${app}-typo` : app } });
    const pods: Raw[] = [];
    for (let p = 0; p < PODS_PER_SERVICE; p++) {
      ip++;
      pods.push(
        pod(`${app}-${p}`, {
          ns,
          labels: { app },
          node: `node-${ip % NODES}`,
          ip: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
          ...(s % 10 === 0 && p === 0 ? { waiting: 'CrashLoopBackOff' } : {}),
        }),
      );
    }
    raws.push(svc, ...pods, ...controllerSlices(svc, pods, nodes));
    const endpoints = controllerEndpoints(svc, pods, nodes);
    if (endpoints) raws.push(endpoints);
  }
  const model = buildModel(
    raws.map((r) => slimObject(r.kind as KnownKind, r)),
    { endpoints: true, endpointSlices: true, nodes: true, pods: true, ingresses: true },
  );
  return diagnoseServices(model, model.services, CHECKS, []);
}

let cluster: Diagnosis;
beforeAll(() => {
  cluster = largeCluster();
}, 120_000);

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

const LAST = `team-${(SERVICES - 1) % NAMESPACES}`;

describe(`every format at ${SERVICES} Services and ${SERVICES * PODS_PER_SERVICE} Pods`, () => {
  it.each(OUTPUTS)('-o %s renders every Service', (output) => {
    const out = renderOutput(
      cluster,
      { output, failOn: 'error', checksChosen: CHECKS.length, ascii: false, showEndpoints: true },
      palette(true),
    );
    expect(out).toContain(`svc-${SERVICES - 1}`);
    if (output === 'tree') expect(out.split('\n').length).toBeGreaterThan(2 * SERVICES * PODS_PER_SERVICE);
  });

  it('the --watch view keeps the report on screen', () => {
    const body = renderOutput(
      cluster,
      { output: 'tree', failOn: 'error', checksChosen: CHECKS.length, ascii: false, showEndpoints: false },
      palette(false),
    );
    view = render(
      createElement(WatchView, {
        body,
        updatedAt: new Date(),
        changes: { at: new Date(), lines: [] },
        rows: 40,
        colour: false,
      }),
    );
    expect(view.lastFrame()).toMatch(/… \d+ more lines/);
  });

  it('-i lists every Service', () => {
    view = render(
      createElement(Interactive, {
        diagnosis: cluster,
        source: 'snapshot large.yaml',
        rows: 40,
        columns: 120,
        colour: false,
        failOn: 'error',
        now: new Date(),
      }),
    );
    expect(view.lastFrame()).toContain(`${SERVICES} Services`);
    expect(cluster.report.services.at(-1)?.namespace).toBe(LAST);
  });
});
