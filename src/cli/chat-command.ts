import { createInterface } from 'node:readline/promises';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../knowledge/schema';
import { createEngine } from '../conversation/create-engine';
import type { Store } from '../storage/store';
import type { SupportDesk } from '../support/support-desk';
import { createMatcher } from '../understanding/create-matcher';
import { renderText, choicesOf } from '../replies/render-text';
import type { ActionPayload } from '../replies/reply';
import { t } from '../shared/i18n';

/**
 * `marsbot chat`: the same engine as Teams and Slack, in the terminal. Buttons are numbered;
 * typing a number presses it, anything else is a message. Escalations become real tickets in
 * the configured store (`marsbot tickets list` shows them).
 */
export async function runChat(
  kb: KnowledgeBase,
  store: Store,
  supportDesk: SupportDesk,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  forceLang?: Lang,
): Promise<void> {
  const engine = createEngine({ knowledge: kb, matcher: createMatcher(kb), store, supportDesk });
  const conversationId = `terminal-${Date.now().toString(36)}`;
  const rl = createInterface({ input, output, terminal: false });
  const lang: Lang = forceLang ?? 'nl';
  let buttons: ActionPayload[] = [];
  output.write(`${t(lang, 'cli:chatIntro')}\n> `);
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const action = Number.isInteger(number) ? buttons[number - 1] : undefined;
    const replies = await engine.handle({
      channel: 'cli',
      conversationId,
      userId: 'terminal-user',
      locale: forceLang,
      ...(action ? { action } : { text }),
    });
    buttons = [];
    for (const reply of replies) {
      output.write(`\n${renderText(reply, buttons.length + 1)}\n`);
      buttons.push(...choicesOf(reply).map((c) => c.action));
    }
    output.write('\n> ');
  }
  rl.close();
}
