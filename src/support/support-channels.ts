import type { Store } from '../storage/store';
import type { ChannelNotifier } from './support-desk';

/**
 * Where each platform's support channel is. An admin's `set support channel` is stored and wins;
 * otherwise the configured one (SUPPORT_TEAMS_CONVERSATION, SUPPORT_SLACK_CHANNEL) applies.
 */

export interface SupportChannel {
  /** The platform: 'teams', 'slack'. */
  channel: string;
  /** The channel's id as clicks from it name it (see ChannelNotifier.placeOf). */
  place: string;
  /** How the platform posts there. */
  address: unknown;
  /** Who set it with the command, and when; absent when it comes from configuration. */
  setBy?: string;
  setAt?: number;
}

export interface SupportChannels {
  get(channel: string): Promise<SupportChannel | undefined>;
  /** Every platform that has a support channel now, in the order the platforms were given. */
  all(): Promise<SupportChannel[]>;
  /** Makes `address` the platform's support channel; returns the one it replaces. */
  set(channel: string, address: unknown, by: { id: string; name?: string }, now: number): Promise<{ previous?: SupportChannel; current: SupportChannel }>;
}

interface StoredSupportChannel {
  address: unknown;
  setBy?: string;
  setById?: string;
  setAt?: number;
}

/**
 * One document per platform. "teams-support-channel" is the key earlier releases stored Teams' bare
 * conversation reference under; such a value still reads as the address.
 */
export const supportChannelKey = (channel: string): string => `${channel}-support-channel`;

function readStored(value: unknown): StoredSupportChannel | undefined {
  if (!value || typeof value !== 'object') return undefined;
  return 'address' in value ? (value) : { address: value };
}

export function createSupportChannels(options: {
  store: Pick<Store, 'getDocument' | 'putDocument'>;
  notifiers: readonly ChannelNotifier[];
  /** The configured support channel per platform, as an address that platform's notifier understands. */
  configured: Readonly<Record<string, unknown>>;
}): SupportChannels {
  const { store, notifiers, configured } = options;

  async function get(channel: string): Promise<SupportChannel | undefined> {
    const notifier = notifiers.find((n) => n.channel === channel);
    if (!notifier) return undefined;
    const stored = readStored((await store.getDocument(supportChannelKey(channel)))?.value);
    const chosen = stored ?? (configured[channel] !== undefined ? { address: configured[channel] } : undefined);
    const place = chosen ? notifier.placeOf(chosen.address) : undefined;
    if (!chosen || !place) return undefined;
    return {
      channel,
      place,
      address: chosen.address,
      ...(chosen.setBy ? { setBy: chosen.setBy } : {}),
      ...(chosen.setAt !== undefined ? { setAt: chosen.setAt } : {}),
    };
  }

  return {
    get,
    async all() {
      const found = await Promise.all(notifiers.map((n) => get(n.channel)));
      return found.filter((c): c is SupportChannel => c !== undefined);
    },
    async set(channel, address, by, now) {
      const notifier = notifiers.find((n) => n.channel === channel);
      const place = notifier?.placeOf(address);
      if (!notifier || !place) throw new Error(`not a ${channel} channel address`);
      const previous = await get(channel);
      const value: StoredSupportChannel = { address, setBy: by.name ?? by.id, setById: by.id, setAt: now };
      await store.putDocument(supportChannelKey(channel), value);
      return { ...(previous ? { previous } : {}), current: { channel, place, address, setBy: value.setBy!, setAt: now } };
    },
  };
}
