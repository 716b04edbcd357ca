// Validating- and MutatingWebhookConfigurations (admissionregistration.k8s.io/v1) and APIServices
// (apiregistration.k8s.io/v1): the Service each webhook or aggregated API is called through, the
// webhook's failure policy and what its rules intercept, the APIService's Available condition;
// written back for the snapshot. Cluster-scoped; no annotation is kept (caBundle and the like are
// left out too: nothing reads them).

import type {
  AdmissionWebhook,
  APIService,
  MutatingWebhookConfiguration,
  ServiceRef,
  StatusCondition,
  ValidatingWebhookConfiguration,
  WebhookConfiguration,
  WebhookRules,
} from '../../core/objects.js';
import { checked, FieldError, fields, int, list, slimMeta, str, strings, typeName, type Raw } from './fields.js';

/** clientConfig.service or spec.service; undefined when absent (a URL webhook, a Local APIService). */
function slimServiceRef(value: unknown, field: string): ServiceRef | undefined {
  const service = fields(value, field);
  const name = str(service.name, `${field}.name`);
  if (name === undefined) return undefined;
  const port = int(service.port, `${field}.port`);
  return {
    namespace: str(service.namespace, `${field}.namespace`) ?? 'default',
    name,
    ...(port !== undefined ? { port } : {}),
  };
}

/** apiGroups, where "" is the core group (strings() drops empty strings). */
function apiGroups(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FieldError(field, 'a list of strings', typeName(value));
  return value.map((group: unknown, i) => {
    if (typeof group !== 'string') throw new FieldError(`${field}[${i}]`, 'a string', typeName(group));
    return group;
  });
}

/** "pods" for the core group, "deployments.apps" for another: as kubectl names a resource. */
function qualified(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/** Every rule's operations and resources, each once, in the order the rules list them. */
function slimRules(value: unknown): WebhookRules {
  const operations = new Set<string>();
  const resources = new Set<string>();
  list(value, 'rules', (rule) => {
    for (const operation of strings(rule.operations, 'operations')) operations.add(operation);
    const groups = apiGroups(rule.apiGroups, 'apiGroups');
    for (const resource of strings(rule.resources, 'resources')) {
      for (const group of groups.length > 0 ? groups : ['']) resources.add(qualified(resource, group));
    }
  });
  return { operations: [...operations], resources: [...resources] };
}

/** Whether a label selector selects less than everything (the API server defaults both selectors to {}). */
function narrows(value: unknown, field: string): boolean {
  const selector = fields(value, field);
  const labels = fields(selector.matchLabels, `${field}.matchLabels`);
  return (
    Object.keys(labels).length > 0 || list(selector.matchExpressions, `${field}.matchExpressions`, () => 1).length > 0
  );
}

function slimWebhook(raw: Raw): AdmissionWebhook {
  const service = slimServiceRef(fields(raw.clientConfig, 'clientConfig').service, 'clientConfig.service');
  return {
    name: str(raw.name, 'name') ?? '',
    ...(service ? { service } : {}),
    // Fail is the v1 default (docs/kubernetes-semantics.md#admission-webhooks).
    failurePolicy: str(raw.failurePolicy, 'failurePolicy') === 'Ignore' ? 'Ignore' : 'Fail',
    rules: slimRules(raw.rules),
    namespaceSelector: narrows(raw.namespaceSelector, 'namespaceSelector'),
    objectSelector: narrows(raw.objectSelector, 'objectSelector'),
  };
}

function slimWebhookConfiguration(raw: Raw): Omit<WebhookConfiguration, 'kind'> {
  return { meta: slimMeta(raw, false, false), webhooks: list(raw.webhooks, 'webhooks', slimWebhook) };
}

export const slimValidatingWebhookConfiguration = checked(function slimValidatingWebhookConfiguration(
  raw: Raw,
): ValidatingWebhookConfiguration {
  return { kind: 'ValidatingWebhookConfiguration', ...slimWebhookConfiguration(raw) };
});

export const slimMutatingWebhookConfiguration = checked(function slimMutatingWebhookConfiguration(
  raw: Raw,
): MutatingWebhookConfiguration {
  return { kind: 'MutatingWebhookConfiguration', ...slimWebhookConfiguration(raw) };
});

function rawServiceRef(ref: ServiceRef | undefined): Raw | undefined {
  return ref && { namespace: ref.namespace, name: ref.name, port: ref.port };
}

/** One rule per resource, each with every operation: what slimRules reads back as the same summary. */
function rawRules(rules: WebhookRules): Raw[] | undefined {
  if (rules.resources.length === 0) {
    return rules.operations.length > 0 ? [{ operations: rules.operations }] : undefined;
  }
  return rules.resources.map((qualifiedName) => {
    // Resource names hold no dot; group names do (networking.k8s.io).
    const dot = qualifiedName.indexOf('.');
    const [resource, group] =
      dot < 0 ? [qualifiedName, ''] : [qualifiedName.slice(0, dot), qualifiedName.slice(dot + 1)];
    return { operations: rules.operations, apiGroups: [group], resources: [resource] };
  });
}

const SELECTED = { matchExpressions: [{ key: 'endpoints-doctor/narrowed', operator: 'Exists' }] };

export function rawWebhookConfiguration(configuration: WebhookConfiguration): Raw {
  return {
    webhooks: configuration.webhooks.map((w) => ({
      name: w.name,
      clientConfig: w.service ? { service: rawServiceRef(w.service) } : {},
      failurePolicy: w.failurePolicy,
      rules: rawRules(w.rules),
      // Only whether a selector narrows is kept: a stand-in that says so.
      namespaceSelector: w.namespaceSelector ? SELECTED : undefined,
      objectSelector: w.objectSelector ? SELECTED : undefined,
    })),
  };
}

function slimAvailable(value: unknown): StatusCondition | undefined {
  const conditions = list(value, 'status.conditions', (c) => c);
  const available = conditions.find((c) => str(c.type, 'type') === 'Available');
  if (!available) return undefined;
  const reason = str(available.reason, 'reason');
  const message = str(available.message, 'message');
  return {
    status: str(available.status, 'status') ?? 'Unknown',
    ...(reason !== undefined ? { reason } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

export const slimAPIService = checked(function slimAPIService(raw: Raw): APIService {
  const service = slimServiceRef(fields(raw.spec, 'spec').service, 'spec.service');
  const available = slimAvailable(fields(raw.status, 'status').conditions);
  return {
    kind: 'APIService',
    meta: slimMeta(raw, false, false),
    ...(service ? { service } : {}),
    ...(available ? { available } : {}),
  };
});

export function rawAPIService(apiService: APIService): Raw {
  // group and version are the name's (VERSION.GROUP), as the API server requires.
  const dot = apiService.meta.name.indexOf('.');
  return {
    spec: {
      group: dot < 0 ? undefined : apiService.meta.name.slice(dot + 1),
      version: dot < 0 ? apiService.meta.name : apiService.meta.name.slice(0, dot),
      service: rawServiceRef(apiService.service),
    },
    status: apiService.available ? { conditions: [{ type: 'Available', ...apiService.available }] } : undefined,
  };
}
