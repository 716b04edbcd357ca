// A port speaks another protocol than its name or appProtocol says, or its certificate does not
// name the Service (docs/kubernetes-semantics.md#application-protocol, docs/kubernetes-semantics.md#service-dns-names).

import type { TargetAnswer } from '../model/connect-targets.js';
import { listSome, targetText } from './helpers.js';
import type { PortConnectCheck, FindingDraft } from './types.js';

export const endpointProtocolMismatch: PortConnectCheck = {
  id: 'endpoint-protocol-mismatch',
  severity: 'warning',
  title: 'A port speaks another protocol than it says, or its certificate does not name the Service',
  explanation:
    'A Service port says what it speaks in appProtocol or, by convention, in its name. Clients, meshes and ' +
    'ingress controllers trust that: a port called http that answers with a TLS handshake fails every plain ' +
    'HTTP client, and one called https that answers in plain text fails every TLS client. A TLS certificate ' +
    'that covers neither NAME.NAMESPACE.svc nor NAME.NAMESPACE.svc.cluster.local fails clients that verify the name they ' +
    'dialled, kube-apiserver calling a webhook among them.',
  fix:
    "Make the port's name and appProtocol say what the application serves (https for TLS), or serve what they " +
    "say; issue the certificate for the Service's DNS names.",
  messages: {
    tlsOnHttpPort: 'the port says {{says}} but {{targets}} answer with a TLS handshake',
    plainOnTlsPort: 'the port says https but {{targets}} do not speak TLS',
    certificateNames:
      'the certificate of {{targets}} names {{names}}, and neither {{dnsNames}}: clients verifying the Service name fail',
  },
  input: 'connect',
  run(port) {
    const all = [...port.endpoints, ...port.serviceAddresses];
    const spoke = (what: 'tls' | 'plain') => all.filter((t) => t.answer.tls?.spoke === what);
    const drafts: FindingDraft[] = [];
    const list = (ts: TargetAnswer[]) => listSome(ts.map(targetText));
    if (port.speaks === 'http') {
      const tls = spoke('tls');
      if (tls.length > 0) {
        const says = port.port.appProtocol ? `appProtocol ${port.port.appProtocol}` : `name ${port.port.name}`;
        drafts.push({ reason: 'tlsOnHttpPort', data: { says, targets: list(tls) } });
      }
    }
    if (port.speaks === 'https') {
      const plain = spoke('plain');
      if (plain.length > 0) drafts.push({ reason: 'plainOnTlsPort', data: { targets: list(plain) } });
      const uncovered = spoke('tls').filter((t) => t.answer.tls?.certificateNames && !t.answer.tls.covers?.length);
      if (uncovered.length > 0) {
        const names = [...new Set(uncovered.flatMap((t) => t.answer.tls?.certificateNames ?? []))];
        drafts.push({
          reason: 'certificateNames',
          data: {
            targets: list(uncovered),
            names: names.length > 0 ? listSome(names) : 'no DNS name',
            dnsNames: port.dnsNames.join(' nor '),
          },
        });
      }
    }
    return drafts;
  },
};
