// Helpers for tests that change the test server's objects while a client watches: objects
// changed together with the slices and Endpoints the controllers would write for them, and a
// wait for a condition (polled, so that no test asserts on timing).

import { stringAt } from '../../src/core/json-value.js';
import type { TestServer } from '../server/index.js';
import { resourceOfKind } from '../server/store.js';
import { controllerEndpoints, controllerSlices } from './controller.js';
import type { Raw } from './objects.js';

const listKind = (server: TestServer, kind: string) => server.store.list(resourceOfKind(kind)!);

/** Applies `changed`, then writes every Service's slices and Endpoints as the controllers would. */
export function applyWithControllers(server: TestServer, changed: Raw[]): void {
  for (const o of changed) server.store.apply(o);
  const pods = listKind(server, 'Pod');
  const nodes = listKind(server, 'Node');
  for (const svc of listKind(server, 'Service')) {
    const slices = controllerSlices(svc, pods, nodes);
    const names = new Set(slices.map((s) => stringAt(s, 'metadata', 'name')));
    for (const old of listKind(server, 'EndpointSlice')) {
      const label = (key: string) => stringAt(old.metadata.labels, key);
      if (
        old.metadata.namespace === svc.metadata.namespace &&
        label('kubernetes.io/service-name') === svc.metadata.name &&
        label('endpointslice.kubernetes.io/managed-by') === 'endpointslice-controller.k8s.io' &&
        !names.has(old.metadata.name)
      )
        server.store.delete(old);
    }
    for (const slice of slices) server.store.apply(slice);
    const endpoints = controllerEndpoints(svc, pods, nodes);
    if (endpoints) server.store.apply(endpoints);
  }
}

/** Resolves once `condition()` holds; rejects naming `what` after `ms`. */
export async function eventually(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
