// An HTTP CONNECT proxy on 127.0.0.1 that logs each tunnel it is asked for: what a kubeconfig's
// proxy-url (or a corporate HTTPS_PROXY) points at. `refuse` answers every CONNECT with that
// status instead, as a proxy that denies the destination does. `hosts` are names (or addresses)
// it resolves itself, to 127.0.0.1 say: a server the client can reach only through the proxy.

import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The CONNECT targets (host:port), in arrival order. */
  tunnels: string[];
  /** The Proxy-Authorization header of each CONNECT. */
  authorizations: (string | undefined)[];
  refuse?: number;
  close(): Promise<void>;
}

export async function startConnectProxy(options: { hosts?: Record<string, string> } = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  const proxy: ConnectProxy = {
    url: '',
    tunnels: [],
    authorizations: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    proxy.tunnels.push(req.url ?? '');
    proxy.authorizations.push(req.headers['proxy-authorization']);
    if (proxy.refuse) {
      client.end(`HTTP/1.1 ${proxy.refuse} Refused\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), options.hosts?.[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
