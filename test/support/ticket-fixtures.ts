import type { Reply } from '../../src/replies/reply';
import type { ChannelNotifier } from '../../src/support/support-desk';
import type { Ticket, TicketInput } from '../../src/storage/store';

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

/** Records what the support side posted, per channel. */
export class FakeChannelNotifier implements ChannelNotifier {
  readonly threadPosts: { conversationId: string; replies: Reply[] }[] = [];
  readonly supportPosts: { ticket: Ticket; replies: Reply[] }[] = [];

  constructor(readonly channel: string) {}

  async notifyThread(conversationId: string, replies: Reply[]): Promise<void> {
    this.threadPosts.push({ conversationId, replies });
  }

  async postToSupport(ticket: Ticket, replies: Reply[]): Promise<void> {
    this.supportPosts.push({ ticket, replies });
  }
}
