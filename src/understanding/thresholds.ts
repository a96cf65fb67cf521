import type { ClassScore } from './topic-index';

/**
 * The matcher's decision rules in one place. A message's score for a topic combines
 *   - bm25     evidence spread over the whole message (0–1, share of the best possible),
 *   - phrase   how much of the topic's best single trigger phrase the message contains (0–1),
 *   - coverage how much of the message's known vocabulary belongs to the topic (0–1),
 * plus a bonus for an error id the topic owns. Confidence blends how strong the best score is
 * with how far it stands above the runner-up.
 */
export const THRESHOLDS = {
  /** Confidence at or above which the bot answers with the best topic. */
  answer: 0.45,
  /** A topic scoring at least this share of the best is "close": two or three close → clarify. */
  closeCandidate: 0.95,
  /** Below this combined score a topic is not worth offering at all → fallback. */
  clarifyMinimum: 0.3,
  /** An out-of-scope subject scoring at least this share of the best topic wins → fallback. */
  outOfScopeWins: 0.7,
  /** …unless the message names the MARS agent itself: then the subject has to beat the best topic clearly. */
  outOfScopeWinsOverAgent: 1.1,
  /** …or is about Azure Backup and has this many distinctive symptom words of the best topic (evidence.ts)… */
  distinctiveWordsOverSubject: 2,
  /** …then the subject has to score at least this share of the best topic. */
  outOfScopeWinsOverSymptoms: 1,
  /** Added to the steps-exhausted topic (contact-support) when a message says every step was tried. */
  stepsExhaustedBonus: 1.5,
  /** Added to the one topic whose own identifier (LastBackupFailedFiles, iexplore.exe) the message names. */
  signatureBonus: 0.3,
  /** Added to the one topic whose agent message contains a quoted fragment of the message word for word ('niet ingericht'). */
  quotedErrorBonus: 0.25,
  /** Topic scores are multiplied by this when the message carries only other products' error codes. */
  foreignCodePenalty: 0.7,
  /** The combined score that counts as "certainly this topic" for the confidence scale. */
  strongScore: 0.75,

  // Evidence and the info tier (evidence.ts, knowledge/facts/).
  /**
   * A run of the agent's own message counts as evidence when it repeats at least this share of that
   * message (of its first 8 words, see topic-index.ts): "failed to set the encryption key" does, a
   * shared phrase such as "kan geen verbinding maken met" does not (a shorter run on a line of its
   * own does too: "> Job could not be started…").
   */
  errorTextShare: 0.75,
  /**
   * A word more than this many topics use (less than half of them) tells them apart no better than
   * "error" or "fails" does: it is no topic's symptom word.
   */
  symptomTopics: 9,
  /** A symptom word at most this many topics use is distinctive ("psexec", "tijdzone"). */
  distinctiveTopics: 2,
  /** In a fact question that reports no failure, this many of a topic's symptom words make evidence. */
  symptomWordsInFactQuestion: 2,
  /**
   * A message built around one of the agent's own cmdlets (Add-OBFileSpec) asks how to use PowerShell,
   * unless it shows at least this many of a topic's symptom words (a scheduled run that fails).
   */
  symptomWordsNextToCmdlet: 2,
  /**
   * A wish ("it would be great if") is a feature request when what it is about (evidence.yaml
   * `requests.wishedOf`: the agent, the console, the docs) starts at most this many words after it:
   * "…if the MARS console could…" (stopwords count as words), not "…if someone could help".
   */
  wordsFromWishToProduct: 3,
  /**
   * Asking for a correction ("please fix", "typo") is documentation feedback when what it names
   * (evidence.yaml `requests.correctionOf`: the article, a section, a table) stands at most this many
   * words before or after it: "please fix the article", "the table … graag aanpassen"; not "can you
   * fix this? I followed the doc".
   */
  wordsFromCorrectionToDoc: 3,
  /** Below this combined score a fact is not offered at all. */
  factMinimum: 0.3,
  /**
   * A fact that scores at least this share of the best topic wins over the topic's symptom evidence
   * ("what happens if the monthly backup fails?" is about retention, not about a failing schedule).
   * Below it the failure report decides for the topic. An id or an agent message always decides.
   */
  factOverSymptoms: 1.3,
  /** A message that reports no failure: the fact wins when it scores at least this share of the best topic. */
  factOverQuestion: 1,
  /**
   * …and when it asks in so many words for a fact ("how long", "is … supported", "we're about to
   * rename…, will the backups carry on?"), at least this share: a topic that matches a little better on
   * the words its own causes share with the question ("the downloaded file", "rename") does not
   * answer what was asked.
   */
  factOverFactQuestion: 0.8,
  /**
   * A question whose words that tell the best topic apart (its distinctive symptom words) all belong
   * to a fact's questions too, and that names something of the fact's question the topic never
   * mentions: the fact wins when it scores at least this share of the topic, failure or not
   * ("jobs stuck 'In progress' in the portal, the server says the backup failed; how do I clear them?").
   */
  factOverSharedSymptoms: 0.7,
  /** A fact beats an out-of-scope subject in a message that does not name the MARS agent only by this factor. */
  factOverSubjectWithoutAgent: 1.2,
  /** When no topic can be answered with confidence, a fact scoring at least this share of the best topic is answered… */
  factOverUnsure: 0.7,
  /** …if it leads to one of the topics in the running, or shares two words with the message and scores at least this. */
  factOnItsOwn: 0.4,
  /** …and only for a question, or a message of at least this many words (not a bare subject). */
  factSentenceWords: 6,
} as const;

const WEIGHTS = { bm25: 0.4, phrase: 0.35, coverage: 0.25 } as const;

/** Bonus for an error id the topic owns. Agent ids decide; HTTP codes (403, 407) only help. */
const STRONG_ID_BONUS = 1;
const WEAK_ID_BONUS = 0.3;
const ERROR_RUN_BONUS = 0.3;

export function combineScore(s: ClassScore, strongIdsOwned: number, weakIdsOwned: number, messageIsOnlyIds: boolean): number {
  let score = WEIGHTS.bm25 * s.bm25 + WEIGHTS.phrase * s.phrase + WEIGHTS.coverage * s.coverage;
  // Three or more consecutive words of the agent's own message: a (possibly cut-off) paste.
  if (s.errorRun >= 0.5) score += ERROR_RUN_BONUS * s.errorRun;
  if (strongIdsOwned > 0) score += STRONG_ID_BONUS;
  // A bare "407" is a clear question; "403 on our web app" is not ours.
  if (weakIdsOwned > 0) score += messageIsOnlyIds ? STRONG_ID_BONUS : WEAK_ID_BONUS;
  return score;
}

export function confidenceFrom(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  const strength = Math.min(1, best / THRESHOLDS.strongScore);
  const margin = Math.max(0, (best - runnerUp) / best);
  const confidence = 0.6 * strength + 0.4 * Math.min(1, margin * 2.5);
  return Math.round(Math.min(1, confidence) * 1000) / 1000;
}
