// --from's matrix in text: cluster text in it (names, and the reasons that quote them) goes
// through the terminal's sanitising, as every renderer's does (src/core/terminal-text.ts).

import { describe, expect, it } from 'vitest';
import { terminalText } from '../src/core/terminal-text.js';
import { reachabilityLines } from '../src/render/reachability.js';
import type { ServiceSummary } from '../src/report/report.js';

const hostile = 'evil\u001b[2J\u202e';

const summary: ServiceSummary = {
  namespace: 'shop',
  name: 'web',
  type: 'ClusterIP',
  ports: [],
  endpoints: { ready: 1, total: 1 },
  status: 'ok',
  findings: 0,
  suppressed: 0,
  reachability: {
    from: 'pod/frontend',
    client: `pod shop/${hostile}`,
    notes: [`labels differ: ${hostile}`],
    enforcement: 'if your network plugin enforces NetworkPolicy',
    ports: [
      {
        port: 'http 80/TCP',
        backends: [
          {
            pod: hostile,
            targetPort: 8080,
            verdict: 'blocked',
            blockedBy: ['backend ingress'],
            ingress: { verdict: 'blocked', policies: [hostile] },
            reason: `backend ingress isolated by NetworkPolicy ${hostile}, and no rule admits it`,
          },
        ],
      },
    ],
  },
};

describe('the --from matrix', () => {
  it('shows the verdict per backend, and never a control character from the cluster', () => {
    const lines = reachabilityLines(summary, terminalText);
    expect(lines.join('\n')).not.toMatch(/[\u001b\u202e]/);
    expect(lines[0]).toBe(
      'shop/web: from pod shop/evil\\x1b[2J\\u202e (if your network plugin enforces NetworkPolicy)',
    );
    expect(lines[2]).toContain('blocked   backend ingress isolated by NetworkPolicy evil\\x1b[2J\\u202e');
    expect(lines.at(-1)).toBe('  note: labels differ: evil\\x1b[2J\\u202e');
  });

  it('a client the input cannot show: no matrix, the reason', () => {
    const unknown: ServiceSummary = {
      ...summary,
      reachability: {
        ...summary.reachability!,
        unknown: 'Deployments were not read: its pods are not known',
        ports: [],
      },
    };
    expect(reachabilityLines(unknown, terminalText).slice(1)).toEqual([
      '  no verdict: Deployments were not read: its pods are not known',
    ]);
  });

  it('nothing without --from', () => {
    expect(reachabilityLines({ ...summary, reachability: undefined }, terminalText)).toEqual([]);
  });
});
