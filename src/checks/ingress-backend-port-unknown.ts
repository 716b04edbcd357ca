import { describeServicePort } from '../model/ports.js';
import { describeReference, referencedPort } from '../model/references.js';
import { closestMatch } from '../model/similar.js';
import { kubectl } from './helpers.js';
import type { Check } from './types.js';

export const ingressBackendPortUnknown: Check = {
  id: 'ingress-backend-port-unknown',
  severity: 'error',
  title: 'An Ingress backend names a port its Service does not have',
  explanation:
    "An Ingress backend names a port of its Service by the Service port's name or by its number (spec.ports[].port, " +
    'not the targetPort), and the API server never checks that the Service has it. Without such a port the ' +
    'controller has no upstream for the path (ingress-nginx answers 503 for it), while the Service itself works.',
  fix: "Name one of the Service's ports in the backend (service.port.name or service.port.number), or add the port to the Service.",
  messages: {
    portUnknown:
      '{{reference}} names port {{port}} of Service {{service}}, which has no such port (its ports: {{ports}}); the ' +
      'controller has no backend for it',
    noPorts: '{{reference}} names port {{port}} of Service {{service}}, which has no ports at all',
    noPort:
      '{{reference}} names Service {{service}} without a port (service.port.name or .number, which the API requires)',
  },
  notes: {
    targetPortNumber:
      '; {{port}} is the targetPort of {{servicePort}}: a backend names the Service port ({{number}}), not the port on the pods',
    closest: '; closest: {{closest}}',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: ['Ingress'],
    run(reference, service) {
      // A missing Service is ingress-backend-missing's; an ExternalName Service has no ports to
      // name, and controllers that route to one take the backend's number as is.
      if (!service || service.type === 'ExternalName') return [];
      const { port } = reference;
      const fix = kubectl('edit', 'ingress', reference.referrer.name, '-n', reference.target.namespace);
      const data = { reference: describeReference(reference), service: service.meta.name };
      if (port === undefined) return [{ reason: 'noPort', data, fix }];
      if (referencedPort(reference, service.ports)) return [];
      if (service.ports.length === 0) return [{ reason: 'noPorts', data: { ...data, port }, fix }];
      const notes: string[] = [];
      const extra: Record<string, string | number> = {};
      const byTarget = typeof port === 'number' ? service.ports.find((p) => p.targetPort === port) : undefined;
      if (byTarget) {
        notes.push('targetPortNumber');
        Object.assign(extra, { servicePort: describeServicePort(byTarget), number: byTarget.port });
      } else if (typeof port === 'string') {
        const closest = closestMatch(
          port,
          service.ports.map((p) => p.name).filter((name) => name !== ''),
        );
        if (closest) {
          notes.push('closest');
          extra.closest = closest;
        }
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
