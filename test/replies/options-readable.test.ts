import { topicChoice } from '../../src/conversation/flows/clarify';
import { escalateButton, followUpQuestion, solvedQuestion } from '../../src/conversation/reply-parts';
import { BUTTON_TITLE_MAX_CHARS, renderAdaptiveCard, type AdaptiveCard, type CardElement } from '../../src/replies/render-adaptive-card';
import type { Reply } from '../../src/replies/reply';
import { LANGS } from '../../src/shared/lang';
import { t } from '../../src/shared/i18n';
import { buildSupportSummary } from '../../src/support/ticket-replies';
import { expectValidCard } from '../helpers/adaptive-card-validator';
import { realKnowledge } from '../helpers/start-marsbot';
import { ticketInput } from '../support/ticket-fixtures';

/**
 * Teams draws an action's title on one line and cuts off the rest ("De taak draait onder een ander
 * account dan SYSTE…"); a bot cannot change that, because the host owns its HostConfig (see
 * microsoft/AdaptiveCards#3416, #6880 and MicrosoftDocs/msteams-docs#5004). So no choice may live in
 * a button title: every choice is a row whose own text shows the whole label, and only our short
 * labels (Escalate, Send, Claim, Resolve) sit on buttons.
 */

/** Every card marsbot can put a choice or a button on, from the real knowledge base, in both languages. */
function everyChoiceCard(): { name: string; reply: Reply }[] {
  const kb = realKnowledge();
  const cards: { name: string; reply: Reply }[] = [];
  for (const lang of LANGS) {
    for (const topic of kb.topics) {
      for (const question of topic.followUps) cards.push({ name: `${lang} ${topic.id}/${question.id}`, reply: followUpQuestion(lang, topic, question) });
      cards.push({ name: `${lang} solved ${topic.id}`, reply: solvedQuestion(lang, topic.id, topic.cases[0]!.id) });
    }
    // "Which of these?" can offer any topic: every title, three at a time as the engine does.
    for (let i = 0; i < kb.topics.length; i += 3) {
      cards.push({ name: `${lang} clarify ${i}`, reply: topicChoice(lang, t(lang, 'clarify.prompt'), kb.topics.slice(i, i + 3)) });
    }
    cards.push({ name: `${lang} answer`, reply: { kind: 'answer', lang, title: 'x', steps: ['y'], actions: [escalateButton(lang)] } });
    cards.push({ name: `${lang} support summary`, reply: buildSupportSummary({ ...ticketInput({ lang }), id: 'MARS-1001', number: 1001, status: 'open', createdAt: 0, updatedAt: 0 }, lang)[0]! });
  }
  return cards;
}

function walk(node: unknown, visit: (element: CardElement) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => walk(item, visit));
  if (!node || typeof node !== 'object') return;
  const element = node as CardElement;
  if (typeof element.type === 'string') visit(element);
  for (const key of ['body', 'items', 'columns']) if (key in element) walk(element[key], visit);
}

/** The titles of buttons: actions in ActionSets (what Teams draws on one line). */
function buttonTitles(card: AdaptiveCard): string[] {
  const titles: string[] = [];
  walk(card.body, (element) => {
    if (element.type === 'ActionSet') for (const action of element['actions'] as { title: string }[]) titles.push(action.title);
  });
  return titles;
}

/** The tappable rows: what each shows as text, and what it sends. */
function choiceRows(card: AdaptiveCard): { text: string; data: unknown }[] {
  const rows: { text: string; data: unknown }[] = [];
  walk(card.body, (element) => {
    const select = element['selectAction'] as { data?: unknown } | undefined;
    if (!select) return;
    const runs: string[] = [];
    walk(element['items'], (inner) => {
      if (inner.type === 'RichTextBlock') for (const run of inner['inlines'] as { text: string }[]) runs.push(run.text);
      if (inner.type === 'TextBlock') runs.push(String(inner['text']));
    });
    rows.push({ text: runs.join(''), data: select.data });
  });
  return rows;
}

describe('every choice is readable whole and clickable on a card', () => {
  const cards = everyChoiceCard();

  it('covers the long option labels that Teams cut off', () => {
    const labels = cards.flatMap(({ reply }) => reply.choices ?? []).map((c) => c.label);
    expect(labels).toContain('De taak draait onder een ander account dan SYSTEM of een lokale beheerder');
    expect(Math.max(...labels.map((l) => l.length))).toBeGreaterThan(75);
  });

  it.each(cards.map((c) => [c.name, c.reply] as const))('%s: each choice is a row showing its whole text; buttons carry only short titles', (_name, reply) => {
    const card = renderAdaptiveCard(reply);
    expectValidCard(card);
    const rows = choiceRows(card);
    expect(rows.map((r) => r.text)).toEqual((reply.choices ?? []).map((c) => c.label));
    expect(rows.map((r) => r.data)).toEqual((reply.choices ?? []).map((c) => ({ marsbot: c.action })));
    for (const title of buttonTitles(card)) expect(title.length).toBeLessThanOrEqual(BUTTON_TITLE_MAX_CHARS);
  });
});
