// Which proxy the requests go through, and the agent that takes them there, as kubectl decides:
// the kubeconfig cluster's proxy-url if set, else the environment (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY). client-go leaves the environment to Go's net/http (http.ProxyFromEnvironment, whose
// rules are golang.org/x/net/http/httpproxy: https://github.com/golang/net/blob/master/http/httpproxy/proxy.go),
// and those rules are ported here. The npm libraries for these variables (proxy-from-env, the
// most used) follow curl's instead, which would send requests through the proxy where kubectl
// goes direct: to a loopback server (kind, minikube's tunnels), to an address inside a NO_PROXY
// CIDR (10.0.0.0/8 is a common entry), or to a subdomain of a NO_PROXY name without a leading dot.

import type * as http from 'node:http';
import type * as https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { UsageError } from '../core/errors.js';
import { withoutUserinfo } from './kube-api.js';

export interface Proxy {
  url: URL;
  /** The proxy as messages name it: without user and password, and where from if not the kubeconfig. */
  name: string;
}

/** scheme://host:port, whatever user, password or trailing slash the URL has. */
const urlName = (url: URL) => `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;

/** The schemes client-go accepts in a proxy-url (clientcmd's parseProxyURL), and Go in the environment. */
const SCHEMES = ['http:', 'https:', 'socks5:'];

type Environment = Record<string, string | undefined>;

/** The proxy for requests to `server`: the kubeconfig's proxy-url, else the environment's; none for a direct connection. */
export function proxyFor(server: URL, proxyUrl: string | undefined, env: Environment = process.env): Proxy | undefined {
  if (!proxyUrl) return proxyFromEnvironment(server, env);
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new UsageError(`the kubeconfig's cluster proxy-url ${withoutUserinfo(proxyUrl)} is not a URL`);
  }
  if (!SCHEMES.includes(url.protocol)) {
    throw new UsageError(
      `the kubeconfig's cluster proxy-url ${withoutUserinfo(proxyUrl)} has the scheme ${url.protocol.slice(0, -1)}: use http, https or socks5`,
    );
  }
  return { url, name: urlName(url) };
}

/** The first of the variables set to something (Go's getEnvAny: the upper-case name wins). */
function firstSet(env: Environment, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * The environment's proxy for `target`, as Go's ProxyFromEnvironment picks it: HTTPS_PROXY for
 * https (never HTTP_PROXY), HTTP_PROXY for http; none for localhost and loopback addresses, nor
 * for what NO_PROXY names.
 */
export function proxyFromEnvironment(target: URL, env: Environment = process.env): Proxy | undefined {
  const https = target.protocol === 'https:';
  const variable = firstSet(env, https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy']);
  const url = variable && parseProxy(variable.value);
  if (!url) return undefined;
  const port = target.port || (https ? '443' : '80');
  if (!useProxy(target, port, firstSet(env, ['NO_PROXY', 'no_proxy'])?.value ?? '')) return undefined;
  if (!SCHEMES.includes(url.protocol)) {
    throw new UsageError(
      `${variable.name}=${withoutUserinfo(variable.value)}: the proxy's scheme ${url.protocol.slice(0, -1)} is not one of http, https and socks5`,
    );
  }
  return { url, name: `${urlName(url)} from ${variable.name}` };
}

/**
 * A proxy variable's value as a URL: a value without a scheme (`proxy.corp:3128`) is an http
 * proxy. Go tells the two apart by parsing; "host:port" parses as the scheme "host", so a
 * known scheme, or an explicit `scheme://`, is what makes a value a URL as given.
 */
function parseProxy(value: string): URL | undefined {
  const given = URL.canParse(value) ? new URL(value) : undefined;
  if (given && (SCHEMES.includes(given.protocol) || value.includes('://'))) return given;
  return URL.canParse(`http://${value}`) ? new URL(`http://${value}`) : given;
}

/** One NO_PROXY entry: does it take the request to `host` (lower case, IPv6 without brackets) on `port` off the proxy? */
type NoProxyEntry = (host: string, port: string, family: number) => boolean;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const ipType = (family: number) => (family === 6 ? 'ipv6' : 'ipv4');

/** The URL's host without the brackets of an IPv6 address. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** localhost or a loopback address: never proxied. */
export function isLoopback(url: URL): boolean {
  const host = hostOf(url);
  const family = isIP(host);
  return host === 'localhost' || (family > 0 && LOOPBACK.check(host, ipType(family)));
}

function useProxy(target: URL, port: string, noProxy: string): boolean {
  if (isLoopback(target)) return false;
  const host = hostOf(target);
  const family = isIP(host);
  return !noProxyEntries(noProxy).some((entry) => entry(host, port, family));
}

/** "host:port" or "[ipv6]:port" split as Go's net.SplitHostPort does; undefined where it fails. */
function splitHostPort(text: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const colon = text.indexOf(':');
  if (colon < 0 || colon !== text.lastIndexOf(':') || text.includes('[') || text.includes(']')) return undefined;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** NO_PROXY's comma-separated entries, read as Go reads them (httpproxy's config.init). */
function noProxyEntries(noProxy: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = [];
  for (const raw of noProxy.split(',')) {
    const text = raw.trim().toLowerCase();
    if (!text) continue;
    if (text === '*') return [() => true];
    // IPv4/prefix, IPv6/prefix: matches IP addresses only, on any port.
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(text);
    const cidrFamily = cidr ? isIP(cidr[1]) : 0;
    if (cidr && cidrFamily && Number(cidr[2]) <= (cidrFamily === 4 ? 32 : 128)) {
      const network = new BlockList();
      network.addSubnet(cidr[1], Number(cidr[2]), ipType(cidrFamily));
      entries.push((host, _port, family) => family > 0 && network.check(host, ipType(family)));
      continue;
    }
    const split = splitHostPort(text);
    // A port with no host (":1") is malformed: ignored.
    if (split && !split.host) continue;
    const host = split?.host ?? text;
    const port = split?.port ?? '';
    const portMatches = (requestPort: string) => port === '' || port === requestPort;
    const ipFamily = isIP(host);
    if (ipFamily) {
      const address = new BlockList();
      address.addAddress(host, ipType(ipFamily));
      entries.push((h, p, family) => family > 0 && address.check(h, ipType(family)) && portMatches(p));
      continue;
    }
    // "example.com" matches it and its subdomains; ".example.com" and "*.example.com" the subdomains only.
    const domain = host.startsWith('*.') ? host.slice(1) : host;
    const matchesItself = !domain.startsWith('.');
    const suffix = domainToASCII(matchesItself ? `.${domain}` : domain) || (matchesItself ? `.${domain}` : domain);
    entries.push((h, p) => (h.endsWith(suffix) || (matchesItself && h === suffix.slice(1))) && portMatches(p));
  }
  return entries;
}

/**
 * An agent that reaches the server through the proxy, with the TLS settings (`tls`) for the
 * server: an HTTP(S) proxy is asked for a CONNECT tunnel (hpagent), a SOCKS5 proxy is handed
 * the server's name to resolve (as Go's SOCKS dialer does). Loaded only when a proxy is used.
 */
export async function proxyAgent(proxy: Proxy, server: URL, tls: https.AgentOptions): Promise<http.Agent> {
  if (proxy.url.protocol === 'socks5:') {
    const { SocksProxyAgent } = await import('socks-proxy-agent');
    const remoteLookup = new URL(proxy.url);
    remoteLookup.protocol = 'socks5h:';
    return new SocksProxyAgent(remoteLookup, tls);
  }
  const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
  return server.protocol === 'http:'
    ? new HttpProxyAgent({ keepAlive: true, proxy: proxy.url })
    : new HttpsProxyAgent({ ...tls, proxy: proxy.url });
}
