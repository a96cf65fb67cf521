#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadKnowledge, KnowledgeError, type KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../knowledge/schema';
import { configureLogging } from '../shared/logger';
import { createMatcher } from '../understanding/create-matcher';
import { buildAskReply } from './ask-reply';
import { formatAskReply, runAskJsonl } from './ask-command';
import { formatKnowledgeList } from './kb-command';
import { runChat } from './chat-command';
import { withStore } from './with-store';
import { createSupportDesk } from '../support/create-support-desk';
import { systemClock } from '../support/clock';

const USAGE = `marsbot — troubleshoot the Azure Recovery Services (MARS) agent

Usage:
  marsbot ask "text"            answer one message (title, numbered steps, follow-up questions)
  marsbot ask --json "text"     the reply object as JSON (contract: shared/eval/README.md)
  marsbot ask --jsonl           JSON lines {"text": "...", "lang"?: "nl"|"en"} on stdin → one reply per line
  marsbot chat                  an interactive conversation in the terminal (answer follow-ups by number)
  marsbot kb check              validate every knowledge file against the schema
  marsbot kb list               topics (titles, error ids, cases) and facts (sources, related topics)
  marsbot tickets list|show ID|export --format csv|json
  marsbot stats                 questions per topic, answered vs fallback, escalations, feedback
Options:
  --lang nl|en                  reply language (overrides detection)
  --help                        this text`;

function parseLangOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (value === 'nl' || value === 'en') return value;
  throw new UsageError(`--lang must be nl or en, not "${value}"`);
}

class UsageError extends Error {}

function loadKnowledgeOrExit(): KnowledgeBase {
  try {
    return loadKnowledge();
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`Knowledge base invalid: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  configureLogging({ level: 'warn', destination: process.stderr });
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      status: { type: 'string' },
      format: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 1;
  }
  const forceLang = parseLangOption(values.lang);

  switch (command) {
    case 'ask': {
      const kb = loadKnowledgeOrExit();
      const matcher = createMatcher(kb);
      if (values.jsonl) {
        await runAskJsonl(kb, matcher, process.stdin, (line) => process.stdout.write(`${line}\n`), forceLang);
        return 0;
      }
      const text = rest.join(' ');
      const reply = buildAskReply(kb, matcher.understand(text, { forceLang }));
      process.stdout.write(values.json ? `${JSON.stringify(reply)}\n` : `${formatAskReply(reply)}\n`);
      return 0;
    }
    case 'chat': {
      const kb = loadKnowledgeOrExit();
      return withStore(async (store, config) => {
        const supportDesk = createSupportDesk({ store, notifiers: [], clock: systemClock, webhook: config.escalationWebhook });
        await runChat(kb, store, supportDesk, process.stdin, process.stdout, forceLang);
        return 0;
      });
    }
    case 'kb': {
      const kb = loadKnowledgeOrExit();
      if (rest[0] === 'check') {
        process.stdout.write(`Knowledge base OK: ${kb.topics.length} topics, ${kb.topics.reduce((n, t) => n + t.cases.length, 0)} cases, ${kb.facts.length} facts, ${kb.synonyms.groups.length} synonym groups, ${kb.outOfScope.subjects.length} out-of-scope subjects.\n`);
        return 0;
      }
      if (rest[0] === 'list') {
        process.stdout.write(`${formatKnowledgeList(kb, forceLang ?? 'en')}\n`);
        return 0;
      }
      throw new UsageError('kb takes "check" or "list"');
    }
    case 'tickets':
    case 'stats': {
      return withStore(async (store) => {
        const out = (line: string) => process.stdout.write(`${line}\n`);
        if (command === 'stats') {
          const { runStatsCommand } = await import('./stats-command');
          await runStatsCommand(store, out);
        } else {
          const { runTicketsCommand } = await import('./tickets-command');
          await runTicketsCommand(store, argv.slice(argv.indexOf('tickets') + 1), out);
        }
        return 0;
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`marsbot: ${(err as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`marsbot: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
