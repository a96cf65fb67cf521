import type { InboundOverrides } from '../helpers/create-inbound';
import { FakeMatcher } from '../helpers/fake-matcher';
import { FakeSupportDesk } from '../helpers/fake-support-desk';
import { createHarness } from './harness';

/**
 * Slack can only tell who a user is through a Web API call. The engine asks for the name and the
 * client's language only in a turn that needs them, and the answer is the same as if they had
 * been given up front.
 */

const IVC = 'invalid-vault-credentials';

function lookup(found: { name?: string; locale?: string }): { calls: () => number; inbound: InboundOverrides } {
  let calls = 0;
  return {
    calls: () => calls,
    inbound: {
      lookupUser: async () => {
        calls++;
        return found;
      },
    },
  };
}

function matcher(): FakeMatcher {
  return new FakeMatcher({
    '34513': { kind: 'answer', topic: IVC },
    'registration fails with 34513': { kind: 'answer', topic: IVC, lang: 'en', errorIds: ['34513'] },
    'hallo': { kind: 'smalltalk', smalltalk: 'greeting', lang: 'nl' },
  });
}

describe('looking up who the user is, only when a turn needs it', () => {
  it('does not ask when the words show the language and nothing needs the name', async () => {
    const user = lookup({ name: 'Anna de Vries', locale: 'nl-NL' });
    const h = createHarness({ matcher: matcher(), inbound: user.inbound });
    const [answer] = await h.say('registration fails with 34513');
    expect(answer!.lang).toBe('en');
    expect(user.calls()).toBe(0);
  });

  it("asks once when the words give no language, and answers in the client's language", async () => {
    const user = lookup({ name: 'Jan', locale: 'en-US' });
    const m = matcher();
    const h = createHarness({ matcher: m, inbound: user.inbound });
    const [answer] = await h.say('34513');
    expect(answer!.lang).toBe('en');
    expect(answer!.title).toBe('Invalid vault credentials');
    expect(m.calls.at(-1)!.options.preferredLang).toBe('en');
    expect(user.calls()).toBe(1);
  });

  it('falls back to Dutch when the lookup fails, and still answers', async () => {
    const h = createHarness({
      matcher: matcher(),
      inbound: {
        lookupUser: async () => {
          throw new Error('users.info: ratelimited');
        },
      },
    });
    const [answer] = await h.say('34513');
    expect(answer!.lang).toBe('nl');
    expect(answer!.title).toBe('Ongeldige kluisreferenties');
  });

  it('greets by first name, looked up for the greeting', async () => {
    const user = lookup({ name: 'Anna de Vries', locale: 'nl-NL' });
    const h = createHarness({ matcher: matcher(), inbound: user.inbound });
    const [greeting] = await h.say('hallo');
    expect(greeting!.text?.[0]).toContain('Anna');
    expect(greeting!.text?.[0]).not.toContain('de Vries');
    expect(user.calls()).toBe(1);
  });

  it("puts the looked-up name on the ticket, without asking in the turns before it", async () => {
    const user = lookup({ name: 'Jan de Boer', locale: 'en-US' });
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: user.inbound });
    await h.say('registration fails with 34513');
    await h.say('talk to a human');
    expect(user.calls()).toBe(0);
    await h.say('Server FS01 still cannot register, urgent');
    expect(desk.calls).toHaveLength(1);
    expect(desk.calls[0]!.userName).toBe('Jan de Boer');
    expect(user.calls()).toBe(1);
  });
});
