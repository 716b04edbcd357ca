// Every `fix` is meant to be pasted into a shell, and the names and labels in it come from the
// cluster or a snapshot. Here every name, namespace, label value, node and container of the demo
// shop is made hostile (quotes, $(...), backquotes, ;) and each command a fix suggests is parsed
// twice: by a POSIX word splitter written for this test, and by sh itself (printf of the words).
// Both must give the intended words, with the hostile text inside single quotes, and sh must run
// nothing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shopObjects } from '../../examples/shop.js';
import { shellQuote, syncFix } from '../../src/checks/helpers.js';
import { CHECKS } from '../../src/checks/index.js';
import { buildModel } from '../../src/model/cluster.js';
import type {
  ClusterObject,
  LabelSelector,
  Labels,
  NetworkPolicyRule,
  ObjectRef,
  ServiceRef,
} from '../../src/core/objects.js';
import type { NodeProbe } from '../../src/model/node-comparison.js';
import { runChecks } from '../../src/report/run-checks.js';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { slimObject } from '../../src/sources/slim.js';
import { namespace, networkPolicy } from '../support/objects.js';

const MARKER = 'INJECTED';
/** Appended to every name: a quote to break out of quoting, then two ways to run a command, then a separator. */
const PAYLOAD = `'$(echo ${MARKER})\`echo ${MARKER}\`;x`;
const hostile = (s: string) => `${s}${PAYLOAD}`;

/**
 * Label keys whose values carry meaning to the checks (managers, mirroring, proxies): kept as they
 * are. Two name objects and follow their names: kubernetes.io/service-name (a Service's), and
 * kubernetes.io/metadata.name, a Namespace's own name as the API server sets it, which
 * namespaceSelectors match.
 */
const kept = (key: string) =>
  key.includes('/') && key !== 'kubernetes.io/service-name' && key !== 'kubernetes.io/metadata.name';

function hostileLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, kept(k) ? v : hostile(v)]));
}

function hostileRef(ref: ObjectRef | undefined): ObjectRef | undefined {
  return ref && { ...ref, name: hostile(ref.name), ...(ref.namespace ? { namespace: hostile(ref.namespace) } : {}) };
}

/** The same cluster with every name made hostile, consistently, so that every relation still holds. */
function hostileObject(o: ClusterObject): ClusterObject {
  const meta = {
    ...o.meta,
    name: hostile(o.meta.name),
    namespace: o.meta.namespace && hostile(o.meta.namespace),
    labels: hostileLabels(o.meta.labels),
  };
  const node = (name: string | undefined) => name && hostile(name);
  switch (o.kind) {
    case 'Service':
      return { ...o, meta, selector: o.selector && hostileLabels(o.selector) };
    case 'Pod': {
      const named = <T extends { name: string }>(list: T[]) => list.map((c) => ({ ...c, name: hostile(c.name) }));
      return {
        ...o,
        nodeName: node(o.nodeName),
        subdomain: o.subdomain && hostile(o.subdomain),
        containers: named(o.containers),
        sidecars: named(o.sidecars),
        initContainerNames: o.initContainerNames.map(hostile),
        containerStatuses: named(o.containerStatuses),
        initContainerStatuses: named(o.initContainerStatuses),
        meta: { ...meta, owner: o.meta.owner && { ...o.meta.owner, name: hostile(o.meta.owner.name) } },
      };
    }
    case 'EndpointSlice':
      return {
        ...o,
        meta,
        serviceName: o.serviceName && hostile(o.serviceName),
        endpoints: o.endpoints.map((e) => ({ ...e, nodeName: node(e.nodeName), targetRef: hostileRef(e.targetRef) })),
      };
    case 'Endpoints': {
      const addresses = (list: (typeof o.subsets)[number]['addresses']) =>
        list.map((a) => ({ ...a, nodeName: node(a.nodeName), targetRef: hostileRef(a.targetRef) }));
      return {
        ...o,
        meta,
        subsets: o.subsets.map((s) => ({
          ...s,
          addresses: addresses(s.addresses),
          notReadyAddresses: addresses(s.notReadyAddresses),
        })),
      };
    }
    case 'Node':
      return { ...o, meta };
    case 'Event':
      return { ...o, meta, involvedObject: hostileRef(o.involvedObject)! };
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return {
        ...o,
        meta: { ...meta, owner: o.meta.owner && { ...o.meta.owner, name: hostile(o.meta.owner.name) } },
        templateLabels: hostileLabels(o.templateLabels),
        selector: { ...o.selector, matchLabels: hostileLabels(o.selector.matchLabels) },
        ...(o.kind === 'StatefulSet' && o.serviceName ? { serviceName: hostile(o.serviceName) } : {}),
      };
    case 'Ingress': {
      const backend = (b: (typeof o.paths)[number]['backend']) => b && { ...b, service: hostile(b.service) };
      return {
        ...o,
        meta,
        defaultBackend: backend(o.defaultBackend),
        paths: o.paths.map((p) => ({ ...p, backend: backend(p.backend) })),
      };
    }
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
    case 'APIService': {
      const service = (s: ServiceRef | undefined) =>
        s && { ...s, namespace: hostile(s.namespace), name: hostile(s.name) };
      if (o.kind === 'APIService') return { ...o, meta, service: service(o.service) };
      return {
        ...o,
        meta,
        webhooks: o.webhooks.map((w) => ({ ...w, name: hostile(w.name), service: service(w.service) })),
      };
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'TLSRoute':
    case 'UDPRoute':
      return {
        ...o,
        meta,
        // A Gateway's name is the value of the label on its Services, whose key is kept as it is.
        parentGateways: o.parentGateways.map((g) => ({ ...g, namespace: hostile(g.namespace) })),
        rules: o.rules.map((r) => ({
          ...r,
          backendRefs: r.backendRefs.map((b) => ({
            ...b,
            name: hostile(b.name),
            ...(b.namespace ? { namespace: hostile(b.namespace) } : {}),
          })),
        })),
      };
    case 'Gateway':
      // Its addresses are compared with Services' addresses, never written into a fix.
      return { ...o, meta };
    case 'ReferenceGrant':
      return {
        ...o,
        meta,
        from: o.from.map((f) => ({ ...f, namespace: hostile(f.namespace) })),
        to: o.to.map((t) => (t.name ? { ...t, name: hostile(t.name) } : t)),
      };
    case 'Namespace':
      // Its kubernetes.io/metadata.name label follows its name (hostileLabels does not keep it).
      return { ...o, meta };
    case 'NetworkPolicy': {
      const selector = (s: LabelSelector | undefined) =>
        s && {
          ...s,
          matchLabels: hostileLabels(s.matchLabels),
          matchExpressions: s.matchExpressions.map((e) => ({
            ...e,
            values: e.values.map((v) => (kept(e.key) ? v : hostile(v))),
          })),
        };
      const rule = (r: NetworkPolicyRule) => ({
        ...r,
        peers: r.peers.map((p) => ({
          ...p,
          podSelector: selector(p.podSelector),
          namespaceSelector: selector(p.namespaceSelector),
        })),
      });
      return {
        ...o,
        meta,
        podSelector: selector(o.podSelector)!,
        ingress: o.ingress.map(rule),
        egress: o.egress.map(rule),
      };
    }
  }
}

interface Words {
  words: string[];
  /** Where the command ends in the text: at an operator (; | & ( )) or the end. */
  end: number;
  problems: string[];
}

/**
 * POSIX word splitting of one simple command starting at `from`, with quote removal, refusing
 * anything the shell would expand: $ and backquotes outside single quotes, unquoted globs,
 * tildes and comments.
 */
function splitWords(text: string, from: number): Words {
  const words: string[] = [];
  const problems: string[] = [];
  let word: string | undefined;
  let i = from;
  const at = () => `${JSON.stringify(text[i])} at ${i} in ${JSON.stringify(text.slice(from, i + 10))}`;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (';|&()<>'.includes(ch)) break;
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) problems.push(`unterminated single quote: ${at()}`);
      word = (word ?? '') + text.slice(i + 1, close < 0 ? text.length : close);
      i = close < 0 ? text.length : close;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let inner = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '$' || text[j] === '`') problems.push(`expansion inside double quotes: ${at()}`);
        if (text[j] === '\\' && '$`"\\\n'.includes(text[j + 1] ?? '')) j++;
        inner += text[j];
      }
      if (j >= text.length) problems.push(`unterminated double quote: ${at()}`);
      word = (word ?? '') + inner;
      i = j;
      continue;
    }
    if (ch === '\\') {
      word = (word ?? '') + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '$' || ch === '`') problems.push(`unquoted expansion: ${at()}`);
    if ('*?['.includes(ch)) problems.push(`unquoted glob: ${at()}`);
    if (word === undefined && (ch === '~' || ch === '#')) problems.push(`unquoted ${ch} at a word start: ${at()}`);
    word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return { words, end: i, problems };
}

/** The commands a fix suggests: from each `kubectl` or `printf` word to its end. */
function commandsIn(fix: string): { start: number; raw: string; parsed: Words }[] {
  const commands: { start: number; raw: string; parsed: Words }[] = [];
  for (const m of fix.matchAll(/(?<=^|[\s(:])(kubectl|printf) /g)) {
    const parsed = splitWords(fix, m.index);
    commands.push({ start: m.index, raw: fix.slice(m.index, parsed.end), parsed });
  }
  return commands;
}

/** Single-quoted words (with '\'' inside) that start and end at a word boundary. */
const QUOTED = /(?<=^|[\s(=])'(?:[^']|'\\'')*'(?=$|[\s),;:.])/g;

const scratch = mkdtempSync(join(tmpdir(), 'fix-quoting-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The words sh itself makes of a command: printf each, NUL-terminated, in an empty folder (globs stay literal). */
function shWords(raw: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${raw}`], { cwd: scratch, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

function expectSafe(fix: string, where: string): void {
  for (const { raw, parsed } of commandsIn(fix)) {
    expect(parsed.problems, `${where}: ${raw}`).toEqual([]);
    expect(shWords(raw), `${where}: sh reads ${raw}`).toEqual(parsed.words);
    // Each word carrying hostile text is the hostile value itself, or holds it whole (key=value, JSON).
    for (const word of parsed.words.filter((w) => w.includes(MARKER))) {
      expect(word.split(PAYLOAD).length - 1, `${where}: ${word}`).toBeGreaterThan(0);
      if (word.startsWith('{') || word.startsWith('[')) expect((): unknown => JSON.parse(word), word).not.toThrow();
    }
  }
  // Hostile text outside a command (prose naming a label, say) is quoted just the same.
  const quotedSpans = [...fix.matchAll(QUOTED)].map((m) => [m.index, m.index + m[0].length] as const);
  for (const m of fix.matchAll(new RegExp(MARKER, 'g'))) {
    expect(
      quotedSpans.some(([from, to]) => m.index > from && m.index < to),
      `${where}: ${MARKER} at ${m.index} outside single quotes in ${fix}`,
    ).toBe(true);
  }
}

describe('shellQuote', () => {
  it('leaves the words of common fixes bare and quotes the rest so that sh reads them back unchanged', () => {
    for (const bare of ['web', 'app.kubernetes.io/name=web', 'spec.nodeName=node-a', '10.0.0.1:80', 'a,b', '-n']) {
      expect(shellQuote(bare)).toBe(bare);
    }
    for (const value of ['', "it's", '$(echo x)', '`x`', 'a b', '*', '~root', '#c', '=zsh', 'a\nb', PAYLOAD]) {
      expect(shellQuote(value)).toMatch(/^'.*'$/s);
      expect(shWords(shellQuote(value))).toEqual([value]);
    }
  });
});

describe('every fix is safe to paste', () => {
  const plain = modelFromRaw(shopObjects());
  const all = [
    ...plain.services,
    ...plain.pods,
    ...plain.endpointSlices,
    ...plain.endpoints,
    ...plain.nodes,
    ...plain.events,
    ...plain.workloads,
    ...plain.ingresses,
    ...plain.webhookConfigurations,
    ...plain.apiServices,
    ...plain.gatewayRoutes,
    ...plain.gateways,
    ...plain.referenceGrants,
    ...plain.networkPolicies,
    ...plain.namespaces,
  ];
  const model = buildModel(all.map(hostileObject), plain.coverage);
  // Every Service was read: references to Services that do not exist are judged too.
  const findings = runChecks(model, model.services, CHECKS, {}).findings;

  it("a hostile Namespace's kubernetes.io/metadata.name label, and the selectors on it, follow its name", () => {
    const byName = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' }, matchExpressions: [] };
    const [ns, policy] = [
      slimObject('Namespace', namespace('shop')),
      slimObject(
        'NetworkPolicy',
        networkPolicy('web', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: byName }] }] }),
      ),
    ].map(hostileObject);
    expect(ns.meta.labels).toEqual({ 'kubernetes.io/metadata.name': ns.meta.name });
    expect(policy.kind === 'NetworkPolicy' && policy.ingress[0].peers[0].namespaceSelector?.matchLabels).toEqual({
      'kubernetes.io/metadata.name': ns.meta.name,
    });
  });

  it('the hostile shop still gives the demo findings, with fixes from most checks', () => {
    const plainChecks = new Set(runChecks(plain, plain.services, CHECKS, {}).findings.map((f) => f.check));
    expect(new Set(findings.map((f) => f.check))).toEqual(plainChecks);
    expect(new Set(findings.filter((f) => f.fix).map((f) => f.check)).size).toBeGreaterThanOrEqual(20);
  });

  it('quotes every hostile name, namespace, label and container in the commands and around them', () => {
    const bad: string[] = [];
    for (const f of findings)
      if (f.fix)
        try {
          expectSafe(f.fix, `${f.check} on ${f.namespace}/${f.service}`);
        } catch (e) {
          bad.push(String((e as Error).message).slice(0, 600));
        }
    expect(bad).toEqual([]);
  });

  it('the pod fix is exactly the intended argv', () => {
    const crash = findings.find(
      (f) => f.check === 'no-ready-endpoints' && f.service.startsWith('checkout') && f.fix?.includes('kubectl logs'),
    );
    const words = commandsIn(crash!.fix!)[0].parsed.words;
    expect(words.slice(0, 2)).toEqual(['kubectl', 'logs']);
    expect(words[2]).toMatch(new RegExp(`^checkout-.*${PAYLOAD.replace(/[$()`]/g, '\\$&')}$`));
    expect(words.slice(3)).toEqual(['-n', hostile('shop'), '-c', hostile('checkout'), '--previous']);
  });

  it('the probe fix (dataplane-* checks) quotes the node and the kube-proxy pod', () => {
    const node = hostile('worker-a');
    const withPod = syncFix({
      node,
      kubeProxyPod: { namespace: hostile('kube-system'), name: hostile('kp') },
    } as NodeProbe);
    expectSafe(withPod, 'syncFix with a pod');
    expect(commandsIn(withPod)[0].parsed.words).toEqual([
      'kubectl',
      '-n',
      hostile('kube-system'),
      'logs',
      hostile('kp'),
    ]);
    const withoutPod = syncFix({ node } as NodeProbe);
    expectSafe(withoutPod, 'syncFix without a pod');
    expect(commandsIn(withoutPod)[0].parsed.words).toContain(`spec.nodeName=${node}`);
  });
});
