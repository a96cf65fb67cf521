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
      questions: 5,
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
      ['agent-cannot-connect', 2, 1, 0, 1],
      ['invalid-vault-credentials', 2, 2, 2, 0],
      [null, 1, 0, 0, 1],
    ]);
  });

  it('prints them as readable tables', async () => {
    const lines: string[] = [];
    await runStatsCommand(await fixture(), (line) => lines.push(line));
    const text = lines.join('\n');
    expect(lines[0]).toBe('marsbot statistics');
    expect(text).toMatch(/Conversations\s+4\n/);
    expect(text).toMatch(/Answered by the bot\s+3\s+60\.0%/);
    expect(text).toMatch(/Not understood \(fallback\)\s+1\s+20\.0%/);
    expect(text).toMatch(/Solved by the bot .*\s+2\s+66\.7%/);
    expect(text).toMatch(/Escalation rate\s+50\.0%/);
    expect(text).toMatch(/Feedback: helpful\s+1\s+50\.0%/);
    expect(text).toMatch(/Tickets \(open \/ claimed \/ resolved\)\s+1 \/ 0 \/ 1/);
    const header = lines.findIndex((l) => l.startsWith('TOPIC'));
    expect(lines[header + 1]).toMatch(/^agent-cannot-connect\s+2\s+1\s+0\s+1\s+1\s+0\s+1$/);
    expect(lines[header + 3]).toMatch(/^\(no topic\)\s+1\s+0\s+0\s+0\s+1\s+0\s+0$/);
  });

  it('says there is nothing yet on an empty store, in Dutch too', async () => {
    const lines: string[] = [];
    await runStatsCommand(createMemoryStore(), (line) => lines.push(line), 'nl');
    expect(lines).toContain('Nog geen interacties vastgelegd.');
    expect(lines.join('\n')).toMatch(/Percentage doorgezet\s+-/);
  });
});
