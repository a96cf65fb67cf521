import { createInterface } from 'node:readline';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import { isLang, type Lang } from '../shared/lang';
import type { Matcher } from '../understanding/understanding';
import { buildAskReply, type AskReply } from './ask-reply';
import { t } from '../shared/i18n';
import { plainText } from '../replies/render-text';

/**
 * Longest `--jsonl` input line read; longer lines are cut (and so no longer JSON: their raw text is the
 * message). Room for a message of the matcher's whole input (MAX_INPUT_CHARS, 1 MiB) written as JSON.
 */
export const MAX_STDIN_LINE_CHARS = 4 * 1_048_576;

export function formatAskReply(reply: AskReply): string {
  const lines = [reply.title];
  if (reply.answer) lines.push(plainText(reply.answer));
  // A fact's points are not steps to follow in order: bullets, not numbers.
  if (reply.kind === 'info') reply.steps.forEach((point) => lines.push(`• ${plainText(point)}`));
  else reply.steps.forEach((step, i) => lines.push(`${i + 1}. ${plainText(step)}`));
  if (reply.link) lines.push('', `${reply.link.label}: ${reply.link.url}`);
  if (reply.followUps.length > 0) {
    lines.push('');
    if (reply.prompt) lines.push(reply.prompt);
    reply.followUps.forEach((f, i) => lines.push(`  [${i + 1}] ${f.label}`));
  }
  if (reply.kind === 'clarify' || reply.kind === 'fallback') lines.push('', t(reply.lang, 'cli:confidenceNote', { confidence: reply.confidence }));
  return lines.join('\n');
}

function parseLang(value: unknown): Lang | undefined {
  return isLang(value) ? value : undefined;
}

/**
 * `marsbot ask --jsonl`: one JSON object per input line, exactly one reply per output line, in order:
 * a blank line too gets its (fallback) reply, so output line n always answers input line n.
 */
export async function runAskJsonl(
  kb: KnowledgeBase,
  matcher: Matcher,
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
  forceLang?: Lang,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    let text = '';
    let lang: Lang | undefined;
    try {
      const parsed = JSON.parse(line.slice(0, MAX_STDIN_LINE_CHARS)) as { text?: unknown; lang?: unknown };
      text = typeof parsed.text === 'string' ? parsed.text : '';
      lang = parseLang(parsed.lang);
    } catch {
      // A line that is not JSON still gets its reply (in order): treat it as the message text.
      text = line;
    }
    const u = matcher.understand(text, { preferredLang: lang, forceLang });
    write(JSON.stringify(buildAskReply(kb, u)));
  }
}
