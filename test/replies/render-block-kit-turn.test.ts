import type { Reply } from '../../src/replies/reply';
import { conversationFromBlockId, decodeActionValue } from '../../src/channels/slack/read-slack-payload';
import { ACTION_ID_PREFIX, renderBlockKit } from '../../src/replies/render-block-kit';
import { renderBlockKitTurn } from '../../src/replies/render-block-kit-turn';
import { allElements, allTexts, blockKitViolations } from '../channels/slack/block-kit-rules';
import { sampleAnswer, sampleQuestion } from '../helpers/sample-replies';

/** A turn's replies as Slack messages: one message where the limits allow, split only between replies. */

const CONVERSATION = 'C123/1700000000.000100';

const answer = sampleAnswer;
const question = sampleQuestion;

function notice(text: string): Reply {
  return { kind: 'notice', lang: 'en', text: [text] };
}

/** The blocks of each reply in a message: replies are separated by dividers. */
function replyParts(blocks: any[]): any[][] {
  const parts: any[][] = [[]];
  for (const block of blocks) {
    if (block.type === 'divider') parts.push([]);
    else parts[parts.length - 1]!.push(block);
  }
  return parts;
}

function readable(blocks: any[]): string {
  return allTexts(blocks)
    .map((t) => t.text)
    .join('\n');
}

describe('renderBlockKitTurn', () => {
  it('puts an answer and its follow-up question in one message, in order, with a divider between them', () => {
    const messages = renderBlockKitTurn([answer(), question()], { conversationId: CONVERSATION });
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(blockKitViolations(message!.blocks)).toEqual([]);

    const [first, second] = replyParts(message!.blocks);
    expect(first![0]).toMatchObject({ type: 'header', text: { text: 'Invalid vault credentials provided' } });
    expect(readable(first!)).toContain('1. Download a new vault credentials file.\n2. Run the registration again.');
    expect(allElements(first!).map((e) => e.text.text)).toEqual(['Ask support']);
    expect(readable(second!)).toContain('Did you download the vault credentials file today?');
    expect(allElements(second!).map((e) => e.text.text)).toEqual(['Yes, today', 'No, earlier']);

    // The notification names the answer and the question.
    expect(message!.text).toContain('Invalid vault credentials provided');
    expect(message!.text).toContain('Did you download the vault credentials file today?');
    expect(message!.text.indexOf('Invalid vault')).toBeLessThan(message!.text.indexOf('Did you download'));
  });

  it('merges three replies into one message whose buttons keep their own payloads and unique ids', () => {
    const replies = [notice('I could not post in that channel, so here is the answer privately.'), answer(), question()];
    const [message, ...more] = renderBlockKitTurn(replies, { conversationId: CONVERSATION });
    expect(more).toEqual([]);
    expect(blockKitViolations(message!.blocks)).toEqual([]);
    expect(replyParts(message!.blocks)).toHaveLength(3);

    const elements = allElements(message!.blocks);
    const ids = elements.map((e) => e.action_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith(ACTION_ID_PREFIX))).toBe(true);
    const blockIds = message!.blocks.map((b) => b.block_id).filter(Boolean);
    expect(new Set(blockIds).size).toBe(blockIds.length);
    // A click on any of them still finds its conversation and its action.
    for (const b of message!.blocks.filter((b) => b.type === 'actions' || b.type === 'context_actions')) {
      expect(conversationFromBlockId(b.block_id)).toBe(CONVERSATION);
    }
    const buttons = elements.filter((e) => e.type === 'button').map((e) => decodeActionValue(e.value));
    expect(buttons).toEqual([
      { type: 'escalate' },
      { type: 'follow-up', topic: 'invalid-vault-credentials', question: 'fresh', option: 'yes' },
      { type: 'follow-up', topic: 'invalid-vault-credentials', question: 'fresh', option: 'no' },
    ]);
  });

  it('keeps ids unique when two replies with identical buttons share a message', () => {
    const [message] = renderBlockKitTurn([question(), question(), question()], { conversationId: CONVERSATION });
    expect(blockKitViolations(message!.blocks)).toEqual([]);
    expect(allElements(message!.blocks)).toHaveLength(6);
  });

  it('renders a single reply as renderBlockKit does, and nothing for no replies', () => {
    expect(renderBlockKitTurn([answer()], { conversationId: CONVERSATION })).toEqual([renderBlockKit(answer(), { conversationId: CONVERSATION, idScope: '0.' })]);
    expect(renderBlockKitTurn([])).toEqual([]);
  });

  it('splits between replies when one message would pass 50 blocks, keeping every reply whole and in order', () => {
    // Each of these renders to 30 blocks: two do not fit in one message.
    const wide = (n: number): Reply => ({ kind: 'notice', lang: 'en', text: Array.from({ length: 30 }, (_, i) => `R${n} paragraph ${i} ${'x'.repeat(2990)}`) });
    expect(renderBlockKit(wide(0)).blocks).toHaveLength(30);
    const messages = renderBlockKitTurn([wide(1), question(), wide(2)], { conversationId: CONVERSATION });

    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(blockKitViolations(m.blocks)).toEqual([]);
    }
    // wide(1) and the question share the first message; wide(2) did not fit and starts the second.
    expect(replyParts(messages[0]!.blocks).map((p) => p.length)).toEqual([30, 2]);
    expect(readable(messages[0]!.blocks)).toContain('Did you download');
    expect(replyParts(messages[1]!.blocks).map((p) => p.length)).toEqual([30]);
    expect(readable(messages[1]!.blocks)).toMatch(/^R2 paragraph 0 /);
    // Ids stay unique across the whole turn, so a click can never be mistaken for another one.
    const ids = messages.flatMap((m) => allElements(m.blocks).map((e) => e.action_id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives an oversize reply a message of its own, cut to 50 blocks by the renderer, with its buttons intact', () => {
    const steps = Array.from({ length: 200 }, (_, i) => `Step ${i + 1}: ${'check the agent settings and the proxy configuration '.repeat(55)}`);
    const messages = renderBlockKitTurn([notice('Here is what to do.'), answer({ steps }), question()], { conversationId: CONVERSATION });
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => m.blocks.length)).toEqual([1, 50, 2]);
    for (const m of messages) expect(blockKitViolations(m.blocks)).toEqual([]);
    expect(allElements(messages[1]!.blocks).map((e) => e.text.text)).toEqual(['Ask support']);
    expect(allElements(messages[2]!.blocks).map((e) => e.text.text)).toEqual(['Yes, today', 'No, earlier']);
  });

  it('keeps the notification text of a merged message under 40,000 characters, splitting rather than cutting', () => {
    const long = (n: number): Reply => ({ kind: 'notice', lang: 'en', title: `Part ${n}`, text: ['y'.repeat(2900)] });
    const replies = Array.from({ length: 20 }, (_, i) => long(i));
    const messages = renderBlockKitTurn(replies, { conversationId: CONVERSATION });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.text.length).toBeLessThanOrEqual(40_000);
      expect(blockKitViolations(m.blocks)).toEqual([]);
    }
    // Every reply is named in the notification of the message it is in.
    const texts = messages.map((m) => m.text).join('\n');
    for (let i = 0; i < 20; i++) expect(texts).toContain(`Part ${i}\n`);
  });

  it('leaves out replies with nothing to show, but still says something when the whole turn is empty', () => {
    const empty: Reply = { kind: 'notice', lang: 'en' };
    const [message, ...more] = renderBlockKitTurn([empty, notice('Noted, thanks.'), empty]);
    expect(more).toEqual([]);
    expect(message!.blocks.filter((b) => b.type === 'divider')).toEqual([]);
    expect(message!.text).toBe('Noted, thanks.');
    expect(renderBlockKitTurn([empty])).toEqual([{ text: '…', blocks: [] }]);
  });
});
