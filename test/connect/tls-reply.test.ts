// The TLS probe's reading of a server's first bytes (src/sources/connect/tls-reply.ts): records
// as TLS 1.2 frames them (https://www.rfc-editor.org/rfc/rfc5246#section-6.2), a Certificate
// message (#section-7.4.2) that may span records, an alert, or anything else. The certificates are the test CA's; the bytes around them are crafted.

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateAnswer, tlsReplyAnswer } from '../../src/sources/connect/tls-reply.js';
import { issueCertificate, makeCA } from '../server/certs.js';

const SERVICE_NAMES = ['web.shop.svc', 'web.shop.svc.cluster.local'];

const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const record = (type: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([type, 0x03, 0x03, payload.length >> 8, payload.length & 0xff]), payload]);
const message = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);
const certificateMessage = (der: Buffer) => message(11, Buffer.concat([u24(der.length + 3), u24(der.length), der]));
const serverHello = message(2, Buffer.alloc(70, 1));

const ca = makeCA();
/** The test CA's server certificate: subjectAltName localhost, 127.0.0.1 and ::1. */
const serverDer = new X509Certificate(issueCertificate(ca, { commonName: 'web' }, 'server').certPem).raw;
/** A client certificate: no subjectAltName, common name only. */
const clientDer = new X509Certificate(issueCertificate(ca, { commonName: 'web.shop.svc' }, 'client').certPem).raw;

describe('tlsReplyAnswer', () => {
  it('reads the first certificate of a Certificate message, across records', () => {
    const handshake = Buffer.concat([serverHello, certificateMessage(serverDer)]);
    const reply = Buffer.concat([record(0x16, handshake.subarray(0, 100)), record(0x16, handshake.subarray(100))]);
    expect(tlsReplyAnswer(reply, [...SERVICE_NAMES, 'localhost'])).toEqual({
      spoke: 'tls',
      certificateNames: ['localhost'],
      covers: ['localhost'],
    });
  });

  it("without a subjectAltName, the common name is the certificate's name", () => {
    const reply = record(0x16, Buffer.concat([serverHello, certificateMessage(clientDer)]));
    expect(tlsReplyAnswer(reply, SERVICE_NAMES)).toEqual({
      spoke: 'tls',
      certificateNames: ['web.shop.svc'],
      covers: ['web.shop.svc'],
    });
  });

  it('a certificate cut short by the bytes kept, or not one at all: TLS, names unknown', () => {
    const whole = record(0x16, Buffer.concat([serverHello, certificateMessage(serverDer)]));
    expect(tlsReplyAnswer(whole.subarray(0, whole.length - 10), SERVICE_NAMES)).toEqual({
      spoke: 'tls',
      error: 'no whole certificate in the first bytes of the answer',
    });
    const junk = record(0x16, Buffer.concat([serverHello, certificateMessage(Buffer.from('not a certificate'))]));
    expect(tlsReplyAnswer(junk, SERVICE_NAMES)).toEqual({ spoke: 'tls', error: 'the certificate could not be read' });
    // A server that sent only its hello so far.
    expect(tlsReplyAnswer(record(0x16, serverHello), SERVICE_NAMES)).toEqual({
      spoke: 'tls',
      error: 'no whole certificate in the first bytes of the answer',
    });
  });

  it('an alert (a server that speaks only TLS 1.3 refuses the TLS 1.2 hello): TLS, its certificate not seen', () => {
    expect(tlsReplyAnswer(record(0x15, Buffer.from([2, 70])), SERVICE_NAMES)).toEqual({
      spoke: 'tls',
      error: 'the server ended the TLS 1.2 handshake (alert 70): its certificate was not seen',
    });
  });

  it('anything else is plain text; nothing at all is unknown', () => {
    expect(tlsReplyAnswer(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), SERVICE_NAMES)).toEqual({
      spoke: 'plain',
      error: 'the server answered, not in TLS',
    });
    expect(tlsReplyAnswer(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), SERVICE_NAMES).spoke).toBe('plain');
    expect(tlsReplyAnswer(Buffer.alloc(0), SERVICE_NAMES)).toEqual({
      spoke: 'unknown',
      error: 'no answer to a TLS ClientHello',
    });
  });
});

describe('certificateAnswer: which Service names a certificate covers, as TLS clients verify them (RFC 6125)', () => {
  it.each([
    ['DNS:web.shop.svc', ['web.shop.svc']],
    ['DNS:*.shop.svc', ['web.shop.svc']],
    // A wildcard stands for one label only.
    ['DNS:*.svc', []],
    ['DNS:web.shop.svc.cluster.local, DNS:web', ['web.shop.svc.cluster.local']],
    ['IP Address:10.96.0.10', []],
  ])('%s covers %j', (subjectaltname, covers) => {
    expect(certificateAnswer({ subjectaltname }, SERVICE_NAMES).covers).toEqual(covers);
  });
});
