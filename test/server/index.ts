// startTestServer: an HTTPS server on 127.0.0.1 speaking enough of the Kubernetes API that
// kubectl and @kubernetes/client-node work against it unchanged, with a kubeconfig to reach it.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml, makeCertificates, type KeyPair, type Subject } from './certs.js';
import { createExecServer, handleUpgrade, type ExecHandler } from './exec.js';
import { Faults } from './faults.js';
import { readObjectFiles } from './object-files.js';
import type { PolicyRule, RequestRecord, ServerContext } from './requests.js';
import { createRequestHandler } from './routes.js';
import { flattenObjects, ObjectStore, resourceOfKind } from './store.js';
import { gatewayApiCrds } from './crds.js';

export { CERT_CONTEXT, CONTEXT } from './certs.js';
export type { ExecHandler } from './exec.js';
export { withEphemeralStatus, type EphemeralState } from './ephemeral-containers.js';
export type { PolicyRule, RequestRecord } from './requests.js';

export interface TestServerOptions {
  /** Objects, Lists or typed lists (PodList...), e.g. from test/support/objects.ts. */
  objects?: unknown[];
  /** Files or folders of kubectl get -o json|yaml output (a folder: its .json, .yaml and .yml files). */
  files?: string[];
  /** The bearer token the kubeconfig carries; random by default. */
  token?: string;
  /** Who the token authenticates as. */
  user?: string;
  /** Subject of the kubeconfig's client certificate (context test-server-cert). */
  certUser?: Subject;
  /** Allow list; unset allows everything. */
  rules?: PolicyRule[];
  exec?: ExecHandler;
  /** The kubeconfig contexts' namespace. */
  namespace?: string;
  /** Watch events kept for watches that start at an older resourceVersion. */
  historyLimit?: number;
  /**
   * The Gateway API CRDs installed before `objects` and `files` are applied: the experimental
   * channel's (every route kind, the default: the cluster most tests play has every kind the
   * doctor reads), the standard channel's (no TCPRoute, TLSRoute or UDPRoute), or none, as on a
   * cluster without the Gateway API, which serves none of its kinds. A CustomResourceDefinition
   * among the objects installs its kind too.
   */
  gatewayApi?: 'experimental' | 'standard' | 'none';
}

export interface TestServer {
  /** https://127.0.0.1:PORT */
  url: string;
  kubeconfigPath: string;
  kubeconfig: string;
  /** ['--kubeconfig', path, '--cache-dir', dir]: kubectl's discovery cache kept per server. */
  kubectlArgs: string[];
  token: string;
  user: string;
  caPem: string;
  clientCert: KeyPair;
  store: ObjectStore;
  faults: Faults;
  /** Every request in arrival order. */
  requests: RequestRecord[];
  /**
   * Kinds found in `objects`/`files` that the server does not serve, with counts. A
   * CustomResourceDefinition among them installs the kind it defines (the Gateway API's), which
   * is served only then.
   */
  skippedKinds: Map<string, number>;
  setExecHandler(handler: ExecHandler | undefined): void;
  setRules(rules: PolicyRule[] | undefined): void;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = new ObjectStore(options.historyLimit);
  const skippedKinds = new Map<string, number>();
  const documents = [...(options.objects ?? [])];
  for (const file of options.files ?? []) documents.push(...(await readObjectFiles(file)));
  const gatewayApi = options.gatewayApi ?? 'experimental';
  if (gatewayApi !== 'none') for (const crd of gatewayApiCrds(gatewayApi === 'experimental')) store.install(crd);
  const objects = flattenObjects(documents);
  // CustomResourceDefinitions first, wherever they are listed: they install the kinds they define.
  const isCrd = (o: (typeof objects)[number]) => o.kind === 'CustomResourceDefinition';
  const skip = (kind: string) => skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + 1);
  for (const object of objects.filter(isCrd)) if (!store.install(object)) skip('CustomResourceDefinition');
  for (const object of objects) {
    if (isCrd(object)) continue;
    const kind = object.kind;
    const resource = typeof kind === 'string' ? resourceOfKind(kind) : undefined;
    // An object of a CRD not installed is refused, as kubectl apply says "no matches for kind".
    if (resource && store.serves(resource)) store.apply(object);
    else skip(String(kind));
  }

  const token = options.token ?? randomBytes(24).toString('base64url');
  const user = options.user ?? 'system:serviceaccount:default:endpoints-doctor';
  const certs = makeCertificates(options.certUser ?? { commonName: 'test-admin', organizations: ['system:masters'] });
  const ctx: ServerContext = {
    store,
    faults: new Faults(() => store.expireSnapshots()),
    requests: [],
    token,
    tokenUser: user,
    rules: options.rules,
    exec: options.exec,
    address: '',
  };

  // Client certificates are asked for but optional: token users connect without one.
  const server = createServer(
    {
      key: certs.server.keyPem,
      cert: certs.server.certPem,
      ca: [certs.ca.certPem],
      requestCert: true,
      rejectUnauthorized: false,
    },
    createRequestHandler(ctx),
  );
  const wss = createExecServer();
  const upgrading = new Set<Duplex>();
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    upgrading.add(socket);
    socket.on('close', () => upgrading.delete(socket));
    handleUpgrade(ctx, wss, req, socket, head).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx.address = `127.0.0.1:${port}`;
  const url = `https://127.0.0.1:${port}`;

  const dir = await mkdtemp(join(tmpdir(), 'k8s-test-server-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const kubeconfig = kubeconfigYaml({
    url,
    caPem: certs.ca.certPem,
    token,
    client: certs.client,
    namespace: options.namespace,
  });
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

  return {
    url,
    kubeconfigPath,
    kubeconfig,
    kubectlArgs: ['--kubeconfig', kubeconfigPath, '--cache-dir', join(dir, 'cache')],
    token,
    user,
    caPem: certs.ca.certPem,
    clientCert: certs.client,
    store,
    faults: ctx.faults,
    requests: ctx.requests,
    skippedKinds,
    setExecHandler: (handler) => void (ctx.exec = handler),
    setRules: (rules) => void (ctx.rules = rules),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of upgrading) socket.destroy();
      // Watches and hung requests never end by themselves.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
