import type { FollowUpOption, FollowUpQuestion, Topic, TopicCase } from './schema';

/**
 * Walking a topic's follow-up questions with what is already known. A question whose answer the
 * user already gave ("I tried Chrome and Edge" answers "have you tried another browser?") is not
 * asked again: when only one of its options can still lead to a case that is not ruled out, that
 * option is taken. Shared by the dialogue and `marsbot ask`, so both show the same thing.
 */

/** The cases an option can still lead to, through its chain of next questions. */
export function casesReachable(topic: Topic, option: FollowUpOption): Set<string> {
  const found = new Set<string>();
  const visited = new Set<string>();
  const walk = (o: FollowUpOption): void => {
    if (o.case) found.add(o.case);
    if (o.next && !visited.has(o.next)) {
      visited.add(o.next);
      topic.followUps.find((q) => q.id === o.next)?.options.forEach(walk);
    }
  };
  walk(option);
  return found;
}

/** An option the user could still mean: it can lead to a case that is not ruled out. */
function stillPossible(topic: Topic, option: FollowUpOption, ruledOut: ReadonlySet<string>): boolean {
  return [...casesReachable(topic, option)].some((id) => !ruledOut.has(id));
}

export interface FollowUpPosition {
  /** The question to ask next, if one is left to ask … */
  question?: FollowUpQuestion;
  /** … or the case the known answers lead to. */
  case?: string;
  /** Options taken because they were the only possible answer, in order. */
  implied: { question: FollowUpQuestion; option: FollowUpOption }[];
  /** The ruled-out cases, with what the implied options rule out added. */
  ruledOut: string[];
}

/** From `questionId` on, skips every question the ruled-out cases already answer. */
export function nextOpenQuestion(topic: Topic, questionId: string | undefined, ruledOut: readonly string[]): FollowUpPosition {
  const out = new Set(ruledOut);
  const implied: FollowUpPosition['implied'] = [];
  const asked = new Set<string>();
  let question = topic.followUps.find((q) => q.id === questionId);
  while (question && !asked.has(question.id)) {
    asked.add(question.id);
    const possible = question.options.filter((o) => stillPossible(topic, o, out));
    if (possible.length !== 1) break;
    const option = possible[0]!;
    implied.push({ question, option });
    for (const id of option.rulesOut) out.add(id);
    if (option.case) return { case: option.case, implied, ruledOut: [...out] };
    question = topic.followUps.find((q) => q.id === option.next);
  }
  return { ...(question ? { question } : {}), implied, ruledOut: [...out] };
}

export interface TopicOpening extends FollowUpPosition {
  /** The case whose steps go with the answer: the one named, else the likeliest one left. */
  shown: TopicCase;
}

/**
 * How an answer to a topic opens: the case the message names, or else the first follow-up
 * question still worth asking and, with it, the first case it can still lead to.
 */
export function openTopic(topic: Topic, named: string | null | undefined, ruledOut: readonly string[] = []): TopicOpening {
  const known = named ? topic.cases.find((c) => c.id === named) : undefined;
  if (known) return { shown: known, implied: [], ruledOut: [...ruledOut] };
  const position = nextOpenQuestion(topic, topic.followUps[0]?.id, ruledOut);
  const out = new Set(position.ruledOut);
  const reached = position.case ? topic.cases.find((c) => c.id === position.case) : undefined;
  if (reached) return { ...position, shown: reached };
  // The question's own cases first (in the file's order), then any other case not ruled out.
  const ahead = new Set(position.question?.options.flatMap((o) => [...casesReachable(topic, o)]) ?? []);
  const shown =
    topic.cases.find((c) => ahead.has(c.id) && !out.has(c.id)) ?? topic.cases.find((c) => !out.has(c.id)) ?? topic.cases[0]!;
  return { ...position, shown };
}
