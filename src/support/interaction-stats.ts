import type { InteractionEvent, Ticket, TicketStatus } from '../storage/store';

export interface TopicStats {
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
  questions: number;
  answered: number;
  clarified: number;
  fallback: number;
  solved: number;
  notSolved: number;
  /** Conversations with at least one escalation. */
  escalatedConversations: number;
  /** escalatedConversations / conversations; 0 when there were none. */
  escalationRate: number;
  helpful: number;
  notHelpful: number;
  tickets: Record<TicketStatus, number>;
  /** Busiest topic first. */
  perTopic: TopicStats[];
}

const conversationKey = (event: InteractionEvent): string => `${event.channel}\u0000${event.conversationId}`;

function emptyTopic(topic: string | null): TopicStats {
  return { topic, questions: 0, answered: 0, solved: 0, notSolved: 0, escalated: 0, helpful: 0, notHelpful: 0 };
}

/** The numbers behind `marsbot stats`: what the bot answered, what it solved, what went to people. */
export function computeInteractionStats(events: InteractionEvent[], tickets: Ticket[]): InteractionStats {
  const conversations = new Set<string>();
  const escalated = new Set<string>();
  const topics = new Map<string | null, TopicStats>();
  const stats: InteractionStats = {
    conversations: 0,
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

  for (const event of events) {
    conversations.add(conversationKey(event));
    let topic = topics.get(event.topic);
    if (!topic) {
      topic = emptyTopic(event.topic);
      topics.set(event.topic, topic);
    }
    switch (event.type) {
      case 'question':
        stats.questions += 1;
        topic.questions += 1;
        break;
      case 'answer':
        stats.answered += 1;
        topic.answered += 1;
        break;
      case 'clarify':
        stats.clarified += 1;
        break;
      case 'fallback':
        stats.fallback += 1;
        break;
      case 'solved':
        stats.solved += 1;
        topic.solved += 1;
        break;
      case 'not-solved':
        stats.notSolved += 1;
        topic.notSolved += 1;
        break;
      case 'escalated':
        escalated.add(conversationKey(event));
        topic.escalated += 1;
        break;
      case 'feedback':
        if (event.helpful === true) {
          stats.helpful += 1;
          topic.helpful += 1;
        } else if (event.helpful === false) {
          stats.notHelpful += 1;
          topic.notHelpful += 1;
        }
        break;
      default:
        break;
    }
  }

  for (const ticket of tickets) stats.tickets[ticket.status] += 1;
  stats.conversations = conversations.size;
  stats.escalatedConversations = escalated.size;
  stats.escalationRate = conversations.size === 0 ? 0 : escalated.size / conversations.size;
  stats.perTopic = [...topics.values()]
    .filter((t) => t.questions + t.answered + t.solved + t.notSolved + t.escalated + t.helpful + t.notHelpful > 0)
    .sort((a, b) => b.questions - a.questions || (a.topic ?? '').localeCompare(b.topic ?? ''));
  return stats;
}
