import { externalNameProblem } from '../model/services.js';
import { applySlice, patchService } from './helpers.js';
import type { Check } from './types.js';

export const externalnameInvalid: Check = {
  id: 'externalname-invalid',
  severity: 'error',
  title: 'spec.externalName is missing, an IP address, or not a valid DNS name',
  explanation:
    'An ExternalName Service answers DNS queries with a CNAME to spec.externalName. The API server requires it and ' +
    'validates it as a lowercase RFC-1123 DNS subdomain (one trailing dot allowed). An IP address passes that ' +
    'validation, since it is also a valid DNS name, but a CNAME to "10.0.0.5" points at a host name nobody resolves.',
  fix:
    'Set spec.externalName to the external host name (lowercase, no scheme, port or path). For a fixed IP, use a ' +
    'selectorless Service with an EndpointSlice that lists the IP.',
  messages: {
    missing:
      'spec.externalName is not set: the API server requires it for type ExternalName, and there is no CNAME to return',
    ipAddress:
      'spec.externalName is the IP address {{value}}: DNS returns a CNAME to a host named "{{value}}", which does not ' +
      'resolve to that address (coredns/coredns#2324)',
    invalidName:
      'spec.externalName {{quoted}} is not a valid lowercase RFC-1123 DNS subdomain: {{problem}}; the API server rejects it',
  },
  appliesToServices: { backends: ['externalName'] },
  run(view) {
    const { service } = view;
    const value = service.externalName;
    const problem = externalNameProblem(value);
    if (!problem) return [];
    if (problem.kind === 'missing') {
      return [
        {
          reason: 'missing',
          fix: `${patchService(service, { spec: { externalName: 'db.example.com' } })} (your host name)`,
        },
      ];
    }
    if (problem.kind === 'ip') {
      return [
        {
          reason: 'ipAddress',
          data: { value: value! },
          fix:
            'use a selectorless Service backed by an EndpointSlice: set type ClusterIP without a selector, then create ' +
            'the slice (fill in the <...>): ' +
            applySlice(service, {
              addressType: problem.family,
              address: problem.host,
              portName: '<Service port name, or empty>',
              port: '<port>',
              protocol: 'TCP',
            }),
        },
      ];
    }
    return [
      {
        reason: 'invalidName',
        data: { quoted: JSON.stringify(value), problem: problem.reason },
        fix: `set the bare host name: ${patchService(service, { spec: { externalName: '<host.example.com>' } })}`,
      },
    ];
  },
};
