import { readFileSync } from 'node:fs';
import { createChatJsonlSession, type ChatTurnKind, type ChatTurnLine } from '../../src/cli/chat-jsonl';
import { loadConfig } from '../../src/config';
import { createMarsbot } from '../../src/create-marsbot';
import type { KnowledgeBase } from '../../src/knowledge/load-knowledge';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import type { Matcher } from '../../src/understanding/understanding';

/**
 * Scores whole conversations (test/eval/conversations-*.jsonl) the way test/eval/README.md
 * describes, by running them through `marsbot chat --jsonl`'s own session: marsbot as the server
 * builds it (createMarsbot: guard, engine, support desk), on a fresh in-memory store per set, with
 * the embedded defaults and no rate limits (one reporter sends every turn).
 */

interface TurnExpectation {
  kind: ChatTurnKind[];
  topic?: string[];
  lang?: 'nl' | 'en';
  ticket?: boolean;
  /** This text must appear nowhere: not in the turn's output, not in a ticket. */
  noSecret?: string;
  /** An answer in this turn must not repeat a cause shown earlier in the conversation. */
  newCase?: boolean;
}

export interface EvalConversation {
  id: string;
  note?: string;
  turns: { text: string; lang?: 'nl' | 'en'; expect: TurnExpectation }[];
}

interface ScoredTurn {
  text: string;
  line: ChatTurnLine;
  problems: string[];
}

export interface ScoredConversation {
  conversation: EvalConversation;
  turns: ScoredTurn[];
  passed: boolean;
}

/** Kinds whose `topic` names a troubleshooting topic, so the expected topics apply. */
const TOPIC_KINDS: ReadonlySet<ChatTurnKind> = new Set(['answer', 'question', 'reprompt']);

export function readConversations(file: string): EvalConversation[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalConversation);
}

function checkTurn(line: ChatTurnLine, expect: TurnExpectation, shownBefore: ReadonlySet<string>, ticketsText: string): string[] {
  const problems: string[] = [];
  if (!expect.kind.includes(line.kind)) problems.push(`kind ${line.kind}, wanted ${expect.kind.join('|')}`);
  if (expect.topic && TOPIC_KINDS.has(line.kind) && !expect.topic.includes(line.topic ?? '')) {
    problems.push(`topic ${line.topic}, wanted ${expect.topic.join('|')}`);
  }
  if (expect.lang && line.lang !== expect.lang) problems.push(`lang ${line.lang}, wanted ${expect.lang}`);
  if (expect.ticket && !line.ticket) problems.push('no ticket');
  if (expect.noSecret) {
    if (JSON.stringify(line).includes(expect.noSecret)) problems.push('the secret is in the output');
    if (ticketsText.includes(expect.noSecret)) problems.push('the secret is in a ticket');
  }
  if (expect.newCase && line.kind === 'answer' && shownBefore.has(`${line.topic}/${line.case}`)) {
    problems.push(`cause ${line.topic}/${line.case} shown again`);
  }
  return problems;
}

async function allTicketsText(store: Store): Promise<string> {
  return JSON.stringify(await store.listTickets());
}

/** Runs every conversation of a set through one chat session and scores each turn. */
export async function scoreConversations(kb: KnowledgeBase, matcher: Matcher, conversations: readonly EvalConversation[], setName: string): Promise<ScoredConversation[]> {
  const store = createMemoryStore();
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RETENTION_DAYS: '0' });
  const marsbot = await createMarsbot(config, { store, knowledge: kb, matcher });
  const session = createChatJsonlSession({
    engine: marsbot.engine,
    store,
    reporter: { name: 'Eval Reporter', contact: 'eval@example.org' },
    defaultLang: config.defaultLang,
  });
  const results: ScoredConversation[] = [];
  try {
    for (const conversation of conversations) {
      const id = `${setName}:${conversation.id}`;
      const shown = new Set<string>();
      const turns: ScoredTurn[] = [];
      for (const turn of conversation.turns) {
        const line = await session.turn(JSON.stringify({ conversation: id, text: turn.text, ...(turn.lang ? { lang: turn.lang } : {}) }));
        const problems = checkTurn(line, turn.expect, shown, turn.expect.noSecret ? await allTicketsText(store) : '');
        if (line.kind === 'answer') shown.add(`${line.topic}/${line.case}`);
        turns.push({ text: turn.text, line, problems });
      }
      results.push({ conversation, turns, passed: turns.every((t) => t.problems.length === 0) });
    }
  } finally {
    await marsbot.close();
    await store.close();
  }
  return results;
}
