import type { ActionPayload } from '../../src/replies/reply';
import type { Inbound, InboundBase } from '../../src/conversation/inbound';

/** What a test may say about an inbound: who and where, and either text or a button press. */
export type InboundOverrides = Partial<InboundBase> & { text?: string; action?: ActionPayload; kind?: 'installed' };

/**
 * An Inbound with test defaults: one web user in one conversation; override what the test is about.
 * With `action` it is a button press, with `kind: 'installed'` a conversation start, else a message.
 */
export function createInbound(overrides: InboundOverrides = {}): Inbound {
  const { text, action, kind, ...who } = overrides;
  const base: InboundBase = { channel: 'web', conversationId: 'conv-1', userId: 'user-1', ...who };
  if (kind === 'installed') return { ...base, kind: 'installed' };
  if (action) return { ...base, kind: 'action', action };
  return { ...base, kind: 'message', text: text ?? '' };
}
