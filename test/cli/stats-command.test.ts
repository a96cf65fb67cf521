import { runStatsCommand } from '../../src/cli/stats-command';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { InteractionEvent, Store } from '../../src/storage/store';
import { computeInteractionStats } from '../../src/support/interaction-stats';
import { ticketInput } from '../support/ticket-fixtures';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Four conversations: two solved by the bot, one fallback that escalated, one answered but not solved and escalated. */
function events(): InteractionEvent[] {
  let at = T0;
  const e = (conversationId: string, type: string, topic: string | null, helpful?: boolean): InteractionEvent => ({
    at: (at += 1000),
    channel: 'teams',
    conversationId,
    userId: `u-${conversationId}`,
    type,
    topic,
    lang: 'nl',
    ...(helpful === undefined ? {} : { helpful }),
  });
  return [
    e('c1', 'question', 'invalid-vault-credentials'),
    e('c1', 'answer', 'invalid-vault-credentials'),
    e('c1', 'solved', 'invalid-vault-credentials'),
    e('c1', 'feedback', 'invalid-vault-credentials', true),
    e('c2', 'question', 'invalid-vault-credentials'),
    e('c2', 'answer', 'invalid-vault-credentials'),
    e('c2', 'solved', 'invalid-vault-credentials'),
    e('c3', 'question', null),
    e('c3', 'fallback', null),
    e('c3', 'escalated', null),
    e('c4', 'question', 'agent-cannot-connect'),
    e('c4', 'clarify', null),
    e('c4', 'question', 'agent-cannot-connect'),
    e('c4', 'answer', 'agent-cannot-connect'),
    e('c4', 'not-solved', 'agent-cannot-connect'),
    e('c4', 'feedback', 'agent-cannot-connect', false),
    e('c4', 'escalated', 'agent-cannot-connect'),
  ];
}

async function fixture(): Promise<Store> {
  const store = createMemoryStore();
  for (const event of events()) await store.recordInteraction(event);
  await store.createTicket(ticketInput({ idempotencyKey: 'c3' }), T0);
  await store.createTicket(ticketInput({ idempotencyKey: 'c4' }), T0);
  await store.updateTicketStatus('MARS-1002', 'resolved', 'Piet', T0 + 1);
  return store;
}

describe('marsbot stats', () => {
  it('computes the numbers of a small fixture', () => {
    const stats = computeInteractionStats(events(), []);
    expect(stats).toMatchObject({
      conversations: 4,
      // c4 asked about agent-cannot-connect twice (before and after "which of these?"): one question.
      questions: 4,
      answered: 3,
      clarified: 1,
      fallback: 1,
      solved: 2,
      notSolved: 1,
      escalatedConversations: 2,
      escalationRate: 0.5,
      helpful: 1,
      notHelpful: 1,
    });
    expect(stats.perTopic.map((t) => [t.topic, t.questions, t.answered, t.solved, t.escalated])).toEqual([
      ['invalid-vault-credentials', 2, 2, 2, 0],
      ['agent-cannot-connect', 1, 1, 0, 1],
      [null, 1, 0, 0, 1],
    ]);
  });

  it('prints them as readable tables', async () => {
    const lines: string[] = [];
    await runStatsCommand(await fixture(), (line) => lines.push(line));
    const text = lines.join('\n');
    expect(lines[0]).toBe('marsbot statistics');
    expect(text).toMatch(/Conversations\s+4\n/);
    expect(text).toMatch(/Answered by the bot\s+3\s+75\.0%/);
    expect(text).toMatch(/Not understood \(fallback\)\s+1\s+25\.0%/);
    expect(text).toMatch(/Solved by the bot .*\s+2\s+66\.7%/);
    expect(text).toMatch(/Escalation rate\s+50\.0%/);
    expect(text).toMatch(/Feedback: helpful\s+1\s+50\.0%/);
    expect(text).toMatch(/Tickets \(open \/ claimed \/ resolved\)\s+1 \/ 0 \/ 1/);
    const header = lines.findIndex((l) => l.startsWith('TOPIC'));
    expect(lines[header + 1]).toMatch(/^invalid-vault-credentials\s+2\s+2\s+2\s+0\s+0\s+1\s+0$/);
    expect(lines[header + 3]).toMatch(/^\(no topic\)\s+1\s+0\s+0\s+0\s+1\s+0\s+0$/);
  });

  it('never counts more answered than asked: follow-ups, a picked topic and a vague start each count once', () => {
    let at = T0;
    const e = (type: string, topic: string | null, helpful?: boolean): InteractionEvent => ({
      at: (at += 1000), channel: 'web', conversationId: 'c9', userId: 'u9', type, topic, lang: 'en', ...(helpful === undefined ? {} : { helpful }),
    });
    const stats = computeInteractionStats(
      [
        // "the agent is broken": the first checks (basic-troubleshooting) and a narrowing question
        e('question', null),
        e('answer', 'basic-troubleshooting'),
        // a topic picked from the narrowing question: steps without a typed question
        e('answer', 'scheduled-backup-not-running'),
        // two follow-up answers on the same topic, and the next cause after "didn't help"
        e('question', 'scheduled-backup-not-running'),
        e('answer', 'scheduled-backup-not-running'),
        e('question', 'scheduled-backup-not-running'),
        e('not-solved', 'scheduled-backup-not-running'),
        e('feedback', 'scheduled-backup-not-running', false),
        e('answer', 'scheduled-backup-not-running'),
        // the user changes their mind on the next "did this solve it?": the last value counts, once
        e('solved', 'scheduled-backup-not-running'),
        e('feedback', 'scheduled-backup-not-running', true),
        // "which of these?", then a topic picked from it: one question
        e('question', null),
        e('clarify', null),
        e('answer', 'invalid-vault-credentials'),
      ],
      [],
    );
    expect(stats).toMatchObject({ questions: 3, answered: 3, clarified: 1, solved: 1, notSolved: 0, helpful: 1, notHelpful: 0 });
    expect(stats.perTopic.map((t) => [t.topic, t.questions, t.answered, t.solved, t.helpful, t.notHelpful])).toEqual([
      ['basic-troubleshooting', 1, 1, 0, 0, 0],
      ['invalid-vault-credentials', 1, 1, 0, 0, 0],
      ['scheduled-backup-not-running', 1, 1, 1, 1, 0],
    ]);
  });

  it('says there is nothing yet on an empty store, in Dutch too', async () => {
    const lines: string[] = [];
    await runStatsCommand(createMemoryStore(), (line) => lines.push(line), 'nl');
    expect(lines).toContain('Nog geen interacties vastgelegd.');
    expect(lines.join('\n')).toMatch(/Percentage doorgezet\s+-/);
  });
});
