// Rules for a Service port that no longer exists (or that kube-proxy should no longer
// program): traffic to its old address is still load-balanced, to endpoints nobody tracks.

import { endpointKey } from '../model/kube-proxy-endpoints.js';
import { listSome, syncFix } from './helpers.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';

const MAX_LISTED = 5;
const STILL_HAS = 'node {{node}} still has {{family}} rules for';
const SYNC_DELAY =
  "; it {{target}}. If the Service was removed within the last {{window}}s this is kube-proxy's sync delay: probe again";

export const dataplaneStaleService: DataplaneCheck = {
  id: 'dataplane-stale-service',
  severity: 'warning',
  title: 'The node still has rules for a Service that no longer exists',
  explanation:
    'kube-proxy deletes the rules of a Service port on its next sync after the Service (or the port) is deleted, ' +
    'made headless or ExternalName, or handed to another proxy. Rules that remain keep answering on the old address: ' +
    'a new Service given the same cluster IP would be shadowed, and traffic goes to endpoints nothing tracks. Only ' +
    'namespaces whose every Service was read are judged (and, for IPVS, whose rules name no Service, the whole cluster).',
  fix:
    'Look for sync errors in the kube-proxy pod on the node (kubectl -n kube-system logs POD) and restart it; rules ' +
    'left behind by a removed kube-proxy mode are cleared by running kube-proxy --cleanup on the node.',
  messages: {
    orphanVirtualServer: `${STILL_HAS} an IPVS virtual server{{frontends}} that belongs to no Service${SYNC_DELAY}`,
    serviceGone: `${STILL_HAS} Service {{service}}{{frontends}}, which does not exist${SYNC_DELAY}`,
    portGone: `${STILL_HAS} {{port}} of Service {{service}}{{frontends}}, which the Service no longer has${SYNC_DELAY}`,
    serviceNotProxied:
      `${STILL_HAS} Service {{service}}{{frontends}}, which kube-proxy no longer programs (headless, ExternalName or ` +
      `another proxy's)${SYNC_DELAY}`,
  },
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { rules, owner } of probe.unmatched) {
      const frontends = rules.frontends.map((f) =>
        f.kind === 'node-port'
          ? `node port ${f.port}/${f.protocol}`
          : `${endpointKey(f.ip ?? '', f.port)}/${f.protocol}`,
      );
      const endpoints = rules.endpoints.map((e) => endpointKey(e.ip, e.port));
      const data: Record<string, string | number> = {
        node: probe.node,
        family: rules.family,
        frontends: frontends.length > 0 ? ` (${frontends.join(', ')})` : '',
        target: endpoints.length > 0 ? `still sends it to ${listSome(endpoints, MAX_LISTED)}` : 'sends it nowhere',
        window: probe.lagWindowSeconds,
      };
      let reason: string;
      if (!owner) {
        reason = 'orphanVirtualServer';
      } else {
        const service = model.service(owner.namespace, owner.name);
        data.service = `${owner.namespace}/${owner.name}`;
        data.port = owner.portName
          ? `port "${owner.portName}"/${rules.protocol}`
          : `its unnamed ${rules.protocol} port`;
        reason = !service
          ? 'serviceGone'
          : !service.ports.some((p) => p.name === owner.portName && p.protocol === rules.protocol)
            ? 'portGone'
            : 'serviceNotProxied';
      }
      drafts.push({
        reason,
        data,
        fix: syncFix(probe),
        namespace: owner?.namespace ?? '',
        service: owner?.name ?? '',
      });
    }
    return drafts;
  },
};
