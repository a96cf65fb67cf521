import { isIP } from 'node:net';

/**
 * Which service URLs the bot may call. A Bot Framework activity names the URL its replies go to
 * (`serviceUrl`); on an endpoint without an app id anybody can send one, so the URL is checked
 * against the hosts the Bot Framework and Teams really use before any call is made.
 */

/**
 * The Bot Framework's and Teams' service URL hosts: Teams in the public cloud (every region sits
 * under smba.trafficmanager.net), GCC, GCC High and DoD, and the Bot Framework's own channels
 * (Web Chat, Direct Line, the Emulator's tunnel) in the public and the US Government cloud.
 * Sovereign clouds set TEAMS_SERVICE_URL_HOSTS instead.
 */
export const BOT_FRAMEWORK_SERVICE_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  '*.botframework.com',
  '*.botframework.azure.us',
];

/** A host pattern as TEAMS_SERVICE_URL_HOSTS accepts it: a host name, or `*.` and a domain (any host below it). */
export const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** localhost, 127.0.0.0/8 and ::1: the Agents Playground, the Emulator, and tests. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

function matches(host: string, pattern: string): boolean {
  if (!pattern.startsWith('*.')) return host === pattern;
  const domain = pattern.slice(1);
  return host.endsWith(domain) && host.length > domain.length;
}

export type ServiceUrlVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Loopback over http or https, or https on one of `hosts`. No credentials in the URL, no other
 * scheme: anything else is refused with the reason (for the log; it names the host, not the URL).
 */
export function checkServiceUrl(serviceUrl: unknown, hosts: readonly string[]): ServiceUrlVerdict {
  if (typeof serviceUrl !== 'string' || serviceUrl === '') return { allowed: false, reason: 'no serviceUrl' };
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return { allowed: false, reason: 'serviceUrl is not a URL' };
  }
  if (url.username || url.password) return { allowed: false, reason: 'serviceUrl carries credentials' };
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host)) {
    return url.protocol === 'http:' || url.protocol === 'https:' ? { allowed: true } : { allowed: false, reason: `scheme ${url.protocol} is not http(s)` };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: `${host} is not loopback, so it must be https` };
  return hosts.some((pattern) => matches(host, pattern)) ? { allowed: true } : { allowed: false, reason: `${host} is not a Bot Framework service host` };
}
