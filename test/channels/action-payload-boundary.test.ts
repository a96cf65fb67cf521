import { readCardSubmit } from '../../src/channels/card-submit';
import { decodeActionValue } from '../../src/channels/slack/read-slack-payload';
import { DESCRIPTION_MAX_CHARS } from '../../src/replies/action-payload';

/**
 * A button press is client input wherever it comes from; Teams and the web chat send card data,
 * Slack a button value. One schema decides for both: what one accepts, the other accepts.
 */
const viaCard = (payload: unknown) => readCardSubmit({ marsbot: payload });
const viaSlack = (payload: unknown) => decodeActionValue(JSON.stringify(payload));

describe('one schema at the one trust boundary', () => {
  const cases: [string, unknown, boolean][] = [
    ['a follow-up with short ids', { type: 'follow-up', topic: 'proxy', question: 'uses-proxy', option: 'no' }, true],
    ['a topic id of 200 characters', { type: 'choose-topic', topic: 'x'.repeat(200) }, true],
    ['a topic id of 201 characters', { type: 'choose-topic', topic: 'x'.repeat(201) }, false],
    ['a ticket id of 500 characters', { type: 'ticket-claim', ticket: 'M'.repeat(500) }, false],
    ['a description at the cap', { type: 'escalate-submit', description: 'd'.repeat(DESCRIPTION_MAX_CHARS), urgency: 'high' }, true],
    ['a description over the cap', { type: 'escalate-submit', description: 'd'.repeat(DESCRIPTION_MAX_CHARS + 1), urgency: 'high' }, false],
    ['a language we do not speak', { type: 'set-lang', lang: 'de' }, false],
    ['an unknown type', { type: 'drop-table' }, false],
  ];

  it.each(cases)('%s: accepted by both or by neither', (_name, payload, accepted) => {
    expect(viaSlack(payload) !== undefined).toBe(accepted);
    // The card path reads the form's inputs for escalate-submit; send the payload as the button's own data otherwise.
    if ((payload as { type: string }).type !== 'escalate-submit') expect(viaCard(payload) !== undefined).toBe(accepted);
  });

  it('caps a typed escalation description the same way on a card', () => {
    const submit = { marsbot: { type: 'escalate-submit' }, escalationDescription: 'd'.repeat(DESCRIPTION_MAX_CHARS + 50), escalationUrgency: 'low' };
    expect(readCardSubmit(submit)).toEqual({ type: 'escalate-submit', description: 'd'.repeat(DESCRIPTION_MAX_CHARS), urgency: 'low' });
  });
});
