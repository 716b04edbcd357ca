// Rules for a Service port that no longer exists (or that kube-proxy should no longer
// program): traffic to its old address is still load-balanced, to endpoints nobody tracks.

import { endpointKey } from '../model/kube-proxy-endpoints.js';
import { listSome, syncFix } from './helpers.js';
import type { DataplaneCheck, DataplaneFindingDraft } from './types.js';

const MAX_LISTED = 5;

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
  run(probe, model) {
    const drafts: DataplaneFindingDraft[] = [];
    for (const { rules, owner } of probe.unmatched) {
      const frontends = rules.frontends.map((f) =>
        f.kind === 'node-port'
          ? `node port ${f.port}/${f.protocol}`
          : `${endpointKey(f.ip ?? '', f.port)}/${f.protocol}`,
      );
      const endpoints = rules.endpoints.map((e) => endpointKey(e.ip, e.port));
      const target = endpoints.length > 0 ? `still sends it to ${listSome(endpoints, MAX_LISTED)}` : 'sends it nowhere';
      const at = frontends.length > 0 ? ` (${frontends.join(', ')})` : '';
      let what: string;
      if (!owner) {
        what = `an IPVS virtual server${at} that belongs to no Service`;
      } else {
        const service = model.service(owner.namespace, owner.name);
        const port = owner.portName
          ? `port "${owner.portName}"/${rules.protocol}`
          : `its unnamed ${rules.protocol} port`;
        what = !service
          ? `Service ${owner.namespace}/${owner.name}${at}, which does not exist`
          : !service.ports.some((p) => p.name === owner.portName && p.protocol === rules.protocol)
            ? `${port} of Service ${owner.namespace}/${owner.name}${at}, which the Service no longer has`
            : `Service ${owner.namespace}/${owner.name}${at}, which kube-proxy no longer programs (headless, ExternalName or another proxy's)`;
      }
      drafts.push({
        fix: syncFix(probe),
        namespace: owner?.namespace ?? '',
        service: owner?.name ?? '',
        message:
          `node ${probe.node} still has ${rules.family} rules for ${what}; it ${target}. If the Service was removed ` +
          `within the last ${probe.lagWindowSeconds}s this is kube-proxy's sync delay: probe again`,
      });
    }
    return drafts;
  },
};
