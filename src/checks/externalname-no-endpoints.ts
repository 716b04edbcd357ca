import { describeServicePort } from '../model/ports.js';
import { formatLabels } from '../core/selectors.js';
import { externalNameProblem } from './externalname-invalid.js';
import { patchService } from './helpers.js';
import type { Check } from './types.js';

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
  run(view) {
    const { service } = view;
    if (service.type !== 'ExternalName') return [];
    const selectorFix = service.selector
      ? `the selector does nothing on an ExternalName Service; remove it to avoid confusion: ${patchService(service, [{ op: 'remove', path: '/spec/selector' }], true)}`
      : undefined;
    const selectorNote = service.selector
      ? `its selector ${formatLabels(service.selector)} is ignored (no pods are selected)`
      : undefined;

    // Missing, an IP or not a DNS name: there is no working CNAME to describe (externalname-invalid says why).
    const problem = externalNameProblem(service.externalName);
    if (problem) {
      const what =
        problem.kind === 'missing'
          ? 'is not set'
          : problem.kind === 'ip'
            ? `is the IP address ${service.externalName}, not a host name`
            : `${JSON.stringify(service.externalName)} is not a valid DNS name`;
      const message =
        'an ExternalName Service has no endpoints by design and kube-proxy does not proxy it; ' +
        `spec.externalName ${what}, so it gives no usable CNAME either: see externalname-invalid` +
        (selectorNote ? `; ${selectorNote}` : '');
      const fix = `fix spec.externalName as externalname-invalid says${selectorFix ? `; ${selectorFix}` : ''}`;
      return [{ message, fix }];
    }

    let message = `an ExternalName Service is a DNS CNAME to ${service.externalName}: it has no endpoints by design and kube-proxy does not proxy it`;
    const ignored: string[] = [];
    if (selectorNote) ignored.push(selectorNote);
    if (service.ports.length > 0) {
      const ports = service.ports.map(describeServicePort).join(', ');
      ignored.push(
        `its ports (${ports}) are not proxied: clients connect to ${service.externalName} on the port they dial, targetPort has no effect`,
      );
    }
    if (ignored.length > 0) message += `; ${ignored.join('; ')}`;
    return [{ message, ...(selectorFix ? { fix: selectorFix } : {}) }];
  },
};
