// The notes --connect adds for what the TLS step left unjudged (tlsNotes in src/commands/connect.ts):
// endpoint-protocol-mismatch says nothing of a target whose TLS answer is missing or unknown, so the
// run must say that it could not judge it, never let the Service pass as if it had.

import { describe, expect, it } from 'vitest';
import { tlsNotes } from '../../src/commands/connect.js';
import { connectTargets, pairAnswers } from '../../src/model/connect-targets.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { viewService } from '../../src/model/service-view.js';
import { LOCAL_VANTAGE } from '../../src/sources/connect/local.js';
import type { ConnectAnswer, Vantage } from '../../src/sources/connect/types.js';
import { open, refused } from '../support/connectivity.js';
import { endpointOf, pod, service, slice } from '../support/objects.js';

const POD_VANTAGE: Vantage = { name: 'pod/shop/client', attemptAll: () => Promise.resolve([]) };
const plain = { spoke: 'plain' as const, error: 'the server answered, not in TLS' };
const unknown = { spoke: 'unknown' as const, error: 'no answer to a TLS ClientHello' };

/** The Service's one port (named portName), its endpoint and cluster IP answering as given. */
function paired(portName: string, endpoint: ConnectAnswer, clusterIP: ConnectAnswer) {
  const model = modelFromRaw([
    service('web', { ports: [{ name: portName, port: 80, targetPort: 8080, protocol: 'TCP' }] }),
    pod('web-1'),
    slice('web', { ports: [{ name: portName, port: 8080, protocol: 'TCP' }], endpoints: [endpointOf('web-1')] }),
  ]);
  return connectTargets(viewService(model, model.services[0])).map((p) =>
    pairAnswers(p, 'pod/shop/client', [endpoint, clusterIP]),
  );
}

describe('tlsNotes', () => {
  it('every open http target told TLS or plain text: no note', () => {
    expect(tlsNotes(paired('http', open({ tls: plain }), open({ tls: plain })), POD_VANTAGE, undefined)).toEqual([]);
    // A refused target has nothing to tell; a tcp port gets no TLS step at all.
    expect(tlsNotes(paired('http', open({ tls: plain }), refused()), POD_VANTAGE, undefined)).toEqual([]);
    expect(tlsNotes(paired('tcp', open(), open()), POD_VANTAGE, undefined)).toEqual([]);
  });

  it('from a debug container, open targets the image could not probe are counted', () => {
    expect(tlsNotes(paired('http', open(), open({ tls: plain })), POD_VANTAGE, undefined)).toEqual([
      '--connect-from pod/shop/client: 1 open http or https targets got no TLS probe (it needs dd and od in the image, and timeout beside bash): endpoint-protocol-mismatch could not judge them',
    ]);
  });

  it('with --connect-http, https targets without a GET (no openssl in the image) are counted', () => {
    const tls = { spoke: 'tls' as const, certificateNames: ['web.shop.svc'], covers: ['web.shop.svc'] };
    expect(tlsNotes(paired('https', open({ tls }), open({ tls })), POD_VANTAGE, '/healthz')).toEqual([
      '--connect-from pod/shop/client: 2 open https targets got no GET (over TLS it needs openssl in the image)',
    ]);
    expect(tlsNotes(paired('https', open({ tls }), open({ tls })), POD_VANTAGE, undefined)).toEqual([]);
  });

  it('from anywhere, an answer that told neither TLS nor plain text is counted', () => {
    expect(tlsNotes(paired('https', open({ tls: unknown }), open({ tls: plain })), LOCAL_VANTAGE, undefined)).toEqual([
      '--connect: 1 open http or https targets answered neither in TLS nor in plain text (silent, or reset first): endpoint-protocol-mismatch could not judge them',
    ]);
  });
});
