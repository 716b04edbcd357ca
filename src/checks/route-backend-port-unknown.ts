import { describeServicePort } from '../model/ports.js';
import { describeReference, GATEWAY_ROUTE_KINDS, referencedPort } from '../model/references.js';
import { editRoute } from './helpers.js';
import type { Check } from './types.js';

export const routeBackendPortUnknown: Check = {
  id: 'route-backend-port-unknown',
  severity: 'error',
  title: "A Gateway API route's backendRef names a port its Service does not have",
  explanation:
    "A backendRef to a Service must name the Service's port (spec.ports[].port, not the targetPort) by number; " +
    'the API refuses a Service ref without one, but never checks that the Service has the port. A UDPRoute ' +
    "reaches the Service's UDP port of that number, the other routes its TCP one. Without such a port the " +
    "Gateway has no backend for the ref, and its share of the rule's traffic fails, while the Service itself works.",
  fix: "Name one of the Service's ports in the backendRef (port), or add the port to the Service.",
  messages: {
    portUnknown:
      '{{reference}} names port {{port}} of Service {{service}}, which has no such port (its ports: {{ports}}); the ' +
      'Gateway has no backend for it',
    noPorts: '{{reference}} names port {{port}} of Service {{service}}, which has no ports at all',
    noPort:
      '{{reference}} names Service {{service}} without a port (backendRef.port, which the API requires for a Service)',
  },
  notes: {
    targetPortNumber:
      '; {{port}} is the targetPort of {{servicePort}}: a backendRef names the Service port ({{number}}), not the port on the pods',
    otherProtocol: '; {{servicePort}} is {{has}}, and a {{kind}} sends {{sends}}',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: GATEWAY_ROUTE_KINDS,
    run(reference, service) {
      // A missing Service is route-backend-missing's; an ExternalName Service has no ports to
      // name, and implementations that route to one take the ref's number as is.
      if (!service || service.type === 'ExternalName') return [];
      const { port } = reference;
      const fix = editRoute(reference);
      const data = { reference: describeReference(reference), service: service.meta.name };
      if (port === undefined) return [{ reason: 'noPort', data, fix }];
      if (referencedPort(reference, service.ports)) return [];
      if (service.ports.length === 0) return [{ reason: 'noPorts', data: { ...data, port }, fix }];
      const notes: string[] = [];
      const extra: Record<string, string | number> = {};
      const sameNumber = service.ports.find((p) => p.port === port);
      const byTarget = service.ports.find((p) => p.targetPort === port);
      if (sameNumber) {
        notes.push('otherProtocol');
        Object.assign(extra, {
          servicePort: describeServicePort(sameNumber),
          has: sameNumber.protocol,
          kind: reference.referrer.kind,
          sends: reference.protocol ?? 'TCP',
        });
      } else if (byTarget) {
        notes.push('targetPortNumber');
        Object.assign(extra, { servicePort: describeServicePort(byTarget), number: byTarget.port });
      }
      return [
        {
          reason: 'portUnknown',
          data: { ...data, port, ports: service.ports.map(describeServicePort).join(', '), ...extra },
          notes,
          fix,
        },
      ];
    },
  },
};
