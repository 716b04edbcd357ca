// (c), the floor: download the lists the doctor reads and JSON.parse every page, nothing else.
// Same pagination (limit=500, continue) and the same concurrency (all lists at once) as the
// doctor's live source. Run as plain JavaScript: bench/run.ts transpiles this file with
// TypeScript's transpileModule, so no loader start-up is counted against the floor.
//
// usage: node floor.mjs SERVER_URL TOKEN CA_FILE PATH...
// prints {"items":{path:n},"bytes":{path:n},"pages":n} on stdout.

import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const [server, token, caFile, ...paths] = process.argv.slice(2);
if (!server || !token || !caFile || paths.length === 0) {
  process.stderr.write('usage: floor SERVER_URL TOKEN CA_FILE PATH...\n');
  process.exit(2);
}
const ca = readFileSync(caFile, 'utf8');

function get(path: string): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server),
      { method: 'GET', ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200)
            reject(new Error(`GET ${path}: ${res.statusCode} ${body.toString('utf8').slice(0, 200)}`));
          else resolve({ text: body.toString('utf8'), bytes: body.length });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let pages = 0;
async function list(path: string): Promise<{ items: number; bytes: number }> {
  let items = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    // A path may carry its own query (the Events' fieldSelector).
    const [base, own] = path.split('?');
    const query = new URLSearchParams(own);
    query.set('limit', '500');
    if (token) query.set('continue', token);
    const page = await get(`${base}?${query}`);
    const body = JSON.parse(page.text) as { items?: unknown[]; metadata?: { continue?: string } };
    items += body.items?.length ?? 0;
    bytes += page.bytes;
    pages++;
    token = body.metadata?.continue || undefined;
  } while (token);
  return { items, bytes };
}

const results = await Promise.all(paths.map(list));
process.stdout.write(
  JSON.stringify({
    items: Object.fromEntries(paths.map((p, i) => [p, results[i].items])),
    bytes: Object.fromEntries(paths.map((p, i) => [p, results[i].bytes])),
    pages,
  }) + '\n',
);
