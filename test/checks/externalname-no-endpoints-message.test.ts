// What externalname-no-endpoints' message leaves out; its table is externalname-no-endpoints.test.ts.

import { describe, expect, it } from 'vitest';
import { externalnameNoEndpoints } from '../../src/checks/externalname-no-endpoints.js';
import { externalNameService } from '../support/objects.js';
import { findingsFor } from '../support/rule-tester.js';

describe('externalname-no-endpoints: mentions selector and ports only when present', () => {
  it('says nothing about a selector or ports the Service does not have (docs/kubernetes-semantics.md#externalname-services)', () => {
    const [finding] = findingsFor(externalnameNoEndpoints, [externalNameService()]);
    expect(finding?.message).not.toContain('selector');
    expect(finding?.message).not.toContain('ports');
    expect(finding?.fix).toBeUndefined();
  });
  it('says nothing about ports when only a selector is set (docs/kubernetes-semantics.md#externalname-services)', () => {
    const [finding] = findingsFor(externalnameNoEndpoints, [externalNameService({ selector: { app: 'db' } })]);
    expect(finding?.message).toContain('selector');
    expect(finding?.message).not.toContain('ports');
  });
  it('an IP externalName is never described as a working CNAME clients connect to (docs/kubernetes-semantics.md#externalname-services)', () => {
    const [finding] = findingsFor(externalnameNoEndpoints, [
      externalNameService({
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
        spec: { externalName: '10.10.40.15' },
      }),
    ]);
    expect(finding?.message).not.toContain('a DNS CNAME to 10.10.40.15');
    expect(finding?.message).not.toContain('clients connect to');
  });
});
