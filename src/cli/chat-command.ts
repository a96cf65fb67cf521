import { createInterface } from 'node:readline/promises';
import type { Engine } from '../conversation/engine';
import type { Lang } from '../shared/lang';
import { renderText, choicesOf } from '../replies/render-text';
import type { ActionPayload } from '../replies/reply';
import { t } from '../shared/i18n';

/**
 * `marsbot chat`: the same engine as Teams and Slack (guard included), in the terminal. Buttons are
 * numbered; typing a number presses it, anything else is a message. Escalations become real tickets
 * in the configured store (`marsbot tickets list` shows them).
 */
export async function runChat(
  engine: Engine,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  introLang: Lang,
  forceLang?: Lang,
): Promise<void> {
  const conversationId = `terminal-${Date.now().toString(36)}`;
  const rl = createInterface({ input, output, terminal: false });
  let buttons: ActionPayload[] = [];
  output.write(`${t(introLang, 'cli:chatIntro')}\n> `);
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const action = Number.isInteger(number) ? buttons[number - 1] : undefined;
    // Nobody signs in at a terminal: a ticket asks for a name and an e-mail address.
    const who = { channel: 'cli' as const, conversationId, userId: 'terminal-user', anonymous: true as const, ...(forceLang ? { locale: forceLang } : {}) };
    const replies = await engine.handle(action ? { ...who, kind: 'action', action } : { ...who, kind: 'message', text });
    buttons = [];
    for (const reply of replies) {
      output.write(`\n${renderText(reply, buttons.length + 1)}\n`);
      buttons.push(...choicesOf(reply).map((c) => c.action));
    }
    output.write('\n> ');
  }
  rl.close();
}
