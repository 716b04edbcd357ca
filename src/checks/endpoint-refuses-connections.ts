// A ready endpoint refuses connections on the port its slice names: nothing listens there
// (docs/kubernetes-semantics.md#what-a-connection-tells).

import { connectPods, listSome, targetText, triedEndpoints } from './helpers.js';
import type { PortConnectCheck } from './types.js';
import { kubectl } from './helpers.js';

export const endpointRefusesConnections: PortConnectCheck = {
  id: 'endpoint-refuses-connections',
  severity: 'error',
  title: 'A ready endpoint refuses connections on its port',
  explanation:
    'A connection refused means the address answered with a reset: nothing listens on that port. The pod is ' +
    'Ready and listed in the EndpointSlice, so the Service sends it traffic, and every such connection fails. ' +
    'The usual causes: the application listens on another port than the targetPort resolves to (3000 where the ' +
    'Service says 8080), or it binds 127.0.0.1 instead of every address, or its readiness probe checks something ' +
    'other than the port the Service uses. Each pod named says the ports its containers declare and, when the ' +
    'connections were made from that pod itself (--connect-from pod/NAME), what it listens on, read from its ' +
    'network namespace: 127.0.0.1:3000 shows both mistakes at once.',
  fix:
    'Make the application listen on the port the EndpointSlice names, on all addresses (0.0.0.0 or ::), or point ' +
    "the Service's targetPort at the port it does listen on; give the pod a readiness probe on that same port.",
  messages: {
    allRefuse: 'every ready endpoint refuses connections from {{vantage}}: {{targets}}; nothing listens there',
    someRefuse: '{{refused}} of {{ready}} ready endpoints refuse connections from {{vantage}}: {{targets}}',
  },
  severities: { someRefuse: 'warning' },
  input: 'connect',
  run(port, model) {
    const ready = triedEndpoints(port, true);
    const refused = ready.filter((e) => e.answer.result === 'refused');
    if (refused.length === 0) return [];
    const { name, namespace } = port.service.meta;
    return [
      {
        reason: refused.length === ready.length ? 'allRefuse' : 'someRefuse',
        data: {
          vantage: port.vantage,
          targets: listSome(refused.map(targetText)),
          refused: refused.length,
          ready: ready.length,
        },
        pods: connectPods(port, refused, model),
        fix: kubectl('get', 'service', name, '-n', namespace, '-o', 'yaml'),
      },
    ];
  },
};
