// Label keys are data. `constructor` is a valid key (apimachinery validation IsQualifiedName) and
// `__proto__`, though the API server would refuse it, can arrive in a snapshot; a plain JavaScript
// object inherits properties of both names. Selectors and near misses read only the labels an
// object carries.

import { describe, expect, it } from 'vitest';
import { selectorNoMatch } from '../../src/checks/selector-no-match.js';
import { buildModel } from '../../src/model/cluster.js';
import { labelValue, matchesSelector } from '../../src/core/selectors.js';
import type { Labels } from '../../src/core/objects.js';
import { checkService } from '../../src/report/run-checks.js';
import { pod, service } from '../support/objects.js';
import { modelFromRaw } from '../../src/model/from-raw.js';

/** Labels as JSON.parse makes them: `__proto__` becomes an own property, as in a decoded snapshot. */
const parsed = (json: string) => JSON.parse(json) as Labels;

describe('label keys named like Object.prototype properties', () => {
  it('labelValue and matchesSelector read own keys only', () => {
    const labels: Labels = { app: 'web' };
    expect(labelValue(labels, 'constructor')).toBeUndefined();
    expect(labelValue(labels, '__proto__')).toBeUndefined();
    expect(labelValue(parsed('{"__proto__":"x"}'), '__proto__')).toBe('x');
    expect(matchesSelector(parsed('{"app":"web","__proto__":"x"}'), parsed('{"__proto__":"x"}'))).toBe(true);
    expect(matchesSelector(labels, parsed('{"__proto__":"x"}'))).toBe(false);
  });

  it('a selector key `constructor` the pods lack is a near miss that says they lack it (through modelFromRaw)', () => {
    const model = modelFromRaw([
      service('web', { selector: { app: 'web', constructor: 'v1' } }),
      pod('web-1', { labels: { app: 'web' } }),
    ]);
    const [finding] = checkService(selectorNoMatch, model, model.service('shop', 'web')!);
    expect(finding.message).toContain('lacks it (want constructor=v1)');
    expect(JSON.stringify(finding)).not.toContain('function');
  });

  it('a selector key `__proto__` the pods lack is a near miss, and pods carrying it match', () => {
    const base = modelFromRaw([service('web'), pod('web-1'), pod('web-2')]);
    const [svc] = base.services;
    const [web1, web2] = base.pods;
    const selector = parsed('{"app":"web","__proto__":"v1"}');
    const lacking = buildModel([{ ...svc, selector }, web1, web2], base.coverage);
    const [finding] = checkService(selectorNoMatch, lacking, lacking.services[0]);
    expect(finding.message).toContain('they lack it (want __proto__=v1)');
    expect(finding.message).not.toContain('[object Object]');

    const carrying = buildModel(
      [
        { ...svc, selector },
        { ...web1, meta: { ...web1.meta, labels: parsed('{"app":"web","__proto__":"v1"}') } },
      ],
      base.coverage,
    );
    expect(carrying.podsMatching('shop', selector).map((p) => p.meta.name)).toEqual(['web-1']);
  });
});
