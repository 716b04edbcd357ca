// probe --rules-file: saved dumps read offline (iptables-save, nft -j, /proc/net/ip_vs,
// ipvsadm-save -n, ipset save); src/sources/node-rules tells which is which from the content.

import { readFile } from 'node:fs/promises';
import type { DataplaneInput } from '../node-rules/detect.js';
import { UsageError } from '../../core/errors.js';

export async function readRulesFiles(files: string[]): Promise<DataplaneInput[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { text: await readFile(file, 'utf8'), source: file };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(`--rules-file ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    }),
  );
}
