import type { Reply } from '../../src/replies/reply';
import type { ChannelNotifier } from '../../src/support/support-desk';
import type { TicketInput } from '../../src/storage/store';

/** A complete escalation as the engine would hand it over; override what a test is about. */
export function ticketInput(overrides: Partial<TicketInput> = {}): TicketInput {
  return {
    idempotencyKey: 'teams:conv-1:escalation',
    channel: 'teams',
    conversationId: 'conv-1',
    userId: 'user-1',
    userName: 'Anna de Vries',
    lang: 'nl',
    threadLink: 'https://teams.microsoft.com/l/message/19:abc/1',
    topic: 'invalid-vault-credentials',
    case: 'expired-credentials',
    errorIds: ['34513'],
    stepsShown: ['invalid-vault-credentials/expired-credentials'],
    followUpAnswers: [{ question: 'Hoe oud is het bestand?', answer: 'ouder dan 10 dagen' }],
    feedback: [{ helpful: false, at: 1_736_150_000_000 }],
    description: 'Registratie mislukt met fout 34513, ook met een nieuw kluisreferentiebestand.',
    urgency: 'high',
    transcript: [
      { from: 'user', text: 'fout 34513 bij registreren', at: 1_736_150_000_000 },
      { from: 'bot', text: 'Je kluisreferenties zijn ongeldig of verlopen.', at: 1_736_150_001_000 },
    ],
    ...overrides,
  };
}

/** A support channel address as FakeChannelNotifier understands it. */
interface FakeAddress {
  place: string;
}

/** Records what the support side posted, per platform. Addresses are `{ place }`. */
export class FakeChannelNotifier implements ChannelNotifier {
  readonly threadPosts: { conversationId: string; replies: Reply[] }[] = [];
  readonly channelPosts: { place: string; replies: Reply[] }[] = [];

  constructor(readonly channel: string) {}

  async notifyThread(conversationId: string, replies: Reply[]): Promise<void> {
    this.threadPosts.push({ conversationId, replies });
  }

  async postToChannel(address: unknown, replies: Reply[]): Promise<void> {
    const place = this.placeOf(address);
    if (!place) throw new Error('not an address');
    this.channelPosts.push({ place, replies });
  }

  placeOf(address: unknown): string | undefined {
    const place = (address as Partial<FakeAddress> | undefined)?.place;
    return typeof place === 'string' ? place : undefined;
  }

  /** The ticket ids of the summaries posted to support channels. */
  ticketsPosted(): string[] {
    return this.channelPosts.map((p) => /MARS-\d+/.exec(p.replies[0]?.title ?? '')?.[0] ?? '?');
  }
}
