// The benchmark's API server, in a process of its own: generates the synthetic cluster (same
// seed, same objects as the bench process's in-memory model) straight into the test server's
// store, then answers the bench process over IPC:
//   { cmd: 'reset' }  drop list snapshots and collect garbage, so no command pays for the last one's;
//   { cmd: 'stats' }  CPU used, time spent building list snapshots, memory;
//   { cmd: 'close' }  stop.
// Every answer is a ServerStats message; the first message is { type: 'ready', ... }.

import { performance } from 'node:perf_hooks';
import { startTestServer } from '../test/server/index.js';
import { generateCluster, type ClusterSize } from './generate.js';

export interface ServerStats {
  type: 'stats';
  /** process.cpuUsage() in microseconds. */
  cpuUser: number;
  cpuSystem: number;
  /** Time in ObjectStore.list/listShared: the snapshot a list's first page takes (filter, sort). */
  listMs: number;
  listCalls: number;
  requests: number;
  rss: number;
  heapUsed: number;
}

export interface ServerReady {
  type: 'ready';
  url: string;
  token: string;
  caPem: string;
  kubeconfigPath: string;
  kubectlArgs: string[];
  objects: number;
  generateMs: number;
  generated: ReturnType<typeof generateCluster>;
  rss: number;
}

const size = JSON.parse(process.argv[2] ?? '') as ClusterSize;
const send = (message: object) => process.send!(message);
const gc = (globalThis as { gc?: () => void }).gc;

// historyLimit: the store keeps the last N events for watches; the bench never watches.
const server = await startTestServer({ objects: [], historyLimit: 10 });
const store = server.store;
const started = performance.now();
const generated = generateCluster(size, (o) => void store.apply(o));
const generateMs = performance.now() - started;

let listMs = 0;
let listCalls = 0;
// Time spent building list snapshots (filter, sort, and in list() a copy of every object).
for (const method of ['list', 'listShared'] as const) {
  const original = store[method].bind(store);
  store[method] = (resource, filter) => {
    const t = performance.now();
    try {
      return original(resource, filter);
    } finally {
      listMs += performance.now() - t;
      listCalls++;
    }
  };
}

const stats = (): ServerStats => {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    type: 'stats',
    cpuUser: cpu.user,
    cpuSystem: cpu.system,
    listMs,
    listCalls,
    requests: server.requests.length,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
  };
};

gc?.();
const ready: ServerReady = {
  type: 'ready',
  url: server.url,
  token: server.token,
  caPem: server.caPem,
  kubeconfigPath: server.kubeconfigPath,
  kubectlArgs: server.kubectlArgs,
  objects: store.size,
  generateMs,
  generated,
  rss: process.memoryUsage().rss,
};
send(ready);

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'reset') {
    store.expireSnapshots();
    server.requests.length = 0;
    gc?.();
    send(stats());
  } else if (m.cmd === 'stats') {
    send(stats());
  } else if (m.cmd === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
