// How pod-missing-from-slices words its explanation; its table is pod-missing-from-slices.test.ts.

import { describe, expect, it } from 'vitest';
import { podMissingFromSlices } from '../../src/checks/pod-missing-from-slices.js';

describe('pod-missing-from-slices: its texts', () => {
  it('the explanation of the inclusion rule (docs/kubernetes-semantics.md#which-pods-become-endpoints) reads cleanly: no space before punctuation, no doubled spaces', () => {
    for (const text of [podMissingFromSlices.title, podMissingFromSlices.explanation, podMissingFromSlices.fix]) {
      expect(text).not.toMatch(/ [,.;:)]|\( | {2}/);
    }
    expect(podMissingFromSlices.explanation).toContain('whose Node exists, ready or not,');
  });
});
