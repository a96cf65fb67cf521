import type { InboundOverrides } from '../helpers/create-inbound';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load-knowledge';
import type { ActionPayload, Reply } from '../../src/replies/reply';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createMatcher } from '../../src/understanding/create-matcher';
import { FakeSupportDesk } from '../helpers/fake-support-desk';
import { buttonsOf, createHarness, textOf } from './harness';

/**
 * Scripted conversations as data (scenarios/*.yaml), run against the real engine, the real
 * knowledge base and the real matcher. A scenario reads as: the user says / presses …, the bot
 * replies with these kinds, topics, cases and texts. See scenarios/README.md for the format.
 */

interface ReplyExpectation {
  kind?: Reply['kind'];
  lang?: 'nl' | 'en';
  topic?: string;
  case?: string;
  title?: string;
  prompt?: string;
  contains?: string | string[];
  notContains?: string | string[];
  buttons?: string[];
  form?: boolean;
}

interface Turn {
  user?: string | number;
  /** A button by its label. */
  press?: string;
  /** The clarify button of this topic id. */
  choose?: string;
  /** The follow-up button of this option id. */
  option?: string;
  /** Presses the button with this label again and again until a reply of `kind` comes. */
  pressUntil?: { label: string; kind: Reply['kind']; max?: number };
  action?: ActionPayload;
  as?: InboundOverrides;
  bot?: ReplyExpectation[];
}

interface TicketExpectation {
  count?: number;
  idempotencyKey?: string;
  topic?: string | null;
  case?: string | null;
  lang?: string;
  urgency?: string;
  description?: string;
  errorIds?: string[];
  stepsShownInclude?: string[];
  followUpAnswers?: { question: string; answer: string }[];
  transcriptIncludes?: string[];
}

interface Scenario {
  name: string;
  inbound?: InboundOverrides;
  supportDesk?: boolean;
  turns: Turn[];
  ticket?: TicketExpectation;
  state?: { topic?: string | null; case?: string | null; lang?: string };
}

const SCENARIO_DIR = join(__dirname, 'scenarios');
const knowledge = loadKnowledge();
const matcher = createMatcher(knowledge);

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The topic a reply is about: the topic whose steps it shows, or what its buttons carry. */
function topicOf(reply: Reply): string | null {
  if (reply.steps) {
    const shown = knowledge.topics.find((topic) => topic.cases.some((c) => JSON.stringify(c.steps[reply.lang]) === JSON.stringify(reply.steps)));
    if (shown) return shown.id;
  }
  for (const button of reply.choices ?? []) {
    const action = button.action;
    if (action.type === 'follow-up' || action.type === 'solved') return action.topic;
  }
  return null;
}

/** The case a reply shows: the knowledge case whose steps it lists, or the one "did this solve it?" is about. */
function caseOf(reply: Reply, kb: KnowledgeBase): string | null {
  if (reply.steps) {
    for (const topic of kb.topics) {
      const found = topic.cases.find((c) => JSON.stringify(c.steps[reply.lang]) === JSON.stringify(reply.steps));
      if (found) return found.id;
    }
  }
  const solved = reply.choices?.find((b) => b.action.type === 'solved')?.action;
  return solved && solved.type === 'solved' ? solved.case : null;
}

function describe_(replies: Reply[]): string {
  return replies.map((r) => `${r.kind}[${topicOf(r) ?? '-'}/${caseOf(r, knowledge) ?? '-'}]: ${textOf([r]).slice(0, 160).replace(/\n/g, ' | ')}`).join('\n');
}

function checkReply(reply: Reply | undefined, expected: ReplyExpectation, where: string, all: Reply[]): void {
  const context = `${where}\nreplies were:\n${describe_(all)}`;
  if (!reply) throw new Error(`missing reply — ${context}`);
  const text = textOf([reply]);
  const problems: string[] = [];
  if (expected.kind && reply.kind !== expected.kind) problems.push(`kind ${reply.kind} ≠ ${expected.kind}`);
  if (expected.lang && reply.lang !== expected.lang) problems.push(`lang ${reply.lang} ≠ ${expected.lang}`);
  if (expected.topic && topicOf(reply) !== expected.topic) problems.push(`topic ${topicOf(reply)} ≠ ${expected.topic}`);
  if (expected.case && caseOf(reply, knowledge) !== expected.case) problems.push(`case ${caseOf(reply, knowledge)} ≠ ${expected.case}`);
  if (expected.title && reply.title !== expected.title) problems.push(`title "${reply.title}" ≠ "${expected.title}"`);
  if (expected.prompt && reply.prompt !== expected.prompt) problems.push(`prompt "${reply.prompt}" ≠ "${expected.prompt}"`);
  for (const part of list(expected.contains)) if (!text.toLowerCase().includes(part.toLowerCase())) problems.push(`does not contain "${part}"`);
  for (const part of list(expected.notContains)) if (text.toLowerCase().includes(part.toLowerCase())) problems.push(`contains "${part}"`);
  const labels = buttonsOf([reply]).map((b) => b.label);
  for (const label of expected.buttons ?? []) if (!labels.includes(label)) problems.push(`no button "${label}" (has: ${labels.join(', ')})`);
  if (expected.form !== undefined && (reply.form !== undefined) !== expected.form) problems.push(expected.form ? 'no form' : 'unexpected form');
  if (problems.length > 0) throw new Error(`${problems.join('; ')} — ${context}`);
}

const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();

describe.each(files)('%s', (file) => {
  const scenarios = (parseYaml(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as { scenarios: Scenario[] }).scenarios;

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const desk = scenario.supportDesk ? new FakeSupportDesk() : undefined;
    const h = createHarness({
      matcher,
      knowledge,
      store: createMemoryStore(),
      ...(desk ? { supportDesk: desk } : {}),
      ...(scenario.inbound ? { inbound: scenario.inbound } : {}),
    });

    for (const [index, turn] of scenario.turns.entries()) {
      const label =
        turn.user !== undefined ? `says "${turn.user}"`
        : turn.press !== undefined ? `presses "${turn.press}"`
        : turn.choose !== undefined ? `chooses topic ${turn.choose}`
        : turn.option !== undefined ? `answers ${turn.option}`
        : turn.pressUntil !== undefined ? `keeps pressing "${turn.pressUntil.label}"`
        : `sends ${JSON.stringify(turn.action)}`;
      const where = `turn ${index + 1} (${label})`;
      const find = (test: (b: ReturnType<typeof buttonsOf>[number]) => boolean) => {
        const button = buttonsOf(h.last).find(test);
        if (!button) {
          throw new Error(`${where}: no such button; replies were:\n${describe_(h.last)}\nbuttons: ${buttonsOf(h.last).map((b) => b.label).join(' | ')}`);
        }
        return button.action;
      };
      let replies: Reply[];
      if (turn.user !== undefined) replies = await h.say(String(turn.user), turn.as);
      else if (turn.press !== undefined) replies = await h.act(find((b) => b.label === turn.press), turn.as);
      else if (turn.choose !== undefined) replies = await h.act(find((b) => b.action.type === 'choose-topic' && b.action.topic === turn.choose), turn.as);
      else if (turn.option !== undefined) replies = await h.act(find((b) => b.action.type === 'follow-up' && b.action.option === turn.option), turn.as);
      else if (turn.pressUntil !== undefined) {
        const { label: target, kind, max = 12 } = turn.pressUntil;
        replies = [];
        for (let n = 0; n < max && !replies.some((r) => r.kind === kind); n++) replies = await h.act(find((b) => b.label === target), turn.as);
        if (!replies.some((r) => r.kind === kind)) throw new Error(`${where}: no ${kind} reply after ${max} presses:\n${describe_(replies)}`);
      } else if (turn.action) replies = await h.act(turn.action, turn.as);
      else throw new Error(`${where}: a turn needs user, press, choose, option, pressUntil or action`);

      if (turn.bot) {
        if (replies.length !== turn.bot.length) {
          throw new Error(`${where}: expected ${turn.bot.length} replies, got ${replies.length}:\n${describe_(replies)}`);
        }
        turn.bot.forEach((expected, i) => checkReply(replies[i], expected, `${where}, reply ${i + 1}`, replies));
      }
    }

    if (scenario.state) {
      const state = await h.state();
      expect({ topic: state.topic, case: state.case, lang: state.lang }).toMatchObject(scenario.state);
    }

    if (scenario.ticket) {
      const expected = scenario.ticket;
      expect(desk).toBeDefined();
      if (expected.count !== undefined) expect(desk!.tickets).toHaveLength(expected.count);
      const input = desk!.calls.at(-1);
      expect(input).toBeDefined();
      const { stepsShownInclude, transcriptIncludes, count: _count, ...fields } = expected;
      expect(input).toMatchObject(fields);
      for (const step of stepsShownInclude ?? []) expect(input!.stepsShown).toContain(step);
      const transcript = input!.transcript.map((e) => `${e.from}: ${e.text}`).join('\n');
      for (const part of transcriptIncludes ?? []) expect(transcript).toContain(part);
    }
  });
});
