import type { InteractionEvent, Ticket, TicketStatus } from '../storage/store';

interface TopicStats {
  topic: string | null;
  questions: number;
  answered: number;
  solved: number;
  notSolved: number;
  escalated: number;
  helpful: number;
  notHelpful: number;
}

export interface InteractionStats {
  conversations: number;
  /** Questions asked: each conversation's topic once, and each question no topic was found for. */
  questions: number;
  /** Questions that got steps (never more than questions). */
  answered: number;
  /** Questions that got "which of these do you mean?". */
  clarified: number;
  /** Questions that got the fallback. */
  fallback: number;
  /** Questions whose last "did this solve it?" was yes / no. */
  solved: number;
  notSolved: number;
  /** Conversations with at least one escalation. */
  escalatedConversations: number;
  /** escalatedConversations / conversations; 0 when there were none. */
  escalationRate: number;
  /** Questions whose last 👍/👎 was 👍 / 👎: a changed mind counts once, as its last value. */
  helpful: number;
  notHelpful: number;
  tickets: Record<TicketStatus, number>;
  /** Busiest topic first. */
  perTopic: TopicStats[];
}

/** One question of one conversation, and what became of it. */
interface Subject {
  topic: string | null;
  asked: boolean;
  answered: boolean;
  clarified: boolean;
  fallback: boolean;
  outcome: 'solved' | 'not-solved' | null;
  helpful: boolean | null;
  escalated: boolean;
}

const conversationKey = (event: InteractionEvent): string => `${event.channel}\u0000${event.conversationId}`;

function newSubject(topic: string | null): Subject {
  return { topic, asked: false, answered: false, clarified: false, fallback: false, outcome: null, helpful: null, escalated: false };
}

/**
 * The questions of one conversation. A turn records what it saw (a question, an answer, a clarify, an
 * outcome …); this folds those into questions: the follow-ups of one topic are one question, a
 * "which of these?" and the topic then picked are one question, and the last outcome and 👍/👎 of
 * a question are the ones that count.
 */
function subjectsOf(events: readonly InteractionEvent[]): Subject[] {
  const subjects: Subject[] = [];
  const byTopic = new Map<string, Subject>();
  let open: Subject | undefined;

  const forTopic = (topic: string): Subject => {
    let subject = byTopic.get(topic);
    if (!subject) {
      subject = newSubject(topic);
      byTopic.set(topic, subject);
      subjects.push(subject);
    }
    return subject;
  };
  /** The question an event without a topic belongs to: the open one, or a new one. */
  const current = (): Subject => {
    if (!open) {
      open = newSubject(null);
      open.asked = true;
      subjects.push(open);
    }
    return open;
  };
  const about = (topic: string | null): Subject => (topic === null ? current() : forTopic(topic));

  for (const event of events) {
    switch (event.type) {
      case 'question': {
        if (event.topic === null) {
          open = newSubject(null);
          subjects.push(open);
        } else {
          open = forTopic(event.topic);
        }
        open.asked = true;
        break;
      }
      case 'answer': {
        if (event.topic === null) break;
        // A question not yet answered that had no topic, or that asked "which of these?", becomes
        // the question about the topic answered.
        if (open && !open.answered && (open.topic === null || open.clarified) && open.topic !== event.topic) {
          const adopting = open;
          const existing = byTopic.get(event.topic);
          if (existing) {
            subjects.splice(subjects.indexOf(adopting), 1);
            if (adopting.topic !== null && byTopic.get(adopting.topic) === adopting) byTopic.delete(adopting.topic);
            existing.clarified ||= adopting.clarified;
            open = existing;
          } else {
            if (adopting.topic !== null) byTopic.delete(adopting.topic);
            adopting.topic = event.topic;
            byTopic.set(event.topic, adopting);
          }
        } else if (!open || open.topic !== event.topic) {
          // Steps reached by a button (a topic picked from a list) answer a question of their own.
          open = forTopic(event.topic);
        }
        open.asked = true;
        open.answered = true;
        break;
      }
      case 'clarify':
        current().clarified = true;
        break;
      case 'fallback':
        current().fallback = true;
        break;
      case 'solved':
      case 'not-solved':
        about(event.topic).outcome = event.type;
        break;
      case 'feedback':
        if (typeof event.helpful === 'boolean') about(event.topic).helpful = event.helpful;
        break;
      case 'escalated':
        about(event.topic).escalated = true;
        break;
      default:
        break;
    }
  }
  return subjects;
}

function emptyTopic(topic: string | null): TopicStats {
  return { topic, questions: 0, answered: 0, solved: 0, notSolved: 0, escalated: 0, helpful: 0, notHelpful: 0 };
}

/** The numbers behind `marsbot stats`: what the bot answered, what it solved, what went to people. */
export function computeInteractionStats(events: InteractionEvent[], tickets: Ticket[]): InteractionStats {
  const byConversation = new Map<string, InteractionEvent[]>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const key = conversationKey(event);
    const list = byConversation.get(key);
    if (list) list.push(event);
    else byConversation.set(key, [event]);
  }

  const stats: InteractionStats = {
    conversations: byConversation.size,
    questions: 0,
    answered: 0,
    clarified: 0,
    fallback: 0,
    solved: 0,
    notSolved: 0,
    escalatedConversations: 0,
    escalationRate: 0,
    helpful: 0,
    notHelpful: 0,
    tickets: { open: 0, claimed: 0, resolved: 0 },
    perTopic: [],
  };
  const topics = new Map<string | null, TopicStats>();

  for (const conversation of byConversation.values()) {
    const subjects = subjectsOf(conversation);
    if (subjects.some((s) => s.escalated)) stats.escalatedConversations += 1;
    for (const subject of subjects) {
      let row = topics.get(subject.topic);
      if (!row) {
        row = emptyTopic(subject.topic);
        topics.set(subject.topic, row);
      }
      const add = (key: 'questions' | 'answered' | 'solved' | 'notSolved' | 'helpful' | 'notHelpful', when: boolean): void => {
        if (!when) return;
        row[key] += 1;
        stats[key] += 1;
      };
      add('questions', subject.asked);
      add('answered', subject.answered);
      add('solved', subject.outcome === 'solved');
      add('notSolved', subject.outcome === 'not-solved');
      add('helpful', subject.helpful === true);
      add('notHelpful', subject.helpful === false);
      if (subject.escalated) row.escalated += 1;
      if (subject.asked && subject.clarified) stats.clarified += 1;
      if (subject.asked && subject.fallback) stats.fallback += 1;
    }
  }

  for (const ticket of tickets) stats.tickets[ticket.status] += 1;
  stats.escalationRate = stats.conversations === 0 ? 0 : stats.escalatedConversations / stats.conversations;
  stats.perTopic = [...topics.values()]
    .filter((t) => t.questions + t.answered + t.solved + t.notSolved + t.escalated + t.helpful + t.notHelpful > 0)
    // Busiest first; the questions without a topic after the topics with as many.
    .sort((a, b) => b.questions - a.questions || Number(a.topic === null) - Number(b.topic === null) || (a.topic ?? '').localeCompare(b.topic ?? ''));
  return stats;
}
