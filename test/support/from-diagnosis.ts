// A diagnosis with --from for the renderers' tests: the objects, as a run of namespace shop reads
// them, diagnosed with every check and the client --from names.

import { CHECKS, FROM_CHECKS } from '../../src/checks/index.js';
import { findClient, parseFrom } from '../../src/commands/from.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { diagnoseServices, type Diagnosis } from '../../src/report/diagnosis.js';
import { endpointOf, networkPolicy, pod, service, slice, type Raw } from './objects.js';

/** `whenMissing` "say": a client the objects do not hold gets no verdict, as in a view's later refreshes. */
export function diagnoseFrom(
  objects: Raw[],
  from: string,
  coverage?: Parameters<typeof modelFromRaw>[1],
  whenMissing: 'fail' | 'say' = 'fail',
): Diagnosis {
  const model = modelFromRaw(objects, coverage);
  const client = findClient(model, parseFrom(from), 'shop', [], whenMissing);
  const services = model.services.filter((s) => s.meta.namespace === 'shop');
  return diagnoseServices(model, services, CHECKS, [], undefined, undefined, { client, checks: FROM_CHECKS });
}

/** Cluster text that would act on a terminal, break Markdown, or break XML. */
const HOSTILE = 'evil\u001b]0;pwned\u0007|<b>@team\u202e';

/**
 * Service shop/web on web-1 (8080), which a default-deny policy with a hostile name isolates and
 * a policy opens to app=admin only; the client frontend is not admin: web-1 is blocked from it by
 * its ingress, which no error finding says (networkpolicy-restricts-sources is info). Built when
 * called: pods take the next addresses (ipFor), which other fixtures of a test file count on.
 */
export const blockedFromFrontend = (): Raw[] => [
  service('web'),
  pod('web-1'),
  slice('web', { endpoints: [endpointOf('web-1')] }),
  pod('frontend', { labels: { app: 'frontend' } }),
  networkPolicy(HOSTILE, { podSelector: {} }),
  networkPolicy('admin-only', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'admin' } } }], ports: [{ port: 8080 }] }],
  }),
];
