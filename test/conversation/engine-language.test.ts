import { FakeMatcher } from '../helpers/fake-matcher';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createHarness, textOf } from './harness';

const IVC = 'invalid-vault-credentials';

describe('reply language', () => {
  it.each([
    ['nl-NL', 'nl'],
    ['nl-BE', 'nl'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    [undefined, 'nl'],
  ])('uses the platform locale %s when the words give no signal (→ %s)', async (locale, lang) => {
    const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
    const h = createHarness({ matcher: m, inbound: locale ? { locale } : {} });
    const [answer] = await h.say('34513');
    expect(answer!.lang).toBe(lang);
    expect(m.calls[0]!.options.preferredLang).toBe(lang);
  });

  it('follows the language of the words over the locale', async () => {
    const m = new FakeMatcher({ 'my registration fails with 34513': { kind: 'answer', topic: IVC, lang: 'en' } });
    const h = createHarness({ matcher: m, inbound: { locale: 'nl-NL' } });
    const [answer] = await h.say('my registration fails with 34513');
    expect(answer!.title).toBe('Invalid vault credentials');
  });

  it('keeps the thread in the language it is in for short answers without a language signal', async () => {
    const m = new FakeMatcher({ 'my registration fails with 34513': { kind: 'answer', topic: IVC, lang: 'en' } });
    const h = createHarness({ matcher: m, inbound: { locale: 'nl-NL' } });
    await h.say('my registration fails with 34513');
    const [question] = await h.say('2');
    expect(question!.prompt).toBe('Does the server reach the internet through a proxy or firewall?');
  });

  it.each(['in English please', 'english', 'English?', 'lang en', '/lang en', 'can you answer in english', 'Engels graag'])(
    '"%s" switches to English, is confirmed and remembered for the user',
    async (command) => {
      const store = createMemoryStore();
      const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
      const h = createHarness({ matcher: m, store, inbound: { locale: 'nl-NL' } });
      const [confirm] = await h.say(command);
      expect(confirm).toMatchObject({ kind: 'notice', lang: 'en', text: ["Okay, I'll continue in English."] });

      // A new conversation of the same user, on a Dutch client, with no language in the words.
      const [answer] = await h.say('34513', { conversationId: 'conv-2' });
      expect(answer!.lang).toBe('en');
      expect(m.calls.at(-1)!.options.preferredLang).toBe('en');
      // Another user keeps the locale's language.
      const [other] = await h.say('34513', { conversationId: 'conv-3', userId: 'user-2' });
      expect(other!.lang).toBe('nl');
    },
  );

  it.each(['in het Nederlands', 'nederlands graag', 'lang nl', 'Dutch please'])('"%s" switches to Dutch', async (command) => {
    const h = createHarness({ matcher: new FakeMatcher(), inbound: { locale: 'en-US' } });
    const [confirm] = await h.say(command);
    expect(confirm).toMatchObject({ kind: 'notice', lang: 'nl', text: ['Oké, ik ga verder in het Nederlands.'] });
  });

  it.each(['my english is not good but 34513', 'ik spreek geen engels', 'the english version of the article'])(
    'does not take "%s" for a language switch',
    async (text) => {
      const h = createHarness({ matcher: new FakeMatcher() });
      const replies = await h.say(text);
      expect(textOf(replies)).not.toMatch(/continue in English|verder in het Nederlands/);
    },
  );

  it('switches with the set-lang button, repeats the last answer and asks the open question again in the new language', async () => {
    const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
    const h = createHarness({ matcher: m });
    await h.say('34513');
    const replies = await h.act({ type: 'set-lang', lang: 'en' });
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'answer', 'question']);
    expect(replies[1]!.steps).toEqual(['Download a new vault credentials file.', 'Register the server again.']);
    expect(replies[2]!.prompt).toBe('Did you download the file today?');
    expect((await h.state()).lang).toBe('en');
  });
});
