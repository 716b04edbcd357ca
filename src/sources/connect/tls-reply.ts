// The TLS probe from a debug container, which has no TLS client (busybox's cannot tell TLS from
// plain text): the connect program sends a fixed TLS 1.2 ClientHello naming the Service (SNI) and
// hands back the first bytes the server answered; this reads them. TLS 1.2 sends the server's
// certificate in the clear (https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2), so its names
// can be read without completing the handshake; a server that speaks only TLS 1.3 answers with an
// alert, and is then known to speak TLS but its certificate is not seen. The bytes are the
// peer's: nothing in them is trusted beyond what it is parsed as.

import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { TlsAnswer } from './types.js';

/** The fields of a certificate that name it, as node:tls's peer certificate and X509Certificate give them. */
interface CertificateNaming {
  /** "DNS:a.example, DNS:b.example, IP Address:10.0.0.1". */
  subjectaltname?: string;
  commonName?: string;
}

/** The DNS names of a certificate (its subjectAltName's, else its common name) and which of serverNames it covers. */
export function certificateAnswer(cert: CertificateNaming, serverNames: string[]): TlsAnswer {
  const dnsNames = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice('DNS:'.length));
  const certificateNames = dnsNames.length > 0 ? dnsNames : cert.commonName ? [cert.commonName] : [];
  // checkServerIdentity reads only these two fields of the peer certificate (RFC 6125's rules).
  const peer = {
    subjectaltname: cert.subjectaltname ?? '',
    subject: cert.commonName ? { CN: cert.commonName } : {},
  } as unknown as PeerCertificate;
  const covers = serverNames.filter((name) => checkServerIdentity(name, peer) === undefined);
  return { spoke: 'tls', certificateNames, covers };
}

// TLS record content types and handshake message types:
// https://www.rfc-editor.org/rfc/rfc5246#section-6.2.1 and #section-7.4.
const HANDSHAKE = 0x16;
const ALERT = 0x15;
const CERTIFICATE = 11;

/** The handshake messages' bytes, the records' payloads joined (a message may span records). */
function handshakeBytes(reply: Buffer): Buffer {
  const payloads: Buffer[] = [];
  for (let at = 0; at + 5 <= reply.length && reply[at] === HANDSHAKE;) {
    const length = reply.readUInt16BE(at + 3);
    payloads.push(reply.subarray(at + 5, Math.min(reply.length, at + 5 + length)));
    at += 5 + length;
  }
  return Buffer.concat(payloads);
}

/** The first certificate of the Certificate message, DER, when the reply holds all of it. */
function firstCertificate(reply: Buffer): Buffer | undefined {
  const messages = handshakeBytes(reply);
  for (let at = 0; at + 4 <= messages.length;) {
    const type = messages[at];
    const length = messages.readUIntBE(at + 1, 3);
    if (type === CERTIFICATE) {
      // certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>
      const first = at + 4 + 3;
      if (first + 3 > messages.length) return undefined;
      const size = messages.readUIntBE(first, 3);
      const end = first + 3 + size;
      return end <= messages.length && size > 0 ? messages.subarray(first + 3, end) : undefined;
    }
    at += 4 + length;
  }
  return undefined;
}

function commonName(subject: string): string | undefined {
  return subject
    .split('\n')
    .find((part) => part.startsWith('CN='))
    ?.slice('CN='.length);
}

/**
 * What the first bytes a server sent back to the ClientHello say: TLS (a handshake or an alert
 * record), plain (anything else: an HTTP 400, a banner), or unknown (nothing came).
 */
export function tlsReplyAnswer(reply: Buffer, serverNames: string[]): TlsAnswer {
  if (reply.length === 0) return { spoke: 'unknown', error: 'no answer to a TLS ClientHello' };
  const isRecord = reply.length >= 3 && reply[1] === 0x03;
  if (isRecord && reply[0] === ALERT) {
    const description = reply.length >= 7 ? ` ${reply[6]}` : '';
    return {
      spoke: 'tls',
      error: `the server ended the TLS 1.2 handshake (alert${description}): its certificate was not seen`,
    };
  }
  if (!isRecord || reply[0] !== HANDSHAKE) return { spoke: 'plain', error: 'the server answered, not in TLS' };
  const der = firstCertificate(reply);
  if (der === undefined) return { spoke: 'tls', error: 'no whole certificate in the first bytes of the answer' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { spoke: 'tls', error: 'the certificate could not be read' };
  }
  const cn = commonName(cert.subject);
  return certificateAnswer(
    {
      ...(cert.subjectAltName !== undefined ? { subjectaltname: cert.subjectAltName } : {}),
      ...(cn ? { commonName: cn } : {}),
    },
    serverNames,
  );
}
