import type { IncomingMessage } from 'node:http';
import { addressKey, clientAddress } from '../../src/server/client-address';

/** The address a web chat request is counted under, for its rate limits and ticket caps. */

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('client address', () => {
  it("is the socket's address unless marsbot is told how many proxies to believe", () => {
    expect(clientAddress(request('192.0.2.10', '198.51.100.1'), 0)).toBe('192.0.2.10');
    expect(clientAddress(request('::ffff:192.0.2.10'), 0)).toBe('192.0.2.10');
  });

  it('behind N trusted proxies, is the entry the outermost of them added, whatever the client wrote in front of it', () => {
    expect(clientAddress(request('10.0.0.2', '203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.2', '6.6.6.6, 7.7.7.7, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.3', '6.6.6.6, 203.0.113.7, 10.0.0.2'), 2)).toBe('203.0.113.7');
    // Fewer entries than hops (a request that bypassed a proxy): the leftmost there is, never an empty key.
    expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2');
    // Not an address at all: the socket's, rather than a key the client picks.
    expect(clientAddress(request('10.0.0.2', 'anything-goes'), 1)).toBe('10.0.0.2');
  });

  it('counts IPv6 clients per /64, since one host can use every address in it', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('[2001:db8::5]')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
