import { t } from '../shared/i18n';
import { answerAction } from './flows/actions';
import { runCommand } from './flows/commands';
import { answerInContext } from './flows/contextual';
import { answerPending } from './flows/pending';
import { fallback, helpReply, welcome } from './flows/smalltalk';
import { answerUnderstood } from './flows/understood';
import { words } from './text-match';
import type { Route } from './turn';

/**
 * The order in which a turn is offered to the flows; the first that handles it wins.
 * An install or a new conversation gets the introduction; then buttons (they are unambiguous), then typed commands, then answers to what the bot
 * just asked, then questions about the open topic, then the matcher, then the fallback.
 */
export const ROUTES: readonly Route[] = [
  { name: 'welcome', handle: (turn) => (turn.inbound.kind === 'installed' ? welcome(turn) : undefined) },
  { name: 'action', handle: (turn) => (turn.action ? answerAction(turn, turn.action) : undefined) },
  {
    name: 'empty',
    handle: (turn) => (words(turn.text).length === 0 ? { replies: [helpReply(turn.lang, turn.ctx.knowledge, t(turn.lang, 'empty.prompt'))], state: turn.state } : undefined),
  },
  { name: 'command', handle: runCommand },
  { name: 'pending-answer', handle: answerPending },
  { name: 'contextual', handle: answerInContext },
  { name: 'matcher', handle: answerUnderstood },
  { name: 'fallback', handle: (turn) => fallback(turn) },
];
