// A not-ready endpoint accepts connections: the application listens, its readiness keeps it out
// of the Service (docs/kubernetes-semantics.md#what-a-connection-tells).

import { connectPods, listSome, targetText, triedEndpoints } from './helpers.js';
import type { PortConnectCheck } from './types.js';

export const endpointAnswersButNotReady: PortConnectCheck = {
  id: 'endpoint-answers-but-not-ready',
  severity: 'info',
  title: 'A not-ready endpoint accepts connections',
  explanation:
    'A not-ready endpoint gets no traffic through the Service, yet this one accepts connections on its port: the ' +
    'application is listening, and what keeps it out is its readiness (a failing readiness probe, or a readiness ' +
    'gate not yet true). Look at the probe before the application. Terminating endpoints are left out: they may ' +
    'listen while they drain.',
  fix:
    'Read why the readiness probe fails (kubectl describe pod POD -n NAMESPACE, its events): a wrong path or ' +
    'port, a dependency the probe checks, or a threshold too tight.',
  messages: {
    answersButNotReady:
      '{{count}} not-ready {{endpointAccepts}} connections from {{vantage}} ({{targets}}): the application listens, its readiness keeps it out',
  },
  input: 'connect',
  run(port, model) {
    const answering = triedEndpoints(port, false).filter((e) => e.answer.result === 'open' && e.terminating !== true);
    if (answering.length === 0) return [];
    return [
      {
        reason: 'answersButNotReady',
        data: {
          count: answering.length,
          endpointAccepts: answering.length === 1 ? 'endpoint accepts' : 'endpoints accept',
          vantage: port.vantage,
          targets: listSome(answering.map(targetText)),
        },
        pods: connectPods(port, answering, model),
      },
    ];
  },
};
