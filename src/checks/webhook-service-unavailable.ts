// An admission webhook called through a Service that cannot answer: kube-apiserver's call fails,
// and the webhook's failurePolicy decides what happens to every request it intercepts: Fail
// rejects them (an error), Ignore lets them through without the webhook (a warning).
// docs/kubernetes-semantics.md#admission-webhooks

import { apiServerCallFailure, failureData, type CallFailure } from '../model/api-server-calls.js';
import { describeServicePort } from '../model/ports.js';
import { describeReference, type ServiceReference } from '../model/references.js';
import type { AdmissionWebhook } from '../core/objects.js';
import { kubectl, listSome } from './helpers.js';
import type { Check, MessageData } from './types.js';

/** Why the call fails, by problem; the outcome (by failure policy) comes first: what a reader acts on. */
const PROBLEMS: Record<CallFailure['problem'], string> = {
  serviceMissing: ': it calls Service {{service}}, which does not exist',
  portMissing: ': it calls port {{port}} of Service {{service}}, which has no such port (its ports: {{ports}})',
  headless: ': it calls Service {{service}}, which is headless (the API server cannot route to ClusterIP None)',
  noReadyEndpoint: ': it calls Service {{service}} port {{servicePort}}, which has no ready endpoint',
};

const OUTCOMES = {
  Fail: 'the API server rejects every {{intercepts}} that {{reference}} intercepts',
  Ignore: '{{intercepts}} go through without {{reference}}',
} as const;

/** The reason of a problem under a failure policy: "serviceMissing", "serviceMissingIgnored". */
function reasonOf(problem: CallFailure['problem'], policy: AdmissionWebhook['failurePolicy']): string {
  return policy === 'Fail' ? problem : `${problem}Ignored`;
}

const messages: Record<string, string> = {};
const severities: Record<string, 'warning'> = {};
for (const [problem, text] of Object.entries(PROBLEMS) as [CallFailure['problem'], string][]) {
  messages[reasonOf(problem, 'Fail')] = OUTCOMES.Fail + text;
  messages[reasonOf(problem, 'Ignore')] = OUTCOMES.Ignore + text;
  severities[reasonOf(problem, 'Ignore')] = 'warning';
}

/** "CREATE, UPDATE request(s) for pods, deployments.apps"; "request(s) for any resource" for every operation of every resource. */
function intercepts(webhook: AdmissionWebhook): string {
  const { operations, resources } = webhook.rules;
  const ops = operations.includes('*') ? '' : `${operations.join(', ') || 'no'} `;
  const what = resources.some((r) => r.startsWith('*')) ? 'any resource' : listSome(resources, 6) || 'no resource';
  return `${ops}${webhook.failurePolicy === 'Fail' ? 'request' : 'requests'} for ${what}`;
}

/** How kubectl names the configuration's resource, for the fix. */
function resourceOf(reference: ServiceReference): string {
  return reference.referrer.kind.toLowerCase();
}

export const webhookServiceUnavailable: Check = {
  id: 'webhook-service-unavailable',
  severity: 'error',
  title: "An admission webhook's Service cannot answer",
  explanation:
    'kube-apiserver calls an admission webhook through clientConfig.service (port 443 unless it says): the ' +
    "Service's ClusterIP on the Service port of that number, or one of that port's ready endpoints with " +
    '--enable-aggregator-routing. When the Service does not exist, has no such port, is headless or has no ready ' +
    'endpoint on that port, every call fails. With failurePolicy Fail (the default) the API server then rejects ' +
    'every request the webhook intercepts, cluster-wide, including those that would repair its own pods: an error. ' +
    'With Ignore the requests go through without the webhook, so its policy is not enforced or its mutation not ' +
    'made: a warning. The Service itself, when it exists and has no ready endpoint, is an error too whatever its ' +
    "own findings' severities.",
  fix:
    'Make the Service answer (its own findings say why it has no ready endpoint), point clientConfig.service at ' +
    'the right Service and port, or, if the webhook is gone for good, delete its configuration.',
  messages,
  notes: {
    narrowed: '; narrowed by its {{selectors}}',
  },
  severities,
  appliesToServices: { backends: [] },
  references: {
    kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
    run(reference, service, model) {
      const { webhook } = reference;
      if (!webhook) return [];
      const failure = apiServerCallFailure(reference, service, model);
      if (!failure) return [];
      const { namespace, name } = reference.target;
      const selectors = [
        ...(webhook.namespaceSelector ? ['namespaceSelector'] : []),
        ...(webhook.objectSelector ? ['objectSelector'] : []),
      ];
      const data: MessageData = {
        reference: describeReference(reference),
        service: `${namespace}/${name}`,
        intercepts: intercepts(webhook),
        ...(selectors.length > 0 ? { selectors: selectors.join(' and ') } : {}),
        ...failureData(failure),
      };
      return [
        {
          reason: reasonOf(failure.problem, webhook.failurePolicy),
          data,
          notes: selectors.length > 0 ? ['narrowed'] : [],
          ...(failure.problem === 'noReadyEndpoint' ? { port: describeServicePort(failure.port) } : {}),
          fix:
            failure.problem === 'noReadyEndpoint'
              ? `its own findings say why it has no ready endpoint: ${kubectl('endpoints-doctor', name, '-n', namespace)}`
              : kubectl('edit', resourceOf(reference), reference.referrer.name),
        },
      ];
    },
  },
};
