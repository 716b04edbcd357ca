// Which proxy mode kube-proxy runs in (docs/kube-proxy-dataplane.md#which-mode-kube-proxy-runs): its configuration file
// (ConfigMap kube-system/kube-proxy, key config.conf; an empty mode means iptables on Linux),
// else its --proxy-mode flag (ignored when --config is given); else the rules tell
// (src/sources/node-rules/detect.ts).

import { parse } from 'yaml';
import type { ProxyMode } from '../node-rules/types.js';

const MODES: readonly ProxyMode[] = ['iptables', 'nftables', 'ipvs'];

export interface ModeFromConfig {
  mode?: ProxyMode;
  /** Another value (e.g. kernelspace, a typo): said in a note, the rules decide. */
  unknown?: string;
  /** KubeProxyConfiguration syncPeriod in seconds, when set. */
  syncPeriodSeconds?: number;
}

function isMode(value: string): value is ProxyMode {
  return (MODES as readonly string[]).includes(value);
}

/** Go's duration text as KubeProxyConfiguration writes it: "30s", "1m0s", "1h0m0s", "500ms". */
export function goDurationSeconds(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let m; (m = re.exec(text)); end = re.lastIndex) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
  }
  return text !== '' && end === text.length ? total : undefined;
}

/** Reads config.conf (YAML or JSON KubeProxyConfiguration). Unparseable text tells nothing. */
export function modeFromConfig(configConf: string): ModeFromConfig {
  let config: unknown;
  try {
    config = parse(configConf);
  } catch {
    return {};
  }
  if (!config || typeof config !== 'object') return {};
  const { mode, syncPeriod } = config as { mode?: unknown; syncPeriod?: unknown };
  const result: ModeFromConfig = {};
  if (typeof syncPeriod === 'string') {
    const seconds = goDurationSeconds(syncPeriod);
    if (seconds !== undefined && seconds > 0) result.syncPeriodSeconds = seconds;
  }
  if (mode === undefined || mode === null || mode === '') result.mode = 'iptables';
  else if (typeof mode === 'string' && isMode(mode)) result.mode = mode;
  else result.unknown = typeof mode === 'string' ? mode : JSON.stringify(mode);
  return result;
}

/**
 * The mode a kube-proxy command line asks for. With --config the file decides ("This parameter
 * is ignored if a config file is specified by --config"): undefined. Without either, iptables.
 */
export function modeFromArgs(argv: string[]): ProxyMode | undefined {
  let mode: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' || arg.startsWith('--config=')) return undefined;
    if (arg.startsWith('--proxy-mode=')) mode = arg.slice('--proxy-mode='.length);
    else if (arg === '--proxy-mode') mode = argv[++i];
  }
  if (mode === undefined || mode === '') return 'iptables';
  return isMode(mode) ? mode : undefined;
}
