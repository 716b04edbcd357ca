// A SOCKS5 proxy on 127.0.0.1 (no authentication, CONNECT only, RFC 1928) that logs each
// destination as the client sent it: a host name, which the proxy resolves (through `hosts`,
// as in connect-proxy.ts), or an address the client resolved itself.

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface SocksProxy {
  /** socks5://127.0.0.1:PORT */
  url: string;
  /** host:port of each CONNECT, in arrival order; `name` or `address` says which the client sent. */
  destinations: { kind: 'name' | 'address'; target: string }[];
  close(): Promise<void>;
}

/** The bytes of a socket as they come, read a given number at a time. */
function reader(socket: Socket): (n: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  return async (n) => {
    while (buffered.length < n) await new Promise<void>((resolve) => (waiting = resolve));
    const taken = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return taken;
  };
}

export async function startSocksProxy(options: { hosts?: Record<string, string> } = {}): Promise<SocksProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const proxy: SocksProxy = {
    url: '',
    destinations: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((client) => {
    track(client);
    const read = reader(client);
    void (async () => {
      const [, methods] = await read(2);
      await read(methods);
      client.write(Buffer.from([5, 0])); // no authentication
      const [, command, , addressType] = await read(4);
      let host: string;
      if (addressType === 3) host = (await read((await read(1))[0])).toString('latin1');
      else if (addressType === 1) host = [...(await read(4))].join('.');
      else host = (await read(16)).toString('hex').replace(/(.{4})(?!$)/g, '$1:');
      const port = (await read(2)).readUInt16BE(0);
      proxy.destinations.push({ kind: addressType === 3 ? 'name' : 'address', target: `${host}:${port}` });
      if (command !== 1) return void client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
      let connected = false;
      const upstream = connect(port, options.hosts?.[host] ?? host, () => {
        connected = true;
        client.removeAllListeners('data');
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      // Refused before the tunnel stood: say so (reply 5); after, the client's connection goes too.
      upstream.on('error', () =>
        connected ? client.destroy() : client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
