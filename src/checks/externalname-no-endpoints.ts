import { describeServicePort } from '../model/ports.js';
import { formatLabels } from '../core/selectors.js';
import { externalNameProblem } from '../model/services.js';
import { patchService } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

const NO_CNAME =
  'an ExternalName Service has no endpoints by design and kube-proxy does not proxy it; spec.externalName {{what}}, ' +
  'so it gives no usable CNAME either: see externalname-invalid';

export const externalnameNoEndpoints: Check = {
  id: 'externalname-no-endpoints',
  severity: 'info',
  title: 'An ExternalName Service has no endpoints by design',
  explanation:
    'An ExternalName Service is a DNS CNAME to spec.externalName. Neither the EndpointSlice controller nor the ' +
    'Endpoints controller gives it endpoints, and kube-proxy does not proxy it: clients resolve the name and connect ' +
    'to the external host directly, on the port they dial. spec.selector is ignored, and spec.ports are not used ' +
    'for proxying (no port or targetPort translation).',
  fix:
    'Nothing to fix when a CNAME is what you want. To send traffic to pods, use type ClusterIP with a selector; to ' +
    'a fixed IP, use a selectorless Service with an EndpointSlice.',
  messages: {
    cname:
      'an ExternalName Service is a DNS CNAME to {{externalName}}: it has no endpoints by design and kube-proxy does ' +
      'not proxy it',
    externalNameMissing: NO_CNAME.replace('{{what}}', 'is not set'),
    externalNameIsIp: NO_CNAME.replace('{{what}}', 'is the IP address {{externalName}}, not a host name'),
    externalNameInvalid: NO_CNAME.replace('{{what}}', '{{quoted}} is not a valid DNS name'),
  },
  notes: {
    selectorIgnored: '; its selector {{selector}} is ignored (no pods are selected)',
    portsNotProxied:
      '; its ports ({{ports}}) are not proxied: clients connect to {{externalName}} on the port they dial, targetPort ' +
      'has no effect',
  },
  appliesToServices: { backends: ['externalName'] },
  run(view) {
    const { service } = view;
    const selectorFix = service.selector
      ? `the selector does nothing on an ExternalName Service; remove it to avoid confusion: ${patchService(service, [{ op: 'remove', path: '/spec/selector' }], true)}`
      : undefined;
    const data: Record<string, string | number> = {};
    const notes: string[] = [];
    if (service.selector) {
      notes.push('selectorIgnored');
      data.selector = formatLabels(service.selector);
    }
    if (service.externalName !== undefined) {
      data.externalName = service.externalName;
      data.quoted = JSON.stringify(service.externalName);
    }

    // Missing, an IP or not a DNS name: there is no working CNAME to describe (externalname-invalid says why).
    const problem = externalNameProblem(service.externalName);
    if (problem) {
      const reason = { missing: 'externalNameMissing', ip: 'externalNameIsIp', invalid: 'externalNameInvalid' }[
        problem.kind
      ];
      const fix = `fix spec.externalName as externalname-invalid says${selectorFix ? `; ${selectorFix}` : ''}`;
      return [{ reason, data, notes, fix }];
    }

    if (service.ports.length > 0) {
      notes.push('portsNotProxied');
      data.ports = service.ports.map(describeServicePort).join(', ');
    }
    const draft: FindingDraft = { reason: 'cname', data, notes };
    if (selectorFix) draft.fix = selectorFix;
    return [draft];
  },
};
