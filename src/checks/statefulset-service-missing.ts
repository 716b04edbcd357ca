// A StatefulSet's spec.serviceName names the Service that gives its pods their own DNS names
// (pod-0.SERVICE.NS.svc): the pods get it as their subdomain, and cluster DNS answers for
// HOSTNAME.SUBDOMAIN only from a headless Service of that name whose endpoints are those pods
// (docs/kubernetes-semantics.md#statefulset-servicename). The API server checks none of that.

import { formatLabels, matchesSelector } from '../core/selectors.js';
import type { Labels, Service } from '../core/objects.js';
import { describeReference } from '../model/references.js';
import { isHeadless } from '../model/services.js';
import { closestMatch } from '../model/similar.js';
import { kubectl, shellQuote } from './helpers.js';
import type { Check } from './types.js';

/**
 * Labels the StatefulSet controller puts on each pod besides its template's: a selector may use
 * them, so a selector key among them is not held against the template.
 */
const CONTROLLER_LABELS = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-revision-hash',
]);

/** The selector without the labels only the controller sets. */
function templatePart(selector: Labels): Labels {
  return Object.fromEntries(Object.entries(selector).filter(([key]) => !CONTROLLER_LABELS.has(key)));
}

/** "clusterIP 10.96.0.12", "type ExternalName": why the Service is not headless. */
function describeAddress(service: Service): string {
  if (service.type === 'ExternalName') return 'type ExternalName';
  return service.clusterIP ? `clusterIP ${service.clusterIP}` : `type ${service.type}`;
}

export const statefulsetServiceMissing: Check = {
  id: 'statefulset-service-missing',
  severity: 'warning',
  title: "A StatefulSet's serviceName names no headless Service for its pods",
  explanation:
    "A StatefulSet's pods get stable DNS names (web-0.SERVICE.NAMESPACE.svc) from the Service its spec.serviceName " +
    "names: the controller sets each pod's hostname and makes serviceName its subdomain, and cluster DNS answers " +
    "for those names only when a headless Service (clusterIP: None) of that name in the StatefulSet's namespace " +
    'has the pods as endpoints. The API server never checks that the Service exists or is headless. Without it the ' +
    'pods run, but peers that find each other by those names (database replicas, quorum members, Kafka brokers) ' +
    'cannot resolve them.',
  fix:
    "Create a headless Service (clusterIP: None) of that name in the StatefulSet's namespace, selecting its pods. " +
    "spec.serviceName cannot be changed, nor a Service's clusterIP: a Service of that name that is not headless " +
    'has to be deleted and created again headless.',
  messages: {
    serviceMissing:
      '{{reference}} names Service {{service}}, which does not exist in namespace {{namespace}}: its pods get no ' +
      'DNS names of their own ({{example}})',
    notHeadless:
      '{{reference}} names Service {{service}}, which is not headless ({{address}}): its pods get no DNS names of ' +
      'their own ({{example}})',
    selectsNoPods:
      "{{reference}} names headless Service {{service}}, whose selector {{selector}} does not match the StatefulSet's " +
      'pod template ({{labels}}): its pods are not its endpoints and get no DNS names of their own ({{example}})',
  },
  notes: {
    closest: '; a Service of a similar name exists: {{closest}}',
  },
  appliesToServices: { backends: [] },
  references: {
    kinds: ['StatefulSet'],
    run(reference, service, model) {
      const { namespace, name } = reference.target;
      const statefulSet = reference.referrer.name;
      const data = {
        reference: describeReference(reference),
        service: name,
        example: `${statefulSet}-0.${name}.${namespace}.svc`,
      };
      if (!service) {
        const closest = closestMatch(name, model.serviceNamesIn(namespace));
        return [
          {
            reason: 'serviceMissing',
            data: { ...data, namespace, ...(closest ? { closest } : {}) },
            notes: closest ? ['closest'] : [],
            fix:
              `create a headless Service (clusterIP: None) named ${shellQuote(name)} in namespace ${shellQuote(namespace)} whose selector ` +
              `matches the StatefulSet's pods (its spec.serviceName cannot be changed)`,
          },
        ];
      }
      if (!isHeadless(service)) {
        return [
          {
            reason: 'notHeadless',
            data: { ...data, address: describeAddress(service) },
            fix:
              `a Service's clusterIP cannot be changed: delete Service ${shellQuote(name)} and create it again with clusterIP: ` +
              `None (its clients lose its virtual IP), or recreate the StatefulSet with a serviceName of its own ` +
              `headless Service (${kubectl('delete', 'statefulset', statefulSet, '-n', namespace, '--cascade=orphan')} keeps its pods)`,
          },
        ];
      }
      // A selectorless headless Service's endpoints are whatever someone wrote: not judged.
      const owner = model.workloadsIn(namespace)?.owner({ kind: 'StatefulSet', name: statefulSet });
      if (!service.selector || owner?.kind !== 'StatefulSet') return [];
      if (matchesSelector(owner.templateLabels, templatePart(service.selector))) return [];
      return [
        {
          reason: 'selectsNoPods',
          data: { ...data, selector: formatLabels(service.selector), labels: formatLabels(owner.templateLabels) },
          fix: `make the Service's selector match the pod template's labels: ${kubectl('edit', 'service', name, '-n', namespace)}`,
        },
      ];
    },
  },
};
