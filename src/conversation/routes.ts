import { t } from '../shared/i18n';
import { answerAction } from './flows/actions';
import { answerClosing } from './flows/closing';
import { runCommand } from './flows/commands';
import { answerInContext } from './flows/contextual';
import { answerContact, answerDescription, answerPending } from './flows/pending';
import { answerPick } from './flows/pick-subject';
import { answerSmalltalk, fallback, helpReply, welcome } from './flows/smalltalk';
import { changeSubject } from './flows/subject-change';
import { reprompt } from './flows/reprompt';
import { answerUnderstood } from './flows/understood';
import { answerVague } from './flows/vague';
import { words } from './text-match';
import type { Route, Turn, TurnOutcome } from './turn';

/**
 * The order in which a turn is offered to the flows; the first that handles it wins.
 * An install or a new conversation gets the introduction. Then buttons (they are unambiguous), then
 * the ticket description (and the contact, where the platform does not say who the user is) the bot is
 * waiting for, then what a message says wherever it stands
 * (support, language, a change of subject), then answers to what the bot just asked, "it works
 * again" and thanks, small talk, remarks on the open topic, vague complaints, the matcher, and last
 * the open question again or the fallback.
 */

/** What a message that starts a subject goes through: also the rest of "andere vraag: …". */
const NEW_SUBJECT_ROUTES: readonly Route[] = [
  { name: 'command', handle: runCommand },
  { name: 'closing', handle: answerClosing },
  { name: 'smalltalk', handle: answerSmalltalk },
  { name: 'vague', handle: answerVague },
  { name: 'matcher', handle: answerUnderstood },
  { name: 'fallback', handle: (turn) => fallback(turn) },
];

function runRoutes(routes: readonly Route[], turn: Turn): TurnOutcome {
  for (const candidate of routes) {
    const outcome = candidate.handle(turn);
    if (outcome) return outcome;
  }
  // The last route always answers; this only guards against an edited route list.
  return { replies: [], state: turn.state };
}

/** What a message goes through once nothing the hand-over waits for has taken it. */
const MESSAGE_ROUTES: readonly Route[] = [
  { name: 'change-subject', handle: (turn) => changeSubject(turn, (fresh) => runRoutes(NEW_SUBJECT_ROUTES, fresh)) },
  { name: 'command', handle: runCommand },
  { name: 'pick-other-subject', handle: (turn) => answerPick(turn, { otherTopicOnly: true }) },
  { name: 'pending-answer', handle: answerPending },
  { name: 'closing', handle: answerClosing },
  { name: 'smalltalk', handle: answerSmalltalk },
  { name: 'pick-subject', handle: answerPick },
  { name: 'contextual', handle: answerInContext },
  { name: 'vague', handle: answerVague },
  { name: 'matcher', handle: answerUnderstood },
  { name: 'reprompt', handle: reprompt },
  { name: 'fallback', handle: (turn) => fallback(turn) },
];

/** A message that sets the hand-over aside ("wait, first: …") is read as any other message. */
const readAsMessage = (turn: Turn): TurnOutcome => runRoutes(MESSAGE_ROUTES, turn);

const ROUTES: readonly Route[] = [
  { name: 'welcome', handle: (turn) => (turn.inbound.kind === 'installed' ? welcome(turn) : undefined) },
  { name: 'action', handle: (turn) => (turn.action ? answerAction(turn, turn.action) : undefined) },
  {
    name: 'empty',
    handle: (turn) => (words(turn.text).length === 0 ? { replies: [helpReply(turn.lang, turn.ctx.knowledge, t(turn.lang, 'empty.prompt'))], state: turn.state } : undefined),
  },
  { name: 'description', handle: (turn) => answerDescription(turn, readAsMessage) },
  { name: 'contact', handle: (turn) => answerContact(turn, readAsMessage) },
  ...MESSAGE_ROUTES,
];

/** Runs a turn through the routes. */
export function route(turn: Turn): TurnOutcome {
  return runRoutes(ROUTES, turn);
}
