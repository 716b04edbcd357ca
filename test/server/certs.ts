// A throwaway certificate authority per server, its serving certificate and a client
// certificate, and the kubeconfig that trusts the CA. node-forge signs the certificates (pure
// JavaScript from npm, so nothing beyond `npm ci` is needed); keys come from Node's own RSA.

import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { stringify } from 'yaml';

const { pki } = forge;

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface Certificates {
  ca: KeyPair;
  server: KeyPair;
  client: KeyPair;
}

export interface Subject {
  commonName: string;
  /** Become the certificate's organizations: the user's groups, as the API server reads them. */
  organizations?: string[];
}

// RSA key generation costs ~200 ms a key, so a process makes three and reuses them; each
// server still gets its own CA (its name carries a random suffix, so no other server's
// certificate chains to it).
const keyPool: forge.pki.rsa.KeyPair[] = [];
function keyPair(index: number): forge.pki.rsa.KeyPair {
  while (keyPool.length <= index) keyPool.push(pki.rsa.generateKeyPair({ bits: 2048 }));
  return keyPool[index];
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // Go rejects negative serial numbers
  return bytes.toString('hex');
}

function newCertificate(subject: Subject, publicKey: forge.pki.PublicKey): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  // Backdated an hour so that clock differences between processes never make it "not yet valid".
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  cert.setSubject([
    { name: 'commonName', value: subject.commonName },
    ...(subject.organizations ?? []).map((value) => ({ name: 'organizationName', value })),
  ]);
  return cert;
}

/** A new self-signed certificate authority. */
export function makeCA(commonName = `endpoints-doctor-test-ca-${randomBytes(4).toString('hex')}`): {
  pair: KeyPair;
  cert: forge.pki.Certificate;
  key: forge.pki.PrivateKey;
} {
  const keys = keyPair(0);
  const cert = newCertificate({ commonName }, keys.publicKey);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    pair: { certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(keys.privateKey) },
    cert,
    key: keys.privateKey,
  };
}

/** A certificate signed by `ca`: for a server (127.0.0.1, ::1, localhost) or a client user. */
export function issueCertificate(ca: ReturnType<typeof makeCA>, subject: Subject, use: 'server' | 'client'): KeyPair {
  const keys = keyPair(use === 'server' ? 1 : 2);
  const cert = newCertificate(subject, keys.publicKey);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: use === 'server', clientAuth: use === 'client' },
    // Go verifies names only against subjectAltName, never the common name.
    ...(use === 'server'
      ? [
          {
            name: 'subjectAltName',
            altNames: [
              { type: 7, ip: '127.0.0.1' },
              { type: 7, ip: '::1' },
              { type: 2, value: 'localhost' },
            ],
          },
        ]
      : []),
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(keys.privateKey) };
}

/** A CA with a serving certificate and one client certificate for `clientUser`. */
export function makeCertificates(clientUser: Subject): Certificates {
  const ca = makeCA();
  return {
    ca: ca.pair,
    server: issueCertificate(ca, { commonName: 'kube-apiserver' }, 'server'),
    client: issueCertificate(ca, clientUser, 'client'),
  };
}

export const CONTEXT = 'test-server';
export const CERT_CONTEXT = 'test-server-cert';

/**
 * A kubeconfig with two contexts on one cluster: `test-server` (current) authenticates with
 * the bearer token, `test-server-cert` with the client certificate.
 */
export function kubeconfigYaml(o: {
  url: string;
  caPem: string;
  token: string;
  client: KeyPair;
  namespace?: string;
}): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CONTEXT, cluster: { server: o.url, 'certificate-authority-data': b64(o.caPem) } }],
    users: [
      { name: 'test-token', user: { token: o.token } },
      {
        name: 'test-cert',
        user: { 'client-certificate-data': b64(o.client.certPem), 'client-key-data': b64(o.client.keyPem) },
      },
    ],
    contexts: [
      {
        name: CONTEXT,
        context: { cluster: CONTEXT, user: 'test-token', ...(o.namespace ? { namespace: o.namespace } : {}) },
      },
      {
        name: CERT_CONTEXT,
        context: { cluster: CONTEXT, user: 'test-cert', ...(o.namespace ? { namespace: o.namespace } : {}) },
      },
    ],
    'current-context': CONTEXT,
  });
}
