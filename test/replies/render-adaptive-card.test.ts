import { readCardSubmit } from '../../src/channels/card-submit';
import { parseActionPayload } from '../../src/replies/action-payload';
import { renderAdaptiveCard, FORM_INPUT_IDS } from '../../src/replies/render-adaptive-card';
import type { Reply } from '../../src/replies/reply';
import { cardButtons, cardSteps, expectValidCard, validateAdaptiveCard, visibleTexts } from '../helpers/adaptive-card-validator';

const answer: Reply = {
  kind: 'answer',
  lang: 'nl',
  title: 'Proxy blokkeert de verbinding (34513)',
  text: ['De agent kan de Azure-service niet bereiken.'],
  steps: ['Open de proxy-instellingen.', 'Zet de URL’s op de allowlist.', 'Start de back-up opnieuw.'],
  source: { label: 'Netwerkproblemen — Microsoft Learn', url: 'https://learn.microsoft.com/nl-nl/azure/backup/backup-azure-mars-troubleshoot#network' },
  actions: [{ id: 'escalate', label: 'Escaleren naar support', action: { type: 'escalate' } }],
  footer: 'Bron: Microsoft Learn, CC BY 4.0',
};

const question: Reply = {
  kind: 'question',
  lang: 'en',
  prompt: 'Does the server use a proxy?',
  choices: [
    { id: 'yes', label: 'Yes', action: { type: 'follow-up', topic: 'proxy', question: 'uses-proxy', option: 'yes' } },
    { id: 'no', label: 'No', action: { type: 'follow-up', topic: 'proxy', question: 'uses-proxy', option: 'no' } },
  ],
};

const escalation: Reply = {
  kind: 'escalate',
  lang: 'en',
  title: 'Contact support',
  text: ['Tell us what happened.'],
  form: {
    id: 'escalation',
    descriptionLabel: 'What is going wrong?',
    descriptionPlaceholder: 'Describe the problem',
    urgencyLabel: 'Urgency',
    urgencyOptions: [
      { value: 'low', label: 'Low' },
      { value: 'normal', label: 'Normal' },
      { value: 'high', label: 'High' },
    ],
    submitLabel: 'Send to support',
  },
};

describe('renderAdaptiveCard', () => {
  it('shows an answer as a valid card: title, summary, numbered steps in order, source, buttons, footer', () => {
    const card = renderAdaptiveCard(answer);
    expectValidCard(card);
    const texts = visibleTexts(card);
    expect(texts[0]).toBe('Proxy blokkeert de verbinding (34513)');
    expect(texts[1]).toBe('De agent kan de Azure-service niet bereiken.');
    expect(cardSteps(card)).toEqual(['1. Open de proxy-instellingen.', '2. Zet de URL’s op de allowlist.', '3. Start de back-up opnieuw.']);
    expect(texts).toContain('Bron: Microsoft Learn, CC BY 4.0');
    expect(texts).toContain('Bron: ');

    const buttons = cardButtons(card);
    expect(buttons.find((b) => b.type === 'Action.OpenUrl')).toMatchObject({
      title: 'Netwerkproblemen — Microsoft Learn',
      url: 'https://learn.microsoft.com/nl-nl/azure/backup/backup-azure-mars-troubleshoot#network',
    });
    const submits = buttons.filter((b) => b.type === 'Action.Submit');
    expect(submits.map((b) => b.title)).toEqual(['Escaleren naar support']);
    expect(submits.map((b) => b.data)).toEqual([{ marsbot: { type: 'escalate' } }]);
  });

  it('shows a follow-up question with its choices as full-width rows of text that send the choice back when tapped', () => {
    const card = renderAdaptiveCard(question);
    expectValidCard(card);
    expect(visibleTexts(card)).toEqual(['Does the server use a proxy?', 'Yes', 'No']);
    const rows = card.body.filter((e) => e.type === 'Container');
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => (row['selectAction'] as { type: string }).type === 'Action.Submit')).toBe(true);
    const buttons = cardButtons(card);
    expect(buttons.map((b) => b.title)).toEqual(['Yes', 'No']);
    expect(readCardSubmit(buttons[1]!.data)).toEqual({ type: 'follow-up', topic: 'proxy', question: 'uses-proxy', option: 'no' });
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
  });

  it('renders the escalation form; a submit with the typed inputs reads back as escalate-submit', () => {
    const card = renderAdaptiveCard(escalation);
    expectValidCard(card);
    expect(visibleTexts(card)).toEqual(['Contact support', 'Tell us what happened.', 'What is going wrong?', 'Urgency']);
    const submit = cardButtons(card).find((b) => b.title === 'Send to support');
    // What Teams and the web renderer send: the button data with the inputs merged in.
    const sent = { ...(submit!.data as object), [FORM_INPUT_IDS.description]: '  Backups fail since Monday  ', [FORM_INPUT_IDS.urgency]: 'high' };
    expect(readCardSubmit(sent)).toEqual({ type: 'escalate-submit', description: 'Backups fail since Monday', urgency: 'high' });
    expect(readCardSubmit({ ...(submit!.data as object), [FORM_INPUT_IDS.description]: 'x', [FORM_INPUT_IDS.urgency]: 'whenever' })).toEqual({
      type: 'escalate-submit',
      description: 'x',
      urgency: 'normal',
    });
  });

  it('shows user text literally: Markdown link, list, heading and mention syntax stays plain text', () => {
    const hostile = 'URGENT [click me](https://evil.example) _x_ # heading\n- item\n1. one <at>everyone</at> <b>html</b>';
    const card = renderAdaptiveCard({ kind: 'notice', lang: 'en', title: hostile, text: [hostile], steps: [hostile], footer: hostile });
    expectValidCard(card);
    // Every user-derived string sits in a TextRun, which renders no Markdown; no TextBlock holds it.
    const json = JSON.stringify(card);
    const textBlocks = [...json.matchAll(/"type":"TextBlock","text":"([^"]*)"/g)].map((m) => m[1]);
    expect(textBlocks).toEqual(['1.']);
    expect(visibleTexts(card).filter((text) => text === hostile)).toHaveLength(4);
    expect(cardButtons(card).filter((b) => b.type === 'Action.OpenUrl')).toHaveLength(0);
  });

  it('turns the knowledge base\'s **bold** and `code` marks into bold and monospace text, nothing else', () => {
    const card = renderAdaptiveCard({ kind: 'answer', lang: 'nl', steps: ['Open `wbadmin.msc` en kies **Back-up plannen**.'] });
    expectValidCard(card);
    expect(cardSteps(card)).toEqual(['1. Open wbadmin.msc en kies Back-up plannen.']);
    const runs = JSON.stringify(card);
    expect(runs).toContain('{"type":"TextRun","text":"wbadmin.msc","fontType":"Monospace"}');
    expect(runs).toContain('{"type":"TextRun","text":"Back-up plannen","weight":"Bolder"}');
  });

  it('does not link a source whose URL is not http(s)', () => {
    const card = renderAdaptiveCard({ ...answer, source: { label: 'x', url: 'javascript:alert(1)' } });
    expectValidCard(card);
    expect(cardButtons(card).some((b) => b.type === 'Action.OpenUrl')).toBe(false);
  });

  it('keeps a huge reply under the size budget and says it was shortened', () => {
    const steps = Array.from({ length: 200 }, (_, i) => `Step ${i + 1}: ${'check the agent log and the proxy settings once more. '.repeat(12)}`);
    const card = renderAdaptiveCard({ kind: 'answer', lang: 'en', title: 'Long', text: ['x'.repeat(50_000)], steps });
    expectValidCard(card);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(24_000);
    const shown = cardSteps(card);
    expect(shown.length).toBeGreaterThan(3);
    expect(shown[0]).toMatch(/^1\. Step 1:/);
    expect(shown[shown.length - 1]).toMatch(new RegExp(`^${shown.length}\\. Step ${shown.length}:`));
    expect(visibleTexts(card)).toContain('This answer was shortened to fit in one message.');
  });

  it('shows every one of many choices, one row each, in order', () => {
    const choices = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, label: `Topic ${i}`, action: { type: 'choose-topic' as const, topic: `t${i}` } }));
    const card = renderAdaptiveCard({ kind: 'clarify', lang: 'en', prompt: 'Which one?', choices });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(card.body.filter((e) => e.type === 'Container')).toHaveLength(8);
    expect(cardButtons(card).map((b) => b.title)).toEqual(choices.map((c) => c.label));
  });

  it('splits many secondary actions into rows of at most five buttons', () => {
    const actions = Array.from({ length: 8 }, (_, i) => ({ id: `a${i}`, label: `Act ${i}`, action: { type: 'escalate' as const } }));
    const card = renderAdaptiveCard({ kind: 'notice', lang: 'en', text: ['x'], actions });
    expect(validateAdaptiveCard(card)).toEqual([]);
    const sets = card.body.filter((e) => e.type === 'ActionSet') as unknown as { actions: unknown[] }[];
    expect(sets.map((s) => s.actions.length)).toEqual([5, 3]);
  });
});

describe('reading card submits back', () => {
  it('rejects data that is not a marsbot action', () => {
    expect(readCardSubmit({ marsbot: { type: 'drop-tables' } })).toBeUndefined();
    expect(readCardSubmit({ something: 'else' })).toBeUndefined();
    expect(readCardSubmit('not json')).toBeUndefined();
    expect(parseActionPayload({ type: 'set-lang', lang: 'de' })).toBeUndefined();
  });

  it('accepts the JSON string form some clients send', () => {
    expect(readCardSubmit(JSON.stringify({ marsbot: { type: 'set-lang', lang: 'en' } }))).toEqual({ type: 'set-lang', lang: 'en' });
  });
});
