import type { FollowUpOption, FollowUpQuestion, Topic } from '../../knowledge/schema';
import { nextOpenQuestion } from '../../knowledge/follow-ups';
import { casesReachable, findCase, findQuestion, findTopic } from '../knowledge-view';
import { notice } from '../reply-parts';
import { addFollowUpAnswer } from '../state';
import type { Turn, TurnOutcome } from '../turn';
import { askQuestion, showCase } from './answer';

/** An answer to a follow-up question: the next question, or the steps of the case it points to. */
export function answerFollowUp(turn: Turn, topic: Topic, question: FollowUpQuestion, option: FollowUpOption): TurnOutcome {
  const lang = turn.lang;
  const current = turn.state.topic === topic.id ? turn.state : { ...turn.state, topic: topic.id, case: null, casesTried: [], casesShown: [], casesUnlikely: [] };
  const reachable = casesReachable(topic, option);
  const unlikelyNow = topic.cases.map((c) => c.id).filter((id) => !reachable.has(id));
  const base = addFollowUpAnswer(
    {
      ...current,
      // What an answer rules out for certain (the option's rulesOut) is as good as tried: never offered again in this topic.
      casesTried: [...new Set([...current.casesTried, ...option.rulesOut])],
      // What the answers make unlikely now; an answer to a later question can bring a case back.
      casesUnlikely: [
        ...current.casesUnlikely.filter((id) => !reachable.has(id)),
        ...unlikelyNow.filter((id) => !current.casesUnlikely.includes(id)),
      ],
    },
    { question: question.question[lang], answer: option.label[lang] },
  );
  // A next question the user already answered (a case it leads to was ruled out) is skipped.
  const next = option.next && findQuestion(topic, option.next) ? nextOpenQuestion(topic, option.next, base.casesTried) : undefined;
  if (next?.question) return askQuestion(turn, topic, next.question.id, { ...base, casesTried: next.ruledOut });
  const found = findCase(topic, next?.case ?? option.case);
  if (!found) return { replies: [notice(lang, 'errors.staleButton')], state: turn.state };
  return showCase(turn, topic, found, undefined, next ? { ...base, casesTried: next.ruledOut } : base);
}

/** A follow-up button press: checked against the knowledge base, since buttons outlive edits. */
export function answerFollowUpAction(turn: Turn, topicId: string, questionId: string, optionId: string): TurnOutcome {
  const topic = findTopic(turn.ctx.knowledge, topicId);
  const question = topic ? findQuestion(topic, questionId) : undefined;
  const option = question?.options.find((o) => o.id === optionId);
  if (!topic || !question || !option) return { replies: [notice(turn.lang, 'errors.staleButton')], state: turn.state };
  return answerFollowUp(turn, topic, question, option);
}
