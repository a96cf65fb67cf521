import type { ActionPayload, Reply, ReplyButton, ReplyForm } from '../../src/replies/reply';
import { conversationFromBlockId, decodeActionValue, decodeFormValue, readEscalationSubmission } from '../../src/channels/slack/read-slack-payload';
import { ACTION_ID_PREFIX, FORM_ACTION_ID_PREFIX, escapeMrkdwn, renderBlockKit, renderEscalationModal } from '../../src/replies/render-block-kit';
import { allElements, allTexts, blockKitViolations } from '../channels/slack/block-kit-rules';
import { sampleAnswer } from '../helpers/sample-replies';

const form: ReplyForm = {
  id: 'escalation',
  descriptionLabel: 'What goes wrong?',
  descriptionPlaceholder: 'Describe the problem',
  urgencyLabel: 'Urgency',
  urgencyOptions: [
    { value: 'low', label: 'Low' },
    { value: 'normal', label: 'Normal' },
    { value: 'high', label: 'High' },
  ],
  submitLabel: 'Send to support',
};

/** The sample answer with a "did this solve it?" prompt and a footer: every part a Slack answer can have. */
function answer(overrides: Partial<Reply> = {}): Reply {
  return sampleAnswer({
    prompt: 'Did this solve it?',
    choices: [
      { id: 'yes', label: 'Yes', action: { type: 'solved', topic: 'invalid-vault-credentials', case: null, solved: true }, style: 'primary' },
      { id: 'no', label: 'No', action: { type: 'solved', topic: 'invalid-vault-credentials', case: null, solved: false } },
    ],
    footer: 'Source: Microsoft docs, CC BY 4.0',
    ...overrides,
  });
}

describe('renderBlockKit', () => {
  it('shows the title as a header, the steps as a numbered list and the choices as buttons', () => {
    const { blocks, text } = renderBlockKit(answer());
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Invalid vault credentials provided' } });
    const mrkdwn = allTexts(blocks).filter((t) => t.type === 'mrkdwn').map((t) => t.text);
    expect(mrkdwn).toContain('1. Download a new vault credentials file.\n2. Run the registration again.');
    const labels = allElements(blocks).filter((e) => e.type === 'button').map((e) => e.text.text);
    expect(labels).toEqual(['Yes', 'No', 'Ask support']);
    expect(text).toContain('Invalid vault credentials provided');
  });

  it('asks no separate 👍/👎 question: "did this solve it?" is the one feedback question', () => {
    const { blocks } = renderBlockKit(answer());
    expect(blocks.some((b) => b.type === 'context_actions')).toBe(false);
    expect(allElements(blocks).some((e) => e.type === 'feedback_buttons')).toBe(false);
  });

  it('shows choices too long for a button (75 characters) whole, each in a section with a button that picks it', () => {
    const long = 'None of these: trigger enabled, task runs as SYSTEM, no Windows Server Backup at all on this server';
    const choices: ReplyButton[] = [
      { id: 'a', label: 'The trigger is not enabled', action: { type: 'follow-up', topic: 'scheduled-backup-not-running', question: 'q', option: 'a' } },
      { id: 'b', label: long, action: { type: 'follow-up', topic: 'scheduled-backup-not-running', question: 'q', option: 'b' } },
    ];
    const { blocks } = renderBlockKit({ kind: 'question', lang: 'en', prompt: 'What do you see?', choices }, { conversationId: 'D1' });
    expect(blockKitViolations(blocks)).toEqual([]);
    const sections = blocks.filter((b: any) => b.type === 'section' && b.accessory) as any[];
    expect(sections.map((s) => s.text.text)).toEqual(['The trigger is not enabled', long]);
    expect(sections.map((s) => s.accessory.text.text)).toEqual(['Choose', 'Choose']);
    expect(sections.map((s) => decodeActionValue(s.accessory.value))).toEqual(choices.map((c) => c.action));
    // A click finds its conversation, as on any other interactive block.
    expect(sections.map((s) => conversationFromBlockId(s.block_id))).toEqual(['D1', 'D1']);
    const nl = renderBlockKit({ kind: 'question', lang: 'nl', prompt: 'Wat zie je?', choices }).blocks as any[];
    expect(nl.filter((b) => b.accessory).map((b) => b.accessory.text.text)).toEqual(['Kies', 'Kies']);
  });

  it('cites the source as a link and puts the footer in small print', () => {
    const { blocks } = renderBlockKit(answer());
    const contexts = blocks.filter((b) => b.type === 'context').map((b: any) => b.elements[0].text);
    expect(contexts).toContain('<https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot|Troubleshoot the MARS agent>');
    expect(contexts[contexts.length - 1]).toBe('Source: Microsoft docs, CC BY 4.0');
  });

  it('keeps a 200-step reply within 50 blocks and 3,000 characters per section, losing no button', () => {
    const steps = Array.from({ length: 200 }, (_, i) => `Step ${i + 1}: ${'check the agent settings and the proxy configuration '.repeat(55)}`);
    const { blocks } = renderBlockKit(answer({ steps }));
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitViolations(blocks)).toEqual([]);
    const sections = blocks.filter((b) => b.type === 'section') as any[];
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    // What was cut is marked, and the buttons and source at the end survive.
    expect(sections.some((s) => s.text.text.endsWith('…'))).toBe(true);
    expect(allElements(blocks).filter((e) => e.type === 'button').map((e) => e.text.text)).toEqual(['Yes', 'No', 'Ask support']);
  });

  it('packs 200 short steps into a few sections without losing one', () => {
    const steps = Array.from({ length: 200 }, (_, i) => `Restart service ${i + 1}`);
    const { blocks } = renderBlockKit(answer({ steps }));
    expect(blockKitViolations(blocks)).toEqual([]);
    const all = allTexts(blocks).map((t) => t.text).join('\n');
    expect(all).toContain('1. Restart service 1\n');
    expect(all).toContain('200. Restart service 200');
  });

  it('truncates long titles, button labels and paragraphs with an ellipsis instead of failing', () => {
    const { blocks } = renderBlockKit(
      answer({
        title: 'T'.repeat(400),
        text: ['x'.repeat(5000)],
        actions: [{ id: 'long', label: 'L'.repeat(200), action: { type: 'escalate' } }],
      }),
    );
    expect(blockKitViolations(blocks)).toEqual([]);
    expect((blocks[0] as any).text.text).toHaveLength(150);
    expect((blocks[0] as any).text.text.endsWith('…')).toBe(true);
    const button = allElements(blocks).filter((e) => e.type === 'button').at(-1);
    expect(button.text.text).toHaveLength(75);
  });

  it('splits many choices over actions blocks of at most 25 buttons with unique action ids', () => {
    const choices: ReplyButton[] = Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, label: `Topic ${i}`, action: { type: 'choose-topic', topic: `topic-${i}` } }));
    const { blocks } = renderBlockKit(answer({ choices }));
    expect(blockKitViolations(blocks)).toEqual([]);
    const ids = allElements(blocks).map((e) => e.action_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith(ACTION_ID_PREFIX))).toBe(true);
  });

  it('escapes text from the knowledge base and from users so it cannot ping, mention or link', () => {
    const hostile = 'Ping <!channel> and <@U123ABC>, see <https://evil.example|microsoft.com> & more';
    const { blocks, text } = renderBlockKit(
      answer({ title: hostile, text: [hostile], steps: [hostile], prompt: hostile, footer: hostile }),
    );
    for (const t of allTexts(blocks).filter((t) => t.type === 'mrkdwn')) {
      if (t.text.startsWith('<https://learn.microsoft.com')) continue; // our own source link
      expect(t.text).not.toMatch(/<[!@#]|<https?:/);
    }
    const section = allTexts(blocks).find((t) => t.type === 'mrkdwn' && t.text.startsWith('Ping'))!;
    expect(section.text).toBe('Ping &lt;!channel&gt; and &lt;@U123ABC&gt;, see &lt;https://evil.example|microsoft.com&gt; &amp; more');
    expect(text).not.toContain('<!channel>');
    expect(escapeMrkdwn('a < b > c & d')).toBe('a &lt; b &gt; c &amp; d');
  });

  it("turns the knowledge base's **bold** into Slack's *bold* and leaves `code` as it is", () => {
    const { blocks } = renderBlockKit(answer({ steps: ['Choose **Backup** > **On-premises** and run `Test-NetConnection`.'] }));
    const steps = allTexts(blocks).find((t) => t.text.startsWith('1. '))!;
    expect(steps.text).toBe('1. Choose *Backup* &gt; *On-premises* and run `Test-NetConnection`.');
  });

  it('keeps a source label from breaking out of its link', () => {
    const { blocks } = renderBlockKit(answer({ source: { label: 'a|b> <!here>', url: 'https://x.example/p?a=1&b=2|3' } }));
    const link = allTexts(blocks).find((t) => t.text.startsWith('<https://x.example'))!.text;
    expect(link).toBe('<https://x.example/p?a=1&amp;b=2%7C3|a¦b&gt; &lt;!here&gt;>');
  });

  it('round-trips every kind of button payload through its value', () => {
    const payloads: ActionPayload[] = [
      { type: 'choose-topic', topic: 'agent-cannot-connect' },
      { type: 'follow-up', topic: 'agent-cannot-connect', question: 'proxy', option: 'yes' },
      { type: 'solved', topic: 'agent-cannot-connect', case: 'proxy', solved: false },
      { type: 'feedback', topic: null, helpful: true },
      { type: 'escalate' },
      { type: 'set-lang', lang: 'nl' },
      { type: 'ticket-claim', ticket: 'MARS-1001' },
      { type: 'ticket-resolve', ticket: 'MARS-1001' },
    ];
    const { blocks } = renderBlockKit(answer({ choices: payloads.map((action, i) => ({ id: `b${i}`, label: `B${i}`, action })), actions: [] }));
    const values = allElements(blocks).filter((e) => e.type === 'button').map((e) => decodeActionValue(e.value));
    expect(values).toEqual(payloads);
    for (const e of allElements(blocks)) if (e.value) expect(e.value.length).toBeLessThanOrEqual(2000);
  });

  it('refuses button values that are not a marsbot payload', () => {
    expect(decodeActionValue('not json')).toBeUndefined();
    expect(decodeActionValue('{"type":"drop-table"}')).toBeUndefined();
    expect(decodeActionValue('{"type":"set-lang","lang":"de"}')).toBeUndefined();
    expect(decodeActionValue(undefined)).toBeUndefined();
  });

  it('stamps interactive blocks with the conversation they belong to', () => {
    const { blocks } = renderBlockKit(answer(), { conversationId: 'C123/1700000000.000100' });
    const interactive = blocks.filter((b) => b.type === 'actions' || b.type === 'context_actions');
    expect(interactive.length).toBeGreaterThan(1);
    for (const b of interactive) expect(conversationFromBlockId(b.block_id)).toBe('C123/1700000000.000100');
    expect(blockKitViolations(blocks)).toEqual([]);
  });

  it('renders the escalation form as a button that carries the form, in the reply language', () => {
    const en = renderBlockKit({ kind: 'escalate', lang: 'en', text: ['Tell support what happens.'], form });
    const nl = renderBlockKit({ kind: 'escalate', lang: 'nl', text: ['Vertel support wat er gebeurt.'], form });
    const enButton = allElements(en.blocks).find((e) => e.action_id.startsWith(FORM_ACTION_ID_PREFIX));
    const nlButton = allElements(nl.blocks).find((e) => e.action_id.startsWith(FORM_ACTION_ID_PREFIX));
    expect(enButton.text.text).toBe('Open the escalation form');
    expect(nlButton.text.text).toBe('Open het escalatieformulier');
    expect(decodeFormValue(enButton.value)).toEqual({ form, lang: 'en' });
    expect(blockKitViolations(en.blocks)).toEqual([]);
  });

  it('builds the escalation modal with a description and an urgency, and reads the submission back', () => {
    const modal = renderEscalationModal(form, 'nl', '{"c":"D1"}');
    expect(modal.title.text).toBe('Escaleren naar support');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.private_metadata).toBe('{"c":"D1"}');
    expect(blockKitViolations(modal.blocks, 'modal')).toEqual([]);
    const [description, urgency] = modal.blocks as any[];
    expect(description.label.text).toBe('What goes wrong?');
    expect(urgency.element.options.map((o: any) => o.value)).toEqual(['low', 'normal', 'high']);
    expect(urgency.element.initial_option.value).toBe('normal');

    const values = {
      [description.block_id]: { [description.element.action_id]: { type: 'plain_text_input', value: '  Backups fail every night  ' } },
      [urgency.block_id]: { [urgency.element.action_id]: { type: 'static_select', selected_option: { value: 'high' } } },
    };
    expect(readEscalationSubmission(values)).toEqual({ description: 'Backups fail every night', urgency: 'high' });
  });

  it('always gives a non-empty notification text, even for a reply with only buttons', () => {
    const { text } = renderBlockKit({ kind: 'clarify', lang: 'nl', choices: [{ id: 'a', label: 'Proxy', action: { type: 'choose-topic', topic: 'verify-proxy-settings' } }] });
    expect(text).toBe('Proxy');
  });
});
