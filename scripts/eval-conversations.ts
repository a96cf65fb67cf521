/**
 * Scores whole conversations (test/eval/conversations-*.jsonl) through `marsbot chat --jsonl`'s
 * code path, as test/eval/README.md describes: each turn's kind, topic, language, ticket, secrets
 * and "no cause shown twice"; a conversation passes when every turn does.
 * Usage: npm run eval (after the single-message sets), or node dist/scripts/eval-conversations.js [--verbose] [file.jsonl …]
 * Exits non-zero when a conversation of the development set fails.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadKnowledge } from '../src/knowledge/load-knowledge';
import { configureLogging } from '../src/shared/logger';
import { createMatcher } from '../src/understanding/create-matcher';
import { readConversations, scoreConversations } from './eval/conversation-scoring';

const root = resolve(__dirname, '..', '..');
const EVAL_DIR = join(root, 'test', 'eval');
const GATED_SET = 'conversations-dev.jsonl';

async function main(): Promise<void> {
  // Tickets made here go to no support channel; the support desk's warning about that is noise.
  configureLogging({ level: 'error', destination: process.stderr });
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const fileArgs = args.filter((a) => !a.startsWith('--'));
  const files =
    fileArgs.length > 0
      ? fileArgs
      : [
          ...readdirSync(EVAL_DIR)
            .filter((f) => f.startsWith('conversations-') && f.endsWith('.jsonl') && f !== GATED_SET)
            .sort()
            .map((f) => join(EVAL_DIR, f)),
          join(EVAL_DIR, GATED_SET),
        ].filter((f) => existsSync(f));

  const kb = loadKnowledge();
  const matcher = createMatcher(kb);
  let failedGate = false;
  for (const file of files) {
    const results = await scoreConversations(kb, matcher, readConversations(file), basename(file, '.jsonl'));
    const turns = results.flatMap((r) => r.turns);
    const turnsPassed = turns.filter((t) => t.problems.length === 0).length;
    const passed = results.filter((r) => r.passed).length;
    console.log(`\n${file.replace(`${root}/`, '')}: ${results.length} conversations, ${turns.length} turns`);
    console.log(`  turns passed           ${turnsPassed}/${turns.length}`);
    console.log(`  conversations passed   ${passed}/${results.length}${passed === results.length ? '  (all passed)' : ''}`);
    for (const result of results) {
      if (result.passed && !verbose) continue;
      console.log(`  ${result.passed ? 'ok  ' : 'FAIL'} ${result.conversation.id}${result.conversation.note ? `  (${result.conversation.note})` : ''}`);
      for (const turn of result.turns) {
        const { kind, topic, case: caseId, lang, ticket } = turn.line;
        const got = `${kind} ${topic ?? '-'}${caseId ? `/${caseId}` : ''} ${lang}${ticket ? ` ${ticket}` : ''}`;
        console.log(`       ${turn.problems.length === 0 ? '✓' : '✗'} "${turn.text.slice(0, 70).replace(/\n/g, ' ')}" → ${got}${turn.problems.length > 0 ? `  [${turn.problems.join('; ')}]` : ''}`);
      }
    }
    if (basename(file) === GATED_SET && passed < results.length) failedGate = true;
  }
  if (failedGate) {
    console.log('\nconversations-dev: not all passed');
    process.exitCode = 1;
  }
}

void main();
