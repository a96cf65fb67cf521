import type { Inbound } from '../../src/conversation/inbound';

/** An Inbound with test defaults: one web user in one conversation; override what the test is about. */
export function createInbound(overrides: Partial<Inbound> = {}): Inbound {
  return {
    channel: 'web',
    conversationId: 'conv-1',
    userId: 'user-1',
    ...overrides,
  };
}
