import type { KnowledgeBase } from '../../knowledge/load-knowledge';
import type { Topic } from '../../knowledge/schema';
import type { Lang } from '../../shared/lang';
import type { Reply } from '../../replies/reply';
import type { SmalltalkIntent } from '../../understanding/understanding';
import { t, tList } from '../../shared/i18n';
import { escalateButton, topicList } from '../reply-parts';
import type { Turn, TurnOutcome } from '../turn';
import { answerSolved } from './solved';

/** Greetings, help, thanks and goodbyes; plus the fallback that says what the bot can do. */

/** Topics most admins come for, shown in the fallback's short list (when the knowledge base has them). */
const FEATURED_TOPICS = [
  'basic-troubleshooting',
  'invalid-vault-credentials',
  'agent-cannot-connect',
  'scheduled-backup-not-running',
  'backup-completed-with-warnings',
  'cache-folder-problems',
];
const SHORT_LIST_LENGTH = 6;

export function shortTopicList(kb: KnowledgeBase): Topic[] {
  const featured = FEATURED_TOPICS.map((id) => kb.byId.get(id)).filter((topic): topic is Topic => topic !== undefined);
  const rest = kb.topics.filter((topic) => !featured.includes(topic));
  return [...featured, ...rest].slice(0, SHORT_LIST_LENGTH);
}

/** What marsbot knows, with the CC BY 4.0 attribution the Microsoft text requires. */
export function helpReply(lang: Lang, kb: KnowledgeBase, greeting?: string): Reply {
  return {
    kind: 'smalltalk',
    lang,
    text: [
      ...(greeting ? [greeting] : []),
      t(lang, 'help.intro'),
      ...topicList(lang, [...kb.topics].sort((a, b) => a.title[lang].localeCompare(b.title[lang], lang))),
      t(lang, 'help.tip'),
    ],
    footer: t(lang, 'about.attribution'),
  };
}

function greetingFor(turn: Turn): string {
  const name = turn.inbound.userName?.trim().split(/\s+/)[0];
  return name ? t(turn.lang, 'smalltalk.greetingName', { name }) : t(turn.lang, 'smalltalk.greeting');
}

/**
 * The bot was installed, or a web chat conversation began: a hello, what marsbot does, two examples
 * and how to reach a person. Short on purpose: "help" gives the whole list of topics.
 */
export function welcome(turn: Turn): TurnOutcome {
  const { lang } = turn;
  return {
    replies: [
      {
        kind: 'smalltalk',
        lang,
        text: [greetingFor(turn), t(lang, 'welcome.intro'), ...tList(lang, 'welcome.examples').map((example) => `• ${example}`), t(lang, 'welcome.escalate')],
      },
    ],
    state: turn.state,
  };
}

export function smalltalk(turn: Turn, intent: SmalltalkIntent): TurnOutcome {
  const { lang } = turn;
  // Small talk moves on from a "which of these?" that was left unanswered.
  const state = turn.state.awaiting === 'topic-choice' ? { ...turn.state, awaiting: null, topicChoices: [] } : turn.state;
  const kb = turn.ctx.knowledge;
  switch (intent) {
    case 'greeting':
      // A hello gets a hello back and an invitation, not the whole list again ("help" has that).
      return { replies: [{ kind: 'smalltalk', lang, text: [`${greetingFor(turn)} ${t(lang, 'smalltalk.greetingPrompt')}`] }], state };
    case 'help':
      return { replies: [helpReply(lang, kb)], state };
    case 'thanks':
      return { replies: [{ kind: 'smalltalk', lang, text: [t(lang, 'smalltalk.thanks')] }], state };
    case 'goodbye':
      return { replies: [{ kind: 'smalltalk', lang, text: [t(lang, 'smalltalk.goodbye')] }], state };
  }
}

/**
 * Small talk the matcher recognised (the whole message is a greeting, thanks, help or goodbye): never
 * a fix. Thanks right after "did this solve it?" is a yes.
 */
export function answerSmalltalk(turn: Turn): TurnOutcome | undefined {
  const u = turn.understanding;
  if (!u || u.kind !== 'smalltalk') return undefined;
  const intent = u.smalltalk ?? 'help';
  const { state } = turn;
  if (intent === 'thanks' && state.topic && state.awaiting === 'solved') return answerSolved(turn, state.topic, state.case, true);
  return smalltalk(turn, intent);
}

export function fallback(turn: Turn): TurnOutcome {
  const { lang } = turn;
  return {
    replies: [
      {
        kind: 'fallback',
        lang,
        text: [t(lang, 'fallback.intro'), ...topicList(lang, shortTopicList(turn.ctx.knowledge)), t(lang, 'fallback.more')],
        actions: [escalateButton(lang)],
      },
    ],
    state: { ...turn.state, topicChoices: [], awaiting: turn.state.awaiting === 'topic-choice' ? null : turn.state.awaiting },
    events: [{ type: 'fallback', topic: null }],
  };
}
