import { conversationKey } from '../../src/conversation/create-engine';
import type { Engine } from '../../src/conversation/engine';
import type { Inbound } from '../../src/conversation/inbound';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store, Ticket } from '../../src/storage/store';
import { createInbound, type InboundOverrides } from '../helpers/create-inbound';
import { FakeClock } from '../helpers/fake-clock';
import { buildMarsbot } from '../helpers/start-marsbot';

/**
 * What the user types is redacted before it enters the conversation state, and so before it can
 * reach a ticket: the transcript, the escalation description (typed or from the form) and a
 * state written by an older version all hold "[redacted:…]" where the secret was.
 */

const PASSPHRASE = 'Rode-Fiets-8842';

let store: Store;
let engine: Engine;
const inbound = (overrides: InboundOverrides): Inbound => createInbound({ channel: 'teams', conversationId: 'a:redaction', userId: 'u1', locale: 'nl-NL', ...overrides });
const say = (text: string) => engine.handle(inbound({ text }));

beforeEach(async () => {
  store = createMemoryStore();
  // The production wiring (guard, engine, support desk), on a memory store.
  engine = (await buildMarsbot({ store, clock: new FakeClock() })).engine;
});

async function storedState(): Promise<Record<string, unknown>> {
  const doc = await store.getDocument<Record<string, unknown>>(conversationKey(inbound({})));
  return doc!.value;
}

async function onlyTicket(): Promise<Ticket> {
  const tickets = await store.listTickets();
  expect(tickets).toHaveLength(1);
  return tickets[0]!;
}

const awaitsDescription = async (): Promise<boolean> => (await storedState())['awaiting'] === 'escalation-description';

describe('the conversation state holds no secret', () => {
  it('"helpt niet, wachtwoordzin is …, ik wil een medewerker": redacted in the transcript and the ticket, whichever route wins', async () => {
    await say('Fout 34506 bij het registreren van FS01');
    await say(`helpt niet, wachtwoordzin is ${PASSPHRASE}, ik wil een medewerker`);
    if (!(await awaitsDescription())) await say('ik wil een medewerker spreken');
    expect(await awaitsDescription()).toBe(true);
    await say('FS01 registreert nog steeds niet');

    const ticket = await onlyTicket();
    const userLines = ticket.transcript.filter((line) => line.from === 'user').map((line) => line.text);
    expect(userLines).toContain('helpt niet, wachtwoordzin is [redacted:passphrase] ik wil een medewerker');
    expect(JSON.stringify(ticket)).not.toContain(PASSPHRASE);
    expect(JSON.stringify(await storedState())).not.toContain(PASSPHRASE);
  });

  it('a typed escalation description keeps its words and loses its secrets', async () => {
    await say('ik wil een medewerker spreken');
    await say(`proxy http://CONTOSO\\svc:Pw0rd-Proxy!@proxy:8080 geeft 407, het wachtwoord van de proxy is Welkom2024!`);
    const ticket = await onlyTicket();
    expect(ticket.description).toBe('proxy http://CONTOSO\\svc:[redacted:url-credentials]@proxy:8080 geeft 407, het wachtwoord van de proxy is [redacted:password]');
    const state = JSON.stringify(await storedState());
    for (const secret of ['Pw0rd-Proxy!', 'Welkom2024!']) {
      expect(JSON.stringify(ticket)).not.toContain(secret);
      expect(state).not.toContain(secret);
    }
  });

  it('a description sent with the form is redacted in the ticket and in the transcript', async () => {
    await say('I want to talk to a person');
    await engine.handle(inbound({ action: { type: 'escalate-submit', description: `my passphrase is correct horse battery staple, still 34506`, urgency: 'high' } }));
    const ticket = await onlyTicket();
    expect(ticket.description).toBe('my passphrase is [redacted:passphrase] still 34506');
    expect(ticket.transcript.filter((line) => line.from === 'user').map((line) => line.text)).toContain('my passphrase is [redacted:passphrase] still 34506');
    expect(JSON.stringify(await storedState())).not.toContain('battery');
  });

  it('a state written by an older version, with a secret in its transcript, is stored redacted after the next turn', async () => {
    const key = conversationKey(inbound({}));
    await store.putDocument(key, {
      v: 1,
      lang: 'nl',
      transcript: [
        { from: 'user', text: `mijn wachtwoordzin is ${PASSPHRASE}`, at: 1 },
        { from: 'bot', text: 'Bewaar ook de oude wachtwoordzin: herstelpunten blijven leesbaar.', at: 2 },
      ],
      followUpAnswers: [{ question: 'Welke wachtwoordzin?', answer: `wachtwoordzin: ${PASSPHRASE}` }],
    });
    await say('dank je');
    const state = await storedState();
    expect(state['v']).toBe(2);
    expect(JSON.stringify(state)).not.toContain(PASSPHRASE);
    const transcript = state['transcript'] as { from: string; text: string }[];
    expect(transcript[0]!.text).toBe('mijn wachtwoordzin is [redacted:passphrase]');
    // Our own wording is not run through redaction: it holds no secret.
    expect(transcript[1]!.text).toBe('Bewaar ook de oude wachtwoordzin: herstelpunten blijven leesbaar.');
  });
});
