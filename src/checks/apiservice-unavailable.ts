// An aggregated API whose Service cannot answer: kube-apiserver proxies the APIService's group and
// version to spec.service, so while it cannot, every request to them fails and discovery is
// incomplete for every client. The aggregator's own verdict, the Available condition, is quoted.
// docs/kubernetes-semantics.md#aggregated-apis

import { apiServerCallFailure, failureData, type CallFailure } from '../model/api-server-calls.js';
import { describeServicePort } from '../model/ports.js';
import { kubectl } from './helpers.js';
import type { Check } from './types.js';

const OUTCOME = 'every request to {{apiService}} fails, and discovery is incomplete: ';

const messages: Record<CallFailure['problem'], string> = {
  serviceMissing: OUTCOME + 'it names Service {{service}}, which does not exist',
  portMissing: OUTCOME + 'it names port {{port}} of Service {{service}}, which has no such port (its ports: {{ports}})',
  headless: OUTCOME + 'it names Service {{service}}, which is headless (the API server cannot route to ClusterIP None)',
  noReadyEndpoint: OUTCOME + 'it names Service {{service}} port {{servicePort}}, which has no ready endpoint',
};

export const apiserviceUnavailable: Check = {
  id: 'apiservice-unavailable',
  severity: 'error',
  title: "An aggregated API's Service cannot answer",
  explanation:
    'An APIService with spec.service (port 443 unless it says) has kube-apiserver proxy its group and version to ' +
    "that Service: its ClusterIP on the Service port of that number, or one of that port's ready endpoints with " +
    '--enable-aggregator-routing. When the Service does not exist, has no such port, is headless or has no ready ' +
    'endpoint on that port, every request to the API fails (kubectl top, for metrics.k8s.io), kubectl warns that ' +
    'it could not retrieve the complete list of server APIs, and controllers that discover every group (namespace ' +
    'deletion, garbage collection) stall. The aggregator says so in the Available condition, which the finding ' +
    "quotes. The Service itself, when it exists and has no ready endpoint, is an error too whatever its own findings' " +
    'severities.',
  fix:
    'Make the Service answer (its own findings say why it has no ready endpoint), point spec.service at the right ' +
    'Service and port, or delete the APIService of an API that was uninstalled.',
  messages,
  notes: {
    available: '; its Available condition is {{status}}{{why}}',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: ['APIService'],
    run(reference, service, model) {
      const failure = apiServerCallFailure(reference, service, model);
      if (!failure) return [];
      const { namespace, name } = reference.target;
      const { available } = reference;
      const why = available
        ? [available.reason && ` (${available.reason})`, available.message && `: "${available.message}"`]
            .filter(Boolean)
            .join('')
        : '';
      return [
        {
          reason: failure.problem,
          data: {
            apiService: `APIService ${reference.referrer.name}`,
            service: `${namespace}/${name}`,
            ...failureData(failure),
            ...(available ? { status: available.status, why } : {}),
          },
          notes: available ? ['available'] : [],
          ...(failure.problem === 'noReadyEndpoint' ? { port: describeServicePort(failure.port) } : {}),
          fix:
            failure.problem === 'noReadyEndpoint'
              ? `its own findings say why it has no ready endpoint: ${kubectl('endpoints-doctor', name, '-n', namespace)}`
              : kubectl('edit', 'apiservice', reference.referrer.name),
        },
      ];
    },
  },
};
