// A model built as a live read's pages arrive must be the model of the same objects built in one
// go: same lists in namespace/name order, same indexes, whatever order the pages came in. The API
// server lists in etcd key order (namespace "a-b" before "a": "-" sorts before "/"), which is name
// order within each namespace only.

import { describe, expect, it } from 'vitest';
import type { ClusterObject, Labels } from '../../src/core/objects.js';
import { buildModel, ModelBuilder, type ClusterModel } from '../../src/model/cluster.js';
import { coverageFrom } from '../../src/core/coverage.js';
import { slimObject } from '../../src/sources/slim.js';
import { pod, service, slice } from '../support/objects.js';

const COVERAGE = coverageFrom(() => true);
const svc = (name: string, ns: string, selector: Labels) => slimObject('Service', service(name, { ns, selector }));
const podIn = (name: string, ns: string, labels: Labels) => slimObject('Pod', pod(name, { ns, labels }));

const SERVICES = [svc('web', 'a', { app: 'web' }), svc('web', 'a-b', { app: 'web' }), svc('db', 'a', { tier: 'db' })];
/** Pods in the API server's order: namespace a-b, then a; by name within each. */
const PODS = [
  podIn('web-1', 'a-b', { app: 'web' }),
  podIn('web-2', 'a-b', { app: 'web', tier: 'db' }),
  podIn('db-1', 'a', { tier: 'db' }),
  podIn('web-1', 'a', { app: 'web' }),
  podIn('web-3', 'a', { app: 'web' }),
];
const SLICES = [slimObject('EndpointSlice', slice('web', { ns: 'a' }))];

/** What the checks read of a model: its lists and every index a Service reaches. */
function observed(model: ClusterModel) {
  const names = (objects: readonly ClusterObject[]) => objects.map((o) => `${o.meta.namespace}/${o.meta.name}`);
  return {
    services: names(model.services),
    pods: names(model.pods),
    slices: names(model.endpointSlices),
    perService: model.services.map((s) => ({
      matching: names(model.podsMatching(s.meta.namespace, s.selector!)),
      elsewhere: names(model.podsMatchingElsewhere(s.meta.namespace, s.selector!)),
      nearMisses: model.nearMisses(s.meta.namespace, s.selector!).map((m) => `${m.pod.meta.name} ${m.key}`),
      inNamespace: names(model.podsInNamespace(s.meta.namespace)),
      slices: names(model.slicesFor(s)),
    })),
    named: model.pod('a', 'web-3')?.meta.name,
  };
}

const inOneGo = observed(buildModel([...PODS, ...SLICES, ...SERVICES], COVERAGE));

describe('ModelBuilder', () => {
  it('pages of pods before and after the Services complete: the model of the same objects', () => {
    const builder = new ModelBuilder();
    builder.add(PODS.slice(0, 2));
    builder.add(SERVICES);
    builder.servicesComplete();
    builder.add(SLICES);
    builder.add(PODS.slice(2));
    expect(observed(builder.build(COVERAGE))).toEqual(inOneGo);
  });

  it('the lists come out in namespace/name order, and matches within a namespace in name order', () => {
    expect(inOneGo.pods).toEqual(['a/db-1', 'a/web-1', 'a/web-3', 'a-b/web-1', 'a-b/web-2']);
    expect(inOneGo.services).toEqual(['a/db', 'a/web', 'a-b/web']);
    expect(inOneGo.perService[1].matching).toEqual(['a/web-1', 'a/web-3']);
  });

  it('pods out of name order within a namespace (a snapshot file): indexed again, the same model', () => {
    const builder = new ModelBuilder();
    builder.add(SERVICES);
    builder.servicesComplete();
    builder.add([...PODS].reverse());
    builder.add(SLICES);
    expect(observed(builder.build(COVERAGE))).toEqual(inOneGo);
  });

  it('a Service told after pods were indexed (its selector may use other labels): the same model', () => {
    const builder = new ModelBuilder();
    builder.add(SERVICES.slice(0, 2));
    builder.servicesComplete();
    builder.add(PODS);
    builder.add([...SERVICES.slice(2), ...SLICES]);
    expect(observed(builder.build(COVERAGE))).toEqual(inOneGo);
  });
});
