// What every networkpolicy-* finding says about enforcement, which is the network plugin's
// (docs/kubernetes-semantics.md#networkpolicy): the caveat goes when the cluster shows a plugin
// known to enforce NetworkPolicy.

import { describe, expect, it } from 'vitest';
import { networkpolicyBlocksBackends } from '../../src/checks/networkpolicy-blocks-backends.js';
import { endpointOf, networkPolicy, pod, service, slice } from '../support/objects.js';
import { findingsFor } from '../support/rule-tester.js';

const objects = [
  service('web'),
  pod('web-1'),
  slice('web', { endpoints: [endpointOf('web-1')] }),
  networkPolicy('deny-all', { podSelector: {} }),
];

describe('the enforcement caveat of NetworkPolicy findings', () => {
  it('is there when the cluster shows no enforcing plugin', () => {
    const [finding] = findingsFor(networkpolicyBlocksBackends, objects);
    expect(finding.message).toContain('; this holds if your network plugin enforces NetworkPolicy');
  });
  it('is left out when the cluster shows one (Calico here)', () => {
    const [finding] = findingsFor(
      networkpolicyBlocksBackends,
      objects,
      {},
      { otherPolicyKinds: [], enforcingPlugin: 'Calico' },
    );
    expect(finding.message).toContain('the port is unreachable');
    expect(finding.message).not.toContain('if your network plugin');
  });
});
