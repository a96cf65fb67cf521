import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Who is on the other end of a web chat request, for rate limits and ticket caps. By default the
 * socket's address: X-Forwarded-For is written by whoever sends the request, so it counts only
 * when marsbot is told it sits behind that many proxies (TRUST_PROXY_HOPS), and then only the
 * entry the nearest trusted proxy added — entries further left are the client's own claims.
 *
 * IPv6 clients are counted per /64: one host can use every address of its /64, so a limit per
 * single address would be a limit per nothing.
 */

/** An address as a limit key: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 prefix. */
export function addressKey(address: string): string {
  const plain = address.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIP(plain) !== 6) return plain;
  return `${expandIpv6(plain).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)));
}

export function clientAddress(req: IncomingMessage, trustProxyHops: number): string | undefined {
  const socketAddress = req.socket.remoteAddress;
  if (trustProxyHops <= 0) return socketAddress ? addressKey(socketAddress) : undefined;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // Each proxy appends the address it saw: the last `trustProxyHops` hops are ours, the one before them the client.
  const chain = [...forwarded, ...(socketAddress ? [socketAddress] : [])];
  const client = chain[Math.max(0, chain.length - 1 - trustProxyHops)];
  return client && isIP(client.replace(/^\[|\]$/g, '')) !== 0 ? addressKey(client) : socketAddress ? addressKey(socketAddress) : undefined;
}
