// networkpolicy-restricts-sources over several Services in one run, as the CLI runs it: what one
// Service's backends admit is worded once per model and must not answer for another's. Its
// table is networkpolicy-restricts-sources.test.ts.

import { describe, expect, it } from 'vitest';
import { networkpolicyRestrictsSources } from '../../src/checks/networkpolicy-restricts-sources.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { runChecks } from '../../src/report/run-checks.js';
import { endpointOf, namespace, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';

const onWeb = { matchLabels: { app: 'web' } };
const fromFront = { podSelector: { matchLabels: { app: 'front' } } };
const fromIngress = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };

describe('Services over pods selected alike, in one run', () => {
  // web-1 is selected by `front` only; web-2 by `front` and `edge`: two admissions. `one` is
  // behind web-1 alone, `both` behind web-1 and web-2, `edge` behind web-2 alone.
  const objects: Raw[] = [
    pod('web-1', { labels: { app: 'web', pod: 'web-1' } }),
    pod('web-2', { labels: { app: 'web', pod: 'web-2', tier: 'edge' } }),
    service('one', { selector: { pod: 'web-1' } }),
    service('both', { selector: { app: 'web' } }),
    service('edge', { selector: { tier: 'edge' } }),
    slice('one', { endpoints: [endpointOf('web-1')] }),
    slice('both', { endpoints: [endpointOf('web-1'), endpointOf('web-2')] }),
    slice('edge', { endpoints: [endpointOf('web-2')] }),
    networkPolicy('front', { podSelector: onWeb, ingress: [{ from: [fromFront] }] }),
    networkPolicy('edge', { podSelector: { matchLabels: { tier: 'edge' } }, ingress: [{ from: [fromIngress] }] }),
  ];
  const model = modelFromRaw([...objects, namespace('ingress-nginx')]);
  const sourcesOf = (name: string) =>
    runChecks(model, model.services, [networkpolicyRestrictsSources])
      .findings.filter((f) => f.service === name)
      .map((f) => f.message.replace(/ only from (.*), by (NetworkPolic[^:]*):.*/, ' from $1 by $2').split(' from ')[1]);

  it("each Service's sources are those of its own backends' admissions, whichever Service was judged first (docs/kubernetes-semantics.md#rules-and-peers)", () => {
    const front = 'pods app=front of namespace shop';
    const ingressNginx = 'every pod of namespace ingress-nginx';
    expect(sourcesOf('one')).toEqual([`${front} by NetworkPolicy front`]);
    expect(sourcesOf('both')).toEqual([`${ingressNginx}, ${front} by NetworkPolicies edge, front`]);
    expect(sourcesOf('edge')).toEqual([`${ingressNginx}, ${front} by NetworkPolicies edge, front`]);
  });
});
