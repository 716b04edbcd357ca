// Puts read and expected Service ports in one canonical order, so tests compare them with toEqual.
import type { ProgrammedFrontend, ProgrammedServicePort } from '../../src/sources/node-rules/types.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Drops raw rule lines, sorts every list, and — where the rules cannot tell an external IP from a
 * load-balancer IP (nftables; refused addresses in iptables) — names both 'external-ip'.
 */
export function canonical(
  ports: ProgrammedServicePort[],
  collapseExternalKinds: (p: ProgrammedServicePort) => boolean,
) {
  return ports
    .map((p) => {
      const collapse = collapseExternalKinds(p);
      const kind = (k: ProgrammedFrontend['kind']) => (collapse && k === 'load-balancer' ? 'external-ip' : k);
      const { rules: _rules, ...rest } = p;
      return {
        ...rest,
        frontends: p.frontends
          .map(({ kindAmbiguous: _a, ...f }) => ({ ...f, kind: kind(f.kind) }))
          .sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))),
        endpoints: [...p.endpoints].sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))),
        ...(p.externalEndpoints
          ? { externalEndpoints: [...p.externalEndpoints].sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))) }
          : {}),
        verdicts: p.verdicts
          .map((v) => ({ ...v, frontend: kind(v.frontend) }))
          .filter((v, i, all) => all.findIndex((o) => o.frontend === v.frontend && o.verdict === v.verdict) === i)
          .sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))),
      };
    })
    .sort((a, b) =>
      byText(JSON.stringify([a.service, a.protocol, a.family]), JSON.stringify([b.service, b.protocol, b.family])),
    );
}
